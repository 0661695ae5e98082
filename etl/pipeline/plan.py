"""Sources split into shards (one mapped task group each); the run's params."""
from __future__ import annotations

from ..settings import Settings, load_settings
from ..discovery import read_registry
from ..records import ErrorRow
from ..runstore import ERRORS, PARAMS, PLAN, RunStore

MAX_SHARDS = 1000   # below Airflow's core.max_map_length (1024)


def plan(settings: Settings | None = None, run_id: str | None = None,
         params: dict | None = None) -> list[list[str]]:
    """Source ids in shards of `ETL_SHARD_SIZE` (more per shard if that would exceed
    MAX_SHARDS): one mapped task group per shard keeps the task count sane at 100k
    sources while shards still spread over Celery workers. With a run id, the run's
    staging folder starts empty (a cleared, re-run DAG run never reads stale files) and the
    plan is recorded so the alert can tell which sources never finished. `params` are the
    DAG run's (report_year, sources, full_recheck): a `sources` subset plans only those,
    and all of them are recorded for the crawl (`run_params`)."""
    settings = settings or load_settings()
    sources, problems = read_registry(settings.sources_file, settings.portal_url, settings.state_dir)
    ids = ids_all = [s.id for s in sources]
    params = dict(params or {})
    wanted = list(params.get("sources") or [])
    unknown = [w for w in wanted if w not in ids]
    if wanted:
        ids = [i for i in ids if i in set(wanted)]
    size = max(settings.shard_size, -(-len(ids) // MAX_SHARDS))
    if run_id:
        store = RunStore(settings, run_id)
        store.reset()
        store.put(PLAN, ids, indent=None)
        store.put(PARAMS, params, indent=None)
        # a bad registry entry is that source's failure (by id and field); the others run
        store.write(ERRORS, "_registry",
                    [ErrorRow(p.source_id, "", "registry", str(p)) for p in problems] +
                    [ErrorRow(w, "", "registry", unknown_source(w, ids_all)) for w in unknown])
    return [ids[i:i + size] for i in range(0, len(ids), size)]


def unknown_source(wanted: str, ids: list[str]) -> str:
    """The error for a `sources` param entry the registry lacks, with the closest ids."""
    import difflib
    close = difflib.get_close_matches(wanted, ids, n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    return f"the run's sources param asks for {wanted!r}, which is not in the registry{hint}"


def run_params(settings: Settings, run_id: str) -> dict:
    """The DAG run's params as `plan` recorded them ({} for `python -m etl run`)."""
    return RunStore(settings, run_id).get(PARAMS) or {}


def as_ids(source_ids: str | list[str]) -> list[str]:
    """A mapped task's sources: one id or a shard's list."""
    return [source_ids] if isinstance(source_ids, str) else list(source_ids)
