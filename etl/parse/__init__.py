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
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..http import decode_html
from ..records import Fetched, Parsed
from .errors import Extraction, NeedsTool, ParseError
from .html import Page, parse_html
from .lines import join_lines
from .parts import Part
from .pdf import parse_pdf, read_pdf
from .sniff import sniff

log = logging.getLogger(__name__)

__all__ = ["Extraction", "NeedsTool", "Page", "ParseError", "content_sha_of", "doc_id_of", "join_lines",
           "parse_fetched", "parse_html", "parse_pdf", "read_bytes", "read_file", "read_pdf", "sniff"]

from .parts import MIN_ARTICLE_CHARS  # noqa: E402,F401  (last resort only: parts.choose decides)


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
    if kind == "xlsx":                          # a 附表 workbook: its sheets as rows
        from .sheets import read_xlsx
        return read_xlsx(data)
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


def read_image(data: bytes) -> Extraction:
    """A page image (a scanned report page inside an article): OCR'd like a scanned PDF page."""
    import io
    from . import ocr
    from .lines import join_lines
    why = ocr.unavailable()
    if why:
        raise NeedsTool("needs_ocr", f"a page image needs OCR: {why}")
    from PIL import Image
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as e:              # truncated or unknown image: this part only
        raise ParseError(f"unreadable image: {type(e).__name__}: {e}") from e
    if min(image.size) < MIN_PAGE_IMAGE_PX:
        return Extraction(text="", fmt="image", warning=f"image {image.size[0]}x{image.size[1]} too small for a page")
    reader = ocr.Reader()
    lines = reader.image(image.convert("L"))
    return Extraction(text=join_lines(lines, stripped=True), pages=1, fmt="image", ocr=True,
                      ocr_confidence=reader.confidence, ocr_pages=1)


MIN_PAGE_IMAGE_PX = 400          # an icon, a logo or a QR code is no page
_MEMBER_KINDS = ("pdf", "docx", "doc", "ole", "xlsx", "image", "text")


def _read_file_parts(name: str, data: bytes, content_type: str, claimed: str, order: int,
                     notes: list[str], needs: list[str]) -> list[Part]:
    """One file as parts: itself, or every member of a ZIP archive (bounded)."""
    from .archive import members
    kind = sniff(data)
    if kind == "zip":
        out = []
        try:
            for i, m in enumerate(members(data, notes)):
                mk = sniff(m.data)
                if mk not in _MEMBER_KINDS:
                    notes.append(f"{name}/{m.name}: skipped ({mk})")
                    continue
                out += _read_file_parts(f"{name}/{m.name}", m.data, "", "", order * 1000 + i + 1, notes, needs)
        except ParseError as e:
            notes.append(f"{name}: {e}")
        return out
    try:
        r = read_image(data) if kind == "image" else read_bytes(data, content_type, claimed)
    except NeedsTool as e:
        needs.append(e.needs)
        notes.append(f"attachment {name}: {e.needs}: {e}")      # the token analysts filter on
        return []
    except ParseError as e:
        notes.append(f"attachment {name}: {e}")
        return []
    if r.warning:
        notes.append(f"attachment {name}: {r.warning}")
    if not r.text.strip():
        if kind != "image":
            notes.append(f"attachment {name}: no text")
        return []
    return [Part(name, r.text, r.fmt, order, r.pages, r.ocr_pages if r.ocr else 0, r.ocr_confidence)]


def _images_as_one(parts: list[Part]) -> list[Part]:
    """Consecutive page images are the pages of one scanned document, in page order."""
    out: list[Part] = []
    for p in parts:
        if p.fmt == "image" and out and out[-1].fmt == "image":
            prev = out[-1]
            n = prev.ocr_pages + p.ocr_pages
            conf = [(c, k) for c, k in ((prev.ocr_confidence, prev.ocr_pages), (p.ocr_confidence, p.ocr_pages)) if c]
            prev.text = prev.text.rstrip() + "\n" + p.text
            prev.pages, prev.ocr_pages = prev.pages + p.pages, n
            prev.ocr_confidence = round(sum(c * k for c, k in conf) / sum(k for _, k in conf), 1) if conf else None
            continue
        out.append(p)
    return out


