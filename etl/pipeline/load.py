"""The load task: the run's staged rows and counts into one DuckDB transaction."""
from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from ..settings import Settings, load_settings
from ..discovery import load_registry
from .staging import count_records, loaded_path, read_json, read_stage, write_json


def run_counts(settings: Settings, run_id: str, errors: pd.DataFrame) -> dict:
    st = settings.staging(run_id)
    fetched = read_stage(settings, run_id, "fetched")
    skipped = read_stage(settings, run_id, "skipped")
    summary = read_json(st / "validation.json", {})
    return {
        "documents_found": count_records(settings, run_id, "discovered"),
        "documents_fetched": int((fetched.get("status", pd.Series(dtype=str)) != "error").sum()) if len(fetched) else 0,
        "documents_unchanged": int(skipped["n"].sum()) if len(skipped) else 0,
        "documents_parsed": count_records(settings, run_id, "documents"),
        "documents_failed": int(errors["url"].nunique()) if len(errors) else 0,
        "facts_extracted": summary.get("n_rows", 0),
        "facts_validated": summary.get("n_passed", 0),
        "facts_quarantined": summary.get("n_quarantined", 0),
    }


def _facts_for_load(df: pd.DataFrame) -> pd.DataFrame:
    return df.rename(columns={"start": "start_pos", "end": "end_pos", "part_of": "part_of_seq"})


def load_task(run_id: str, settings: Settings | None = None) -> dict:
    from ..load import Batch, load_batch
    settings = settings or load_settings()
    st = settings.staging(run_id)
    sources = pd.DataFrame([asdict(s) for s in load_registry(settings.sources_file, settings.portal_url)])
    sources = sources.rename(columns={"id": "source_id"})
    errors = read_stage(settings, run_id, "errors")
    counts = run_counts(settings, run_id, errors)
    facts = _facts_for_load(pd.read_parquet(st / "facts_valid.parquet"))
    counts["facts_loaded"] = len(facts)
    batch = Batch(run_id=run_id, sources=sources, documents=read_stage(settings, run_id, "documents"),
                  facts=facts, quarantine=pd.read_parquet(st / "facts_quarantined.parquet"),
                  errors=errors, counts=counts)
    from ..disclosure.stage import disclosure_counts, staged_batch
    batch.disclosure = staged_batch(st)       # type: ignore[attr-defined]  (etl/disclosure)
    counts.update(disclosure_counts(batch.disclosure))
    loaded = load_batch(settings.warehouse, settings.sql_dir, batch)
    # Only after the commit: tomorrow's run skips what is now safely in the warehouse.
    write_json(loaded_path(settings), loaded)
    write_json(st / "counts.json", counts, indent=1)
    return counts
