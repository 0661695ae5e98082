"""Consistency rules of the national format, one equation per row, column or group.

- row_total:<row>        总计 column = 自然人 + the five kinds of 法人或其他组织
- balance:<column>       本年新收 + 上年结转 = 本年度办理结果总计 + 结转下年度继续办理
- result_total:<column>  办理结果 总计 = the sum of its result lines (予以公开 ... 其他处理)
- appeal_total:<group>   行政复议 / each kind of 行政诉讼: 总计 = 维持 + 纠正 + 其他 + 尚未审结
- cell values (in the GX suite): counts are non-negative integers, amounts non-negative.

An equation is evaluated only when all its cells were read; a blank or dashed cell counts
as 0 (the format's way of writing 'none': `cells.CONVENTION`, and a check names the terms it
counted so in `blank`), a cell that was not read, says something else or could not be
placed (unread, text, unaligned) leaves the equation `not_evaluated` with those terms in
`unread`: never guessed, never failed, never silent. The terms are the lines the report's
own layout has (completeness.request_rows), so a lost sub-line never shrinks a sum.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import layout as F
from .cells import CONVENTION, Cell, figure
from .completeness import other_as_one_line

PARTS = F.REQUEST_COLUMN_IDS[:-1]          # the six kinds of applicant


@dataclass
class Check:
    check: str                 # rule:key, e.g. appeal_total:reconsideration
    equation: str              # metric ids: lhs = rhs terms
    lhs: float | None
    rhs: float | None
    figures: dict[str, str]    # metric -> raw text as published
    status: str                # ok / failed / not_evaluated (a term unread: see `unread`)
    unread: dict[str, str] = field(default_factory=dict)   # metric -> why it has no figure
    blank: list[str] = field(default_factory=list)         # terms counted as 0 by convention

    def __post_init__(self) -> None:
        self.unread = self.unread or {}
        self.blank = self.blank or []

    @property
    def cells(self) -> list[str]:
        """The cells the equation involves (its terms)."""
        return list(self.figures)

    @property
    def note(self) -> str:
        if self.unread:
            return "not evaluated: " + "; ".join(f"{m.removeprefix('xxgk.')} {w}" for m, w in self.unread.items())
        return f"{len(self.blank)} term(s) published blank or 不适用: {CONVENTION}" if self.blank else ""

    def describe(self) -> str:
        terms = ", ".join(f"{m.removeprefix('xxgk.')}={r!r}" for m, r in self.figures.items())
        if self.status == "failed":
            return f"{self.check}: {self.equation}: {self.lhs:g} != {self.rhs:g} ({terms})" + \
                (f" [{self.note}]" if self.blank else "")
        return f"{self.check}: {self.status}" + (f" ({self.note})" if self.note else "")


def _check(name: str, left: list[str], right: list[str], cells: dict[str, Cell]) -> Check | None:
    terms = left + right
    if not any(m in cells for m in terms):
        return None                       # the report does not have this part of the table
    eq = f"{' + '.join(left)} = {' + '.join(right)}"
    figs = {m: cells[m].raw if m in cells else "<missing>" for m in terms}
    vals = [figure(cells[m]) if m in cells else None for m in terms]
    unread = {m: ("not read" if m not in cells else cells[m].note or f"published as {cells[m].raw!r}"
                  if cells[m].status == "text" else cells[m].note or cells[m].status)
              for m, v in zip(terms, vals) if v is None}
    blank = [m for m in terms if m in cells and cells[m].status in ("blank", "dash")]
    if unread:
        return Check(name, eq, None, None, figs, "not_evaluated", unread, blank)
    lhs, rhs = sum(v for v in vals[:len(left)] if v is not None), sum(v for v in vals[len(left):] if v is not None)
    return Check(name, eq, lhs, rhs, figs, "ok" if abs(lhs - rhs) < 1e-9 else "failed", {}, blank)


def result_rows(cells: dict[str, Cell], col: str) -> list[str]:
    """The result lines that add up to 总计 in this report: a category's sub-lines when the
    report has them, else the category's own line (the 2019 format's single 其他处理)."""
    rows = []
    got = set(cells)
    for cat in F.RESULT_CATEGORIES:
        if cat.id == "total":
            continue
        if not cat.subs:
            rows.append(F.request_metric(f"result.{cat.id}", col))
            continue
        subs = [F.request_metric(f"result.{cat.id}.{s.id}", col) for s in cat.subs]
        own = F.request_metric(f"result.{cat.id}.total", col)
        one_line = other_as_one_line(got) if cat.id == "other" else (
            own in cells and not any(m.startswith(f"xxgk.result.{cat.id}.") and ".total." not in m
                                     and cells[m].status != "unread" for m in cells))
        rows += [own] if one_line else subs     # every sub-line: a lost one leaves the sum unread
    return rows


def equations(cells_list: list[Cell]) -> list[Check]:
    cells = {c.metric: c for c in cells_list}
    rm = F.request_metric
    out: list[Check | None] = []
    for row in F.request_row_ids() + [f"result.{c.id}.total" for c in F.RESULT_CATEGORIES if c.subs]:
        out.append(_check(f"row_total:{row}", [rm(row, "total")], [rm(row, c) for c in PARTS], cells))
    for col in F.REQUEST_COLUMN_IDS:
        out.append(_check(f"balance:{col}", [rm("requests.new", col), rm("requests.carried_over", col)],
                          [rm("result.total", col), rm("carried_forward", col)], cells))
        out.append(_check(f"result_total:{col}", [rm("result.total", col)], result_rows(cells, col), cells))
    for g in F.APPEAL_GROUPS:
        parts = [F.appeal_metric(f"{g.id}.{o.id}") for o in F.APPEAL_OUTCOMES if o.id != "total"]
        out.append(_check(f"appeal_total:{g.id}", [F.appeal_metric(f"{g.id}.total")], parts, cells))
    return [c for c in out if c is not None and (c.status != "not_evaluated" or any(
        m in cells and cells[m].status != "unread" for m in c.figures))]


def check_rows(doc_id: str, cells: list[Cell]) -> list[dict]:
    """Rows for the GX suite: one per equation (lhs, rhs) and one per cell (value checks)."""
    rows = []
    for c in equations(cells):
        rows.append({"doc_id": doc_id, "kind": "equation", "check": c.check, "equation": c.equation,
                     "status": c.status, "lhs": c.lhs, "rhs": c.rhs,
                     "figures": json.dumps(c.figures, ensure_ascii=False), "describe": c.describe(),
                     "cells": json.dumps(c.cells), "note": c.note,
                     "unread": json.dumps(c.unread, ensure_ascii=False) if c.unread else None,
                     "convention": c.note if (c.blank and not c.unread) else None,
                     "metric": None, "raw": None, "value_nonneg": None, "fraction": None})
    for cell in cells:
        signed = cell.metric.rsplit(".", 1)[-1] in F.SIGNED_COLUMNS
        v = cell.value if cell.status == "number" else None
        rows.append({"doc_id": doc_id, "kind": "cell", "check": f"value:{cell.metric}", "equation": "",
                     "status": cell.status, "lhs": None, "rhs": None,
                     "figures": json.dumps({cell.metric: cell.raw}, ensure_ascii=False),
                     "describe": f"value:{cell.metric}: {cell.raw!r} ({cell.unit})", "metric": cell.metric, "raw": cell.raw,
                     "cells": json.dumps([cell.metric]), "note": "", "unread": None, "convention": None,
                     "value_nonneg": None if (v is None or signed) else v,
                     "fraction": abs(v - round(v)) if (v is not None and cell.unit == F.UNIT_COUNT) else None})
    return rows