def _parts_of(f: Fetched, read_blob, notes: list[str], needs: list[str]) -> list[Part]:
    parts: list[Part] = []
    for i, a in enumerate(f.attachments, start=1):
        name = a.get("filename") or a.get("text") or a["url"].rsplit("/", 1)[-1]
        if a.get("error") or not a.get("sha256"):
            notes.append(f"attachment {a['url']}: {a.get('error') or 'missing'}")
            continue
        claimed = claimed_kind(a["url"], a.get("content_type", "")) if a.get("how") != "image" else ""
        label = a["url"] if not (a.get("filename") or a.get("text")) else f"{a['url']} ({name})"
        got = _read_file_parts(name, read_blob(a["sha256"]), a.get("content_type", ""), claimed, i, notes, needs)
        if not got and not any(n.startswith(f"attachment {name}") for n in notes) and a.get("how") != "image":
            notes.append(f"attachment {label}: no text")
        parts += got
    return _images_as_one(parts)


def _assembled(f: Fetched, common: dict, article: Part | None, parts: list[Part],
               notes: list[str], needs: list[str]) -> Parsed:
    from .parts import assemble, choose, judge
    everything = ([article] if article is not None else []) + parts
    judge(everything)
    report, others, why = choose(everything)
    read = [p for p in everything if p.text.strip()]
    ocr_pages = sum(p.ocr_pages for p in read)
    confs = [(p.ocr_confidence or 0.0, p.ocr_pages) for p in read if p.ocr_pages]
    conf = round(sum(c * n for c, n in confs) / ocr_pages, 1) if ocr_pages else None
    text = assemble(report, others) if report else ""
    fmt = report[0].fmt if report else _fmt_guess(f)
    if fmt == "image":
        fmt = "ocr"
    log.debug("%s: report part %s", f.url, why)
    return Parsed(**common, text=text, fmt=fmt, pages=sum(p.pages for p in report),
                  error="; ".join(notes) if text else ("; ".join(notes) or "no text"),
                  ocr=bool(ocr_pages), ocr_confidence=conf, needs=",".join(dict.fromkeys(needs)))


def _fmt_guess(f: Fetched) -> str:
    return f.attachments[0]["url"].rsplit(".", 1)[-1].lower()[:5] if f.attachments else "html"


def parse_fetched(f: Fetched, read_blob) -> Parsed:
    """Turn a fetched report into text. Every part is read (the article page, each
    attachment by its bytes, archives opened, page images OCR'd) and the part that reads as
    the report is the report (`parts.choose`); a listed file is read as that file.
    Problems come back in `Parsed.error`."""
    base: dict[str, Any] = dict(doc_id=doc_id_of(f.source_id, f.url), source_id=f.source_id, url=f.url,
                content_sha256=content_sha_of(f))
    data = read_blob(f.sha256)
    kind = sniff(data)
    notes: list[str] = []
    needs: list[str] = []
    if kind not in ("html", "text"):            # the "article" is itself a file
        parts = _images_as_one(_read_file_parts(f.url, data, f.content_type,
                                                claimed_kind(f.url, f.content_type), 1, notes, needs))
        p = _assembled(f, dict(base, title=f.title), None, parts, notes, needs)
        if not f.attachments and kind not in ("zip",) and p.fmt == "html":
            p.fmt = kind
        return p
    try:
        page = parse_html(data, f.content_type)
    except ParseError as e:
        return Parsed(**base, title=f.title, text="", fmt="html", error=str(e))
    common: dict[str, Any] = dict(base, title=page.title or f.title, pub_date=page.pub_date, content_source=page.content_source,
                  publisher=page.publisher)
    if page.warning:
        notes.append(page.warning)
    if not f.attachments:
        return Parsed(**common, text=page.text, fmt="html", error=page.warning)
    article = Part("article", page.text, "html", 0)
    return _assembled(f, common, article, _parts_of(f, read_blob, notes, needs), notes, needs)


def read_file(path: Path) -> tuple[str, str]:
    """(text, title) of a local file of any kind this package reads, for the command line."""
    data = path.read_bytes()
    claimed = claimed_kind(path.name)
    if sniff(data) == "html" and not claimed:
        p = parse_html(data)
        return p.text, p.title
    return read_bytes(data, claimed=claimed).text, ""
