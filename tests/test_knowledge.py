"""One source for domain knowledge (etl/catalog.yaml through etl/knowledge.py): the file agrees
with itself, its seed tables keep their names and keys, and every reader that still holds a copy
(the extractor, the generated quality suite, discovery's title rules, the disclosure reader's
kind, the metadata's levels, the registry, the analyst view, the SQL models) agrees with it."""
from __future__ import annotations

import copy
import csv
import json
import re
from pathlib import Path

import pytest

from etl import knowledge as K

ROOT = Path(__file__).resolve().parent.parent
SQL_FILES = sorted(p for p in (ROOT / "sql").rglob("*.sql"))

SEED_COLUMNS = {
    "categories": ["category", "position", "is_other"],
    "metrics": ["metric", "category", "name_zh", "definition", "priority", "min_value", "max_value"],
    "metric_units": ["metric", "unit"],
    "units": ["unit", "kind"],
    "unit_pairs": ["category", "unit"],
    "unit_folds": ["unit", "folded_unit", "metric"],
    "qualifiers": ["qualifier", "name_zh", "is_lower_bound", "position"],
    "report_kinds": ["report_kind", "name_zh", "is_report"],
    "levels": ["level", "rank", "name_zh", "region", "region_code"],
}
SEED_KEYS = {"categories": ["category"], "metrics": ["metric"], "metric_units": ["metric", "unit"],
             "units": ["unit"], "unit_pairs": ["category", "unit"], "unit_folds": ["unit", "metric"],
             "qualifiers": ["qualifier"], "report_kinds": ["report_kind"], "levels": ["level"]}


# ---------------------------------------------------------------- the file and its tables

def test_the_seed_tables_keep_their_names_columns_and_keys() -> None:
    tables = K.tables()
    assert {n: list(t.columns) for n, t in tables.items()} == SEED_COLUMNS
    for name, key in SEED_KEYS.items():
        t = tables[name]
        assert len(t) and not t.duplicated(key).any(), f"{name}: {key} is not a key"
    cats, metrics, units = (set(tables[n][c]) for n, c in
                            (("categories", "category"), ("metrics", "metric"), ("units", "unit")))
    assert set(tables["metrics"]["category"]) <= cats
    assert set(tables["unit_pairs"]["category"]) <= cats
    assert set(tables["metric_units"]["metric"]) == metrics
    assert set(tables["metric_units"]["unit"]) - {K.ANY_UNIT, ""} <= units
    assert set(tables["unit_folds"]["metric"].dropna()) <= metrics
    assert set(tables["unit_folds"]["unit"]) | set(tables["unit_folds"]["folded_unit"]) <= units
    assert set(tables["units"]["kind"]) == {"percent", "money", "count"}
    assert list(tables["levels"]["level"]) == ["national", "province", "city", "county"]
    assert set(tables["report_kinds"]["report_kind"]) == {"rule_of_law", "disclosure", "decoy"}


def test_the_seeds_written_as_csv_read_back_as_the_tables(tmp_path: Path) -> None:
    import pandas as pd

    paths = K.write_seeds(tmp_path / "seeds")
    assert sorted(p.stem for p in paths) == sorted(SEED_COLUMNS)
    for p in paths:
        back = pd.read_csv(p, keep_default_na=False, na_values=[""], dtype=str)
        want = K.tables()[p.stem]
        assert list(back.columns) == SEED_COLUMNS[p.stem] and len(back) == len(want), p.stem
    folds = pd.read_csv(tmp_path / "seeds" / "unit_folds.csv")
    assert folds["metric"].isna().sum() == sum(f.metric is None for f in K.unit_folds())     # NULL: every metric


def test_a_percentage_point_is_a_percent_unit_everywhere() -> None:
    """1.2百分点 as written is a rate's change: a percent unit to the extractor, the suite and the SQL."""
    assert {"%", "个百分点", "百分点"} <= set(K.percent_units())
    kinds = dict(zip(K.tables()["units"]["unit"], K.tables()["units"]["kind"]))
    assert kinds["百分点"] == kinds["个百分点"] == kinds["%"] == "percent"
    for m in K.metrics().values():
        if m.units is not None and set(m.units) & set(K.percent_units()):
            assert set(K.percent_units()) <= set(m.units), m.id


