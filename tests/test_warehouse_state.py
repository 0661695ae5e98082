"""The warehouse is the state: the raw DDL is the one schema, what was loaded is read back
from the warehouse, a deleted warehouse is rebuilt from the raw archive without
downloading anything, a held lock fails the load with its cause after a bounded wait."""
from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pandas as pd
import pytest

from etl.load import Batch, LoadLockTimeout, load_batch
from etl.load.batch import apply_sql
from etl.load.schema import table_columns
from etl.records import Fact, Listed, Parsed, Source
from etl.settings import ROOT

SQL = ROOT / "sql"

# Record fields the raw tables do not keep, and why: anything else must have a column.
NOT_STORED = {
    "raw.documents": {"error", "pages_text", "ocr", "ocr_confidence", "needs"},   # reported / parse internals
    "raw.facts": {"doc", "category_reason"},                  # doc is doc_id on the command line
    "raw.sources": {"include", "exclude", "max_pages", "max_documents", "allowed_hosts", "kinds"},  # crawl knobs
    "raw.discovery": set(),
}
FACT_RENAMED = {"start": "start_pos", "end": "end_pos", "part_of": "part_of_seq", "id": "source_id"}


def _columns() -> dict[str, set[str]]:
    con = duckdb.connect()
    apply_sql(con, SQL)
    return {t: set(table_columns(con, t)) for t in NOT_STORED}


@pytest.mark.parametrize("record, table", [(Parsed, "raw.documents"), (Fact, "raw.facts"),
                                           (Source, "raw.sources"), (Listed, "raw.discovery")])
def test_records_have_a_column_in_the_ddl(record, table) -> None:
    cols = _columns()[table]
    fields = {FACT_RENAMED.get(f.name, f.name) for f in dataclasses.fields(record)}
    missing = fields - cols - NOT_STORED[table]
    assert not missing, f"{record.__name__} fields with no column in {table} (sql/010_raw.sql): {missing}"


def test_load_inserts_by_name_so_column_order_does_not_matter(tmp_path) -> None:
    docs = pd.DataFrame([{"text": "共检查5次", "content_sha256": "s", "url": "http://x/1", "doc_id": "d1",
                          "report_year": 2024, "source_id": "s1", "unknown_extra": "ignored"}])
    empty = pd.DataFrame()
    load_batch(tmp_path / "wh.duckdb", SQL, Batch("r1", empty, docs, empty, empty, empty, {}))
    with duckdb.connect(str(tmp_path / "wh.duckdb"), read_only=True) as con:
        assert con.execute("SELECT doc_id, url, report_year, text FROM raw.documents").fetchall() == \
            [("d1", "http://x/1", 2024, "共检查5次")]


def _settings(settings, portal):
    return replace(settings, portal_url=portal.base_url, timeout_s=1.0, retries=1)


