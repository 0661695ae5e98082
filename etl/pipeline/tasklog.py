"""Lines a person must see in the task's log in the Airflow UI, also under `airflow dags
test` (what `make demo` runs): there tasks run in-process and Airflow writes no task log
file, so the UI showed an empty log for the demo's failed `finish`. The lines go through the
module's logger (the task log under a real executor) and, when no task log file exists for
this try, into that file in Airflow's JSON-lines format, where the API server reads it."""
from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path


def _log_file() -> Path | None:
    """This try's task log file as the API server looks for it, or None outside a task."""
    import sys
    if "airflow.sdk" not in sys.modules:   # not in a task (python -m etl run): never import Airflow
        return None
    try:
        import jinja2
        from airflow.configuration import conf
        from airflow.sdk import get_current_context
        ti = get_current_context()["ti"]
        rel = jinja2.Template(conf.get("logging", "log_filename_template")).render(ti=ti, try_number=ti.try_number)
        return Path(conf.get("logging", "base_log_folder")) / rel
    except Exception:                  # not in an Airflow task (python -m etl run), or no context
        return None


def task_log(logger: logging.Logger, level: int, lines: list[str]) -> None:
    for line in lines:
        logger.log(level, "%s", line)
    path = _log_file()
    if path is None or path.exists():  # a real executor's supervisor writes this file itself
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        now = datetime.now(timezone.utc).isoformat()
        with path.open("a", encoding="utf-8") as f:
            for line in lines:
                f.write(json.dumps({"timestamp": now, "level": logging.getLevelName(level).lower(),
                                    "event": line, "logger": logger.name}, ensure_ascii=False) + "\n")
    except OSError as e:
        logger.warning("could not write the task log %s: %s", path, e)
