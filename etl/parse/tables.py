"""PDF tables: ruling edges read from pdfium's page objects, cells found by pdfplumber's own
grid algorithm (merge edges, intersections, cells, tables), cell text read by pdfium.

pdfplumber's "lines" strategy builds tables from the edges of every line, rectangle and
curve on a page, so a page without both a horizontal and a vertical stroke cannot hold a
table it would find. Taking those edges from pdfium instead of pdfminer's layout of the
whole page makes a table page cost about what a text page costs.
"""
from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass, field

_THIN = 3.0                     # points: a path thinner than this is a rule, not a box
_NUMBER = re.compile(r"^[\d.,%，．]+$")
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
SNAP = JOIN = INTERSECT = 3.0   # pdfplumber's default tolerances
EDGE_MIN = 3.0


@dataclass
class Inventory:
    """What a page is drawn with. `segments` (straight path pieces in page space) are read from
    the path objects the walk kept, when asked for, while the page is open."""
    horizontal: int = 0
    vertical: int = 0
    boxes: int = 0
    images: int = 0
    image_area: float = 0.0      # square points covered by images (overlaps counted twice)
    paths: list = field(default_factory=list, repr=False)    # (path object, its form's matrix)
    _segments: list[tuple[float, float, float, float]] | None = field(default=None, repr=False)

    @property
    def ruled(self) -> bool:
        return self.horizontal + 2 * self.boxes >= 2 and self.vertical + 2 * self.boxes >= 2

    @property
    def segments(self) -> list[tuple[float, float, float, float]]:
        if self._segments is None:
            import pypdfium2.raw as c
            m = c.FS_MATRIX()
            out: list[tuple[float, float, float, float]] = []
            for obj, matrix in self.paths:
                if c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
                    _segments(obj, _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix), out)
            self._segments = out
        return self._segments


def _compose(m, n):
    """m then n (both as a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _segments(obj, matrix, out: list) -> None:
    """Straight pieces of a path object (moveto/lineto/close; curves left out: a table's
    rules are straight), in page coordinates."""
    import pypdfium2.raw as c
    a, b, cc, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    start = prev = None
    for i in range(c.FPDFPath_CountSegments(obj)):
        seg = c.FPDFPath_GetPathSegment(obj, i)
        if not c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y)):
            continue
        pt = (a * x.value + cc * y.value + e, b * x.value + d * y.value + f)
        kind = c.FPDFPathSegment_GetType(seg)
        if kind == c.FPDF_SEGMENT_MOVETO:
            start = prev = pt
            continue
        if kind == c.FPDF_SEGMENT_LINETO and prev is not None:
            out.append((*prev, *pt))
        prev = pt
        if c.FPDFPathSegment_GetClose(seg) and start is not None and start != pt:
            out.append((*pt, *start))
            prev = start


def inventory(page, with_segments: bool = True) -> Inventory:
    """Count rules, boxes and images on a pdfium page (into form XObjects too), and keep its
    path objects for their straight segments (read at once with with_segments, else when a
    ruled page asks), with the raw API: no Python object per text run. One walk a page."""
    import pypdfium2.raw as c
    inv = Inventory()
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    refs = [ctypes.byref(x) for x in (l, b, r, t)]
    m = c.FS_MATRIX()
    path, image, form = c.FPDF_PAGEOBJ_PATH, c.FPDF_PAGEOBJ_IMAGE, c.FPDF_PAGEOBJ_FORM
    get_type, get_bounds = c.FPDFPageObj_GetType, c.FPDFPageObj_GetBounds

    def walk(count, get, parent, depth: int, matrix) -> None:
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = get_type(obj)
            if kind == form:
                if depth < 8 and c.FPDFPageObj_GetMatrix(obj, ctypes.byref(m)):
                    inner = _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix)
                    walk(c.FPDFFormObj_CountObjects, c.FPDFFormObj_GetObject, obj, depth + 1, inner)
                continue
            if (kind != path and kind != image) or not get_bounds(obj, *refs):
                continue
            w, h = r.value - l.value, t.value - b.value
            if kind == image:
                inv.images += 1
                inv.image_area += max(w, 0) * max(h, 0)
                continue
            if h < _THIN and w >= _THIN:
                inv.horizontal += 1
            elif w < _THIN and h >= _THIN:
                inv.vertical += 1
            elif w >= _THIN and h >= _THIN:
                inv.boxes += 1
            inv.paths.append((obj, matrix))

    walk(c.FPDFPage_CountObjects, c.FPDFPage_GetObject, page.raw, 0, _IDENTITY)
    if with_segments:
        inv.segments
    return inv


def _edges(segments, height: float) -> list[dict]:
    """pdfplumber edge dicts (top measured from the page top) of axis-parallel segments."""
    out = []
    for x0, y0, x1, y1 in segments:
        if abs(y0 - y1) < 0.01:
            orientation = "h"
        elif abs(x0 - x1) < 0.01:
            orientation = "v"
        else:
            continue
        left, right = min(x0, x1), max(x0, x1)
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        if max(right - left, bottom - top) < 1:
            continue
        out.append({"object_type": "line", "orientation": orientation, "x0": left, "x1": right,
                    "top": top, "bottom": bottom, "doctop": top, "width": right - left, "height": bottom - top})
    return out


def _cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's intersections_to_cells, same cells in the same order, with each point's
    edge sets built once, the points below / right of a point looked up, not scanned, and
    the right-hand points a point connects to found once, not once per point below."""
    ids: dict[tuple, int] = {}

    def edge_ids(edges: list[dict]) -> frozenset[int]:
        return frozenset(ids.setdefault((e["x0"], e["top"], e["x1"], e["bottom"]), len(ids)) for e in edges)
    vs = {p: edge_ids(d["v"]) for p, d in intersections.items()}
    hs = {p: edge_ids(d["h"]) for p, d in intersections.items()}

    points = sorted(intersections)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    for p in points:                              # sorted, so each list is in point order
        by_x.setdefault(p[0], []).append(p)
        by_y.setdefault(p[1], []).append(p)
    out = []
    for pt in points[:-1]:
        v, h = vs[pt], hs[pt]
        # below: same x, later (so lower); right: same y, later. Connected: an edge in common.
        right = [q for q in by_y[pt[1]] if q > pt and not h.isdisjoint(hs[q])]
        if not right:
            continue
        cell = None
        for b in by_x[pt[0]]:
            if b <= pt or v.isdisjoint(vs[b]):
                continue
            for r in right:
                corner = (r[0], b[1])
                if corner in intersections and not vs[corner].isdisjoint(vs[r]) \
                        and not hs[corner].isdisjoint(hs[b]):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            out.append(cell)
    return out


