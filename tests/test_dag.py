"""DAG integrity (DagBag) and the end-to-end run: `dag.test()` against the demo portal on
a random loopback port into a temporary warehouse, asserted through read-only DuckDB."""
from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from etl.settings import ROOT


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag
    return DagBag(dag_folder=str(ROOT / "dags"))


def test_dags_import_without_errors(dagbag):
    assert dagbag.import_errors == {}
    assert "nightly_reports" in dagbag.dags


def test_nightly_dag_contract(dagbag):
    dag = dagbag.dags["nightly_reports"]
    assert dag.catchup is False and dag.max_active_runs == 1
    assert {"etl", "nightly"} <= set(dag.tags)
    assert dag.timetable.expression == "0 2 * * *"
    assert str(getattr(dag.timetable.timezone, "name", dag.timetable.timezone)) == "Asia/Shanghai"
    for t in dag.tasks:
        if t.task_id != "alert":
            assert t.retries >= 1, t.task_id
    ids = {t.task_id for t in dag.tasks}
    assert ids == {"plan", "discover", "fetch", "process", "validate", "load", "alert"}
    # only one task may write DuckDB
    assert [t.task_id for t in dag.tasks if "load" in t.task_id] == ["load"]


def _truth(site: Path) -> Counter:
    rows = [json.loads(line) for line in (site / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return Counter((r["agency"], int(r["report_year"]), r["category"], float(r["value"]), r["unit"], r["qualifier"])
                   for r in rows)


def truth_docs(site: Path) -> set[str]:
    return {json.loads(line)["url"] for line in (site / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line}


def _loaded(warehouse: Path) -> Counter:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("SELECT agency, report_year, category, value, unit, qualifier FROM core.fact_metric").fetchall()
    return Counter((a, int(y), c, float(v), u, q) for a, y, c, v, u, q in rows)


def _count(warehouse: Path, sql: str):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_dag_end_to_end_against_demo_portal(airflow_db, dagbag, site, portal, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("ETL_DATA_DIR", str(data))
    monkeypatch.setenv("ETL_WAREHOUSE", str(data / "wh.duckdb"))
    monkeypatch.setenv("ETL_PORTAL_URL", portal.base_url)
    monkeypatch.setenv("ETL_HTTP_TIMEOUT", "1")
    monkeypatch.setenv("ETL_HTTP_RETRIES", "2")
    dag = dagbag.dags["nightly_reports"]
    wh = data / "wh.duckdb"

    run = dag.test()
    assert run.state == "success"
    truth, loaded = _truth(site), _loaded(wh)
    assert loaded == truth, (f"missing: {list((truth - loaded).items())[:10]} "
                             f"extra: {list((loaded - truth).items())[:10]}")
    failures = json.loads((site / "failures.json").read_text(encoding="utf-8"))
    errors = _count(wh, "SELECT count(DISTINCT url) FROM raw.document_errors")
    assert errors == len(failures)               # every bad document reported, none lost silently
    n_facts = _count(wh, "SELECT count(*) FROM raw.facts")
    assert _count(wh, "SELECT count(*) FROM marts.province_comparison") > 0

    seen = len(portal.log)
    run2 = dag.test()
    assert run2.state == "success"
    assert _count(wh, "SELECT count(*) FROM raw.facts") == n_facts        # nothing added
    assert _loaded(wh) == truth
    counts = json.loads(_count(wh, "SELECT counts FROM raw.runs ORDER BY loaded_at DESC LIMIT 1"))
    assert counts["documents_parsed"] == 0 and counts["documents_unchanged"] > 0
    # an unchanged night downloads nothing but robots.txt: listings and reports answer 304
    night2 = portal.log[seen:]
    assert {path for _, path, status in night2 if status == 200} == {"/robots.txt"}
    assert sum(status == 304 for _, _, status in night2) >= len(truth_docs(site))
