"""Year-on-year context for each fact: the same agency's largest value for the same metric,
unit and subject (one series: 出动执法人员 in 人次, not every enforcement figure) in the previous report year, from this batch or from what the warehouse already holds. The
facts suite then flags a ratio beyond ETL_YOY_FACTOR either way as a warning (the value
loads; a 10x jump is as often a real campaign as a misread number: a person decides)."""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

log = logging.getLogger(__name__)

KEY = ["agency", "metric", "unit", "subject", "report_year"]
SKIP_METRICS = {"other"}            # unclaimed numbers are not one series


def history(warehouse: Path, exclude_docs: list[str]) -> pd.DataFrame:
    """(agency, metric, unit, subject, report_year, value) of loaded facts, the batch's documents left out
    (they are being replaced)."""
    if not warehouse.exists():
        return pd.DataFrame(columns=KEY + ["value"])
    from ..load.lock import connect
    con = connect(warehouse, read_only=True)
    try:
        if not con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema='raw' "
                           "AND table_name IN ('facts','documents','sources')").fetchone()[0] == 3:
            return pd.DataFrame(columns=KEY + ["value"])
        return con.execute("""
            SELECT coalesce(nullif(s.agency, ''), d.inferred_agency) AS agency, f.metric,
                   f.unit, f.subject, d.report_year, f.value
            FROM raw.facts f JOIN raw.documents d USING (doc_id)
            LEFT JOIN raw.sources s ON s.source_id = d.source_id
            WHERE NOT list_contains(?, f.doc_id)""", [list(exclude_docs)]).df()
    finally:
        con.close()


def add_yoy(facts: pd.DataFrame, past: pd.DataFrame) -> pd.DataFrame:
    """Facts with `yoy_previous` (last year's largest value) and `yoy_ratio` (the fact's
    (agency, metric, year) largest value over it); NaN where there is nothing to compare."""
    out = facts.copy()
    out["yoy_previous"] = np.nan
    out["yoy_ratio"] = np.nan
    if not len(facts) or not set(KEY + ["value"]) <= set(facts.columns):
        return out
    cols = KEY + ["value"]
    both = pd.concat([facts[cols], past[cols]], ignore_index=True)
    both["value"] = pd.to_numeric(both["value"], errors="coerce")
    both["report_year"] = pd.to_numeric(both["report_year"], errors="coerce")
    both[["unit", "subject"]] = both[["unit", "subject"]].fillna("")
    both = both.dropna()
    both = both[~both["metric"].isin(SKIP_METRICS) & (both["value"] > 0)]
    peak = both.groupby(KEY, as_index=False)["value"].max()
    prev = peak.assign(report_year=peak["report_year"] + 1).rename(columns={"value": "yoy_previous"})
    cur = peak.rename(columns={"value": "peak"})
    joined = cur.merge(prev, on=KEY, how="inner")
    joined["yoy_ratio"] = joined["peak"] / joined["yoy_previous"]
    key = out[KEY].copy()
    key[["unit", "subject"]] = key[["unit", "subject"]].fillna("")
    key["report_year"] = pd.to_numeric(key["report_year"], errors="coerce")
    m = key.merge(joined, on=KEY, how="left")
    value = pd.to_numeric(out["value"], errors="coerce").to_numpy()
    is_peak = np.isclose(value, m["peak"].to_numpy())     # flag the figure that jumped, not its parts
    out["yoy_previous"] = np.where(is_peak, m["yoy_previous"].to_numpy(), np.nan)
    out["yoy_ratio"] = np.where(is_peak, m["yoy_ratio"].to_numpy(), np.nan)
    return out
