"""Every other shape a report comes in: content type by magic bytes, DOCX, DOC (LibreOffice),
scanned PDFs (Tesseract), deep HTML, and parse_fetched over mixed attachments."""
from __future__ import annotations

import shutil

import pytest

from demo_portal.documents import doc_bytes, docx_bytes, report_pdf, scanned_pdf
from demo_portal.markup import Block
from etl.extract import extract_facts
from etl.parse import NeedsTool, ParseError, ocr, office, parse_fetched, parse_html, read_bytes, sniff
from etl.records import Fetched

BLOCKS = [
    Block("h", "一、严格规范执法"),
    Block("p", "全年组织开展执法检查126次，出动执法人员3200人次，立案查处违法案件58件。"),
    Block("table", rows=[["项目", "办理数量（件）"], ["行政许可", "2191"], ["行政复议", "17"]]),
    Block("p", "二是深化普法宣传，举办法治讲座12场。"),
]
PLANTED = {(126.0, "次"), (3200.0, "人次"), (58.0, "件"), (2191.0, "件"), (17.0, "件"), (12.0, "场")}
NO_TESSERACT = ocr.unavailable()
NO_SOFFICE = office.soffice() is None


def _facts(text: str) -> set[tuple[float, str]]:
    return {(f.value, f.unit) for f in extract_facts(text, "t")}


def test_content_type_by_magic_bytes():
    assert sniff(report_pdf("", "某局", BLOCKS)) == "pdf"
    assert sniff(b"\r\n  %PDF-1.7 junk before the header") == "pdf"
    assert sniff(docx_bytes("", BLOCKS)) == "docx"
    assert sniff(b"PK\x03\x04" + b"\x00" * 40) == "binary"           # not even a zip
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert sniff("全年办结行政复议案件12件。".encode()) == "text"
    assert sniff(b"   \n") == "empty"


def test_docx_paragraphs_and_tables_in_order():
    r = read_bytes(docx_bytes("某局2024年法治政府建设年度报告", BLOCKS))
    assert r.fmt == "docx"
    lines = r.text.split("\n")
    assert lines[:3] == ["某局2024年法治政府建设年度报告", "一、严格规范执法", BLOCKS[1].text]
    assert lines[3:6] == ["项目\t办理数量（件）", "行政许可\t2191", "行政复议\t17"]
    assert _facts(r.text) == PLANTED


def test_broken_docx_is_a_clear_error():
    data = docx_bytes("", BLOCKS)
    with pytest.raises(ParseError, match="broken DOCX|not a document"):
        read_bytes(data[: len(data) // 2])


@pytest.mark.skipif(NO_SOFFICE, reason="LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
def test_doc_is_read_through_libreoffice():
    data = doc_bytes(docx_bytes("", BLOCKS))
    assert data is not None and sniff(data) == "doc"
    r = read_bytes(data)
    assert r.fmt == "doc"
    assert "行政许可\t2191" in r.text
    assert _facts(r.text) == PLANTED


def test_doc_without_libreoffice_is_recorded_as_needing_it(monkeypatch):
    monkeypatch.setattr(office, "soffice", lambda: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    with pytest.raises(NeedsTool, match="needs LibreOffice") as e:
        read_bytes(ole)
    assert e.value.needs == "needs_libreoffice"


@pytest.mark.skipif(NO_TESSERACT is not None, reason=f"OCR not available: {NO_TESSERACT}")
def test_scanned_pdf_is_ocrd_with_confidence():
    r = read_bytes(scanned_pdf("", BLOCKS))
    assert r.ocr and r.ocr_pages == 1 and r.ocr_confidence is not None and r.ocr_confidence > 70
    assert "执法检查126次" in r.text
    assert "行政许可\t2191" in r.text                    # the table's columns come back as cells
    assert _facts(r.text) >= PLANTED - {(17.0, "件")}


def test_scanned_pdf_without_ocr_is_needs_ocr_never_empty(monkeypatch):
    monkeypatch.setenv("ETL_OCR_MAX_PAGES", "0")           # no page may be OCR'd
    with pytest.raises(NeedsTool, match="scanned PDF: 1 image-only pages") as e:
        read_bytes(scanned_pdf("", BLOCKS))
    assert e.value.needs == "needs_ocr"


def test_deep_html_is_flattened_not_silently_empty():
    body = "<p>本年度全年开展联合检查80余次，出动执法人员三千余人次，检查各类经营场所1.5万家次，立案查处违法案件46件。</p>" * 4
    for depth in (300, 5000):
        page = ("<html><head><meta charset='utf-8'><title>报告</title></head><body>" + "<div>" * depth
                + body + "</div>" * depth + "</body></html>").encode()
        p = parse_html(page)
        assert "立案查处违法案件46件" in p.text, depth
        assert "flattened" in p.warning


def _cover(blobs: dict, atts: list[tuple[str, str]]) -> Fetched:
    blobs["page"] = ("<html><head><meta charset='utf-8'><meta name='ArticleTitle' content='某局2024年报告'></head>"
                     "<body><div class='article'><h1>某局2024年报告</h1><p>附件：报告全文</p></div></body></html>").encode()
    return Fetched("s1", "http://x/a.html", "t", "fetched", "page", "text/html",
                   [{"url": f"http://x/{name}", "sha256": key, "content_type": "application/octet-stream"}
                    for name, key in atts])


def test_parse_fetched_reads_each_attachment_by_its_bytes(monkeypatch):
    monkeypatch.setenv("ETL_OCR_MAX_PAGES", "0")
    blobs = {"docx": docx_bytes("", BLOCKS), "scan": scanned_pdf("", BLOCKS), "html": b"<html>404</html>",
             "zero": b""}
    f = _cover(blobs, [("a.pdf", "docx"), ("b.pdf", "scan"), ("c.pdf", "html"), ("d.doc", "zero")])
    p = parse_fetched(f, blobs.__getitem__)
    assert p.fmt == "docx" and "行政许可\t2191" in p.text
    assert "b.pdf: needs_ocr: scanned PDF" in p.error and "c.pdf: broken PDF: the file is not a PDF but an HTML page" in p.error
    assert "d.doc: empty file" in p.error
    assert p.needs == "needs_ocr" and not p.ocr


def test_a_listed_url_that_is_itself_a_pdf():
    blobs = {"pdf": report_pdf("", "某局", BLOCKS)}
    f = Fetched("s1", "http://x/download.jsp?id=7", "某局报告", "fetched", "pdf", "application/octet-stream", [])
    p = parse_fetched(f, blobs.__getitem__)
    assert p.fmt == "pdf" and p.pages == 1 and p.error == "" and "行政许可\t2191" in p.text


def test_only_unreadable_attachments_is_an_error_with_every_reason():
    blobs = {"a": b"%PDF-1.4\n1 0 obj garbage", "b": b""}
    f = _cover(blobs, [("a.pdf", "a"), ("b.pdf", "b")])
    p = parse_fetched(f, blobs.__getitem__)
    assert p.text == "" and "a.pdf: broken PDF" in p.error and "b.pdf: empty file" in p.error


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract not installed")
def test_ocr_languages_installed():
    assert NO_TESSERACT is None
