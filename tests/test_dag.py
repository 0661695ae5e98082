"""DAG integrity (DagBag) and the end-to-end run: `dag.test()` against the demo portal on
a random loopback port into a temporary warehouse, asserted through read-only DuckDB."""
from __future__ import annotations

import json
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
        if t.task_id != "finish":
            assert t.retries >= 1, t.task_id
    ids = {t.task_id for t in dag.tasks}
    assert ids == {"plan", "crawl.discover", "crawl.fetch", "crawl.process", "validate", "load", "alert", "finish"}
    # a failed shard must not stop validate/load; the alert and the verdict always run
    rules = {t.task_id: str(getattr(t.trigger_rule, "value", t.trigger_rule)) for t in dag.tasks}
    assert rules["validate"].endswith("all_done") and rules["alert"].endswith("all_done")
    assert rules["finish"].endswith("all_done") and rules["load"].endswith("all_success")
    # one final task decides the run's state: it is the only leaf
    assert [t.task_id for t in dag.tasks if not t.downstream_task_ids] == ["finish"]
    assert dag.get_task("load").on_failure_callback    # task failures notify
    # the crawl stages are mapped per shard as one group: discover -> fetch -> process
    assert dag.get_task("crawl.fetch").upstream_task_ids == {"crawl.discover"}
    assert dag.get_task("crawl.process").upstream_task_ids == {"crawl.fetch"}


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
    # the planted failures are listed reports lost tonight: the night is red for them alone
    assert run.state == "failed"
    assert _red_kinds(data, run) == ["documents_failed"]
    assert "Listed reports lost tonight" in _finish_log(run)      # the UI's task log, under dags test too
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
    assert run2.state == "failed" and _red_kinds(data, run2) == ["documents_failed"]
    assert _count(wh, "SELECT count(*) FROM raw.facts") == n_facts        # nothing added
    assert _loaded(wh) == truth
    counts = json.loads(_count(wh, "SELECT counts FROM raw.runs ORDER BY loaded_at DESC LIMIT 1"))
    assert counts["documents_parsed"] == 0 and counts["documents_unchanged"] > 0
    # an unchanged night asks for the listing pages only (known reports are re-requested on
    # a slower cadence, ETL_RECHECK_DAYS), and they answer 304; only POSTed form pages and
    # the planted failures answer 200 again
    night2 = portal.log[seen:]
    assert not truth_docs(site) & {path for _, path, _ in night2}
    assert {path for m, path, status in night2 if status == 200 and m == "GET"} <= \
        {"/robots.txt"} | {f["url"] for f in failures}
    assert sum(status == 304 for _, _, status in night2) >= len(truth_docs(site)) // 2


def _verdict(data: Path, run) -> dict:
    from etl.runstore import VERDICT, RunStore
    from etl.settings import load_settings
    return RunStore(load_settings(), run.run_id).get(VERDICT) or {}


def _red_kinds(data: Path, run) -> list[str]:
    from etl.notify.verdict import RED, level_of
    return [k for k in _verdict(data, run)["kinds"] if level_of(k) == RED]


def _finish_log(run) -> str:
    """The finish task's log file, where the API server reads it for the UI."""
    import os
    logs = Path(os.environ["AIRFLOW_HOME"]) / "logs"
    [f] = [p for p in logs.glob("dag_id=nightly_reports/*/task_id=finish/attempt=*.log") if run.run_id in str(p)]
    return f.read_text(encoding="utf-8")


def _registry_with(tmp_path, *extra: dict) -> list[dict]:
    import yaml
    registry = yaml.safe_load((ROOT / "etl" / "sources.yaml").read_text(encoding="utf-8"))
    registry["sources"] += list(extra)
    (tmp_path / "sources.yaml").write_text(yaml.safe_dump(registry, allow_unicode=True), encoding="utf-8")
    return registry["sources"]


def _env(monkeypatch, tmp_path, portal) -> Path:
    data = tmp_path / "data"
    for k, v in {"ETL_SOURCES": str(tmp_path / "sources.yaml"), "ETL_DATA_DIR": str(data),
                 "ETL_WAREHOUSE": str(data / "wh.duckdb"), "ETL_PORTAL_URL": portal.base_url,
                 "ETL_HTTP_TIMEOUT": "1", "ETL_HTTP_RETRIES": "1"}.items():
        monkeypatch.setenv(k, v)
    return data


