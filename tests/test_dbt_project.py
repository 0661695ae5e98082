"""The warehouse as a dbt project (sql/): seeds generated from the knowledge, a failing
schema test makes the night red and leaves analysts on the last good snapshot, a
document's facts replaced by a reload leave the incremental models exactly as a full
rebuild would, and `python -m etl docs` is a site that opens offline in Chromium with the
lineage and a mart's column docs."""
from __future__ import annotations

import json
import shutil
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from etl.load import Batch, load_and_build, load_batch
from etl.runstore import BUILD_ERROR, RunStore
from etl.settings import ROOT, load_settings
from etl.warehouse.build import build_docs, build_warehouse
from etl.warehouse.seeds import seed_frames, stale_seeds
from etl.warehouse.snapshot import snapshot_path

SQL = ROOT / "sql"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _batch(run_id: str, docs: dict[str, list[tuple[str, str, float]]], category: str = "enforcement_inspections",
           year: int = 2023) -> Batch:
    """docs: {doc_id: [(metric, unit, value), ...]}, the `year` reports of two county agencies
    (the n-th document is agency s{n % 2}'s)."""
    sources = pd.DataFrame([{"source_id": f"s{i}", "agency": f"某区第{i}局", "province": "湖北省", "province_code": "420000",
                             "city": "武汉市", "county": "某区", "level": "county", "listing_url": f"http://x/{i}/"}
                            for i in range(2)])
    text = "共联合检查70余次"
    docs_df = pd.DataFrame([{"doc_id": d, "source_id": f"s{n % 2}", "url": f"http://x/{d}.html", "title": "报告",
                             "fmt": "html", "pages": 0, "pub_date": f"{year + 1}-03-01 10:00", "report_year": year,
                             "script": "hans", "content_sha256": f"{d}-{len(fs)}-{sum(v for *_, v in fs)}",
                             "extractor_version": "1", "text": text} for n, (d, fs) in enumerate(docs.items())])
    facts = pd.DataFrame([{"fact_id": f"{d}-{k:04d}", "doc_id": d, "seq": k, "metric": m, "category": category,
                           "value": v, "unit": u, "qualifier": "exact", "subject": "联合检查", "quote": text,
                           "start_pos": 0, "end_pos": len(text), "sentence": text, "part_of_seq": None,
                           "extractor_version": "1"} for d, fs in docs.items() for k, (m, u, v) in enumerate(fs)])
    empty = pd.DataFrame()
    return Batch(run_id, sources, docs_df, facts, empty, empty, {"facts_loaded": len(facts)})


def test_the_committed_seeds_are_the_knowledge():
    assert stale_seeds() == [], "python -m etl.warehouse.seeds --write"
    frames = seed_frames()
    assert {"seed_region", "seed_metric", "seed_unit", "seed_category"} <= set(frames)
    assert "百分点" in set(frames["seed_unit"].query("kind == 'percent'")["unit"])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    wh = tmp_path_factory.mktemp("dbt") / "wh.duckdb"
    res = load_and_build(wh, SQL, _batch("r1", {"a": [("joint_inspections", "次", 70.0)],
                                                "b": [("joint_inspections", "次", 30.0)]}))
    assert res["build"].ok, res["build"].failed
    return wh


def _marts(path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: sorted(map(str, con.execute(f"FROM marts.{t}").fetchall()))
                for t in ("province_comparison", "metric_yoy", "province_rank", "report_coverage")} | {
            "agency_figure": sorted(map(str, con.execute("SELECT * EXCLUDE (build_id) FROM core.agency_figure").fetchall()))}


