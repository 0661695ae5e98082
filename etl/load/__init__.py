"""Load: the only DuckDB writer, one transaction per run; and the state read back from it.

    batch.py    Batch and load_batch: raw rows, data-quality rows and the run in one commit;
                load_and_build: that, then dbt build, then the snapshot (only when the build passed)
    schema.py   the raw tables' columns read from the DDL (sql/010_raw.sql is the truth)
    lock.py     DuckDB connections that wait a bounded time for the file lock
    state.py    what is loaded (document, content hash, extractor and suite version)
"""
from __future__ import annotations

from .batch import Batch, load_and_build, load_batch, query
from .lock import LoadLockTimeout
from .state import document_state

__all__ = ["Batch", "LoadLockTimeout", "load_and_build", "load_batch", "document_state", "query"]
