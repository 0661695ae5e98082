"""The Airflow environment, written once, for the CLI (`make airflow ARGS="dags list"`), the
tests, the demo and the CeleryExecutor stack.

Airflow reads its configuration from `AIRFLOW__SECTION__KEY` variables at import, so every
entry point builds its environment here: one home, this repo's dags/, no examples, quiet
logs; SQLite metadata unless a stack (PostgreSQL + Redis, `scripts/celery-stack.sh`) is
given, then CeleryExecutor; the API server on loopback; the venv's bin first on PATH (the
components `airflow standalone` starts are `airflow` from PATH). Run as a module it prepares
the metadata DB (`prepare_metadata`: migrate when needed, the writer pool) and execs `airflow`:

    python -m etl.airflow_env dags list        # AIRFLOW_HOME=.airflow, SQLite
    python -m etl.airflow_env standalone       # scheduler, dag-processor, triggerer, api-server
"""
from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from importlib.metadata import version
from typing import Callable
from pathlib import Path

from .settings import ROOT

DEFAULT_HOME = ROOT / ".airflow"


def base_settings(home: Path = DEFAULT_HOME) -> dict[str, str]:
    """What every Airflow process of this project shares (SQLite metadata in `home`)."""
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "WARNING",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        # a nightly product: a deployed DAG is on (a paused one leaves triggered runs queued)
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__API__HOST": "127.0.0.1",       # Airflow binds 0.0.0.0 unless told
    }


def venv_bin() -> Path:
    return Path(sys.executable).parent


def with_venv_path(env: dict[str, str]) -> dict[str, str]:
    """The venv's bin first on PATH: `airflow standalone` starts its components as `airflow`."""
    first = str(venv_bin())
    rest = [p for p in env.get("PATH", os.defpath).split(os.pathsep) if p and p != first]
    return {**env, "PATH": os.pathsep.join([first, *rest])}


