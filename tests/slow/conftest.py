"""The slow tier: real services (Redis, PostgreSQL, Airflow components as processes).

`pytest -m "not slow"` leaves it out locally; CI (.ci/run sets ETL_REQUIRE_SLOW=1) runs it
and fails instead of skipping when the system packages are missing.
"""
from __future__ import annotations

import os
import shutil

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: real services as processes (CeleryExecutor); CI runs it")


def require(binary: str, package: str) -> None:
    """Skip (locally) or fail (CI) when a system binary is missing."""
    if shutil.which(binary) or any(os.path.exists(f"/usr/lib/postgresql/{v}/bin/{binary}")
                                   for v in range(12, 20)):
        return
    msg = f"{binary} not installed (apt-get install {package}; scripts/install-system-packages.sh)"
    if os.environ.get("ETL_REQUIRE_SLOW"):
        pytest.fail(msg)
    pytest.skip(msg)
