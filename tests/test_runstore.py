"""The run store (etl/runstore.py): typed records round-trip through Parquet, a re-run
replaces a source's file whole, bad records fail before anything is replaced, counts come
from the footers, and a source is finished only when process said so."""
from __future__ import annotations

import multiprocessing
from dataclasses import replace
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from etl.disclosure.cells import Cell, DisclosureReport
from etl.records import DocRef, ErrorRow, FactRow, Fetched
from etl.runstore import (COUNTS, DATASETS, DISCLOSURE, DISCOVERED, DOCUMENTS, DQ_RESULTS, ENTRIES, ERRORS, FACTS,
                          FETCHED, FRAMES, PARAMS, PLAN, VALIDATION, VERDICT, NotStaged, RunStore, latest, runs)


@pytest.fixture()
def store(settings, tmp_path) -> RunStore:
    return RunStore(replace(settings, data_dir=tmp_path / "data"), "manual__2026-01-01T00:00:00+00:00")


def _fact(i: int, **kw) -> FactRow:
    return FactRow(doc="d1", metric="cases_handled", category="cases", value=35.0 + i, unit="件", qualifier="exact",
                   quote=f"办理{35 + i}件", start=10 * i, end=10 * i + 4, fact_id=f"d1-{i:04d}", doc_id="d1", seq=i, **kw)


def test_records_round_trip_with_their_types(store) -> None:
    fetched = Fetched("s1", "http://x/a.html", "2024年报告", "fetched", sha256="ab" * 32,
                      attachments=[{"url": "http://x/a.pdf", "sha256": "cd" * 32, "refused": ""}],
                      refused_links=[{"url": "http://cdn/x.pdf", "refused": "off-host"}], report_year=2024)
    assert store.write(FETCHED, "s1", [fetched]) == 1
    assert store.read(FETCHED, "s1") == [fetched]            # free-form dicts come back as dicts
    report = DisclosureReport("g1", "s1", "http://x/g.html", report_year=None, text="政府信息公开" * 1000,
                              cells=[Cell("xxgk.a", "requests", "新收", "", "件", 5.0, "5", "number", "html", 0, 3, 1)])
    store.write(DISCLOSURE, "s1", [report])
    [back] = store.read(DISCLOSURE, "s1")
    assert back == report and isinstance(back.cells[0], Cell)
    f = _fact(0, part_of=None, report_year=2024)
    store.write(FACTS, "s1", [f, {**f.__dict__, "fact_id": "d1-0001", "part_of": 0}])
    df = store.frame(FACTS)
    assert list(df["fact_id"]) == ["d1-0000", "d1-0001"] and df["part_of"].isna().tolist() == [True, False]
    assert store.frame(DOCUMENTS).columns.tolist() == DOCUMENTS.schema.names   # empty, still typed


def test_a_rerun_replaces_a_sources_file_and_no_rows_leave_none(store) -> None:
    store.write(ERRORS, "s1", [ErrorRow("s1", f"http://x/{i}", "fetch", "HTTP 500") for i in range(3)])
    store.write(ERRORS, "s1", [ErrorRow("s1", "http://x/9", "parse", "broken PDF")], part="listing")
    store.write(ERRORS, "s2", [ErrorRow("s2", "http://y/1", "fetch", "timeout", kind="timeout")])
    assert store.count(ERRORS) == 5 and store.counts(ERRORS) == {"s1": 3, "s1.listing": 1, "s2": 1}
    store.write(ERRORS, "s1", [ErrorRow("s1", "http://x/0", "fetch", "HTTP 500")])     # the retry's file
    store.write(ERRORS, "s2", [])                                                       # fixed: nothing left
    assert store.counts(ERRORS) == {"s1": 1, "s1.listing": 1}
    assert store.read(ERRORS, "s1")[0].kind is None and store.read(ERRORS, "s2") == []
    store.write(DISCOVERED, "s3", [], keep_empty=True)                                  # ran, listed none
    assert store.counts(DISCOVERED) == {"s3": 0} and store.read(DISCOVERED, "s3", required=True) == []
    assert not list(store.root.rglob("*.tmp")) and not list(store.root.rglob(".*"))    # no temp file left


