"""The rendering tier in real Chromium (Playwright on /usr/bin/chromium) over the demo
portal's script-built columns: what the browser reads, what it learns, and that an
unchanged second night starts no browser and asks for no known report again."""
from __future__ import annotations

import re

import json
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


from demo_portal.scripted import AGENCIES as SCRIPTED
from etl.discovery import discover, load_registry
from etl.discovery.memo import Learned
from etl.discovery.page import Found, Item, Page, PageRequest
from etl.discovery.render import (Renderer, is_challenge, is_shell, learn, page_step, renderer_for,
                                  template_items)
from etl.discovery.walk import needs_render
from etl.http import FetchError, Http
from etl.discovery.getter import page_getter
from etl.pipeline.crawl import discover_task, fetch_task
from etl.records import Source
from etl.runstore import FETCHED, RunStore
from etl.statestore import StateStore
from etl.store import BlobStore, Validators

SCRIPTED_IDS = [a.id for a in SCRIPTED]


def _manifest(site: Path) -> list[dict]:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


# ---------------------------------------------------------------- units


def test_challenge_and_shell_pages_are_recognised():
    tiny = "<html><body><script>document.cookie='a=1';location.reload();</script></body></html>"
    assert is_challenge(tiny) and is_challenge("", 521)
    assert not is_challenge("<html><body><p>" + "正文" * 100 + "</p><script>document.cookie='a=1'</script></body></html>")
    shell = "<html><body><div class='nav'><a href='/'>首页</a></div><div id='app'></div><script src='a.js'></script></body></html>".encode()
    assert is_shell(shell)
    assert not is_shell(b"<html><body><div>" + "报告正文内容".encode() * 30 + b"</div><script></script></body></html>")


def test_page_parameter_learned_from_two_requests():
    a = PageRequest("http://h/api/list", (("site", "3"), ("pageNum", "1"), ("size", "10")), "POST", json_body=True)
    b = PageRequest("http://h/api/list", (("site", "3"), ("pageNum", "2"), ("size", "10")), "POST", json_body=True)
    assert page_step(a, b) == ("pageNum", 1)
    c = PageRequest("http://h/more?start=0&rows=10")
    d = PageRequest("http://h/more?start=10&rows=10")
    [first] = learn([(c, 10), (d, 10)])
    assert (first.step_param, first.step, first.via) == ("start", 10, "replay")
    assert learn([(c, 0)]) == []                     # an answer without items teaches nothing


def test_links_built_from_a_record_field_are_learned():
    from etl.discovery.render import _link_template
    doc = {"data": {"rows": [{"id": 12345, "title": "某局2024年法治政府建设年度报告", "date": "2025-01-02"}]}}
    shown = {"某局2024年法治政府建设年度报告": "http://h/app/detail.html?id=12345"}
    assert _link_template(doc, shown) == ("http://h/app/detail.html?id=", "id", "")
    assert _link_template(doc, {"别的标题": "http://h/x.html"}) == ()


def test_onclick_template_reads_rows_without_a_browser():
    html = """<table><tr onclick="openArticle('202401', '20240105_77')"><td>某局2023年法治政府建设年度报告</td>
    <td>2024-01-05</td></tr></table>"""
    page = Page(PageRequest("http://h/c/"), "http://h/c/", html.encode(), "text/html", html)
    [it] = template_items(page, {"openArticle": ["http://h/c/", "/t", ".html"]})
    assert (it.url, it.title, it.date) == ("http://h/c/202401/t20240105_77.html", "某局2023年法治政府建设年度报告",
                                           "2024-01-05")


def test_jsonp_answers_read_as_json():
    text = 'showList({"list": [{"title": "某局2024年法治政府建设年度报告", "url": "/a/1.html"}]});'
    page = Page(PageRequest("http://h/x.jsp?page=1"), "http://h/x.jsp?page=1", text.encode(), "application/javascript", text)
    assert page.is_json and page.json()["list"][0]["url"] == "/a/1.html"


def test_static_pages_say_why_they_need_a_browser():
    def page(html: str) -> Page:
        return Page(PageRequest("http://h/c/"), "http://h/c/", html.encode(), "text/html", html)
    item = Found(items=[Item("http://h/c/1.html", "某局2024年法治政府建设年度报告")])
    assert needs_render(page("<div id='app'></div>"), []) == "no list"
    assert needs_render(page("<ul><li><a href='1.html'>x</a></li></ul><button>加载更多</button>"), [item]) == "pager"
    assert needs_render(page("<ul><li><a href='1.html'>x</a></li></ul><a href='index_1.html'>下一页</a>"),
                        [replace(item, requests=[PageRequest("http://h/c/index_1.html")])]) == ""


