"""Shared fixtures: settings in a temp folder, and the demo portal served on loopback."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from etl.airflow_env import base_settings
from etl.settings import Settings, load_settings

# Airflow reads its configuration at import: point it at a throw-away home before any test
# imports it (SQLite metadata, this repo's dags/ folder, no examples, quiet logs).
_AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="airflow-test-"))
atexit.register(shutil.rmtree, _AIRFLOW_HOME, ignore_errors=True)     # one per pytest session
os.environ.update({
    **base_settings(_AIRFLOW_HOME),  # the project's one Airflow environment (etl/airflow_env.py)
    "ETL_RETRY_DELAY_S": "1",
    "ETL_SHARD_SIZE": "3",          # several mapped shards even on the small demo
    "ETL_POLITENESS": "0",          # the demo portal is ours: no pause between requests
})


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A migrated Airflow metadata DB with the writer pool (real `airflow db migrate`), by the
    one path every entry point uses (etl.airflow_env.prepare_metadata)."""
    from etl.airflow_env import prepare_metadata
    prepare_metadata(os.environ.copy())
    return _AIRFLOW_HOME


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = load_settings()
    return replace(s, data_dir=tmp_path / "data", warehouse=tmp_path / "data" / "wh.duckdb",
                   timeout_s=1.0, retries=2)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    from demo_portal.generator import build_site
    return build_site(tmp_path_factory.mktemp("portal"))


@pytest.fixture
def portal(site: Path):
    from demo_portal.server import Portal
    with Portal(site) as p:
        yield p
