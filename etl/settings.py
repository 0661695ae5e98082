"""All configuration in one place: environment variables with defaults that run the demo.

Every knob is an `ETL_*` variable so the same code runs from the Makefile, from pytest and
on Airflow workers (CeleryExecutor): workers only need the same environment and a shared
`ETL_DATA_DIR` (raw store + staging) reachable from every machine.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str) -> str:
    return os.environ.get(name) or default


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    warehouse: Path
    sources_file: Path
    portal_url: str            # substituted for "{portal}" in the registry
    sql_dir: Path
    suite_file: Path
    user_agent: str
    timeout_s: float
    retries: int
    politeness_s: float        # pause between requests to one host
    shard_size: int            # sources per mapped task instance
    # crawl bounds (scrapy-like politeness knobs): per source per night, per response
    max_pages: int = 15        # listing pages (and API answers) read per source: a dozen-page column
    max_documents: int = 50    # documents fetched per source
    max_bytes: int = 50 * 2**20    # one response, compressed and decompressed
    request_deadline_s: float = 60.0   # whole request, however slowly the bytes drip
    max_redirects: int = 5
    retry_after_max_s: float = 30.0    # longest Retry-After honoured (429/503)
    # scale-out: politeness shared across processes/machines, process pool, recheck cadence
    redis_url: str = ""            # per-host limiter in Redis (else SQLite under data_dir)
    workers: int = 0               # processes parsing/extracting in `python -m etl run` (0: cores)
    recheck_days: float = 7.0      # known, loaded reports re-requested at most this often
    robots_ttl_s: float = 6 * 3600.0   # robots.txt re-checked (conditionally) after this
    ocr_max_pages: int = 30        # image-only PDF pages OCR'd per document (etl/parse/ocr.py)
    # deadlines that hold across retries (etl/http.py): a document with its attachments, and
    # all of a source's fetching in a night; what they cut is recorded (timeout / budget-exhausted)
    document_deadline_s: float = 180.0
    source_budget_s: float = 1800.0
    # known reports in their publication season (etl/recheck.py): the previous year's report
    # is re-requested (conditionally: a 304 costs almost nothing) every this many days
    recheck_days_season: float = 1.0
    recheck_season: tuple[int, ...] = (1, 2, 3, 4)     # months (Jan-Apr)
    # alerts (etl/notify/config.py): Apprise URLs, one per channel; the older per-channel
    # ETL_ALERT_<CHANNEL>_* variables (and fzzf_<channel> Airflow connections) still work and
    # are mapped to Apprise URLs there
    alert_urls: tuple[str, ...] = field(default=(), repr=False)   # ETL_ALERT_URLS (secrets: no repr)
    alert_attempts: int = 3                    # ETL_ALERT_ATTEMPTS: tries per channel
    alert_file_dir: str = ""                   # ETL_ALERT_FILE_DIR: "" = <data_dir>/alerts, "off"
    alert_legacy: tuple[tuple[str, str], ...] = field(default=(), repr=False)   # set ETL_ALERT_<LEGACY_ALERT>
    airflow: bool = False          # AIRFLOW_HOME or an AIRFLOW_CONN_FZZF_* set: look up connections
    load_lock_timeout_s: float = 300.0         # ETL_LOAD_LOCK_TIMEOUT (etl/load/lock.py)
    retry_delay_s: float = 300.0               # ETL_RETRY_DELAY_S: the DAG's task retry delay
    # the rendering tier (etl/discovery/render.py): a real browser for pages scripts build
    render: bool = True            # ETL_RENDER=0: never start a browser (static reading only)
    chromium: str = "/usr/bin/chromium"   # the system Chromium Playwright drives (never downloaded)
    render_timeout_s: float = 60.0     # wall time of one rendered page, clicks included
    render_max_requests: int = 200     # requests one rendered page may make
    # the crawl's state store (etl/statestore.py): SQLite journal mode; "delete" on NFS/SMB
    # shared storage, where WAL cannot work (its index is shared memory)
    state_journal: str = "wal"

    @property
    def raw_dir(self) -> Path:
        """Content-addressed store: raw/<sha[:2]>/<sha>; never rewritten."""
        return self.data_dir / "raw"

    @property
    def state_dir(self) -> Path:
        """Crawl state that survives runs: the state store (state/crawl.sqlite, etl/statestore.py)
        and the politeness limiter and robots.txt cache (etl/politeness.py)."""
        return self.data_dir / "state"

    @property
    def dbt_dir(self) -> Path:
        """dbt's work folder (generated profile, target/ with the manifest and docs, logs):
        `dbt/` beside the warehouse (ETL_DATA_DIR/dbt by default), or ETL_DBT_DIR."""
        return dbt_dir(self.warehouse)

    def staging(self, run_id: str) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
        return self.data_dir / "staging" / safe


def snapshot_dir(warehouse: Path) -> Path:
    """ETL_SNAPSHOT_DIR: where analysts read the read-only copy published after each load
    (default `snapshot/` beside the warehouse file, so a test's warehouse keeps its own)."""
    return Path(_env("ETL_SNAPSHOT_DIR", str(warehouse.parent / "snapshot")))


def dbt_dir(warehouse: Path) -> Path:
    """ETL_DBT_DIR: dbt's work folder for a warehouse file (default `dbt/` beside it, which
    is under ETL_DATA_DIR for the settings' warehouse; a test's warehouse keeps its own)."""
    return Path(_env("ETL_DBT_DIR", str(warehouse.parent / "dbt")))


def snapshot_storage() -> str:
    """ETL_SNAPSHOT_STORAGE: DuckDB storage version of the snapshot; v1.5.0 opens in the
    registry's duckdb-cli (1.5.x) and in DuckDB 2.x."""
    return _env("ETL_SNAPSHOT_STORAGE", "v1.5.0")


def report_html_path() -> Path | None:
    """ETL_REPORT_HTML: when set, each published snapshot also writes the HTML report there."""
    value = os.environ.get("ETL_REPORT_HTML")
    return Path(value) if value else None


# the per-channel alert variables of before ETL_ALERT_URLS (README "Alerts"), still honoured
LEGACY_ALERT = ("SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_STARTTLS", "SMTP_CAFILE",
                "MAIL_FROM", "MAIL_TO", "WEBHOOK_URL", "SLACK_URL", "DINGTALK_URL", "DINGTALK_SECRET",
                "WECOM_URL")


def env_value(name: str, default: str = "") -> str:
    """One variable for code that hands the environment on (the demo's Airflow children)."""
    return _env(name, default)


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment plus `extra`, for a subprocess (e.g. LibreOffice's HOME)."""
    return {**os.environ, **extra}


def _float(name: str, default: float) -> float:
    """A number; a typo keeps the default rather than breaking every reader of the settings."""
    try:
        return float(_env(name, str(default)))
    except ValueError:
        return default


def _urls(spec: str) -> tuple[str, ...]:
    """ETL_ALERT_URLS: Apprise URLs separated by spaces, newlines or commas (a comma inside
    a URL, e.g. `mailto://...?to=a@x,b@x`, stays: only one before a `scheme://` splits)."""
    return tuple(u for u in re.split(r"[\s,]+(?=[A-Za-z][A-Za-z0-9+.-]*://)|\s+", spec.strip()) if u)


def load_settings() -> Settings:
    data = Path(_env("ETL_DATA_DIR", str(ROOT / "data")))
    return Settings(
        data_dir=data,
        warehouse=Path(_env("ETL_WAREHOUSE", str(data / "warehouse.duckdb"))),
        sources_file=Path(_env("ETL_SOURCES", str(ROOT / "etl" / "sources.yaml"))),
        portal_url=_env("ETL_PORTAL_URL", "http://127.0.0.1:8765").rstrip("/"),
        sql_dir=Path(_env("ETL_SQL_DIR", str(ROOT / "sql"))),
        suite_file=Path(_env("ETL_SUITE", str(ROOT / "expectations" / "facts.json"))),
        user_agent=_env("ETL_USER_AGENT", "fzzf-etl/0.1 (+statistics warehouse; contact data-team)"),
        timeout_s=float(_env("ETL_HTTP_TIMEOUT", "10")),
        retries=int(_env("ETL_HTTP_RETRIES", "3")),
        politeness_s=float(_env("ETL_POLITENESS", "1.0")),
        shard_size=max(1, int(_env("ETL_SHARD_SIZE", "20"))),
        max_pages=max(1, int(_env("ETL_MAX_PAGES", "15"))),
        max_documents=max(1, int(_env("ETL_MAX_DOCUMENTS", "50"))),
        max_bytes=int(float(_env("ETL_MAX_BYTES", str(50 * 2**20)))),
        request_deadline_s=float(_env("ETL_REQUEST_DEADLINE", "60")),
        max_redirects=int(_env("ETL_MAX_REDIRECTS", "5")),
        retry_after_max_s=float(_env("ETL_RETRY_AFTER_MAX", "30")),
        redis_url=_env("ETL_REDIS_URL", ""),
        workers=max(0, int(_env("ETL_WORKERS", "0"))),
        recheck_days=float(_env("ETL_RECHECK_DAYS", "7")),
        robots_ttl_s=float(_env("ETL_ROBOTS_TTL", str(6 * 3600))),
        ocr_max_pages=max(0, int(_env("ETL_OCR_MAX_PAGES", "30"))),
        document_deadline_s=float(_env("ETL_DOCUMENT_DEADLINE", "180")),
        source_budget_s=float(_env("ETL_SOURCE_BUDGET", "1800")),
        recheck_days_season=float(_env("ETL_RECHECK_DAYS_SEASON", "1")),
        recheck_season=_months(_env("ETL_RECHECK_SEASON", "1-4")),
        alert_urls=_urls(_env("ETL_ALERT_URLS", "")),
        alert_attempts=max(1, int(_float("ETL_ALERT_ATTEMPTS", 3))),
        alert_file_dir=_env("ETL_ALERT_FILE_DIR", "").strip(),
        alert_legacy=tuple((k, v.strip()) for k in LEGACY_ALERT if (v := _env(f"ETL_ALERT_{k}", "")).strip()),
        airflow=bool(os.environ.get("AIRFLOW_HOME")) or any(k.startswith("AIRFLOW_CONN_FZZF_") for k in os.environ),
        load_lock_timeout_s=_float("ETL_LOAD_LOCK_TIMEOUT", 300.0),
        retry_delay_s=_float("ETL_RETRY_DELAY_S", 300.0),
        render=_env("ETL_RENDER", "1") not in ("0", "false", "no"),
        chromium=_env("ETL_CHROMIUM", "/usr/bin/chromium"),
        render_timeout_s=float(_env("ETL_RENDER_TIMEOUT", "60")),
        render_max_requests=max(1, int(_env("ETL_RENDER_MAX_REQUESTS", "200"))),
        state_journal=_env("ETL_STATE_JOURNAL", "wal").strip().lower(),
    )


def _months(spec: str) -> tuple[int, ...]:
    """ETL_RECHECK_SEASON: months as "1-4", "1,2,3" or "11-2" (wrapping the year); "" none."""
    out: list[int] = []
    for part in (p.strip() for p in spec.split(",") if p.strip() and p.strip() != "-"):
        a, _, b = part.partition("-")
        lo, hi = int(a), int(b or a)
        out += list(range(lo, hi + 1)) if lo <= hi else list(range(lo, 13)) + list(range(1, hi + 1))
    return tuple(m for m in dict.fromkeys(out) if 1 <= m <= 12)
