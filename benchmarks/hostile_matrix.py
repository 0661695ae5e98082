"""The hostile matrix: every way a server, a registry or a reload can lose a report, each
judged "held" or not. Held means: a readable report is had; a report refused on purpose
(robots.txt, another host) is refused; any other loss is told (an error record, or an
attachment error the parse stage turns into one) within the deadline and the memory cap;
a registry entry cannot stop the others; history holds only replaced facts; a report in
its publication season is rechecked the next night. Prints one line per case and N/M.

    PYTHONPATH=$PWD .venv/bin/python benchmarks/hostile_matrix.py

Runs against whatever `etl` is first on PYTHONPATH (the before/after figures in
benchmarks/README.md ran it on main's `etl` and on this branch's, same hostile server).
"""
from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import pandas as pd

from demo_portal.hostile import AGENCY, Hostile
from etl.fetch import fetch_one, fetch_source
from etl.http import Http
from etl.records import DocRef, Source
from etl.settings import ROOT, Settings, load_settings
from etl.store import BlobStore, Validators

DEADLINE = 2.0          # ETL_REQUEST_DEADLINE for the matrix
SLACK = 1.0             # what a case may take past its deadline


def _with(s: Settings, **kw) -> Settings:
    """Settings with the knobs this version of the code has (the matrix runs on older code too)."""
    names = {f.name for f in dataclasses.fields(s)}
    return dataclasses.replace(s, **{k: v for k, v in kw.items() if k in names})


def _fetch(h: Hostile, s: Settings, path: str) -> tuple[object, float, float]:
    src = Source("jh-sfj", AGENCY, f"{h.base_url}/column/index.html")
    url = path.replace("{off}", h.other_host_url) if path.startswith("{off}") else h.base_url + path
    tracemalloc.start()
    t0 = time.monotonic()
    try:
        with Http(s) as http:
            f = fetch_one(DocRef(src.id, url, "t"), src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id))
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return f, time.monotonic() - t0, peak


def _told(f) -> bool:
    return f.status == "error" or (f.status == "fetched" and any(a.get("error") for a in f.attachments))


FETCH = [  # (case, path, expected: loaded / refused / lost)
    ("readable article", "/column/good.html", "loaded"),
    ("429 with Retry-After, then 200", "/too-many", "loaded"),
    ("404", "/column/gone.pdf", "lost"),
    ("403 (blocked)", "/column/blocked.pdf", "lost"),
    ("500 every time", "/error-page", "lost"),
    ("503 Retry-After: 3600", "/busy", "lost"),
    ("hangs up mid-body every attempt", "/column/drip-reset.pdf", "lost"),
    ("body dripping forever", "/drip", "lost"),
    ("headers dripping forever", "/drip-headers", "lost"),
    ("redirect loop", "/redirect-loop", "lost"),
    ("9 redirects", "/redirect-chain/9", "lost"),
    ("redirect without Location", "/no-location", "lost"),
    ("redirect to another host", "/redirect-offhost", "refused"),
    ("robots.txt disallows", "/private/report.pdf", "refused"),
    ("300 MB Content-Length", "/column/huge.pdf", "lost"),
    ("endless body", "/column/endless.pdf", "lost"),
    ("gzip bomb", "/column/bomb.pdf", "lost"),
    ("brotli bomb", "/br-bomb", "lost"),
    ("empty PDF", "/column/empty.pdf", "lost"),
    ("PDF that is an HTML page", "/column/page.pdf", "lost"),
    ("cover note, attachment too large", "/column/cover.html", "lost"),
]


def _fetch_case(h: Hostile, s: Settings, path: str, expected: str) -> tuple[bool, str]:
    f, took, peak = _fetch(h, s, path)
    ok = {"loaded": f.status == "fetched" and not any(a.get("error") for a in f.attachments),
          "refused": f.status == "refused", "lost": _told(f)}[expected]
    bounded = took <= DEADLINE + SLACK and peak < 64
    why = f"{f.status} {getattr(f, 'error_kind', '') or ''} {took:.1f}s {peak:.0f}MB: {(f.error or '')[:70]}"
    return ok and bounded, why


REGISTRY_BAD = [
    ("registry: http://[::1/x", {"listing_url": "http://[::1/x"}),
    ("registry: port 99999", {"listing_url": "http://a.gov.cn:99999/"}),
    ("registry: allowed_hosts a mapping", {"allowed_hosts": {"a": 1}}),
    ("registry: agency a nested list", {"agency": [["某区"], {"x": None}]}),
    ("registry: a 1 MB id", {"id": "x" * 2**20}),
    ("registry: kinds a number", {"kinds": 7}),
]


def _registry_case(bad: dict) -> tuple[bool, str]:
    import httpx
    from etl.discovery.registry import parse_registry
    good = {"id": "good", "agency": "武汉市司法局", "listing_url": "https://a.gov.cn/fzzf/"}
    entry = {"id": "bad", "agency": "武汉市江汉区司法局", "listing_url": "https://b.gov.cn/", **bad}
    try:
        sources, problems = parse_registry({"sources": [entry, good]})
        for src in sources:                     # what the crawl does with a source first
            assert all(isinstance(x, str) for x in src.hosts) and isinstance(src.agency, str)
            httpx.URL(src.listing_url)
    except Exception as e:                      # the whole night would stop here
        return False, f"{type(e).__name__}: {str(e)[:80]}"
    return [x.id for x in sources] == ["good"] and bool(problems), f"{len(problems)} problems"


