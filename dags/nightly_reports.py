"""Nightly: discover and fetch every registered agency's rule-of-law report, parse,
extract, validate and load into DuckDB. The logic lives in `etl.pipeline`; this file only wires
it (imports happen inside tasks so parsing the DAG stays cheap for the scheduler)."""
from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, task, task_group
from airflow.task.trigger_rule import TriggerRule

from etl.settings import load_settings   # the one door to the environment (cheap: no I/O)

RETRY_DELAY = timedelta(seconds=load_settings().retry_delay_s)
# Every load updates this Asset: report/mart DAGs scheduled on it run after each night.
WAREHOUSE = Asset(name="fzzf_warehouse", uri="duckdb://fzzf/warehouse")
WRITER_POOL = "warehouse_writer"   # one slot (etl/airflow_env.py creates it): one DuckDB writer
# Manual runs: `airflow dags trigger nightly_reports --conf '{"report_year": 2023, "full_recheck": true}'`
# re-crawls one report year (a backfill that re-runs no other night); `sources` a subset.


def notify_task_failure(context) -> None:
    """on_failure_callback: a task failed for good; tell the channels now (the run's own
    message follows from `alert`). Never raises: a callback error would hide the failure."""
    try:
        from etl.notify.task_failure import notify_task_failure as notify
        notify(context)
    except Exception:  # noqa: BLE001
        import logging
        logging.getLogger(__name__).exception("failure notification failed")


def _run(run_id: str | None) -> str:
    """The run's id: Airflow fills a task's `run_id` from its context (the None default only
    marks the parameter as a context one)."""
    if run_id is None:
        raise ValueError("run_id is filled in by Airflow from the task's context")
    return run_id


PARAMS = {
    "report_year": Param(None, type=["null", "integer"], description="only this report year"),
    "sources": Param([], type="array", items={"type": "string"}, description="source ids; [] = all"),
    "full_recheck": Param(False, type="boolean", description="re-request every known report"),
}


@dag(
    dag_id="nightly_reports",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": RETRY_DELAY, "retry_exponential_backoff": True,
                  "execution_timeout": timedelta(hours=2),   # a hung worker must not hold the night
                  "on_failure_callback": notify_task_failure},
    tags=["fzzf", "etl", "nightly"],
    params=PARAMS,
    doc_md=__doc__,
)
def nightly_reports():
    @task
    def plan(run_id: str | None = None, params: dict | None = None) -> list[list[str]]:   # shards of source ids
        from etl.pipeline.plan import plan as plan_sources
        return plan_sources(run_id=run_id, params=dict(params or {}))

    @task
    def discover(shard: list[str], run_id: str | None = None) -> list[str]:
        from etl.pipeline.crawl import discover_task
        return discover_task(_run(run_id), shard)

    @task
    def fetch(shard: list[str], run_id: str | None = None) -> list[str]:
        from etl.pipeline.crawl import fetch_task
        return fetch_task(_run(run_id), shard)

    @task
    def process(shard: list[str], run_id: str | None = None) -> list[str]:
        from etl.pipeline.process import process_task
        return process_task(_run(run_id), shard)

    # One mapped group per shard: a shard that fails for good stops only itself.
    @task_group(group_id="crawl")
    def crawl(shard: list[str]) -> None:
        process(fetch(discover(shard)))

    # A shard that failed for good must not hold back the others: validate and load take
    # whatever the run produced; alert then reports the missing shards and fails the run.
    @task(trigger_rule=TriggerRule.ALL_DONE)
    def validate(run_id: str | None = None) -> dict:
        from etl.pipeline.validate import validate_task
        return validate_task(_run(run_id))

    # The only DuckDB writer; one per run and max_active_runs=1, and a one-slot pool, so
    # never two at once whatever the executor.
    @task(pool=WRITER_POOL, outlets=[WAREHOUSE])
    def load(run_id: str | None = None) -> dict:
        from etl.pipeline.load import load_task
        return load_task(_run(run_id))

    # The run's one message, whatever failed before; a channel that fails is retried.
    @task(trigger_rule=TriggerRule.ALL_DONE, retries=1, retry_delay=timedelta(seconds=30))
    def alert(run_id: str | None = None) -> dict:
        from etl.pipeline.alert import alert_task
        return alert_task(_run(run_id))

    # The verdict: red when anything was lost or not checked (see etl/pipeline/finish.py).
    @task(trigger_rule=TriggerRule.ALL_DONE, retries=0, on_failure_callback=None)
    def finish(run_id: str | None = None) -> dict:
        from etl.pipeline.finish import finish_task
        return finish_task(_run(run_id))

    checked = validate()
    crawl.expand(shard=plan()) >> checked
    checked >> load() >> alert() >> finish()


nightly_reports()
