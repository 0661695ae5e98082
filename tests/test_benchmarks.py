"""benchmarks/bench_warehouse_10m.py at a few thousand facts: every phase and query row is
printed, the generated facts quote their report's text at their offsets, and the dbt builder
says clearly when this checkout has none. Nothing here is timed."""
from __future__ import annotations

import importlib.util
import json
import sys

import duckdb
import pytest

from etl.settings import ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_warehouse_10m", ROOT / "benchmarks" / "bench_warehouse_10m.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod                  # its dataclasses look their module up
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop(spec.name, None)


def test_the_table_has_every_row(bench, tmp_path, capsys) -> None:
    assert bench.main(["--facts", "3000", "--runs", "3", "--workdir", str(tmp_path), "--json", str(tmp_path / "r.json")]) == 0
    out = capsys.readouterr().out
    phases = ["generate raw rows", "reference: CTAS raw.facts", "(a) first build", "(a) publish snapshot",
              "(b) night +1%: raw write", "(b) night +1%: build", "(b) night +1%: publish",
              "(c) unchanged: raw write", "(c) unchanged: build", "(c) unchanged: publish",
              "(d) queries on the snapshot", "reference again (drift)"]
    queries = [bench.REFERENCE_QUERY[0], *(q[0] for q in bench.QUERIES), "all mart tables", "all mart views"]
    for row in phases + queries:
        assert f"   {row} " in out, row
    summary = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [p["name"] for p in summary["phases"]] == phases
    notes = {p["name"]: p["note"] for p in summary["phases"]}
    assert notes["(a) first build"].startswith("dbt build (")
    assert notes["(b) night +1%: build"].startswith("dbt build (")
    assert notes["(c) unchanged: build"] == "inputs unchanged: not rebuilt"
    assert all(q["runs"] == 3 for q in summary["queries"].values())
    # the night added new reports of a new year, about 1% of the facts
    sizes = summary["sizes"]
    con = duckdb.connect(str(tmp_path / "run" / "snapshot" / "warehouse.duckdb"), read_only=True)
    try:
        new = con.execute("SELECT count(*) FROM raw.facts WHERE run_id = 'night-1pct'").fetchall()[0][0]
        assert 0 < new < sizes["raw.facts"] * 0.05
        wrong = con.execute("SELECT count(*) FROM marts.fact_provenance WHERE NOT quote_at_offsets").fetchall()[0][0]
        assert wrong == 0
        units = {r[0] for r in con.execute("SELECT DISTINCT unit FROM raw.facts").fetchall()}
        assert {"%", "元", "件"} <= units
    finally:
        con.close()


def test_dbt_builder_missing_is_said_clearly(bench, tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "etl.warehouse.build", None)      # import raises ImportError
    assert bench.main(["--facts", "3000", "--builder", "dbt", "--workdir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "etl.warehouse.build.build_models(settings)" in err
    assert not list(tmp_path.iterdir())             # nothing generated before the check
