"""Which kind of yearly report a document is: 'disclosure' (政府信息公开工作年度报告),
'rule_of_law' (法治政府建设), or '' (neither: a notice, a plan, a decoy).

The title words are etl/catalog.yaml's `report_kinds` (title_word, title_heads, title_not)."""
from __future__ import annotations

from .. import knowledge
from .labels import fold
from .match import section_of_heading

DISCLOSURE = "disclosure"
RULE_OF_LAW = "rule_of_law"


def _names_kind(t: str, kind: str) -> bool:
    """The folded title names the kind: its word, one of its heads, none of its other forms."""
    k = knowledge.report_kinds()[kind]
    return k.title_word in t and any(h in t for h in k.title_heads) and not any(w in t for w in k.title_not)


def kind_of_title(title: str) -> str:
    t = fold(title)
    words = [knowledge.report_kinds()[k].title_word for k in (DISCLOSURE, RULE_OF_LAW)]
    if all(w in t for w in words):
        return ""                          # a joint title: the text's headings decide
    if _names_kind(t, DISCLOSURE):
        return DISCLOSURE
    if _names_kind(t, RULE_OF_LAW):
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
