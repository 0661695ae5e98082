"""The alert task: the run's one message (every problem with what to do) to every channel
configured, the file sink always. Delivery failures are retried, recorded for the verdict
and fail the task."""
from __future__ import annotations

import logging

from ..settings import Settings, load_settings
from .staging import read_json, write_json

log = logging.getLogger(__name__)


class AlertUndelivered(RuntimeError):
    """A configured channel did not take the message after its retries."""


def alert_file_dir(settings: Settings):
    return settings.data_dir / "alerts"


def alert_task(run_id: str, settings: Settings | None = None) -> dict:
    from ..notify import build_message, deliver, run_problems
    from ..notify.config import load_channels
    settings = settings or load_settings()
    st = settings.staging(run_id)
    problems = run_problems(settings, run_id)
    summary = read_json(st / "validation.json", {}) or {}
    msg = build_message(run_id, problems, read_json(st / "counts.json", {}) or {}, summary.get("data_docs", ""))
    channels = load_channels(alert_file_dir(settings))
    # chat and mail only when a person has something to do; the file sink records every run
    only = None if problems else ["file"]
    sent = deliver(msg, channels, only)
    outcome = {"subject": msg.subject, "red": msg.red, "problems": [p.kind for p in problems],
               "delivered": sent.delivered, "failed": sent.failed, "file": sent.file}
    write_json(st / "alert.json", outcome, indent=1)
    if sent.file:
        log.warning("run %s alert: %s", run_id, sent.file)
    if sent.failed:
        raise AlertUndelivered("alert not delivered via " + "; ".join(f"{k}: {v}" for k, v in sent.failed.items()))
    return outcome
