"""PDF attachments: pypdfium2 for the text of every page, pdfplumber's table finder only on
pages drawn with rules, Tesseract on pages that are only an image.

One pass over the pages, each closed before the next is opened, so memory stays flat
whatever the page count. What cannot be read comes back as a ParseError that says why
(encrypted, broken, unmapped glyphs); what needs a missing tool as NeedsTool.
"""
from __future__ import annotations

import io
import logging

from .errors import Extraction, NeedsTool, ParseError
from .lines import garbled_ratio, join_lines, strip_furniture
from .tables import Table, continue_header, find_tables, inventory

log = logging.getLogger(__name__)

MIN_PAGE_CHARS = 10             # fewer characters on a page drawn with an image: a scan
GARBLED = 0.05                  # share of unmapped glyphs above which a text layer is unusable


def _open(content: bytes):
    import pypdfium2 as pdfium
    if not content:
        raise ParseError("empty file (0 bytes)")
    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as e:
        msg = str(e)
        if "password" in msg.lower():
            raise ParseError("encrypted PDF: it needs a password to open (only an empty user "
                             "password can be tried)") from e
        raise ParseError(f"broken PDF: pdfium cannot open it ({msg.rstrip('.')})") from e


class _Tables:
    """pdfplumber opened once, lazily, for the few pages that have rules."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.pdf = None
        self.prev: Table | None = None           # last table of the previous page, if it ended it

    def on(self, index: int) -> tuple[list[Table], float]:
        import pdfplumber
        if self.pdf is None:
            self.pdf = pdfplumber.open(io.BytesIO(self.content))
        page = self.pdf.pages[index]
        try:
            tables = find_tables(page)
            height = float(page.height)
        finally:
            page.close()
        if tables:
            tables[0] = continue_header(self.prev, tables[0])
        self.prev = tables[-1] if tables and height - tables[-1].bbox[3] < height * 0.2 else None
        return tables, height

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _page_lines(page, textpage, index: int, tables: _Tables, ruled: bool) -> list[str]:
    """Prose lines of a page in reading order, with its tables (TSV rows) in place."""
    if ruled:
        try:
            found, height = tables.on(index)
        except Exception as e:                   # a table finder failure costs the tables only
            log.warning("table finder failed on page %d: %s", index + 1, e)
            found, height = [], 0.0
        if found:
            top, out, cursor = page.get_mediabox()[3], [], 0.0
            for t in found:                      # prose above each table, then the table
                if t.bbox[1] > cursor:
                    out += _lines(textpage.get_text_bounded(bottom=top - t.bbox[1], top=top - cursor))
                out += t.tsv()
                cursor = max(cursor, t.bbox[3])
            if cursor < height:
                out += _lines(textpage.get_text_bounded(bottom=top - height, top=top - cursor))
            return out
    else:
        tables.prev = None
    return _lines(textpage.get_text_range())


def read_pdf(content: bytes, ocr_max_pages: int | None = None) -> Extraction:
    """Text of a PDF: prose joined across lines and pages, running headers, footers and page
    numbers out, tables as TSV rows under their header, image-only pages OCR'd. A file
    pdfium cannot open (but not for a password) gets a second try with pdfminer."""
    try:
        doc = _open(content)
    except ParseError as e:
        if "encrypted" in str(e) or not content:
            raise
        return _pdfminer_rescue(content, e)
    return _read(doc, content, ocr_max_pages)


def _pdfminer_rescue(content: bytes, error: ParseError) -> Extraction:
    from .plumber import read_pdf_plumber
    try:
        text, n = read_pdf_plumber(content)
    except ParseError:
        raise error from None
    if garbled_ratio(text) > GARBLED or not text.strip():
        raise error
    return Extraction(text=text, pages=n, warning=f"{error}; read with pdfminer instead")


def _read(doc, content: bytes, ocr_max_pages: int | None) -> Extraction:
    from . import ocr
    tables = _Tables(content)
    reader = ocr.Reader(ocr_max_pages)
    pages: list[list[str]] = []
    scanned = 0
    try:
        n = len(doc)
        if n == 0:
            raise ParseError("broken PDF: it has no pages")
        for i in range(n):
            page = doc[i]
            textpage = page.get_textpage()
            try:
                inv = inventory(page)
                lines = _page_lines(page, textpage, i, tables, inv.ruled)
                if inv.images and sum(len(x.strip()) for x in lines) < MIN_PAGE_CHARS:
                    scanned += 1
                    lines = reader.page(page) or lines
            finally:
                textpage.close()
                page.close()
            pages.append(lines)
    finally:
        tables.close()
        doc.close()
    text = join_lines([x for p in strip_furniture(pages) for x in p])
    if garbled_ratio(text) > GARBLED:
        return _garbled(content, n, text, ocr_max_pages)
    return _result(text, n, scanned, reader)


def _result(text: str, n: int, scanned: int, reader) -> Extraction:
    out = Extraction(text=text, pages=n, fmt="pdf", ocr=reader.pages > 0,
                     ocr_confidence=reader.confidence, ocr_pages=reader.pages)
    missed = scanned - reader.pages
    if missed > 0:
        why = reader.unavailable or f"over the OCR budget of {reader.max_pages} pages"
        if not text.strip():
            raise NeedsTool("needs_ocr", f"scanned PDF: {scanned} image-only pages, no text layer; {why}")
        out.warning = f"{missed} of {n} pages are images and were not OCR'd ({why})"
    elif not text.strip():
        raise ParseError(f"PDF has no text: {n} pages without text or images")
    return out


def _garbled(content: bytes, n: int, text: str, ocr_max_pages: int | None) -> Extraction:
    """Unmapped glyphs from pdfium: try pdfminer's reading, then OCR, then say so."""
    from .plumber import read_pdf_plumber
    ratio = garbled_ratio(text)
    try:
        other, _ = read_pdf_plumber(content)
    except ParseError:
        other = ""
    if other.strip() and garbled_ratio(other) <= GARBLED:
        return Extraction(text=other, pages=n, warning=f"pdfium text garbled ({ratio:.0%}); read with pdfminer")
    from . import ocr
    reader = ocr.Reader(ocr_max_pages)
    if reader.unavailable is None:
        ocr_text = reader.document(content)
        if ocr_text.strip():
            return Extraction(text=ocr_text, pages=n, ocr=True, ocr_confidence=reader.confidence,
                              ocr_pages=reader.pages, warning=f"text layer garbled ({ratio:.0%} unmapped glyphs): OCR'd")
    raise NeedsTool("needs_ocr", f"text layer unreadable: {ratio:.0%} unmapped glyphs ((cid:N) / U+FFFD) "
                                 f"with pdfium and pdfminer; {reader.unavailable or 'OCR found no text'}")


def parse_pdf(content: bytes) -> tuple[str, int]:
    """(text, pages) of a PDF; raises ParseError (NeedsTool when a missing tool could read it)."""
    r = read_pdf(content)
    return r.text, r.pages
