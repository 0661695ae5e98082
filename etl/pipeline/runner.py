"""The whole DAG in one process, in order (for `python -m etl run` and debugging)."""
from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed

from ..settings import Settings, load_settings
from .alert import alert_task
from .crawl import discover_task, fetch_task
from .finish import finish_task
from .load import load_task
from .plan import plan
from .process import process_task
from .validate import validate_task


log = logging.getLogger(__name__)


def crawl_shard(run_id: str, shard: list[str], settings: Settings) -> list[str]:
    """The DAG's mapped `crawl` group for one shard: discover -> fetch -> process."""
    discover_task(run_id, shard, settings)
    fetch_task(run_id, shard, settings)
    return process_task(run_id, shard, settings)


def pool_shards(shards: list[list[str]], workers: int) -> list[list[str]]:
    """Re-cut the plan into ~4 shards per worker process (all sources, in order), so
    both cores stay busy even when ETL_SHARD_SIZE puts the demo in one shard."""
    ids = [sid for shard in shards for sid in shard]
    size = max(1, -(-len(ids) // (workers * 4)))
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def _preload() -> None:
    """Import what every shard imports before the pool forks, so the workers inherit the
    modules instead of each importing them again."""
    import importlib
    for name in ("etl.load.state", "etl.validate", "etl.extract", "etl.metadata"):
        importlib.import_module(name)


def run_all(run_id: str | None = None, settings: Settings | None = None) -> dict:
    """Shards crawled and processed in a process pool (ETL_WORKERS, default: the cores),
    like mapped tasks on several workers; a shard that raises loses only itself (the
    alert names its sources). Then validate, the one load, the alert, whatever failed
    before them (as the DAG's trigger rules do), and the verdict: RunFailed when red."""
    settings = settings or load_settings()
    run_id = run_id or time.strftime("manual__%Y%m%dT%H%M%S")
    workers = settings.workers or os.cpu_count() or 1
    shards = plan(settings, run_id)
    if workers == 1:
        for shard in shards:
            crawl_shard(run_id, shard, settings)
    else:
        _preload()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {pool.submit(crawl_shard, run_id, s, settings): s for s in pool_shards(shards, workers)}
            for f in as_completed(futures):
                if f.exception() is not None:
                    log.error("shard %s failed: %s", futures[f], f.exception())
    counts: dict = {}
    try:
        validate_task(run_id, settings)
        counts = load_task(run_id, settings)
    except Exception:                  # recorded in staging; the alert and the verdict say it
        log.exception("run %s: validate/load failed", run_id)
    try:
        alert_task(run_id, settings)
    except Exception:
        log.exception("run %s: alert failed", run_id)
    finish_task(run_id, settings)
    return counts