@pytest.mark.parametrize("break_it, says", [
    (lambda d: d["metrics"]["inspections"].update(category="inspection"), "category 'inspection'"),
    (lambda d: d["metrics"]["inspections"]["units"].append("次数"), "unit '次数' is not a counter"),
    (lambda d: d["unit_folds"].append({"unit": "宗", "folded": "件", "metrics": ["cases"]}), "metric 'cases'"),
    (lambda d: d["counted"][0].update(metric="nowhere"), "metric 'nowhere'"),
    (lambda d: d["unit_kinds"]["percent"].append("‰"), "'‰' is not a counter"),
    (lambda d: d["title_heads"].update(公示=["report", "x"]), "'公示' is not a decoy head"),
    (lambda d: d["report_kinds"].pop("decoy"), "decoy is missing"),
    (lambda d: d["unmatched"].update(metric="inspections"), "metric 'inspections' must be no catalog metric"),
])
def test_a_file_that_contradicts_itself_is_refused(break_it, says: str) -> None:
    data = copy.deepcopy(K.raw())
    K._check(data)                                   # the file as shipped holds
    break_it(data)
    with pytest.raises(K.KnowledgeError, match=re.escape(says)):
        K._check(data)


# ---------------------------------------------------------------- the extractor

def test_the_extractor_reads_the_files_counters_units_and_qualifiers() -> None:
    from etl.extract import tokens as T
    from etl.extract.catalog import load_catalog, metric_dictionary

    assert set(T.UNITS) == set(K.counters()) and len(T.UNITS) == len(K.counters())
    assert T.PCT_UNITS == frozenset(K.percent_units())
    assert set(T.PREFIX_QUALIFIER.values()) | set(T.POST_QUALIFIER.values()) <= set(K.qualifiers())
    from etl.extract import extract_facts

    unclaimed = extract_facts("本年度新增某某8个。", "t")
    assert [(f.metric, f.category) for f in unclaimed] == [(K.unmatched().id, K.unmatched().category)]
    loaded = load_catalog()["metrics"]
    assert list(loaded) == list(K.metrics())
    for mid, m in K.metrics().items():
        assert loaded[mid]["category"] == m.category and loaded[mid]["priority"] == m.priority, mid
        assert loaded[mid]["units"] == (list(m.units) if m.units is not None else None), mid
    seeds = K.tables()["metrics"].set_index("metric")
    for row in metric_dictionary():
        assert seeds.loc[row["metric"], "category"] == row["category"]
        assert seeds.loc[row["metric"], "name_zh"] == row["name_zh"]


@pytest.mark.parametrize("qualifier", list(K.qualifiers()))
def test_every_qualifier_word_gives_its_qualifier(qualifier: str) -> None:
    """Read through the extractor's grammar: a word listed for a qualifier gives it."""
    from etl.extract import tokens as T

    q = K.qualifiers()[qualifier]
    for w in q.before:
        text = f"全年{w}30天完成。"
        cands = [c for m in T.TOKEN_RE.finditer(text) if (c := T.candidate(text, m, len(text)))]
        assert [c.qualifier for c in cands] == [qualifier], (w, cands)
    for w in q.after:
        text = f"全年30天{w}完成。"
        cands = [c for m in T.TOKEN_RE.finditer(text) if (c := T.candidate(text, m, len(text)))]
        assert [c.qualifier for c in cands] == [qualifier], (w, cands)


def test_the_generated_quality_suite_agrees() -> None:
    from etl.extract import vocabulary as V

    current = V.SUITE_PATH.read_text(encoding="utf-8")
    suite = json.loads(current)
    assert V.suite_text(V.render_facts_suite(suite)) == current, \
        "expectations/facts.json is stale: python -m etl.extract.vocabulary --write"
    by_id = {e["meta"]["id"]: e["kwargs"] for e in suite["expectations"]}
    assert by_id["category_known"]["value_set"] == list(K.categories())
    assert by_id["qualifier_known"]["value_set"] == list(K.qualifiers())
    rate = by_id["pct_rate_range"]["row_condition"]["conditions"][0]["parameter"]
    assert rate == list(K.percent_units())


