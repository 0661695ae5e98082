"""Publish a read-only snapshot after each committed load.

Analysts never open the warehouse the load writes: DuckDB allows one writer, and a reader
holding the file would make the nightly load fail on the lock. They open the snapshot:

  <snapshot dir>/warehouse.duckdb   a full copy, written with a storage version the
                                    registry's DuckDB CLI (1.5.x) opens (a byte copy when
                                    the warehouse file already has that version), swapped
                                    in by rename: a reader that has the old one open keeps
                                    reading it, the next open sees the new one
  <snapshot dir>/parquet -> parquet-<stamp>/   every table as Parquet + views.sql, swapped
                                    by replacing the symlink (the previous copy is kept
                                    for readers still in it)
  <snapshot dir>/manifest.json      run, time and row counts of what is published
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path

from ..settings import report_html_path, snapshot_dir, snapshot_storage
from .docs import _lit
from .build import content_hash

log = logging.getLogger(__name__)
SNAPSHOT_DB = "warehouse.duckdb"
KEEP_PARQUET = 2          # the current copy and the one before it


def snapshot_path(warehouse: Path) -> Path:
    return snapshot_dir(warehouse) / SNAPSHOT_DB


def publish_snapshot(warehouse: Path, out_dir: Path | None = None) -> Path | None:
    """Copy the committed warehouse to the snapshot dir, atomically. A failure is logged and
    leaves the previous snapshot in place (the load itself has committed)."""
    out = out_dir or snapshot_dir(warehouse)
    try:
        return _publish(warehouse, out)
    except Exception:
        log.exception("snapshot not published to %s: analysts keep the previous one", out)
        return None


def _publish(warehouse: Path, out: Path) -> Path:
    import duckdb
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    tmp_db = out / f".{SNAPSHOT_DB}.{stamp}.tmp"
    pq_dir = out / f"parquet-{stamp}"
    con = duckdb.connect()
    try:
        con.execute("SET enable_progress_bar = false")
        con.execute(f"ATTACH {_lit(str(warehouse))} AS wh (READ_ONLY)")   # holds off a writer meanwhile
        copied = _readable_as_is(con, warehouse)
        if copied:
            shutil.copyfile(warehouse, tmp_db)          # already old-CLI readable: bytes are enough
        else:
            con.execute(f"ATTACH {_lit(str(tmp_db))} AS snap (STORAGE_VERSION {_lit(snapshot_storage())})")
            con.execute("COPY FROM DATABASE wh TO snap")
            con.execute("DETACH snap")
        tables = con.execute("SELECT schema_name, table_name, estimated_size FROM duckdb_tables() "
                             "WHERE database_name = 'wh' ORDER BY 1, 2").fetchall()
        run = con.execute("SELECT run_id FROM wh.raw.runs ORDER BY loaded_at DESC LIMIT 1").fetchone()
        views, hashes = _export_parquet(con, tables, pq_dir, _previous_parquet(out), dbt_order(warehouse))
    finally:
        con.close()
    os.replace(tmp_db, out / SNAPSHOT_DB)
    _swap_symlink(out / "parquet", pq_dir.name)
    _prune(out)
    manifest = {"run_id": run[0] if run else None, "published_at": stamp, "warehouse": str(warehouse),
                "duckdb": str(out / SNAPSHOT_DB), "storage_version": snapshot_storage(), "byte_copy": copied,
                "parquet": str(out / "parquet"), "views_sql": str(out / "parquet" / "views.sql"),
                "tables": {f"{s}.{t}": n for s, t, n in tables}, "n_views": views, "table_hashes": hashes}
    tmp = out / ".manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, out / "manifest.json")
    report = report_html_path()
    if report:                                  # the run's HTML report beside the snapshot
        from .report_html import write_report
        write_report(out / SNAPSHOT_DB, report)
    return out / SNAPSHOT_DB


def _readable_as_is(con, warehouse: Path) -> bool:
    """The warehouse file itself is in the snapshot's storage version (a warehouse created
    with storage_compatibility_version) and fully checkpointed: a byte copy is the snapshot,
    seconds instead of a rewrite of every table."""
    tags = con.execute("SELECT tags FROM duckdb_databases() WHERE database_name = 'wh'").fetchone()[0] or {}
    version = str(dict(tags).get("storage_version", "")).rstrip("+")
    wal = warehouse.with_name(warehouse.name + ".wal")
    return version == snapshot_storage() and not (wal.exists() and wal.stat().st_size)


def _previous_parquet(out: Path) -> dict[str, tuple[str, Path]]:
    """{table: (content hash, its Parquet file)} of the snapshot published last."""
    try:
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        current = out / os.readlink(out / "parquet")
    except (OSError, ValueError):
        return {}
    return {t: (h, current / f"{t}.parquet") for t, h in (manifest.get("table_hashes") or {}).items()}


def _export_parquet(con, tables: list[tuple], pq_dir: Path, previous: dict[str, tuple[str, Path]] | None = None,
                    order: list[str] | None = None) -> tuple[int, dict[str, str]]:
    """Each table to <schema>.<table>.parquet; views.sql recreates the schemas over them
    (`duckdb -init views.sql`, or `.read views.sql`), the views included. A table whose
    content hashes as in the previous snapshot is linked from it, not written again (an
    unchanged night rewrites only the run's log tables). Returns (views, table hashes)."""
    pq_dir.mkdir(parents=True)
    previous, order = previous or {}, order or []
    lines = ["-- Parquet copy of the warehouse: run in any DuckDB (`.read views.sql`)."]
    schemas = [r[0] for r in con.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = 'wh' AND NOT internal "
        "AND schema_name NOT IN ('main', 'information_schema', 'pg_catalog') ORDER BY 1").fetchall()]
    for schema in schemas:
        lines.append(f"CREATE SCHEMA IF NOT EXISTS {schema};")
    hashes: dict[str, str] = {}
    docs = _comments(con)
    for s, t, _ in tables:
        f = pq_dir / f"{s}.{t}.parquet"
        meta = _kv_metadata(*docs.get(f"{s}.{t}", ("", {})))
        h = "{}:{}".format(*content_hash(con, f"wh.{s}.{t}"))
        hashes[f"{s}.{t}"] = h = h + ":" + hashlib.sha1(meta.encode()).hexdigest()[:12]   # new docs: new file
        old_hash, old_file = previous.get(f"{s}.{t}", ("", None))
        if not (old_hash == h and old_file is not None and _link(old_file, f)):
            con.execute(f"COPY wh.{s}.{t} TO {_lit(str(f))} (FORMAT parquet, COMPRESSION zstd{meta})")
        lines.append(f"CREATE OR REPLACE VIEW {s}.{t} AS FROM read_parquet({_lit(str(f))});")
    views = con.execute("SELECT schema_name || '.' || view_name, sql FROM duckdb_views() "
                        "WHERE database_name = 'wh' AND NOT internal ORDER BY 1").fetchall()
    lines += [sql.replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1) for sql in _dependency_order(views, order)]
    lines.append("-- The data dictionary (dbt's docs, sql/models/**/*.yml): every table's and column's meaning.")
    for name, (text, cols) in docs.items():          # every object is a view in this copy
        if text:
            lines.append(f"COMMENT ON VIEW {name} IS {_lit(text)};")
        lines += [f"COMMENT ON COLUMN {name}.\"{c}\" IS {_lit(v)};" for c, v in cols.items()]
    (pq_dir / "views.sql").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(views), hashes


