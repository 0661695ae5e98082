"""One disclosure report -> its cells, from whichever layout it was published in.

Tried in order, the first that yields a table wins: the article's HTML tables, each PDF
attachment's ruled tables, the article flattened to lines, the parsed text (TSV rows of
tables the parser met), each PDF's text layer (a table printed without rules). A report whose tables cannot be found at all yields no cells and
a readable error, so it is listed, not silently empty.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Callable

from .cells import Cell
from .grid import Grid, grid_rows
from .html_tables import html_grids
from .match import Matcher
from .pdf_tables import pdf_grids
from .completeness import unread_cells
from .prose import processing_fee, stated_figures
from .text_tables import html_lines, text_matcher

log = logging.getLogger(__name__)

MIN_CELLS = 20          # fewer than this is not one of the format's tables (a layout table)


@dataclass
class Reading:
    cells: list[Cell] = field(default_factory=list)
    layout: str = ""                 # html / pdf / text ('' when nothing was found)
    tried: list[str] = field(default_factory=list)   # what each layout gave, for the error
    bare: set[str] = field(default_factory=set)      # lines read without figures


def grid_matcher(grids: list[Grid], layout: str) -> Matcher:
    m = Matcher(layout)
    for g in grids:
        for row in grid_rows(g):
            m.feed(row)
    return m.finish()


def as_text(html: bytes | str, content_type: str = "") -> str:
    """An HTML page as text, decoded by its declared charset (header or meta), else guessed;
    an XML declaration is dropped (lxml refuses str input that carries one)."""
    import re

    from ..http import decode_html
    s = decode_html(html, content_type) if isinstance(html, bytes) else html
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", s)


def read_report(html: bytes | str | None, pdfs: list[bytes], text: str = "", content_type: str = "") -> Reading:
    if html:
        html = as_text(html, content_type)
    lines: list[str] = []                   # the page as lines, walked once when first needed

    def page_lines() -> str:
        if not lines:
            lines.append(html_lines(html) if html else "")
        return lines[0]
    attempts: list[tuple[str, Callable[..., Matcher]]] = []   # lambdas bind their pdf by default
    if html:
        attempts.append(("html", lambda: grid_matcher(html_grids(html), "html")))
    for pdf in pdfs:
        attempts.append(("pdf", lambda pdf=pdf: grid_matcher(pdf_grids(pdf), "pdf")))
    if html:
        attempts.append(("text", lambda: text_matcher(page_lines())))
    if text:
        attempts.append(("text", lambda: text_matcher(text)))
    for pdf in pdfs:                        # a PDF whose ruling is lost: its text layer, row by row
        attempts.append(("text", lambda pdf=pdf: text_matcher(_pdf_text([pdf]))))
    out = Reading()
    for layout, attempt in attempts:
        try:
            m = attempt()
        except Exception as e:          # a broken attachment: try the next layout
            log.warning("disclosure tables (%s) failed: %s", layout, e)
            out.tried.append(f"{layout}: {type(e).__name__}: {e}")
            continue
        cells = m.cells
        unplaced = f", rows not placed: {' | '.join(m.unmatched[:5])}" if m.unmatched else ""
        out.tried.append(f"{layout}: {len(cells)} cells{unplaced}")
        if len(cells) >= MIN_CELLS:
            out.cells, out.layout, out.bare = cells, layout, m.bare
            break
    if out.cells:                           # every expected cell: read, or unread with its reason
        out.cells += unread_cells(out.cells, out.layout, out.bare)
        body = text or page_lines() or _pdf_text(pdfs)
        fee = processing_fee(body, out.layout)   # 六's 信息处理费, from the report's text
        if fee:
            out.cells.append(fee)
        out.cells += stated_figures(body, out.layout)   # what section 一 says, for the prose checks
    return out


def _pdf_text(pdfs: list[bytes]) -> str:
    import io

    import pdfplumber
    for pdf in pdfs:
        try:
            with pdfplumber.open(io.BytesIO(pdf)) as doc:
                return "\n".join(p.extract_text() or "" for p in doc.pages)
        except Exception:                   # the tables were read; the fee is a bonus
            continue
    return ""
