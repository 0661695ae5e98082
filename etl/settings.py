"""All configuration in one place: environment variables with defaults that run the demo.

Every knob is an `ETL_*` variable so the same code runs from the Makefile, from pytest and
on Airflow workers (CeleryExecutor): workers only need the same environment and a shared
`ETL_DATA_DIR` (raw store + staging) reachable from every machine.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
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
    # the rendering tier (etl/discovery/render.py): a real browser for pages scripts build
    render: bool = True            # ETL_RENDER=0: never start a browser (static reading only)
    chromium: str = "/usr/bin/chromium"   # the system Chromium Playwright drives (never downloaded)
    render_timeout_s: float = 60.0     # wall time of one rendered page, clicks included
    render_max_requests: int = 200     # requests one rendered page may make

    @property
    def raw_dir(self) -> Path:
        """Content-addressed store: raw/<sha[:2]>/<sha>; never rewritten."""
        return self.data_dir / "raw"

    @property
    def state_dir(self) -> Path:
        """Crawl state that survives runs (HTTP validators, per-URL content hashes)."""
        return self.data_dir / "state"

    def staging(self, run_id: str) -> Path:
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)
        return self.data_dir / "staging" / safe


def snapshot_dir(warehouse: Path) -> Path:
    """ETL_SNAPSHOT_DIR: where analysts read the read-only copy published after each load
    (default `snapshot/` beside the warehouse file, so a test's warehouse keeps its own)."""
    return Path(_env("ETL_SNAPSHOT_DIR", str(warehouse.parent / "snapshot")))


def snapshot_storage() -> str:
    """ETL_SNAPSHOT_STORAGE: DuckDB storage version of the snapshot; v1.5.0 opens in the
    registry's duckdb-cli (1.5.x) and in DuckDB 2.x."""
    return _env("ETL_SNAPSHOT_STORAGE", "v1.5.0")


def report_html_path() -> Path | None:
    """ETL_REPORT_HTML: when set, each published snapshot also writes the HTML report there."""
    value = os.environ.get("ETL_REPORT_HTML")
    return Path(value) if value else None


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
        render=_env("ETL_RENDER", "1") not in ("0", "false", "no"),
        chromium=_env("ETL_CHROMIUM", "/usr/bin/chromium"),
        render_timeout_s=float(_env("ETL_RENDER_TIMEOUT", "60")),
        render_max_requests=max(1, int(_env("ETL_RENDER_MAX_REQUESTS", "200"))),
    )