def _n(wh: Path, sql: str):
    with duckdb.connect(str(wh), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_deleted_warehouse_is_rebuilt_from_the_archive_without_downloads(settings, portal, monkeypatch):
    from etl.pipeline.runner import run_all
    monkeypatch.setenv("ETL_POLITENESS", "0")
    s = _settings(settings, portal)
    run_all("night1", s)
    from etl.runstore import FETCHED, RunStore
    fetched = RunStore(s, "night1").frame(FETCHED)
    archived = {urlsplit(u).path for u in fetched.loc[fetched["status"] == "fetched", "url"]}
    n_facts = _n(s.warehouse, "SELECT count(*) FROM raw.facts")
    n_docs = _n(s.warehouse, "SELECT count(*) FROM raw.documents")
    assert n_facts > 100 and not (s.state_dir / "loaded.json").exists()   # no side file

    seen = len(portal.log)
    counts = run_all("night2", s)                 # unchanged: skipped, read from the warehouse
    assert counts["documents_parsed"] == 0 and counts["documents_unchanged"] > 0

    s.warehouse.unlink()                          # lost (or restored from an empty backup)
    for p in s.warehouse.parent.glob(s.warehouse.name + ".*"):
        p.unlink()
    counts = run_all("night3", s)
    assert _n(s.warehouse, "SELECT count(*) FROM raw.facts") == n_facts
    assert _n(s.warehouse, "SELECT count(*) FROM raw.documents") == n_docs
    assert counts["documents_parsed"] > 0
    # POST listing queries (a data proxy) cannot be conditional and are asked each night;
    # every GET (listing pages, reports, attachments) must answer 304
    again = [path for m, path, st in portal.log[seen:] if m == "GET" and st == 200 and path in archived]
    assert again == [], again                     # every archived URL answered 304: rebuilt from raw/
    assert sum(st == 304 for _, _, st in portal.log[seen:]) >= n_docs


_HOLDER = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("CREATE TABLE IF NOT EXISTS analyst_notes (x INT)")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_held_lock_waits_bounded_then_fails_with_the_cause(tmp_path) -> None:
    wh = tmp_path / "wh.duckdb"
    empty = pd.DataFrame()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(wh), "30"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        t0 = time.monotonic()
        with pytest.raises(LoadLockTimeout, match="locked by another process"):
            load_batch(wh, SQL, Batch("r1", empty, empty, empty, empty, empty, {}), lock_timeout_s=1.5)
        assert 1.4 <= time.monotonic() - t0 < 20
    finally:
        holder.kill()
        holder.wait()
    load_batch(wh, SQL, Batch("r1", empty, empty, empty, empty, empty, {"n": 1}))   # released: loads
    assert _n(wh, "SELECT count(*) FROM raw.runs") == 1


def test_rerun_of_a_run_id_keeps_one_set_of_counts_and_errors(tmp_path) -> None:
    wh = tmp_path / "wh.duckdb"
    empty = pd.DataFrame()
    errors = pd.DataFrame([{"source_id": "s1", "url": "http://x/a.pdf", "stage": "parse", "error": "no text"}])
    for n in (1, 2):
        load_batch(wh, SQL, Batch("r1", empty, empty, empty, empty, errors, {"try": n}))
    assert _n(wh, "SELECT count(*) FROM raw.runs") == 1
    assert _n(wh, "SELECT counts->>'try' FROM raw.runs") == "2"
    assert _n(wh, "SELECT count(*) FROM raw.document_errors") == 1


def test_reprocess_from_the_archive_keeps_older_fact_versions(settings, portal, monkeypatch):
    from etl.pipeline.reprocess import reprocess
    from etl.pipeline.runner import run_all
    monkeypatch.setenv("ETL_POLITENESS", "0")
    s = _settings(settings, portal)
    run_all("night1", s)
    n_facts = _n(s.warehouse, "SELECT count(*) FROM raw.facts")
    [sid] = [r for r, in duckdb.connect(str(s.warehouse), read_only=True).execute(
        "SELECT source_id FROM raw.documents GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()]
    n_src = _n(s.warehouse, f"SELECT count(*) FROM raw.facts JOIN raw.documents USING (doc_id) WHERE source_id = '{sid}'")
    seen = len(portal.log)
    out = reprocess(since="all", source=[sid], settings=s, run_id="again")
    assert out["documents"] == _n(s.warehouse, f"SELECT count(*) FROM raw.documents WHERE source_id = '{sid}'")
    urls = {urlsplit(u).path for u, in duckdb.connect(str(s.warehouse), read_only=True).execute(
        f"SELECT url FROM raw.documents WHERE source_id = '{sid}'").fetchall()}
    assert not [p for _, p, _ in portal.log[seen:] if p in urls]       # read from the raw archive
    assert _n(s.warehouse, "SELECT count(*) FROM raw.facts") == n_facts
    # the same extractor read the same facts again: nothing was replaced, no history written
    assert n_src and _n(s.warehouse, "SELECT count(*) FROM raw.fact_versions WHERE superseded_by_run = 'again'") == 0
    assert _n(s.warehouse, f"SELECT count(DISTINCT run_id) FROM raw.documents WHERE source_id = '{sid}'") == 1
    assert reprocess(settings=s, run_id="none")["documents"] == 0     # all at the current version
