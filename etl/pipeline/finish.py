"""The run's verdict, decided by one final task from what happened (it runs whatever
failed before it): red when anything was lost or not checked, so the DAG run shows failed
and nobody reads a green night that loaded nothing."""
from __future__ import annotations

from ..settings import Settings, load_settings
from .staging import read_json, write_json


class RunFailed(RuntimeError):
    """Something was lost or not checked tonight; the reasons say what."""


def verdict(settings: Settings, run_id: str) -> dict:
    from ..notify import run_problems
    st = settings.staging(run_id)
    red = [f"{p.title}" + (f": {p.lines[0]}" if p.lines else "") for p in run_problems(settings, run_id) if p.red]
    alert = read_json(st / "alert.json")
    if alert is None:
        red.append("the alert did not run: nobody was told about this run")
    elif alert.get("failed"):
        red.append("alert not delivered via " + ", ".join(sorted(alert["failed"])))
    return {"run_id": run_id, "state": "failed" if red else "success", "reasons": red}


def finish_task(run_id: str, settings: Settings | None = None) -> dict:
    settings = settings or load_settings()
    v = verdict(settings, run_id)
    write_json(settings.staging(run_id) / "verdict.json", v, indent=1)
    if v["reasons"]:
        raise RunFailed(f"run {run_id} failed: " + " | ".join(v["reasons"]))
    return v
