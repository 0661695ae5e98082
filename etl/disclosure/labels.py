"""Fuzzy label matching: normalised text first, then the ordinal (position) as fallback.

Agencies retype the national format's labels: full-width or ASCII brackets, 1. or 1、 or
(1), Traditional characters, a dropped 属于, 政府信息公开 abbreviated, line breaks inside a
PDF cell. Labels are compared in a folded form (Simplified, ASCII, no ordinal prefix, no
punctuation or spaces) by keyword and, failing that, by similarity.
"""
from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from ..normalize import to_simplified
from .layout import Label

_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# Leading ordinals: 一、 （一） (一) 1. 1、 1． (1) ①  第一项 is left alone (it is a label).
_ORDINAL = re.compile(
    r"^\s*(?:[（(]\s*([一二三四五六七八九十\d]{1,3})\s*[）)]|([一二三四五六七八九十]{1,3})\s*[、.．]"
    r"|(\d{1,2})\s*[、.．)）](?!\d)|([①②③④⑤⑥⑦⑧⑨⑩]))\s*")
_PUNCT = re.compile(r"[\s\u3000、，,。.．:：;；“”\"'‘’「」『』《》()（）\[\]【】<>〈〉/／\\\-—–_·•*]+")
MIN_SIMILARITY = 0.6
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_PROTECT = {ord(c): 0xE000 + i for i, c in enumerate(_CIRCLED)}      # private-use stand-ins
_RESTORE = {v: k for k, v in _PROTECT.items()}


def _nfkc(text: str) -> str:
    """NFKC, except circled numbers: NFKC turns ① into 1, and the ordinal would be lost."""
    return unicodedata.normalize("NFKC", (text or "").translate(_PROTECT)).translate(_RESTORE)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """The comparison form of a label: NFKC, Simplified, ordinal prefix and punctuation
    stripped. '（三）不予公开' -> '不予公开', '1.屬於國家秘密' -> '属于国家秘密'."""
    t = to_simplified(_nfkc(text))
    t = _ORDINAL.sub("", t, count=1)
    return _PUNCT.sub("", t)


def ordinal(text: str) -> int | None:
    """The leading ordinal of a label as a number ('（三）不予公开' -> 3, '2.重复申请' -> 2)."""
    m = _ORDINAL.match(_nfkc(text))
    if not m:
        return None
    tok = next(g for g in m.groups() if g)
    if tok in _CIRCLED:                        # before isdigit(): '①'.isdigit() is True
        return _CIRCLED.index(tok) + 1
    if tok.isdigit():
        return int(tok)
    if tok == "十":
        return 10
    if len(tok) == 2 and tok[0] == "十":
        return 10 + _CN_DIGITS.get(tok[1], 0)
    if len(tok) == 2 and tok[1] == "十":
        return _CN_DIGITS.get(tok[0], 0) * 10
    return _CN_DIGITS.get(tok)


def ordinal_style(text: str) -> str | None:
    """How the ordinal is written: 'cn' (三、), 'paren' (（三）), 'arabic' (3.), 'circled' (③)."""
    m = _ORDINAL.match(_nfkc(text))
    if not m:
        return None
    return ("paren", "cn", "arabic", "circled")[next(i for i, g in enumerate(m.groups()) if g)]


def score(text: str, label: Label, keyword_only: bool = False) -> float:
    """How well a folded text names a label: 1+ for a keyword contained (longer keywords
    score higher, so 不予公开 beats 予以公开's shorter overlap), else the similarity ratio."""
    folded = fold(text)
    if not folded:
        return 0.0
    hits = [len(fold(k)) for k in label.keys if fold(k) and fold(k) in folded]
    if hits:
        return 1.0 + max(hits) / 100
    if keyword_only:                      # the caller wants a keyword hit: skip the ratio
        return 0.0
    return SequenceMatcher(None, folded, fold(label.text)).ratio()


def best(text: str, labels: tuple[Label, ...] | list[Label],
         minimum: float = MIN_SIMILARITY) -> tuple[Label | None, float]:
    """The label that text names best, if it scores at least `minimum` (first wins a tie)."""
    return _best(text, tuple(labels), minimum)


@lru_cache(maxsize=65536)
def _best(text: str, labels: tuple[Label, ...], minimum: float) -> tuple[Label | None, float]:
    top, top_score = None, 0.0
    for lab in labels:
        s = score(text, lab, keyword_only=minimum >= 1.0)
        if s > top_score:
            top, top_score = lab, s
    return (top, top_score) if top_score >= minimum else (None, top_score)


def exact_key(text: str, labels: tuple[Label, ...] | list[Label]) -> Label | None:
    """A label whose keyword the folded text *is* (headers: '其他' is a column, not a row
    that merely contains the word)."""
    folded = fold(text)
    for lab in labels:
        if folded == fold(lab.text) or folded in {fold(k) for k in lab.keys}:
            return lab
    return None
