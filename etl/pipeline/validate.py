"""The whole run through the data-quality suites (documents, facts, year-on-year): facts to
load, quarantine and warnings side by side in staging, GX Data Docs per run. A suite that
cannot run fails the task (and says why in staging): a batch is never loaded unvalidated."""
from __future__ import annotations

import logging

import pandas as pd

from ..settings import Settings, load_settings
from .staging import docs_dir, read_stage, write_json, write_parquet

log = logging.getLogger(__name__)


def _rule_of_law(docs: pd.DataFrame) -> pd.DataFrame:
    """Disclosure reports have their own suite (etl/disclosure) and no prose facts."""
    if len(docs) and "report_kind" in docs:
        return docs[~docs["report_kind"].fillna("").isin(["disclosure", "decoy"])]   # decoy: read, not a report
    return docs


def validate_task(run_id: str, settings: Settings | None = None) -> dict:
    from ..validate import validate_run
    from ..validate.anomalies import history
    settings = settings or load_settings()
    from ..load import LoadLockTimeout
    out = settings.staging(run_id)
    history_note = ""
    try:
        facts = read_stage(settings, run_id, "facts")
        docs = _rule_of_law(read_stage(settings, run_id, "documents"))
        try:
            past = history(settings.warehouse, list(docs["doc_id"]) if len(docs) else [])
        except LoadLockTimeout as e:           # no year-on-year context tonight, said in the summary
            log.warning("no history for the year-on-year check: %s", e)
            past, history_note = None, f"year-on-year check without history: {e}"
        outcome = validate_run(facts, docs, settings.suite_file, past, docs_dir(settings, run_id), run_id)
    except Exception as e:
        write_json(out / "validation_error.json", {"error": f"{type(e).__name__}: {e}"})
        raise
    write_parquet(out / "facts_valid.parquet", outcome.passed)
    write_parquet(out / "facts_quarantined.parquet", outcome.quarantined)
    write_parquet(out / "dq_quarantine.parquet", outcome.quarantine_rows)
    write_parquet(out / "dq_warnings.parquet", outcome.warning_rows)
    write_parquet(out / "dq_results.parquet", outcome.results)
    write_json(out / "validation.json", outcome.summary | {"history": history_note or "ok"}, indent=1)
    from ..disclosure.stage import validate_stage      # disclosure reports: their own suite
    disclosure = validate_stage(settings, run_id)
    return {k: outcome.summary.get(k) for k in ("n_rows", "n_passed", "n_quarantined", "success")} | {
        "disclosure_reports": disclosure["n_reports"],
        "disclosure_quarantined": disclosure["n_quarantined_reports"]}