def test_a_bad_record_fails_before_the_earlier_file_is_touched(store) -> None:
    good = [DocRef("s1", "http://x/a.html", "2024年报告")]
    store.write(DISCOVERED, "s1", good)
    with pytest.raises(TypeError, match="no_such_field"):
        store.write(DISCOVERED, "s1", [{"source_id": "s1", "url": "u", "title": "t", "no_such_field": 1}])
    with pytest.raises(TypeError, match="url"):
        store.write(DISCOVERED, "s1", [{"source_id": "s1", "title": "t"}])              # a required field
    assert store.read(DISCOVERED, "s1") == good


def test_a_missing_upstream_file_fails_loudly(store) -> None:
    with pytest.raises(NotStaged, match="shared by all workers"):
        store.read(FETCHED, "s1", required=True)
    with pytest.raises(NotStaged):
        store.frame_of(DQ_RESULTS, required=True)
    assert store.frame_of(DQ_RESULTS).empty


def test_counts_come_from_the_footers(store) -> None:
    store.write(FACTS, "s1", [_fact(i) for i in range(7)])
    path = next((store.root / FACTS.name).glob("*.parquet"))
    assert pq.read_metadata(path).num_rows == store.count(FACTS) == 7
    assert store.values(FACTS, "fact_id")[-1] == "d1-0006" and store.column(FACTS, "s1", "seq") == list(range(7))


def test_finished_is_said_by_process_alone(store) -> None:
    store.put(PLAN, ["s1", "s2", "s3"])
    store.write(FETCHED, "s2", [], keep_empty=True)            # fetched but never processed
    store.finish("s1", unchanged=4)
    store.finish("s3", unchanged=0)
    assert store.unfinished() == ["s2"] and store.finished() == {"s1": 4, "s3": 0}
    assert store.is_finished("s1") and not store.is_finished("s2")


def test_entries_are_named_and_typed(store) -> None:
    assert store.get(PARAMS) == {} and store.get(PLAN) == [] and store.get(VALIDATION) is None   # absent
    store.put(COUNTS, {"facts_loaded": 3})
    assert store.get(COUNTS) == {"facts_loaded": 3} and store.has(COUNTS)
    store.clear(COUNTS)
    assert store.get(COUNTS) is None
    (store.root / VERDICT.file).write_text('{"state": "fail', encoding="utf-8")      # cut short
    assert store.get(VERDICT) is None
    names = [e.file for e in ENTRIES] + [f.file for f in FRAMES] + [d.name for d in DATASETS]
    assert len(names) == len(set(names))


def test_latest_and_runs_find_the_runs_of_a_data_folder(store) -> None:
    other = RunStore(store.settings, "night-2")
    store.put(VERDICT, {"verdict": "red"})
    other.put(VERDICT, {"verdict": "green"})
    assert latest(store.settings, VERDICT) == {"verdict": "green"}
    assert {r.root for r in runs(store.settings)} == {store.root, other.root}
    assert store.docs_dir.name == store.root.name and store.docs_dir.parent.name == "dq_docs"


def _worker(args: tuple) -> int:
    settings, run_id, sids = args
    run = RunStore(settings, run_id)
    for sid in sids:
        run.write(FACTS, sid, [_fact(i) for i in range(50)])
        run.finish(sid, unchanged=1)
    return len(sids)


def test_two_workers_write_one_run_side_by_side(store) -> None:
    """As mapped tasks on two Celery workers: each writes its own sources' files, whole."""
    shards = [[f"a{i}" for i in range(10)], [f"b{i}" for i in range(10)]]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        assert sum(pool.map(_worker, [(store.settings, store.run_id, s) for s in shards])) == 20
    assert store.count(FACTS) == 1000 and len(store.finished()) == 20
    assert isinstance(store.root, Path) and not list(store.root.rglob("*.tmp"))
