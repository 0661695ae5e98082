"""The run's verdict, decided by one final task from what happened (it runs whatever
failed before it): red when anything was lost or not checked, so the DAG run shows failed
and nobody reads a green night that loaded nothing. The verdict itself is
etl.notify.verdict's (the same the alert, the demo and the report show); the reasons go to
the task log the Airflow UI shows, also under `airflow dags test`."""
from __future__ import annotations

import logging

from ..runstore import ALERT, VERDICT, RunStore, latest
from ..settings import Settings, load_settings
from .tasklog import task_log

log = logging.getLogger(__name__)


class RunFailed(RuntimeError):
    """Something was lost or not checked tonight; the reasons say what."""


def verdict(settings: Settings, run_id: str) -> dict:
    """{run_id, state, verdict, reasons, kinds}: the problems plus the alert's delivery."""
    from ..notify.verdict import run_verdict
    alert = RunStore(settings, run_id).get(ALERT)
    return run_verdict(settings, run_id, alert=alert).as_json()


def read_verdict(settings: Settings, run_id: str) -> dict | None:
    """The verdict the finish task recorded for a run (None before it ran)."""
    return RunStore(settings, run_id).get(VERDICT) if run_id else None


def latest_verdict(settings: Settings) -> dict | None:
    """The most recently recorded verdict of any run (what `make demo` just ran)."""
    return latest(settings, VERDICT)


def finish_task(run_id: str, settings: Settings | None = None) -> dict:
    settings = settings or load_settings()
    v = verdict(settings, run_id)
    RunStore(settings, run_id).put(VERDICT, v)
    level = logging.ERROR if v["state"] == "failed" else logging.WARNING if v["reasons"] else logging.INFO
    task_log(log, level, [f"run {run_id}: {v['verdict']}"] + [f"  - {r}" for r in v["reasons"]])
    if v["state"] == "failed":
        raise RunFailed(f"run {run_id} is red: " + " | ".join(r for r, k in zip(v["reasons"], v["kinds"])
                                                                  if _red(k)))
    return v


def _red(kind: str) -> bool:
    from ..notify.verdict import RED, level_of
    return level_of(kind) == RED
