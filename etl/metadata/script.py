"""Script of a document: Simplified (hans) or Traditional (hant), from the share of Han
characters that OpenCC t2s changes."""
from __future__ import annotations

from ..normalize import to_simplified

HANT_THRESHOLD = 0.05             # share of Han characters that t2s changes in Traditional text



def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def hant_share(text: str) -> float:
    """Share of Han characters that OpenCC t2s changes."""
    han = [ch for ch in text if _is_han(ch)]
    if not han:
        return 0.0
    src = "".join(han)
    dst = to_simplified(src)      # same length by construction
    return sum(a != b for a, b in zip(src, dst)) / len(src)


def script_of(text: str) -> str:
    return "hant" if hant_share(text) >= HANT_THRESHOLD else "hans"