def test_the_demo_portals_planted_facts_use_the_files_qualifiers() -> None:
    from demo_portal.markup import QUALIFIERS

    assert set(QUALIFIERS.values()) == set(K.qualifiers())


# ---------------------------------------------------------------- report kinds and titles

def test_discovery_and_the_disclosure_reader_read_the_files_report_kinds() -> None:
    import importlib

    from etl.disclosure import kind
    from etl.discovery import titles
    registry = importlib.import_module("etl.discovery.registry")   # the package exports a function of that name

    assert {titles.RULE_OF_LAW, titles.DISCLOSURE, kind.RULE_OF_LAW, kind.DISCLOSURE} == set(K.collected_kinds())
    assert set(registry.KINDS) == set(K.collected_kinds())
    from etl.records import Source
    assert set(Source("s", "某局", "http://x/").kinds) == set(K.collected_kinds())     # collected by default
    assert titles.HEADS == tuple((h.word, h.role, h.reason) for h in K.title_heads())
    assert titles.TOPICS == K.title_topics() and titles._FORM_REASON == K.title_forms()
    assert titles._SUBJECT.pattern == K.report_kinds()["rule_of_law"].subject
    assert titles._DISCLOSURE.pattern == K.report_kinds()["disclosure"].subject


@pytest.mark.parametrize("head", [h.word for h in K.title_heads()])
def test_every_title_head_decides_as_the_file_says(head: str) -> None:
    from etl.discovery import titles

    title = f"某县市场监督管理局2023年法治政府建设{head}"
    h = titles.head_of(title)
    role = dict((x.word, x.role) for x in K.title_heads())[head]
    assert (h.word, h.role) == (head, role)
    d = titles.classify(title)
    if role == "report":
        assert (d.decision, d.kind) == ("report", "rule_of_law"), d
    elif head in K.title_wrappers():
        assert d.decision == "decoy" and head in d.reason, d           # no report's name under it
    else:
        assert d.decision == "decoy" and f"'{head}'" in d.reason, d


@pytest.mark.parametrize("kind_id", list(K.collected_kinds()))
def test_the_disclosure_reader_names_each_kind_from_the_files_words(kind_id: str) -> None:
    from etl.disclosure.kind import kind_of_title

    k = K.report_kinds()[kind_id]
    for head in k.title_heads:
        assert kind_of_title(f"某市人民政府2024年{k.title_word}工作{head}") == kind_id, head
    for word in k.title_not:
        assert kind_of_title(f"{word}某市人民政府2024年{k.title_word}工作{k.title_heads[0]}") == "", word


# ---------------------------------------------------------------- levels

def test_the_metadata_levels_and_the_national_code_are_the_files() -> None:
    import importlib

    from etl.metadata import agency
    from etl.warehouse import report_html
    G = importlib.import_module("etl.metadata.gazetteer")      # the package exports a function of that name

    nat = K.national()
    assert (G.NATIONAL, G.NATIONAL_CODE, G.NATIONAL_ALIASES) == (nat.region, nat.code, nat.aliases)
    assert G.MUNICIPALITY_PREFIXES == K.municipality_prefixes()
    assert agency._LEVEL_WORD == K.level_words()
    assert list(report_html.LEVELS) == list(K.levels())
    with G.DATA.open(encoding="utf-8") as f:
        rows = [r for r in csv.reader((ln for ln in f if not ln.startswith("#")), delimiter="\t") if r]
    levels = {r[3] for r in rows[1:] if len(r) > 3} if rows and rows[0][0] == "code" else {r[3] for r in rows}
    assert levels <= set(K.levels()), levels - set(K.levels())
    national = [r for r in rows if r[0] == nat.code]
    assert national and national[0][1] == nat.region and national[0][3] == "national"


