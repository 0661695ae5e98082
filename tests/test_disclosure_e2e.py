"""End to end: the demo portal's 政府信息公开年报 (HTML, PDF, flattened text, one planted
inconsistency) through discover -> fetch -> process -> validate -> load, and the marts
against the portal's truth (truth_disclosure.jsonl)."""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace

from urllib.parse import urlsplit

import duckdb
import pytest


@pytest.fixture(scope="module")
def run(tmp_path_factory, site):
    from demo_portal.server import Portal
    from nightly import run_night
    from etl.settings import load_settings
    tmp = tmp_path_factory.mktemp("disclosure")
    s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "data" / "wh.duckdb",
                timeout_s=1.0, retries=1)
    with Portal(site) as portal:
        s = replace(s, portal_url=portal.base_url)
        counts = run_night("disclosure1", s)   # red for the portal's broken inputs; loaded
    truth = [json.loads(x) for x in (site / "truth_disclosure.jsonl").read_text(encoding="utf-8").splitlines() if x]
    con = duckdb.connect(str(s.warehouse), read_only=True)
    yield {"truth": truth, "con": con, "counts": counts, "settings": s}
    con.close()


def _q(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def test_every_published_cell_loaded_as_published(run):
    con, truth = run["con"], run["truth"]
    good = [t for t in truth if not t["planted"]]
    cells = {(urlsplit(r["url"]).path, r["metric"]): r for r in _q(con, """
        SELECT r.url, c.metric, c.raw, c.status, c.value, c.unit, c.layout
        FROM core.disclosure_cell c JOIN core.disclosure_report r USING (doc_id)""")}
    missing = [(t["url"], t["metric"]) for t in good if (t["url"], t["metric"]) not in cells]
    assert not missing
    wrong = [(k, t["raw"], cells[k]["raw"]) for t in good
             if cells[(k := (t["url"], t["metric"]))]["raw"] != t["raw"] or cells[k]["status"] != t["status"]]
    assert not wrong
    layouts = {r["layout"] for r in cells.values()}
    assert layouts == {"html", "pdf", "text"}


def test_planted_report_quarantined_whole_with_its_equation(run):
    con, truth = run["con"], run["truth"]
    planted_url = next(t["url"] for t in truth if t["planted"])
    rep = _q(con, f"SELECT doc_id, status FROM raw.disclosure_reports WHERE url LIKE '%{planted_url}'")
    assert [r["status"] for r in rep] == ["quarantined"]
    doc = rep[0]["doc_id"]
    q = _q(con, f"SELECT check_name, lhs, rhs, figures FROM raw.disclosure_quarantine WHERE doc_id = '{doc}'")
    assert [r["check_name"] for r in q] == [next(t["planted"] for t in truth if t["planted"])]
    assert q[0]["lhs"] == q[0]["rhs"] + 1 and "xxgk.reconsideration.total" in json.loads(q[0]["figures"])
    assert not _q(con, f"SELECT 1 FROM core.disclosure_cell WHERE doc_id = '{doc}'")
    held = _q(con, f"SELECT count(*) AS n FROM raw.disclosure_cells WHERE doc_id = '{doc}' AND held")
    assert held[0]["n"] == sum(1 for t in truth if t["url"] == planted_url)


def test_comparison_mart_against_truth(run):
    con, truth = run["con"], run["truth"]
    exp: dict = defaultdict(lambda: defaultdict(float))
    agencies = defaultdict(set)
    for t in truth:
        if t["planted"]:
            continue
        key = (t["province"], t["report_year"])
        agencies[key].add(t["source_id"])
        v = t["value"] or 0.0
        m = t["metric"]
        if m == "xxgk.requests.new.total":
            exp[key]["requests_received"] += v
        if m == "xxgk.result.total.total":
            exp[key]["handled"] += v
        if m == "xxgk.result.disclosed.total":
            exp[key]["disclosed"] += v
        if m.startswith("xxgk.result.withheld.") and m.endswith(".total"):
            exp[key]["refused"] += v
        if m == "xxgk.reconsideration.total":
            exp[key]["reconsiderations"] += v
        if m in ("xxgk.litigation.direct.total", "xxgk.litigation.after_reconsideration.total"):
            exp[key]["suits"] += v
        if m == "xxgk.other.processing_fee":
            exp[key]["fee"] += v
    rows = {(r["province"], r["report_year"]): r for r in _q(con, "FROM marts.disclosure_comparison")}
    assert set(rows) == set(agencies)
    for key, e in exp.items():
        r = rows[key]
        assert r["n_agencies"] == len(agencies[key]), key
        assert r["requests_received"] == e["requests_received"], key
        assert r["reconsiderations"] == e["reconsiderations"] and r["suits"] == e["suits"], key
        assert r["processing_fee_yuan"] == e["fee"], key
        assert r["share_disclosed"] == round(e["disclosed"] / e["handled"], 4), key
        assert r["share_refused"] == round(e["refused"] / e["handled"], 4), key
    js = [r for k, r in rows.items() if k[0] == "江苏省" and k[1] == 2024]
    assert js and js[0]["n_quarantined"] == 1
    drill = _q(con, "SELECT count(*) AS n FROM marts.disclosure_agency")[0]["n"]
    assert drill == sum(len(a) for a in agencies.values())


def test_disclosure_documents_kept_apart_from_rule_of_law_reports(run):
    con = run["con"]
    docs = _q(con, """SELECT doc_id, report_kind FROM raw.documents
                      WHERE doc_id IN (SELECT doc_id FROM raw.disclosure_reports)""")
    assert docs and {d["report_kind"] for d in docs} == {"disclosure"}
    ids = ", ".join(f"'{d['doc_id']}'" for d in docs)
    assert not _q(con, f"SELECT 1 FROM raw.facts WHERE doc_id IN ({ids})")        # no prose facts
    assert not _q(con, f"SELECT 1 FROM core.report WHERE doc_id IN ({ids})")


def test_alert_names_the_quarantined_report(run):
    from etl.disclosure.stage import alert_lines
    staged = sorted((run["settings"].data_dir / "staging").glob("*/disclosure_quarantine.parquet"))
    assert staged
    lines = alert_lines(staged[-1].parent)
    planted = next(t for t in run["truth"] if t["planted"])
    assert len(lines) == 1 and planted["url"] in lines[0] and planted["planted"] in lines[0]
