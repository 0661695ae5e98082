"""Throughput of the data-quality gate: `.venv/bin/python benchmarks/bench_validate.py`.

Builds synthetic fact frames (1% bad rows spread over the row rules) and prints rows/s for
validate_facts. The first call pays the great-expectations import and is reported apart.
No timed asserts: numbers depend on the machine.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from etl.validate import validate_facts  # noqa: E402

UNITS = np.array(["次", "件", "人次", "家次", "项", "个", "%", "元", ""])
CATEGORIES = np.array(["enforcement_inspections", "cases_handled", "training_participants",
                       "units_inspected", "power_list_items", "organization", "rate_pct",
                       "penalties_amount", "other"])


def make_facts(n: int, bad_share: float = 0.01, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kind = rng.integers(0, len(UNITS), n)
    start = rng.integers(0, 50_000, n)
    df = pd.DataFrame({
        "fact_id": [f"doc{i // 40:05d}-{i % 40:04d}" for i in range(n)],
        "doc": [f"doc{i // 40:05d}" for i in range(n)],
        "metric": "other",
        "category": CATEGORIES[kind],
        "value": np.where(UNITS[kind] == "%", rng.uniform(0, 100, n), rng.integers(0, 100_000, n).astype(float)),
        "unit": UNITS[kind],
        "qualifier": rng.choice(["exact", "more_than", "approx"], n),
        "quote": "开展联合检查12次",
        "start": start,
        "end": start + rng.integers(3, 30, n),
        "subject": "联合检查",
        "sentence": "全年开展联合检查12次。",
        "part_of": None,
        "extractor_version": "bench",
        "agency": "某市文化和旅游局",
        "province": "湖北省",
        "province_code": "420000",
        "report_year": rng.integers(2018, 2026, n),
    })
    _spoil(df, rng, int(n * bad_share))
    return df


def _spoil(df: pd.DataFrame, rng: np.random.Generator, k: int) -> None:
    """Break k rows, each one way, so quarantine bookkeeping is part of the timing."""
    rows = rng.choice(len(df), k, replace=False)
    for j, i in enumerate(rows):
        col, val = [("value", -1.0), ("category", "nope"), ("quote", ""), ("province_code", "42"),
                    ("report_year", 1999), ("end", 0)][j % 6]
        df.at[i, col] = val


def bench(n: int, repeat: int = 3) -> None:
    df = make_facts(n)
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = validate_facts(df)
        times.append(time.perf_counter() - t)
    best = min(times)
    print(f"{n:>8,} rows: best {best:6.2f} s  ->  {n / best:>10,.0f} rows/s  "
          f"(quarantined {out.summary['n_quarantined']:,})")


def main() -> None:
    t = time.perf_counter()
    validate_facts(make_facts(10))
    print(f"first call (GX import + context): {time.perf_counter() - t:.2f} s")
    for n in (10_000, 100_000):
        bench(n)


if __name__ == "__main__":
    main()
