"""Script of a document: Simplified (hans) or Traditional (hant), from the share of Han
characters that OpenCC t2s changes."""
from __future__ import annotations

import re

from ..normalize import to_simplified

HANT_THRESHOLD = 0.05             # share of Han characters that t2s changes in Traditional text
_NOT_HAN = re.compile("[^\u4e00-\u9fff\u3400-\u4dbf]+")
_BLOCK = 512


def hant_share(text: str, simplified: str | None = None) -> float:
    """Share of Han characters that OpenCC t2s changes. `simplified` is to_simplified(text)
    when the caller has it already (the same length, position for position): the text is then
    not converted again."""
    han = len(_NOT_HAN.sub("", text))
    if not han:
        return 0.0
    if simplified is None or len(simplified) != len(text):
        simplified = to_simplified(text)      # same length by construction
    if simplified == text:
        return 0.0
    changed = 0
    for i in range(0, len(text), _BLOCK):     # equal blocks (most of a Simplified text) skipped
        a, b = text[i: i + _BLOCK], simplified[i: i + _BLOCK]
        if a != b:
            changed += len(_NOT_HAN.sub("", "".join([x for x, y in zip(a, b) if x != y])))
    return changed / han


def script_of(text: str, simplified: str | None = None) -> str:
    return "hant" if hant_share(text, simplified) >= HANT_THRESHOLD else "hans"
