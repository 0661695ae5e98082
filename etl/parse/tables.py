"""PDF tables: which pages can hold one (cheaply, from pdfium's page objects), and their
cells as tab-separated rows under their header (pdfplumber's finder, on those pages only).

pdfplumber's "lines" strategy builds tables from ruling edges (lines, rectangles, curves),
so a page drawn without both a horizontal and a vertical stroke cannot have a table it
would find: running the finder there is pdfminer laying out a page for nothing.
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

_THIN = 3.0                     # points: a path thinner than this is a rule, not a box
_NUMBER = re.compile(r"^[\d.,%，．]+$")


@dataclass
class Inventory:
    """What a page is drawn with."""
    horizontal: int = 0
    vertical: int = 0
    boxes: int = 0
    images: int = 0
    image_area: float = 0.0      # square points covered by images (overlaps counted twice)

    @property
    def ruled(self) -> bool:
        return self.horizontal + 2 * self.boxes >= 2 and self.vertical + 2 * self.boxes >= 2


def inventory(page) -> Inventory:
    """Count rules, boxes and images on a pdfium page (into form XObjects too), with the
    raw API: no Python object per text run."""
    import pypdfium2.raw as c
    inv = Inventory()
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    refs = [ctypes.byref(x) for x in (l, b, r, t)]

    def walk(count, get, parent, depth: int) -> None:
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = c.FPDFPageObj_GetType(obj)
            if kind == c.FPDF_PAGEOBJ_FORM:
                if depth < 8:
                    walk(c.FPDFFormObj_CountObjects, c.FPDFFormObj_GetObject, obj, depth + 1)
                continue
            if kind not in (c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_IMAGE) or not c.FPDFPageObj_GetBounds(obj, *refs):
                continue
            w, h = r.value - l.value, t.value - b.value
            if kind == c.FPDF_PAGEOBJ_IMAGE:
                inv.images += 1
                inv.image_area += max(w, 0) * max(h, 0)
            elif h < _THIN and w >= _THIN:
                inv.horizontal += 1
            elif w < _THIN and h >= _THIN:
                inv.vertical += 1
            elif w >= _THIN and h >= _THIN:
                inv.boxes += 1

    walk(c.FPDFPage_CountObjects, c.FPDFPage_GetObject, page.raw, 0)
    return inv


@dataclass
class Table:
    bbox: tuple[float, float, float, float]      # x0, top, x1, bottom (pdfplumber: from the top)
    rows: list[list[str]] = field(default_factory=list)

    def tsv(self) -> list[str]:
        return ["\t".join(r) for r in self.rows]


def find_tables(plumber_page) -> list[Table]:
    """Tables of a pdfplumber page, top to bottom, with empty rows dropped and cells of one
    line each (a cell wrapped over two lines is one cell)."""
    out = []
    for t in sorted(plumber_page.find_tables(), key=lambda t: t.bbox[1]):
        rows = []
        for row in t.extract():
            cells = ["".join((c or "").split()) if _cjk_wrap(c) else " ".join((c or "").split()) for c in row]
            if any(cells):
                rows.append(cells)
        if rows:
            out.append(Table(tuple(t.bbox), rows))
    return out


def _cjk_wrap(cell: str | None) -> bool:
    """A Chinese cell wrapped over lines: join without a space ("行政\n许可" is 行政许可)."""
    return bool(cell) and "\n" in cell and bool(re.search(r"[\u4e00-\u9fff]\n|\n[\u4e00-\u9fff]", cell))


def continue_header(prev: Table | None, table: Table) -> Table:
    """A table that goes on from the previous page usually does not repeat its header: give
    it the previous one's, so units in the header still apply."""
    if prev is None or not prev.rows or len(prev.rows[0]) != len(table.rows[0]):
        return table
    first = table.rows[0]
    if any(_NUMBER.match(c) for c in first if c):       # starts with data, not a header
        return Table(table.bbox, [prev.rows[0], *table.rows])
    return table


def bands_outside(tables: list[Table], height: float) -> list[tuple[float, float]]:
    """Horizontal bands of the page (top, bottom from the top) not covered by a table."""
    bands, top = [], 0.0
    for t in tables:
        if t.bbox[1] > top:
            bands.append((top, t.bbox[1]))
        top = max(top, t.bbox[3])
    if top < height:
        bands.append((top, height))
    return bands
