"""A person's review of a flagged disclosure report: one row in dq.disclosure_review, then
the models rebuilt (dbt build) so the marts honour it at once, and the snapshot
republished when the build passed (readers see the review with the marts it changed)."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

DECISIONS = ("accepted", "rejected")


def record_review(warehouse: Path, sql_dir: Path, doc_id: str, decision: str, by: str, note: str = "") -> dict:
    """Record the review of a loaded report (LookupError when no such report was loaded)."""
    from ..load.batch import apply_sql
    from ..load.lock import connect
    from ..warehouse.build import build_warehouse
    from ..warehouse.snapshot import publish_snapshot
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {DECISIONS}")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    con = connect(warehouse)
    try:
        con.execute("BEGIN TRANSACTION")
        apply_sql(con, sql_dir)
        found = con.execute("SELECT status FROM raw.disclosure_reports WHERE doc_id = ?", [doc_id]).fetchall()
        if not found or found[0][0] not in ("loaded", "flagged"):
            con.execute("ROLLBACK")
            raise LookupError(f"no loaded disclosure report {doc_id!r} (python -m etl disclosure review lists them)")
        con.execute("INSERT INTO dq.disclosure_review (doc_id, decision, reviewed_by, note, reviewed_at) "
                    "VALUES (?, ?, ?, ?, ?)", [doc_id, decision, by, note, now])
        con.execute("COMMIT")
    except LookupError:
        raise
    except Exception:
        con.execute("ROLLBACK")
        raise
    finally:
        con.close()
    if build_warehouse(warehouse, sql_dir, run_id=f"review:{doc_id}").ok:
        publish_snapshot(warehouse)
    return {"doc_id": doc_id, "decision": decision, "reviewed_by": by, "note": note, "reviewed_at": now,
            "status_before": found[0][0]}


def flagged_reports(warehouse: Path) -> list[dict]:
    """The loaded reports a failed check flagged, with their latest review."""
    import duckdb
    if not Path(warehouse).exists():
        return []
    from ..load.lock import connect
    con = connect(warehouse, read_only=True)
    try:
        try:
            cur = con.execute("""SELECT doc_id, agency, report_year, n_failed_checks, review_decision, url
                                 FROM core.disclosure_report WHERE status = 'flagged'
                                 ORDER BY review_decision NULLS FIRST, agency, report_year""")
        except duckdb.Error:
            return []
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        con.close()
