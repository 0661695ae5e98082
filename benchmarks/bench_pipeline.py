"""Pipeline figures on the demo portal, without Airflow: a first night, an unchanged
night, PDF parse speed and peak memory. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_pipeline.py
"""
from __future__ import annotations

import os
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from etl.fetch import BlobStore
from etl.parse import parse_pdf
from demo_portal.generator import build_site
from demo_portal.server import Portal
from etl.pipeline.runner import run_all
from etl.settings import load_settings


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    site = build_site(tmp / "site")
    with Portal(site) as portal:
        s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "data" / "wh.duckdb",
                    portal_url=portal.base_url, timeout_s=1.0, retries=1, politeness_s=0)
        os.environ["ETL_ALERT_WEBHOOK_URL"] = ""
        os.environ["ETL_ALERT_URLS"] = ""
        for night in ("first night", "unchanged night"):
            before = dict(portal.stats)
            t0 = time.perf_counter()
            counts = run_all(f"bench-{night.split()[0]}", s)
            dt = time.perf_counter() - t0
            reqs = {k: v - before.get(k, 0) for k, v in portal.stats.items() if v - before.get(k, 0)}
            print(f"{night:<16} {dt:6.2f} s  requests by status {reqs}  "
                  f"parsed {counts['documents_parsed']} unchanged {counts['documents_unchanged']} "
                  f"facts loaded {counts['facts_loaded']}")
    pdfs = [p for p in BlobStore(s.raw_dir).root.rglob("*") if p.is_file() and p.read_bytes()[:5] == b"%PDF-"]
    pages, t0 = 0, time.perf_counter()
    for p in pdfs:
        try:
            pages += parse_pdf(p.read_bytes())[1]
        except Exception:
            pass
    dt = time.perf_counter() - t0
    if pages:
        print(f"PDF parse        {pages} pages in {dt:.2f} s = {pages / dt:.0f} pages/s "
              f"(500k pages/year = {500_000 / (pages / dt) / 3600:.1f} core-hours)")
    print(f"peak RSS         {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
