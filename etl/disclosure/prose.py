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
