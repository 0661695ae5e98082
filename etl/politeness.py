"""Politeness that holds across processes: Celery workers, the process pool of
`python -m etl run` and several machines share one per-host pace and one robots.txt.

- `HostLimiter.wait(host)` blocks until this process may send the next request to `host`,
  at most one request every `ETL_POLITENESS` seconds *in all processes together*: each
  caller reserves the next free slot atomically (Redis when `ETL_REDIS_URL` is set, which
  every machine reaches; else an SQLite file under `ETL_DATA_DIR`, which holds across the
  processes of one machine), then sleeps until its slot.
- `RobotsCache` keeps each origin's robots.txt under `ETL_DATA_DIR/state/robots/`: fetched
  at most once per `ETL_ROBOTS_TTL` (default 6 h: once per night) by whichever process
  asks first (a file lock makes the others wait and reuse it), and then conditionally
  (ETag / Last-Modified), so an unchanged robots.txt costs one 304.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Protocol

log = logging.getLogger(__name__)


class HostLimiter(Protocol):
    def reserve(self, host: str) -> float:
        """Reserve the next slot for `host`; seconds to wait until it."""

    def wait(self, host: str) -> float:
        """Reserve and sleep until the slot; the seconds slept."""


class _Sleeper:
    interval: float
    last_slot: float = 0.0      # when the last reserved slot starts, in the backend's clock

    def wait(self, host: str) -> float:
        delay = self.reserve(host)  # type: ignore[attr-defined]
        if delay > 0:
            time.sleep(delay)
        return max(0.0, delay)


# Atomic in Redis: next free slot = max(now, stored); store slot + interval; return the delay.
_RESERVE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, nxt)
redis.call('SET', KEYS[1], slot + tonumber(ARGV[1]), 'PX', tonumber(ARGV[1]) * 10 + 60000)
return {slot - now, slot}
"""


class RedisLimiter(_Sleeper):
    """Slots in Redis (server time, so the machines' clocks need not agree)."""

    def __init__(self, url: str, interval: float, prefix: str = "etl:polite:"):
        import redis
        self.interval, self.prefix = interval, prefix
        self._r = redis.Redis.from_url(url, socket_timeout=5)
        self._reserve = self._r.register_script(_RESERVE_LUA)

    def reserve(self, host: str) -> float:
        delay_ms, slot_ms = self._reserve(keys=[self.prefix + host], args=[int(self.interval * 1000)])
        self.last_slot = int(slot_ms) / 1000          # server clock: for checks and logs
        return int(delay_ms) / 1000


class SqliteLimiter(_Sleeper):
    """Slots in an SQLite file: `BEGIN IMMEDIATE` serializes the processes of a machine."""

    def __init__(self, path: Path, interval: float, clock: Callable[[], float] = time.time):
        self.interval, self.path, self.clock = interval, Path(path), clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as con:
            con.execute("CREATE TABLE IF NOT EXISTS slots (host TEXT PRIMARY KEY, next_at REAL NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=60, isolation_level=None)

    def reserve(self, host: str) -> float:
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            row = con.execute("SELECT next_at FROM slots WHERE host=?", (host,)).fetchone()
            now = self.clock()
            slot = max(now, row[0] if row else 0.0)
            con.execute("INSERT INTO slots(host, next_at) VALUES(?, ?) ON CONFLICT(host) "
                        "DO UPDATE SET next_at=excluded.next_at", (host, slot + self.interval))
            con.execute("COMMIT")
        finally:
            con.close()
        self.last_slot = slot
        return slot - now


def limiter_for(interval: float, data_dir: Path, redis_url: str = "") -> HostLimiter | None:
    """The shared limiter the settings ask for; None when no pause is wanted."""
    if interval <= 0:
        return None
    if redis_url:
        return RedisLimiter(redis_url, interval)
    return SqliteLimiter(Path(data_dir) / "state" / "politeness.sqlite", interval)


# --- robots.txt -------------------------------------------------------------------------

Fetch = Callable[[str, dict[str, str]], tuple[int, bytes, dict[str, str]]]


class RobotsCache:
    """robots.txt per origin ("http://host:port"), shared through files by all processes."""

    def __init__(self, folder: Path, ttl_s: float = 6 * 3600, clock: Callable[[], float] = time.time):
        self.folder, self.ttl_s, self.clock = Path(folder), ttl_s, clock
        self.folder.mkdir(parents=True, exist_ok=True)

    def _path(self, origin: str) -> Path:
        return self.folder / (hashlib.sha256(origin.encode()).hexdigest()[:32] + ".json")

    @contextmanager
    def _locked(self, origin: str) -> Iterator[None]:
        with open(self._path(origin).with_suffix(".lock"), "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def text(self, origin: str, fetch: Fetch) -> tuple[str | None, int]:
        """(robots.txt body or None when there is none, HTTP requests sent for it).
        `fetch(url, headers)` -> (status, body, lower-case headers); raising means unreachable."""
        with self._locked(origin):
            path = self._path(origin)
            entry = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
            if entry and self.clock() - entry["checked_at"] < self.ttl_s:
                return entry["body"], 0
            headers = {}
            if entry and entry.get("etag"):
                headers["If-None-Match"] = entry["etag"]
            if entry and entry.get("last_modified"):
                headers["If-Modified-Since"] = entry["last_modified"]
            try:
                status, body, h = fetch(origin + "/robots.txt", headers)
            except Exception as e:               # unreachable: allowed, asked again next time
                log.info("robots.txt of %s unreachable (%s): treated as allowing all", origin, e)
                return (entry or {}).get("body"), 1
            if status == 304 and entry:
                entry["checked_at"] = self.clock()
            else:
                entry = {"body": body.decode("utf-8", "replace") if status == 200 else None,
                         "etag": h.get("etag", "") if status == 200 else "",
                         "last_modified": h.get("last-modified", "") if status == 200 else "",
                         "status": status, "checked_at": self.clock()}
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
            return entry["body"], 1
