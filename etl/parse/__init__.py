"""Parse fetched reports into text, whatever the department published: HTML articles, text
and table PDFs, scanned PDFs (OCR), DOCX, DOC and WPS attachments.

    sniff.py    what a file is, from its bytes
    html.py     article pages (trafilatura), deep nesting flattened
    pdf.py      pypdfium2 text, tables on ruled pages, scans sent to OCR; flat memory
    tables.py   cheap ruling detection, pdfplumber's table finder, rows under their header
    lines.py    running headers/footers and page numbers out, broken lines re-joined
    plumber.py  the pdfminer engine: second opinion and benchmark reference
    ocr.py      Tesseract (chi_sim / chi_tra), page budget, mean confidence
    office.py   DOCX (python-docx), DOC/WPS through LibreOffice headless

`parse_fetched(fetched, read_blob)` is the entry point for every format.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from ..http import decode_html
from ..records import Fetched, Parsed
from .errors import Extraction, NeedsTool, ParseError
from .html import Page, parse_html
from .lines import join_lines
from .pdf import parse_pdf, read_pdf
from .sniff import sniff

__all__ = ["Extraction", "NeedsTool", "Page", "ParseError", "content_sha_of", "doc_id_of", "join_lines",
           "parse_fetched", "parse_html", "parse_pdf", "read_bytes", "read_file", "read_pdf", "sniff"]

MIN_ARTICLE_CHARS = 300          # below this an article page is a cover note for its attachment


_DOCUMENT_SUFFIXES = {"pdf": "PDF", "docx": "DOCX", "doc": "DOC", "wps": "WPS"}


def claimed_kind(url: str, content_type: str = "") -> str:
    """What the link or the server says a file is ("PDF", "DOC"...; "" for pages)."""
    suffix = urlsplit(url).path.rsplit(".", 1)[-1].lower() if "." in urlsplit(url).path else ""
    if suffix in _DOCUMENT_SUFFIXES:
        return _DOCUMENT_SUFFIXES[suffix]
    ct = content_type.lower()
    return "PDF" if "pdf" in ct else "DOC" if "msword" in ct or "wordprocessing" in ct else ""


def read_bytes(data: bytes, content_type: str = "", claimed: str = "") -> Extraction:
    """Text of one file, dispatched on its magic bytes; raises ParseError / NeedsTool.
    A file `claimed` to be a document (by its URL or type) that turns out to be a page or
    plain text is an error (an error page served in its place), not a report."""
    from . import office
    kind = sniff(data)
    if kind == "empty":
        raise ParseError(f"empty file ({len(data)} bytes)")
    if claimed and kind in ("html", "text", "binary", "zip"):
        what = {"html": "an HTML page", "text": "plain text", "binary": "unknown binary data", "zip": "a ZIP archive"}[kind]
        raise ParseError(f"broken {claimed}: the file is not a {claimed} but {what} "
                         f"({len(data)} bytes, starting {data[:16]!r})")
    if kind == "pdf":
        return read_pdf(data)
    if kind == "docx":
        return office.read_docx(data)
    if kind in ("doc", "ole"):
        return office.read_doc(data, "doc" if kind == "doc" else "wps")
    if kind == "html":
        page = parse_html(data, content_type)
        return Extraction(text=page.text, fmt="html", warning=page.warning)
    if kind == "text":
        return Extraction(text=decode_html(data.removeprefix(b"\xef\xbb\xbf"), "text/plain; charset=utf-8"), fmt="text")
    raise ParseError(f"not a document this pipeline reads ({kind}, {len(data)} bytes, "
                     f"starting {data[:8]!r})")


def doc_id_of(source_id: str, url: str) -> str:
    """Stable id of a report: its source and article path. The content may change, the id
    does not; neither does it when a site moves host or port (as the demo portal does)."""
    parts = urlsplit(url)
    key = f"{source_id}|{parts.path}?{parts.query}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def content_sha_of(f: Fetched) -> str:
    """One hash over the article and its attachments: any change means re-extraction."""
    shas = [f.sha256] + [a.get("sha256", "") for a in f.attachments]
    return hashlib.sha256("".join(shas).encode()).hexdigest()


def _attachments(f: Fetched, read_blob, common: dict) -> Parsed:
    """The report is in its attachments: read each by its bytes; one bad file is an error
    next to the text of the others."""
    texts, fmts, notes, needs = [], [], [], []
    pages = ocr_pages = 0
    confs: list[tuple[float, int]] = []
    for a in f.attachments:
        if a.get("error") or not a.get("sha256"):
            notes.append(f"attachment {a['url']}: {a.get('error') or 'missing'}")
            continue
        try:
            r = read_bytes(read_blob(a["sha256"]), a.get("content_type", ""),
                           claimed_kind(a["url"], a.get("content_type", "")))
        except NeedsTool as e:
            needs.append(e.needs)
            notes.append(f"attachment {a['url']}: {e.needs}: {e}")      # the token analysts filter on
            continue
        except ParseError as e:
            notes.append(f"attachment {a['url']}: {e}")
            continue
        if r.warning:
            notes.append(f"attachment {a['url']}: {r.warning}")
        if not r.text.strip():
            notes.append(f"attachment {a['url']}: no text")
            continue
        texts.append(r.text)
        fmts.append(r.fmt)
        pages += r.pages
        if r.ocr:
            ocr_pages += r.ocr_pages
            confs.append((r.ocr_confidence or 0.0, r.ocr_pages))
    conf = round(sum(c * n for c, n in confs) / ocr_pages, 1) if ocr_pages else None
    return Parsed(**common, text="\n".join(texts), fmt=fmts[0] if fmts else _fmt_guess(f),
                  pages=pages, error="; ".join(notes) if texts else ("; ".join(notes) or "no text"),
                  ocr=bool(ocr_pages), ocr_confidence=conf, needs=",".join(dict.fromkeys(needs)))


def _fmt_guess(f: Fetched) -> str:
    return f.attachments[0]["url"].rsplit(".", 1)[-1].lower()[:5] if f.attachments else "html"


def parse_fetched(f: Fetched, read_blob) -> Parsed:
    """Turn a fetched report into text. The HTML body is the report unless it is a short
    cover note, then its attachments are (PDF, scanned PDF, DOCX, DOC, WPS: by their bytes).
    A link straight to a file is read as that file. Problems come back in `Parsed.error`."""
    base = dict(doc_id=doc_id_of(f.source_id, f.url), source_id=f.source_id, url=f.url,
                content_sha256=content_sha_of(f))
    data = read_blob(f.sha256)
    kind = sniff(data)
    if kind not in ("html", "text"):            # the "article" is itself a file
        as_file = replace(f, attachments=[{"url": f.url, "sha256": f.sha256, "content_type": f.content_type}])
        return _attachments(as_file, lambda _: data, dict(base, title=f.title))
    try:
        page = parse_html(data, f.content_type)
    except ParseError as e:
        return Parsed(**base, title=f.title, text="", fmt="html", error=str(e))
    common = dict(base, title=page.title or f.title, pub_date=page.pub_date, content_source=page.content_source)
    if len(page.text) >= MIN_ARTICLE_CHARS or not f.attachments:
        return Parsed(**common, text=page.text, fmt="html", error=page.warning)
    p = _attachments(f, read_blob, common)
    if page.warning:
        p.error = "; ".join(x for x in (page.warning, p.error) if x)
    if p.text.strip() and re.search(r"\d", page.text):
        p.text = page.text.rstrip() + "\n" + p.text      # the cover note's own figures are kept too
    return p


def read_file(path: Path) -> tuple[str, str]:
    """(text, title) of a local file of any kind this package reads, for the command line."""
    data = path.read_bytes()
    claimed = claimed_kind(path.name)
    if sniff(data) == "html" and not claimed:
        p = parse_html(data)
        return p.text, p.title
    return read_bytes(data, claimed=claimed).text, ""
