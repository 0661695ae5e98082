"""Airflow under CeleryExecutor as separate processes on one machine, for the slow tier:
Redis + PostgreSQL (scripts/celery-stack.sh), `db migrate`, then api-server, scheduler,
dag-processor and N Celery workers, each its own process group, each its own log."""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg2

from etl.airflow_env import airflow_env, airflow_exe, celery_settings, prepare_metadata, read_env_file
from etl.settings import ROOT

STACK_SH = ROOT / "scripts" / "celery-stack.sh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class AirflowStack:
    etl_env: dict[str, str]                  # ETL_* settings every component shares
    workers: int = 2
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="celery-stack-")))
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    stack: dict[str, str] = field(default_factory=dict)

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> "AirflowStack":
        self.root.chmod(0o755)           # the postgres user must reach its data folder
        subprocess.run([str(STACK_SH), "start", str(self.root / "services")], check=True,
                       capture_output=True, text=True)
        self.stack = read_env_file(self.root / "services" / "stack.env")
        api_port = free_port()
        self.env = airflow_env({**celery_settings(self.stack, api_port, secrets.token_hex(16)),
                                **self.etl_env}, home=self.root / "home")
        self.env.pop("AIRFLOW__CORE__UNIT_TEST_MODE", None)
        # only the runs the test triggers: no cron run of the latest interval
        self.env["AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE"] = "False"
        self.api = f"http://127.0.0.1:{api_port}"
        prepare_metadata(self.env)            # db migrate + the writer pool (the one path)
        self.spawn("api-server", ["api-server", "--host", "127.0.0.1", "--port", str(api_port),
                                  "--workers", "1"])
        self.spawn("scheduler", ["scheduler"])
        self.spawn("dag-processor", ["dag-processor"])
        for i in range(1, self.workers + 1):
            self.spawn(f"worker-{i}", ["celery", "worker", "--concurrency", "1", "--skip-serve-logs",
                                       "--celery-hostname", f"worker-{i}@%h", "--without-gossip"],
                       {"ETL_WORKER_NAME": f"worker-{i}"})
        self.wait_for(self._api_healthy, 180, "api-server health")
        return self

    def stop(self) -> None:
        for name, p in reversed(list(self.procs.items())):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for name, p in self.procs.items():
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()
        subprocess.run([str(STACK_SH), "stop", str(self.root / "services")], capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)     # logs were shown on failure

    def __enter__(self) -> "AirflowStack":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ helpers
    def spawn(self, name: str, args: list[str], extra: dict[str, str] | None = None) -> None:
        log = (self.root / f"{name}.log").open("wb")
        self.procs[name] = subprocess.Popen([airflow_exe(), *args], env={**self.env, **(extra or {})},
                                            stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                            start_new_session=True)

    def run_cli(self, args: list[str], timeout: float = 300) -> str:
        p = subprocess.run([airflow_exe(), *args], env=self.env, capture_output=True, text=True,
                           cwd=ROOT, timeout=timeout)
        if p.returncode:
            raise RuntimeError(f"airflow {' '.join(args)} failed: {p.stdout[-2000:]}{p.stderr[-3000:]}")
        return p.stdout

    def logs(self, tail: int = 3000) -> str:
        out = []
        for f in sorted(self.root.glob("*.log")):
            out.append(f"--- {f.name}\n{f.read_text(errors='replace')[-tail:]}")
        return "\n".join(out)

    def sql(self, query: str, *args) -> list[tuple]:
        url = self.stack["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].replace("postgresql+psycopg2", "postgresql")
        with psycopg2.connect(url) as con, con.cursor() as cur:
            cur.execute(query, args)
            return cur.fetchall()

    def wait_for(self, check, timeout: float, what: str):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            dead = [n for n, p in self.procs.items() if p.poll() is not None]
            if dead:
                raise RuntimeError(f"{dead} exited while waiting for {what}\n{self.logs()}")
            try:
                result = check()
            except Exception:          # not up yet
                result = None
            if result:
                return result
            time.sleep(1)
        raise TimeoutError(f"{what} not reached in {timeout}s\n{self.logs()}")

    def _api_healthy(self) -> bool:
        r = httpx.get(f"{self.api}/api/v2/monitor/health", timeout=5)
        return r.status_code == 200 and r.json()["metadatabase"]["status"] == "healthy"

    # ------------------------------------------------------------------ DAG runs
    def wait_for_dag(self, dag_id: str, timeout: float = 300) -> None:
        self.wait_for(lambda: self.sql("SELECT 1 FROM serialized_dag WHERE dag_id=%s", dag_id),
                      timeout, f"{dag_id} parsed by the dag-processor")

    def trigger(self, dag_id: str, run_id: str, conf: str = "{}") -> None:
        self.run_cli(["dags", "trigger", dag_id, "--run-id", run_id, "--conf", conf])

    def wait_for_run(self, dag_id: str, run_id: str, timeout: float = 900) -> str:
        def done() -> str | None:
            rows = self.sql("SELECT state FROM dag_run WHERE dag_id=%s AND run_id=%s", dag_id, run_id)
            return rows[0][0] if rows and rows[0][0] in ("success", "failed") else None
        return self.wait_for(done, timeout, f"run {run_id} finished")

    def task_hosts(self, dag_id: str, run_id: str) -> dict[str, set[str]]:
        """hostname -> task ids that ran there (mapped instances folded)."""
        out: dict[str, set[str]] = {}
        for host, task_id in self.sql("SELECT hostname, task_id FROM task_instance "
                                      "WHERE dag_id=%s AND run_id=%s AND state='success'", dag_id, run_id):
            out.setdefault(host, set()).add(task_id)
        return out
