"""The flattened form: a site that pasted the tables as text, one cell per line (or a
PDF without ruling, a row per line), in the format's fixed order.

Lines become label and figure tokens; header labels set the columns; a run of labels
followed by a run of figures is a data row. Section headings (二、主动公开政府信息情况 ...)
bound the tables, so figures in the prose sections are never read as cells. Blank cells
leave no line in this form: a row with fewer figures than the format has columns is kept
as `unaligned` (its published figures in `raw`), never spread over columns by guessing.
TSV lines (a table converted cell by cell with tabs) keep their blank cells.
"""
from __future__ import annotations

import re

from . import layout as F
from .cells import Cell, read_value
from .labels import best, exact_key, fold
from .match import SECTIONS, Matcher, Row, Slot, header_section, section_of_heading

_WS = re.compile(r"[ \u3000\xa0]+")


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, line number): kind 'label' or 'value'."""
    out: list[tuple[str, str, int]] = []
    for n, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("\t")] if "\t" in line else \
            [p for p in _WS.split(line.strip()) if p]
        k = len(parts)
        while k > 0 and (read_value(parts[k - 1])[0] != "text"):
            k -= 1
        if "\t" in line:         # TSV: each cell its own token; blank cells kept
            out += [("label", p, n) for p in parts[:k] if p]
            vals = parts[k:]
        else:
            label = " ".join(p for p in parts[:k] if p)
            if label:
                out.append(("label", label, n))
            vals = parts[k:]
        out += [("value", p, n) for p in vals]
    return out


_BLOCK = frozenset("p div li ul ol h1 h2 h3 h4 h5 h6 td th tr table section article br pre".split())


def html_lines(html: str | bytes) -> str:
    """An HTML page as lines, one per block element or <br> (every cell line kept; an
    extractor that drops repeated short paragraphs loses the 0s of a flattened table)."""
    from lxml import html as lxml_html
    try:
        tree = lxml_html.fromstring(html)
    except Exception:
        return ""
    out: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head"):
            return
        block = el.tag in _BLOCK
        if block:
            out.append("\n")
        out.append(el.text or "")
        for child in el:
            walk(child)
            out.append(child.tail or "")
        if block:
            out.append("\n")
    walk(tree)
    return "\n".join(line.strip() for line in "".join(out).splitlines() if line.strip())


def _is_header(t: str, section: str | None, seen_data: bool) -> bool:
    if header_section([t]):
        return True
    f = fold(t)
    if section == "active":
        return "第二十条" in f or bool(best(t, F.ACTIVE_COLUMNS, 1.0)[0]) and len(f) <= 14
    if section == "requests" and not seen_data:
        return bool(exact_key(t, F.REQUEST_COLUMNS)) or "勾稽" in f or "本列数据" in f
    if section == "appeals":
        return bool(exact_key(t, F.APPEAL_OUTCOMES) or best(t, F.APPEAL_GROUPS, 1.0)[0]
                    or best(t, (F.LITIGATION,), 1.0)[0]) and len(f) <= 10
    return False


def text_cells(text: str) -> list[Cell]:
    return text_matcher(text).cells


def text_matcher(text: str) -> Matcher:
    toks = tokens(text)
    bounded = any(section_of_heading(t) is not None for k, t, _ in toks if k == "label")
    m = Matcher("text")
    section: str | None = None if bounded else "any"
    labels: list[Slot] = []
    values: list[Slot] = []
    header: list[Slot] = []
    seen_data = False
    first_line = 0

    def flush_header() -> None:
        nonlocal header
        if header:
            m.feed(Row(labels=header, values=[], width=len(header), table=0, row=header[0].col))
            header = []

    def flush_row() -> None:
        nonlocal labels, values, seen_data
        if values:
            vals = [Slot(v.text, i) for i, v in enumerate(values)]
            m.feed(Row(labels=labels, values=vals, width=len(vals), table=0, row=first_line))
            seen_data = True
            labels, values = [], []

    for kind, t, n in toks:
        if kind == "label":
            sec = section_of_heading(t)
            if sec is not None and not (sec == "" and section in SECTIONS and len(fold(t)) < 4):
                flush_header()
                flush_row()
                labels, section, seen_data = [], (sec or None), False
                m.section, m.last_was_data = section, True
                continue
            if section is None:
                continue
            if values:
                flush_row()
            cur = None if section == "any" else section
            if _is_header(t, cur or m.section, seen_data):
                header.append(Slot(t, len(header)))
                continue
            flush_header()
            if not labels:
                first_line = n
            labels.append(Slot(t, 0))
        elif section is not None:
            flush_header()
            if not labels and not values:
                first_line = n
            values.append(Slot(t, len(values)))
    flush_header()
    flush_row()
    return m
