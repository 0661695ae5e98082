"""One run's rows into DuckDB in one transaction.

Documents in the batch replace their previous rows (facts, quarantine) so a re-run or a
re-published report never duplicates anything; the facts they replace by different ones
(or drop) are kept in `raw.fact_versions`, so older extractor versions stay queryable; a
fact reloaded unchanged is not history and is not copied. Every error row carries its
kind (`error_kind`), the same word as the listed report's decision in raw.discovery. The run's error rows,
data-quality results and its `raw.runs` row are written by run id (a re-run of the same
run id replaces them, keeping one set of counts). On any error the transaction rolls back
and the warehouse is exactly as it was. The raw DDL (`sql/0*.sql`) is applied in file order
inside the same transaction. The modelled layers are dbt's (etl/warehouse/build.py), built
after the commit: `load_and_build` is the whole step (raw, dbt build, snapshot).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from ..http import error_kind
from .lock import connect
from .schema import insert, table_columns

log = logging.getLogger(__name__)


def _empty() -> pd.DataFrame:
    return pd.DataFrame()


@dataclass
class Batch:
    """Everything one run loads."""
    run_id: str
    sources: pd.DataFrame
    documents: pd.DataFrame
    facts: pd.DataFrame
    quarantine: pd.DataFrame          # dq.quarantine rows: one per (row, failed expectation)
    errors: pd.DataFrame
    counts: dict = field(default_factory=dict)
    results: pd.DataFrame = field(default_factory=_empty)    # dq.results: one per expectation
    warnings: pd.DataFrame = field(default_factory=_empty)   # dq.warnings: loaded, but listed
    suite_version: str = ""
    revalidated: list[str] = field(default_factory=list)      # doc ids re-checked, not re-parsed
    discovery: pd.DataFrame = field(default_factory=_empty)   # raw.discovery: every listed item
    disclosure: dict = field(default_factory=dict)            # 政府信息公开年报 cells (etl/disclosure)


def sql_files(sql_dir: Path) -> list[Path]:
    return sorted(sql_dir.glob("[0-9]*.sql"))


def apply_sql(con, sql_dir: Path) -> None:
    for f in sql_files(sql_dir):
        con.execute(f.read_text(encoding="utf-8"))


def _doc_ids(batch: Batch) -> pd.DataFrame:
    ids = list(batch.documents["doc_id"]) if len(batch.documents) else []
    ids += [d for d in batch.revalidated if d not in set(ids)]
    return pd.DataFrame({"doc_id": pd.Series(ids, dtype=object)})


# What makes two facts the same fact: all of raw.facts but the run that loaded it and the
# extractor's version string (a new version that reads the same fact replaces nothing).
_NOT_COMPARED = ("run_id", "extractor_version")


def _stash_facts(con) -> None:
    """The batch's documents' facts as loaded before this run (compared after the insert)."""
    con.execute("CREATE OR REPLACE TEMP TABLE b_old_facts AS "
                "SELECT * FROM raw.facts WHERE doc_id IN (SELECT doc_id FROM b_doc_ids)")


def _keep_fact_versions(con, run_id: str, now: datetime) -> int:
    """Stashed facts that the load replaced by a different fact (or none) go to
    raw.fact_versions (by name: its columns follow raw.facts); identical ones do not."""
    versions = set(table_columns(con, "raw.fact_versions"))
    cols = [c for c in table_columns(con, "raw.facts") if c in versions]
    same = " AND ".join(f"n.{c} IS NOT DISTINCT FROM o.{c}" for c in cols if c not in _NOT_COMPARED)
    names = ", ".join(cols)
    kept = con.execute(
        f"INSERT INTO raw.fact_versions ({names}, superseded_by_run, superseded_at) "
        f"SELECT {', '.join('o.' + c for c in cols)}, ?, ? FROM b_old_facts o "
        f"WHERE NOT EXISTS (SELECT 1 FROM raw.facts n WHERE {same})", [run_id, now]).fetchone()
    con.execute("DROP TABLE b_old_facts")
    return int(kept[0]) if kept else 0


def _with_kinds(errors: pd.DataFrame) -> pd.DataFrame:
    if not len(errors):
        return errors
    given = errors["kind"] if "kind" in errors.columns else pd.Series("", index=errors.index)
    kinds = [error_kind(str(st or ""), str(err or ""), str(k) if isinstance(k, str) else "")
             for st, err, k in zip(errors.get("stage", given), errors.get("error", given), given)]
    return errors.assign(kind=kinds)


def _write(con, batch: Batch, now: datetime) -> None:
    run = {"run_id": batch.run_id}
    insert(con, "raw.sources", batch.sources, verb="INSERT OR REPLACE")
    con.register("b_doc_ids", _doc_ids(batch))
    _stash_facts(con)
    con.execute("DELETE FROM raw.facts WHERE doc_id IN (SELECT doc_id FROM b_doc_ids)")
    con.execute("DELETE FROM dq.quarantine WHERE doc_id IN (SELECT doc_id FROM b_doc_ids)")
    con.execute("DELETE FROM dq.warnings WHERE doc_id IN (SELECT doc_id FROM b_doc_ids)")
    if batch.revalidated:      # still loaded, checked again under this suite
        con.execute("UPDATE raw.documents SET suite_version = ? WHERE doc_id IN (SELECT doc_id FROM b_doc_ids)",
                    [batch.suite_version])
    if len(batch.documents):
        con.execute("DELETE FROM raw.documents WHERE list_contains(?, doc_id)", [list(batch.documents["doc_id"])])
    insert(con, "raw.documents", batch.documents, **run, loaded_at=now, suite_version=batch.suite_version)
    insert(con, "raw.facts", batch.facts, **run)
    _keep_fact_versions(con, batch.run_id, now)
    insert(con, "dq.quarantine", batch.quarantine, **run, quarantined_at=now, suite_version=batch.suite_version)
    insert(con, "dq.warnings", batch.warnings, **run, seen_at=now)
    for table, df in (("raw.document_errors", _with_kinds(batch.errors)), ("dq.results", batch.results),
                      ("raw.discovery", batch.discovery)):
        con.execute(f"DELETE FROM {table} WHERE run_id = ?", [batch.run_id])
        insert(con, table, df, **run, seen_at=now)
    con.execute("INSERT OR REPLACE INTO raw.runs (run_id, loaded_at, counts) VALUES (?, ?, ?)",
                [batch.run_id, now, json.dumps(batch.counts, ensure_ascii=False)])
    con.unregister("b_doc_ids")
    from ..disclosure.load import load_disclosure     # 政府信息公开年报 cells (etl/disclosure)
    load_disclosure(con, batch.run_id, now, batch.disclosure or {})


def load_batch(warehouse: Path, sql_dir: Path, batch: Batch, lock_timeout_s: float | None = None) -> dict:
    """Write the batch in one transaction; returns {table: rows written}."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con = connect(warehouse, timeout_s=lock_timeout_s)
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, sql_dir)
        _write(con, batch, now)
        written = {"documents": len(batch.documents), "facts": len(batch.facts),
                   "quarantine": len(batch.quarantine), "errors": len(batch.errors)}
        con.execute("COMMIT")
    except Exception:
        try:
            con.execute("ROLLBACK")
        except Exception:                     # keep the original error, not the rollback's
            log.exception("rollback failed")
        raise
    finally:
        con.close()
    return written


def load_and_build(warehouse: Path, sql_dir: Path, batch: Batch, lock_timeout_s: float | None = None) -> dict:
    """The load step: raw rows in one transaction, then `dbt build` (models and their tests),
    then the read-only snapshot, published only when the build passed (analysts otherwise
    keep the last good one). Returns load_batch's counts plus `build` (BuildResult)."""
    from ..warehouse.build import build_warehouse
    from ..warehouse.snapshot import publish_snapshot
    written = load_batch(warehouse, sql_dir, batch, lock_timeout_s)
    built = build_warehouse(warehouse, sql_dir, run_id=batch.run_id, lock_timeout_s=lock_timeout_s)
    if built.ok:
        publish_snapshot(warehouse)           # readers get the committed, tested state
    return {**written, "models_rebuilt": built.ok and not built.skipped, "build": built}


def query(warehouse: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Read-only query (analyst helpers and the demo's printout)."""
    con = connect(warehouse, read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()
