"""The rendering tier at scale: the demo portal scaled to N reports with a fifth of its
columns script-built (demo_portal/scripted.py: app shell over a JSON POST API, JSONP,
加载更多, onclick rows, cookie challenge, catalogue form), crawled by `python -m etl run`:

    night 1 without the rendering tier (ETL_RENDER=0)   the reference, measured in this run
    night 1 with it                                      browser pages rendered, CPU, wall
    night 2, unchanged, with it                          CPU as a share of night 1 (target <= 10%)

CPU is the run's process tree (Chromium and its driver included: reaped children). Prints
figures; asserts nothing.

    .venv/bin/python benchmarks/bench_render.py --reports 200
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from benchmarks.bench_scale import freeze_code, night  # noqa: E402
from demo_portal import generator, scale  # noqa: E402
from demo_portal.content import AGENCIES  # noqa: E402
from demo_portal.scripted import AGENCIES as SCRIPTED  # noqa: E402
from demo_portal.server import Portal  # noqa: E402
from demo_portal.texts import REPORTS  # noqa: E402


def agencies(n_reports: int) -> tuple:
    """Static columns and script-built ones four to one (copies under new ids and paths)."""
    static = [a for a in AGENCIES if a not in SCRIPTED and a.cms != "oldest_first"]
    scripted = [a for a in SCRIPTED if a.cms != "oldest_first"]
    out = list(static)                   # the originals (copies republish their reports)
    total, k = sum(len(a.reports) for a in out), 0
    while total < n_reports:
        base = scripted[(k // 5) % len(scripted)] if k % 5 == 4 else static[k % len(static)]
        c = scale._copy(base, k)
        k += 1
        if not c.reports:
            continue
        for r in c.reports:
            REPORTS[(c.id, r.year)] = REPORTS[(base.id, r.year)]
        out.append(c)
        total += len(c.reports)
    return tuple(out)


def build(root: Path, n_reports: int) -> Path:
    stamp = root / ".reports"
    if stamp.exists() and stamp.read_text() == str(n_reports):
        return root
    ags = agencies(n_reports)
    with scale._registry(ags):
        generator.build_site(root)
        entries = generator.source_entries()
    (root / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True, sort_keys=False),
                                       encoding="utf-8")
    stamp.write_text(str(n_reports))
    return root


def rendered(data: Path) -> int:
    """Browser pages opened in a run's data folder (the state store's `rendered` log)."""
    from etl.statestore import STATE_FILE, open_store
    return len(open_store(data / "state").rendered()) if (data / "state" / STATE_FILE).exists() else 0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--site", type=Path, default=Path(tempfile.gettempdir()) / "fzzf-bench-render")
    args = ap.parse_args()
    site = build(args.site / f"portal-{args.reports}", args.reports)
    entries = yaml.safe_load((site / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    print(f"site: {len(manifest)} reports, {len(entries)} columns "
          f"({sum(1 for e in entries if any(e['id'].startswith(a.id) for a in SCRIPTED))} script-built): {site}")
    runs = Path(tempfile.mkdtemp(prefix="bench-render-"))
    code = freeze_code(runs / "code")
    import os
    with Portal(site) as portal:
        os.environ["ETL_RENDER"] = "0"
        ref = night("night 1, static only", runs / "static", portal, site / "sources.yaml", args.workers, code)
        os.environ["ETL_RENDER"] = "1"
        one = night("night 1, rendering", runs / "render", portal, site / "sources.yaml", args.workers, code)
        n1 = rendered(runs / "render")
        two = night("night 2 (unchanged)", runs / "render", portal, site / "sources.yaml", args.workers, code)
        n2 = rendered(runs / "render") - n1
    print(f"{'run':<24} {'wall':>8} {'CPU':>8}  requests  reports found  parsed  browser pages")
    for r, pages in ((ref, 0), (one, n1), (two, n2)):
        print(f"{r['label']:<24} {r['wall']:6.1f} s {r['cpu']:6.1f} s  {r['requests']:8d}  {r['found']!s:>13}  "
              f"{r['parsed']!s:>6}  {pages}")
    print(f"rendering tier, night 1: CPU x{one['cpu'] / ref['cpu']:.2f}, wall x{one['wall'] / ref['wall']:.2f} "
          f"of the static reference measured in this run")
    print(f"unchanged night 2 / night 1: CPU {two['cpu'] / one['cpu']:.1%} (target <= 10%), "
          f"{n2} browser pages, {two['documents']} documents re-requested")


if __name__ == "__main__":
    main()
