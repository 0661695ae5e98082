"""Load: one transaction, idempotent, and a failed load leaves the warehouse as it was."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from etl.load import Batch, load_and_build
from etl.settings import ROOT

SQL = ROOT / "sql"


def _batch(run_id: str, doc_ids=("d1",), value: float = 70.0) -> Batch:
    sources = pd.DataFrame([{"source_id": "s1", "agency": "某区文化和旅游局", "province": "湖北省",
                             "province_code": "420000", "city": "武汉市", "county": "某区",
                             "level": "county", "listing_url": "http://x/index.html"}])
    docs = pd.DataFrame([{"doc_id": d, "source_id": "s1", "url": f"http://x/{d}.html", "title": "报告",
                          "fmt": "html", "pages": 0, "pub_date": "2024-03-01 10:00", "report_year": 2023,
                          "script": "hans", "content_sha256": "abc", "extractor_version": "1",
                          "text": "共联合检查70余次"} for d in doc_ids])
    facts = pd.DataFrame([{"fact_id": f"{d}-0000", "doc_id": d, "seq": 0, "metric": "joint_inspections",
                           "category": "enforcement_inspections", "value": value, "unit": "次",
                           "qualifier": "more_than", "subject": "联合检查", "quote": "联合检查70余次",
                           "start_pos": 1, "end_pos": 9, "sentence": "共联合检查70余次", "part_of_seq": None,
                           "extractor_version": "1"} for d in doc_ids])
    empty = pd.DataFrame()
    return Batch(run_id, sources, docs, facts, empty, empty, {"facts_loaded": len(facts)})


def _count(path, sql: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_load_is_idempotent_and_feeds_marts(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", ("d1", "d2")))
    load_and_build(wh, SQL, _batch("r2", ("d1", "d2")))
    assert _count(wh, "SELECT count(*) FROM raw.facts") == 2          # no duplicates after a re-run
    assert _count(wh, "SELECT count(*) FROM core.fact_metric") == 1   # one report per agency-year
    with duckdb.connect(str(wh), read_only=True) as con:
        row = con.execute("SELECT province, province_code, report_year, n_agencies, total, n_lower_bounds "
                          "FROM marts.province_comparison").fetchall()
    # two reports of the same agency and year: core.report keeps one, so 70 not 140
    assert row == [("湖北省", "420000", 2023, 1, 70.0, 1)]


def test_reloaded_document_replaces_its_facts(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", ("d1",), value=70))
    load_and_build(wh, SQL, _batch("r2", ("d1",), value=75))
    with duckdb.connect(str(wh), read_only=True) as con:
        assert con.execute("SELECT value FROM raw.facts").fetchall() == [(75.0,)]


def test_failed_load_leaves_warehouse_unchanged(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", ("d1",)))
    bad = _batch("r2", ("d1", "d9"))
    bad.facts.loc[1, "fact_id"] = "d1-0000"         # duplicate primary key: the insert fails
    with pytest.raises(duckdb.Error):
        load_and_build(wh, SQL, bad)
    assert _count(wh, "SELECT count(*) FROM raw.documents") == 1
    assert _count(wh, "SELECT count(*) FROM raw.facts") == 1
    assert _count(wh, "SELECT count(*) FROM raw.runs") == 1


def test_mart_counts_a_restated_total_once_and_leaves_out_unclaimed_facts(tmp_path):
    wh = tmp_path / "wh.duckdb"
    b = _batch("r1", ("d1",))
    row = b.facts.iloc[0].to_dict()
    restated = dict(row, fact_id="d1-0001", seq=1, value=70.0, quote="70")          # same total, in a table
    part = dict(row, fact_id="d1-0002", seq=2, value=20.0, part_of_seq=0, quote="其中20次")
    other = dict(row, fact_id="d1-0003", seq=3, metric="other", category="other", value=9e6)
    b.facts = pd.DataFrame([row, restated, part, other])
    load_and_build(wh, SQL, b)
    with duckdb.connect(str(wh), read_only=True) as con:
        rows = con.execute("SELECT metric, total FROM marts.province_comparison").fetchall()
        assert con.execute("SELECT count(*) FROM core.fact_metric").fetchone()[0] == 4   # all kept in core
    assert rows == [("joint_inspections", 70.0)]


def _empty_night(run_id: str, errors: pd.DataFrame | None = None) -> Batch:
    b = _batch(run_id, ())
    b.errors = errors if errors is not None else pd.DataFrame()
    return b


def test_unchanged_night_does_not_rebuild_the_models_but_any_input_change_does(tmp_path):
    wh = tmp_path / "wh.duckdb"
    assert load_and_build(wh, SQL, _batch("r1", ("d1",)))["models_rebuilt"]
    assert not load_and_build(wh, SQL, _empty_night("r2"))["models_rebuilt"]        # nothing new
    assert _count(wh, "SELECT count(*) FROM raw.runs") == 2                    # the run is still recorded
    # a new figure: rebuilt, and the mart shows it
    assert load_and_build(wh, SQL, _batch("r3", ("d1",), value=75))["models_rebuilt"]
    assert _count(wh, "SELECT total FROM marts.province_comparison") == 75
    # the latest run's errors feed report_coverage: a new error rebuilds; the same error again does not
    err = pd.DataFrame([{"source_id": "s1", "url": "http://x/d2.html", "stage": "fetch", "error": "HTTP 500"}])
    assert load_and_build(wh, SQL, _empty_night("r4", err))["models_rebuilt"]
    assert not load_and_build(wh, SQL, _empty_night("r5", err))["models_rebuilt"]
    assert load_and_build(wh, SQL, _empty_night("r6"))["models_rebuilt"]            # the error went away
    # a dropped mart is built again even when the inputs are the same
    with duckdb.connect(str(wh)) as con:
        con.execute("DROP TABLE marts.province_comparison")
    assert load_and_build(wh, SQL, _empty_night("r7"))["models_rebuilt"]
    assert _count(wh, "SELECT count(*) FROM raw.model_builds") == 5


def _facts_batch(run_id: str, values: list[float], extractor: str = "1") -> Batch:
    """One document with one fact per value (fact ids by position)."""
    b = _batch(run_id, ("d1",))
    one = b.facts.iloc[0].to_dict()
    b.facts = pd.DataFrame([{**one, "fact_id": f"d1-{i:04d}", "seq": i, "value": v, "extractor_version": extractor}
                            for i, v in enumerate(values)])
    return b


def test_fact_versions_keep_only_facts_replaced_by_different_ones(tmp_path):
    wh = tmp_path / "wh.duckdb"
    versions = "SELECT count(*) FROM raw.fact_versions"
    load_and_build(wh, SQL, _facts_batch("r1", [70, 80, 90]))
    load_and_build(wh, SQL, _facts_batch("r2", [70, 80, 90]))             # an identical reload
    load_and_build(wh, SQL, _facts_batch("r3", [70, 80, 90], extractor="2"))   # a new version, same facts
    assert _count(wh, versions) == 0
    load_and_build(wh, SQL, _facts_batch("r4", [70, 85, 90]))             # one fact changed
    with duckdb.connect(str(wh), read_only=True) as con:
        kept = con.execute("SELECT fact_id, value, superseded_by_run FROM raw.fact_versions").fetchall()
        now = con.execute("SELECT value FROM raw.facts ORDER BY seq").fetchall()
    assert kept == [("d1-0001", 80.0, "r4")] and now == [(70.0,), (85.0,), (90.0,)]
    load_and_build(wh, SQL, _facts_batch("r5", [70, 85]))                 # a fact no longer read
    assert _count(wh, versions) == 2
    assert _count(wh, "SELECT value FROM raw.fact_versions WHERE superseded_by_run = 'r5'") == 90.0
    load_and_build(wh, SQL, _facts_batch("r6", [70, 85]))                 # and identical again: nothing
    assert _count(wh, versions) == 2


def test_error_rows_carry_their_kind(tmp_path):
    wh = tmp_path / "wh.duckdb"
    empty = pd.DataFrame()
    errors = pd.DataFrame([
        {"source_id": "s1", "url": "http://x/a.pdf", "stage": "fetch", "error": "response exceeds the cap",
         "kind": "too-large"},
        {"source_id": "s1", "url": "http://x/b.pdf", "stage": "parse",
         "error": "attachment http://x/b.pdf: broken PDF: the file is not a PDF but an HTML page"},
        {"source_id": "s1", "url": "http://x/c.pdf", "stage": "parse", "error": "no text could be read"},
        {"source_id": "s1", "url": "http://x/d.pdf", "stage": "fetch", "error": "ValueError: x"}])
    load_and_build(wh, SQL, Batch("r1", empty, empty, empty, empty, errors, {}))
    with duckdb.connect(str(wh), read_only=True) as con:
        kinds = dict(con.execute("SELECT url, kind FROM raw.document_errors").fetchall())
    assert kinds == {"http://x/a.pdf": "too-large", "http://x/b.pdf": "not-a-document",
                     "http://x/c.pdf": "unreadable", "http://x/d.pdf": "failed"}
