"""The analysts' subcommands of `python -m etl` (sql, shell, explain, export, report)."""
from __future__ import annotations

import argparse
from pathlib import Path

COMMANDS = ("sql", "shell", "explain", "export")


def add_parsers(sub) -> None:
    p = sub.add_parser("sql", help="read-only SQL on the published snapshot")
    p.add_argument("query")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--csv", dest="fmt", action="store_const", const="csv")
    g.add_argument("--json", dest="fmt", action="store_const", const="json")
    p.add_argument("--db", help="a snapshot file other than the published one")
    p.add_argument("--max-rows", type=int, default=200)
    p.set_defaults(fmt="table")
    p = sub.add_parser("shell", help="interactive read-only shell on the snapshot")
    p.add_argument("--db")
    p = sub.add_parser("explain", help="a mart figure, its facts, their quotes and URLs")
    p.add_argument("mart")
    p.add_argument("keys", nargs="*", help="key values in the mart's key order, or column=value")
    p.add_argument("--db")
    p = sub.add_parser("export", help="the marts as Parquet files in a folder")
    p.add_argument("--out", required=True)
    p.add_argument("--db")


def dispatch(args: argparse.Namespace) -> int:
    from ..settings import load_settings
    wh = load_settings().warehouse
    if args.cmd == "sql":
        from .query import sql_command
        return sql_command(wh, args.query, args.fmt, args.db, args.max_rows)
    if args.cmd == "shell":
        from .query import shell_command
        return shell_command(wh, args.db)
    if args.cmd == "explain":
        from .explain import explain_command
        return explain_command(wh, args.mart, args.keys, args.db)
    from .snapshot import export_marts
    from .query import snapshot_for
    for f in export_marts(snapshot_for(wh, args.db), Path(args.out)):
        print(f)
    return 0
