"""Marts against the demo portal's truth: one figure per agency (no double counting of
restatements or breakdowns), levels never added together, rates never pooled, lower bounds
counted, every row traceable to its facts; coverage against the registry; the snapshot."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import asdict, replace
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from etl.load import Batch, load_and_build
from etl.normalize import to_simplified
from etl.settings import ROOT
from etl.warehouse.snapshot import snapshot_path

SQL = ROOT / "sql"
LOWER = {"more_than", "at_least"}
# what the marts must fold (件/宗 always; 起 for cases): the rule, written out here
CASE_CATEGORIES = {"cases_handled", "reconsideration_litigation", "complaints_handled"}


def fold(category: str, unit: str) -> str:
    if unit == "宗" or (unit == "起" and category in CASE_CATEGORIES):
        return "件"
    return unit


def _registry(s) -> dict[str, dict]:
    """The registry as discovery reads it (levels inferred where the file leaves them out),
    not what the load wrote: {id: {level, province_code, ...}}."""
    try:
        from etl.discovery.registry import load_registry
    except ImportError:
        from etl.sources import load_registry
    return {src.id: asdict(src) for src in load_registry(s.sources_file, s.portal_url)}


@pytest.fixture(scope="module")
def demo(tmp_path_factory, site):
    """The whole pipeline (no Airflow) against the demo portal on loopback."""
    from demo_portal.server import Portal
    from etl.pipeline.runner import run_all
    from etl.settings import load_settings
    tmp = tmp_path_factory.mktemp("marts")
    s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "data" / "wh.duckdb",
                timeout_s=1.0, retries=1)
    with Portal(site) as portal:
        s = replace(s, portal_url=portal.base_url)
        run_all(None, s)
    truth = [json.loads(line) for line in (site / "truth.jsonl").read_text(encoding="utf-8").splitlines() if line]
    registry = _registry(s)
    con = duckdb.connect(str(snapshot_path(s.warehouse)), read_only=True)
    yield {"settings": s, "truth": truth, "registry": registry, "con": con}
    con.close()


def rows(con, sql: str, params=()) -> list[dict]:
    cur = con.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def _clean_groups(con, truth) -> set[tuple]:
    """(source_id, year, category) whose loaded facts are exactly the planted ones: there the
    marts must equal what the truth gives (extraction misses are another test's business)."""
    key = lambda sid, y, cat, v, u, q: (sid, y, cat, v, u, q)
    planted, loaded = defaultdict(Counter), defaultdict(Counter)
    for t in truth:
        planted[(t["source_id"], t["report_year"], t["category"])][key(*(t[k] for k in ("source_id", "report_year", "category", "value", "unit", "qualifier")))] += 1
    for r in con.execute("SELECT source_id, report_year, category, value, unit, qualifier FROM core.fact_metric").fetchall():
        loaded[r[:3]][key(*r)] += 1
    return {g for g in set(planted) | set(loaded) if planted.get(g) == loaded.get(g)}


def test_count_totals_equal_truth_one_figure_per_agency_level_by_level(demo):
    con, registry, truth = demo["con"], demo["registry"], demo["truth"]
    clean = _clean_groups(con, truth)
    groups = {(t["source_id"], t["report_year"], t["category"]) for t in truth}
    assert len(clean & groups) >= 0.9 * len(groups)
    # categories a single metric holds, so a category total is a metric total
    single = {c for c, n in con.execute("SELECT category, count(DISTINCT metric) FROM marts.province_comparison "
                                        "WHERE kind = 'count' GROUP BY 1").fetchall() if n == 1}
    best: dict[tuple, dict] = {}
    for t in truth:
        if t["unit"] in ("%", "个百分点") or t["category"] not in single:
            continue
        k = (t["source_id"], t["report_year"], t["category"], fold(t["category"], t["unit"]))
        if k not in best or t["value"] > best[k]["value"]:            # restated or broken down: the largest
            best[k] = t
    expected: dict[tuple, list] = defaultdict(lambda: [0.0, 0, 0])
    members: dict[tuple, set] = defaultdict(set)
    for (sid, year, cat, unit), t in best.items():
        row = (t["province"], year, registry[sid]["level"], cat, unit)
        e = expected[row]
        e[0] += t["value"]
        e[1] += 1
        e[2] += t["qualifier"] in LOWER
        members[row].add((sid, year, cat))
    got = {}
    for r in rows(con, "SELECT c.*, list(DISTINCT p.source_id) AS agencies FROM marts.province_comparison c, "
                       "unnest(c.fact_ids) u(fid) JOIN core.fact_metric p ON p.fact_id = u.fid "
                       "WHERE c.kind = 'count' GROUP BY ALL"):
        if r["category"] in single:
            row = (r["province"], r["report_year"], r["level"], r["category"], r["unit"])
            members[row] |= {(a, r["report_year"], r["category"]) for a in r["agencies"]}
            got[row] = [r["total"], r["n_agencies"], r["n_lower_bounds"]]
    compared = [row for row in set(got) | set(expected) if members[row] <= clean]
    assert len(compared) >= 0.9 * len(set(got) | set(expected))
    assert {row: got.get(row) for row in compared} == {row: (list(expected[row]) if row in expected else None) for row in compared}
    assert any(got[row][2] for row in compared if row in got)         # the demo has 余/以上 figures
    assert {row[2] for row in compared} == {"province", "city", "county"}


def test_a_row_holds_one_level_and_one_agency_figure_each(demo):
    con, registry = demo["con"], demo["registry"]
    for r in rows(con, "SELECT * FROM marts.comparison_facts"):
        assert registry[r["source_id"]]["level"] == r["level"]           # a 全省 figure never joins its counties'
    per_row = rows(con, "SELECT c.fact_ids, c.n_agencies, list(DISTINCT p.source_id) AS agencies "
                        "FROM marts.province_comparison c, unnest(c.fact_ids) u(fid) "
                        "JOIN marts.fact_provenance p ON p.fact_id = u.fid GROUP BY ALL")
    for r in per_row:
        assert len(r["fact_ids"]) == r["n_agencies"] == len(r["agencies"])
    parts = con.execute("SELECT count(*) FROM marts.comparison_facts WHERE is_part").fetchone()[0]
    assert parts == 0
    assert con.execute("SELECT count(*) FROM core.fact_metric WHERE is_part").fetchone()[0] > 0


def test_rates_are_never_summed_nor_pooled_across_rates(demo):
    con = demo["con"]
    rates = rows(con, "SELECT * FROM marts.province_comparison WHERE kind = 'rate'")
    assert rates and all(r["total"] is None for r in rates)
    for r in rates:
        facts = rows(con, "SELECT subject, value FROM core.fact_metric WHERE list_contains(?, fact_id)", [r["fact_ids"]])
        names = {to_simplified(f["subject"]) for f in facts}
        if r["metric"] == "rates_pct":
            assert names == {r["measure"]}, r                         # one named rate per row
        assert r["min"] <= r["median"] <= r["max"]
    # two different rates of one province stay two rows (调解和解结案率 and 直接纠错率 ...)
    n_rows = con.execute("SELECT count(*) FROM marts.province_comparison WHERE metric = 'rates_pct'").fetchone()[0]
    names = {(p, y, lvl, to_simplified(s)) for p, y, lvl, s in con.execute(
        "SELECT province, report_year, level, subject FROM core.fact_metric WHERE metric = 'rates_pct' AND NOT is_part").fetchall()}
    assert n_rows == len(names) > 1
    n_truth = {(t["province"], t["report_year"], t["quote"]) for t in demo["truth"] if t["category"] == "rate_pct"}
    assert len(n_truth) > n_rows / 2
    assert all(to_simplified(r["measure"]) == r["measure"] for r in rates)   # 辦結率 is 办结率


def test_units_of_one_metric_are_folded_only_where_they_mean_the_same(demo):
    con = demo["con"]
    units = {u for (u,) in con.execute("SELECT DISTINCT unit FROM marts.province_comparison").fetchall()}
    assert "宗" not in units and "件" in units
    raw = {u for (u,) in con.execute("SELECT DISTINCT unit FROM core.fact_metric WHERE metric = 'cases_handled'").fetchall()}
    assert "宗" in raw                                                # the demo writes cases in 宗 too
    people = {u for (u,) in con.execute("SELECT DISTINCT unit FROM marts.province_comparison "
                                        "WHERE metric = 'training_participants'").fetchall()}
    assert people - {"人", "人次", "名"} == set()                      # 人 and 人次 are not one unit


def test_every_mart_fact_has_its_provenance_and_matches_the_truth(demo):
    con = demo["con"]
    planted = defaultdict(list)
    for t in demo["truth"]:
        planted[(t["url"], t["value"], t["unit"])].append(t["quote"])
    facts = rows(con, "SELECT DISTINCT p.* FROM marts.comparison_facts p")
    assert len(facts) > 50
    matched = 0
    for f in facts:
        assert f["document_url"] and f["extractor_version"] and f["quote_at_offsets"], f
        assert f["quote"] and f["end_pos"] > f["start_pos"] >= 0
        path = "/" + f["document_url"].split("/", 3)[3]
        # the planted quote is the clause; the extracted one the number with its counter
        matched += any(to_simplified(f["quote"]) in to_simplified(q) for q in planted.get((path, f["value"], f["unit_as_written"]), []))
    assert matched >= 0.95 * len(facts)


def test_coverage_is_every_registered_agency_for_every_year(demo):
    con, registry = demo["con"], demo["registry"]
    cov = rows(con, "SELECT * FROM marts.report_coverage")
    years = {t["report_year"] for t in demo["truth"]}
    assert {(r["source_id"], r["report_year"]) for r in cov} == {(sid, y) for sid in registry for y in years}
    found_truth = {(t["source_id"], t["report_year"]) for t in demo["truth"]}
    assert {(r["source_id"], r["report_year"]) for r in cov if r["found"]} == found_truth
    missing = [r for r in cov if not r["found"]]
    from demo_portal.scripted import AGENCIES as SCRIPTED      # their columns hold one year only:
    unpublished = {(a.id, y) for a in SCRIPTED for y in years} - found_truth   # missing without an error
    assert missing and all(r["timeliness"] == "missing" and r["n_facts"] == 0 and
                           (r["open_errors"] or (r["source_id"], r["report_year"]) in unpublished) for r in missing)
    for r in cov:
        if r["found"]:
            planted = sum(1 for t in demo["truth"] if (t["source_id"], t["report_year"]) == (r["source_id"], r["report_year"]))
            loaded = con.execute("SELECT count(*) FROM core.fact_metric WHERE document = ?", [r["doc_id"]]).fetchone()[0]
            assert r["n_facts"] == loaded >= 0.8 * planted              # (quarantined facts are not loaded)
            assert r["fmt"] and r["timeliness"] in ("on_time", "late", "date_unknown")     # html, pdf, doc...


def test_yoy_and_rank_rest_on_the_comparison(demo):
    con = demo["con"]
    prov = rows(con, "SELECT * FROM marts.metric_yoy WHERE scope = 'province' AND kind = 'count'")
    assert prov
    for r in prov:   # like for like: the agencies in both years, summed
        agency = rows(con, "SELECT sum(value) v, sum(prev_value) p, count(*) n FROM marts.metric_yoy WHERE scope = 'agency' "
                           "AND province = ? AND level = ? AND metric = ? AND measure = ? AND unit = ? AND report_year = ?",
                      [r["province"], r["level"], r["metric"], r["measure"], r["unit"], r["report_year"]])[0]
        assert (agency["v"], agency["p"], agency["n"]) == (r["value"], r["prev_value"], r["n_agencies"])
    ranks = rows(con, "SELECT * FROM marts.province_rank WHERE n_provinces > 1")
    groups = defaultdict(list)
    for r in ranks:
        groups[(r["report_year"], r["level"], r["metric"], r["measure"], r["unit"])].append(r)
    for g in groups.values():
        g.sort(key=lambda r: r["rank"])
        assert [r["per_agency"] for r in g] == sorted((r["per_agency"] for r in g), reverse=True)
        assert g[0]["rank"] == 1


def test_dimensions(demo):
    con, registry = demo["con"], demo["registry"]
    n_regions = sum(1 for line in (ROOT / "etl" / "data" / "regions.tsv").read_text(encoding="utf-8").splitlines()
                    if line and not line.startswith("#")) - 1
    assert con.execute("SELECT count(*) FROM core.dim_region").fetchone()[0] == n_regions
    for a in rows(con, "SELECT * FROM core.dim_agency"):
        src = registry[a["source_id"]]
        assert a["level"] == src["level"] and a["region_code"][:2] == str(src["province_code"])[:2]
        assert a["sector"] != "other"                                  # every demo department has a sector
    metrics = rows(con, "SELECT * FROM core.dim_metric")
    used = {m for (m,) in con.execute("SELECT DISTINCT metric FROM core.fact_metric WHERE metric <> 'other'").fetchall()}
    assert used <= {m["metric"] for m in metrics}
    assert all(m["name_zh"] and m["category"] for m in metrics)


# --- synthetic loads: deadlines, sections, the snapshot -------------------------------------

def _batch(run_id: str, docs: list[dict], value: float = 70.0) -> Batch:
    sources = pd.DataFrame([{"source_id": "s1", "agency": "某市司法局", "province": "湖北省", "province_code": "420000",
                             "city": "武汉市", "county": "", "level": "city", "listing_url": "http://x/"}])
    base = {"source_id": "s1", "title": "报告", "fmt": "html", "pages": 0, "script": "hans",
            "content_sha256": "abc", "extractor_version": "t"}
    documents = pd.DataFrame([{**base, **d} for d in docs])
    facts = pd.DataFrame([{"fact_id": f"{d['doc_id']}-0000", "doc_id": d["doc_id"], "seq": 0, "metric": "cases_handled",
                           "category": "cases_handled", "value": value, "unit": "件", "qualifier": "exact",
                           "subject": "", "quote": "办理案件70件", "start_pos": 0, "end_pos": 6, "sentence": "",
                           "part_of_seq": None, "extractor_version": "t"} for d in docs])
    return Batch(run_id, sources, documents, facts, pd.DataFrame(), pd.DataFrame(), {})


FULL = "办理案件70件。\n一、主要举措和成效\n……\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n……\n三、存在的不足\n……\n四、下一步工作安排\n"
PARTIAL = "辦理案件70件。\n一、加強組織領導\n……\n二、明年工作計劃\n"


def test_deadline_and_sections_from_the_documents(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", [
        {"doc_id": "a", "url": "http://x/a", "report_year": 2023, "pub_date": "2024-03-31 18:00", "text": FULL},
        {"doc_id": "b", "url": "http://x/b", "report_year": 2024, "pub_date": "2025-04-03", "text": PARTIAL},
        {"doc_id": "c", "url": "http://x/c", "report_year": 2022, "pub_date": "", "text": "无"},
    ]))
    with duckdb.connect(str(snapshot_path(wh)), read_only=True) as con:
        cov = {y: (t, d) for y, t, d in con.execute("SELECT report_year, timeliness, days_late FROM marts.report_coverage").fetchall()}
        comp = {y: m for y, m in con.execute("SELECT report_year, missing_sections FROM marts.report_completeness").fetchall()}
    assert cov == {2022: ("date_unknown", None), 2023: ("on_time", None), 2024: ("late", 3)}
    assert comp[2023] == []
    assert comp[2024] == ["存在的不足", "党政主要负责人履行推进法治建设第一责任人职责情况"]


