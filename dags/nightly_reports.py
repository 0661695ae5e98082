"""Nightly: discover and fetch every registered agency's rule-of-law report, parse,
extract, validate and load into DuckDB. The logic lives in `etl.run`; this file only wires
it (imports happen inside tasks so parsing the DAG stays cheap for the scheduler)."""
from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import dag, task
from airflow.task.trigger_rule import TriggerRule

RETRY_DELAY = timedelta(seconds=float(os.environ.get("ETL_RETRY_DELAY_S", "300")))


@dag(
    dag_id="nightly_reports",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Asia/Shanghai"),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": RETRY_DELAY, "retry_exponential_backoff": True},
    tags=["fzzf", "etl", "nightly"],
    doc_md=__doc__,
)
def nightly_reports():
    @task
    def plan() -> list[list[str]]:        # shards of source ids (ETL_SHARD_SIZE)
        from etl.run import plan as plan_sources
        return plan_sources()

    @task(max_active_tis_per_dagrun=8)
    def discover(shard: list[str], run_id: str | None = None) -> list[str]:
        from etl.run import discover_task
        return discover_task(run_id, shard)

    @task(max_active_tis_per_dagrun=8)
    def fetch(shard: list[str], run_id: str | None = None) -> list[str]:
        from etl.run import fetch_task
        return fetch_task(run_id, shard)

    @task(max_active_tis_per_dagrun=8)
    def process(shard: list[str], run_id: str | None = None) -> list[str]:
        from etl.run import process_task
        return process_task(run_id, shard)

    # A source whose task failed for good must not hold back the others: validate and
    # load take whatever the run produced.
    @task(trigger_rule=TriggerRule.ALL_DONE)
    def validate(run_id: str | None = None) -> dict:
        from etl.run import validate_task
        return validate_task(run_id)

    # The only DuckDB writer; one per run and max_active_runs=1, so never two at once.
    @task
    def load(run_id: str | None = None) -> dict:
        from etl.run import load_task
        return load_task(run_id)

    @task(trigger_rule=TriggerRule.ALL_DONE, retries=0)
    def alert(run_id: str | None = None) -> list[str]:
        from etl.run import alert_task
        return alert_task(run_id)

    processed = process.expand(shard=fetch.expand(shard=discover.expand(shard=plan())))
    checked = validate()
    processed >> checked
    loaded = load()
    checked >> loaded >> alert()


nightly_reports()
