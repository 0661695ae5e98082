"""One line of marts.disclosure_comparison for `make demo`."""
from __future__ import annotations

from pathlib import Path


def disclosure_line(warehouse: Path) -> str:
    """The latest year's disclosure figures over all provinces, in one line."""
    import duckdb
    if not Path(warehouse).exists():
        return "disclosure: no warehouse"
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute("""
            SELECT report_year, count(*) AS provinces, sum(n_agencies), sum(requests_received),
                   round(sum(disclosed_in_full) / nullif(sum(requests_handled), 0), 3),
                   round(sum(refused) / nullif(sum(requests_handled), 0), 3),
                   sum(reconsiderations), sum(suits), sum(n_quarantined), sum(n_flagged)
            FROM marts.disclosure_comparison
            GROUP BY report_year ORDER BY report_year DESC LIMIT 1""").fetchone()
    except duckdb.Error as e:
        return f"disclosure: marts.disclosure_comparison not available ({type(e).__name__})"
    finally:
        con.close()
    if not row:
        return "disclosure: no 政府信息公开年报 loaded"
    y, prov, ag, req, sd, sr, rec, suits, held, flagged = row
    return (f"政府信息公开年报 {y}: {ag} agencies in {prov} provinces, {req:g} requests received, "
            f"{sd:.1%} disclosed in full, {sr:.1%} refused, {rec:g} reconsiderations, {suits:g} suits, "
            f"flagged reports: {flagged}, unreadable: {held} (marts.disclosure_comparison)")
