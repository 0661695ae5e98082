"""The pdfminer engine (pdfplumber): tables on every page, prose around them.

Slow (it lays out every page) but independent of pdfium: the second opinion when pdfium
cannot open a file or returns unmapped glyphs, and the reference the benchmark compares
the product's PDF path with. Pages are closed as they are read.
"""
from __future__ import annotations

import io

from .errors import ParseError
from .lines import join_lines
from .tables import find_tables


def _page_text(page) -> tuple[list[str], list[str]]:
    """Prose lines outside tables, and tables as TSV rows."""
    tables = find_tables(page)
    rows = [r for t in tables for r in t.tsv()]
    if tables:
        boxes = [t.bbox for t in tables]

        def outside(obj) -> bool:
            cx = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
            cy = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
            return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)
        page = page.filter(outside)
    text = page.extract_text() or ""
    return text.split("\n"), rows


def read_pdf_plumber(content: bytes) -> tuple[str, int]:
    """(text, pages): prose of all pages joined once (a sentence broken across a page
    break is whole again), then the tables as TSV blocks."""
    import pdfplumber
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            lines: list[str] = []
            tables: list[str] = []
            for page in pdf.pages:
                page_lines, rows = _page_text(page)
                page.close()
                lines += page_lines
                if rows:
                    tables.append("\n".join(rows))
            n = len(pdf.pages)
    except Exception as e:
        raise ParseError(f"broken PDF: {_why(e)}") from e
    return "\n".join(t for t in [join_lines(lines), *tables] if t), n


def _why(e: Exception) -> str:
    msg = str(e).strip()
    name = type(e).__name__
    if "PDFPasswordIncorrect" in name or "password" in msg.lower():
        return "encrypted, and not with an empty password"
    return f"{name}: {msg}" if msg else name
