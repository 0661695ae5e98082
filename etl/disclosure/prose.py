"""Figures the format puts in prose: 六、其他需要报告的事项 states the 信息处理费 collected
(《政府信息公开信息处理费管理办法》), e.g. '本年度未收取信息处理费', '共收取信息处理费120元'."""
from __future__ import annotations

import re
import unicodedata

from ..normalize import to_simplified
from .cells import Cell
from .labels import fold
from .match import section_of_heading

from .layout import PROCESSING_FEE as METRIC
_NONE = re.compile(r"(未|没有|无|不)(收取|收缴|发生)[^。；\n]{0,6}信息处理费|信息处理费[^。；\n]{0,4}(为零|为0元?|为〇)")
_AMOUNT = re.compile(r"信息处理费[^。；\n\d]{0,12}?(\d+(?:\.\d+)?)\s*(万元|元)")


def _section_six(text: str) -> str:
    """The text of section 六 (or the whole text when it has no headings)."""
    out, inside, headed = [], False, False
    for line in text.splitlines():
        sec = section_of_heading(line) if len(line) <= 40 else None
        if sec is not None:
            headed = True
            inside = "其他需要报告" in fold(line)
            continue
        if inside:
            out.append(line)
    return "\n".join(out) if headed else text


def processing_fee(text: str, layout: str = "text") -> Cell | None:
    """The 信息处理费 the report states, as a cell (value in the unit written), or None."""
    t = to_simplified(unicodedata.normalize("NFKC", _section_six(text)))
    m = _AMOUNT.search(t)
    if m:
        return Cell(metric=METRIC, section="other", row_label="六、其他需要报告的事项", col_label="信息处理费",
                    unit=m.group(2), value=float(m.group(1)), raw=m.group(0), status="number",
                    layout=layout, table=-1, row=0, col=0)
    m = _NONE.search(t)
    if m:
        return Cell(metric=METRIC, section="other", row_label="六、其他需要报告的事项", col_label="信息处理费",
                    unit="元", value=0.0, raw=m.group(0), status="number", layout=layout, table=-1, row=0, col=0)
    return None


# --- what section 一 (总体情况) states, for the prose-vs-table checks ----------------------
# Each figure: the metric it restates, the sentence pattern, and the table's total it must
# equal (compared in sql/disclosure/warnings.sql). The number sits shortly after its noun,
# inside one clause (no 。；).
STATED = "xxgk.stated."
_N = r"[^。；\d]{0,14}?(\d+)\s*(?:件|起|宗)"
_STATED = (
    ("requests.new", re.compile(r"(?:新收|收到|受理|接收|共收)[^。；\d]{0,24}?申请" + _N.replace("{0,14}", "{0,6}"))),
    ("requests.carried_over", re.compile(r"上一?年度?结转[^。；\d]{0,12}?(\d+)\s*件")),
    ("reconsideration", re.compile(r"行政复议(?:案件|申请)?" + _N.replace("{0,14}", "{0,4}"))),
    ("litigation", re.compile(r"行政诉讼(?:案件)?" + _N.replace("{0,14}", "{0,4}"))),
)
_NONE_APPEALS = re.compile(r"(?:未|没有|无)(?:发生|收到|出现)?[^。；\d]{0,16}?行政复议[、和及或与]?(行政诉讼)?")


def _section_one(text: str) -> str:
    out, inside = [], False
    for line in text.splitlines():
        sec = section_of_heading(line) if len(line) <= 40 else None
        if sec is not None:
            inside = "总体情况" in fold(line)
            continue
        if inside:
            out.append(line.strip())
    return "".join(out)          # a text layer wraps sentences over lines


def stated_figures(text: str, layout: str = "text") -> list[Cell]:
    """The figures section 一 states for 新收 / 上年结转 / 行政复议 / 行政诉讼 (first mention
    each), as cells of section 'stated' with the sentence as `raw`."""
    t = to_simplified(unicodedata.normalize("NFKC", _section_one(text)))
    out = []
    for key, pat in _STATED:
        m = pat.search(t)
        if m:
            out.append(_stated(key, float(m.group(1)), m.group(0), layout))
    m = _NONE_APPEALS.search(t)
    if m and not any(c.metric == STATED + "reconsideration" for c in out):
        out.append(_stated("reconsideration", 0.0, m.group(0), layout))
        if m.group(1) and not any(c.metric == STATED + "litigation" for c in out):
            out.append(_stated("litigation", 0.0, m.group(0), layout))
    return out


def _stated(key: str, value: float, quote: str, layout: str) -> Cell:
    return Cell(metric=STATED + key, section="stated", row_label="一、总体情况", col_label=key, unit="件",
                value=value, raw=quote, status="number", layout=layout, table=-1, row=0, col=0, match="prose")
