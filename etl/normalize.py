"""Text normalisation for matching, with offsets preserved one to one.

The extractor matches on a Simplified, ASCII-folded copy of the text and reports offsets and
quotes from the original, so every function here returns a string of exactly the input's
length: character i of the output stands for character i of the input.
"""
from __future__ import annotations

import re
from functools import lru_cache

import opencc

# Full-width ASCII block (U+FF01..U+FF5E) -> ASCII, plus the ideographic space. The
# full-width comma is kept: in Chinese prose "，" separates clauses, never thousands.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F) if cp != 0xFF0C}
_FULLWIDTH[0x3000] = 0x20
_FULLWIDTH_TABLE = str.maketrans(_FULLWIDTH)
_FULLWIDTH_RUN_RE = re.compile("[" + re.escape("".join(map(chr, sorted(_FULLWIDTH)))) + "]+")   # what it maps
# ...except between full-width digits, where it is a thousands separator: １，２３４.
_FULLWIDTH_THOUSANDS_RE = re.compile(r"(?<=[０-９])，(?=[０-９]{3}(?![０-９]))")


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    """One OpenCC instance per process: building it loads the dictionaries."""
    return opencc.OpenCC("t2s")


def _t2s_charwise(text: str) -> str:
    convert = _converter().convert
    out = []
    for ch in text:
        s = convert(ch)
        out.append(s if len(s) == 1 else ch)
    return "".join(out)


# Variant characters t2s leaves alone but place names and keywords use in Simplified.
_VARIANTS = str.maketrans({"衞": "卫", "敍": "叙", "濬": "浚", "澂": "澄"})
_VARIANT_RE = re.compile("[衞敍濬澂]")


def to_simplified(text: str) -> str:
    """Traditional -> Simplified (OpenCC t2s), same length as the input.

    t2s maps characters one to one in practice; phrase rules could in principle change a
    length, so a line whose conversion changes length is redone character by character.
    """
    if not text:
        return text
    out = _t2s_same_length(text)
    return out.translate(_VARIANTS) if _VARIANT_RE.search(out) else out   # rare: skip the copy


def _t2s_same_length(text: str) -> str:
    out = _converter().convert(text)
    if len(out) == len(text):
        return out
    lines = text.split("\n")
    fixed = []
    for line in lines:
        conv = _converter().convert(line)
        fixed.append(conv if len(conv) == len(line) else _t2s_charwise(line))
    return "\n".join(fixed)


def fullwidth_to_ascii(text: str) -> str:
    """Full-width digits, letters and punctuation -> ASCII (１２．５％ -> 12.5%), same length."""
    if "，" in text:
        text = _FULLWIDTH_THOUSANDS_RE.sub(",", text)
    # by runs: most of a Chinese text has nothing to fold, and translate() copies all of it
    return _FULLWIDTH_RUN_RE.sub(lambda m: m.group().translate(_FULLWIDTH_TABLE), text)



def normalize(text: str) -> str:
    """The matching form of a text: Simplified and ASCII-folded, same length as the input."""
    return fullwidth_to_ascii(to_simplified(text))
