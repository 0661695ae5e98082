"""A real distributed night: Airflow's CeleryExecutor with a PostgreSQL metadata DB and a
Redis broker (Debian packages on loopback), api-server, scheduler, dag-processor and two
Celery workers as separate processes, the nightly DAG against the demo portal.

Asserted: tasks ran on both workers, the warehouse equals what `airflow dags test` loads,
and a second, unchanged night adds nothing. Everything is stopped afterwards."""
from __future__ import annotations

import dataclasses
import os
import subprocess
from pathlib import Path

import duckdb
import pytest

from etl.airflow_env import airflow_exe
from etl.runstore import COUNTS, VERDICT, RunStore, runs
from etl.settings import ROOT

from .airflow_stack import AirflowStack
from .conftest import require

pytestmark = pytest.mark.slow
DAG = "nightly_reports"


_FROZEN: dict[str, str] = {}


def _etl_env(data: Path, portal_url: str) -> dict[str, str]:
    return {**_FROZEN, "ETL_DATA_DIR": str(data), "ETL_WAREHOUSE": str(data / "wh.duckdb"),
            "ETL_PORTAL_URL": portal_url, "ETL_HTTP_TIMEOUT": "1", "ETL_HTTP_RETRIES": "2",
            "ETL_RETRY_DELAY_S": "1", "ETL_POLITENESS": "0", "ETL_SHARD_SIZE": "2"}


# which page and convention listed an item: a column the browser read on night 1 is replayed
# with the static client on night 2 (etl/discovery/render.py), so the same item, title and
# decision come from the learned request instead of the rendered page
HOW_LISTED = {("discovery", "listing_url"), ("discovery", "via")}


def _snapshot(warehouse: Path) -> dict[str, set[tuple]]:
    """Every row of the raw layer (what the load writes), minus what names the run or the
    time of the load; as sets, so a run that re-reports the same errors adds nothing. The
    run logs are left out: raw.runs, and raw.model_builds (a hash over rows that carry run ids)."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema='raw' AND table_name NOT IN ('runs', 'model_builds')").fetchall()]
        for table in tables:
            cols = [c for (c,) in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema='raw' AND table_name=? "
                "ORDER BY ordinal_position", [table]).fetchall()
                if c != "run_id" and not c.endswith("_at") and (table, c) not in HOW_LISTED]
            if cols:
                out[table] = set(con.execute(f'SELECT {", ".join(cols)} FROM raw."{table}"').fetchall())
    return out


def _diff(a: dict[str, set[tuple]], b: dict[str, set[tuple]]) -> str:
    """Which tables differ, with one row of each side (for the failure message)."""
    out = []
    for table in sorted(set(a) | set(b)):
        x, y = a.get(table, set()), b.get(table, set())
        if x != y:
            out.append(f"{table}: {len(x - y)} rows only left, {len(y - x)} only right; "
                       f"e.g. {sorted(x - y, key=str)[:1]} vs {sorted(y - x, key=str)[:1]}")
    return "\n".join(out)


@pytest.fixture(scope="module", autouse=True)
def frozen_inputs(tmp_path_factory):
    """A copy of the code, DAG, registry, SQL and suites taken once: both runs (and every
    Airflow component) import the same code even while the checkout changes under a
    long test (PYTHONPATH puts the copy first; settings default to files inside it)."""
    import shutil
    d = tmp_path_factory.mktemp("code")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in ("etl", "dags", "demo_portal", "sql", "expectations"):
        shutil.copytree(ROOT / part, d / part, ignore=skip)
    _FROZEN.update(PYTHONPATH=str(d), AIRFLOW__CORE__DAGS_FOLDER=str(d / "dags"),
                   ETL_SOURCES=str(d / "etl" / "sources.yaml"), ETL_SQL_DIR=str(d / "sql"),
                   ETL_SUITE=str(d / "expectations" / "facts.json"))
    yield
    _FROZEN.clear()


@pytest.fixture(scope="module")
def shared_portal(site):
    """One portal for both runs: the URLs (with its port) are part of what is compared."""
    from demo_portal.server import Portal
    with Portal(site) as portal:
        yield portal


@pytest.fixture(scope="module")
def reference(airflow_db, shared_portal, tmp_path_factory):
    """The same night through `airflow dags test` (SQLite metadata, one process)."""
    data = tmp_path_factory.mktemp("dags-test") / "data"
    env = {**os.environ, **_etl_env(data, shared_portal.base_url)}
    p = subprocess.run([airflow_exe(), "dags", "test", DAG], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=900)
    assert (data / "wh.duckdb").exists(), p.stdout[-3000:] + p.stderr[-3000:]
    [run] = runs(_settings(data))
    # the demo's planted broken reports are lost documents: red for them alone, everything else ran
    assert _red_kinds(run.get(VERDICT)) == ["documents_failed"] and p.returncode == 1, p.stdout[-3000:] + p.stderr[-3000:]
    return _snapshot(data / "wh.duckdb")


def _settings(data: Path):
    """The settings of a data folder (the run store reads it as the workers wrote it)."""
    from etl.settings import load_settings
    return dataclasses.replace(load_settings(), data_dir=data)


def _red_kinds(verdict: dict | None) -> list[str]:
    from etl.notify.verdict import RED, level_of
    return [k for k in (verdict or {}).get("kinds", []) if level_of(k) == RED]


def test_celery_night_on_two_workers(reference, shared_portal, tmp_path):
    require("redis-server", "redis-server")
    require("initdb", "postgresql")
    portal = shared_portal
    data = tmp_path / "shared-data"            # ETL_DATA_DIR every worker sees
    with AirflowStack(_etl_env(data, portal.base_url)) as af:
        af.wait_for_dag(DAG)
        af.trigger(DAG, "night-1")
        state = af.wait_for_run(DAG, "night-1")
        assert state == "failed", af.logs()            # red for the planted lost reports alone:
        assert _red_kinds(RunStore(_settings(data), "night-1").get(VERDICT)) == ["documents_failed"], af.logs()
        hosts = af.task_hosts(DAG, "night-1")
        assert {"worker-1", "worker-2"} <= set(hosts), hosts
        first = _snapshot(data / "wh.duckdb")
        assert first == reference, _diff(first, reference)
        assert first["facts"], "nothing was loaded"

        requests_before = len(portal.log)
        af.trigger(DAG, "night-2")
        assert af.wait_for_run(DAG, "night-2") == "failed", af.logs()      # the same reports, lost again
        night2 = RunStore(_settings(data), "night-2")
        assert _red_kinds(night2.get(VERDICT)) == ["documents_failed"], af.logs()
        second = _snapshot(data / "wh.duckdb")
        assert second == first, _diff(second, first)
        assert af.sql("SELECT count(*) FROM dag_run WHERE dag_id=%s", DAG)[0][0] == 2   # no scheduled extra
        c = night2.get(COUNTS)
        if c is not None:       # the load ran: it must have found nothing new
            assert c.get("documents_parsed", 0) == 0 and c.get("facts_loaded", 0) == 0, c
        assert len(portal.log) > requests_before      # night 2 did ask the portal
    # every component and both services are gone
    assert all(p.poll() is not None for p in af.procs.values())
    assert not (af.root / "services" / "pg" / "postmaster.pid").exists()