def _comments(con, db: str = "wh") -> dict[str, tuple[str, dict[str, str]]]:
    """{schema.table: (its comment, {column: comment})} of the database `db` (the attached warehouse)."""
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for name, text in con.execute(
            "SELECT schema_name || '.' || table_name, comment FROM duckdb_tables() WHERE database_name = $db UNION ALL "
            "SELECT schema_name || '.' || view_name, comment FROM duckdb_views() WHERE database_name = $db AND NOT internal "
            "ORDER BY 1", {"db": db}).fetchall():
        out[name] = (text or "", {})
    for name, col, text in con.execute(
            "SELECT schema_name || '.' || table_name, column_name, comment FROM duckdb_columns() "
            "WHERE database_name = $db AND coalesce(comment, '') <> '' ORDER BY schema_name, table_name, column_index",
            {"db": db}).fetchall():
        out.setdefault(name, ("", {}))[1][col] = text
    return out


def _kv_metadata(table_comment: str, columns: dict[str, str]) -> str:
    """The Parquet file's key-value metadata option: `comment` (the table's) and
    `comment.<column>` for each documented column (read them with parquet_kv_metadata())."""
    items = ([("comment", table_comment)] if table_comment else []) + [(f"comment.{c}", v) for c, v in columns.items()]
    if not items:
        return ""
    return ", KV_METADATA {" + ", ".join(f"{_lit(k)}: {_lit(v)}" for k, v in items) + "}"


