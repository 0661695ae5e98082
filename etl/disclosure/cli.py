"""`python -m etl disclosure FILE...`: the cells and consistency checks of disclosure reports
read from local files (.html/.htm, .pdf, .txt), without the pipeline."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from .checks import equations
from .reader import read_report


def add_parser(sub) -> None:  # noqa: ANN001 (argparse subparsers)
    p = sub.add_parser("disclosure", help="read 政府信息公开年报 tables from files: cells and checks")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["jsonl", "table"], default="table")


def read_file(path: Path):  # noqa: ANN201
    data = path.read_bytes()
    suffix = path.suffix.lower()
    from ..http import decode_html
    from ..parse.sniff import sniff
    if suffix == ".pdf" or sniff(data) == "pdf":
        return read_report(None, [data], "")
    if suffix in (".html", ".htm", ".shtml"):
        return read_report(data, [], "")
    # plain text in UTF-8 or GB (decoded like every other page)
    return read_report(None, [], decode_html(data.removeprefix(b"\xef\xbb\xbf"), "text/plain; charset=utf-8"))


def main(args) -> int:  # noqa: ANN001
    try:
        return _main(args)
    except BrokenPipeError:                 # piped into head
        return 0


def _main(args) -> int:  # noqa: ANN001
    status = 0
    for name in args.files:
        path = Path(name)
        try:
            reading = read_file(path)
        except Exception as e:              # one unreadable file never stops the others
            print(f"{name}: {type(e).__name__}: {e}", file=sys.stderr)
            status = 1
            continue
        checks = equations(reading.cells)
        if args.format == "jsonl":
            for c in reading.cells:
                print(json.dumps({"file": name, **asdict(c)}, ensure_ascii=False))
            for e in checks:
                print(json.dumps({"file": name, "check": e.check, "status": e.status, "equation": e.equation,
                                  "lhs": e.lhs, "rhs": e.rhs, "figures": e.figures, "cells": e.cells,
                                  "unread": e.unread, "blank": e.blank, "note": e.note}, ensure_ascii=False))
            continue
        failed = [e for e in checks if e.status == "failed"]
        unread_eq = [e for e in checks if e.status == "not_evaluated"]
        unread = [c for c in reading.cells if c.status in ("unread", "unaligned")]
        print(f"{name}: {len(reading.cells) - len(unread)} cells read, {len(unread)} unread "
              f"({reading.layout or 'no tables'}; {'; '.join(reading.tried)}), "
              f"{len(checks)} checks: {len(failed)} failed, {len(unread_eq)} not evaluated (a term unread)")
        for c in reading.cells:
            print(f"  {c.metric:<52}{c.raw!r:>8}  {c.status:<9} {c.row_label} | {c.col_label}"
                  + (f"  [{c.note}]" if c.note else ""))
        for e in failed:
            print(f"  FAILED {e.describe()}")
        for e in unread_eq:
            print(f"  NOT EVALUATED {e.describe()}")
        if not reading.cells:
            status = status or 2          # no table of the format found: the report is unreadable
    return status

