"""The analysts' subcommands of `python -m etl` (sql, shell, explain, export, report), and
the warehouse's own: build (dbt build on the loaded raw rows) and docs (dbt's docs site)."""
from __future__ import annotations

import argparse
from pathlib import Path

COMMANDS = ("sql", "shell", "explain", "export", "build", "docs")


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
    p = sub.add_parser("build", help="dbt build: staging, core, marts and their tests; the snapshot when it passes")
    p.add_argument("--force", action="store_true", help="build even when the inputs are those of the last build")
    p = sub.add_parser("docs", help="dbt's docs site (lineage, every column) as one offline HTML file")
    p.add_argument("--out", help="the HTML file (default <ETL_DATA_DIR>/docs/warehouse.html)")


def dispatch(args: argparse.Namespace) -> int:
    from ..settings import load_settings
    settings = load_settings()
    wh = settings.warehouse
    if args.cmd in ("build", "docs"):
        return _dbt_command(settings, args)
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


def _dbt_command(settings, args: argparse.Namespace) -> int:
    from . import build
    if args.cmd == "docs":
        print(build.build_docs(settings.warehouse, settings.sql_dir,
                               Path(args.out) if args.out else build.docs_path(settings), settings.dbt_dir))
        return 0
    result = build.build_models(settings, "cli", force=args.force)
    if result.ok:
        from .snapshot import publish_snapshot
        publish_snapshot(settings.warehouse)
        print("skipped: inputs unchanged since the last build" if result.skipped else
              f"built {result.nodes} nodes in {result.seconds:.1f}s; snapshot published")
        return 0
    print(result.reason())
    return 1
