"""Number tokens -> values: every supported written form, and what is refused."""
from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl.normalize import normalize
from etl.numbers import parse_chinese, parse_number


@pytest.mark.parametrize("token, value", [
    ("0", 0), ("7", 7), ("8800", 8800), ("57.2", 57.2), ("1,234", 1234), ("12,345,678.5", 12345678.5),
    ("三", 3), ("十", 10), ("十五", 15), ("二十", 20), ("两千", 2000), ("一百零五", 105),
    ("一千零五十", 1050), ("三千五", 3500), ("一万二", 12000), ("一百五", 150), ("十万", 100000),
    ("三万五千", 35000), ("一亿二千万", 120000000), ("〇", 0),
    ("十余", 10), ("百余", 100), ("两千余", 2000), ("30多", 30),
    ("1.2万", 12000), ("226.31万", 2263100), ("4.5亿", 450000000), ("57.95万", 579500),
    ("230余万", 2300000), ("5万余", 50000), ("十余万", 100000), ("1.2万亿", 1.2e12),
    ("百分之五", 5), ("百分之三十五", 35),
])
def test_token_values(token: str, value: float) -> None:
    assert parse_number(token) == value


@pytest.mark.parametrize("token", ["二〇二三", "三五", "十百", "万万", "abc", "", "1.2.3", "五点"])
def test_refused_tokens(token: str) -> None:
    assert parse_number(token) is None


def test_full_width_digits_after_normalisation() -> None:
    assert parse_number(normalize("１２．５")) == 12.5
    assert parse_number(normalize("１，２３４")) == 1234


def to_chinese(n: int) -> str:
    """Reference writer for Chinese numerals (independent of the parser under test)."""
    digits = "零一二三四五六七八九"

    def below_10k(x: int) -> str:
        out, zero = [], False
        for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
            d, x = divmod(x, unit)
            if d:
                if zero and out:
                    out.append("零")
                out.append(digits[d] + name)
                zero = False
            else:
                zero = True
        return "".join(out)

    if n == 0:
        return "零"
    parts = []
    for big, name in ((10 ** 8, "亿"), (10 ** 4, "万"), (1, "")):
        d, n = divmod(n, big)
        if d:
            if parts and d < 1000:
                parts.append("零")
            parts.append(below_10k(d) + name)
        elif parts and n:
            parts.append("零")
    s = "".join(parts).replace("零零", "零")
    return s[1:] if s.startswith("一十") else s


@given(st.integers(min_value=0, max_value=10 ** 11))
def test_chinese_numerals_round_trip(n: int) -> None:
    assert parse_chinese(to_chinese(n)) == n


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=10 ** 9))
def test_agrees_with_cn2an_writer(n: int) -> None:
    # cn2an is used as an independent writer only: the parser must read what it writes.
    assert parse_chinese(cn2an.an2cn(n)) == n


@given(st.integers(min_value=0, max_value=10 ** 12))
def test_arabic_forms_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(f"{n:,}") == n
    full = str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert parse_number(normalize(full)) == n


@given(st.integers(min_value=1, max_value=99999), st.integers(min_value=0, max_value=99),
       st.sampled_from(["万", "亿"]), st.sampled_from(["", "余", "多"]))
def test_multiplier_forms_round_trip(whole: int, cents: int, mult: str, more: str) -> None:
    token = f"{whole}.{cents:02d}" if cents else str(whole)
    factor = 10 ** 4 if mult == "万" else 10 ** 8
    expected = (whole * 100 + cents) * factor / 100
    for form in (f"{token}{more}{mult}", f"{token}{mult}{more}"):
        assert parse_number(form) == pytest.approx(expected, rel=1e-12)


@given(st.integers(min_value=1, max_value=9999), st.sampled_from(["", "余", "多"]))
def test_chinese_with_multiplier_and_more(n: int, more: str) -> None:
    assert parse_number(f"{to_chinese(n)}{more}万") == n * 10 ** 4


def test_one_grammar_for_parser_and_extractor() -> None:
    """parse_number and the extractor's tokens come from number_pattern(): a form one reads,
    the other reads to the same value; a range is two numbers, never one value."""
    from etl.extract import extract_facts
    for token in ("1.2万", "230余万", "十余", "百分之五", "2千"):
        fact = extract_facts(f"全年共办理{token}件。", "d")[0] if token != "百分之五" else \
            extract_facts("办结率提高百分之五。", "d")[0]
        assert fact.value == parse_number(token), token
    assert parse_number("3-5") is None
    assert extract_facts("组织3-5次检查。", "d")[0].value == 3
