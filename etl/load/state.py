"""What the warehouse holds is the state: which documents are loaded, from which bytes,
by which extractor and under which data-quality suite. Written by the load in the same
transaction as the facts, so nothing else can disagree with it: a deleted warehouse means
everything is new again (rebuilt from the raw archive), a restored one means what it holds."""
from __future__ import annotations

from pathlib import Path

from .lock import connect
from .schema import table_columns

Loaded = dict[str, tuple[str, str, str]]
Unreadable = dict[str, tuple[str, str, str, str]]


def document_state(warehouse: Path, source_ids: list[str] | None = None,
                   timeout_s: float | None = None) -> tuple[Loaded, Unreadable]:
    """(loaded_state, unreadable_state) through one read-only connection: both {} when
    the warehouse does not exist yet."""
    if not warehouse.exists():
        return {}, {}
    con = connect(warehouse, read_only=True, timeout_s=timeout_s)
    try:
        return loaded_state(con, source_ids), unreadable_state(con, source_ids)
    finally:
        con.close()


def _read(con, table: str, query, source_ids: list[str] | None) -> dict:
    """Run `query(columns) -> (sql, where-joiner, tail)`: {} when the table does not exist
    yet; `source_ids` narrows to those sources."""
    try:
        cols = set(table_columns(con, table))
    except LookupError:                        # a warehouse from before the table existed
        return {}
    built = query(cols)
    if built is None:
        return {}
    sql, joiner, tail = built
    params: list = []
    if source_ids is not None:
        sql += f" {joiner} list_contains(?, source_id)"
        params = [list(source_ids)]
    return {row[0]: tuple(v or "" for v in row[1:]) for row in con.execute(sql + tail, params).fetchall()}


def loaded_state(con, source_ids: list[str] | None = None) -> Loaded:
    """{doc_id: (content_sha256, extractor_version, suite_version)} of loaded documents."""
    def query(cols: set[str]):
        suite = "suite_version" if "suite_version" in cols else "''"
        return f"SELECT doc_id, content_sha256, extractor_version, {suite} FROM raw.documents", "WHERE", ""
    return _read(con, "raw.documents", query, source_ids)


def unreadable_state(con, source_ids: list[str] | None = None) -> Unreadable:
    """{doc_id: (content_sha256, extractor_version, stage, error)} of documents whose latest
    recorded outcome is that no text could be read (and that are not loaded since)."""
    def query(cols: set[str]):
        if "content_sha256" not in cols:
            return None
        return ("SELECT doc_id, arg_max(content_sha256, seen_at), arg_max(extractor_version, seen_at), "
                "arg_max(stage, seen_at), arg_max(error, seen_at) FROM raw.document_errors "
                "WHERE content_sha256 IS NOT NULL AND doc_id NOT IN (SELECT doc_id FROM raw.documents)",
                "AND", " GROUP BY doc_id")
    return _read(con, "raw.document_errors", query, source_ids)
