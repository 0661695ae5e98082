"""One source of truth for categories, units and their pairs (etl/catalog.yaml): every consumer
(the extractor, the generated quality suite, the SQL fact model) agrees with it."""
from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from etl.extract import extract_facts
from etl.extract import vocabulary as V
from etl.extract.catalog import load_catalog, raw_catalog
from etl.extract.tokens import PCT_UNITS, UNITS
from etl.validate import validate_facts

ROOT = Path(__file__).resolve().parent.parent
SQL = ROOT / "sql"


def test_the_generated_suite_is_up_to_date() -> None:
    current = V.SUITE_PATH.read_text(encoding="utf-8")
    assert V.suite_text(V.render_facts_suite(json.loads(current))) == current, \
        "expectations/facts.json disagrees with etl/catalog.yaml: python -m etl.extract.vocabulary --write"
    assert V.main(["--suite", str(V.SUITE_PATH)]) == 0


def test_a_stale_suite_is_found_and_rewritten(tmp_path: Path) -> None:
    suite = json.loads(V.SUITE_PATH.read_text(encoding="utf-8"))
    for e in suite["expectations"]:
        if e["meta"]["id"] == "category_known":
            e["kwargs"]["value_set"] = e["kwargs"]["value_set"][:-1]       # `other` forgotten
    path = tmp_path / "facts.json"
    path.write_text(V.suite_text(suite), encoding="utf-8")
    assert V.main(["--suite", str(path)]) == 1
    assert V.main(["--suite", str(path), "--write"]) == 0 and V.main(["--suite", str(path)]) == 0


def test_the_sql_reads_the_catalogs_percent_units() -> None:
    lists = []
    for p in SQL.rglob("*.sql"):
        for m in re.finditer(r"unit\s+IN\s*\(([^)]*)\)", p.read_text(encoding="utf-8")):
            lists.append((p.name, sorted(re.findall(r"'([^']*)'", m.group(1)))))
    assert lists, "no percent list found in sql/"
    for name, units in lists:
        assert units == sorted(V.percent_units()), f"{name} lists {units}, the catalog {V.percent_units()}"


def test_the_extractor_reads_the_catalogs_units() -> None:
    assert PCT_UNITS == frozenset(V.percent_units())
    tokens = set(UNITS)
    for mid, m in load_catalog()["metrics"].items():
        assert m["category"] in V.categories(), mid
        assert set(m["units"] or []) - {""} <= tokens, (mid, set(m["units"]) - tokens)
    # A metric counted in one percent spelling accepts all of them.
    for m in load_catalog()["metrics"].values():
        if set(m["units"] or []) & PCT_UNITS:
            assert PCT_UNITS <= set(m["units"])
    assert V.categories()[-1] == "other" and len(set(V.categories())) == len(raw_catalog()["categories"]) == 26


def test_extracted_pairs_are_allowed_and_a_percentage_point_change_is_not_quarantined() -> None:
    text = ("全年办理行政许可事项3860件，同比增长12.5%；网上办理率较上年提高1.2百分点，"
            "群众满意率提升2.5个百分点，罚没款36.8万元。")
    facts = extract_facts(text, "t")
    assert ("1.2百分点", "百分点") in {(f.quote, f.unit) for f in facts}
    pairs = V.allowed_pairs()
    for f in facts:
        assert (f.category, f.unit) in pairs or f.category == "other", (f.quote, f.category, f.unit)
    rows = pd.DataFrame([asdict(f) | {"fact_id": f"t{i}", "agency": "某县人民政府", "province": "浙江省",
                                      "province_code": "330000", "report_year": 2024}
                         for i, f in enumerate(facts)])
    outcome = validate_facts(rows, V.SUITE_PATH)
    assert outcome.quarantined.empty, outcome.quarantined[["quote", "unit", "metric", "reasons"]].to_dict("records")
    assert len(outcome.passed) == len(facts)


def test_the_categories_are_those_of_the_shared_list_when_it_is_at_hand() -> None:
    md = next((p / "shared" / "eval" / "CATEGORIES.md" for p in ROOT.parents
               if (p / "shared" / "eval" / "CATEGORIES.md").exists()), None)
    listed = re.findall(r"^\| ([a-z_]+) \|", md.read_text(encoding="utf-8"), re.MULTILINE) if md else list(V.categories())
    assert [c for c in listed if c != "category"] == list(V.categories())