# ---------------------------------------------------------------- the demo's script-built columns


def _registry(settings, portal, ids):
    return [s for s in load_registry(settings.sources_file, portal.base_url) if s.id in ids]


def test_every_script_built_column_is_read_in_the_browser(settings, portal, site):
    s = replace(settings, politeness_s=0, portal_url=portal.base_url)
    manifest = _manifest(site)
    with Http(s) as http:
        renderer = Renderer(s, http)
        try:
            for src in _registry(s, portal, SCRIPTED_IDS):
                learned = Learned.for_source(s, src.id)
                get = page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id))
                disc = discover(src, get, s.max_pages, s.max_documents, renderer=renderer, learned=learned)
                want = {portal.base_url + m["url"] for m in manifest if m["source_id"] == src.id}
                assert {r.url for r in disc.refs} == want, (src.id, disc.listing_error, disc.page_errors)
                assert not disc.listing_error and not disc.page_errors, src.id
                assert disc.rendered == (0 if src.id == "ln-hp-mzj" else 1), src.id   # oldest-first is static
                assert all(x.decision != "decoy" or x.url not in want for x in disc.listed)
                # a clicked table row's title is its title cell, not the row with its date cell
                assert not [x.title for x in disc.listed if re.search(r"\d{4}-\d{2}-\d{2}$", x.title)], src.id
        finally:
            renderer.close()
        assert renderer.pages_rendered >= 6 and renderer.requests > 0


def test_oldest_first_list_is_read_from_its_last_page(settings, portal, site):
    s = replace(settings, politeness_s=0, portal_url=portal.base_url)
    [src] = _registry(s, portal, ["ln-hp-mzj"])
    src = replace(src, max_pages=5)                  # 12 pages, budget 5: the newest pages first
    with Http(s) as http:
        disc = discover(src, page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id)))
    assert disc.pages == 5 and disc.pages_capped == 7
    assert 2024 in {r.report_year for r in disc.refs}        # the newest report sits near the end
    read = {x.listing_url.rsplit("/", 1)[1] for x in disc.listed if x.decision != "over-cap"}
    assert read == {"index.html", "index_11.html", "index_10.html", "index_9.html", "index_8.html"}, read


def test_second_night_starts_no_browser_and_asks_for_no_known_report(settings, portal, site, monkeypatch):
    """Nights 1 and 2 of the crawl (discover + fetch) on the script-built columns."""
    s = replace(settings, politeness_s=0, portal_url=portal.base_url)
    monkeypatch.setattr("etl.pipeline.crawl.load_settings", lambda: s)
    reports = {portal.base_url + m["url"] for m in _manifest(site) if m["source_id"] in SCRIPTED_IDS}
    per_night = []
    for night in ("n1", "n2"):
        start = len(portal.log)
        http = Http(s)
        monkeypatch.setattr("etl.pipeline.crawl.shared_http", lambda _s, http=http: http)
        discover_task(night, SCRIPTED_IDS, s)
        fetch_task(night, SCRIPTED_IDS, s)
        r = renderer_for(s, http)
        per_night.append((r.pages_rendered, portal.log[start:]))
        fetched = [f for sid in SCRIPTED_IDS for f in RunStore(s, night).read(FETCHED, sid)]
        assert {f.url for f in fetched if f.status == "fetched"} == reports, night
        r.close()
        http.close()
    (rendered1, _), (rendered2, log2) = per_night
    assert rendered1 >= 7                            # six listings + the app shell's article
    assert rendered2 == 0                            # an unchanged night starts no browser
    asked2 = {p for _, p, _ in log2}
    assert not {u.removeprefix(portal.base_url) for u in reports} & asked2     # no known report asked again
    # the app shell's article was read as rendered: its body came from the detail API
    docs = RunStore(s, "n1").read(FETCHED, "sn-yt-scjgj")
    [doc] = [d for d in docs]
    assert "出动执法人员3100余人次".encode() in BlobStore(s.raw_dir).get(doc.sha256)


class _Wall(BaseHTTPRequestHandler):
    """A challenge that is never satisfied: 521 with a cookie-setting script, always."""
    def do_GET(self):  # noqa: N802
        body = b"<html><body><script>document.cookie='x=1;path=/';location.reload();</script></body></html>"
        self.send_response(521 if self.path != "/robots.txt" else 404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):  # noqa: D102
        pass