def test_a_failing_schema_test_is_a_red_night_and_keeps_the_last_good_snapshot(built):
    from etl.notify.problems import run_problems
    from etl.notify.verdict import RED, verdict_of
    from etl.pipeline.load import BuildFailed, build_and_publish
    before = json.loads((snapshot_path(built).parent / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    orphan = _batch("r2", {"c": [("joint_inspections", "次", 5.0)]})
    orphan.documents = orphan.documents.iloc[0:0]                  # a fact whose document is not loaded
    load_batch(built, SQL, orphan)
    settings = replace(load_settings(), data_dir=built.parent, warehouse=built, sql_dir=SQL)
    with pytest.raises(BuildFailed, match="relationships_stg_facts_doc_id"):
        build_and_publish(settings, "r2")
    after = json.loads((snapshot_path(built).parent / "manifest.json").read_text(encoding="utf-8"))["run_id"]
    assert after == before == "r1"                                   # analysts stay on the good one
    error = RunStore(settings, "r2").get(BUILD_ERROR)
    assert any("relationships_stg_facts_doc_id" in f for f in error["failed"])
    problems = [p for p in run_problems(settings, "r2") if p.kind == "build_failed"]
    verdict = verdict_of("r2", problems)
    assert verdict.level == RED and "relationships_stg_facts_doc_id" in " ".join(problems[0].lines)
    # the cause removed (the document loaded): green again, published
    res = load_and_build(built, SQL, _batch("r3", {"c": [("joint_inspections", "次", 5.0)]}))
    assert res["build"].ok
    assert json.loads((snapshot_path(built).parent / "manifest.json").read_text(encoding="utf-8"))["run_id"] == "r3"


def _equals_full_rebuild(wh) -> dict[str, list]:
    """The incremental build's core and marts, asserted equal to a --full-refresh build's."""
    incremental = _marts(wh)
    with duckdb.connect(str(wh), read_only=True) as con:          # a good build leaves no pending change
        assert con.execute("SELECT count(*) FROM core.agency_figure_changes").fetchone()[0] == 0
    assert build_warehouse(wh, SQL, force=True, full_refresh=True).ok
    assert _marts(wh) == incremental
    return incremental


def test_incremental_models_equal_a_full_rebuild_after_facts_are_replaced(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", {"a": [("joint_inspections", "次", 70.0)], "b": [("joint_inspections", "次", 30.0)]}))
    # a reprocessed document: its fact replaced by a different one and a new metric; b unchanged
    res = load_and_build(wh, SQL, _batch("r2", {"a": [("joint_inspections", "次", 75.0), ("cases_handled", "件", 9.0)]}))
    assert res["build"].ok
    incremental = _equals_full_rebuild(wh)
    assert "75.0" in " ".join(incremental["province_comparison"])
    assert not any("70.0" in r for r in incremental["agency_figure"])
    # a night that adds a new year: the year-on-year rows appear (agency and province scope)
    res = load_and_build(wh, SQL, _batch("r3", {"a24": [("joint_inspections", "次", 80.0)],
                                                "b24": [("joint_inspections", "次", 40.0)]}, year=2024))
    assert res["build"].ok
    incremental = _equals_full_rebuild(wh)
    assert any("2024" in r and "'province'" in r and "105.0" in r and "120.0" in r for r in incremental["metric_yoy"])
    # a night that replaces the facts of the old year: 2023's figures and 2024's previous values change
    res = load_and_build(wh, SQL, _batch("r4", {"a": [("joint_inspections", "次", 60.0)],
                                                "b": [("joint_inspections", "次", 20.0)]}))
    assert res["build"].ok
    incremental = _equals_full_rebuild(wh)
    assert any("2024" in r and "'province'" in r and "80.0" in r and "120.0" in r for r in incremental["metric_yoy"])
    assert not any("105.0" in r for r in incremental["metric_yoy"])


@pytest.mark.skipif(not CHROMIUM, reason="chromium is not installed (Debian package `chromium`)")
def test_docs_site_opens_offline_with_lineage_and_column_docs(built, tmp_path):
    from playwright.sync_api import sync_playwright
    out = build_docs(built, SQL, tmp_path / "docs" / "warehouse.html")
    url = out.as_uri()
    online: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else (online.append(r.request.url), r.abort()))
        page.goto(url + "#!/model/model.fzzf.province_comparison")
        page.wait_for_selector("text=n_agencies", timeout=30000)
        body = page.inner_text("body")
        assert "Each agency contributes one figure" in body           # the mart's own doc (schema.yml)
        assert "province name as registered" in body                  # a column's doc
        page.locator(".launcher-btn").first.click()                   # the lineage graph
        page.wait_for_function("() => { const c = document.querySelector('#cy');"
                               " return c && c._cyreg && c._cyreg.cy.nodes().length > 1; }", timeout=30000)
        lineage = page.evaluate("() => document.querySelector('#cy')._cyreg.cy.nodes().map(n => n.data('label'))")
        browser.close()
    assert {"province_comparison", "agency_figure", "province_rank"} <= set(lineage)
    assert online == []                                               # nothing fetched from the web