def _link(src: Path, dst: Path) -> bool:
    """A hard link (the previous copy stays readable by whoever has it open), else a copy."""
    try:
        os.link(src, dst)
        return True
    except OSError:
        try:
            shutil.copyfile(src, dst)
            return True
        except OSError:
            return False


def dbt_order(warehouse: Path) -> list[str]:
    """`schema.name` of every dbt model, each after the models it reads (dbt's manifest:
    declared ref()s, not a parse of the SQL). Empty without a manifest."""
    from graphlib import TopologicalSorter

    from ..settings import dbt_dir
    try:
        nodes = json.loads((dbt_dir(warehouse) / "target" / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError):
        return []
    graph = {k: [d for d in n.get("depends_on", {}).get("nodes", []) if d in nodes] for k, n in nodes.items()}
    return [f"{nodes[k]['schema']}.{nodes[k].get('alias') or nodes[k]['name']}"
            for k in TopologicalSorter(graph).static_order() if nodes[k].get("resource_type") == "model"]


def _dependency_order(views: list[tuple[str, str]], order: list[str]) -> list[str]:
    """View definitions in dbt's order (any view dbt does not know, after them)."""
    rank = {name: i for i, name in enumerate(order)}
    return [sql for name, sql in sorted(views, key=lambda v: (rank.get(v[0], len(rank)), v[0]))]


def _swap_symlink(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}.{time.monotonic_ns()}.tmp")
    os.symlink(target, tmp)
    if link.exists() and not link.is_symlink():
        shutil.rmtree(link)
    os.replace(tmp, link)


def _prune(out: Path) -> None:
    current = os.readlink(out / "parquet")
    old = sorted(p for p in out.glob("parquet-*") if p.name != current)
    for p in old[:-(KEEP_PARQUET - 1) or None]:
        shutil.rmtree(p, ignore_errors=True)
    for p in out.glob(f".{SNAPSHOT_DB}.*.tmp"):    # left by a crashed publish
        if time.time() - p.stat().st_mtime > 3600:
            p.unlink(missing_ok=True)


def export_marts(db: Path, out: Path) -> list[Path]:
    """Every marts table of a (snapshot) file as <out>/<mart>.parquet."""
    import duckdb
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'marts' ORDER BY 1").fetchall()]
        files = []
        docs = _comments(con, con.execute("SELECT current_database()").fetchall()[0][0])
        for n in names:
            f = out / f"{n}.parquet"
            meta = _kv_metadata(*docs.get(f"marts.{n}", ("", {})))        # the data dictionary travels along
            con.execute(f"COPY marts.{n} TO {_lit(str(f))} (FORMAT parquet, COMPRESSION zstd{meta})")
            files.append(f)
        return files
    finally:
        con.close()