@pytest.mark.parametrize("alias", list(K.national().aliases))
def test_a_column_of_central_ministries_writes_at_the_national_level(alias: str) -> None:
    from etl.metadata.writer import column_writer

    w = column_writer({"agency": "司法部", "province": alias})
    nat = K.national()
    assert (w.province, w.province_code, w.level, w.region_code) == (nat.region, nat.code, "national", nat.code)


# ---------------------------------------------------------------- the SQL (read only)

def _sql() -> list[tuple[str, str]]:
    out = []
    for p in SQL_FILES:
        text = re.sub(r"--[^\n]*", "", p.read_text(encoding="utf-8"))      # comments may quote anything
        out.append((str(p.relative_to(ROOT)), text))
    return out


def _lists(column: str) -> list[tuple[str, list[str]]]:
    found = []
    for name, text in _sql():
        for m in re.finditer(rf"\b{column}\s+(?:NOT\s+)?IN\s*\(([^()]*)\)", text, re.I):
            found.append((name, re.findall(r"'([^']*)'", m.group(1))))
    return found


def _literals(column: str) -> list[tuple[str, str]]:
    found = []
    for name, text in _sql():
        found += [(name, v) for v in re.findall(rf"\b{column}\s*(?:=|<>|!=)\s*'([^']*)'", text, re.I)]
        found += [(name, v) for _, vs in _lists(column) for v in vs if _ == name]
    return found


def test_the_sql_lists_agree_with_the_file() -> None:
    assert SQL_FILES, "no SQL found under sql/"
    pct = [(n, vs) for n, vs in _lists(r"(?:\w+\.)?unit") if "%" in vs]
    for name, units in pct:
        assert sorted(units) == sorted(K.percent_units()), f"{name} lists {units}, the file {K.percent_units()}"
    for name, qs in _lists(r"(?:\w+\.)?qualifier"):
        assert sorted(qs) == sorted(K.lower_bound_qualifiers()), f"{name}: lower bounds {qs}"
    for name, q in _literals(r"(?:\w+\.)?qualifier"):
        assert q in K.qualifiers(), (name, q)
    for name, lv in _literals(r"(?:\w+\.)?level"):
        assert lv in K.levels(), (name, lv)
    for name, kind in _literals(r"(?:\w+\.)?report_kind"):
        assert kind in K.report_kinds(), (name, kind)
    for name, c in _literals(r"(?:\w+\.)?category"):
        assert c in K.categories(), (name, c)
    for name, mid in _literals(r"(?:\w+\.)?metric"):
        assert "." in mid or mid in K.metrics() or mid == K.unmatched().id, (name, mid)   # xxgk.*: the disclosure format's


def test_the_sql_unit_folds_are_the_files() -> None:
    want = {(f.unit, f.folded, f.metric) for f in K.unit_folds()}
    for name, text in _sql():
        if "unit_fold" not in text or "VALUES" not in text.upper():
            continue
        rows = re.findall(r"\(\s*'([^']*)'\s*,\s*'([^']*)'\s*,\s*(NULL|'[^']*')\s*\)", text)
        if rows:
            got = {(u, f, None if m.upper() == "NULL" else m.strip("'")) for u, f, m in rows}
            assert got == want, f"{name} folds {sorted(got, key=str)}, the file {sorted(want, key=str)}"


def test_the_python_checks_of_categories_and_metrics_name_known_ones() -> None:
    """`category == "approvals"` in the package names a category of the file; a renamed category
    leaves no stale comparison behind."""
    for p in sorted((ROOT / "etl").rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        for m in re.finditer(r"\bcategory\s*(?:==|!=)\s*[\"']([a-z_]+)[\"']"
                             r"|\bcategory\s+(?:not\s+)?in\s*\(([^()]*)\)", text):
            names = [m.group(1)] if m.group(1) else re.findall(r"[\"']([a-z_]+)[\"']", m.group(2))
            for c in names:
                assert c in K.categories(), f"{p.relative_to(ROOT)}: category {c!r}"
