"""The load task: the run's staged rows, data-quality rows and counts into one DuckDB
transaction, then `dbt build` (the models and their tests, etl/warehouse/build.py), then the
read-only snapshot, published only when the build passed. The warehouse is the state:
nothing is written beside it. A load that fails (the file held by someone else past
ETL_LOAD_LOCK_TIMEOUT, a bad row) leaves its cause in staging (load_error.json) for the
run's verdict and alert, then fails the task; a failed build leaves the failing dbt nodes
in build_error.json (the night is red, analysts keep the last good snapshot) and fails it too."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from ..settings import Settings, load_settings
from ..discovery import load_registry
from ..runstore import (COUNTS, DISCOVERED, DISCOVERY, DOCUMENTS, DQ_QUARANTINE, DQ_RESULTS, DQ_WARNINGS, ERRORS,
                        FACTS_VALID, FETCHED, LOAD_ERROR, VALIDATION, BUILD, BUILD_ERROR, RunStore)


def run_counts(settings: Settings, run_id: str, errors: pd.DataFrame, summary: dict) -> dict:
    """The run's counts (raw.runs.counts); `summary` is the validate task's validation.json."""
    from ..notify.problems import lost_documents
    run = RunStore(settings, run_id)
    fetched = run.values(FETCHED, "status")
    return {
        "documents_found": run.count(DISCOVERED),
        "documents_fetched": sum(1 for s in fetched if s != "error"),
        "documents_unchanged": sum(run.finished().values()),
        "documents_parsed": run.count(DOCUMENTS),
        "documents_failed": len(lost_documents(errors)),      # the rows the alert lists, one per URL
        "facts_extracted": summary.get("n_rows", 0),
        "facts_validated": summary.get("n_passed", 0),
        "facts_quarantined": summary.get("n_quarantined", 0),
        "facts_warned": summary.get("n_warned", 0),
        "documents_quarantined": len(summary.get("documents_quarantined") or []),
    }


def _facts_for_load(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"start": "start_pos", "end": "end_pos", "part_of": "part_of_seq"})


def load_task(run_id: str, settings: Settings | None = None) -> dict:
    from ..load import Batch, load_batch
    settings = settings or load_settings()
    run = RunStore(settings, run_id)
    sources = pd.DataFrame([asdict(s) for s in load_registry(settings.sources_file, settings.portal_url, settings.state_dir)])
    sources = sources.rename(columns={"id": "source_id"})
    errors = run.frame(ERRORS)
    summary = run.get(VALIDATION) or {}
    counts = run_counts(settings, run_id, errors, summary)
    facts = _facts_for_load(run.frame_of(FACTS_VALID, required=True))   # never loaded unvalidated
    counts["facts_loaded"] = len(facts)
    batch = Batch(run_id=run_id, sources=sources, documents=run.frame(DOCUMENTS),
                  facts=facts, quarantine=run.frame_of(DQ_QUARANTINE),
                  errors=errors, counts=counts, results=run.frame_of(DQ_RESULTS),
                  warnings=run.frame_of(DQ_WARNINGS),
                  suite_version=summary.get("suite_version", ""),
                  discovery=run.frame(DISCOVERY))
    from ..disclosure.stage import disclosure_counts, staged_batch
    batch.disclosure = staged_batch(run)       # etl/disclosure
    counts.update(disclosure_counts(batch.disclosure))
    run.clear(LOAD_ERROR)
    run.clear(BUILD_ERROR)
    try:
        load_batch(settings.warehouse, settings.sql_dir, batch)
    except Exception as e:
        run.put(LOAD_ERROR, {"error": f"{type(e).__name__}: {e}"})
        raise
    run.put(COUNTS, counts)
    build_and_publish(settings, run_id)
    return counts


class BuildFailed(RuntimeError):
    """dbt build (a model or a schema test) failed: the snapshot stays the last good one."""


def build_and_publish(settings: Settings, run_id: str) -> dict:
    """dbt build on the committed raw rows; the snapshot only when it passed."""
    from ..warehouse.build import build_models
    from ..warehouse.snapshot import publish_snapshot
    run = RunStore(settings, run_id)
    try:
        built = build_models(settings, run_id)
    except Exception as e:                    # dbt could not even start (lock, profile...)
        run.put(BUILD_ERROR, {"error": f"{type(e).__name__}: {e}", "failed": []})
        raise
    run.put(BUILD, built.as_json())
    if not built.ok:
        run.put(BUILD_ERROR, {"error": built.reason(), "failed": built.failed})
        raise BuildFailed(built.reason())
    publish_snapshot(settings.warehouse)
    return built.as_json()
