"""The whole DAG in one process, in order (for `python -m etl run` and debugging)."""
from __future__ import annotations

import time

from ..settings import Settings, load_settings
from .alert import alert_task
from .crawl import discover_task, fetch_task
from .load import load_task
from .plan import plan
from .process import process_task
from .validate import validate_task


def run_all(run_id: str | None = None, settings: Settings | None = None) -> dict:
    settings = settings or load_settings()
    run_id = run_id or time.strftime("manual__%Y%m%dT%H%M%S")
    for shard in plan(settings, run_id):
        discover_task(run_id, shard, settings)
        fetch_task(run_id, shard, settings)
        process_task(run_id, shard, settings)
    validate_task(run_id, settings)
    counts = load_task(run_id, settings)
    alert_task(run_id, settings)
    return counts
