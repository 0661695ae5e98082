"""Command line: every stage by hand, plus the demo.

  python -m etl extract FILE... [--format jsonl|table]   facts in local .txt/.html/.pdf files
        [--explain]                                      ... with the keyword or rule behind each category
  python -m etl catalog [--format table|jsonl]           the metric dictionary (core.dim_metric)
  python -m etl inspect FILE...                          what each document says about itself
  python -m etl portal [--port N] [--root DIR]           serve the demo portal
  python -m etl reprocess [--since VERSION] [--source ID] [--year Y]   again from the raw archive
  python -m etl run [--run-id ID]                        the whole pipeline without Airflow
  python -m etl discover|fetch|process --run-id ID --source ID
  python -m etl validate|load|alert|finish --run-id ID
  python -m etl sources check [ID...]                   validate the registry, try each listing
  python -m etl sources find URL                         registry entries from a department's home page
  python -m etl report [--out FILE]                      the provincial comparison (HTML with --out)
  python -m etl sql "SELECT ..." [--csv|--json]          read-only SQL on the published snapshot
  python -m etl shell                                    interactive read-only shell on the snapshot
  python -m etl explain MART KEY...                      a mart figure with its facts, quotes, URLs
  python -m etl export --out DIR                         the marts as Parquet
  python -m etl build [--force]                          dbt build (models + tests), then the snapshot
  python -m etl docs [--out FILE]                        dbt's docs site: lineage, every column, offline
  python -m etl demo                                     portal -> Airflow DAG -> DuckDB -> report

Exit codes (etl/cli_errors.py): 0 done; 1 done but something is wrong (unreadable file, no
row, red run); 2 usage; 3 SQL error; 4 no warehouse/snapshot yet; 5 network or bad URL;
130 interrupted; 141 stdout closed (`| head`). Errors are one or two lines on stderr.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from dataclasses import asdict
from pathlib import Path

from . import cli_errors


def _documents(files: list[str], failed: list[str]):
    """(path, text, title) of each readable file. Unreadable ones are reported on stderr,
    noted in `failed` and skipped: one bad file never stops the others."""
    from .parse import read_file
    for name in files:
        path = Path(name)
        try:
            text, title = read_file(path)
        except Exception as e:
            print(f"{path}: {type(e).__name__}: {e}", file=sys.stderr)
            failed.append(name)
            continue
        yield path, text, title


_PAGE_BASE = "http://article.invalid/"      # a page read from a file has no URL of its own


def attachments_of(path: Path) -> list[str]:
    """The report files an article page links (as written in the page: relative to its URL)."""
    from .fetch import attachment_links
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    if b"<" not in raw[:4096]:
        return []
    return [link.url.removeprefix(_PAGE_BASE) for link in attachment_links(raw, "text/html", _PAGE_BASE)
            if link.how != "frame"]


def _extract(args) -> int:
    from .extract import extract_facts
    failed: list[str] = []
    for path, text, _ in _documents(args.files, failed):
        facts = extract_facts(text, path.stem)
        files = attachments_of(path) if not facts else []
        if files:      # an article whose report is its attachment: say so, never a silent 0
            print(f"{path}: no figures in the page itself; the report is its attachment(s): "
                  f"{', '.join(files)} (download them and run extract on the files)", file=sys.stderr)
            failed.append(str(path))
        for f in facts:
            d = asdict(f)
            if args.format == "jsonl":
                print(json.dumps(d, ensure_ascii=False))
            else:
                print(f"{d['doc']}\t{d['category']}\t{d['metric']}\t{d['value']:g}\t{d['unit']}\t{d['qualifier']}\t{d['quote']}"
                      + (f"\t{d['category_reason']}" if args.explain else ""))
    return 1 if failed else 0


def _catalog(args) -> int:
    from .extract.catalog import metric_dictionary
    for row in metric_dictionary():
        if args.format == "jsonl":
            print(json.dumps(row, ensure_ascii=False))
        else:
            rng = f"{row['min_value']:g}..{row['max_value']:g}" if row["max_value"] is not None else ""
            print(f"{row['metric']}\t{row['name_zh']}\t{row['category']}\t{'/'.join(row['units']) or '*'}\t{rng}\t{row['definition']}")
    return 0


def _inspect(args) -> int:
    from .metadata import inspect_text
    failed: list[str] = []
    for path, text, title in _documents(args.files, failed):
        print(json.dumps({"doc": path.stem, **inspect_text(text, title)}, ensure_ascii=False))
    return 1 if failed else 0


def _portal(args) -> int:
    from demo_portal.generator import build_site
    from demo_portal.server import serve_forever
    root = Path(args.root)
    build_site(root)
    serve_forever(root, args.port)
    return 0


def _stage(args) -> int:
    import importlib
    module = "crawl" if args.cmd in ("discover", "fetch") else args.cmd
    fn = getattr(importlib.import_module(f".pipeline.{module}", __package__), f"{args.cmd}_task")
    result = fn(args.run_id, args.source.split(",")) if args.cmd in ("discover", "fetch", "process") else fn(args.run_id)
    print(json.dumps(result, ensure_ascii=False, default=str))
    return 0


def _run(args) -> int:
    """`run` / `reprocess`: progress on stderr (a terminal only), the counts as JSON on
    stdout, red or not; exit 1 when the verdict is red (the reasons on stderr)."""
    import time
    from .pipeline.finish import RunFailed
    from .progress import Progress
    from .runstore import COUNTS, VERDICT, RunStore
    from .settings import load_settings
    settings = load_settings()
    progress = Progress()
    prefix = "reprocess" if args.cmd == "reprocess" else "manual"
    run_id = getattr(args, "run_id", None) or time.strftime(f"{prefix}__%Y%m%dT%H%M%S")
    rc = cli_errors.OK
    try:
        if args.cmd == "run":
            from .pipeline.runner import run_all
            result = run_all(run_id, settings, progress)
        else:
            from .pipeline.reprocess import reprocess
            result = reprocess(args.since, args.source.split(",") if args.source else None, args.year,
                               settings, run_id, progress)
    except RunFailed:                  # reprocess: the reasons were logged
        counts: dict = RunStore(settings, run_id).get(COUNTS) or {}
        result = {**counts, "verdict": "red"}
    progress.done()
    print(json.dumps(result, ensure_ascii=False))
    if result.get("verdict") == "red":
        v = RunStore(settings, run_id).get(VERDICT) or {}
        print(f"error: run {run_id} is red: " + " | ".join(v.get("reasons", [])[:3]), file=sys.stderr)
        rc = cli_errors.PROBLEM
    return rc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m etl", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("extract")
    p.add_argument("files", nargs="+")
    p.add_argument("--format", choices=["jsonl", "table"], default="table")
    p.add_argument("--explain", action="store_true", help="print each fact's category_reason")
    p = sub.add_parser("catalog")
    p.add_argument("--format", choices=["jsonl", "table"], default="table")
    p = sub.add_parser("inspect")
    p.add_argument("files", nargs="+")
    p = sub.add_parser("portal")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--root", default="data/portal")
    p = sub.add_parser("reprocess", help="re-parse and re-extract loaded documents from the raw archive")
    p.add_argument("--since", help="documents extracted before this extractor version (default: the "
                                   "current one; 'all': every document)")
    p.add_argument("--source", help="source id(s), comma-separated")
    p.add_argument("--year", type=int, help="only this report year")
    p = sub.add_parser("run")
    p.add_argument("--run-id")
    for stage in ("discover", "fetch", "process"):
        p = sub.add_parser(stage)
        p.add_argument("--run-id", required=True)
        p.add_argument("--source", required=True, help="source id(s), comma-separated")
    for stage in ("validate", "load", "alert", "finish"):
        p = sub.add_parser(stage)
        p.add_argument("--run-id", required=True)
    p = sub.add_parser("report")
    p.add_argument("--out", help="write the static HTML report (charts, DQ status, facts) to this file")
    from .warehouse import cli as warehouse_cli      # sql, shell, explain, export (analysts)
    warehouse_cli.add_parsers(sub)
    p = sub.add_parser("sources", help="check the registry against live listings, or find report columns")
    acts = p.add_subparsers(dest="action", required=True)
    a = acts.add_parser("check", help="validate the registry and print what each listing would give")
    a.add_argument("ids", nargs="*", help="source ids (default: all)")
    a = acts.add_parser("find", help="from a department's home page, print registry entries for its report columns")
    a.add_argument("url")
    a.add_argument("--max-pages", type=int, default=40)
    from .disclosure import cli as disclosure_cli    # 政府信息公开年报 tables from files
    disclosure_cli.add_parser(sub)
    p = sub.add_parser("demo")
    p.add_argument("--date", default=None, help="logical date for the DAG run (default: now)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    if args.cmd == "extract":
        return _extract(args)
    if args.cmd == "catalog":
        return _catalog(args)
    if args.cmd == "inspect":
        return _inspect(args)
    if args.cmd == "portal":
        return _portal(args)
    if args.cmd in ("reprocess", "run"):
        return _run(args)
    if args.cmd in warehouse_cli.COMMANDS:
        return warehouse_cli.dispatch(args)
    if args.cmd == "sources":
        from .discovery.cli import main as sources_main
        return sources_main(args)
    if args.cmd == "report":
        from .report import html_report, print_report
        return html_report(args.out) if args.out else print_report()
    if args.cmd == "disclosure":
        return disclosure_cli.main(args)
    if args.cmd == "demo":
        from .demo import main as demo_main
        return demo_main(args.date)
    return _stage(args)


def _stdout_gone() -> int:
    """The reader of stdout left (`| head`): stop quietly, as Unix tools do. stdout is
    pointed at /dev/null so the interpreter's final flush does not raise again."""
    import os
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return cli_errors.BROKEN_PIPE


def run(argv: list[str] | None = None) -> int:
    """main() with every failure said in a line or two and its exit code (cli_errors)."""
    from .pipeline.alert import AlertUndelivered
    from .pipeline.finish import RunFailed
    try:
        rc = main(argv)
        sys.stdout.flush()
        return rc
    except BrokenPipeError:
        return _stdout_gone()
    except cli_errors.CliError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.code
    except (RunFailed, AlertUndelivered) as e:     # the reasons were logged; say the verdict once
        print(f"error: {e}", file=sys.stderr)
        return cli_errors.PROBLEM
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return cli_errors.INTERRUPTED


if __name__ == "__main__":
    sys.exit(run())
