"""Every cell the national layout expects of a report, so that a lost cell is never silent.

The layout is the one the report itself shows: 表二 in the 2021 wording (本年制发/废止/
现行有效) or the 2019 one (本年新制作/新公开/对外公开总数量); 表三's （六）其他处理 as one line
(the 2019 format, and some 2021 reports) or its three sub-lines. A cell the reader did not
find becomes a cell with status `unread` and the reason in `note`: the line was never
found, its figures were not placed, or the whole table is missing.
"""
from __future__ import annotations

from . import layout as F
from .cells import Cell

ACTIVE_2021 = ("issued", "repealed", "in_force")
ACTIVE_2019 = ("made", "published", "public_total")


def _active_2019(got: set[str]) -> bool:
    return any(m.startswith("xxgk.active.") and m.rsplit(".", 1)[1] in ACTIVE_2019 for m in got)


def other_as_one_line(got: set[str], bare: set[str] | frozenset[str] = frozenset()) -> bool:
    """（六）其他处理 published as one line: its own cells (or its bare label) read and none of
    its sub-lines."""
    return (any(m.startswith("xxgk.result.other.total.") for m in got) or "result.other.total" in bare) and not any(
        m.startswith(f"xxgk.result.other.{s.id}.") for m in got for s in F.RESULT_CATEGORIES[5].subs)


def request_rows(got: set[str], bare: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The matrix lines this report has, in the published order."""
    rows = F.request_row_ids()
    if other_as_one_line(got, bare):
        subs = [f"result.other.{s.id}" for s in F.RESULT_CATEGORIES[5].subs]
        i = rows.index(subs[0])
        rows = rows[:i] + ["result.other.total"] + [r for r in rows[i:] if r not in subs]
    return rows


def expected(got: set[str], bare: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str, str]]:
    """(metric, section, row id) of every cell the layout expects of this report."""
    out = []
    cols = ACTIVE_2019 if _active_2019(got) else ACTIVE_2021
    for item in ("regulation", "normative_doc"):
        out += [(F.active_metric(item, c), "active", item) for c in cols]
    if cols == ACTIVE_2021:
        for item, icols in F.ACTIVE_DEFAULT_COLUMNS.items():
            if item not in ("regulation", "normative_doc"):
                out += [(F.active_metric(item, c), "active", item) for c in icols]
    for row in request_rows(got, bare):
        out += [(F.request_metric(row, c), "requests", row) for c in F.REQUEST_COLUMN_IDS]
    out += [(F.appeal_metric(c), "appeals", "appeals") for c in F.APPEAL_COLUMN_IDS]
    return out


def unread_cells(cells: list[Cell], layout: str, bare: set[str] | frozenset[str] = frozenset()) -> list[Cell]:
    """A cell with status `unread` for each expected cell the reading lacks."""
    got = {c.metric for c in cells}
    by_row: dict[str, list[Cell]] = {}
    for c in cells:
        by_row.setdefault(c.metric.rsplit(".", 1)[0] if c.section != "appeals" else "appeals", []).append(c)
    sections = {c.section for c in cells}
    out = []
    for metric, section, row in expected(got, bare):
        if metric in got:
            continue
        key = metric.rsplit(".", 1)[0] if section != "appeals" else "appeals"
        if section not in sections:
            why = f"table not found ({ {'active': '二', 'requests': '三', 'appeals': '四'}[section]})"
        elif key in by_row:
            why = "line read, this column's figure not placed"
        elif row in bare:
            why = "line's label read without figures (this layout keeps no trace of blank cells)"
        else:
            why = "line not found in the table"
        col = metric.rsplit(".", 1)[1] if section != "appeals" else metric.removeprefix("xxgk.")
        out.append(Cell(metric=metric, section=section, row_label="", col_label=F.column_label(section, col),
                        unit=F.UNIT_AMOUNT if col in F.AMOUNT_COLUMNS else F.UNIT_COUNT, value=None, raw="",
                        status="unread", layout=layout, table=-1, row=-1, col=-1, match="none", note=why))
    return out
