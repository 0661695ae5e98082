"""The data dictionary: every table, view and column of the warehouse has a comment taken
from dbt's docs (sql/models/**/schema.yml, sources.yml, the common columns' doc blocks, via
the manifest), and the comments travel with the snapshot: the DuckDB copy, the Parquet
files (key-value metadata) and views.sql."""
from __future__ import annotations

import re

import duckdb
import pandas as pd
import pytest

from etl.load import Batch, load_and_build
from etl.settings import ROOT
from etl.settings import dbt_dir
from etl.warehouse.docs import SCHEMAS, dictionary, undocumented
from etl.warehouse.snapshot import snapshot_path

SQL = ROOT / "sql"


def _batch() -> Batch:
    sources = pd.DataFrame([{"source_id": "hb-a", "agency": "甲市司法局", "province": "湖北省", "province_code": "420000",
                             "city": "甲市", "county": "", "level": "city", "listing_url": "http://x/hb-a/"}])
    text = "全年办理案件120件，按时办结率98%。"
    docs = pd.DataFrame([{"doc_id": "d1", "source_id": "hb-a", "url": "http://x/hb-a/2024.html", "title": "2024年报告",
                          "fmt": "html", "pages": 0, "pub_date": "2025-03-01", "report_year": 2024, "script": "hans",
                          "content_sha256": "d1", "extractor_version": "t1", "text": text}])
    facts = pd.DataFrame([{"fact_id": "d1-0000", "doc_id": "d1", "seq": 0, "metric": "cases_handled",
                           "category": "cases_handled", "value": 120.0, "unit": "件", "qualifier": "exact", "subject": "",
                           "quote": "120件", "start_pos": text.index("120件"), "end_pos": text.index("120件") + 4,
                           "sentence": text, "part_of_seq": None, "extractor_version": "t1"}])
    return Batch("run-dict", sources, docs, facts, pd.DataFrame(), pd.DataFrame(), {"facts_loaded": 1})


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wh = tmp_path_factory.mktemp("dict") / "wh.duckdb"
    load_and_build(wh, SQL, _batch())
    return wh


def _columns(con) -> set[tuple[str, str]]:
    return {(f"{s}.{t}", c) for s, t, c in con.execute(
        "SELECT schema_name, table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = current_database() AND list_contains(?, schema_name)", [list(SCHEMAS)]).fetchall()}


def test_every_table_view_and_column_has_a_comment(warehouse):
    con = duckdb.connect(str(warehouse), read_only=True)
    cols = _columns(con)
    assert len(cols) > 400 and ("marts.fact_provenance", "quote_at_offsets") in cols    # views included
    assert {"raw.documents", "dq.quarantine", "staging.stg_facts", "core.fact_metric", "core.report",
            "marts.fact_provenance"} <= {t for t, _ in cols}
    assert undocumented(con) == []
    meaning = dict(con.execute("SELECT table_name || '.' || column_name, comment FROM duckdb_columns() "
                               "WHERE schema_name = 'core' AND table_name = 'fact_metric'").fetchall())
    assert "core.unit_fold" in meaning["fact_metric.unit_cmp"]          # the table's own doc
    assert "GB/T 2260" in meaning["fact_metric.province_code"]           # the common columns


def test_docs_name_only_columns_that_exist(warehouse):
    """A renamed or dropped column cannot leave a stale line in the dictionary."""
    con = duckdb.connect(str(warehouse), read_only=True)
    cols = _columns(con)
    tables = {t for t, _ in cols}
    docs = dictionary(dbt_dir(warehouse) / "target" / "manifest.json")
    assert {"raw.documents", "core.report", "marts.province_comparison"} <= set(docs)
    assert set(docs) <= tables, set(docs) - tables
    stale = {(t, c) for t, (_, cs) in docs.items() for c in cs} - cols
    assert not stale, stale
    common = set(re.findall(r"\{% docs col_([a-z_0-9]+) %\}", (SQL / "models" / "common_columns.md").read_text(encoding="utf-8")))
    used = {c for _, c in cols}
    assert common and common <= used, common - used


def test_the_snapshot_carries_the_dictionary(warehouse):
    snap = snapshot_path(warehouse)
    con = duckdb.connect(str(snap), read_only=True)
    assert undocumented(con) == []                                       # the DuckDB copy
    want = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() WHERE schema_name = 'raw' "
                            "AND table_name = 'documents'").fetchall())
    pq = snap.parent / "parquet"
    mem = duckdb.connect()
    kv = dict(mem.execute("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)",
                          [str(pq / "raw.documents.parquet")]).fetchall())
    assert {k.removeprefix("comment."): v for k, v in kv.items() if k.startswith("comment.")} == want
    assert kv["comment"].startswith("One row per fetched and parsed document")
    for f in pq.glob("*.parquet"):                                       # every exported table
        keys = {k for (k,) in mem.execute("SELECT decode(key) FROM parquet_kv_metadata(?)", [str(f)]).fetchall()}
        names = {r[0] for r in mem.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(f)]).fetchall()}
        assert names and {f"comment.{c}" for c in names} <= keys, f.name
    mem.execute((pq / "views.sql").read_text(encoding="utf-8"))          # views.sql in a fresh DuckDB
    assert undocumented(mem) == []
    assert len(_columns(mem)) == len(_columns(con))


def test_the_marts_export_carries_the_dictionary(warehouse, tmp_path):
    from etl.warehouse.snapshot import export_marts
    files = export_marts(snapshot_path(warehouse), tmp_path / "marts")
    assert files
    mem = duckdb.connect()
    for f in files:
        kv = dict(mem.execute("SELECT decode(key), decode(value) FROM parquet_kv_metadata(?)", [str(f)]).fetchall())
        names = {r[0] for r in mem.execute("DESCRIBE SELECT * FROM read_parquet(?)", [str(f)]).fetchall()}
        assert kv.get("comment") and {f"comment.{c}" for c in names} <= set(kv), f.name
