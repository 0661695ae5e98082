"""The raw tables' columns come from the DDL (sql/010_raw.sql), never from a list here:
after the DDL is applied the load asks DuckDB for each table's columns and inserts BY NAME
the columns the batch carries. A column the batch lacks is NULL (or fails on NOT NULL); a
batch column the table lacks is left out and logged, so the two cannot silently drift."""
from __future__ import annotations

import logging
import re

import duckdb
import pandas as pd

log = logging.getLogger(__name__)
_NAME = re.compile(r"[a-z_]+\.[a-z_0-9]+")


def table_columns(con, table: str) -> list[str]:
    """The table's columns in order (a zero-row SELECT: ~10x cheaper than information_schema)."""
    if not _NAME.fullmatch(table):
        raise ValueError(f"not a schema.table name: {table!r}")
    try:
        return [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    except duckdb.CatalogException:
        raise LookupError(f"table {table} is not defined by the DDL in sql/") from None


def shaped(df: pd.DataFrame, columns: list[str], table: str = "") -> pd.DataFrame:
    """The frame's columns that the table has (NaN -> None), in the table's order."""
    keep = [c for c in columns if c in df.columns]
    extra = sorted(set(df.columns) - set(columns))
    if extra and len(df):
        log.debug("%s: batch columns not in the table, not stored: %s", table, extra)
    out = df[keep] if len(df) else pd.DataFrame({c: pd.Series(dtype="object") for c in keep})
    return out.astype(object).where(out.notna(), None)


def insert(con, table: str, df: pd.DataFrame, verb: str = "INSERT", **constants) -> int:
    """INSERT BY NAME the frame's columns known to the table, plus constant columns."""
    cols = table_columns(con, table)
    frame = shaped(df, [c for c in cols if c not in constants], table)
    if not len(frame):
        return 0
    frame = frame.assign(**{k: v for k, v in constants.items() if k in cols})
    view = "b_" + table.replace(".", "_")
    con.register(view, frame)
    try:
        con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM {view}")
    finally:
        con.unregister(view)
    return len(frame)
