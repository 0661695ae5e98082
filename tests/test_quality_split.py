"""Data quality end to end on real parts (GX, DuckDB): a planted batch is split exactly into
loaded, quarantined (with the expectation and the threshold) and warned; a relaxed suite
heals what a stricter one quarantined, without downloading anything."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace
from urllib.parse import urlsplit

import duckdb

from etl.pipeline.load import load_task
from etl.runstore import DOCUMENTS, FACTS, FETCHED, VALIDATION, RunStore
from etl.pipeline.validate import validate_task
from etl.settings import ROOT

AGENCY = "湖北省司法厅"     # a registered source: its row in raw.sources comes from the registry


def _doc(doc_id: str, year: int) -> dict:
    return {"doc_id": doc_id, "source_id": "hb-sft", "url": f"http://x/{doc_id}.html", "title": f"{year}年法治政府建设报告",
            "fmt": "html", "pages": 0, "report_year": year, "script": "hans", "content_sha256": f"sha-{doc_id}",
            "extractor_version": "t", "text": "…", "inferred_agency": AGENCY}


def _fact(doc_id: str, i: int, year: int, metric: str, value: float, unit: str, subject: str,
          category: str = "other") -> dict:
    return {"fact_id": f"{doc_id}-{i:04d}", "doc_id": doc_id, "doc": doc_id, "seq": i, "metric": metric,
            "category": category, "value": value, "unit": unit, "qualifier": "exact", "quote": f"{value:g}{unit}",
            "start": 10 * i, "end": 10 * i + 4, "subject": subject, "sentence": "", "part_of": None,
            "extractor_version": "t", "agency": AGENCY, "province": "湖北省", "province_code": "420000",
            "report_year": year}


def _stage(settings, run_id: str, docs: list[dict], facts: list[dict]) -> None:
    run = RunStore(settings, run_id)
    run.write(DOCUMENTS, "hb-sft", docs)
    run.write(FACTS, "hb-sft", facts)


def _rows(wh, sql: str) -> list[tuple]:
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_planted_batch_is_split_exactly(settings) -> None:
    # last year, loaded clean: the base of the year-on-year check
    _stage(settings, "y2023", [_doc("d23", 2023)],
           [_fact("d23", 0, 2023, "inspections", 120, "次", "联合检查", "enforcement_inspections")])
    validate_task("y2023", settings)
    load_task("y2023", settings)

    good = [_fact("d24", 0, 2024, "cases_handled", 35, "件", "办理行政复议案件", "cases_handled"),
            _fact("d24", 1, 2024, "rates_pct", 98.5, "%", "办结率", "rate_pct")]
    jump = [_fact("d24", 2, 2024, "inspections", 1300, "次", "联合检查", "enforcement_inspections")]   # 10.8x
    bad = {"d24-0003": ("value_nonnegative", _fact("d24", 3, 2024, "other", -4, "件", "投诉")),
           "d24-0004": ("pct_rate_range", _fact("d24", 4, 2024, "other", 250, "%", "群众满意率")),
           "d24-0005": ("unit_trainings_held", _fact("d24", 5, 2024, "trainings_held", 6, "元", "培训"))}
    _stage(settings, "y2024", [_doc("d24", 2024)], good + jump + [b[1] for b in bad.values()])
    summary = validate_task("y2024", settings)
    counts = load_task("y2024", settings)
    assert (counts["facts_loaded"], counts["facts_quarantined"], counts["facts_warned"]) == (3, 3, 1)

    wh = settings.warehouse
    loaded = {r[0] for r in _rows(wh, "SELECT fact_id FROM raw.facts WHERE doc_id = 'd24'")}
    assert loaded == {"d24-0000", "d24-0001", "d24-0002"}              # good and warned load
    q: dict[str, dict[str, tuple]] = {}
    for fid, exp, reason, url, run in _rows(wh, "SELECT row_id, expectation, reason, url, run_id FROM dq.quarantine"):
        q.setdefault(fid, {})[exp] = (reason, url, run)
    assert set(q) == set(bad)                                        # quarantined, nowhere else
    for fid, (eid, _) in bad.items():
        reason, url, run = q[fid][f"facts.{eid}"]
        assert url == "http://x/d24.html" and run == "y2024"
    assert "value=250 not in [0, 100]" in q["d24-0004"]["facts.pct_rate_range"][0]   # the threshold used
    assert "unit='元'" in q["d24-0005"]["facts.unit_trainings_held"][0]
    [(wid, wexp, wreason)] = _rows(wh, "SELECT row_id, expectation, reason FROM dq.warnings")
    assert wid == "d24-0002" and wexp == "facts.yoy_anomaly" and "yoy_previous=120" in wreason
    assert not loaded & set(bad)
    results = _rows(wh, "SELECT suite, expectation, success FROM dq.results WHERE run_id = 'y2024'")
    assert len(results) == len({(s, e) for s, e, _ in results}) > 20  # one row per expectation
    failed = {e for _, e, ok in results if not ok}
    assert {"value_nonnegative", "pct_rate_range", "unit_trainings_held", "yoy_anomaly"} <= failed
    assert failed <= {"value_nonnegative", "count_range", "pct_rate_range", "unit_trainings_held", "yoy_anomaly"}
    docs = RunStore(settings, "y2024").get(VALIDATION)["data_docs"]
    assert docs.endswith("index.html") and (settings.data_dir / "dq_docs" / "y2024" / "index.html").exists()
    assert summary["n_quarantined"] == 3


def test_relaxed_suite_heals_quarantined_facts(settings, portal, tmp_path, monkeypatch) -> None:
    from etl.pipeline.runner import run_all
    monkeypatch.setenv("ETL_POLITENESS", "0")
    suites = tmp_path / "expectations"
    shutil.copytree(ROOT / "expectations", suites)
    relaxed = (suites / "facts.json").read_text(encoding="utf-8")
    strict = json.loads(relaxed)
    strict["expectations"].append({
        "type": "expect_column_values_to_be_between",
        "kwargs": {"column": "value", "max_value": 1000,
                   "row_condition": {"type": "comparison", "column": {"name": "unit"}, "operator": "==", "parameter": "人次"}},
        "description": "at most 1000 人次 (too strict)", "meta": {"id": "strict_person_times", "severity": "error"}})
    (suites / "facts.json").write_text(json.dumps(strict, ensure_ascii=False), encoding="utf-8")
    s = replace(settings, portal_url=portal.base_url, suite_file=suites / "facts.json", timeout_s=1.0, retries=1)

    run_all("strict", s)
    held = _rows(s.warehouse, "SELECT DISTINCT row_id FROM dq.quarantine WHERE expectation = 'facts.strict_person_times'")
    assert held
    n_loaded = _rows(s.warehouse, "SELECT count(*) FROM raw.facts")[0][0]

    (suites / "facts.json").write_text(relaxed, encoding="utf-8")     # the analyst relaxes the suite
    seen = len(portal.log)
    counts = run_all("relaxed", s)
    assert counts["documents_parsed"] > 0                            # re-checked under the new suite
    assert _rows(s.warehouse, "SELECT count(*) FROM dq.quarantine WHERE expectation = 'facts.strict_person_times'") == [(0,)]
    ids = {r[0] for r in _rows(s.warehouse, "SELECT fact_id FROM raw.facts")}
    assert {r[0] for r in held} <= ids                               # healed: loaded now
    assert len(ids) == n_loaded + len(held)
    fetched = RunStore(s, "strict").frame(FETCHED)
    archived = {urlsplit(u).path for u in fetched.loc[fetched["status"] == "fetched", "url"]}
    assert not [p for m, p, st in portal.log[seen:] if m == "GET" and st == 200 and p in archived]
