"""Load: the only stage that writes DuckDB, in one transaction per run.

Documents in the batch replace their previous rows (facts, quarantine) so a re-run or a
re-published report never duplicates anything; on any error the transaction rolls back
and the warehouse is exactly as it was. The SQL layers in `sql/` are applied in file
order inside the same transaction.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .warehouse.models import build_models
from .warehouse.snapshot import publish_snapshot

log = logging.getLogger(__name__)

DOC_COLS = ["doc_id", "source_id", "url", "title", "fmt", "pages", "pub_date", "content_source",
            "report_year", "script", "inferred_agency", "inferred_province", "content_sha256",
            "extractor_version", "text"]
FACT_COLS = ["fact_id", "doc_id", "seq", "metric", "category", "value", "unit", "qualifier",
             "subject", "quote", "start_pos", "end_pos", "sentence", "part_of_seq",
             "extractor_version"]
QUAR_COLS = ["fact_id", "doc_id", "metric", "category", "value", "unit", "qualifier", "quote", "reasons"]
SOURCE_COLS = ["source_id", "agency", "province", "province_code", "city", "county", "level", "listing_url"]
ERROR_COLS = ["source_id", "url", "stage", "error"]


@dataclass
class Batch:
    """Everything one run loads."""
    run_id: str
    sources: pd.DataFrame
    documents: pd.DataFrame
    facts: pd.DataFrame
    quarantine: pd.DataFrame
    errors: pd.DataFrame
    counts: dict = field(default_factory=dict)


def sql_files(sql_dir: Path) -> list[Path]:
    return sorted(sql_dir.glob("[0-9]*.sql"))


def apply_sql(con, sql_dir: Path) -> None:
    for f in sql_files(sql_dir):
        con.execute(f.read_text(encoding="utf-8"))


def _frame(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Exactly `cols`, in order (missing ones as NULL), so INSERT ... SELECT * lines up."""
    out = df.reindex(columns=cols) if len(df) else pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    return out.astype(object).where(out.notna(), None)


def load_batch(warehouse: Path, sql_dir: Path, batch: Batch) -> dict:
    import duckdb
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, sql_dir)
        con.register("b_sources", _frame(batch.sources, SOURCE_COLS))
        con.execute("INSERT OR REPLACE INTO raw.sources SELECT * FROM b_sources")
        docs = _frame(batch.documents, DOC_COLS)
        con.register("b_docs", docs)
        for table in ("raw.facts", "raw.quarantine", "raw.documents"):
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT doc_id FROM b_docs)")
        con.execute("INSERT INTO raw.documents SELECT *, ?, ? FROM b_docs", [batch.run_id, now])
        con.register("b_facts", _frame(batch.facts, FACT_COLS))
        con.execute("INSERT INTO raw.facts SELECT *, ? FROM b_facts", [batch.run_id])
        con.register("b_quar", _frame(batch.quarantine, QUAR_COLS))
        con.execute("INSERT INTO raw.quarantine SELECT *, ? FROM b_quar", [batch.run_id])
        con.register("b_err", _frame(batch.errors, ERROR_COLS))
        con.execute("DELETE FROM raw.document_errors WHERE run_id = ?", [batch.run_id])
        con.execute("INSERT INTO raw.document_errors SELECT ?, *, ? FROM b_err", [batch.run_id, now])
        con.execute("INSERT OR REPLACE INTO raw.runs VALUES (?, ?, ?)",
                    [batch.run_id, now, json.dumps(batch.counts, ensure_ascii=False)])
        from .disclosure.load import load_disclosure     # 政府信息公开年报 cells (etl/disclosure)
        load_disclosure(con, batch.run_id, now, getattr(batch, "disclosure", None) or {})
        loaded = con.execute("SELECT doc_id, content_sha256, extractor_version FROM raw.documents").fetchall()
        build_models(con, sql_dir)             # staging/core/marts rebuilt in the same transaction
        con.execute("COMMIT")
    except Exception:
        try:
            con.execute("ROLLBACK")
        except Exception:                     # keep the original error, not the rollback's
            log.exception("rollback failed")
        raise
    finally:
        con.close()
    publish_snapshot(warehouse)               # readers get the committed state, never a half load
    return {d: [sha, ver] for d, sha, ver in loaded}


def query(warehouse: Path, sql: str, params: list | None = None) -> pd.DataFrame:
    """Read-only query (analyst helpers and the demo's printout)."""
    import duckdb
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).df()
    finally:
        con.close()
