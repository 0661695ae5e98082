"""`python -m etl disclosure FILE...`: the cells and consistency checks of disclosure reports
read from local files (.html/.htm, .pdf, .txt), without the pipeline.

`python -m etl disclosure review` lists the loaded reports flagged by a failed check;
`python -m etl disclosure review DOC_ID --by NAME --decision accepted|rejected [--note T]`
records a person's review in dq.disclosure_review and rebuilds the marts, which honour it
(accepted: the flagged figures stand as published; rejected: the report is left out)."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

from .checks import equations
from .reader import read_report


def add_parser(sub) -> None:  # noqa: ANN001 (argparse subparsers)
    p = sub.add_parser("disclosure", help="read 政府信息公开年报 tables from files: cells and checks")
    p.add_argument("files", nargs="+", help="report files, or: review [DOC_ID]")
    p.add_argument("--format", choices=["jsonl", "table"], default="table")
    p.add_argument("--by", help="review: who reviewed the flagged report")
    p.add_argument("--decision", choices=["accepted", "rejected"], help="review: the figures stand / leave it out")
    p.add_argument("--note", default="", help="review: why")


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
    if args.files[0] == "review" and not Path("review").exists():
        return _review(args)
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
            for eq in checks:
                print(json.dumps({"file": name, "check": eq.check, "status": eq.status, "equation": eq.equation,
                                  "lhs": eq.lhs, "rhs": eq.rhs, "figures": eq.figures, "cells": eq.cells,
                                  "unread": eq.unread, "blank": eq.blank, "note": eq.note}, ensure_ascii=False))
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
        for eq in failed:
            print(f"  FAILED {eq.describe()}")
        for eq in unread_eq:
            print(f"  NOT EVALUATED {eq.describe()}")
        if not reading.cells:
            status = status or 2          # no table of the format found: the report is unreadable
    return status



def _review(args) -> int:  # noqa: ANN001
    from ..settings import load_settings
    from .review import flagged_reports, record_review
    settings = load_settings()
    if len(args.files) == 1:
        rows = flagged_reports(settings.warehouse)
        for r in rows:
            print(f"{r['doc_id']}  {r['agency']} {r['report_year']}  {r['n_failed_checks']} failed check(s)"
                  f"  review: {r['review_decision'] or '-'}  {r['url']}")
        if not rows:
            print("no flagged disclosure report")
        return 0
    if not (args.by and args.decision):
        print("review DOC_ID needs --by NAME and --decision accepted|rejected", file=sys.stderr)
        return 2
    try:
        rec = record_review(settings.warehouse, settings.sql_dir, args.files[1], args.decision, args.by, args.note)
    except LookupError as e:
        print(str(e), file=sys.stderr)
        return 1
    print(json.dumps(rec, ensure_ascii=False, default=str))
    return 0
