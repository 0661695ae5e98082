"""Analysts' read-only access to the published snapshot.

  python -m etl sql "SELECT ..." [--csv | --json] [--max-rows N]
  python -m etl shell            the DuckDB CLI (pinned duckdb-cli) read-only on the snapshot,
                                 or a plain SQL prompt when the CLI is not installed

Both read the snapshot, never the warehouse the load writes, so a query left open never
blocks the nightly load, and never sees a load half done.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

from ..cli_errors import NO_DATA, SQL, CliError, duckdb_message
from .snapshot import snapshot_path


class NoSnapshot(CliError):
    def __init__(self, message: str) -> None:
        super().__init__(message, NO_DATA)


def snapshot_for(warehouse: Path, db: str | None = None) -> Path:
    path = Path(db) if db else snapshot_path(warehouse)
    if not path.exists():
        raise NoSnapshot(f"no snapshot at {path}: it is published after each load (run the pipeline first)")
    return path


def sql_error(e: Exception) -> CliError:
    """A DuckDB error as the CLI says it: its suggestion first, exit code 3."""
    return CliError(duckdb_message(e), SQL)


def connect(path: Path):
    import duckdb
    return duckdb.connect(str(path), read_only=True)


def run_query(path: Path, sql: str) -> tuple[list[str], list[tuple]]:
    con = connect(path)
    try:
        cur = con.execute(sql)
        cols = [d[0] for d in cur.description] if cur.description else []
        return cols, cur.fetchall()
    finally:
        con.close()


def _plain(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)                      # dates, decimals, UUIDs: as DuckDB prints them


def write_csv(cols: list[str], rows: list[tuple], out: TextIO) -> None:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([json.dumps(_plain(v), ensure_ascii=False) if isinstance(v, (list, dict)) else
                    ("" if v is None else _plain(v)) for v in r])


def write_json(cols: list[str], rows: list[tuple], out: TextIO) -> None:
    json.dump([dict(zip(cols, map(_plain, r))) for r in rows], out, ensure_ascii=False, indent=1)
    out.write("\n")


def sql_command(warehouse: Path, sql: str, fmt: str = "table", db: str | None = None,
                max_rows: int = 200, out: TextIO | None = None) -> int:
    import duckdb
    out = out or sys.stdout
    path = snapshot_for(warehouse, db)
    try:
        if fmt == "table":
            con = connect(path)
            try:
                rel = con.sql(sql)
                if rel is None:
                    return 0
                rel.show(max_rows=max_rows, max_width=shutil.get_terminal_size((200, 40)).columns)
            finally:
                con.close()
            return 0
        cols, rows = run_query(path, sql)
    except duckdb.Error as e:
        raise sql_error(e) from None
    (write_csv if fmt == "csv" else write_json)(cols, rows, out)
    return 0


def shell_command(warehouse: Path, db: str | None = None) -> int:
    path = snapshot_for(warehouse, db)
    cli = Path(sys.executable).with_name("duckdb")
    cli_path = str(cli) if cli.exists() else shutil.which("duckdb")
    if cli_path:
        print(f"read-only on {path} (DuckDB CLI; .tables lists the marts, .quit leaves)", file=sys.stderr)
        os.execv(cli_path, [cli_path, "-readonly", str(path)])
    return _prompt(path)


def _prompt(path: Path) -> int:
    """A minimal SQL prompt: statements end with ';', an empty line at the prompt quits."""
    con = connect(path)
    print(f"read-only on {path}; end statements with ';', Ctrl-D quits", file=sys.stderr)
    buf: list[str] = []
    try:
        while True:
            try:
                line = input("sql> " if not buf else "...> ")
            except EOFError:
                return 0
            buf.append(line)
            if not line.rstrip().endswith(";"):
                continue
            stmt, buf = "\n".join(buf), []
            try:
                rel = con.sql(stmt)
                if rel is not None:
                    rel.show(max_rows=100)
            except Exception as e:           # a typo must not end the session
                print(duckdb_message(e), file=sys.stderr)
    finally:
        con.close()
