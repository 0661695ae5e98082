"""The whole run through the data-quality suites (documents, facts, year-on-year): facts to
load, quarantine and warnings side by side in staging, GX Data Docs per run. A suite that
cannot run fails the task (and says why in staging): a batch is never loaded unvalidated."""
from __future__ import annotations

import logging

import pandas as pd

from ..runstore import (DOCUMENTS, DQ_QUARANTINE, DQ_RESULTS, DQ_WARNINGS, FACTS, FACTS_VALID, VALIDATION,
                        VALIDATION_ERROR, RunStore)
from ..settings import Settings, load_settings

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
    run = RunStore(settings, run_id)
    history_note = ""
    try:
        facts = run.frame(FACTS)
        docs = _rule_of_law(run.frame(DOCUMENTS))
        try:
            past = history(settings.warehouse, list(docs["doc_id"]) if len(docs) else [])
        except LoadLockTimeout as e:           # no year-on-year context tonight, said in the summary
            log.warning("no history for the year-on-year check: %s", e)
            past, history_note = None, f"year-on-year check without history: {e}"
        outcome = validate_run(facts, docs, settings.suite_file, past, run.docs_dir, run_id)
    except Exception as e:
        run.put(VALIDATION_ERROR, {"error": f"{type(e).__name__}: {e}"})
        raise
    run.put_frame(FACTS_VALID, outcome.passed)
    run.put_frame(DQ_QUARANTINE, outcome.quarantine_rows)     # the held facts, one row per failed expectation
    run.put_frame(DQ_WARNINGS, outcome.warning_rows)
    run.put_frame(DQ_RESULTS, outcome.results)
    run.put(VALIDATION, outcome.summary | {"history": history_note or "ok"})
    from ..disclosure.stage import validate_stage      # disclosure reports: their own suite
    disclosure = validate_stage(run)
    return {k: outcome.summary.get(k) for k in ("n_rows", "n_passed", "n_quarantined", "success")} | {
        "disclosure_reports": disclosure["n_reports"],
        "disclosure_quarantined": disclosure["n_quarantined_reports"]}