READER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print(con.execute("SELECT total FROM marts.province_comparison").fetchone()[0], flush=True)
sys.stdin.readline()                      # hold the snapshot open until told
print(con.execute("SELECT total FROM marts.province_comparison").fetchone()[0], flush=True)
"""


def test_a_reader_holding_the_snapshot_open_does_not_stop_a_load(tmp_path):
    wh = tmp_path / "wh.duckdb"
    doc = {"doc_id": "a", "url": "http://x/a", "report_year": 2023, "pub_date": "2024-03-01", "text": FULL}
    load_and_build(wh, SQL, _batch("r1", [doc], value=70))
    snap = snapshot_path(wh)
    reader = subprocess.Popen([sys.executable, "-c", READER, str(snap)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "70.0"
        load_and_build(wh, SQL, _batch("r2", [doc], value=75))            # must not fail on a lock
        out, _ = reader.communicate("go\n", timeout=30)
    finally:
        reader.kill()
    assert out.strip() == "70.0"                                      # the reader's view never changed mid-way
    with duckdb.connect(str(snap), read_only=True) as con:             # the next reader sees the new load
        assert con.execute("SELECT total FROM marts.province_comparison").fetchone()[0] == 75.0
    manifest = json.loads((snap.parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["run_id"] == "r2" and manifest["tables"]["marts.province_comparison"] >= 1
    pq = snap.parent / "parquet"
    con = duckdb.connect()
    con.execute((pq / "views.sql").read_text(encoding="utf-8"))
    assert con.execute("SELECT total FROM marts.province_comparison").fetchone()[0] == 75.0
    assert con.execute("SELECT count(*) FROM marts.comparison_facts").fetchone()[0] == 1


def test_the_parquet_snapshot_rewrites_only_tables_that_changed(tmp_path):
    wh = tmp_path / "wh.duckdb"
    doc = {"doc_id": "a", "url": "http://x/a", "report_year": 2023, "pub_date": "2024-03-01", "text": FULL}
    load_and_build(wh, SQL, _batch("r1", [doc], value=70))
    pq = snapshot_path(wh).parent / "parquet"
    before = {f.name: f.stat().st_ino for f in pq.resolve().glob("*.parquet")}
    empty = _batch("r2", [doc], value=70)
    empty.documents, empty.facts = empty.documents.iloc[0:0], empty.facts.iloc[0:0]
    load_and_build(wh, SQL, empty)                          # an unchanged night: only the run is new
    after = {f.name: f.stat().st_ino for f in pq.resolve().glob("*.parquet")}
    assert after.keys() == before.keys()
    relinked = {n for n in after if after[n] == before[n]}
    assert "raw.runs.parquet" not in relinked and "marts.province_comparison.parquet" in relinked
    con = duckdb.connect()
    con.execute((pq / "views.sql").read_text(encoding="utf-8"))
    assert con.execute("SELECT count(*) FROM raw.runs").fetchone()[0] == 2
    assert con.execute("SELECT total FROM marts.province_comparison").fetchone()[0] == 70.0


def test_the_registry_duckdb_cli_opens_the_snapshot(tmp_path):
    cli = Path(sys.executable).with_name("duckdb")
    if not cli.exists():
        pytest.skip("duckdb-cli (pinned in requirements.lock) is not installed in this venv")
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", [{"doc_id": "a", "url": "http://x/a", "report_year": 2023,
                                       "pub_date": "2024-03-01", "text": FULL}]))
    out = subprocess.run([str(cli), "-readonly", "-csv", str(snapshot_path(wh)), "-c",
                          "SELECT total FROM marts.province_comparison"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["total", "70.0"]


def test_sql_and_explain_commands_read_the_snapshot(tmp_path, monkeypatch):
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", [{"doc_id": "a", "url": "http://x/a.html", "report_year": 2023,
                                       "pub_date": "2024-03-01", "text": FULL}]))
    env = {"ETL_WAREHOUSE": str(wh), "PATH": "/usr/bin:/bin"}
    run = lambda *a: subprocess.run([sys.executable, "-m", "etl", *a], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    js = run("sql", "--json", "SELECT province, total, fact_ids FROM marts.province_comparison")
    assert js.returncode == 0, js.stderr
    assert json.loads(js.stdout) == [{"province": "湖北省", "total": 70.0, "fact_ids": ["a-0000"]}]
    csv_ = run("sql", "--csv", "SELECT level, n_agencies FROM marts.province_comparison")
    assert csv_.stdout.splitlines() == ["level,n_agencies", "city,1"]
    bad = run("sql", "DELETE FROM raw.facts")
    assert bad.returncode != 0                                         # read-only
    ex = run("explain", "province_comparison", "湖北省", "2023", "city", "cases_handled")
    assert ex.returncode == 0, ex.stderr
    assert "办理案件70件" in ex.stdout and "http://x/a.html" in ex.stdout and "extractor t" in ex.stdout
    out = tmp_path / "pq"
    exp = run("export", "--out", str(out))
    assert exp.returncode == 0, exp.stderr
    assert {p.stem for p in out.glob("*.parquet")} >= {"province_comparison", "report_coverage", "metric_yoy",
                                                         "province_rank", "report_completeness"}
    assert duckdb.sql(f"SELECT total FROM '{out / 'province_comparison.parquet'}'").fetchall() == [(70.0,)]


def test_rank_and_yoy_rows_expand_to_the_facts_of_their_source_rows(demo):
    from etl.warehouse.explain import explain
    con = demo["con"]
    rank = explain(con, "province_rank", {"level": "county", "metric": "cases_handled"})
    assert rank
    for r in rank:
        (ids,) = con.execute("SELECT fact_ids FROM marts.province_comparison WHERE province = ? AND report_year = ? "
                             "AND level = ? AND metric = ? AND measure = ? AND unit = ?",
                             [r[c] for c in ("province", "report_year", "level", "metric", "measure", "unit")]).fetchone()
        assert sorted(f["fact_id"] for f in r["facts"]) == sorted(ids)
    yoy = explain(con, "metric_yoy", {"scope": "province", "metric": "cases_handled"})
    assert yoy
    for r in yoy:
        years = sorted(f["report_year"] for f in r["facts"])
        assert len(r["facts"]) == 2 * r["n_agencies"] and years.count(r["report_year"]) == r["n_agencies"]


def test_the_html_report_is_written_after_each_load_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("ETL_REPORT_HTML", str(tmp_path / "out" / "report.html"))
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", [{"doc_id": "a", "url": "http://x/a.html", "report_year": 2023,
                                       "pub_date": "2024-03-01", "text": FULL}]))
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "办理案件70件" in page and "id='view-data'" in page


def test_a_warehouse_in_the_snapshot_storage_version_is_published_by_byte_copy(tmp_path):
    wh = tmp_path / "wh.duckdb"
    duckdb.connect(str(wh), config={"storage_compatibility_version": "v1.5.0"}).close()
    load_and_build(wh, SQL, _batch("r1", [{"doc_id": "a", "url": "http://x/a", "report_year": 2023,
                                       "pub_date": "2024-03-01", "text": FULL}]))
    manifest = json.loads((snapshot_path(wh).parent / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["byte_copy"] is True
    with duckdb.connect(str(snapshot_path(wh)), read_only=True) as con:
        assert con.execute("SELECT total FROM marts.province_comparison").fetchone()[0] == 70.0


def test_the_shell_reads_the_snapshot_and_cannot_write(tmp_path):
    wh = tmp_path / "wh.duckdb"
    load_and_build(wh, SQL, _batch("r1", [{"doc_id": "a", "url": "http://x/a.html", "report_year": 2023,
                                       "pub_date": "2024-03-01", "text": FULL}]))
    env = {"ETL_WAREHOUSE": str(wh), "PATH": "/usr/bin:/bin"}
    p = subprocess.run([sys.executable, "-m", "etl", "shell"], input="SELECT 40 + n_agencies AS x FROM marts.province_comparison;\n"
                       "DELETE FROM raw.facts;\n", capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert "41" in p.stdout
    assert "read-only mode" in p.stdout + p.stderr                    # the DELETE is refused
    with duckdb.connect(str(snapshot_path(wh)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM raw.facts").fetchone()[0] == 1


def test_sections_are_read_once_per_document_version(tmp_path):
    wh = tmp_path / "wh.duckdb"
    doc = {"doc_id": "a", "url": "http://x/a", "report_year": 2023, "pub_date": "2024-03-01", "text": FULL}
    load_and_build(wh, SQL, _batch("r1", [doc]))
    # same content hash: the stored reading is kept (the text is not scanned again)
    load_and_build(wh, SQL, _batch("r2", [{**doc, "text": PARTIAL}]))
    def missing() -> list[str]:
        with duckdb.connect(str(snapshot_path(wh)), read_only=True) as con:
            return con.execute("SELECT missing_sections FROM marts.report_completeness").fetchone()[0]
    assert missing() == []
    load_and_build(wh, SQL, _batch("r3", [{**doc, "text": PARTIAL, "content_sha256": "changed"}]))
    assert missing() == ["存在的不足", "党政主要负责人履行推进法治建设第一责任人职责情况"]
