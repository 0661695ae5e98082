"""python -m demo_portal [serve] [--root DIR] [--port N]  |  python -m demo_portal build DIR
|  python -m demo_portal sources   (prints the sources registry YAML)"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from .generator import build_site, render_sources_yaml
from .server import serve_forever


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m demo_portal", description="demo portal")
    ap.add_argument("command", nargs="?", default="serve", choices=("serve", "build", "sources"))
    ap.add_argument("dir", nargs="?", help="site root for build")
    ap.add_argument("--root", type=Path, help="serve this built site (default: build into a temp dir)")
    ap.add_argument("--port", type=int, default=0)
    args = ap.parse_args(argv)
    if args.command == "sources":
        sys.stdout.write(render_sources_yaml())
        return 0
    if args.command == "build":
        if not args.dir:
            ap.error("build needs a directory")
        print(build_site(Path(args.dir)))
        return 0
    if args.root is not None:
        root = args.root if (args.root / "truth.jsonl").exists() else build_site(args.root)
        serve_forever(root, args.port)
        return 0
    with tempfile.TemporaryDirectory(prefix="portal-") as tmp:
        serve_forever(build_site(Path(tmp)), args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
