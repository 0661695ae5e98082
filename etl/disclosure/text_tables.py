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
from .labels import best, exact_key, fold, ordinal, ordinal_style
from .match import SECTIONS, Matcher, Row, Slot, header_section, section_of_heading

_WS = re.compile(r"[ \u3000\xa0]+")


def tokens(text: str) -> list[tuple[str, str, int]]:
    """(kind, text, line number): kind 'label' or 'value'."""
    out: list[tuple[str, str, int]] = []
    for n, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        if line.strip() == EMPTY_CELL:
            out.append(("value", "", n))
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


# An empty paragraph or cell in a page: a table pasted cell by cell keeps its blank cells
# this way (<p>&nbsp;</p>); one cell per line, it is a blank figure, elsewhere nothing.
EMPTY_CELL = "\u2400"
_CELLISH = frozenset("p td th li".split())


def html_lines(html: str | bytes) -> str:
    """An HTML page as lines, one per block element or <br> (every cell line kept; an
    extractor that drops repeated short paragraphs loses the 0s of a flattened table);
    an empty paragraph or cell is a line of its own (EMPTY_CELL)."""
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
        if el.tag in _CELLISH and not el.text_content().replace("\xa0", " ").strip() \
                and el.find(".//img") is None:
            out.append(f"\n{EMPTY_CELL}\n")
            return
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


# Page furniture a text layer keeps: '- 5 -', '— 5 —', '第5页', '第 5 页 共 12 页', '5/12'.
_PAGE_NO = re.compile(r"^\s*(?:[-－—–]\s*\d{1,3}\s*[-－—–]|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?"
                      r"|\d{1,3}\s*/\s*\d{1,3}|[-－—–]\s*\d{1,3}|\d{1,3}\s*[-－—–])\s*$")
_PAGE_NO_TAIL = re.compile(r"(?<=\d)\s+[-－—–]\s*\d{1,3}\s*[-－—–]\s*$")   # glued after a row's figures


def strip_furniture(text: str) -> str:
    """The text without page numbers and running headers: a line repeated at the top or
    bottom of several pages (form feeds or page-number lines mark the pages) is furniture."""
    lines = text.replace("\r\n", "\n").replace("\f", "\n\f\n").split("\n")
    page_edge: dict[str, int] = {}
    near: set[int] = set()                  # line numbers beside a page boundary
    for i, line in enumerate(lines):
        if line.strip() == "\f" or _PAGE_NO.match(line):
            for j in (i - 2, i - 1, i + 1, i + 2):
                if 0 <= j < len(lines) and lines[j].strip() and not _PAGE_NO.match(lines[j]):
                    if not is_value_line(lines[j].strip()):
                        near.add(j)
    for j in near:                          # each line once, however many boundaries it is beside
        page_edge[lines[j].strip()] = page_edge.get(lines[j].strip(), 0) + 1
    running = {t for t, k in page_edge.items() if k >= 2 and len(fold(t)) <= 40}
    out = []
    for i, line in enumerate(lines):
        t = line.strip()
        if not t or t == "\f" or _PAGE_NO.match(line) or (t in running and i in near):
            continue
        out.append(_PAGE_NO_TAIL.sub("", line))
    return "\n".join(out)


def is_value_line(t: str) -> bool:
    return all(read_value(p)[0] != "text" for p in _WS.split(t.strip()) if p)


def is_prose(label: str) -> bool:
    """A sentence, not a table label: it ends a sentence, or it runs on with commas and
    numbers (a quoted figure such as 结果维持25件 is no row)."""
    if header_section([label]) or "勾稽" in label:
        return False
    f = label.replace(" ", "")
    if ordinal_style(f) is not None and "。" not in f:
        return False
    return "。" in f or (len(fold(f)) >= 20 and any(p in f for p in "，；：,;:"))


def text_matcher(text: str) -> Matcher:
    text = strip_furniture(text)
    if _row_per_line(text):
        return rows_matcher(text).finish()
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
        if values and not labels and not any(v.text for v in values):
            values = []                  # empty paragraphs between blocks: no row
        if values:
            vals = [Slot(v.text, i) for i, v in enumerate(values)]
            m.feed(Row(labels=labels, values=vals, width=len(vals), table=0, row=first_line))
            seen_data = True
            labels, values = [], []

    for kind, t, n in toks:
        if kind == "label" and section is not None and is_prose(t):
            flush_header()
            flush_row()
            labels = []
            continue
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
    return m.finish()


def _row_per_line(text: str) -> bool:
    """A text layer (a table row per line, figures side by side) rather than one cell per
    line: some line carries five or more figures after its label or alone."""
    for line in text.splitlines():
        if "\t" in line:
            return False
        parts = [p for p in _WS.split(line.strip()) if p]
        k = len(parts)
        while k > 0 and read_value(parts[k - 1])[0] != "text":
            k -= 1
        if len(parts) - k >= 5:
            return True
    return False


def _fragments(label: str) -> str:
    """A text layer's label without the single characters of a label printed vertically
    (三/、/本/年/度 beside the rows) that the text layer puts in front of row labels."""
    parts = [p for p in label.split() if p]
    keep = [p for p in parts if len(fold(p)) > 1 or ordinal(p) is not None]
    return " ".join(keep)


_ROW_LABELS = F.REQUEST_ROWS + F.RESULT_CATEGORIES + F.ACTIVE_ITEMS + tuple(
    sub for c in F.RESULT_CATEGORIES for sub in c.subs if sub.id != "other")
_ROW_STARTS = tuple(sorted({fold(k) for lab in _ROW_LABELS for k in (lab.text, *lab.keys) if len(fold(k)) >= 2}))


