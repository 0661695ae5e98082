"""PDF attachments: pypdfium2 for the text of every page, tables on pages drawn with rules
(edges from pdfium's page objects, pdfplumber's grid algorithm), Tesseract on image-only pages.

One pass over the pages, each closed before the next is opened, so memory stays flat
whatever the page count. What cannot be read comes back as a ParseError that says why
(encrypted, broken, unmapped glyphs); what needs a missing tool as NeedsTool.
"""
from __future__ import annotations

import ctypes
import logging

from .errors import Extraction, NeedsTool, ParseError
from .lines import garbled_ratio, join_lines, strip_furniture
from .tables import Inventory, Table, continue_header, grid_tables, inventory

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


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


class _Bounded:
    """textpage.get_text_bounded in one pdfium call instead of two (count, then copy): the text
    goes into a buffer kept for the page, and only text longer than it is read pypdfium2's way."""
    def __init__(self, textpage):
        import pypdfium2.raw as c
        self._textpage = textpage
        self._raw = textpage.raw
        self._get = c.FPDFText_GetBoundedText
        self.SIZE = 2 * c.FPDFText_CountChars(self._raw) + 1024     # a page's text, line breaks and all
        self._buf = (ctypes.c_ushort * self.SIZE)()

    def __call__(self, left: float, bottom: float, right: float, top: float) -> str:
        n = self._get(self._raw, left, top, right, bottom, self._buf, self.SIZE)
        if n <= 0:
            return ""
        if n >= self.SIZE:
            return self._textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        if self._buf[n - 1] == 0:                 # the count includes the terminating NUL
            n -= 1
        return ctypes.string_at(self._buf, 2 * n).decode("utf-16-le", errors="ignore")


def _page_lines(page, textpage, inv: Inventory, prev: list[Table | None]) -> list[str]:
    """Prose lines of a page in reading order, with its tables (TSV rows) in place.
    `prev` holds the last table of the previous page when it ran to the page's foot."""
    top = page.get_mediabox()[3]
    found: list[Table] = []
    if inv.ruled:
        bounded = _Bounded(textpage)

        def cell_text(x0: float, y0: float, x1: float, y1: float) -> str:
            # 1 pt in from the rules, so a neighbour's glyph touching a rule stays out
            return bounded(x0 + 1, top - y1 + 1, x1 - 1, top - y0 - 1)
        try:
            found = grid_tables(inv, top, cell_text)
        except Exception as e:                   # a table finder failure costs the tables only
            log.warning("table finder failed: %s: %s", type(e).__name__, e)
    if not found:
        prev[0] = None
        return _lines(textpage.get_text_range())
    found[0] = continue_header(prev[0], found[0])
    height = top - page.get_mediabox()[1]
    prev[0] = found[-1] if height - found[-1].bbox[3] < height * 0.2 else None
    out, cursor = [], 0.0
    left, bottom, right, _ = page.get_bbox()     # what get_text_bounded takes by default
    for t in found:                              # prose above each table, then the table
        if t.bbox[1] > cursor:
            out += _lines(bounded(left, top - t.bbox[1], right, top - cursor))
        out += t.tsv()
        cursor = max(cursor, t.bbox[3])
    out += _lines(bounded(left, bottom, right, top - cursor))
    return out


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
    prev: list[Table | None] = [None]
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
                inv = inventory(page, with_segments=False)
                lines = _page_lines(page, textpage, inv, prev)
                if inv.images and len("".join("".join(lines).split())) < MIN_PAGE_CHARS:
                    scanned += 1
                    lines = reader.page(page) or lines
            finally:
                textpage.close()
                page.close()
            pages.append(lines)
    finally:
        doc.close()
    text = join_lines([x for p in strip_furniture(pages) for x in p], stripped=True)
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
    # pdfminer's reading counts only if it is clean and not much shorter (it may just drop
    # the glyphs it cannot map)
    if other.strip() and garbled_ratio(other) <= GARBLED and _chars(other) >= 0.5 * _chars(text):
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


def _chars(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def parse_pdf(content: bytes) -> tuple[str, int]:
    """(text, pages) of a PDF; raises ParseError (NeedsTool when a missing tool could read it)."""
    r = read_pdf(content)
    return r.text, r.pages
