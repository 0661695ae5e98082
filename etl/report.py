"""What the demo prints (the last run's counts and the provincial comparison) and the
static HTML report (`python -m etl report --out FILE`). Both read the published snapshot,
never the file the load writes."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from .settings import Settings, load_settings
from .warehouse.snapshot import snapshot_path

COMPARISON_SQL = """
WITH latest AS (SELECT max(report_year) AS y FROM marts.province_comparison)
SELECT report_year, province, level, metric, unit, n_agencies,
       coalesce(total, median) AS value, n_lower_bounds
FROM marts.province_comparison, latest
WHERE report_year = latest.y AND kind = 'count'
"""


def _query(db: Path, sql: str) -> pd.DataFrame:
    from .load import query                 # the one read-only helper (waits for a held lock)
    return query(db, sql)


def _db(settings: Settings) -> Path:
    snap = snapshot_path(settings.warehouse)
    return snap if snap.exists() else settings.warehouse


def last_run(settings: Settings) -> tuple[str, dict]:
    df = _query(_db(settings), "SELECT run_id, counts FROM raw.runs ORDER BY loaded_at DESC LIMIT 1")
    if df.empty:
        return "", {}
    return df.run_id[0], json.loads(df.counts[0])


def comparison_table(settings: Settings, top_metrics: int = 12) -> tuple[int | None, pd.DataFrame]:
    """Metric x province for the latest report year, one column per province and level
    (levels are never added together); the metrics most provinces report."""
    df = _query(_db(settings), COMPARISON_SQL)
    if df.empty:
        return None, df
    year = int(df.report_year.iloc[0])
    df["metric"] = df["metric"] + " (" + df["unit"].fillna("") + ")"
    df["where"] = df["province"] + "/" + df["level"].str[:2]
    keep = df.groupby("metric")["province"].nunique().sort_values(ascending=False).head(top_metrics).index
    pivot = (df[df.metric.isin(keep)]
             .assign(cell=lambda d: d.value.map(lambda v: f"{v:,.0f}" if v >= 100 else f"{v:g}")
                     + d.n_lower_bounds.map(lambda n: "+" if n else ""))
             .pivot_table(index="metric", columns="where", values="cell", aggfunc="first")
             .fillna("-"))
    return year, pivot


def print_report(settings: Settings | None = None) -> int:
    settings = settings or load_settings()
    db = _db(settings)
    if not db.exists():
        print(f"no warehouse at {settings.warehouse}: run the pipeline first")
        return 1
    run_id, counts = last_run(settings)
    from .pipeline.finish import read_verdict          # the one verdict (etl/notify/verdict.py)
    v = read_verdict(settings, run_id)
    print(f"\nLast load: {run_id}" + (f"  verdict: {v['verdict']}" if v and "verdict" in v else ""))
    for k, v in counts.items():
        print(f"  {k.replace('_', ' '):<22}{v:>8}")
    year, table = comparison_table(settings)
    if year is None:
        print("no facts loaded yet")
        return 1
    with pd.option_context("display.width", 250, "display.max_columns", 30, "display.unicode.east_asian_width", True):
        print(f"\nProvincial comparison, report year {year}: one figure per agency, summed per province and level "
              f"(pr = province-level departments, ci = cities, co = counties; never added together); "
              f"'+' = a lower bound (余/以上). Rates: marts.province_comparison WHERE kind = 'rate'.")
        print(table.to_string())
    n = _query(db, "SELECT count(*) AS n FROM core.fact_metric").n[0]
    print(f"\n{n} facts in core.fact_metric. Read-only snapshot: {db}  (python -m etl sql \"...\", python -m etl shell)")
    return 0


def html_report(out: str | Path, settings: Settings | None = None) -> int:
    from .warehouse.report_html import write_report
    settings = settings or load_settings()
    snap = snapshot_path(settings.warehouse)
    if not snap.exists():
        print(f"no snapshot at {snap}: run the pipeline first")
        return 1
    print(write_report(snap, Path(out), verdict=_verdict(settings), cache_dir=settings.data_dir / "cache"))
    return 0


def demo_epilogue(settings: Settings | None = None) -> str:
    """The last lines of `make demo`: where the snapshot and the HTML report are."""
    from .warehouse.report_html import write_report
    settings = settings or load_settings()
    snap = snapshot_path(settings.warehouse)
    if not snap.exists():
        return f"no snapshot at {snap}: the load did not publish one (see the log)"
    report = write_report(snap, settings.data_dir / "report.html", verdict=_verdict(settings),
                          cache_dir=settings.data_dir / "cache")
    return (f"\nRead-only snapshot (DuckDB file, opens in duckdb-cli 1.5.x): {snap}\n"
            f"  Parquet copy + views.sql: {snap.parent / 'parquet'}\n"
            f"  .venv/bin/python -m etl sql \"FROM marts.province_comparison LIMIT 5\"   |   .venv/bin/python -m etl shell\n"
            f"Analyst view (static, offline: filters, map, drill-down to quotes, CSV): open {report.resolve().as_uri()}\n"
            f"  rewrite it: .venv/bin/python -m etl report --out report.html   (after every load: ETL_REPORT_HTML=path)")


def _verdict(settings: Settings) -> dict | None:
    """The last run's verdict as its finish task wrote it (staging), so the view says what the run said."""
    from .runstore import VERDICT, RunStore
    run_id, _ = last_run(settings)
    try:
        return RunStore(settings, run_id).get(VERDICT) if run_id else None
    except OSError:
        return None
