"""Which kind of yearly report a document is: 'disclosure' (政府信息公开工作年度报告),
'rule_of_law' (法治政府建设), or '' (neither: a notice, a plan, a decoy)."""
from __future__ import annotations

from .labels import fold
from .match import section_of_heading

DISCLOSURE = "disclosure"
RULE_OF_LAW = "rule_of_law"


def kind_of_title(title: str) -> str:
    t = fold(title)
    if "政府信息公开" in t and "法治政府建设" in t:
        return ""                          # a joint title: the text's headings decide
    if "政府信息公开" in t and any(k in t for k in ("年度报告", "年报", "工作报告", "情况报告")) \
            and not any(k in t for k in ("解读", "图解", "一图读懂", "通知")):
        return DISCLOSURE
    if "法治政府建设" in t and any(k in t for k in ("报告", "情况", "总结")):
        return RULE_OF_LAW
    return ""


def disclosure_sections(text: str) -> set[str]:
    """The format's figure sections whose headings the text has (active/requests/appeals)."""
    found = set()
    for line in text.splitlines():
        if len(line) <= 40:
            sec = section_of_heading(line)
            if sec:
                found.add(sec)
    return found


def report_kind(title: str, text: str = "", hint: str = "") -> str:
    """The kind from the title, else from the section headings (two of the format's three
    figure sections are enough: a rule-of-law report never has them), else the hint
    (what discovery decided)."""
    k = kind_of_title(title)
    if k:
        return k
    if text and len(disclosure_sections(text)) >= 2:
        return DISCLOSURE
    return hint or ""
