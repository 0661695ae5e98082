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

from demo_portal import disclosure as D


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


def test_planted_report_loaded_with_its_flag(run):
    """An inconsistent report is data: loaded, its failed equation in dq with the figures and
    the cells involved, those cells flagged (left out of the marts), the rest usable."""
    con, truth = run["con"], run["truth"]
    planted = next(t for t in truth if t["planted"])
    rep = _q(con, f"SELECT doc_id, status FROM raw.disclosure_reports WHERE url LIKE '%{planted['url']}'")
    assert [r["status"] for r in rep] == ["flagged"]
    doc = rep[0]["doc_id"]
    q = _q(con, f"SELECT check_name, status, lhs, rhs, figures, cells FROM dq.disclosure_checks "
                f"WHERE doc_id = '{doc}' AND status = 'failed'")
    assert [r["check_name"] for r in q] == [planted["planted"]]
    assert q[0]["lhs"] == q[0]["rhs"] + 1 and "xxgk.reconsideration.total" in json.loads(q[0]["figures"])
    involved = set(json.loads(q[0]["cells"]))
    assert involved == {f"xxgk.reconsideration.{o}" for o in ("total", "upheld", "corrected", "other", "pending")}
    cells = _q(con, f"SELECT metric, flagged FROM core.disclosure_cell WHERE doc_id = '{doc}' AND status <> 'unread' "
                    "AND section <> 'stated'")
    assert len(cells) == sum(1 for t in truth if t["url"] == planted["url"])         # every cell loaded
    assert {c["metric"] for c in cells if c["flagged"]} == involved
    mart = _q(con, f"SELECT reconsiderations, requests_received, flagged, n_failed_checks FROM marts.disclosure_agency "
                   f"WHERE doc_id = '{doc}'")[0]
    assert mart["reconsiderations"] is None and mart["flagged"] and mart["n_failed_checks"] == 1
    want = next(t["value"] for t in truth if t["url"] == planted["url"] and t["metric"] == "xxgk.requests.new.total")
    assert mart["requests_received"] == want                                           # the rest stays usable


def test_comparison_mart_against_truth(run):
    con, truth = run["con"], run["truth"]
    exp: dict = defaultdict(lambda: defaultdict(float))
    agencies = defaultdict(set)
    for t in truth:
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
        if m == "xxgk.reconsideration.total" and not t["planted"]:     # flagged: left out
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
    assert js and js[0]["n_flagged"] == 1 and js[0]["n_quarantined"] == 0
    drill = _q(con, "SELECT count(*) AS n FROM marts.disclosure_agency")[0]["n"]
    assert drill == sum(len(a) for a in agencies.values())


def test_every_expected_cell_present_or_unread_with_reason(run):
    con = run["con"]
    per_doc = _q(con, "SELECT doc_id, count(*) FILTER (WHERE section IN ('active', 'requests', 'appeals')) AS n, "
                      "count(*) FILTER (WHERE status = 'unread' AND coalesce(note, '') = '') AS silent "
                      "FROM core.disclosure_cell GROUP BY doc_id")
    assert per_doc and all(r["silent"] == 0 for r in per_doc)
    assert {r["n"] for r in per_doc} == {200}       # the 2021 layout: 12 (表二) + 173 (表三) + 15 (表四)


def test_disclosure_documents_kept_apart_from_rule_of_law_reports(run):
    con = run["con"]
    docs = _q(con, """SELECT doc_id, report_kind FROM raw.documents
                      WHERE doc_id IN (SELECT doc_id FROM raw.disclosure_reports)""")
    assert docs and {d["report_kind"] for d in docs} == {"disclosure"}
    ids = ", ".join(f"'{d['doc_id']}'" for d in docs)
    assert not _q(con, f"SELECT 1 FROM raw.facts WHERE doc_id IN ({ids})")        # no prose facts
    assert not _q(con, f"SELECT 1 FROM core.report WHERE doc_id IN ({ids})")


