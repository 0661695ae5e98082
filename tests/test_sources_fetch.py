"""Registry, discovery and fetching, against the demo portal over real loopback HTTP."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.fetch import fetch_source
from etl.store import BlobStore, Validators
from etl.http import FetchError, Http
from etl.records import DocRef
from etl.settings import ROOT
from etl.sources import discover, is_report, load_registry, parse_listing, plain_getter

LISTING = """<html><body><div class="nav"><a href="/">首页</a></div><ul class="list">
<li><a href="./202403/t1.html" title="某局2023年法治政府建设年度报告">某局2023年法治政府建设年度报告</a><span>2024-03-12</span></li>
<li><a href="./202402/t2.html">某局2023年政府信息公开工作年度报告</a><span>2024-01-20</span></li>
<li><a href="./202401/t3.html">关于开展安全生产大检查的通知公告</a><span>2024/01/05</span></li>
</ul><a href="index_1.html">下一页</a></body></html>"""


def test_registry_substitutes_portal_and_rejects_duplicates(tmp_path):
    sources = load_registry(ROOT / "etl" / "sources.yaml", "http://127.0.0.1:9")
    assert len(sources) >= 8 and len({s.province_code for s in sources}) >= 4
    assert all(s.listing_url.startswith("http://127.0.0.1:9/") for s in sources)
    assert all(len(s.province_code) == 6 and s.province_code.isdigit() for s in sources)
    dup = tmp_path / "dup.yaml"
    dup.write_text("sources:\n" + "".join(
        f"  - {{id: a, agency: x, province: y, province_code: '110000', listing_url: u{i}}}\n" for i in range(2)),
        encoding="utf-8")
    with pytest.raises(ValueError, match="duplicate"):
        load_registry(dup)


def test_parse_listing_items_dates_and_next_page():
    items, nxt = parse_listing(LISTING, "http://h/col/index.html")
    assert [i.url for i in items] == ["http://h/col/202403/t1.html", "http://h/col/202402/t2.html",
                                      "http://h/col/202401/t3.html"]
    assert [i.listed_date for i in items] == ["2024-03-12", "2024-01-20", "2024-01-05"]
    assert nxt == "http://h/col/index_1.html"
    src = load_registry(ROOT / "etl" / "sources.yaml")[0]
    assert [is_report(i.title, src) for i in items] == [True, False, False]


def _truth_urls(site: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for line in (site / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        out.setdefault(r["source_id"], set()).add(r["url"].lstrip("/"))
    return out


def test_discover_finds_every_report_and_no_decoy(settings, site, portal):
    from dataclasses import replace
    s = replace(settings, portal_url=portal.base_url)
    truth = _truth_urls(site)
    failures = {f["url"].lstrip("/") for f in json.loads((site / "failures.json").read_text(encoding="utf-8"))}
    with Http(s) as http:
        for src in load_registry(s.sources_file, portal.base_url):
            found = {r.url.removeprefix(portal.base_url + "/") for r in discover(src, plain_getter(http))}
            assert truth.get(src.id, set()) <= found, src.id
            assert found - truth.get(src.id, set()) <= failures, src.id   # only reports, no decoys


def test_fetch_uses_conditional_get_and_isolates_failures(settings, site, portal):
    from dataclasses import replace
    s = replace(settings, portal_url=portal.base_url)
    truth = _truth_urls(site)
    sid, urls = next(iter(sorted(truth.items())))
    refs = [DocRef(sid, f"{portal.base_url}/{u}", "t") for u in sorted(urls)]
    refs.insert(1, DocRef(sid, f"{portal.base_url}/no/such/page.html", "missing"))
    with Http(s) as http:
        first = fetch_source(refs, sid, s, http)
    assert [f.status for f in first] == ["fetched", "error"] + ["fetched"] * (len(refs) - 2)
    assert "HTTP 404" in first[1].error
    before = dict(portal.stats)
    with Http(s) as http:
        second = fetch_source(refs, sid, s, http)
    assert [f.sha256 for f in second] == [f.sha256 for f in first]      # same blobs, from the store
    assert portal.stats.get(304, 0) > before.get(304, 0)
    assert BlobStore(s.raw_dir).has(first[0].sha256)
    assert Validators(s.state_dir / "http" / f"{sid}.json").data        # validators persisted


def test_http_errors_are_readable(settings, portal):
    from dataclasses import replace
    s = replace(settings, timeout_s=0.5, retries=2)
    with Http(s) as http:
        with pytest.raises(FetchError, match="robots"):
            http.get(f"{portal.base_url}/admin/secret.html")
        with pytest.raises(FetchError, match="HTTP 404"):
            http.get(f"{portal.base_url}/missing.html")
    with Http(replace(s, timeout_s=0.5)) as http:
        with pytest.raises(FetchError, match="attempts"):
            http.get("http://127.0.0.1:9/unreachable.html")   # port 9: refused at once
