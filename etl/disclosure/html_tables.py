"""HTML <table> elements (rowspan/colspan) -> grids."""
from __future__ import annotations

from .grid import Grid, build_grid


def _span(el, name: str) -> int:
    try:
        return max(1, min(int(str(el.get(name, "1")).strip() or 1), 200))
    except ValueError:
        return 1


def _text(el) -> str:
    return " ".join(el.text_content().split())


def html_grids(html: str | bytes) -> list[Grid]:
    """Every innermost table of the page, in document order, as a grid."""
    from lxml import html as lxml_html
    try:
        tree = lxml_html.fromstring(html)
    except Exception:                       # not HTML at all: no tables
        return []
    grids: list[Grid] = []
    for table in tree.iter("table"):
        if table.find(".//table") is not None:     # layout table around the content
            continue
        rows = []
        for tr in table.iter("tr"):
            rows.append([(_text(td), _span(td, "rowspan"), _span(td, "colspan"))
                         for td in tr if td.tag in ("td", "th")])
        if any(rows):
            grids.append(build_grid(len(grids), rows))
    return grids
