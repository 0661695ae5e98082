"""Rows of any layout -> cells with metric ids.

Every layout is reduced to the same shape: rows of label cells followed by figure cells,
each figure with its distance from the row's right edge (HTML/PDF grids) or its order
(flattened text). Header rows set the columns; data rows are matched to the format's rows
by their labels (keyword, similarity, then ordinal within the parent); a figure goes to the
column whose header covers it, or, with no header understood, to the format's column at
the same place from the right (the figures are always the last columns).

State runs across tables, so a matrix a PDF splits over two pages (the second part
without its header, its merged parent labels cut) still lands in the right rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import layout as F
from .cells import Cell, is_value_text, read_value
from .labels import best, exact_key, fold, ordinal, ordinal_style

SECTIONS = ("active", "requests", "appeals")


@dataclass
class Slot:
    """A cell of a row: text and where it sits (grid column and span; text: its order)."""
    text: str
    col: int
    span: int = 1


@dataclass
class Row:
    labels: list[Slot]
    values: list[Slot]
    width: int                   # grid width (text: number of values)
    table: int
    row: int


@dataclass
class _Header:
    leaf: dict[int, str] = field(default_factory=dict)     # offset from right -> column id
    group: dict[int, str] = field(default_factory=dict)    # offset -> appeal group id
    text: dict[int, list[str]] = field(default_factory=dict)   # offset -> header texts
    unit: dict[int, str] = field(default_factory=dict)


def section_of_heading(text: str) -> str | None:
    """Section of a heading line ('三、收到和处理政府信息公开申请情况' -> requests); '' for the
    prose sections; None when the line is no section heading."""
    f = fold(text)
    if len(f) > 30 or (ordinal_style(text) not in ("cn", "paren") and len(f) > 16):
        return None                      # a sentence that mentions a section, not its heading
    # Section 一 has sub-headings of its own ((二)依申请公开情况, (五)监督保障): a figure
    # section is opened only by a heading numbered 二、三、四、 or not numbered at all.
    figure_heading = ordinal_style(text) in ("cn", None)
    if figure_heading and ("主动公开政府信息情况" in f or f == "主动公开情况"):
        return "active"
    if figure_heading and ("收到和处理政府信息公开申请" in f
                           or "依申请公开" in f and "情况" in f and ordinal_style(text) == "cn"):
        return "requests"
    if figure_heading and "行政复议" in f and "行政诉讼" in f and "情况" in f:
        return "appeals"
    if any(k in f for k in ("总体情况", "存在的主要问题", "其他需要报告的事项", "改进情况")):
        return ""
    return None


def header_section(texts: list[str]) -> str | None:
    """Which table a header row belongs to, from the words only a header has."""
    folded = [fold(t) for t in texts]
    if any(k in f for f in folded for k in ("自然人", "商业企业", "科研机构", "申请人情况", "法人或其他组织")):
        return "requests"
    if any(k in f for f in folded for k in ("结果维持", "结果纠正", "尚未审结", "直接起诉", "复议后起诉")):
        return "appeals"
    if any(f == "信息内容" or "件数" in f or "处理决定数量" in f or "收费金额" in f
           or "新制作数量" in f for f in folded):
        return "active"
    return None


class Matcher:
    """Feeds rows in document order; collects cells."""

    def __init__(self, layout: str) -> None:
        self.layout = layout
        self.section: str | None = None
        self.header = _Header()
        self.last_was_data = False
        self.category: F.Label | None = None     # current result category (不予公开 ...)
        self.cells: list[Cell] = []
        self.seen: set[str] = set()
        self.unmatched: list[str] = []           # data rows no label or position placed
        self.bare: set[str] = set()              # lines whose label was read without figures
        self._header_at: tuple[int, int] | None = None   # (table, row) of the last header row

    # -- headers ----------------------------------------------------------------------

    def header_row(self, row: Row, section: str) -> None:
        if self.last_was_data or section != self.section:
            self.header = _Header()
        self.section, self.last_was_data = section, False
        for s in row.labels:
            lo = row.width - (s.col + s.span)
            for off in range(max(lo, 0), row.width - s.col):
                self._header_cell(s.text, off)

    def _header_cell(self, text: str, off: int) -> None:
        h, f = self.header, fold(text)
        shown = h.text.setdefault(off, [])
        if not shown or shown[-1] != " ".join(text.split()):     # a rowspan repeats it
            shown.append(" ".join(text.split()))
        if "万元" in f:
            h.unit[off] = F.UNIT_AMOUNT
        if self.section == "requests":
            if any(g in f for g in F.REQUEST_COLUMN_GROUPS) or len(f) > 10:
                return
            lab = exact_key(text, F.REQUEST_COLUMNS) or best(text, F.REQUEST_COLUMNS, 1.0)[0]
        elif self.section == "appeals":
            grp = best(text, F.APPEAL_GROUPS, 1.0)[0]
            if grp:
                h.group[off] = grp.id
                return
            lab = best(text, F.APPEAL_OUTCOMES, 1.0)[0] if len(f) <= 6 else None
        else:
            lab = best(text, F.ACTIVE_COLUMNS, 1.0)[0]
        if lab:
            h.leaf[off] = lab.id

    # -- data rows ---------------------------------------------------------------------

    def data_row(self, row: Row, section: str) -> None:
        self.section, self.last_was_data = section, True
        if section == "requests":
            key = self._request_row(row.labels)
            if key:
                self._emit(row, key[0], key[1], self._request_col)
            else:
                self.unmatched.append(" / ".join(s.text for s in row.labels))
        elif section == "appeals":
            self._emit(row, "", "label", self._appeal_col if self._header_places(row) else self._appeal_by_order)
        else:
            item = self._active_item(row.labels)
            if item:
                self._emit(row, item.id, "label", self._active_col(item, row))
            elif row.labels:
                self.unmatched.append(" / ".join(s.text for s in row.labels))

    def _request_row(self, labels: list[Slot]) -> tuple[str, str] | None:
        """(row id, how) of a matrix row from its labels, most general first."""
        found: tuple[str, str] | None = None
        for s in labels:
            t = s.text
            top = best(t, F.REQUEST_ROWS, 1.0)[0]
            if top:
                self.category, found = None, (top.id, "label")
                continue
            if best(t, (F.RESULT_GROUP,), 1.0)[0] and not best(t, F.RESULT_CATEGORIES, 1.0)[0]:
                continue
            cat = best(t, F.RESULT_CATEGORIES, 1.0)[0]
            if cat:
                self.category = cat
                found = (f"result.{cat.id}.total" if cat.subs else f"result.{cat.id}", "label")
                sub = best(fold(t).replace(fold(cat.text), "", 1), cat.subs, 1.0)[0] if cat.subs else None
                if sub:                     # parent and line in one label: （三）不予公开 国家秘密
                    found = (f"result.{cat.id}.{sub.id}", "label")
                continue
            row = self._sub_row(t) or self._by_position(t)
            if row:
                found = row
        return found

    def context_row(self, labels: list[Slot]) -> None:
        """A label line without figures (a parent label a text layer printed on its own
        line): it names the open category, it is no row."""
        if self.section == "requests":
            key = self._request_row(labels)
            if key:
                self.bare.add(key[0])

    def finish(self) -> "Matcher":
        """Drop a category's own line when it only held a merged parent label cut by a page
        (every figure blank) and the category's sub-lines were read."""
        drop = set()
        for cat in F.RESULT_CATEGORIES:
            if not cat.subs:
                continue
            own = [c for c in self.cells if c.metric.startswith(f"xxgk.result.{cat.id}.total.")]
            subs = any(c.metric.startswith(f"xxgk.result.{cat.id}.") and not c.metric.startswith(
                f"xxgk.result.{cat.id}.total.") for c in self.cells)
            if own and subs and all(c.status == "blank" for c in own):
                drop |= {c.metric for c in own}
        self.cells = [c for c in self.cells if c.metric not in drop]
        return self

    def _by_position(self, text: str) -> tuple[str, str] | None:
        """A line no keyword names: the line its wording resembles, else the one its ordinal
        stands for in the format (一、/二、/四、 top lines, （一）..（七） result lines)."""
        lab = best(text, F.REQUEST_ROWS + F.RESULT_CATEGORIES)[0]
        style, n = ordinal_style(text), ordinal(text)
        if lab is None and n:
            if style == "cn":
                lab = {1: F.REQUEST_ROWS[0], 2: F.REQUEST_ROWS[1], 4: F.REQUEST_ROWS[2]}.get(n)
            elif style == "paren" and 1 <= n <= len(F.RESULT_CATEGORIES):
                lab = F.RESULT_CATEGORIES[n - 1]
        if lab is None:
            return None
        if lab in F.REQUEST_ROWS:
            self.category = None
            return lab.id, "position"
        self.category = lab
        return (f"result.{lab.id}.total" if lab.subs else f"result.{lab.id}"), "position"

    def _sub_row(self, text: str) -> tuple[str, str] | None:
        """A result sub-line ('2.重复申请'): its keyword under the open category, else the
        category whose sub-line its keyword names (a page break may have cut the parent
        label off), else its ordinal where the numbering continues: a '1.' after the open
        category's lines were all read starts the next category, never refills the last."""
        cat = self.category
        if cat and cat.subs:
            sub = best(text, cat.subs, 1.0)[0]
            if sub:
                return f"result.{cat.id}.{sub.id}", "label"
        named = [(c, sub) for c in F.RESULT_CATEGORIES if c.subs
                 for sub in [best(text, c.subs, 1.0)[0]] if sub and not (c.id == "other" and sub.id == "other")]
        if len(named) == 1:
            self.category = named[0][0]
            return f"result.{named[0][0].id}.{named[0][1].id}", "label"
        n = ordinal(text)
        if n and ordinal_style(text) in ("arabic", "circled"):
            for c in self._open_categories():
                if n <= len(c.subs) and self._row_free(f"result.{c.id}.{c.subs[n - 1].id}"):
                    if c is not cat and self._row_free(f"result.{c.id}.{c.subs[0].id}") and n > 1:
                        continue            # a later category's numbering starts at 1
                    self.category = c
                    return f"result.{c.id}.{c.subs[n - 1].id}", "position"
        if cat and cat.subs:
            sub = best(text, cat.subs)[0]
            if sub:
                return f"result.{cat.id}.{sub.id}", "label"
        return None

    def _open_categories(self) -> list[F.Label]:
        """The open category and those after it (with sub-lines), in the format's order."""
        cats = [c for c in F.RESULT_CATEGORIES if c.subs]
        if self.category is None or self.category not in cats:
            return cats
        return cats[cats.index(self.category):]

    def _row_free(self, row_id: str) -> bool:
        """No cell of this matrix line has been read yet."""
        return not any(F.request_metric(row_id, c) in self.seen for c in F.REQUEST_COLUMN_IDS)

    def _request_col(self, row: Row, v: Slot, i: int) -> tuple[str | None, str]:
        ids = F.REQUEST_COLUMN_IDS
        if self.layout == "text":
            return (ids[i] if len(row.values) == len(ids) else None), F.UNIT_COUNT
        off = row.width - (v.col + v.span)
        col = self.header.leaf.get(off)
        if col is None and 0 <= off < len(F.REQUEST_COLUMN_IDS):
            col = F.REQUEST_COLUMN_IDS[-1 - off]
        return col, F.UNIT_COUNT

    def _appeal_col(self, row: Row, v: Slot, i: int) -> tuple[str | None, str]:
        ids = F.APPEAL_COLUMN_IDS
        if self.layout == "text":
            return (ids[i] if len(row.values) == len(ids) else None), F.UNIT_COUNT
        off = row.width - (v.col + v.span)
        grp, leaf = self.header.group.get(off), self.header.leaf.get(off)
        if grp and leaf:
            return f"{grp}.{leaf}", F.UNIT_COUNT
        return (ids[-1 - off] if 0 <= off < len(ids) else None), F.UNIT_COUNT

    def _header_places(self, row: Row) -> bool:
        """Does the header place the row's 15 figures in 15 different columns? (A header
        a page break split into tables of different widths does not.)"""
        if self.layout == "text" or len(row.values) != len(F.APPEAL_COLUMN_IDS):
            return True
        cols = [self._appeal_col(row, v, i)[0] for i, v in enumerate(row.values)]
        return None not in cols and len(set(cols)) == len(cols)

    def _appeal_by_order(self, row: Row, v: Slot, i: int) -> tuple[str | None, str]:
        """The format's order of 表四's 15 columns (three groups x five outcomes)."""
        return F.APPEAL_COLUMN_IDS[i], F.UNIT_COUNT

    def _active_item(self, labels: list[Slot]) -> F.Label | None:
        for s in reversed(labels):
            item = best(s.text, F.ACTIVE_ITEMS, 1.0)[0] or best(s.text, F.ACTIVE_ITEMS, 0.75)[0]
            if item:
                return item
        return None

    def _active_col(self, item: F.Label, row: Row):
        defaults = F.ACTIVE_DEFAULT_COLUMNS.get(item.id, ())
        in_order = [self.header.leaf[o] for o in sorted(self.header.leaf, reverse=True)]
        ordered = list(dict.fromkeys(in_order))

        def col(_row: Row, v: Slot, i: int) -> tuple[str | None, str]:
            if self.layout == "text":
                cols = ordered if len(ordered) == len(row.values) else list(defaults)
                c = cols[i] if len(cols) == len(row.values) else None
            else:
                off = row.width - (v.col + v.span)
                c = self.header.leaf.get(off)
                if c is None and len(row.values) == len(defaults):
                    c = defaults[i]
            unit = F.UNIT_AMOUNT if c in F.AMOUNT_COLUMNS else F.UNIT_COUNT
            if self.layout != "text":
                unit = self.header.unit.get(row.width - (v.col + v.span), unit)
            return c, unit
        return col

    def _expected(self, row_id: str) -> int:
        return {"requests": len(F.REQUEST_COLUMN_IDS), "appeals": len(F.APPEAL_COLUMN_IDS)}.get(
            self.section or "", len(F.ACTIVE_DEFAULT_COLUMNS.get(row_id, ())))

    def _emit(self, row: Row, row_id: str, how: str, col_of) -> None:
        if self.layout == "text":       # blank cells a merged label left in a TSV row
            n = self._expected(row_id)
            while len(row.values) > n and not row.values[0].text.strip():
                row.values.pop(0)
            while len(row.values) > n and not row.values[-1].text.strip():
                row.values.pop()         # an empty paragraph after the row
            row.values = [Slot(v.text, i) for i, v in enumerate(row.values)]
            row.width = len(row.values)
        row_label = " / ".join(" ".join(s.text.split()) for s in row.labels)
        unaligned = " ".join(v.text.strip() for v in row.values)
        for i, v in enumerate(row.values):
            col, unit = col_of(row, v, i)
            if col is None:
                if self.layout == "text":   # nothing placed without guessing: keep the row
                    self._emit_unaligned(row, row_id, row_label, unaligned)
                    return
                continue
            metric = self._metric(row_id, col)
            if metric in self.seen:
                continue
            status, value = read_value(v.text)
            self.seen.add(metric)
            off = row.width - (v.col + v.span)
            self.cells.append(Cell(
                metric=metric, section=self.section or "", row_label=row_label,
                col_label=(" / ".join(self.header.text.get(off, []))
                           if self.layout != "text" and col_of != self._appeal_by_order else "")
                or F.column_label(self.section or "", col),
                unit=unit, value=value, raw=v.text.strip(), status=status, layout=self.layout,
                table=row.table, row=row.row, col=v.col, match=how))

    def _emit_unaligned(self, row: Row, row_id: str, row_label: str, published: str) -> None:
        cols = {"requests": F.REQUEST_COLUMN_IDS, "appeals": F.APPEAL_COLUMN_IDS}.get(
            self.section or "", F.ACTIVE_DEFAULT_COLUMNS.get(row_id, ()))
        for j, col in enumerate(cols):
            metric = self._metric(row_id, col)
            if metric in self.seen:
                continue
            self.seen.add(metric)
            self.cells.append(Cell(
                metric=metric, section=self.section or "", row_label=row_label,
                col_label=F.column_label(self.section or "", col),
                unit=F.UNIT_AMOUNT if col in F.AMOUNT_COLUMNS else F.UNIT_COUNT, value=None,
                raw=published, status="unaligned", layout=self.layout, table=row.table,
                row=row.row, col=j, match="position",
                note=f"{len(row.values)} figures published for {len(cols)} columns: none placed by guess"))

    def _metric(self, row_id: str, col: str) -> str:
        if self.section == "requests":
            return F.request_metric(row_id, col)
        if self.section == "appeals":
            return F.appeal_metric(col)
        return F.active_metric(row_id, col)

    # -- one row of any layout -----------------------------------------------------------

    def feed(self, row: Row) -> None:
        texts = [s.text for s in row.labels]
        hsec = header_section(texts)
        figures = [v for v in row.values if read_value(v.text)[0] in ("number", "dash")]
        if hsec and not figures:
            self.header_row(row, hsec)
            self._header_at = (row.table, row.row)
            return
        if (not figures and row.labels and row.row == 0 and self.layout != "text" and not self.last_was_data
                and self._header_at and self._header_at[0] != row.table and self.section in ("requests", "appeals")):
            self._header_tail(row)      # the rest of header cells a page break cut ('社会公益' / '组织')
            return
        section = self._section_of_data(row)
        if section and (row.values or figures):
            self.data_row(row, section)

    def _header_tail(self, row: Row) -> None:
        for s in row.labels:
            lo = row.width - (s.col + s.span)
            for off in range(max(lo, 0), row.width - s.col):
                shown = self.header.text.get(off)
                if shown:
                    self._header_cell(shown.pop() + " ".join(s.text.split()), off)

    def _section_of_data(self, row: Row) -> str | None:
        texts = [s.text for s in row.labels]
        if any(best(t, F.REQUEST_ROWS, 1.0)[0] or best(t, F.RESULT_CATEGORIES, 1.0)[0]
               or best(t, (F.RESULT_GROUP,), 1.0)[0] for t in texts):
            return "requests"
        if texts and any(best(t, F.ACTIVE_ITEMS, 1.0)[0] for t in texts) and self.section != "requests":
            return "active"
        return self.section if self.section in SECTIONS else None


def split_row(texts: list[str]) -> tuple[list[int], list[int]]:
    """Indices of label cells and of figure cells: the figures are the longest run of
    value-like cells at the row's end; blank cells before them are no labels."""
    k = len(texts)
    while k > 0 and is_value_text(texts[k - 1]):
        k -= 1
    labels = [i for i in range(k) if texts[i].strip()]
    return labels, list(range(k, len(texts)))
