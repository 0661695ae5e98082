"""The DAG's scale-out contract: run params (report_year, sources, full_recheck), the load
in a one-slot pool and updating the warehouse Asset, and plan honouring a sources subset."""
from __future__ import annotations

import pytest

from etl.airflow_env import POOL
from etl.settings import ROOT


@pytest.fixture(scope="module")
def dag():
    from airflow.dag_processing.dagbag import DagBag
    return DagBag(dag_folder=str(ROOT / "dags")).dags["nightly_reports"]


def test_params_and_their_defaults(dag):
    params = dag.params.dump()
    assert params == {"report_year": None, "sources": [], "full_recheck": False}


def test_load_is_the_one_writer_and_updates_the_warehouse_asset(dag):
    load = dag.get_task("load")
    assert load.pool == POOL
    assert [a.name for a in load.outlets] == ["fzzf_warehouse"]
    assert all(t.pool != POOL for t in dag.tasks if t.task_id != "load")


def test_plan_takes_a_sources_subset_and_records_params(settings):
    from etl.discovery import read_registry
    from etl.pipeline.plan import plan, run_params
    ids = [s.id for s in read_registry(settings.sources_file, settings.portal_url)[0]]
    params = {"sources": [ids[1], "no-such-source"], "report_year": 2023, "full_recheck": True}
    shards = plan(settings, "backfill-2023", params)
    assert [sid for s in shards for sid in s] == [ids[1]]
    assert run_params(settings, "backfill-2023") == params
    from etl.runstore import ERRORS, RunStore
    [error] = RunStore(settings, "backfill-2023").read(ERRORS, "_registry")
    assert error.source_id == "no-such-source" and error.stage == "registry"
    assert len([sid for s in plan(settings, "all") for sid in s]) == len(ids)