def grid_tables(inv: Inventory, height: float, cell_text) -> list["Table"]:
    """Tables from a page's ruling segments, by pdfplumber's algorithm and defaults; each cell
    read with `cell_text(x0, top, x1, bottom)` (top-down coordinates)."""
    from pdfplumber import table as pt
    from pdfplumber.utils import filter_edges
    edges = pt.merge_edges(_edges(inv.segments, height), SNAP, SNAP, JOIN, JOIN)
    edges = filter_edges(edges, min_length=EDGE_MIN)
    cells = _cells(pt.edges_to_intersections(edges, INTERSECT, INTERSECT))
    out = []
    for group in sorted(pt.cells_to_tables(cells), key=lambda g: min(c[1] for c in g)):
        t = pt.Table(None, group)
        rows = []
        for row in t.rows:
            cells_ = [_one_line(cell_text(*cell)) if cell else "" for cell in row.cells]
            if any(cells_):
                rows.append(cells_)
        if rows:
            out.append(Table(tuple(t.bbox), rows))
    return out


@dataclass
class Table:
    bbox: tuple[float, float, float, float]      # x0, top, x1, bottom (pdfplumber: from the top)
    rows: list[list[str]] = field(default_factory=list)

    def tsv(self) -> list[str]:
        return ["\t".join(r) for r in self.rows]


def find_tables(plumber_page, cell_text=None) -> list[Table]:
    """Tables of a pdfplumber page, top to bottom, empty rows dropped, one line per cell (a
    cell wrapped over two lines is one cell). `cell_text(x0, top, x1, bottom)` reads a cell
    with another engine: pdfplumber then only finds the grid."""
    out = []
    for t in sorted(plumber_page.find_tables(), key=lambda t: t.bbox[1]):
        if cell_text is None:
            raw = t.extract()
        else:
            raw = [[cell_text(*c) if c else "" for c in row.cells] for row in t.rows]
        rows = []
        for row in raw:
            cells = [_one_line(c) for c in row]
            if any(cells):
                rows.append(cells)
        if rows:
            out.append(Table(tuple(t.bbox), rows))
    return out


def _one_line(cell: str | None) -> str:
    cell = (cell or "").replace("\r", "")
    return "".join(cell.split()) if _cjk_wrap(cell) else " ".join(cell.split())


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
