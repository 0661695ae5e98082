"""Number tokens as written in Chinese reports -> float values.

Handles Arabic digits (with thousands separators and decimals), Chinese numerals (三, 十五,
两千, 一百零五, 三千五, 一万二), bare 十/百/千 before 余/多/几 (十余, 百余, 十几), the 万/亿
multipliers after either form (1.2万, 230余万, 十余万), 千 after Arabic digits (2千, 1.5千万)
and 百分之N. `number_pattern()` is the one grammar of a written quantity: the extractor's
token regex (etl/extract/tokens.py) is built from it, so both read numbers the same way.
Input is expected in the matching
form (Simplified, ASCII digits: see etl.normalize). Parsing never raises: an unreadable token
gives None, so callers can treat it as "not a number".
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?"
CHINESE_CHARS = "〇零一二两三四五六七八九十百千万亿"
CHINESE = f"[{CHINESE_CHARS}]+"
MULTIPLIERS = {"千": Decimal(10) ** 3, "万": Decimal(10) ** 4, "千万": Decimal(10) ** 7,
               "亿": Decimal(10) ** 8, "千亿": Decimal(10) ** 11, "万亿": Decimal(10) ** 12}
# After Arabic digits 千 is a multiplier too (2千余册, 约6千人), but not in 千克/千米/千瓦.
MULT = r"万亿|千万|千亿|亿|万|千(?![克米瓦伏卡帕焦])"
# 余/多 (and 几 after a Chinese ten or hundred: 十几, 二十几) mark "more than".
MORE = "[余多几]"

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10 ** 4, "亿": 10 ** 8}
_ARABIC_RE = re.compile(ARABIC)


def number_pattern(num: str = rf"(?:{ARABIC}|{CHINESE})", gap: str = "", suffix: str = "") -> str:
    """The one grammar of a written quantity, as a regex with named groups:
    pct (百分之), n1, an optional range (rsep, n2: 3-5, 三至五), q1 (余/多/几 before 万),
    mult (万/亿/千), q2 (余/多 after it), then `suffix` (the extractor adds its counters and
    以上/以下 there). `num` and `gap` let the extractor accept PDF-broken digits and a
    space or line break before the counter."""
    return (rf"(?P<pct>百分之)?(?P<n1>{num}){gap}(?:(?P<rsep>[-~—–至到])(?P<n2>{num}))?"
            rf"(?P<q1>{MORE})?(?P<mult>{MULT})?(?P<q2>[余多])?{suffix}")


_TOKEN_RE = re.compile(number_pattern())


def parse_arabic(token: str) -> Decimal | None:
    """'1,234.5' -> Decimal('1234.5'); None if the token is not an Arabic number."""
    if not _ARABIC_RE.fullmatch(token):
        return None
    try:
        return Decimal(token.replace(",", ""))
    except InvalidOperation:
        return None


@lru_cache(maxsize=4096)
def parse_chinese(token: str) -> int | None:
    """Chinese numeral -> int (十五 -> 15, 两千 -> 2000, 三千五 -> 3500, 一万二 -> 12000).

    Digit strings such as 二〇二三 (years) or 三五 (a vague "three or five") are refused, as
    are units out of order (十百): they are not counts.
    """
    if not token:
        return None
    total = 0            # everything already closed by 亿
    wan = 0              # the part closed by 万 since the last 亿
    section = 0          # below 万
    digit: int | None = None
    last_unit = 0        # last small unit in this section, for 三千五 -> 3500
    after_zero = False
    prev_was_digit = False
    for ch in token:
        if ch in _DIGITS:
            if prev_was_digit and not after_zero:
                return None                   # two digits in a row: 二〇二三, 三五
            after_zero = _DIGITS[ch] == 0
            digit = _DIGITS[ch]
            prev_was_digit = True
            if after_zero:
                last_unit = 0                 # 一百零五: the 5 is units, not tens
            continue
        prev_was_digit = False
        if ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if last_unit and unit >= last_unit:
                return None                   # 十百, 百百
            section += (digit if digit is not None else 1) * unit
            digit = None
            last_unit = unit
        elif ch in _BIG_UNITS:
            part = section + (digit or 0)
            if ch == "万":
                if wan:
                    return None
                wan = (part or 1) * 10 ** 4
                last_unit = 10 ** 4
            else:
                total = ((total + wan + part) or 1) * 10 ** 8
                wan = 0
                last_unit = 10 ** 8
            section, digit = 0, None
        else:
            return None
        after_zero = False
    if digit is not None:
        # a trailing digit right after a unit is one order lower: 三千五, 一万二, 一百五
        digit *= last_unit // 10 if last_unit >= 100 else 1
        section += digit
    return total + wan + section


def parse_base(token: str) -> Decimal | None:
    """The number part of a token, Arabic or Chinese, without multipliers."""
    if token and token[0].isdigit():
        return parse_arabic(token)
    v = parse_chinese(token)
    return None if v is None else Decimal(v)


def scale(base: Decimal, mult: str | None) -> float:
    """Fold 万/亿 into the value exactly (57.95万 -> 579500.0, not 579500.00000000006)."""
    return float(base * MULTIPLIERS[mult]) if mult else float(base)


def parse_number(text: str) -> float | None:
    """A whole number token -> its value: '1.2万' -> 12000, '十余' -> 10, '230余万' ->
    2300000, '百分之五' -> 5, '２，３００' (after normalisation) -> 2300. None otherwise."""
    m = _TOKEN_RE.fullmatch(text.strip())
    if not m or m["rsep"]:
        return None                           # a range (3-5) is two numbers, not one value
    if m["q1"] == "几" and not (m["n1"][-1] in "十百千" and not m["n1"][0].isdigit()):
        return None                           # 几 only after a Chinese ten/hundred: 十几, not 3几
    base = parse_base(m["n1"])
    if base is None:
        return None
    return scale(base, m["mult"])
