"""Sentence and clause boundaries, and the soft line breaks of PDF text that do not end them."""
from __future__ import annotations

import re

SENT_END_RE = re.compile(r"[。！？!?；;\n\r]")
# Commas end clauses, but not the thousands separators of 1,832 (the ARABIC number form).
# (One character class first, so the search skips other characters fast: a comma then passes
# when no digit precedes it or no group of three digits follows.)
CLAUSE_END_RE = re.compile(r"[。！？!?；;\n\r\t，：:,](?:(?<!,)|(?<!\d,)|(?!\d{3}(?!\d)))")

# Soft line breaks (PDF): lines of 10-60 characters not ending a sentence, no heading or list
# item on either side, no metadata line (来源: ..., 索引号: ...).
_SOFT_MIN, _SOFT_MAX = 10, 60
_HARD_LINE_END = frozenset("。！？!?；;：:")
_LINE_HEAD_RE = re.compile(r"第?[一二三四五六七八九十]+[、.章节]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.](?!\d)|"
                           r"[①-⑳⑴-⒇⒈-⒛]|附件|表\s*\d|图\s*\d|[一二三四五六七八九十]是")
_META_LINE_RE = re.compile(r"[:：]\s*\S")



def soft_breaks(norm: str) -> set[int]:
    """Line breaks inside a sentence, as PDF text keeps them: the line is of PDF width, does not
    end a sentence and is not a heading, and the next line is not a heading or list item. The
    sentence (and clause) runs on over them."""
    soft: set[int] = set()
    start = 0
    n = len(norm)
    while True:
        i = norm.find("\n", start)
        if i == -1 or i + 1 >= n:
            return soft
        line = norm[start:i].strip()
        start = i + 1
        if not (_SOFT_MIN <= len(line) <= _SOFT_MAX) or line[-1] in _HARD_LINE_END or "\t" in line \
                or _LINE_HEAD_RE.match(line) or _META_LINE_RE.search(line):
            continue
        nxt = norm[i + 1:i + 40]
        if not nxt.strip() or nxt[0] in "\n\t" or _LINE_HEAD_RE.match(nxt.lstrip()) or "\t" in nxt.split("\n", 1)[0]:
            continue
        soft.add(i)

