"""Settings is the only door to the environment, and every path follows settings.data_dir:
the package reads no variable outside etl/settings.py and etl/airflow_env.py, and a night
whose data folder is a temp folder leaves the repository's data/ untouched."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import yaml

from etl.settings import ROOT

DOORS = {ROOT / "etl" / "settings.py", ROOT / "etl" / "airflow_env.py"}
# os.environ / os.getenv / os.putenv / `from os import environ` and the like, however spelled
ENV_USE = re.compile(r"\b(?:os\s*\.\s*(?:environ|environb|getenv|getenvb|putenv|unsetenv)\b"
                     r"|from\s+os\s+import\s+[^\n]*\b(?:environ|getenv|putenv)\b)")


def env_uses(root: Path) -> list[str]:
    """Every line of the package and the DAGs that touches the environment outside a door."""
    out = []
    for path in sorted([*(root / "etl").rglob("*.py"), *(root / "dags").rglob("*.py")]):
        if path in DOORS:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ENV_USE.search(line):
                out.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    return out


def test_only_settings_and_airflow_env_read_the_environment() -> None:
    assert env_uses(ROOT) == []


def test_the_grep_sees_every_spelling(tmp_path) -> None:
    (tmp_path / "etl").mkdir()
    (tmp_path / "dags").mkdir()
    (tmp_path / "etl" / "a.py").write_text('import os\nx = os.environ.get("A")\ny = os.getenv("B")\n', encoding="utf-8")
    (tmp_path / "dags" / "d.py").write_text("from os import environ\nz = 1\n", encoding="utf-8")
    assert [u.split(":")[0:2] for u in env_uses(tmp_path)] == [["dags/d.py", "1"], ["etl/a.py", "2"], ["etl/a.py", "3"]]


def test_settings_carry_the_former_direct_reads(monkeypatch) -> None:
    from etl.load.lock import lock_timeout_s
    from etl.settings import load_settings
    monkeypatch.setenv("ETL_LOAD_LOCK_TIMEOUT", "12.5")
    monkeypatch.setenv("ETL_RETRY_DELAY_S", "7")
    monkeypatch.setenv("ETL_ALERT_ATTEMPTS", "5")
    s = load_settings()
    assert (s.load_lock_timeout_s, s.retry_delay_s, s.alert_attempts) == (12.5, 7.0, 5)
    assert lock_timeout_s() == 12.5
    monkeypatch.setenv("ETL_LOAD_LOCK_TIMEOUT", "five minutes")        # a typo keeps the default
    assert load_settings().load_lock_timeout_s == 300.0
    monkeypatch.setenv("ETL_ALERT_URLS", "json://127.0.0.1:9/hook, mailtos://u:p@relay?to=a@x.org,b@x.org\ndingtalk://tok")
    monkeypatch.setenv("ETL_ALERT_SMTP_PASSWORD", "pw-not-in-repr")
    s = load_settings()
    assert s.alert_urls == ("json://127.0.0.1:9/hook", "mailtos://u:p@relay?to=a@x.org,b@x.org", "dingtalk://tok")
    assert ("SMTP_PASSWORD", "pw-not-in-repr") in s.alert_legacy
    assert "pw-not-in-repr" not in repr(s) and "u:p@relay" not in repr(s)      # secrets stay out of logs


def _tree(d: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(d)): (p.stat().st_mtime_ns, p.stat().st_size) for p in d.rglob("*")} if d.exists() else {}


def test_a_night_in_a_temp_data_dir_writes_nothing_under_the_repository(settings, portal, tmp_path) -> None:
    """Two sources without a region (so the registry infers and caches it), one night with
    the settings a test passes (ETL_DATA_DIR itself unset): state, raw, staging, alerts and
    the inferred-registry cache all land in the temp folder."""
    from etl.pipeline.runner import run_all
    entries = yaml.safe_load((ROOT / "etl" / "sources.yaml").read_text(encoding="utf-8"))["sources"]
    picked = [{k: e[k] for k in ("id", "agency", "listing_url")} for e in entries[:2]]
    reg = tmp_path / "sources.yaml"
    reg.write_text(yaml.safe_dump({"sources": picked}, allow_unicode=True), encoding="utf-8")
    s = replace(settings, sources_file=reg, portal_url=portal.base_url, politeness_s=0, workers=1)
    repo_data = ROOT / "data"
    before = _tree(repo_data)
    counts = run_all("door-night", s)
    from etl.runstore import VERDICT, RunStore
    assert "verdict" in counts and RunStore(s, "door-night").has(VERDICT)
    assert _tree(repo_data) == before, "the night wrote under the repository's data/"
    inferred = sqlite3.connect(s.state_dir / "crawl.sqlite").execute("SELECT city FROM inferred").fetchall()
    assert ("武汉市",) in inferred                      # the inferred-registry cache, in the state store
    assert (s.data_dir / "alerts" / "door-night.md").exists()
