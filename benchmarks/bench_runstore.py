"""The run store's own cost on a synthetic night: per-source writes (documents with whole
texts, facts), footer counts, the whole-run frames validate and load read, and the bytes on
disk (what shared storage carries). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_runstore.py [--sources 300] [--text-chars 30000]

2026-12-07, 300 sources x 4 documents of 30,000 characters and 60 facts, machine shared
(load 6-8): the run store wrote in 1.0-2.0 s, counted in 60-120 ms and read the frames in
1.8-2.0 s, 17.9 MB on disk; the JSONL staging it replaced took 0.5-0.9 s, 190-290 ms and
1.1-1.7 s, 116.8 MB. A whole demo night (benchmarks/bench_pipeline.py, interleaved runs):
first night 31.9 / 29.5 s after, 38.7 / 39.9 s before; unchanged night 3.2 / 2.4 s after,
3.1 / 3.0 s before.
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from etl.records import DocumentRow, FactRow
from etl.runstore import DOCUMENTS, FACTS, RunStore
from etl.settings import load_settings


def _night(n_sources: int, chars: int) -> dict[str, tuple[list, list]]:
    random.seed(1)
    text = "".join(random.choice("法治政府建设年度报告共办理行政复议案件件次人次同比增长") for _ in range(chars))
    out = {}
    for i in range(n_sources):
        sid = f"s{i:05d}"
        docs = [DocumentRow(f"{sid}-{d}", sid, f"http://x/{sid}/{d}.html", "a" * 64, "2024年法治政府建设年度报告",
                            text, "html", report_year=2024, agency="某局", province="湖北省", fetched="{}")
                for d in range(4)]
        facts = [FactRow(f"{sid}-{d}", "cases_handled", "cases", 35.0, "件", "exact", "办理35件", 10, 14,
                         fact_id=f"{sid}-{d}-{k:04d}", doc_id=f"{sid}-{d}", seq=k, report_year=2024)
                 for d in range(4) for k in range(15)]
        out[sid] = (docs, facts)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=300)
    ap.add_argument("--text-chars", type=int, default=30_000)
    args = ap.parse_args()
    night = _night(args.sources, args.text_chars)
    s = replace(load_settings(), data_dir=Path(tempfile.mkdtemp(prefix="bench-runstore-")))
    run = RunStore(s, "bench")
    t0, c0 = time.perf_counter(), time.process_time()
    for sid, (docs, facts) in night.items():
        run.write(DOCUMENTS, sid, docs)
        run.write(FACTS, sid, facts)
    write = (time.perf_counter() - t0, time.process_time() - c0)
    t0 = time.perf_counter()
    n_docs = run.count(DOCUMENTS)
    count = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), time.process_time()
    docs, facts = run.frame(DOCUMENTS), run.frame(FACTS)
    read = (time.perf_counter() - t0, time.process_time() - c0)
    size = sum(p.stat().st_size for p in run.root.rglob("*") if p.is_file())
    print(f"{args.sources} sources, {n_docs} documents, {len(facts)} facts")
    print(f"write   {write[0]:6.2f} s  (CPU {write[1]:.2f} s)")
    print(f"count   {count * 1000:6.0f} ms (Parquet footers)")
    print(f"frames  {read[0]:6.2f} s  (CPU {read[1]:.2f} s; {len(docs)} documents, {len(facts)} facts)")
    print(f"on disk {size / 1e6:6.1f} MB")


if __name__ == "__main__":
    main()
