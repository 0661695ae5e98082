"""Tables (lines of tab-separated cells, header first): a cell takes its unit from itself, the
column header, the row label (`案件数（件）`) or a 单位 column, and its subject from both
labels; a leading 序号 column is skipped and a 合计 row is the total of its column.
"""
from __future__ import annotations

import re
from typing import Iterator

from ..numbers import parse_base, scale
from .tokens import CELL_RE, POST_QUALIFIER, PREFIX_QUALIFIER, UNIT_ALT, UNITS, Cand

# Tables: a unit in brackets in a header or row label, e.g. 案件数（件） -> (件).
_HEADER_UNIT_RE = re.compile(r"[(（\[]\s*(?:单位\s*[:：]\s*)?(万亿|亿|万)?([^()（）\[\]]{0,6}?)\s*[)）\]]")
_COUNT_HEADER_RE = re.compile(r"(?:数|量|额|次数|人数|件数)$")
_SKIP_COLUMN_RE = re.compile(r"序号|编号|年份|年度|日期|时间|电话|代码|邮编|排名|名次")
_UNIT_COLUMN_RE = re.compile(r"\s*(?:计量)?单位\s*")
_TOTAL_ROW_RE = re.compile(r"^\s*(?:合计|总计|小计|总数|全年合计|共计)\s*$")
_UNIT_CELL_RE = re.compile(rf"(万亿|亿|万)?({UNIT_ALT})")          # a 单位 column's cell: 万元, 件
_Column = tuple[str | None, str | None, list[tuple[int, int]], str, bool]   # unit, multiplier, label spans, label, count
_NO_HEADER: _Column = (None, None, [], "", False)      # a cell beyond the header's last column: no unit, no label


def _table_blocks(norm: str) -> Iterator[list[tuple[int, str]]]:
    """Runs of consecutive lines holding a tab: [(line offset, line)], header first."""
    block: list[tuple[int, str]] = []
    pos = 0
    for line in norm.split("\n"):
        if "\t" in line:
            block.append((pos, line))
        elif block:
            yield block
            block = []
        pos += len(line) + 1
    if block:
        yield block


def _header_unit(label: str) -> tuple[str | None, str | None, re.Match[str] | None]:
    """'案件数(件)' -> ('件', None, match); '罚没款(万元)' -> ('元', '万', match)."""
    m = _HEADER_UNIT_RE.search(label)
    if not m:
        return None, None, None
    unit = m.group(2).strip()
    if unit and unit not in UNITS:
        return None, None, None
    return unit or None, m.group(1), m


def _label_spans(label: str, offset: int, unit_match: re.Match[str] | None) -> list[tuple[int, int]]:
    """Spans of a header or row label without its (unit) bracket and outer blanks."""
    pieces = [(0, len(label))] if unit_match is None else \
        [(0, unit_match.start()), (unit_match.end(), len(label))]
    spans = []
    for a, b in pieces:
        while a < b and label[a].isspace():
            a += 1
        while b > a and label[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((offset + a, offset + b))
    return spans


def _cells(line: str, offset: int) -> list[tuple[int, str]]:
    out, pos = [], offset
    for cell in line.split("\t"):
        out.append((pos, cell))
        pos += len(cell) + 1
    return out


_CAPTION_MAX = 40


def _caption(norm: str, block_start: int) -> str:
    """The short line right above a table (表1 2023年行政复议案件办理情况): what its cells count
    when the labels alone do not say."""
    before = norm[max(0, block_start - _CAPTION_MAX - 2):block_start].rstrip("\n")
    line = before.rsplit("\n", 1)[-1].strip() if "\n" in before or block_start <= _CAPTION_MAX + 2 else ""
    return line if 0 < len(line) <= _CAPTION_MAX and "\t" not in line else ""


def table_cands(norm: str) -> list[Cand]:
    """Values in table cells; unit from the cell, else the column header, else the row label."""
    cands = []
    for block in _table_blocks(norm):
        header = _cells(block[0][1], block[0][0])
        caption = _caption(norm, block[0][0])
        # A leading 序号 column numbers the rows: the label is the next cell (单位 name).
        label_col = 1 if len(header) > 2 and _SKIP_COLUMN_RE.search(header[0][1]) else 0
        # A 单位 column gives each row its counter (主动公开信息\t3418\t条).
        unit_col = next((j for j, (_, h) in enumerate(header)
                         if j > label_col and _UNIT_COLUMN_RE.fullmatch(h)), None)
        # What each column's header says (unit, multiplier, label spans), read once per table.
        columns: list[_Column | None] = []
        for j, (hdr_pos, hdr) in enumerate(header):
            if _SKIP_COLUMN_RE.search(hdr) or j == unit_col:
                columns.append(None)
                continue
            col_unit, col_mult, col_m = _header_unit(hdr)
            col_spans = _label_spans(hdr, hdr_pos, col_m)
            columns.append((col_unit, col_mult, col_spans, "".join(norm[a:b] for a, b in col_spans),
                            any(_COUNT_HEADER_RE.search(norm[a:b]) for a, b in col_spans)))
        totals: dict[int, Cand] = {}
        in_block: list[tuple[int, Cand]] = []
        for offset, line in block[1:]:
            cells = _cells(line, offset)
            labels = cells[:label_col + 1]
            is_total = any(_TOTAL_ROW_RE.match(c) for _, c in labels)
            row_pos, row_label = next(((p, c) for p, c in reversed(labels) if c.strip()), labels[-1])
            row_unit, row_mult, row_m = _header_unit(row_label)
            row_spans = _label_spans(row_label, row_pos, row_m)
            row_names = "".join(norm[a:b] for a, b in row_spans)
            row_count = any(_COUNT_HEADER_RE.search(norm[a:b]) for a, b in row_spans)
            if unit_col is not None and unit_col < len(cells) and not row_unit:
                uc = cells[unit_col][1].strip()
                um = _UNIT_CELL_RE.fullmatch(uc)
                if um:
                    row_unit, row_mult = um.group(2), um.group(1)
            for j, (pos, cell) in enumerate(cells[label_col + 1:], start=label_col + 1):
                col = columns[j] if j < len(columns) else _NO_HEADER
                if col is None:
                    continue
                m = CELL_RE.fullmatch(cell)
                if not m:
                    continue
                col_unit, col_mult, col_spans, col_names, col_count = col
                names = col_names + row_names
                own_unit = m["unit"] or ("%" if m["pct"] else "")
                unit = own_unit or col_unit or row_unit
                mult = m["mult"] or (None if own_unit else (col_mult or row_mult))
                if unit is None and not mult and not _COUNT_HEADER_RE.search(names) and \
                        not col_count and not row_count:
                    continue
                base = parse_base(m["n1"])
                if base is None:
                    continue
                qualifier = PREFIX_QUALIFIER.get(m["cq"] or "", "exact")
                if m["q1"] or m["q2"]:
                    qualifier = "more_than"
                if m["post"]:
                    qualifier = POST_QUALIFIER[m["post"]]
                lead = len(cell) - len(cell.lstrip())
                value = scale(base, mult) * (-1 if m["sign"] in ("-", "−") else 1)
                c = Cand(start=pos + lead, end=pos + len(cell.rstrip()), value=value,
                          unit=unit or "", qualifier=qualifier, table=True)
                c.pre = names
                c.caption = caption
                c.subjects = [row_spans + [s for s in col_spans if s not in row_spans]]
                cands.append(c)
                if is_total:
                    totals[j] = c
                else:
                    in_block.append((j, c))
        for j, c in in_block:
            t = totals.get(j)
            if t is not None and t.unit == c.unit:
                c.total = t
    return cands

