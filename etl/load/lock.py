"""DuckDB allows one writer process per file, and no reader while it writes. An analyst
holding the file (or a slow snapshot copy) must not lose the night: wait a bounded time
(ETL_LOAD_LOCK_TIMEOUT seconds) for the lock, then fail with the cause."""
from __future__ import annotations

import time
from pathlib import Path

from ..settings import load_settings, snapshot_storage

DEFAULT_TIMEOUT_S = 300.0      # the Settings default (load_lock_timeout_s)


class LoadLockTimeout(RuntimeError):
    """The warehouse file stayed locked by another process for the whole timeout."""


def lock_timeout_s() -> float:
    return load_settings().load_lock_timeout_s


def _locked(exc: Exception) -> bool:
    msg = str(exc).lower()
    return "lock" in msg and ("conflicting" in msg or "could not set" in msg)


def connect(path: Path, read_only: bool = False, timeout_s: float | None = None):
    """A connection to `path`, retried while another process holds its lock."""
    import duckdb
    timeout_s = lock_timeout_s() if timeout_s is None else timeout_s
    deadline = time.monotonic() + timeout_s
    pause = 0.2
    # A new warehouse is written in the snapshot's storage version: publishing the read-only
    # snapshot is then a byte copy (1M facts: 19 s -> 7 s), and the registry's CLI opens both.
    config: dict[str, str | bool | int | float | list[str]] = {} if read_only or Path(path).exists() else {"storage_compatibility_version": snapshot_storage()}
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config)
        except duckdb.IOException as e:
            if not _locked(e):
                raise
            if time.monotonic() >= deadline:
                raise LoadLockTimeout(
                    f"warehouse {path} is locked by another process (waited {timeout_s:g}s, "
                    f"ETL_LOAD_LOCK_TIMEOUT): {e}. Close the session holding it (an analyst's "
                    f"DuckDB client, a notebook) and clear the load task.") from e
            time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
            pause = min(pause * 2, 5.0)