def execution_api_settings(env: dict[str, str], argv: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """Tasks report to the API server's execution API: on loopback at the port the API server
    gets (`--port N` of `api-server`/`standalone`, else AIRFLOW__API__PORT, else 8080).
    Airflow's default names `localhost`, which may resolve to ::1 where nothing listens."""
    port = env.get("AIRFLOW__API__PORT", "8080")
    for i, a in enumerate(argv if argv[:1] and argv[0] in ("api-server", "standalone") else []):
        if a in ("--port", "-p") and i + 1 < len(argv):
            port = argv[i + 1]
        elif a.startswith("--port="):
            port = a.split("=", 1)[1]
    host = env.get("AIRFLOW__API__HOST", "127.0.0.1")
    host = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    return {"AIRFLOW__API__PORT": port,
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://{host}:{port}/execution/"}


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (the stack.env written by scripts/celery-stack.sh, or a .env)."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            k, v = line.split("=", 1)
            out[k.strip()] = v.strip()
    return out


def celery_settings(stack: dict[str, str], api_port: int, secret: str) -> dict[str, str]:
    """CeleryExecutor with PostgreSQL metadata and a Redis broker. Every component must
    share `secret`: the scheduler signs the task tokens the API server checks."""
    return {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": stack["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"],
        "AIRFLOW__CELERY__BROKER_URL": stack["AIRFLOW__CELERY__BROKER_URL"],
        "AIRFLOW__CELERY__RESULT_BACKEND": stack["AIRFLOW__CELERY__RESULT_BACKEND"],
        "AIRFLOW__CELERY__WORKER_PREFETCH_MULTIPLIER": "1",   # a busy worker leaves tasks to idle ones
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API_AUTH__JWT_SECRET": secret,
        "AIRFLOW__API__SECRET_KEY": secret,
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": "etl.airflow_env.worker_hostname",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        "ETL_REDIS_URL": stack.get("ETL_REDIS_URL", ""),
    }


def worker_hostname() -> str:
    """The name a task instance records as its host: `ETL_WORKER_NAME` when several
    workers share one machine (the tests), else the machine's FQDN as Airflow does."""
    return os.environ.get("ETL_WORKER_NAME") or socket.getfqdn()


def airflow_env(extra: dict[str, str] | None = None, home: Path = DEFAULT_HOME,
                base: dict[str, str] | None = None, override: bool = True) -> dict[str, str]:
    """os.environ (or `base`) + the project's Airflow settings + `extra`. With
    override=False the settings are only defaults (a container's own environment wins)."""
    env = dict(os.environ if base is None else base)
    for k, v in base_settings(home).items():
        if override or k not in env:
            env[k] = v
    env.update(extra or {})
    return with_venv_path(env)


def airflow_exe() -> str:
    return str(Path(sys.executable).with_name("airflow"))


# --- `airflow db migrate` only when needed ----------------------------------------------

def _stamp(home: Path) -> Path:
    return home / ".migrated"


def _sqlite_revision(db_url: str) -> str | None:
    if not db_url.startswith("sqlite:///"):
        return None
    path = Path(db_url.removeprefix("sqlite:///"))
    if not path.exists():
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as c:
            row = c.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def schema_current(env: dict[str, str]) -> bool:
    """True when the metadata DB was migrated by this Airflow version and still holds the
    revision it was left at (a cheap check: `airflow db check-migrations` costs a start-up)."""
    home, url = Path(env["AIRFLOW_HOME"]), env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    stamp = _stamp(home)
    if not stamp.exists():
        return False
    want = f"{version('apache-airflow-core')} {url} {_sqlite_revision(url)}"
    return stamp.read_text(encoding="utf-8") == want and _sqlite_revision(url) is not None


def migrate_if_needed(env: dict[str, str], log=None) -> bool:
    """Run `airflow db migrate` unless the schema is current; True when it ran."""
    if schema_current(env):
        return False
    Path(env["AIRFLOW_HOME"]).mkdir(parents=True, exist_ok=True)
    out = log if log is not None else subprocess.DEVNULL
    proc = subprocess.run([airflow_exe(), "db", "migrate"], env=env, stdout=out,
                          stderr=subprocess.STDOUT, cwd=ROOT)
    if proc.returncode:
        raise RuntimeError(f"airflow db migrate failed (exit {proc.returncode})")
    url = env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    _stamp(Path(env["AIRFLOW_HOME"])).write_text(
        f"{version('apache-airflow-core')} {url} {_sqlite_revision(url)}", encoding="utf-8")
    return True


# --- the warehouse writer pool and the compose one-shots ----------------------------------

POOL = "warehouse_writer"     # one slot: only one load writes DuckDB, whatever the executor


def _sqlite_pool_slots(db_url: str) -> int | None:
    """The writer pool's slots read straight from a SQLite metadata DB (no Airflow start-up)."""
    if not db_url.startswith("sqlite:///"):
        return None
    try:
        with sqlite3.connect(f"file:{db_url.removeprefix('sqlite:///')}?mode=ro", uri=True) as c:
            row = c.execute("SELECT slots FROM slot_pool WHERE pool = ?", (POOL,)).fetchone()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def ensure_pool(env: dict[str, str], log=None) -> bool:
    """Create the one-slot writer pool unless it is there; True when it was (re)set."""
    if _sqlite_pool_slots(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]) == 1:
        return False
    out = log if log is not None else subprocess.DEVNULL
    proc = subprocess.run([airflow_exe(), "pools", "set", POOL, "1", "the only DuckDB writer (load)"],
                          env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
    if proc.returncode:
        raise RuntimeError(f"airflow pools set {POOL} failed (exit {proc.returncode})")
    return True


def prepare_metadata(env: dict[str, str], log=None) -> bool:
    """Everything the DAG needs in the metadata DB, wherever it is: the schema (migrated when
    not current) and the `warehouse_writer` pool (without it `load` stays scheduled for
    ever). The one path for `make airflow`, `make demo`, compose's init and the tests.
    True when the schema was migrated."""
    ran = migrate_if_needed(env, log)
    ensure_pool(env, log)
    return ran


def compose_init(env: dict[str, str]) -> int:
    """docker-compose `airflow-init`: db migrate, the admin's password (SimpleAuthManager
    reads a JSON file), the writer pool, shared folders owned by the Airflow uid."""
    import json
    prepare_metadata(env, sys.stdout)          # db migrate (always on PostgreSQL) + the pool
    uid = int(env.get("AIRFLOW_UID", "50000"))
    pw_file = env.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE")
    if pw_file:
        Path(pw_file).parent.mkdir(parents=True, exist_ok=True)
        user = env.get("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "admin:admin").split(":")[0]
        Path(pw_file).write_text(json.dumps({user: env["AIRFLOW_ADMIN_PASSWORD"]}), encoding="utf-8")
    home = Path(env["AIRFLOW_HOME"])
    shared = [home / "logs", Path(env.get("ETL_DATA_DIR", home / "data"))]
    if env.get("ETL_WAREHOUSE"):
        shared.append(Path(env["ETL_WAREHOUSE"]).parent)
    if pw_file:
        shared.append(Path(pw_file).parent)
    for d in shared:
        d.mkdir(parents=True, exist_ok=True)
        for p in [d, *d.rglob("*")]:
            os.chown(p, uid, 0)
    return 0


def compose_demo(env: dict[str, str], dag_id: str = "nightly_reports") -> int:
    """docker-compose `demo-night`: trigger one night now (the schedule is 02:00)."""
    import time
    for _ in range(60):      # the dag-processor may not have parsed the DAG yet
        if subprocess.run([airflow_exe(), "dags", "trigger", dag_id], env=env, cwd=ROOT).returncode == 0:
            return 0
        time.sleep(5)
    return 1


COMPOSE_COMMANDS: dict[str, Callable[[dict[str, str]], int]] = {"compose-init": compose_init, "compose-demo": compose_demo}
# commands that must not touch the metadata DB first (it may not exist or be being reset)
NO_PREPARE = {"db", "version", "config", "info", "cheat-sheet", "-h", "--help"}


def main(argv: list[str]) -> int:
    """`python -m etl.airflow_env ARGS...`: airflow ARGS with the project's environment
    (settings already in the environment, as in a container, win over the defaults)."""
    env = airflow_env(home=Path(os.environ.get("AIRFLOW_HOME", DEFAULT_HOME)), override=False)
    if "AIRFLOW__CORE__EXECUTION_API_SERVER_URL" not in os.environ:
        env.update(execution_api_settings(env, argv))
    if argv[:1] and argv[0] in COMPOSE_COMMANDS:
        return COMPOSE_COMMANDS[argv[0]](env)
    if argv and argv[0] not in NO_PREPARE:
        prepare_metadata(env)
    os.execve(airflow_exe(), [airflow_exe(), *argv], env)
    return 0  # not reached


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
