"""Fetching every shape a report comes in, over real loopback HTTP on the demo portal:
articles and their attachments (by extension, by link text, behind download endpoints,
in viewers), a listing entry that is itself a PDF, refused links recorded, failures isolated,
conditional GET on the second night."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from etl.fetch import attachment_links, fetch_source, filename_of
from etl.discovery import load_registry
from etl.http import FetchError, Http
from etl.records import DocRef
from etl.store import BlobStore, Validators

ARTICLE = """<html><body><div class="nav"><a href="/x.pdf">站点说明.pdf</a></div>
<div class="TRS_Editor"><p>现将报告予以公开。</p></div>
<p>附件：<a href="/module/download/downfile.jsp?classid=0&fileid=77">某局2023年法治政府建设年度报告.pdf</a></p>
<p><a href="./P020240101.pdf">原文</a> <a href="/attach/get?id=5" title="某局年度报告.docx">下载</a></p>
<iframe src="/pdfjs/web/viewer.html?file=/upload/2024/report.pdf"></iframe>
<a href="mailto:a@b.c">联系我们</a></body></html>"""


def test_attachment_links_by_extension_text_endpoint_and_viewer():
    links = {l.url: l.how for l in attachment_links(ARTICLE.encode(), "text/html", "http://h/col/202401/t1.html")}
    assert links["http://h/module/download/downfile.jsp?classid=0&fileid=77"] == "link-text"
    assert links["http://h/col/202401/P020240101.pdf"] == "extension"
    assert links["http://h/attach/get?id=5"] == "link-text"
    assert links["http://h/upload/2024/report.pdf"] == "viewer"


@pytest.mark.parametrize("header, name", [
    ("attachment; filename*=UTF-8''%E6%B3%95%E6%B2%BB%E6%8A%A5%E5%91%8A.pdf", "法治报告.pdf"),
    ('attachment; filename="report.pdf"; filename*=UTF-8\'\'%E6%8A%A5%E5%91%8A.pdf', "报告.pdf"),
    ('attachment; filename="plain.pdf"', "plain.pdf"),
    ('attachment; filename="æ³\x95æ²».pdf"', "法治.pdf"),       # raw UTF-8 sent as Latin-1
    ("", ""),
])
def test_content_disposition_names(header, name):
    assert filename_of(header) == name


def _manifest(site: Path) -> list[dict]:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


def _source(settings, portal, sid):
    return next(s for s in load_registry(settings.sources_file, portal.base_url) if s.id == sid)


def test_direct_pdf_entry_and_download_endpoint(settings, site, portal):
    s = replace(settings, politeness_s=0)
    by_fmt = {m["fmt"]: m for m in _manifest(site)}
    with Http(s) as http:
        for fmt in ("pdf_direct", "download"):
            m = by_fmt[fmt]
            src = _source(s, portal, m["source_id"])
            [f] = fetch_source([DocRef(src.id, portal.base_url + m["url"], m["title"])], src, s, http)
            assert f.status == "fetched", f.error
            if fmt == "pdf_direct":
                assert f.content_type == "application/pdf" and not f.attachments
            else:
                [a] = f.attachments
                assert a["format"] == "pdf" and a["content_type"] == "application/pdf"
                assert a["filename"] == f"{m['title']}.pdf"           # from filename*=UTF-8''
                assert BlobStore(s.raw_dir).get(a["sha256"]).startswith(b"%PDF")


def test_off_host_links_are_refused_and_recorded_not_failed(settings, portal, tmp_path):
    s = replace(settings, politeness_s=0)
    src = replace(_source(s, portal, "hb-qk-wlj"), listing_url="http://localhost:1/x")   # portal not allowed
    with Http(s) as http:
        [f] = fetch_source([DocRef(src.id, portal.base_url + "/index.html", "t")], src, s, http)
    assert f.status == "refused" and "not among the source's hosts" in f.error


def test_fetch_uses_conditional_get_and_isolates_failures(settings, site, portal):
    s = replace(settings, politeness_s=0)
    reports = [m for m in _manifest(site) if m["source_id"] == "gd-gz-sthjj"]
    src = _source(s, portal, "gd-gz-sthjj")
    refs = [DocRef(src.id, portal.base_url + m["url"], m["title"]) for m in reports]
    refs.insert(1, DocRef(src.id, f"{portal.base_url}/no/such/page.html", "missing"))
    with Http(s) as http:
        first = fetch_source(refs, src, s, http)
    assert [f.status for f in first] == ["fetched", "error"] + ["fetched"] * (len(refs) - 2)
    assert "HTTP 404" in first[1].error
    assert any(a.get("format") == "pdf" for f in first for a in f.attachments)   # the 'both' report
    # the next night: known reports are not due (ETL_RECHECK_DAYS), only the failed one is asked
    seen = len(portal.log)
    with Http(s) as http:
        second = fetch_source(refs, src, s, http)
    assert [f.sha256 for f in second] == [f.sha256 for f in first]      # same blobs, from the store
    assert [p for _, p, _ in portal.log[seen:] if p != "/robots.txt"] == ["/no/such/page.html"]
    # when due (here: every night), they are asked conditionally and answer 304
    before = portal.stats.get(304, 0)
    with Http(s) as http:
        third = fetch_source(refs, src, replace(s, recheck_days=0), http)
    assert [f.sha256 for f in third] == [f.sha256 for f in first]
    assert portal.stats.get(304, 0) - before >= len(reports)
    assert Validators.for_source(s, src.id).data                        # validators persisted


def test_http_errors_are_readable(settings, portal):
    s = replace(settings, timeout_s=0.5, retries=2, politeness_s=0)
    with Http(s) as http:
        with pytest.raises(FetchError, match="robots"):
            http.get(f"{portal.base_url}/admin/secret.html")
        with pytest.raises(FetchError, match="HTTP 404"):
            http.get(f"{portal.base_url}/missing.html")
        with pytest.raises(FetchError, match="attempts"):
            http.get("http://127.0.0.1:9/unreachable.html")   # port 9: refused at once


def test_cover_note_figures_are_kept_beside_the_attachment():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    import io
    from etl.parse import parse_fetched
    from etl.records import Fetched
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, "全年办结行政复议案件12件。")
    c.save()
    note = ("<html><head><meta charset='utf-8'><title>t</title></head><body><div class='TRS_Editor'>"
            "<p>现将报告全文予以公开，另：全年受理群众来信36件。</p></div></body></html>")
    blobs = {"a": note.encode(), "b": buf.getvalue()}
    f = Fetched("s1", "http://x/a.html", "t", "fetched", "a", "text/html; charset=utf-8",
                [{"url": "http://x/dl?id=1", "sha256": "b", "content_type": "application/pdf"}])
    p = parse_fetched(f, blobs.__getitem__)
    assert "受理群众来信36件" in p.text and "行政复议案件12件" in p.text


def test_script_links_attachment_text_and_framed_bodies():
    html = ("<a href=\"javascript:openFile('/upload/r.pdf')\">下载</a>"
            "<a onclick=\"window.open('/u/x.docx')\">查看</a>"
            "<p><a href='/cms/f/abc'>附件1：某局2023年法治政府建设年度报告</a></p>"
            "<p><a href='/other/page.html'>附件说明页</a></p><iframe src='/content/88.html'></iframe>")
    links = {l.url: l.how for l in attachment_links(html.encode(), "text/html", "http://h/a/b.html")}
    assert links == {"http://h/upload/r.pdf": "script-link", "http://h/u/x.docx": "script-link",
                     "http://h/cms/f/abc": "attachment-text", "http://h/content/88.html": "frame"}


def test_refusals_join_the_discovery_record(settings):
    from etl.pipeline.crawl import _record_refusals
    from etl.records import Fetched, Listed
    from etl.runstore import DISCOVERY, RunStore
    listed = [Listed("s", "http://h/a.html", "某局2023年法治政府建设年度报告", "report", "法治政府建设 + 年度报告"),
              Listed("s", "http://h/b.html", "通知", "decoy", "'通知': a notice")]
    run = RunStore(settings, "r")
    run.write(DISCOVERY, "s", listed)
    fetched = [Fetched("s", "http://h/a.html", "t", "refused", error="disallowed by robots.txt: http://h/a.html",
                       refused_links=[{"url": "http://cdn.x/r.pdf", "text": "全文", "refused": "off-host",
                                       "error": "cdn.x is not among the source's hosts"}])]
    _record_refusals(run, "s", fetched)
    rows = {(x.url, x.decision) for x in run.read(DISCOVERY, "s")}
    assert rows == {("http://h/a.html", "robots-refused"), ("http://h/b.html", "decoy"),
                    ("http://cdn.x/r.pdf", "off-host")}


def test_run_params_backfill_one_report_year_and_full_recheck(settings, portal):
    from etl.pipeline.crawl import discover_task, fetch_task
    from etl.pipeline.plan import plan
    from etl.runstore import DISCOVERED, RunStore
    s = replace(settings, politeness_s=0, portal_url=portal.base_url)
    [[sid]] = plan(s, "night1", {"sources": ["gd-gz-sthjj"]})
    discover_task("night1", [sid], s)
    fetch_task("night1", [sid], s)
    plan(s, "backfill", {"sources": [sid], "report_year": 2023})
    seen = len(portal.log)
    discover_task("backfill", [sid], s)
    refs = RunStore(s, "backfill").read(DISCOVERED, sid)
    assert refs and {r.report_year for r in refs} == {2023}
    fetch_task("backfill", [sid], s)            # known reports asked again (conditionally)
    asked = {p for _, p, _ in portal.log[seen:]}
    assert all(r.url.removeprefix(portal.base_url) in asked for r in refs)
