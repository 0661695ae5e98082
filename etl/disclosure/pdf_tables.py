"""Ruled PDF tables (pdfplumber) -> grids with merged cells.

pdfplumber finds a table's cells from its ruling; a merged cell is one bbox over several
grid columns/rows. The grid's edges are the distinct cell edges (snapped: Word and WPS
draw lines a fraction of a point apart), so each bbox gets its row/column and spans, the
same model as HTML's rowspan/colspan. Words are placed in the cell holding their centre.
"""
from __future__ import annotations

import io
import re

from .grid import Grid, GridCell

SNAP = 2.0        # points: edges closer than this are the same line
MAX_PAGES = 40    # the format's tables sit in the report's first pages; annexes are not scanned
_ASCII_END = re.compile(r"[A-Za-z0-9.]$")
_ASCII_START = re.compile(r"^[A-Za-z0-9]")


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _join(words: list[dict]) -> str:
    words = sorted(words, key=lambda w: (round(w["top"] / 3), w["x0"]))
    out = ""
    for w in words:
        t = w["text"]
        out += (" " if out and _ASCII_END.search(out) and _ASCII_START.match(t) else "") + t
    return out


def table_grid(index: int, bboxes: list[tuple[float, float, float, float]], words: list[dict]) -> Grid:
    xs = _edges([b[0] for b in bboxes] + [b[2] for b in bboxes])
    ys = _edges([b[1] for b in bboxes] + [b[3] for b in bboxes])
    width, height = max(len(xs) - 1, 0), max(len(ys) - 1, 0)
    texts: dict[int, list[dict]] = {}
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        for i, b in enumerate(bboxes):
            if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                texts.setdefault(i, []).append(w)
                break
    rows: list[list[GridCell | None]] = [[None] * width for _ in range(height)]
    for i, b in enumerate(bboxes):
        c0, c1, r0, r1 = _index(xs, b[0]), _index(xs, b[2]), _index(ys, b[1]), _index(ys, b[3])
        if c1 <= c0 or r1 <= r0:
            continue
        cell = GridCell(_join(texts.get(i, [])), r0, c0, r1 - r0, c1 - c0)
        for r in range(r0, r1):
            for c in range(c0, c1):
                rows[r][c] = rows[r][c] or cell
    return Grid(index, width, rows)


def _ruled_pages(content: bytes, n: int) -> list[bool] | None:
    """Which of the first n pages are drawn with both a horizontal and a vertical stroke (the
    check etl.parse.pdf makes before looking for tables): pdfplumber's lines strategy finds
    no table on the others. None when pdfium cannot read the file (every page is then tried)."""
    import pypdfium2 as pdfium
    from ..parse.tables import inventory
    try:
        doc = pdfium.PdfDocument(content)
    except pdfium.PdfiumError:
        return None
    try:
        out = []
        for i in range(min(n, len(doc))):
            page = doc[i]
            try:
                out.append(inventory(page, with_segments=False).ruled)
            finally:
                page.close()
        return out
    finally:
        doc.close()


def _cut_settings(page) -> dict:  # noqa: ANN001 (pdfplumber page)
    """A table a page break cuts (a browser's print of an HTML table) has no rule where the
    page ends: its cut rows are open boxes pdfplumber never closes, and their words are
    lost. A rule is assumed where the page's vertical rules begin and end."""
    v = [e for e in page.edges if e["orientation"] == "v"]
    if not v:
        return {}
    return {"explicit_horizontal_lines": [min(e["top"] for e in v), max(e["bottom"] for e in v)]}


def pdf_grids(content: bytes) -> list[Grid]:
    """Every ruled table of every page, in reading order."""
    import pdfplumber
    grids: list[Grid] = []
    ruled = _ruled_pages(content, MAX_PAGES)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for i, page in enumerate(pdf.pages[:MAX_PAGES]):
            if ruled is not None and i < len(ruled) and not ruled[i]:
                continue                      # no rules both ways: no table to find
            tables = page.find_tables(_cut_settings(page))
            if not tables:
                continue
            words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
            for t in sorted(tables, key=lambda t: (t.bbox[1], t.bbox[0])):
                inside = [w for w in words if t.bbox[0] <= (w["x0"] + w["x1"]) / 2 <= t.bbox[2]
                          and t.bbox[1] <= (w["top"] + w["bottom"]) / 2 <= t.bbox[3]]
                grids.append(table_grid(len(grids), list(t.cells), inside))
    return grids
