"""The data-quality gate on real great-expectations runs (no mocks)."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from etl.records import Fact, to_dict
from etl.validate import ValidationOutcome, load_suite, validate_facts

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "expectations" / "facts.json"
CATEGORIES_MD = Path(__file__).resolve().parents[2] / "shared" / "eval" / "CATEGORIES.md"


def fact_row(fact_id: str, **over) -> dict:
    """A valid fact row as the pipeline builds it; `over` spoils one field."""
    f = Fact(doc="003", metric="inspections", category="enforcement_inspections", value=12.0,
             unit="次", qualifier="exact", quote="开展联合检查12次", start=10, end=18,
             subject="联合检查", sentence="全年开展联合检查12次。", extractor_version="t1")
    row = to_dict(f) | {"fact_id": fact_id, "agency": "某市文化和旅游局", "province": "湖北省",
                        "province_code": "420000", "report_year": 2024}
    row.update(over)
    return row


GOOD = {
    "ok_count": {},
    "ok_zero": {"value": 0.0, "unit": "件", "category": "cases_handled", "metric": "other"},
    "ok_pct": {"value": 57.2, "unit": "%", "category": "approvals_change_pct", "metric": "other"},
    "ok_yuan": {"value": 2263100.0, "unit": "元", "category": "penalties_amount", "metric": "other"},
    "ok_big_count": {"value": 4.5e8, "unit": "次", "category": "publicity_reach", "metric": "other"},  # 4.5亿次
    "ok_no_unit": {"value": 1376000.0, "unit": "", "category": "other", "qualifier": "more_than", "metric": "other"},
    "ok_no_year": {"report_year": None},
}

# fact_id -> (spoilt fields, a word the reasons must contain, how many rules it breaks)
BAD = {
    "bad_negative_count": ({"value": -3.0, "unit": "次", "metric": "other", "category": "other"}, "value >= 0", 2),
    "bad_rate_150000": ({"value": 150000.0, "unit": "%"}, "percentage", 2),     # and the unit
    "bad_rate_250": ({"value": 250.0, "unit": "%", "metric": "rates_pct", "category": "rate_pct"},
                     "percentage between 0 and 100", 2),                          # and rates_pct's range
    "bad_unit_for_metric": ({"unit": "元"}, "unit is one metric inspections is counted in", 1),
    "bad_category": ({"category": "enforcement"}, "category", 1),
    "bad_empty_quote": ({"quote": ""}, "quote", 1),
    "bad_start_ge_end": ({"start": 18, "end": 18}, "start < end", 1),
    "bad_province_code": ({"province_code": "4200"}, "province_code", 2),        # format and code
    "bad_province_unknown": ({"province_code": "990000"}, "GB/T 2260 code", 1),
    "bad_year_1999": ({"report_year": 1999}, "report_year", 1),
    "bad_next_year": ({"report_year": dt.date.today().year + 1}, "report_year", 1),
    "bad_metric_range": ({"value": 5e7}, "plausible for metric inspections", 1),   # 5000万次 inspections
}


def frame(good: dict, bad: dict) -> pd.DataFrame:
    """Each row at its own offset: the same (document, metric, offset) twice is a duplicate."""
    rows = [fact_row(k, **v) for k, v in good.items()]
    rows += [fact_row(k, **v[0]) for k, v in bad.items()]
    for i, r in enumerate(rows):
        if "start" not in (good.get(r["fact_id"]) or bad.get(r["fact_id"], ({},))[0]):
            r["start"], r["end"] = 100 + 20 * i, 108 + 20 * i
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def outcome() -> ValidationOutcome:
    return validate_facts(frame(GOOD, BAD), SUITE)


def test_exactly_bad_rows_are_quarantined(outcome: ValidationOutcome) -> None:
    assert set(outcome.quarantined["fact_id"]) == set(BAD)
    assert set(outcome.passed["fact_id"]) == set(GOOD)
    assert "reasons" not in outcome.passed.columns


@pytest.mark.parametrize("fact_id", sorted(BAD))
def test_reasons_name_the_failed_rule(outcome: ValidationOutcome, fact_id: str) -> None:
    reasons = outcome.quarantined.set_index("fact_id").loc[fact_id, "reasons"]
    assert BAD[fact_id][1] in reasons
    assert len(reasons.split("; ")) == BAD[fact_id][2], reasons


def test_quarantined_rows_keep_all_their_columns(outcome: ValidationOutcome) -> None:
    row = outcome.quarantined.set_index("fact_id").loc["bad_rate_150000"]
    assert row["value"] == 150000.0 and row["unit"] == "%" and row["quote"] == "开展联合检查12次"


def test_summary(outcome: ValidationOutcome) -> None:
    s = outcome.summary
    assert s["suite"] == "facts" and s["success"] is False
    assert (s["n_rows"], s["n_passed"], s["n_quarantined"]) == (len(GOOD) + len(BAD), len(GOOD), len(BAD))
    assert s["table_level_failures"] == []
    failed = {f["description"]: f for f in s["failed_expectations"]}
    assert failed["category is one of CATEGORIES.md"]["type"] == "expect_column_values_to_be_in_set"
    assert failed["start < end (quote offsets)"]["column"] == "end,start"
    assert sum(f["unexpected_count"] for f in failed.values()) == sum(b[2] for b in BAD.values())
    json.dumps(s)  # goes to validation.json and the alert


def test_all_good_passes() -> None:
    out = validate_facts(frame(GOOD, {}), SUITE)
    assert out.summary["success"] is True
    assert len(out.passed) == len(GOOD) and out.quarantined.empty
    assert "reasons" in out.quarantined.columns


@pytest.mark.parametrize("over, word", [
    ({"value": None}, "value is present"),
    ({"value": np.inf, "unit": "元"}, "finite"),
    ({"value": 2e12, "unit": "元"}, "yuan"),
    ({"value": 13812345678.0, "unit": ""}, "count between"),  # a phone number read as a count
    ({"quote": "   "}, "quote is non-empty"),
    ({"quote": None}, "quote is present"),
    ({"end": None}, "start < end"),
    ({"qualifier": "about"}, "qualifier"),
    ({"category": None}, "category is present"),
    ({"province_code": None}, "province_code is present"),
    ({"report_year": dt.date.today().year + 2}, "report_year"),
])
def test_other_bad_values(over: dict, word: str) -> None:
    out = validate_facts(pd.DataFrame([fact_row("good"), fact_row("bad", **over)]), SUITE)
    assert list(out.quarantined["fact_id"]) == ["bad"]
    assert word in out.quarantined["reasons"].iloc[0]
    assert list(out.passed["fact_id"]) == ["good"]


def test_several_reasons_are_joined() -> None:
    out = validate_facts(pd.DataFrame([fact_row("x", category="nope", quote="", province_code="x")]), SUITE)
    reasons = out.quarantined["reasons"].iloc[0].split("; ")
    assert len(reasons) == 4          # category, quote, province_code format and GB/T 2260


def test_duplicate_fact_id_is_table_level_only() -> None:
    df = pd.DataFrame([fact_row("same"), fact_row("same", value=3.0, start=30, end=38),
                       fact_row("other", start=50, end=58)])
    out = validate_facts(df, SUITE)
    assert len(out.passed) == 3 and out.quarantined.empty
    assert out.summary["success"] is False
    [f] = out.summary["table_level_failures"]
    assert f["type"] == "expect_column_values_to_be_unique" and f["column"] == "fact_id"
    assert f["unexpected_count"] == 2


def test_caller_frame_and_index_are_kept() -> None:
    df = frame(GOOD, BAD)
    df.index = [f"r{i}" for i in range(len(df))]
    before = df.copy()
    out = validate_facts(df, SUITE)
    pd.testing.assert_frame_equal(df, before)
    assert sorted(list(out.passed.index) + list(out.quarantined.index)) == sorted(df.index)
    assert (out.passed.columns == df.columns).all()


def test_loose_dtypes_from_jsonl() -> None:
    """Values as text and codes as ints (a hand-edited file): judged on their content."""
    df = pd.DataFrame([fact_row("a", value="12", province_code=420000),
                       fact_row("b", value="十二")])
    out = validate_facts(df, SUITE)
    assert list(out.passed["fact_id"]) == ["a"]
    assert "value is present" in out.quarantined["reasons"].iloc[0]


def test_empty_frame() -> None:
    out = validate_facts(frame({}, {}), SUITE)
    assert out.passed.empty and out.quarantined.empty
    assert out.summary["n_rows"] == 0 and out.summary["success"] is True


def test_columnless_empty_frame() -> None:
    """What the pipeline builds when a run extracted nothing."""
    out = validate_facts(pd.DataFrame([]), SUITE)
    assert out.summary["n_rows"] == 0 and out.quarantined.empty


def test_missing_column_is_an_error() -> None:
    with pytest.raises(ValueError, match="province_code"):
        validate_facts(frame(GOOD, {}).drop(columns=["province_code"]), SUITE)


def test_unevaluable_expectation_holds_every_row_back(tmp_path: Path) -> None:
    """If GX cannot evaluate a row rule we cannot say which rows pass: none do."""
    suite = {"name": "broken", "expectations": [
        {"type": "expect_column_values_to_not_be_null",
         "kwargs": {"column": "value", "row_condition": {"type": "pass_through", "pass_through_filter": "unit ==="}},
         "description": "value present where the (broken) filter holds"}]}
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(suite), encoding="utf-8")
    out = validate_facts(frame(GOOD, {}), path)
    assert out.passed.empty and len(out.quarantined) == len(GOOD)
    assert out.quarantined["reasons"].str.contains("not evaluated").all()
    assert out.summary["failed_expectations"][0]["exception"]
    assert out.summary["not_evaluated"]


# -- the suite file ------------------------------------------------------------------------

def test_suite_is_valid_json_loadable_by_gx() -> None:
    from great_expectations.core.expectation_suite import ExpectationSuite

    raw = json.loads(SUITE.read_text(encoding="utf-8"))
    suite = ExpectationSuite(**raw)
    assert len(suite.expectations) == len(raw["expectations"]) >= 15
    for e in raw["expectations"]:
        assert e["description"], e
        assert e["meta"]["scope"] in {"row", "table"}
    assert {e["kwargs"].get("column") for e in raw["expectations"] if e["meta"]["scope"] == "table"} == {"fact_id", None}


def test_suite_uses_row_conditions_for_unit_ranges() -> None:
    conds = [e["kwargs"]["row_condition"] for e in load_suite(SUITE)["expectations"]
             if "row_condition" in e["kwargs"]]
    flat = [c for cond in conds for c in cond.get("conditions", [cond])]
    assert {c["column"]["name"] for c in flat} == {"unit", "metric"}
    assert sum(c["column"]["name"] == "unit" for c in flat) == 4


@pytest.mark.skipif(not CATEGORIES_MD.exists(), reason="shared CATEGORIES.md not present")
def test_categories_match_shared_list() -> None:
    listed = set(re.findall(r"^\| ([a-z_]+) \|", CATEGORIES_MD.read_text(encoding="utf-8"), re.M)) - {"category"}
    [in_set] = [e["kwargs"]["value_set"] for e in load_suite(SUITE)["expectations"]
                if e["type"] == "expect_column_values_to_be_in_set" and e["kwargs"]["column"] == "category"]
    assert set(in_set) == listed and len(listed) == 26