def _starts_row(label: str) -> bool:
    """Does this label begin a line of the table: an ordinal, or a row's own wording at its
    start ('行政许可', '规章'; never a wrapped tail such as '求缴纳费用、行政机关…')?"""
    if ordinal(label) is not None:
        return True
    first = fold(label.split()[0]) if label.split() else ""
    return any(first.startswith(k) for k in _ROW_STARTS)


def _parent_only(label: str) -> bool:
    """A category label that never has figures of its own when its sub-lines follow
    (（三）不予公开, （四）无法提供, （五）不予处理), not one that names a sub-line too."""
    cat = best(label, F.RESULT_CATEGORIES, 1.0)[0]
    if not (cat and cat.subs and cat.id != "other"):
        return False
    return not best(fold(label).replace(fold(cat.text), "", 1), cat.subs, 1.0)[0]


def rows_matcher(text: str) -> Matcher:
    """A text layer: each line is label text, figures, or both. Labels wrap over lines and
    figures sit on the line the row is centred on, above, beside or below its label: a
    line that begins a label (an ordinal, a row's keyword) opens a row; a line that does
    not continues the open label; a figures line goes to the open row that has none, else
    waits for the next label (figures printed above their label)."""
    m = Matcher("text")
    section: str | None = None
    bounded = any(section_of_heading(x) is not None for x in text.splitlines() if len(x) <= 40)
    if not bounded:
        section = "any"
    header: list[Slot] = []
    cur: dict | None = None            # {"labels": [str], "values": [str] | None, "line": n}
    waiting: tuple[list[str], int] | None = None
    seen_data = False
    lines = text.splitlines()

    def close() -> None:
        nonlocal cur, seen_data
        if cur is None:
            return
        labels = [Slot(" ".join(cur["labels"]), 0)] if cur["labels"] else []
        if cur["values"]:
            vals = [Slot(v, i) for i, v in enumerate(cur["values"])]
            m.feed(Row(labels=labels, values=vals, width=len(vals), table=0, row=cur["line"]))
            seen_data = True
        elif labels:
            m.context_row(labels)
        cur = None

    def orphan() -> None:
        nonlocal waiting
        if waiting is not None:           # figures no label claimed: kept, never placed by guess
            vals = [Slot(v, i) for i, v in enumerate(waiting[0])]
            m.feed(Row(labels=[], values=vals, width=len(vals), table=0, row=waiting[1]))
            waiting = None

    def flush_header() -> None:
        nonlocal header
        if header:
            m.feed(Row(labels=header, values=[], width=len(header), table=0, row=0))
            header = []

    def next_label(i: int) -> str | None:
        """The next line's label when it is a label alone (no figures), else None."""
        for j in range(i + 1, min(i + 3, len(lines))):
            lab, vals = _split(lines[j])
            lab = _fragments(lab)
            if vals:
                return None
            if lab:
                return lab
        return None

    for i, line in enumerate(lines):
        if line.strip() == EMPTY_CELL:
            continue
        label, values = _split(line)
        sec = section_of_heading(label) if label and not values and len(label) <= 40 else None
        if sec is not None and not (sec == "" and section in SECTIONS and len(fold(label)) < 4):
            close()
            orphan()
            flush_header()
            section, seen_data = (sec or None), False
            m.section, m.last_was_data = section, True
            continue
        if section is None:
            continue
        if label and is_prose(label):
            close()
            orphan()
            continue
        cur_sec = None if section == "any" else section
        if section == "appeals" and label:    # 表四: header lines, then one row of 15 figures
            if values and len(values) < len(F.APPEAL_COLUMN_IDS):
                continue                  # a header line ending in a stray figure
            header.append(Slot(label, len(header))) if not values else None
            label = "" if values else label
            if not values:
                continue
        if label and not values and (_is_header(label, cur_sec or m.section, seen_data) or
                                     (not seen_data and cur is None and not _starts_row(label))):
            if cur is not None and cur["values"]:
                close()                  # the row above is complete: it keeps the header it had
            header += [Slot(part, len(header) + k) for k, part in enumerate(label.split())]   # a cell each
            continue
        flush_header()
        label = _fragments(label)
        if label and _starts_row(label):
            close()
            if _parent_only(label) and not values:
                m.context_row([Slot(label, 0)])
                continue
            cur = {"labels": [label], "values": values or None, "line": i}
            if not values and waiting is not None:
                cur["values"], waiting = waiting[0], None
            continue
        if label:                        # a continuation of the open label
            if cur is not None and (cur["values"] is None or not values):
                cur["labels"].append(label)
                if values:
                    cur["values"] = values
            elif values:                 # an unnumbered line of its own (其他法律…禁止公开 0 0 …)
                close()
                orphan()
                cur = {"labels": [label], "values": values, "line": i}
            continue
        if not values:
            continue
        # figures alone
        if cur is not None and cur["values"] is None:
            nxt = next_label(i)
            cat = best(cur["labels"][0], F.RESULT_CATEGORIES, 1.0)[0]
            if cat is not None and cat.subs and nxt and _starts_row(nxt) and ordinal_style(nxt) == "arabic":
                close()                   # （六）其他处理 above its sub-lines: the figures are the next line's
                waiting = (values, i)
                continue
            cur["values"] = values
            continue
        close()
        orphan()
        waiting = (values, i)
    close()
    orphan()
    flush_header()
    return m


def _split(line: str) -> tuple[str, list[str]]:
    """A text-layer line -> (label text, trailing figures)."""
    if line.strip() == EMPTY_CELL:
        return "", []
    parts = [p for p in _WS.split(line.strip()) if p]
    k = len(parts)
    while k > 0 and read_value(parts[k - 1])[0] != "text":
        k -= 1
    return " ".join(parts[:k]), parts[k:]
