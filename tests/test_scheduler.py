"""A scheduled night for real: `python -m etl.airflow_env standalone` (what `make airflow
ARGS="standalone"` runs: scheduler, dag-processor, triggerer and API server as separate
processes, LocalExecutor on SQLite) against the demo portal on loopback. The DAG is
triggered from the CLI and the run must reach a final state on its own: the writer pool
exists (prepare_metadata), the components find `airflow` on PATH although the test's PATH
lacks the venv, and the API server listens on loopback only."""
from __future__ import annotations

import dataclasses
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil

from etl.airflow_env import POOL, airflow_env
from etl.settings import ROOT

RUN_ID = "manual__scheduler_test"
WAIT_S = 600          # a bound for a hung night, not a speed assertion


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sql(db: Path, query: str, *args) -> list[tuple]:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute(query, args).fetchall()
    except sqlite3.Error:            # not created yet, or locked for a moment
        return []


def _tail(p: Path, n: int = 4000) -> str:
    return p.read_text(errors="replace")[-n:] if p.exists() else ""


def _wait(what: str, check, proc: subprocess.Popen, log: Path, timeout: float = WAIT_S):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"standalone exited ({proc.returncode}) before {what}\n{_tail(log)}"
        if got := check():
            return got
        time.sleep(2)
    raise AssertionError(f"{what}: not within {timeout}s\n{_tail(log)}")


def test_standalone_scheduler_runs_a_triggered_night(portal, tmp_path):
    home, data = tmp_path / "airflow", tmp_path / "data"
    api_port = _free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "ETL_"))}
    base["PATH"] = "/usr/local/bin:/usr/bin:/bin"       # no venv: the wrapper must add it
    env = airflow_env({
        "ETL_PORTAL_URL": portal.base_url, "ETL_DATA_DIR": str(data),
        "ETL_WAREHOUSE": str(data / "wh.duckdb"), "ETL_POLITENESS": "0",
        "ETL_HTTP_TIMEOUT": "2", "ETL_HTTP_RETRIES": "1", "ETL_RETRY_DELAY_S": "2",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port()),
        "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(_free_port()),
        # only the run triggered here (unpaused, the cron would also start last night's)
        "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
        "PYTHONPATH": str(ROOT),
    }, home=home, base=base)
    env["PATH"] = base["PATH"]           # undo airflow_env's fix: the wrapper's own must do it
    log = tmp_path / "standalone.log"
    db = home / "airflow.db"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "etl.airflow_env", "standalone"], env=env, cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait("the DAG parsed", lambda: _sql(db, "SELECT 1 FROM serialized_dag WHERE dag_id = 'nightly_reports'"),
              proc, log)
        assert _sql(db, "SELECT slots FROM slot_pool WHERE pool = ?", POOL) == [(1,)]
        trig = subprocess.run([sys.executable, "-m", "etl.airflow_env", "dags", "trigger", "nightly_reports",
                               "--run-id", RUN_ID], env=env, cwd=ROOT, capture_output=True, text=True)
        assert trig.returncode == 0, trig.stdout[-2000:] + trig.stderr[-2000:]
        state = _wait(f"run {RUN_ID} finished", lambda: [s for (s,) in _sql(
            db, "SELECT state FROM dag_run WHERE run_id = ?", RUN_ID) if s in ("success", "failed")], proc, log)[0]
        tasks = dict(_sql(db, "SELECT task_id, state FROM task_instance WHERE run_id = ? AND map_index < 1", RUN_ID))
        assert tasks["load"] == "success", (tasks, _tail(log))      # the writer pool let it run
        assert tasks["finish"] == ("success" if state == "success" else "failed")
        from etl.runstore import VERDICT, latest
        from etl.settings import load_settings
        verdict = latest(dataclasses.replace(load_settings(), data_dir=data), VERDICT)
        assert verdict["state"] == state and verdict["run_id"] == RUN_ID
        listening = {c.laddr.ip for c in psutil.net_connections("tcp")
                     if c.status == psutil.CONN_LISTEN and c.laddr.port == api_port}
        assert listening == {"127.0.0.1"}
    finally:
        os.killpg(proc.pid, signal.SIGTERM)      # standalone leaves children on SIGTERM: the group
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


def test_the_wrappers_environment():
    """Venv first on PATH (once), loopback API, tasks told the API server's real port."""
    from etl.airflow_env import execution_api_settings, venv_bin, with_venv_path
    env = with_venv_path({"PATH": f"/usr/bin:{venv_bin()}:/bin"})
    assert env["PATH"].split(":") == [str(venv_bin()), "/usr/bin", "/bin"]
    base = airflow_env(home=Path("/tmp/x"), base={"PATH": "/bin"})
    assert base["AIRFLOW__API__HOST"] == "127.0.0.1" and base["PATH"].startswith(str(venv_bin()))
    assert base["AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION"] == "False"
    got = execution_api_settings({"AIRFLOW__API__PORT": "8080"}, ["api-server", "--port", "9091"])
    assert got["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:9091/execution/"
    assert execution_api_settings({}, ["dags", "list"])["AIRFLOW__API__PORT"] == "8080"
