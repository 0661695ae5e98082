"""What the warehouse holds is the state: which documents are loaded, from which bytes,
by which extractor and under which data-quality suite. Written by the load in the same
transaction as the facts, so nothing else can disagree with it: a deleted warehouse means
everything is new again (rebuilt from the raw archive), a restored one means what it holds."""
from __future__ import annotations

from pathlib import Path

from .lock import connect


def loaded_state(warehouse: Path, source_ids: list[str] | None = None,
                 timeout_s: float | None = None) -> dict[str, tuple[str, str, str]]:
    """{doc_id: (content_sha256, extractor_version, suite_version)} of loaded documents."""
    if not warehouse.exists():
        return {}
    con = connect(warehouse, read_only=True, timeout_s=timeout_s)
    try:
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = 'documents'").fetchall()}
        if not cols:
            return {}
        suite = "suite_version" if "suite_version" in cols else "''"
        sql = f"SELECT doc_id, content_sha256, extractor_version, {suite} FROM raw.documents"
        params: list = []
        if source_ids is not None:
            sql += " WHERE list_contains(?, source_id)"
            params = [list(source_ids)]
        return {d: (sha or "", ver or "", sv or "") for d, sha, ver, sv in con.execute(sql, params).fetchall()}
    finally:
        con.close()


def unreadable_state(warehouse: Path, source_ids: list[str] | None = None,
                     timeout_s: float | None = None) -> dict[str, tuple[str, str, str, str]]:
    """{doc_id: (content_sha256, extractor_version, stage, error)} of documents whose latest
    recorded outcome is that no text could be read (and that are not loaded since)."""
    if not warehouse.exists():
        return {}
    con = connect(warehouse, read_only=True, timeout_s=timeout_s)
    try:
        cols = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = 'raw' AND table_name = 'document_errors'").fetchall()}
        if "content_sha256" not in cols:
            return {}
        sql = ("SELECT doc_id, arg_max(content_sha256, seen_at), arg_max(extractor_version, seen_at), "
               "arg_max(stage, seen_at), arg_max(error, seen_at) FROM raw.document_errors "
               "WHERE content_sha256 IS NOT NULL AND doc_id NOT IN (SELECT doc_id FROM raw.documents)")
        params: list = []
        if source_ids is not None:
            sql += " AND list_contains(?, source_id)"
            params = [list(source_ids)]
        sql += " GROUP BY doc_id"
        return {d: (sha or "", ver or "", st or "", err or "") for d, sha, ver, st, err in con.execute(sql, params).fetchall()}
    finally:
        con.close()
