"""PDF tables: ruling edges read from pdfium's page objects, cells found by pdfplumber's own
grid algorithm (merge edges, intersections, cells, tables), cell text read by pdfium.

pdfplumber's "lines" strategy builds tables from the edges of every line, rectangle and
curve on a page, so a page without both a horizontal and a vertical stroke cannot hold a
table it would find. Taking those edges from pdfium instead of pdfminer's layout of the
whole page makes a table page cost about what a text page costs.
"""
from __future__ import annotations

import ctypes
import itertools
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
            mref = ctypes.byref(m)
            get_matrix = c.FPDFPageObj_GetMatrix
            out: list[tuple[float, float, float, float]] = []
            reader = _SegmentReader()
            for obj, matrix in self.paths:
                if get_matrix(obj, mref):
                    reader.read(obj, _compose((m.a, m.b, m.c, m.d, m.e, m.f), matrix), out)
            self._segments = out
        return self._segments


def _compose(m, n):
    """m then n (both as a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


class _SegmentReader:
    """Straight pieces of path objects (moveto/lineto/close; curves left out: a table's rules
    are straight), in page coordinates; the pdfium functions and point buffers looked up once."""

    def __init__(self) -> None:
        import pypdfium2.raw as c
        self.count, self.segment = c.FPDFPath_CountSegments, c.FPDFPath_GetPathSegment
        self.point, self.kind, self.closes = c.FPDFPathSegment_GetPoint, c.FPDFPathSegment_GetType, c.FPDFPathSegment_GetClose
        self.moveto, self.lineto = c.FPDF_SEGMENT_MOVETO, c.FPDF_SEGMENT_LINETO
        self.x, self.y = ctypes.c_float(), ctypes.c_float()
        self.refs = (ctypes.byref(self.x), ctypes.byref(self.y))

    def read(self, obj, matrix, out: list) -> None:
        a, b, cc, d, e, f = matrix
        x, y = self.x, self.y
        rx, ry = self.refs
        point, kind_of, closes, segment = self.point, self.kind, self.closes, self.segment
        moveto, lineto = self.moveto, self.lineto
        start = prev = None
        for i in range(self.count(obj)):
            seg = segment(obj, i)
            if not point(seg, rx, ry):
                continue
            pt = (a * x.value + cc * y.value + e, b * x.value + d * y.value + f)
            kind = kind_of(seg)
            if kind == moveto:
                start = prev = pt
                continue
            if kind == lineto and prev is not None:
                out.append((*prev, *pt))
            prev = pt
            if closes(seg) and start is not None and start != pt:
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
        _ = inv.segments           # read now, while the page's objects are alive
    return inv


# An edge: (x0, top, x1, bottom, width, height), top-down coordinates, as pdfplumber's edge dict
# holds them (width and height are carried along as pdfplumber updates them, not recomputed:
# the length test after merging reads them).
Edge = tuple[float, float, float, float, float, float]


def _edges(segments, height: float) -> tuple[list[Edge], list[Edge]]:
    """Horizontal and vertical edges (top measured from the page top) of axis-parallel segments."""
    hs: list[Edge] = []
    vs: list[Edge] = []
    for x0, y0, x1, y1 in segments:
        if abs(y0 - y1) < 0.01:
            out = hs
        elif abs(x0 - x1) < 0.01:
            out = vs
        else:
            continue
        left, right = min(x0, x1), max(x0, x1)
        top, bottom = height - max(y0, y1), height - min(y0, y1)
        if max(right - left, bottom - top) < 1:
            continue
        out.append((left, top, right, bottom, right - left, bottom - top))
    return hs, vs


def _snap(edges: list[Edge], i: int, tolerance: float) -> list[Edge]:
    """pdfplumber's snap_objects on coordinate i (0: x0 of vertical edges, 1: top of horizontal
    ones): values chained within `tolerance` form a cluster, each edge moves to its cluster's
    mean (by the same float operations), clusters in value order, edges in input order."""
    if not edges:
        return []
    cluster: dict[float, int] = {}
    k, last = 0, None
    for v in sorted({e[i] for e in edges}):
        if last is not None and v > last + tolerance:
            k += 1
        cluster[v] = k
        last = v
    groups: list[list[Edge]] = [[] for _ in range(k + 1)]
    for e in edges:
        groups[cluster[e[i]]].append(e)
    out: list[Edge] = []
    for g in groups:
        avg = sum(e[i] for e in g) / len(g)
        for x0, top, x1, bottom, w, h in g:
            if i == 0:
                d = avg - x0
                out.append((x0 + d, top, x1 + d, bottom, w, h))
            else:
                d = avg - top
                out.append((x0, top + d, x1, bottom + d, w, h))
    return out


def _join(edges: list[Edge], i: int, tolerance: float) -> list[Edge]:
    """pdfplumber's join_edge_group for every line of snapped edges (i = 1: horizontal edges on
    a `top`, joined along x; i = 0: vertical edges on an x0, joined along top/bottom), lines in
    coordinate order."""
    lo, hi = (0, 2) if i == 1 else (1, 3)
    out: list[Edge] = []
    lines: dict[float, list[Edge]] = {}
    for e in edges:
        lines.setdefault(e[i], []).append(e)
    for key in sorted(lines):
        line = sorted(lines[key], key=lambda e: e[lo])
        joined = [line[0]]
        for e in line[1:]:
            last = joined[-1]
            if e[lo] <= last[hi] + tolerance:
                if e[hi] > last[hi]:
                    x0, top, x1, bottom, w, h = last
                    if i == 1:                        # resize x1: width from the new x1
                        joined[-1] = (x0, top, e[2], bottom, e[2] - x0, h)
                    else:                             # resize bottom: height grows by the difference
                        joined[-1] = (x0, top, x1, e[3], w, h + (e[3] - bottom))
            else:
                joined.append(e)
        out += joined
    return out


def _grid_edges(segments, height: float) -> tuple[list[Edge], list[Edge]]:
    """pdfplumber's merge_edges (snap, then join) and filter_edges(min_length) on the page's
    edges, with tuples instead of dicts: the same edges, horizontal and vertical."""
    hs, vs = _edges(segments, height)
    hs = [e for e in _join(_snap(hs, 1, SNAP), 1, JOIN) if e[4] >= EDGE_MIN]
    vs = [e for e in _join(_snap(vs, 0, SNAP), 0, JOIN) if e[5] >= EDGE_MIN]
    return hs, vs


def _intersections(hs: list[Edge], vs: list[Edge]) -> dict[tuple[float, float], tuple[set[int], set[int]]]:
    """pdfplumber's edges_to_intersections: point -> (vertical edges, horizontal edges) through
    it, each edge as an id of its (x0, top, x1, bottom) (equal boxes are one edge, as in
    pdfplumber's intersections_to_cells)."""
    out: dict[tuple[float, float], tuple[set[int], set[int]]] = {}
    ids: dict[tuple, int] = {}
    hs_ = [(h, ids.setdefault(h[:4], len(ids))) for h in sorted(hs, key=lambda e: (e[1], e[0]))]
    for v in sorted(vs, key=lambda e: (e[0], e[1])):
        vx, vtop, vbottom = v[0], v[1], v[3]
        vid = ids.setdefault(v[:4], len(ids))
        for h, hid in hs_:
            ht = h[1]
            if vtop <= ht + INTERSECT and vbottom >= ht - INTERSECT and vx >= h[0] - INTERSECT \
                    and vx <= h[2] + INTERSECT:
                d = out.get((vx, ht))
                if d is None:
                    d = out[(vx, ht)] = (set(), set())
                d[0].add(vid)
                d[1].add(hid)
    return out


def _cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's intersections_to_cells (on _intersections' point -> (vertical edge ids,
    horizontal edge ids)), same cells in the same order, with the points below / right of a
    point looked up, not scanned, and the right-hand points a point connects to found once,
    not once per point below."""
    points = sorted(intersections)
    by_x: dict[float, list] = {}
    by_y: dict[float, list] = {}
    at: dict[tuple[float, float], tuple[int, int]] = {}     # point -> its index in its column, row
    for p in points:                              # sorted, so each list is in point order
        col, row = by_x.setdefault(p[0], []), by_y.setdefault(p[1], [])
        at[p] = (len(col), len(row))
        col.append(p)
        row.append(p)
    out = []
    for pt in points[:-1]:
        v, h = intersections[pt]
        ci, ri = at[pt]
        # below: same x, later in the column (lower); right: same y, later in the row.
        # Connected: an edge in common. The points right are listed once, when first needed.
        right = None
        cell = None
        for b in by_x[pt[0]][ci + 1:]:
            if v.isdisjoint(intersections[b][0]):
                continue
            if right is None:
                right = [q for q in by_y[pt[1]][ri + 1:] if not h.isdisjoint(intersections[q][1])]
                if not right:
                    break
            hb = intersections[b][1]
            for r in right:
                corner = (r[0], b[1])
                c = intersections.get(corner)
                if c is not None and not c[0].isdisjoint(intersections[r][0]) and not c[1].isdisjoint(hb):
                    cell = (pt[0], pt[1], corner[0], corner[1])
                    break
            if cell:
                break
        if cell:
            out.append(cell)
    return out


def _tables_of(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float]]]:
    """pdfplumber's cells_to_tables: cells that share a corner, directly or through others, are
    one table; one-cell tables dropped; tables ordered by their top-left cell (top, then x0).
    (pdfplumber grows each table pass by pass over the remaining cells: the same cells.)"""
    by_corner: dict[tuple[float, float], list[int]] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for p in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            by_corner.setdefault(p, []).append(i)
    seen = [False] * len(cells)
    tables = []
    for i in range(len(cells)):
        if seen[i]:
            continue
        seen[i] = True
        stack, group = [i], []
        while stack:
            j = stack.pop()
            group.append(cells[j])
            x0, top, x1, bottom = cells[j]
            for p in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
                for k in by_corner[p]:
                    if not seen[k]:
                        seen[k] = True
                        stack.append(k)
        tables.append(group)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


def _rows(cells: list[tuple[float, float, float, float]]) -> list[list[tuple[float, float, float, float] | None]]:
    """pdfplumber's Table.rows: cells by top, each row over every x0 of the table (None where
    a merged cell covers it)."""
    xs = sorted({c[0] for c in cells})
    rows = []
    for _, group in itertools.groupby(sorted(cells, key=lambda c: (c[1], c[0])), key=lambda c: c[1]):
        at = {c[0]: c for c in group}
        rows.append([at.get(x) for x in xs])
    return rows


def grid_tables(inv: Inventory, height: float, cell_text) -> list["Table"]:
    """Tables from a page's ruling segments, by pdfplumber's algorithm and defaults; each cell
    read with `cell_text(x0, top, x1, bottom)` (top-down coordinates)."""
    cells = _cells(_intersections(*_grid_edges(inv.segments, height)))
    out = []
    for group in sorted(_tables_of(cells), key=lambda g: min(c[1] for c in g)):
        rows = []
        for row in _rows(group):
            cells_ = [_one_line(cell_text(*cell)) if cell else "" for cell in row]
            if any(cells_):
                rows.append(cells_)
        if rows:
            bbox = (min(c[0] for c in group), min(c[1] for c in group),
                    max(c[2] for c in group), max(c[3] for c in group))
            out.append(Table(bbox, rows))
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
    return bool(cell and "\n" in cell and re.search(r"[\u4e00-\u9fff]\n|\n[\u4e00-\u9fff]", cell))


def continue_header(prev: Table | None, table: Table) -> Table:
    """A table that goes on from the previous page usually does not repeat its header: give
    it the previous one's, so units in the header still apply."""
    if prev is None or not prev.rows or len(prev.rows[0]) != len(table.rows[0]):
        return table
    first = table.rows[0]
    if any(_NUMBER.match(c) for c in first if c):       # starts with data, not a header
        return Table(table.bbox, [prev.rows[0], *table.rows])
    return table
