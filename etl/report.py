"""What the demo prints: the last run's counts and the provincial comparison."""
from __future__ import annotations

import json

import pandas as pd

from .load import query
from .settings import Settings, load_settings

COMPARISON_SQL = """
WITH latest AS (SELECT max(report_year) AS y FROM marts.province_comparison)
SELECT report_year, province, metric, unit, n_agencies,
       coalesce(total, mean_pct) AS value, n_lower_bounds
FROM marts.province_comparison, latest
WHERE report_year = latest.y
"""


def last_run(settings: Settings) -> tuple[str, dict]:
    df = query(settings.warehouse, "SELECT run_id, counts FROM raw.runs ORDER BY loaded_at DESC LIMIT 1")
    if df.empty:
        return "", {}
    return df.run_id[0], json.loads(df.counts[0])


def comparison_table(settings: Settings, top_metrics: int = 12) -> tuple[int | None, pd.DataFrame]:
    """Province x metric for the latest report year (the metrics most provinces report)."""
    df = query(settings.warehouse, COMPARISON_SQL)
    if df.empty:
        return None, df
    year = int(df.report_year.iloc[0])
    df["metric"] = df["metric"] + " (" + df["unit"].fillna("") + ")"
    keep = df.groupby("metric")["province"].nunique().sort_values(ascending=False).head(top_metrics).index
    pivot = (df[df.metric.isin(keep)]
             .assign(cell=lambda d: d.value.map(lambda v: f"{v:,.0f}" if v >= 100 else f"{v:g}")
                     + d.n_lower_bounds.map(lambda n: "+" if n else ""))
             .pivot_table(index="metric", columns="province", values="cell", aggfunc="first")
             .fillna("-"))
    return year, pivot


def print_report(settings: Settings | None = None) -> int:
    settings = settings or load_settings()
    if not settings.warehouse.exists():
        print(f"no warehouse at {settings.warehouse}: run the pipeline first")
        return 1
    run_id, counts = last_run(settings)
    print(f"\nLast load: {run_id}")
    for k, v in counts.items():
        print(f"  {k.replace('_', ' '):<22}{v:>8}")
    year, table = comparison_table(settings)
    if year is None:
        print("no facts loaded yet")
        return 1
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.unicode.east_asian_width", True):
        print(f"\nProvincial comparison, report year {year} (counts summed over agencies, rates averaged; '+' = includes lower bounds such as 余/以上):")
        print(table.to_string())
    n = query(settings.warehouse, "SELECT count(*) AS n FROM core.fact_metric").n[0]
    print(f"\n{n} facts in core.fact_metric; query {settings.warehouse} with duckdb for the rest.")
    return 0