def _facts(run: str, values: list[float]):
    from etl.load import Batch
    src = pd.DataFrame([{"source_id": "s1", "agency": "某局", "listing_url": "http://x/"}])
    doc = pd.DataFrame([{"doc_id": "d1", "source_id": "s1", "url": "http://x/d1", "content_sha256": "a", "text": "t"}])
    facts = pd.DataFrame([{"fact_id": f"d1-{i:04d}", "doc_id": "d1", "seq": i, "metric": "m", "value": v, "unit": "件",
                           "qualifier": "exact", "quote": f"{v}件", "start_pos": 0, "end_pos": 2,
                           "extractor_version": "1"} for i, v in enumerate(values)])
    return Batch(run, src, doc, facts, pd.DataFrame(), pd.DataFrame(), {})


def _history_case(tmp: Path, change: bool) -> tuple[bool, str]:
    import duckdb
    from etl.load import load_batch
    wh = tmp / f"h{int(change)}.duckdb"
    load_batch(wh, ROOT / "sql", _facts("r1", [1, 2, 3]))
    load_batch(wh, ROOT / "sql", _facts("r2", [1, 5, 3] if change else [1, 2, 3]))
    with duckdb.connect(str(wh), read_only=True) as con:
        kept = con.execute("SELECT value FROM raw.fact_versions").fetchall()
    return kept == ([(2.0,)] if change else []), f"fact_versions {kept}"


def _season_case(h: Hostile, s: Settings) -> tuple[bool, str]:
    china = timezone(timedelta(hours=8))
    src = Source("jh-sfj", AGENCY, f"{h.base_url}/column/index.html")
    ref = DocRef(src.id, f"{h.base_url}/column/etag.html?y=2024", "2024年法治政府建设年度报告", report_year=2024)
    with Http(s) as http:
        fetch_source([ref], src, s, http, now=datetime(2025, 2, 10, 2, tzinfo=china).timestamp())
        n = h.hits["/column/etag.html"]
        fetch_source([ref], src, s, http, now=datetime(2025, 2, 11, 2, tzinfo=china).timestamp())
    asked = h.hits["/column/etag.html"] - n
    return asked == 1, f"re-requested the next night in February: {asked}"


def _budget_case(h: Hostile, s: Settings) -> tuple[bool, str]:
    s = _with(s, source_budget_s=1.0, request_deadline_s=30.0)
    src = Source("jh-sfj", AGENCY, f"{h.base_url}/column/index.html")
    refs = [DocRef(src.id, f"{h.base_url}/column/drip-reset.pdf", "a"), DocRef(src.id, f"{h.base_url}/column/gone.pdf", "b")]
    t0 = time.monotonic()
    with Http(s) as http:
        out = fetch_source(refs, src, s, http)
    took = time.monotonic() - t0
    return took <= 1.0 + SLACK and all(_told(f) for f in out), f"{took:.1f}s for a 1 s budget"


def _document_deadline_case(h: Hostile, s: Settings) -> tuple[bool, str]:
    s = _with(s, document_deadline_s=1.5, request_deadline_s=30.0, timeout_s=5.0)
    f, took, _ = _fetch(h, s, "/column/three.html")
    return took <= 1.5 + SLACK and _told(f), f"{took:.1f}s for three dripping attachments, deadline 1.5 s"


def main() -> None:
    logging.disable(logging.WARNING)
    tmp = Path(tempfile.mkdtemp(prefix="hostile-matrix-"))
    base = _with(load_settings(), data_dir=tmp / "data", politeness_s=0, retries=4, timeout_s=DEADLINE,
                 request_deadline_s=DEADLINE, retry_after_max_s=2.0, max_bytes=5 * 2**20)
    rows: list[tuple[str, bool, str]] = []
    with Hostile(bomb_mb=200, drip_s=0.1) as h:
        h.bomb("gzip"), h.bomb("br")            # built before measuring (not the client's memory)
        cases: list[tuple[str, Callable[[], tuple[bool, str]]]] = \
            [(name, lambda p=p, e=e, n=n: _fetch_case(h, _with(base, data_dir=tmp / f"f{n}"), p, e))
             for n, (name, p, e) in enumerate(FETCH)]
        cases += [(name, lambda b=b: _registry_case(b)) for name, b in REGISTRY_BAD]
        cases += [("identical reload writes no history", lambda: _history_case(tmp, False)),
                  ("a changed fact is kept, alone", lambda: _history_case(tmp, True)),
                  ("in-season report rechecked next night", lambda: _season_case(h, _with(base, data_dir=tmp / "season"))),
                  ("source budget cuts and tells", lambda: _budget_case(h, _with(base, data_dir=tmp / "budget"))),
                  ("document deadline over attachments", lambda: _document_deadline_case(h, _with(base, data_dir=tmp / "doc")))]
        for name, case in cases:
            try:
                ok, why = case()
            except Exception as e:              # the case itself crashed: not held
                ok, why = False, f"{type(e).__name__}: {str(e)[:80]}"
            rows.append((name, ok, why))
            print(f"{'held' if ok else 'LOST':4}  {name:40} {why}", flush=True)
    print(f"\nheld {sum(ok for _, ok, _ in rows)}/{len(rows)}")


if __name__ == "__main__":
    main()
