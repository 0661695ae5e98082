"""The alert task: one message per run when something needs a person."""
from __future__ import annotations

import pandas as pd

from ..settings import Settings, load_settings
from .plan import IncompleteRun, missing_sources
from .staging import read_json, read_stage


def alert_task(run_id: str, settings: Settings | None = None) -> list[str]:
    """One alert per run when something needs a person: the run stopped early, sources
    never finished, data quality failed, or documents could not be read. Raises
    IncompleteRun after alerting when sources are missing, so the run shows as failed."""
    from ..alerts import format_quality_alert, send_alert
    settings = settings or load_settings()
    st = settings.staging(run_id)
    missing = missing_sources(settings, run_id)
    if not (st / "validation.json").exists():
        sent = send_alert(f"[fzzf-etl] run {run_id} stopped before data quality checks",
                          "No validation result was written; see the Airflow task logs.")
        raise IncompleteRun(f"run {run_id} stopped before validation (alert sent via {sent or 'nothing'})")
    summary = read_json(st / "validation.json", {})
    quarantined = pd.read_parquet(st / "facts_quarantined.parquet")
    errors = read_stage(settings, run_id, "errors")
    load_failed = not (st / "counts.json").exists()
    from ..disclosure.stage import alert_lines
    held = alert_lines(st)                    # disclosure reports failing a consistency rule
    if summary.get("success", True) and not len(quarantined) and not len(errors) \
            and not load_failed and not missing and not held:
        return []
    subject, body = format_quality_alert(summary, quarantined, run_id)
    if held:
        body += ("\n\n政府信息公开年报 quarantined (a consistency rule failed; nothing of them loaded):\n"
                 + "\n".join(held))
    if len(errors):
        subject = (f"[fzzf-etl] run {run_id}: {errors['url'].nunique()} documents could not be read, "
                   f"{len(quarantined)} facts quarantined")
        body += "\n\nDocuments that could not be read:\n" + "\n".join(
            f"- [{e.stage}] {e.url}: {e.error}" for e in errors.itertuples())
    if missing:
        subject = f"[fzzf-etl] run {run_id}: {len(missing)} sources did not finish"
        body = ("These sources failed for good in discover/fetch/process (see their Airflow task "
                "logs); the others were loaded:\n" + "\n".join(f"- {m}" for m in missing) + "\n\n" + body)
    if load_failed:
        subject = f"[fzzf-etl] run {run_id}: LOAD FAILED, warehouse unchanged"
        body = "The load transaction did not commit; the warehouse is as it was.\n\n" + body
    sent = send_alert(subject, body)
    if missing:
        raise IncompleteRun(f"{len(missing)} sources did not finish: {', '.join(missing[:10])}")
    return sent
