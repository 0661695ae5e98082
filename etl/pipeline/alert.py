"""The alert task: the run's one message (every problem with what to do) to every channel
configured, the file sink always, and the run's own offline page (data/runs/<run>.html) that
the message links. Delivery failures are retried, recorded for the verdict and fail the task."""
from __future__ import annotations

import logging

from ..runstore import ALERT, COUNTS, DQ_RESULTS, RunStore
from ..settings import Settings, load_settings, report_html_path
from .tasklog import task_log

log = logging.getLogger(__name__)


class AlertUndelivered(RuntimeError):
    """A configured channel did not take the message after its retries."""


def alert_file_dir(settings: Settings):
    return settings.data_dir / "alerts"


def alert_task(run_id: str, settings: Settings | None = None) -> dict:
    from ..notify import build_message, deliver, run_problems
    from ..notify.config import load_channels
    from ..notify.page import write_page
    from ..notify.verdict import verdict_of
    settings = settings or load_settings()
    run = RunStore(settings, run_id)
    problems = run_problems(settings, run_id)
    counts = run.get(COUNTS) or {}
    page = write_page(settings.data_dir, run_id, verdict_of(run_id, problems).level, problems, counts,
                      run.frame_of(DQ_RESULTS))
    report = report_html_path()
    links = {"Run page (offline; every problem and expectation)": str(page),
             "Comparison report (offline)": str(report) if report else ""}
    msg = build_message(run_id, problems, counts, links)
    channels = load_channels(settings, alert_file_dir(settings))
    # chat and mail only when a person has something to do; the file sink records every run
    only = None if problems else ["file"]
    sent = deliver(msg, channels, only)
    outcome = {"subject": msg.subject, "red": msg.red, "verdict": msg.verdict, "problems": [p.kind for p in problems],
               "delivered": sent.delivered, "failed": sent.failed, "file": sent.file, "page": str(page)}
    run.put(ALERT, outcome)
    task_log(log, logging.WARNING if problems else logging.INFO,
             [f"run {run_id} alert: {msg.subject}", f"run page: {page}"] + ([f"file: {sent.file}"] if sent.file else []))
    if sent.failed:
        raise AlertUndelivered("alert not delivered via " + "; ".join(f"{k}: {v}" for k, v in sent.failed.items()))
    return outcome
