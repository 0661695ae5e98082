"""raw.disclosure_*, dq.disclosure_checks and dq.disclosure_warnings of one run, inside the
load's transaction (called by etl.load).

A report in the batch replaces its earlier rows (cells, checks), so re-runs never
duplicate; columns are named in every INSERT, so frame column order never matters. The
warnings across years and between prose and tables are recomputed over everything loaded
(sql/disclosure/warnings.sql): a report loaded today may complete last year's pair.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd


REPORT_COLS = ["doc_id", "source_id", "url", "title", "report_year", "agency", "province", "province_code",
               "pub_date", "layout", "status", "n_cells", "tried", "content_sha256", "extractor_version", "text"]
CELL_COLS = ["doc_id", "metric", "section", "row_label", "col_label", "unit", "value", "raw", "status",
             "layout", "tbl", "row_no", "col_no", "match", "held", "note", "flagged"]
CHECK_COLS = ["doc_id", "check_name", "status", "equation", "lhs", "rhs", "figures", "cells", "unread",
              "convention", "description", "reasons"]
WARNINGS_SQL = Path("disclosure") / "warnings.sql"      # under the settings' sql_dir


def _frame(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df.reindex(columns=cols) if len(df) else pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    return out.astype(object).where(out.notna(), None)


def load_disclosure(con, run_id: str, now, batch: dict[str, pd.DataFrame]) -> int:  # noqa: ANN001
    """Write the batch; returns the number of reports written."""
    reports = batch.get("reports", pd.DataFrame())
    if len(reports):
        cells = batch.get("cells", pd.DataFrame()).rename(columns={"table": "tbl", "row": "row_no", "col": "col_no"})
        if len(cells):
            cells = cells.assign(held=False)          # nothing is held back: flagged cells are loaded
        checks = batch.get("checks", pd.DataFrame()).rename(columns={"check": "check_name", "describe": "description"})
        con.register("d_reports", _frame(reports, REPORT_COLS))
        for t in ("raw.disclosure_cells", "raw.disclosure_quarantine", "raw.disclosure_reports", "dq.disclosure_checks"):
            con.execute(f"DELETE FROM {t} WHERE doc_id IN (SELECT doc_id FROM d_reports)")
        cols = ", ".join(REPORT_COLS)
        con.execute(f"INSERT INTO raw.disclosure_reports ({cols}, run_id, loaded_at) "
                    f"SELECT {cols}, ?, ? FROM d_reports", [run_id, now])
        con.register("d_cells", _frame(cells, CELL_COLS))
        cols = ", ".join(CELL_COLS)
        con.execute(f"INSERT INTO raw.disclosure_cells ({cols}, run_id) SELECT {cols}, ? FROM d_cells", [run_id])
        con.register("d_checks", _frame(checks, CHECK_COLS))
        cols = ", ".join(CHECK_COLS)
        con.execute(f"INSERT INTO dq.disclosure_checks ({cols}, run_id, seen_at) SELECT {cols}, ?, ? FROM d_checks",
                    [run_id, now])
        for name in ("d_reports", "d_cells", "d_checks"):
            con.unregister(name)
    refresh_warnings(con, now)
    return len(reports)


def refresh_warnings(con, now) -> None:  # noqa: ANN001
    """Recompute dq.disclosure_warnings over every loaded report (same transaction)."""
    from ..settings import load_settings
    con.execute("DELETE FROM dq.disclosure_warnings")
    con.execute((load_settings().sql_dir / WARNINGS_SQL).read_text(encoding="utf-8"), [now])
