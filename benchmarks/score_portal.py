"""Score the whole pipeline (fetch -> parse -> extract -> load) against the demo portal's
planted facts: prints the facts missing from and extra in the warehouse, and F1.

    .venv/bin/python benchmarks/score_portal.py
"""
from __future__ import annotations

import json
import logging
import tempfile
from collections import Counter
from dataclasses import replace
from pathlib import Path

import duckdb

from demo_portal.generator import build_site
from demo_portal.server import Portal
from etl.pipeline.runner import run_all
from etl.settings import load_settings

KEY = ("agency", "report_year", "category", "value", "unit", "qualifier")


def main() -> None:
    logging.disable(logging.WARNING)
    tmp = Path(tempfile.mkdtemp(prefix="score-portal-"))
    site = build_site(tmp / "site")
    with Portal(site) as p:
        s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "wh.duckdb",
                    portal_url=p.base_url, timeout_s=1, retries=1, politeness_s=0)
        run_all("score", s)
    truth = [json.loads(line) for line in (site / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        rows = con.execute(f"SELECT {', '.join(KEY)}, quote, metric FROM core.fact_metric").fetchall()
    key = lambda r: (r[0], int(r[1]), r[2], float(r[3]), r[4], r[5])  # noqa: E731
    t = Counter(key([r[k] for k in KEY]) for r in truth)
    got = Counter(key(r) for r in rows)
    quotes = {key([r[k] for k in KEY]): r["quote"] for r in truth}
    loaded = {key(r): r[6:] for r in rows}
    for k in t - got:
        print("missing", k, quotes[k])
    for k in got - t:
        print("extra  ", k, loaded[k])
    tp = sum((t & got).values())
    p_, r_ = tp / max(1, sum(got.values())), tp / max(1, sum(t.values()))
    print(f"portal strict F1 {2 * p_ * r_ / max(1e-9, p_ + r_):.3f} P {p_:.3f} R {r_:.3f} "
          f"({tp} of {sum(t.values())} planted facts, {sum(got.values())} loaded)")


if __name__ == "__main__":
    main()
