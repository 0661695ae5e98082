"""Discovery: title rules, the registry, and every listing convention over real HTTP on the
demo portal, whose manifest says which listed items are the reports."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from etl.discovery import discover, load_registry, read_registry
from etl.discovery.conventions import hanweb, json_api, scripted, trs
from etl.discovery.conventions.paging import page_number, sequence, total_pages
from etl.discovery.page import Page, PageRequest
from etl.discovery.registry import parse_registry
from etl.discovery.titles import classify, fold, year_of
from etl.http import Http
from etl.discovery.getter import page_getter
from etl.store import BlobStore, Validators

# ---------------------------------------------------------------- titles


@pytest.mark.parametrize("title, decision, kind, year", [
    ("某区司法局2023年法治政府建设年度报告", "report", "rule_of_law", 2023),
    ("某區司法局2023年法治政府建設年度報告", "report", "rule_of_law", 2023),      # Traditional
    ("关于2024年度法治政府建设情况的报告", "report", "rule_of_law", 2024),
    ("某局二〇二三年度依法行政工作报告", "report", "rule_of_law", 2023),
    ("某县税务局2023年法治税务建设工作情况报告", "report", "rule_of_law", 2023),
    ("某局2023年法治政府建设工作总结和2024年工作计划", "report", "rule_of_law", 2023),
    ("某局２０２３年法治政府建设年度报告", "report", "rule_of_law", 2023),           # full-width digits
    ("某局2023年政府信息公开工作年度报告", "report", "disclosure", 2023),
    ("关于《2023年法治政府建设年度报告》的解读", "decoy", "", 2023),
    ("一图读懂2023年法治政府建设年度报告", "decoy", "", 2023),
    ("2024年法治政府建设工作要点", "decoy", "", 2024),
    ("关于召开法治政府建设推进会的通知", "decoy", "", None),
    ("某局主要负责人2023年度述法报告", "decoy", "", 2023),
    ("党政主要负责人2023年度履行推进法治建设第一责任人职责情况报告", "decoy", "", 2023),
    ("2023年度行政执法数据公示", "decoy", "", 2023),
    ("某区2023年法治政府建设自评报告", "decoy", "", 2023),
    ("关于印发《法治政府建设实施方案》的通知", "decoy", "", None),
    ("2023年部门预算公开说明", "decoy", "", 2023),
])
def test_title_rules(title, decision, kind, year):
    d = classify(title)
    assert (d.decision, d.kind) == (decision, kind), d.reason
    assert d.reason                                  # every decision says why
    assert year_of(title) == year


def test_source_patterns_override_defaults():
    assert classify("2023年依法治市工作报告").decision == "decoy"
    assert classify("2023年依法治市工作报告", include="依法治市").decision == "report"
    assert classify("2023年法治政府建设年度报告", exclude="年度报告").decision == "decoy"
    # include never lets a known decoy through
    assert classify("2023年法治政府建设年度报告的解读", include="法治").decision == "decoy"
    assert classify("某局2023年政府信息公开工作年度报告", kinds=("rule_of_law",)).decision == "decoy"


def test_fold_is_simplified_nfkc_without_spaces():
    assert fold("法治政府建設　年度報告 （２０２３）") == "法治政府建设年度报告(2023)"


# ---------------------------------------------------------------- registry


def test_registry_errors_are_per_entry_by_id_and_field():
    doc = {"sources": [
        {"id": "ok-1", "agency": "武汉市江汉区文化和旅游局", "listing_url": "https://a.gov.cn/fzzf/index.html"},
        {"id": "no-url", "agency": "湖北省司法厅"},
        {"id": "typo", "agency": "湖北省司法厅", "listing_url": "https://b.gov.cn/", "max_page": 3},
        {"id": "bad-url", "agency": "湖北省司法厅", "listing_url": "ftp://b.gov.cn/x"},
        {"id": "bad-re", "agency": "湖北省司法厅", "listing_url": "https://b.gov.cn/", "include": "法治("},
        {"id": "ok-1", "agency": "又一个", "listing_url": "https://c.gov.cn/"},
        {"agency": "无编号", "listing_url": "https://d.gov.cn/"},
        "not a mapping",
    ]}
    sources, problems = parse_registry(doc)
    by = {(p.source_id, p.field): p.error for p in problems}
    assert by[("no-url", "listing_url")] == "missing"
    assert "did you mean 'max_pages'" in by[("typo", "max_page")]
    assert "not an http(s) URL" in by[("bad-url", "listing_url")]
    assert "bad regular expression" in by[("bad-re", "include")]
    assert "duplicate id" in by[("ok-1", "id")]
    assert by[("#7", "id")] == "missing"
    assert ("#8", "-") in by
    assert sources == []                     # the duplicated id runs neither copy


def test_registry_infers_region_and_level_from_the_agency_name():
    sources, problems = parse_registry({"sources": [
        {"id": "a", "agency": "武汉市江汉区文化和旅游局", "listing_url": "https://a.gov.cn/"},
        {"id": "b", "agency": "湖北省司法厅", "listing_url": "https://b.gov.cn/"},
        {"id": "c", "agency": "苏州市市场监督管理局", "listing_url": "https://c.gov.cn/", "province": "江苏省",
         "province_code": "320000", "level": "city", "include": "法治", "max_pages": 3},
    ]})
    assert not problems
    a, b, c = sources
    assert (a.province, a.province_code, a.city, a.county, a.level) == ("湖北省", "420000", "武汉市", "江汉区", "county")
    assert (b.province, b.level) == ("湖北省", "province")
    assert (c.level, c.max_pages, c.include) == ("city", 3, "法治")


# ---------------------------------------------------------------- convention units


def _page(url: str, text: str, ctype: str = "text/html", req: PageRequest | None = None) -> Page:
    return Page(req or PageRequest(url), url, text.encode(), ctype, text)


def test_page_numbers_in_paths_and_queries():
    n, url_for = page_number("http://h/col/index_3.html")
    assert n == 3 and url_for(0) == "http://h/col/index.html" and url_for(5) == "http://h/col/index_5.html"
    n, url_for = page_number("http://h/list.jsp?uid=7&pageNum=2")
    assert n == 2 and url_for(4) == "http://h/list.jsp?uid=7&pageNum=4"
    assert sequence("http://h/a/list-2.shtml", 4, 3) == ["http://h/a/list-3.shtml", "http://h/a/list-4.shtml"]
    assert sequence("http://h/news/page/2/", 3, 3) == ["http://h/news/page/3/"]
    assert page_number("http://h/col/3.html")[0] == 3
    assert total_pages("<span>共12页</span>") == 12 and total_pages("第1/7页") == 7
    assert total_pages("var countPage = 4//共多少页") == 4


def test_trs_pager_inline_and_by_variables():
    f = trs.find(_page("http://h/c/index.html", '<script>createPageHTML(3, 0, "index", "shtml");</script>'))
    assert [r.url for r in f.requests] == ["http://h/c/index_1.shtml", "http://h/c/index_2.shtml"]
    f = trs.find(_page("http://h/c/index.html", "<script>var countPage = 2\nvar currentPage = 0;"
                       "</script><script src='/js/createPageHTML.js'></script>"))
    assert [r.url for r in f.requests] == ["http://h/c/index_1.html"]
    f = trs.find(_page("http://h/c/index.html", "<script>createPageHTML('page_div', 3, 1, 'index', 'html', 40);</script>"))
    assert [r.url for r in f.requests] == ["http://h/c/index_1.html", "http://h/c/index_2.html"]


def test_hanweb_embedded_records_and_proxy_requests():
    html = ('<div id="8"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/'
            'dataproxy.jsp?page=1&webid=2&columnid=77&unitid=8"></a>]]></nextgroup><recordset>'
            '<record><![CDATA[<li><a href="/art/2024/3/1/art_77_1.html" title="某局2023年法治政府建设年度报告">'
            '某局2023年法治…</a><span>2024-03-01</span></li>]]></record></recordset></datastore></script></div>'
            "<script>$('#8').jpage({perPage: 1, totalRecord: 3, proxyUrl: '/module/web/jpage/dataproxy.jsp'})</script>")
    f = hanweb.find(_page("http://h/col/col77/index.html", html))
    assert [(i.url, i.title, i.date) for i in f.items] == [
        ("http://h/art/2024/3/1/art_77_1.html", "某局2023年法治政府建设年度报告", "2024-03-01")]
    assert len(f.requests) == 1 and "startrecord=2" in f.requests[0].url and "columnid=77" in f.requests[0].url
    post = f.requests[0].as_post()
    assert post.method == "POST" and ("columnid", "77") in post.data


def test_json_api_found_in_script_and_paged():
    html = "<script>$.ajax({url: '/api/list', type: 'post', data: {channelId: 5, pageNo: 1, pageSize: 2}})</script>"
    f = json_api.find(_page("http://h/c/index.html", html))
    assert f.requests[0].method == "POST" and ("pageNo", "1") in f.requests[0].data
    answer = json.dumps({"data": {"totalPage": 3, "records": [
        {"docTitle": "某局2023年法治政府建设年度报告", "docUrl": "/a/1.html", "pubDate": "2024-01-02"},
        {"docTitle": "某局通知公告一则", "docUrl": "/a/2.html", "pubDate": "2024-01-03"}]}}, ensure_ascii=False)
    f = json_api.find(_page("http://h/api/list", answer, "application/json", f.requests[0]))
    assert [i.url for i in f.items] == ["http://h/a/1.html", "http://h/a/2.html"]
    assert [dict(r.data)["pageNo"] for r in f.requests] == ["2", "3"]


def test_script_pager_to_url_template_and_to_form():
    html = ('<a href="javascript:toPage(2)">下一页</a><span>共3页</span>'
            '<script>function toPage(n){ location.href = "list_" + n + ".html"; }</script>')
    f = scripted.find(_page("http://h/c/list_1.html", html))
    assert [r.url for r in f.requests] == ["http://h/c/list_2.html", "http://h/c/list_3.html"]
    html = ('<form id="f" action="search.do" method="post"><input type="hidden" name="curPage" id="cp" value="1">'
            '<input type="hidden" name="cid" value="9"></form><a href="#" onclick="go(2)">2</a>'
            "<script>function go(p){ document.getElementById('cp').value = p; f.submit(); }</script>")
    f = scripted.find(_page("http://h/c/index.html", html))
    assert f.requests[0].method == "POST" and dict(f.requests[0].data) == {"curPage": "2", "cid": "9"}
    assert f.requests[0].url == "http://h/c/search.do"


# ---------------------------------------------------------------- over real HTTP on the portal


def _manifest(site: Path) -> list[dict]:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


_WALKED: dict = {}


def _walk_all(settings, portal):
    """Every demo source walked once per portal (the script-built columns in the browser)."""
    if portal.base_url in _WALKED:
        return _WALKED[portal.base_url]
    from etl.discovery.render import Renderer
    s = replace(settings, politeness_s=0, portal_url=portal.base_url)
    out = {}
    with Http(s) as http:
        renderer = Renderer(s, http)
        try:
            for src in load_registry(s.sources_file, portal.base_url):
                get = page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id))
                out[src.id] = discover(src, get, s.max_pages, s.max_documents, renderer=renderer)
        finally:
            renderer.close()
    _WALKED.clear()
    _WALKED[portal.base_url] = out
    return out


def test_every_convention_finds_exactly_the_reports(settings, portal, site):
    found = _walk_all(settings, portal)
    manifest = _manifest(site)
    for sid, disc in found.items():
        want = {portal.base_url + m["url"] for m in manifest if m["source_id"] == sid}
        got = {r.url for r in disc.refs if r.kind == "rule_of_law"}
        assert got == want, f"{sid}: missing {want - got}, extra {got - want}"
        assert not disc.listing_error and not disc.page_errors
        # every listed item has a decision with a reason; decoys never become refs
        assert all(x.reason for x in disc.listed)
        decoys = {x.url for x in disc.listed if x.decision == "decoy"}
        assert decoys and not decoys & {r.url for r in disc.refs}
    vias = Counter(x.via for d in found.values() for x in d.listed)
    assert {"html-list", "hanweb", "json-api"} <= set(vias), vias
    years = {(r.source_id, r.report_year) for d in found.values() for r in d.refs if r.kind == "rule_of_law"}
    assert {(m["source_id"], m["report_year"]) for m in manifest} <= years


def test_page_chrome_is_never_a_candidate(settings, portal, site):
    found = _walk_all(settings, portal)
    for sid, disc in found.items():
        titles = {x.title for x in disc.listed}
        assert "法治政府建设年度报告" not in titles          # the 热门搜索 link
        assert not any(t in titles for t in ("首页", "政务公开", "下一页", "尾页"))


def test_listing_walk_is_bounded_and_never_asks_a_page_twice(settings, portal):
    s = replace(settings, politeness_s=0)
    asked: Counter[str] = Counter()
    with Http(s) as http:
        for src in load_registry(s.sources_file, portal.base_url):
            get = page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id))

            def counting(req, get=get):
                asked[req.key] += 1
                return get(req)
            discover(src, counting)
    assert asked and max(asked.values()) == 1, [k for k, n in asked.items() if n > 1]
    src = replace(load_registry(s.sources_file, portal.base_url)[0], max_pages=1)
    with Http(s) as http:
        disc = discover(src, page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id)))
    assert disc.pages == 1 and disc.pages_capped >= 1
    assert any(x.decision == "over-cap" and "not read (max_pages=1)" in x.reason for x in disc.listed)


def test_unreachable_listing_is_a_recorded_failure(settings, portal):
    s = replace(settings, politeness_s=0, retries=1)
    src = replace(load_registry(s.sources_file, portal.base_url)[0],
                  listing_url=portal.base_url + "/no/such/column/index.html")
    with Http(s) as http:
        disc = discover(src, page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id)))
    assert "HTTP 404" in disc.listing_error and not disc.refs
    assert [x.decision for x in disc.listed] == ["failed"]


def test_unchanged_night_asks_conditionally(settings, portal):
    s = replace(settings, politeness_s=0, portal_url=portal.base_url)
    for night in (1, 2):
        start = len(portal.log)
        with Http(s) as http:
            for src in load_registry(s.sources_file, portal.base_url):
                cache = Validators.for_source(s, src.id)
                discover(src, page_getter(src, http, BlobStore(s.raw_dir), cache))
                cache.save()
    night2 = portal.log[start:]
    full = [(m, p) for m, p, status in night2 if status == 200 and p != "/robots.txt"]
    assert all(m == "POST" for m, _ in full), full       # only form POSTs cannot be conditional
    assert sum(status == 304 for _, _, status in night2) > 20


def test_demo_registry_is_minimal_and_valid():
    from etl.settings import ROOT
    doc = yaml.safe_load((ROOT / "etl" / "sources.yaml").read_text(encoding="utf-8"))
    sources, problems = read_registry(ROOT / "etl" / "sources.yaml", "http://127.0.0.1:1")
    assert not problems and len(sources) == len(doc["sources"])
    assert sum(set(e) == {"id", "agency", "listing_url"} for e in doc["sources"]) >= 5
    assert all(s.province_code and s.level for s in sources)


def test_html_lists_pager_variants_and_secondary_lists():
    from etl.discovery.conventions import html_list
    html = """<div class="nav"><a href="/a.html">法治政府建设年度报告汇总</a></div>
    <div class="box1"><ul><li><a href="/r/1.html">某局2023年法治政府建设年度报告</a><span>2024-03-01</span></li>
    <li><a href="/r/2.html">某局2022年法治政府建设年度报告</a><span>2023-03-01</span></li>
    <li><a href="/r/3.html">某局2021年法治政府建设年度报告</a><span>2022-03-01</span></li></ul></div>
    <div class="box2"><dl><dd><a href="/n/1.html">某局召开专题会议部署工作</a> 2024-05-06</dd>
    <dd><a href="/n/2.html">某局开展普法宣传活动</a> 2024-04-01</dd></dl></div>
    <div class="page-bar"><a href="list_2.html">下一页 &gt;</a><a onclick="location.href='list_5.html'">尾页</a>
    <a href="list_2.html"><img src="n.gif" alt="下一页"></a></div>"""
    f = html_list.find(_page("http://h/c/list_1.html", html))
    assert {i.url for i in f.items} == {"http://h/r/1.html", "http://h/r/2.html", "http://h/r/3.html",
                                        "http://h/n/1.html", "http://h/n/2.html"}       # never the nav
    urls = [r.url for r in f.requests]
    assert "http://h/c/list_5.html" in urls and "http://h/c/list_3.html" in urls     # all pages to the last
    f = trs.find(_page("http://h/c/index.html", "<script>var _nPageCount = 3; var _nCurrIndex = 0;</script>"
                       "<script src='/js/createPageHTML.js'></script>"))
    assert [r.url for r in f.requests] == ["http://h/c/index_1.html", "http://h/c/index_2.html"]


def test_chrome_known_by_its_label_and_links_back_to_the_listing(settings, portal):
    from etl.discovery.page import list_items
    from lxml import html as lxml_html
    page = """<body><div><span>热门搜索：</span><a href="/s?q=1">法治政府建设年度报告汇编</a>
    <a href="/s?q=2">政府信息公开工作年度报告</a><a href="/s?q=3">行政执法公示专栏入口</a></div>
    <div><p>当前位置：<a href="/">首页</a> &gt; <a href="/col/index.html">法治政府建设年度报告专栏</a></p></div>
    <ul><li><a href="/r/1.html">某局2023年法治政府建设年度报告</a>2024-03-01</li>
    <li><a href="/r/2.html">某局2022年法治政府建设年度报告</a>2023-03-01</li></ul></body>"""
    items = list_items(lxml_html.fromstring(page), "http://h/col/index.html")
    assert [i.url for i in items] == ["http://h/r/1.html", "http://h/r/2.html"]


def test_json_records_linked_by_the_page_script_and_relative_to_the_page():
    html = ("<script>axios.get('/api/art/list', {params: {}}).then(r => r.data.rows.forEach(row => "
            "list.append('<a href=\"' + 'detail.html?id=' + row.articleId + '\">')))</script>"
            "<script>$.getJSON('/api/art/list?page=1')</script>")
    f = json_api.find(_page("http://h/col/fz/index.html", html))
    req = next(r for r in f.requests if "page=1" in r.url)
    assert req.link_template == ("detail.html?id=", "articleId", "") and req.base == "http://h/col/fz/index.html"
    answer = json.dumps({"rows": [{"articleId": 42, "title": "某局2023年法治政府建设年度报告"},
                                  {"articleId": 43, "name": "某局2022年法治政府建设年度报告", "url": "./2023/a.html"}]},
                        ensure_ascii=False)
    f = json_api.find(_page("http://h/api/art/list?page=1", answer, "application/json", req))
    assert [i.url for i in f.items] == ["http://h/col/fz/detail.html?id=42", "http://h/col/fz/2023/a.html"]


def test_base_href_and_scripted_item_links():
    from etl.discovery.conventions import html_list
    html = """<html><head><base href="http://h/site/col/"></head><body><ul>
    <li><a href="2024/t1.html">某局2023年法治政府建设年度报告</a><span>2024-03-01</span></li>
    <li><a href="javascript:void(0)" onclick="openArticle('/art/2023/t2.html')">某局2022年法治政府建设年度报告</a>
    <span>2023-03-01</span></li></ul></body></html>"""
    f = html_list.find(_page("http://h/other/index.html", html))
    assert [i.url for i in f.items] == ["http://h/site/col/2024/t1.html", "http://h/art/2023/t2.html"]


def test_unchanged_pages_are_not_read_again_and_give_the_same_discovery(settings, portal, monkeypatch, tmp_path):
    """Night 2's 304 pages are the same bytes: their findings come from the page memo, so
    no convention runs, and the discovery is exactly night 1's. Changed bytes are read afresh."""
    from etl.discovery import walk as walk_mod
    from etl.discovery.memo import PageMemo
    from etl.statestore import StateStore
    store = StateStore(tmp_path / "state.sqlite")
    s = replace(settings, politeness_s=0, portal_url=portal.base_url)
    calls = Counter()

    class Counting:
        def __init__(self, conv):
            self.conv, self.NAME = conv, conv.NAME

        def find(self, page):
            calls[page.url] += 1
            return self.conv.find(page)
    monkeypatch.setattr(walk_mod, "CONVENTIONS", [Counting(c) for c in walk_mod.CONVENTIONS])

    def night() -> dict:
        out = {}
        with Http(s) as http:
            for src in load_registry(s.sources_file, portal.base_url):
                cache, memo = Validators.for_source(s, src.id), PageMemo(store, src.id)
                d = discover(src, page_getter(src, http, BlobStore(s.raw_dir), cache, memo), s.max_pages,
                             s.max_documents, memo)
                cache.save()
                memo.save()
                out[src.id] = (d.refs, d.listed, d.pages)
        return out
    reads = Counter()
    real_get = BlobStore.get

    def counting_get(self, sha):
        reads[sha] += 1
        return real_get(self, sha)
    monkeypatch.setattr(BlobStore, "get", counting_get)
    first = night()
    assert calls and reads
    calls.clear()
    reads.clear()
    assert night() == first
    assert not calls, calls          # same bytes (POST answers too): nothing analysed again
    assert not reads, reads          # a 304 with known findings: its stored bytes not even read
    # a page whose bytes differ is read again; only tonight's pages are kept
    req = PageRequest(portal.base_url + "/index.html")
    a = Page(req, req.url, b"<html><a href='/x'>x</a></html>", "text/html")
    b = Page(req, req.url, b"<html><a href='/y'>y</a></html>", "text/html")
    memo = PageMemo(store, "one")
    memo.put(a, [walk_mod.Found()])
    memo.save()
    memo = PageMemo(store, "one")
    assert memo.get(b) is None and memo.get(a) is not None
    memo.save()
    assert len(PageMemo(store, "one").data) == 1
