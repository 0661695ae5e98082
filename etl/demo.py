"""`make demo`: demo portal -> `airflow dags test` -> DuckDB -> comparison printed.

Airflow runs as a real subprocess with SQLite metadata under `.airflow/` and its logs in
`data/logs/`; the portal runs in this process on a free loopback port.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from .airflow_env import airflow_env, migrate_if_needed   # the one Airflow environment
from .settings import ROOT, load_settings


def _airflow(args: list[str], env: dict[str, str], log) -> None:
    exe = str(Path(sys.executable).with_name("airflow"))
    proc = subprocess.run([exe, *args], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    if proc.returncode:
        raise SystemExit(f"airflow {' '.join(args)} failed (exit {proc.returncode}); see {log.name}")


def main(date: str | None = None) -> int:
    from demo_portal.generator import build_site
    from demo_portal.server import Portal
    from .report import print_report
    settings = load_settings()
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_path = logs / f"airflow-{time.strftime('%Y%m%dT%H%M%S')}.log"
    t0 = time.monotonic()
    print("[1/4] building the demo portal ...", flush=True)
    root = build_site(settings.data_dir / "portal")
    with Portal(root) as portal, log_path.open("w") as log:
        print(f"      serving {portal.base_url}", flush=True)
        env = airflow_env({"ETL_PORTAL_URL": portal.base_url,
                           "ETL_HTTP_TIMEOUT": os.environ.get("ETL_HTTP_TIMEOUT", "3"),
                           "ETL_HTTP_RETRIES": os.environ.get("ETL_HTTP_RETRIES", "2"),
                           "ETL_RETRY_DELAY_S": os.environ.get("ETL_RETRY_DELAY_S", "2"),
                           "ETL_POLITENESS": os.environ.get("ETL_POLITENESS", "0"),
                           "ETL_SHARD_SIZE": os.environ.get("ETL_SHARD_SIZE", "3")})
        shown = log_path.relative_to(ROOT) if log_path.is_relative_to(ROOT) else log_path
        # a current schema skips `db migrate` (one Airflow start-up saved)
        ran = migrate_if_needed(env, log)
        print(f"[2/4] airflow db migrate: {'done' if ran else 'schema current, skipped'} (log: {shown})", flush=True)
        date = date or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        print(f"[3/4] airflow dags test nightly_reports {date} ...", flush=True)
        _airflow(["dags", "test", "nightly_reports", date], env, log)
    print(f"[4/4] done in {time.monotonic() - t0:.1f}s; warehouse {settings.warehouse}", flush=True)
    rc = print_report(settings)
    from .disclosure.summary import disclosure_line      # one line of marts.disclosure_comparison
    print("\n" + disclosure_line(settings.warehouse))
    from .report import demo_epilogue                  # where the snapshot and the HTML report are
    print(demo_epilogue(settings))
    print(alert_line(settings))
    return rc


def alert_line(settings) -> str:
    """Where the run's message went (the file sink is on by default) and what it says."""
    from .pipeline.alert import alert_file_dir
    import json
    runs = []
    for f in alert_file_dir(settings).glob("*.json"):
        msg = json.loads(f.read_text(encoding="utf-8"))
        if not any(p.get("kind") == "task_failed" for p in msg.get("problems", [])):   # the run's own
            runs.append((f.stat().st_mtime, f, msg))
    if not runs:
        return "alert: none written (see the Airflow log)"
    _, latest, msg = max(runs, key=lambda r: r[0])
    return f"alert ({msg.get('status', '?')}): {latest.with_suffix('.md')}\n  {msg.get('subject', '')}"
