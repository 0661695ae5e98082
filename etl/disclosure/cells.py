"""One record per table cell of a disclosure report, with the cell as published.

A cell's `raw` is the text exactly as it stood in the table; `status` says what it is
(`number`, `blank`, `dash` for '/', '—', '-', '无' (不适用: the line does not apply), `text`
for anything else, `unaligned` when a flattened row had fewer or more figures than the
format has columns, so no figure can be put in a column without guessing, `unread` for a
cell of the national layout the reader did not find, with the reason in `note`). Only
`number` cells have a `value`; a published 0 is a number, never a blank.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

_NUMBER = re.compile(r"^([-+]?\d{1,3}(?:,\d{3})+|[-+]?\d+)(\.\d+)?\s*(件|个|条|万元|元|项|次)?$")
_DASH = re.compile(r"^(?:[-－—–―‐/／\\、]+|无|空|暂无)$")


@dataclass
class Cell:
    """A cell of one of the report's three tables."""
    metric: str                  # stable id, e.g. xxgk.requests.new.natural_person
    section: str                 # active (二) / requests (三) / appeals (四)
    row_label: str               # as published; parent labels first, joined by ' / '
    col_label: str               # as published (header cells above it, joined by ' / ')
    unit: str                    # 件 / 万元
    value: float | None          # only when status == 'number'
    raw: str                     # the cell's text as published ('' for an empty cell)
    status: str                  # number / blank / dash / text / unaligned
    layout: str                  # html / pdf / text
    table: int                   # provenance: table index in the document (text: 0)
    row: int                     # row in that table (text: line number)
    col: int                     # column in that table's grid (text: position in the row)
    match: str = "label"         # label: row found by its text; position: by ordinal/order
    note: str = ""               # unread / unaligned: why the cell has no figure


@dataclass
class DisclosureReport:
    """A disclosure report as process stages it: the document and every cell read."""
    doc_id: str
    source_id: str
    url: str
    title: str = ""
    report_year: int | None = None
    agency: str = ""
    province: str = ""
    province_code: str = ""
    pub_date: str = ""
    content_sha256: str = ""
    extractor_version: str = ""
    text: str = ""
    layout: str = ""             # html / pdf / text ('' when no table was found)
    tried: str = ""              # what each layout gave
    cells: list[Cell] = field(default_factory=list)


def read_value(raw: str | None) -> tuple[str, float | None]:
    """(status, value) of a cell's text, never guessing: '0' is 0, '' is blank, '/' a dash."""
    t = unicodedata.normalize("NFKC", raw or "").strip()
    if not t:
        return "blank", None
    m = _NUMBER.match(t.replace(" ", ""))
    if m:
        return "number", float(m.group(1).replace(",", "") + (m.group(2) or ""))
    if _DASH.match(t.replace(" ", "")):
        return "dash", None
    return "text", None


def is_value_text(raw: str | None) -> bool:
    """Could this text be a figure cell (a number, a dash or empty)?"""
    return read_value(raw)[0] != "text"


# What an equation adds up for each published form: the format's convention is that an
# empty cell and a dash (不适用) mean none, so both count as 0; the checks name such terms.
CONVENTION = "blank and 不适用 (/ - —) count as 0, the format's way of writing none"


def figure(c: Cell) -> float | None:
    """The figure a consistency rule adds up: the number, or 0 for a cell the format
    leaves empty or dashed (nothing happened); None when it cannot be read."""
    if c.status == "number":
        return c.value
    if c.status in ("blank", "dash"):
        return 0.0
    return None
