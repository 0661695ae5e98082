"""The crawl's state store at scale: what one night's state costs per source.

A store filled as N sources' nights would leave it (validators and recheck dates for R URLs,
R/5 memo pages, what the browser learned), then per source what discover + fetch do:
load validators, recheck dates, page memo and learned, then save. Three nights: unchanged
(must commit nothing), 1% of URLs changed, and the same with two processes at once (other
sources each). Prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_state.py --sources 2000 --rows 50
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl.discovery.memo import Learned, PageMemo  # noqa: E402
from etl.fetch import FetchState  # noqa: E402
from etl.statestore import STATE_FILE, StateStore  # noqa: E402
from etl.store import Validators  # noqa: E402


def _url(sid: str, i: int) -> str:
    return f"http://portal.example/{sid}/art/{i:05d}.html"


def fill(store: StateStore, sources: list[str], rows: int) -> None:
    for sid in sources:
        v, f, m, lr = Validators(store, sid), FetchState(store, sid), PageMemo(store, sid), Learned(store, sid)
        for i in range(rows):
            v.data[_url(sid, i)] = {"etag": f'"{i:x}-{sid}"', "last_modified": "Mon, 06 Jan 2025 08:00:00 GMT",
                                    "sha256": f"{i:064x}", "content_type": "text/html", "final_url": _url(sid, i)}
            f.data[_url(sid, i)] = {"checked": 1.7e9 + i, "record": {"url": _url(sid, i), "status": "fetched",
                                                                     "sha256": f"{i:064x}", "attachments": []}}
        for p in range(max(1, rows // 5)):
            m._tonight[f"{sid}-{p:032x}"] = [{"items": [{"url": _url(sid, i), "title": "某局2024年法治政府建设年度报告",
                                                         "date": "2025-01-06", "via": "list"} for i in range(5)],
                                              "requests": [], "total_pages": None}]
        lr.remember(items=rows)
        for o in (v, f, m, lr):
            o.save()


def night(path: Path, sources: list[str], change_every: int = 0) -> tuple[float, int]:
    """(CPU seconds, rows written): every source's state loaded, used and saved."""
    store = StateStore(path)
    t0, written = time.process_time(), 0
    for n, sid in enumerate(sources):
        v, f, m, lr = Validators(store, sid), FetchState(store, sid), PageMemo(store, sid), Learned(store, sid)
        for key in list(m.data):
            m._tonight[key] = m.data[key]                  # every listing page seen again
        if change_every and n % change_every == 0:      # this source's first URL changed tonight
            v.data[_url(sid, 0)] = {**v.data[_url(sid, 0)], "etag": f'"new-{time.time()}"'}
        lr.remember(items=lr.items)
        written += sum(o.save() for o in (v, f, m, lr))
    return time.process_time() - t0, written


def _worker(args: tuple[str, list[str]]) -> tuple[float, int]:
    return night(Path(args[0]), args[1], change_every=100)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=2000)
    ap.add_argument("--rows", type=int, default=50)
    args = ap.parse_args()
    path = Path(tempfile.mkdtemp(prefix="bench-state-")) / STATE_FILE
    sources = [f"src-{i:05d}" for i in range(args.sources)]
    t0 = time.perf_counter()
    fill(StateStore(path), sources, args.rows)
    print(f"filled {len(sources)} sources x {args.rows} URLs in {time.perf_counter() - t0:.1f} s: "
          f"{path.stat().st_size / 2**20:.1f} MiB")
    watcher = sqlite3.connect(path)
    before = watcher.execute("PRAGMA data_version").fetchone()[0]
    w0 = time.perf_counter()
    cpu, written = night(path, sources)
    print(f"unchanged night: {cpu / len(sources) * 1000:.2f} ms CPU per source "
          f"({time.perf_counter() - w0:.1f} s wall), {written} rows written, "
          f"commits seen by another connection: {watcher.execute('PRAGMA data_version').fetchone()[0] - before}")
    w0 = time.perf_counter()
    cpu, written = night(path, sources, change_every=100)
    print(f"1% of sources changed: {cpu / len(sources) * 1000:.2f} ms CPU per source "
          f"({time.perf_counter() - w0:.1f} s wall), {written} rows written")
    half = len(sources) // 2
    w0 = time.perf_counter()
    with get_context("spawn").Pool(2) as pool:
        out = pool.map(_worker, [(str(path), sources[:half]), (str(path), sources[half:])])
    print(f"two processes at once (1% changed): {sum(c for c, _ in out) / len(sources) * 1000:.2f} ms CPU "
          f"per source, {time.perf_counter() - w0:.1f} s wall, {sum(w for _, w in out)} rows written")


if __name__ == "__main__":
    main()