def test_checks_across_years_and_prose_against_tables(run):
    """The portal's figures chain across years except one planted break; section 一 states
    the tables' figures. Both kinds land in dq.disclosure_warnings with both figures."""
    con = run["con"]
    rows = _q(con, "SELECT kind, rule, source_id, report_year, lhs, rhs, holds, figures FROM dq.disclosure_warnings")
    cross = [r for r in rows if r["kind"] == "crossyear"]
    pairs = {(t["source_id"], t["report_year"]) for t in run["truth"]}
    with_prev = {(a, y) for a, y in pairs if (a, y - 1) in pairs}
    assert {(r["source_id"], r["report_year"]) for r in cross if r["rule"] == "carry_over"} == with_prev
    broken = [r for r in cross if not r["holds"]]
    assert [(r["source_id"], r["report_year"], r["rule"]) for r in broken] == [(*D.CROSSYEAR_BREAK, "in_force:normative_doc")]
    assert broken[0]["lhs"] - broken[0]["rhs"] == 7 and len(json.loads(broken[0]["figures"])) == 4
    prose = [r for r in rows if r["kind"] == "prose"]
    assert prose and all(r["holds"] for r in prose)
    assert {r["rule"] for r in prose} == {"stated:requests.new", "stated:requests.carried_over", "stated:reconsideration"}
    mart = _q(con, "SELECT source_id, report_year, n_crossyear_warnings, n_prose_warnings, warnings "
                   "FROM marts.disclosure_agency WHERE n_crossyear_warnings + n_prose_warnings > 0")
    assert [(m["source_id"], m["report_year"]) for m in mart] == [D.CROSSYEAR_BREAK]
    assert "in_force:normative_doc" in mart[0]["warnings"]


def test_printed_report_read_whole(run):
    con, truth = run["con"], run["truth"]
    printed = {t["url"] for t in truth if t["layout"] == "printed"}
    assert printed
    rows = _q(con, "SELECT r.url, c.status, c.layout FROM core.disclosure_cell c JOIN core.disclosure_report r "
                   "USING (doc_id) WHERE c.section IN ('active', 'requests', 'appeals')")
    mine = [r for r in rows if urlsplit(r["url"]).path in printed]
    assert len(mine) == 200 and {r["layout"] for r in mine} == {"pdf"} and "unread" not in {r["status"] for r in mine}


def test_alert_names_the_flagged_report(run):
    from etl.disclosure.stage import alert_lines
    from etl.runstore import DISCLOSURE_CHECKS, RunStore
    staged = RunStore(run["settings"], "disclosure1")
    assert staged.has_frame(DISCLOSURE_CHECKS)
    lines = alert_lines(staged)
    planted = next(t for t in run["truth"] if t["planted"])
    assert len(lines) == 1 and planted["url"] in lines[0] and planted["planted"] in lines[0]
    assert "flagged for review" in lines[0]


def test_review_accepts_the_flagged_report_and_the_marts_honour_it(run):
    from etl.disclosure.review import flagged_reports, record_review
    s = run["settings"]
    run["con"].close()
    flagged = flagged_reports(s.warehouse)
    assert len(flagged) == 1 and flagged[0]["review_decision"] is None
    doc = flagged[0]["doc_id"]
    with pytest.raises(LookupError):
        record_review(s.warehouse, s.sql_dir, "no-such-doc", "accepted", "qa")
    record_review(s.warehouse, s.sql_dir, doc, "accepted", "qa", "总计 as printed; the outcomes undercount")
    con = run["con"] = duckdb.connect(str(s.warehouse), read_only=True)
    mart = _q(con, f"SELECT reconsiderations, flagged, review_decision, reviewed_by FROM marts.disclosure_agency "
                   f"WHERE doc_id = '{doc}'")[0]
    planted = next(t for t in run["truth"] if t["planted"])
    want = next(t["value"] for t in run["truth"] if t["url"] == planted["url"]
                and t["metric"] == "xxgk.reconsideration.total")
    assert mart == {"reconsiderations": want, "flagged": False, "review_decision": "accepted", "reviewed_by": "qa"}
    con.close()
    record_review(s.warehouse, s.sql_dir, doc, "rejected", "lead")          # the latest review counts
    con = run["con"] = duckdb.connect(str(s.warehouse), read_only=True)
    assert not _q(con, f"SELECT 1 FROM marts.disclosure_agency WHERE doc_id = '{doc}'")
    assert _q(con, "SELECT count(*) AS n FROM dq.disclosure_review")[0]["n"] == 2