def test_a_challenge_the_browser_cannot_pass_is_its_own_error(settings):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Wall)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        s = replace(settings, politeness_s=0, retries=1, render_timeout_s=15)
        src = Source(id="wall", agency="某局", listing_url=f"http://127.0.0.1:{srv.server_address[1]}/col/index.html")
        with Http(s) as http:
            renderer = Renderer(s, http)
            try:
                disc = discover(src, page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, "wall")),
                                renderer=renderer)
            finally:
                renderer.close()
        # the browser gave up on the challenge, or (on a slow machine) ran out of time on it:
        # either way the listing names the challenge
        assert disc.listing_error.startswith(f"blocked by a script challenge at {src.listing_url}"), disc.listing_error
    finally:
        srv.shutdown()


def test_a_missing_browser_is_an_error_for_the_sources_that_need_it(settings, portal):
    s = replace(settings, politeness_s=0, portal_url=portal.base_url, chromium="/nonexistent/chromium")
    srcs = _registry(s, portal, ["sn-yt-scjgj", "zj-xh-wjj"])
    with Http(s) as http:
        renderer = Renderer(s, http)
        out = {src.id: discover(src, page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id)),
                                renderer=renderer) for src in srcs}
        renderer.close()
    shell = out["sn-yt-scjgj"]
    assert any("no browser (/nonexistent/chromium)" in err for _, err in shell.page_errors)
    assert shell.warnings and "listed no items" in shell.warnings[0]
    assert out["zj-xh-wjj"].refs and not out["zj-xh-wjj"].page_errors     # the others run


def test_a_rendered_page_over_its_request_budget_is_a_recorded_error(settings, portal):
    s = replace(settings, politeness_s=0, portal_url=portal.base_url, render_max_requests=2)
    [src] = _registry(s, portal, ["sn-yt-scjgj"])
    with Http(s) as http:
        renderer = Renderer(s, http)
        try:
            disc = discover(src, page_getter(src, http, BlobStore(s.raw_dir), Validators.for_source(s, src.id)),
                            renderer=renderer)
        finally:
            renderer.close()
    assert any("more than 2 requests (ETL_RENDER_MAX_REQUESTS)" in err for _, err in disc.page_errors)


def test_a_guessed_page_that_is_not_there_ends_the_guess_silently():
    src = Source(id="g", agency="某局", listing_url="http://h/c/index.html")
    first = ("<div class='list'><ul>" + "".join(f"<li><a href='{i}.html'>某局2024年第{i}号通知公告事项</a><span>2024-01-0{i}</span></li>"
                                               for i in range(1, 4)) + "</ul></div><div>共5页</div>"
             "<script>createPageHTML(5, 0, 'index', 'html');</script>")

    def get(req: PageRequest) -> Page:
        if req.url == src.listing_url:
            return Page(req, req.url, first.encode(), "text/html", first)
        raise FetchError(f"HTTP 404: {req.url}")
    disc = discover(src, get)
    assert not disc.listing_error and not disc.page_errors
    assert disc.not_pages and all(x.decision == "not-a-page" for x in disc.listed if x.url in disc.not_pages)


def test_a_listing_with_scripts_and_no_report_is_rendered_once_then_remembered(tmp_path):
    """Decoys in the HTML, the reports fetched by a script: rendered while it pays; a
    rendering that shows no more reports is remembered, so later nights stay static."""
    from etl.discovery.render import Rendered
    src = Source(id="mixed", agency="某局", listing_url="http://h/c/index.html")
    html = ("<div class='list'><ul>" + "".join(f"<li><a href='{i}.html'>关于开展第{i}次安全检查工作的通知</a>"
                                              f"<span>2024-0{i}-01</span></li>" for i in range(1, 4)) +
            "</ul></div><script>$.ajax({url: location.pathname + 'x', success: show});</script>")

    def get(req: PageRequest) -> Page:
        return Page(req, req.url, html.encode(), "text/html", html)

    class FakeRenderer:                      # the walk's side only; the browser is tested above
        def __init__(self, titles):
            self.titles, self.calls = titles, 0

        def render(self, source, req, n, remember=None):
            self.calls += 1
            page = Page(PageRequest(req.url), req.url, html.encode(), "text/html", html)
            return Rendered(page, found=[Found(items=[Item(f"http://h/c/r{k}.html", t) for k, t in enumerate(self.titles)])])

    store = StateStore(tmp_path / "state.sqlite")
    learned = Learned(store, "l")
    r = FakeRenderer(["某局2024年法治政府建设年度报告"])
    disc = discover(src, get, renderer=r, learned=learned)
    assert r.calls == 1 and [x.report_year for x in disc.refs] == [2024]
    learned = Learned(store, "l2")
    r = FakeRenderer([])                     # nothing more in the rendered page
    discover(src, get, renderer=r, learned=learned)
    assert r.calls == 1 and learned.data["no_gain"] is True
    discover(src, get, renderer=r, learned=learned)
    assert r.calls == 1                      # not rendered again