def test_failed_shard_loses_only_itself_and_fails_the_run(airflow_db, dagbag, portal, tmp_path, monkeypatch):
    """A source whose crawl breaks (here: discovery raises for it) is left unfinished alone:
    the other sources, of its shard too, are loaded, the alert names it, and the run fails."""
    from etl.pipeline import crawl
    from etl.settings import load_settings
    sources = _registry_with(tmp_path, {"id": "zz-broken", "agency": "湖北省司法厅",
                                        "listing_url": "{portal}/hb/sft/fzzf/index.html"})
    real = crawl.discover

    def breaking(source, *a, **k):
        if source.id == "zz-broken":
            raise RuntimeError("a bug in discovery")
        return real(source, *a, **k)
    monkeypatch.setattr(crawl, "discover", breaking)
    data = _env(monkeypatch, tmp_path, portal)
    run = dagbag.dags["nightly_reports"].test()
    assert run.state == "failed"                      # someone must look at it
    with duckdb.connect(str(data / "wh.duckdb"), read_only=True) as con:
        n_sources = con.execute("SELECT count(DISTINCT source_id) FROM core.report").fetchone()[0]
    assert n_sources == len(sources) - 2   # all but the broken one and the failure agency
    from etl.runstore import runs
    assert [r.unfinished() for r in runs(load_settings())] == [["zz-broken"]]


def test_bad_registry_entries_are_their_sources_failures(airflow_db, dagbag, portal, tmp_path, monkeypatch):
    """Entries with a misspelt key, a bad regex or no listing URL are reported by id and
    field and make the run red; every other source is loaded."""
    sources = _registry_with(tmp_path,
                             {"id": "zz-typo", "agency": "湖北省司法厅", "listing_url": "{portal}/x", "max_page": 3},
                             {"id": "zz-regex", "agency": "湖北省司法厅", "listing_url": "{portal}/x", "include": "("},
                             {"id": "zz-nourl", "agency": "湖北省司法厅"})
    data = _env(monkeypatch, tmp_path, portal)
    run = dagbag.dags["nightly_reports"].test()
    assert run.state == "failed"
    with duckdb.connect(str(data / "wh.duckdb"), read_only=True) as con:
        n_sources = con.execute("SELECT count(DISTINCT source_id) FROM core.report").fetchone()[0]
        errors = dict(con.execute("SELECT source_id, error FROM raw.document_errors WHERE stage = 'registry'").fetchall())
    assert n_sources == len(sources) - 3 - 1
    assert "did you mean 'max_pages'" in errors["zz-typo"] and "bad regular expression" in errors["zz-regex"]
    assert "listing_url: missing" in errors["zz-nourl"]


_HOLDER = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS analyst_notes (x INT)")
print("holding", flush=True)
time.sleep(600)
"""


def _alerts(data: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (data / "alerts").glob("*.md")}


def _run_message(data: Path, run) -> str:
    """The run's one message in the file sink (<run_id>.md, run id made file-safe)."""
    from etl.runstore import RunStore
    from etl.settings import load_settings
    return (data / "alerts" / f"{RunStore(load_settings(), run.run_id).root.name}.md").read_text(encoding="utf-8")


def test_failed_load_makes_the_run_red_and_notifies(airflow_db, dagbag, portal, tmp_path, monkeypatch):
    """An analyst holds the warehouse all night: the load waits its bounded time, fails, the
    run is red, the task-failure callback and the run's message both say why."""
    import subprocess
    import sys
    _registry_with(tmp_path)
    data = _env(monkeypatch, tmp_path, portal)
    monkeypatch.setenv("ETL_LOAD_LOCK_TIMEOUT", "1")
    data.mkdir(parents=True)
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(data / "wh.duckdb")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        run = dagbag.dags["nightly_reports"].test()
    finally:
        holder.kill()
        holder.wait()
    assert run.state == "failed"
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states["load"] == "failed" and states["alert"] == "success" and states["finish"] == "failed"
    alerts = _alerts(data)
    run_msg = _run_message(data, run)
    assert "LOAD FAILED" in run_msg and "locked by another process" in run_msg and "ETL_LOAD_LOCK_TIMEOUT" in run_msg
    assert any("task load failed" in t for n, t in alerts.items() if n.endswith(".load.md"))   # on_failure_callback
    with duckdb.connect(str(data / "wh.duckdb"), read_only=True) as con:      # nothing half-loaded
        assert con.execute("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'raw'").fetchone()[0] == 0


def test_dead_listing_makes_the_run_red(airflow_db, dagbag, portal, tmp_path, monkeypatch):
    """A registered column whose listing is gone (404): the others load, the run is red and
    the message names the source, the URL and the status."""
    _registry_with(tmp_path, {"id": "zz-gone", "agency": "湖北省司法厅",
                              "listing_url": "{portal}/hb/gone/fzzf/index.html"})
    data = _env(monkeypatch, tmp_path, portal)
    run = dagbag.dags["nightly_reports"].test()
    assert run.state == "failed"
    states = {ti.task_id: ti.state for ti in run.get_task_instances()}
    assert states["load"] == "success" and states["finish"] == "failed"
    msg = _run_message(data, run)
    assert "Listings that failed: 1" in msg and "zz-gone" in msg and "404" in msg
    with duckdb.connect(str(data / "wh.duckdb"), read_only=True) as con:
        assert con.execute("SELECT count(DISTINCT source_id) FROM raw.documents").fetchone()[0] > 5
