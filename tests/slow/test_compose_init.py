"""docker-compose's one-shot `airflow-init` (python -m etl.airflow_env compose-init), run
for real against a throw-away SQLite metadata DB: migrated, the writer pool exists, the
admin's password file is what SimpleAuthManager reads, shared folders are created."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest

from etl.airflow_env import POOL, airflow_env
from etl.settings import ROOT

pytestmark = pytest.mark.slow


def test_compose_init(tmp_path):
    home = tmp_path / "airflow"
    env = airflow_env({"AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "analyst:admin",
                       "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(tmp_path / "config" / "pw.json"),
                       "AIRFLOW_ADMIN_PASSWORD": "s3cret", "AIRFLOW_UID": str(os.getuid()),
                       "ETL_DATA_DIR": str(tmp_path / "shared"), "ETL_WAREHOUSE": str(tmp_path / "wh" / "w.duckdb")},
                      home=home)
    p = subprocess.run([sys.executable, "-m", "etl.airflow_env", "compose-init"], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    with sqlite3.connect(home / "airflow.db") as con:
        assert con.execute("SELECT slots FROM slot_pool WHERE pool=?", (POOL,)).fetchone() == (1,)
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()
    assert json.loads((tmp_path / "config" / "pw.json").read_text()) == {"analyst": "s3cret"}
    assert (tmp_path / "shared").is_dir() and (tmp_path / "wh").is_dir()
