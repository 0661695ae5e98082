"""Normalisation keeps offsets: output length always equals input length."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from etl.normalize import fullwidth_to_ascii, normalize, to_simplified


def test_traditional_to_simplified() -> None:
    assert to_simplified("營業性演出審批") == "营业性演出审批"
    assert to_simplified("檢查經營場所８００家次") == "检查经营场所８００家次"   # digits untouched here
    assert to_simplified("") == ""


def test_fullwidth_digits_and_punctuation() -> None:
    assert fullwidth_to_ascii("１２．５％（件）") == "12.5%(件)"
    assert fullwidth_to_ascii("共１２件，其中") == "共12件，其中"          # clause comma kept
    assert fullwidth_to_ascii("１，２３４家") == "1,234家"                 # thousands separator
    assert fullwidth_to_ascii("　") == " "


def test_normalize_combines_both() -> None:
    assert normalize("辦結率１００％") == "办结率100%"


cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
anything = st.characters(blacklist_categories=("Cs",))


@given(st.text(alphabet=st.one_of(cjk, anything), max_size=200))
def test_length_is_preserved(text: str) -> None:
    assert len(to_simplified(text)) == len(text)
    assert len(fullwidth_to_ascii(text)) == len(text)
    assert len(normalize(text)) == len(text)


def test_traditional_variants_keep_length_and_map() -> None:
    for trad, simp in [("一萬餘人", "一万余人"), ("臺賬", "台账"), ("週年", "周年"), ("羣衆", "群众"),
                       ("佔比", "占比"), ("綫上", "线上"), ("這裏", "这里"), ("爲民", "为民"), ("並於", "并于")]:
        assert to_simplified(trad) == simp
