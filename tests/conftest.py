"""Shared fixtures: settings in a temp folder, and the demo portal served on loopback."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest

from etl.settings import ROOT, Settings, load_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = load_settings()
    return replace(s, data_dir=tmp_path / "data", warehouse=tmp_path / "data" / "wh.duckdb",
                   timeout_s=1.0, retries=2)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    from etl.portal.generator import build_site
    return build_site(tmp_path_factory.mktemp("portal"))


@pytest.fixture
def portal(site: Path):
    from etl.portal.server import Portal
    with Portal(site) as p:
        yield p
