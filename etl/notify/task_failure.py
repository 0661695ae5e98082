"""Airflow's on_failure_callback: one short message per task that failed for good, to the
same channels as the run's message (the file sink as <run_id>.<task>.md)."""
from __future__ import annotations

from dataclasses import replace

from .config import load_channels, redact
from .deliver import deliver
from .message import Message
from .problems import Problem


def failure_message(dag_id: str, task_id: str, run_id: str, error: str, try_number: int | None,
                    log_url: str = "") -> Message:
    p = Problem("task_failed", True, f"task {task_id} failed" + (f" (try {try_number})" if try_number else ""),
                "Open the task log; fix the cause and clear the task. The run's own message lists the rest.",
                [error] + ([f"log: {log_url}"] if log_url else []))
    subject = f"[fzzf-etl] {dag_id} run {run_id}: task {task_id} failed"
    text = f"{subject}\n\nWhat to do: {p.action}\n  - " + "\n  - ".join(p.lines) + "\n"
    md = f"**{subject}**\n\n*What to do:* {p.action}\n- " + "\n- ".join(p.lines) + "\n"
    return Message(f"{run_id}.{task_id}", subject, text, md, True, [p], verdict="red")


def notify_task_failure(context: dict) -> list[str]:
    from ..settings import load_settings
    ti = context.get("task_instance") or context.get("ti")
    run_id = str(context.get("run_id") or getattr(ti, "run_id", ""))
    task_id = str(getattr(ti, "task_id", "") or "")
    dag = context.get("dag")
    exc = context.get("exception")
    ch = load_channels(load_settings())
    error = redact(f"{type(exc).__name__}: {exc}" if exc else "failed", ch)
    msg = failure_message(getattr(dag, "dag_id", "nightly_reports"), task_id, run_id, error,
                          getattr(ti, "try_number", None), str(getattr(ti, "log_url", "") or ""))
    sent = deliver(replace(msg), ch, pause_s=0.2)
    return sent.delivered
