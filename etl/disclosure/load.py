"""raw.disclosure_* rows of one run, inside the load's transaction (called by etl.load).

A report in the batch replaces its earlier rows (cells, quarantine), so re-runs never
duplicate; columns are named in every INSERT, so frame column order never matters.
"""
from __future__ import annotations

import pandas as pd

REPORT_COLS = ["doc_id", "source_id", "url", "title", "report_year", "agency", "province", "province_code",
               "pub_date", "layout", "status", "n_cells", "tried", "content_sha256", "extractor_version", "text"]
CELL_COLS = ["doc_id", "metric", "section", "row_label", "col_label", "unit", "value", "raw", "status",
             "layout", "tbl", "row_no", "col_no", "match", "held"]
QUAR_COLS = ["doc_id", "check_name", "equation", "lhs", "rhs", "figures", "description", "reasons"]


def _frame(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df.reindex(columns=cols) if len(df) else pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    return out.astype(object).where(out.notna(), None)


def load_disclosure(con, run_id: str, now, batch: dict[str, pd.DataFrame]) -> int:  # noqa: ANN001
    """Write the batch; returns the number of reports written."""
    reports = batch.get("reports", pd.DataFrame())
    if not len(reports):
        return 0
    cells = batch.get("cells", pd.DataFrame()).rename(columns={"table": "tbl", "row": "row_no", "col": "col_no"})
    quar = batch.get("quarantine", pd.DataFrame()).rename(columns={"check": "check_name", "describe": "description"})
    con.register("d_reports", _frame(reports, REPORT_COLS))
    for t in ("raw.disclosure_cells", "raw.disclosure_quarantine", "raw.disclosure_reports"):
        con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT doc_id FROM d_reports)")
    cols = ", ".join(REPORT_COLS)
    con.execute(f"INSERT INTO raw.disclosure_reports ({cols}, run_id, loaded_at) "
                f"SELECT {cols}, ?, ? FROM d_reports", [run_id, now])
    con.register("d_cells", _frame(cells, CELL_COLS))
    cols = ", ".join(CELL_COLS)
    con.execute(f"INSERT INTO raw.disclosure_cells ({cols}, run_id) SELECT {cols}, ? FROM d_cells", [run_id])
    con.register("d_quar", _frame(quar, QUAR_COLS))
    cols = ", ".join(QUAR_COLS)
    con.execute(f"INSERT INTO raw.disclosure_quarantine ({cols}, run_id) SELECT {cols}, ? FROM d_quar", [run_id])
    for name in ("d_reports", "d_cells", "d_quar"):
        con.unregister(name)
    return len(reports)
