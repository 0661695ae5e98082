"""The whole run's facts through the GX suite: passed and quarantined, side by side."""
from __future__ import annotations

from ..settings import Settings, load_settings
from .staging import read_stage, write_json, write_parquet


def validate_task(run_id: str, settings: Settings | None = None) -> dict:
    from ..validate import validate_facts
    settings = settings or load_settings()
    facts = read_stage(settings, run_id, "facts")
    outcome = validate_facts(facts, settings.suite_file)
    out = settings.staging(run_id)
    write_parquet(out / "facts_valid.parquet", outcome.passed)
    write_parquet(out / "facts_quarantined.parquet", outcome.quarantined)
    write_json(out / "validation.json", outcome.summary, indent=1)
    from ..disclosure.stage import validate_stage      # disclosure reports: their own suite
    disclosure = validate_stage(settings, run_id)
    return {k: outcome.summary.get(k) for k in ("n_rows", "n_passed", "n_quarantined", "success")} | {
        "disclosure_reports": disclosure["n_reports"],
        "disclosure_quarantined": disclosure["n_quarantined_reports"]}
