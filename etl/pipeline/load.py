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
from .staging import count_records, read_json, read_stage, write_json


def run_counts(settings: Settings, run_id: str, errors: pd.DataFrame, summary: dict) -> dict:
    """The run's counts (raw.runs.counts); `summary` is the validate task's validation.json."""
    from ..notify.problems import lost_documents
    fetched = read_stage(settings, run_id, "fetched")
    skipped = read_stage(settings, run_id, "skipped")
    return {
        "documents_found": count_records(settings, run_id, "discovered"),
        "documents_fetched": int((fetched.get("status", pd.Series(dtype=str)) != "error").sum()) if len(fetched) else 0,
        "documents_unchanged": int(skipped["n"].sum()) if len(skipped) else 0,
        "documents_parsed": count_records(settings, run_id, "documents"),
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
    st = settings.staging(run_id)
    sources = pd.DataFrame([asdict(s) for s in load_registry(settings.sources_file, settings.portal_url, settings.state_dir)])
    sources = sources.rename(columns={"id": "source_id"})
    errors = read_stage(settings, run_id, "errors")
    summary = read_json(st / "validation.json", {})
    counts = run_counts(settings, run_id, errors, summary)
    facts = _facts_for_load(pd.read_parquet(st / "facts_valid.parquet"))
    counts["facts_loaded"] = len(facts)
    batch = Batch(run_id=run_id, sources=sources, documents=read_stage(settings, run_id, "documents"),
                  facts=facts, quarantine=_parquet(st / "dq_quarantine.parquet"),
                  errors=errors, counts=counts, results=_parquet(st / "dq_results.parquet"),
                  warnings=_parquet(st / "dq_warnings.parquet"),
                  suite_version=summary.get("suite_version", ""),
                  discovery=read_stage(settings, run_id, "discovery"))
    from ..disclosure.stage import disclosure_counts, staged_batch
    batch.disclosure = staged_batch(st)       # etl/disclosure
    counts.update(disclosure_counts(batch.disclosure))
    (st / "load_error.json").unlink(missing_ok=True)
    (st / "build_error.json").unlink(missing_ok=True)
    try:
        load_batch(settings.warehouse, settings.sql_dir, batch)
    except Exception as e:
        write_json(st / "load_error.json", {"error": f"{type(e).__name__}: {e}"})
        raise
    write_json(st / "counts.json", counts, indent=1)
    build_and_publish(settings, run_id)
    return counts


class BuildFailed(RuntimeError):
    """dbt build (a model or a schema test) failed: the snapshot stays the last good one."""


def build_and_publish(settings: Settings, run_id: str) -> dict:
    """dbt build on the committed raw rows; the snapshot only when it passed."""
    from ..warehouse.build import build_models
    from ..warehouse.snapshot import publish_snapshot
    st = settings.staging(run_id)
    try:
        built = build_models(settings, run_id)
    except Exception as e:                    # dbt could not even start (lock, profile...)
        write_json(st / "build_error.json", {"error": f"{type(e).__name__}: {e}", "failed": []})
        raise
    write_json(st / "build.json", built.as_json(), indent=1)
    if not built.ok:
        write_json(st / "build_error.json", {"error": built.reason(), "failed": built.failed})
        raise BuildFailed(built.reason())
    publish_snapshot(settings.warehouse)
    return built.as_json()


def _parquet(path) -> pd.DataFrame:
    return pd.read_parquet(path) if path.exists() else pd.DataFrame()
