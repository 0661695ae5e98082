"""`make demo`: demo portal -> `airflow dags test` -> DuckDB -> comparison printed.

Airflow runs as a real subprocess with SQLite metadata under `.airflow/` and its logs in
`data/logs/`; the portal runs in this process on a free loopback port.
"""
from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from .airflow_env import airflow_env, prepare_metadata   # the one Airflow environment
from .settings import ROOT, env_value, load_settings


def _airflow(args: list[str], env: dict[str, str], log, check: bool = True) -> int:
    exe = str(Path(sys.executable).with_name("airflow"))
    proc = subprocess.run([exe, *args], env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    if proc.returncode and check:
        raise SystemExit(f"airflow {' '.join(args)} failed (exit {proc.returncode}); see {log.name}")
    return proc.returncode


def demo_registry(settings) -> Path:
    """The demo's registry: the tests' (etl/sources.yaml) plus the bad-data sources of
    demo_portal/bad_data.py, so `make demo` shows a quarantine, a warning and a red run."""
    import yaml
    from demo_portal.bad_data import source_entries
    doc = yaml.safe_load(settings.sources_file.read_text(encoding="utf-8"))
    from demo_portal.authorship import source_entries as authorship_entries
    doc["sources"] = list(doc["sources"]) + source_entries() + authorship_entries()
    out = settings.data_dir / "demo-sources.yaml"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


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
                           "ETL_HTTP_TIMEOUT": env_value("ETL_HTTP_TIMEOUT", "3"),
                           "ETL_HTTP_RETRIES": env_value("ETL_HTTP_RETRIES", "2"),
                           "ETL_RETRY_DELAY_S": env_value("ETL_RETRY_DELAY_S", "2"),
                           "ETL_POLITENESS": env_value("ETL_POLITENESS", "0"),
                           "ETL_SHARD_SIZE": env_value("ETL_SHARD_SIZE", "3"),
                           "ETL_SOURCES": str(demo_registry(settings))})
        shown = log_path.relative_to(ROOT) if log_path.is_relative_to(ROOT) else log_path
        # a current schema skips `db migrate` (one Airflow start-up saved); the writer pool
        ran = prepare_metadata(env, log)
        print(f"[2/4] airflow db migrate: {'done' if ran else 'schema current, skipped'} (log: {shown})", flush=True)
        date = date or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        print(f"[3/4] airflow dags test nightly_reports {date} ...", flush=True)
        rc_run = _airflow(["dags", "test", "nightly_reports", date], env, log, check=False)
    from .pipeline.finish import latest_verdict       # the one verdict (etl/notify/verdict.py)
    v = latest_verdict(settings)
    state = v["verdict"].upper() if v else f"without a verdict (airflow exit {rc_run}; see {shown})"
    print(f"[4/4] done in {time.monotonic() - t0:.1f}s; run {state}; warehouse {settings.warehouse}", flush=True)
    for reason in (v or {}).get("reasons", []):
        print(f"      - {reason}", flush=True)
    rc = print_report(settings)
    from .disclosure.summary import disclosure_line      # one line of marts.disclosure_comparison
    print("\n" + disclosure_line(settings.warehouse))
    from .report import demo_epilogue                  # where the snapshot and the HTML report are
    print(demo_epilogue(settings))
    print(dq_lines(settings))
    print(alert_line(settings))
    return rc


def dq_lines(settings) -> str:
    """What the last load's data quality held back (quarantined) and let through with a
    warning: the same rows (one per fact, every expectation it failed) as its counts."""
    from .load import query
    from .notify.problems import human_numbers
    from .report import last_run
    run_id, _ = last_run(settings)
    q = query(settings.warehouse, "SELECT agency, any_value(quote) AS quote, string_agg(expectation, ', ') AS reason "
                                  "FROM dq.quarantine WHERE kind = 'fact' AND run_id = ? GROUP BY agency, row_id",
              [run_id])
    w = query(settings.warehouse, "SELECT agency, any_value(quote) AS quote, string_agg(reason, '; ') AS reason "
                                  "FROM dq.warnings WHERE run_id = ? GROUP BY agency, row_id", [run_id])
    lines = [f"data quality of the last load: {len(q)} facts quarantined, {len(w)} warned"]
    lines += [f"  quarantined  {r.agency}: {r.quote}  (failed: {r.reason})" for r in q.head(5).itertuples()]
    lines += [f"  warned       {r.agency}: {r.quote}  ({human_numbers(r.reason)})" for r in w.head(5).itertuples()]
    return "\n".join(lines)


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
    return f"alert ({msg.get('verdict') or msg.get('status', '?')}): {latest.with_suffix('.md')}\n  {msg.get('subject', '')}"
