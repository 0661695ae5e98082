"""The static HTML report in a real browser: headless Chromium (Debian package `chromium`,
scripts/system-packages.txt) loads the file offline, the charts render, and every number
on the page equals the marts it claims to show."""
from __future__ import annotations

import json
import shutil
import subprocess
import tempfile

import duckdb
import pandas as pd
import pytest
from lxml import html as lxml_html

from etl.load import Batch, load_batch
from etl.settings import ROOT
from etl.warehouse.report_html import fmt, write_report
from etl.warehouse.snapshot import snapshot_path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AGENCIES = [("hb-a", "甲市司法局", "湖北省", "420000", "city"), ("hb-b", "乙区司法局", "湖北省", "420000", "county"),
            ("hb-p", "湖北省某厅", "湖北省", "420000", "province"), ("gd-a", "丙市司法局", "广东省", "440000", "city"),
            ("gd-m", "丁县司法局", "广东省", "440000", "county")]


def _batch() -> Batch:
    sources = pd.DataFrame([{"source_id": s, "agency": a, "province": p, "province_code": c, "city": "", "county": "",
                             "level": lvl, "listing_url": f"http://x/{s}/"} for s, a, p, c, lvl in AGENCIES])
    docs, facts = [], []
    for i, (sid, *_rest) in enumerate(AGENCIES):
        for year in (2023, 2024):
            if sid == "gd-m" and year == 2024:
                continue                                      # one report missing
            doc = f"{sid}-{year}"
            text = f"办理案件{100 + 10 * i + year % 10}件，其中简易程序{5 + i}件，按时办结率{90 + i}%，开展检查{3 + i}余次。"
            docs.append({"doc_id": doc, "source_id": sid, "url": f"http://x/{sid}/{year}.html", "title": f"{year}年报告",
                         "fmt": "html", "pages": 0, "pub_date": f"{year + 1}-0{3 + (i == 1)}-15", "report_year": year,
                         "script": "hans", "content_sha256": doc, "extractor_version": "t1", "text": text})
            for seq, (metric, cat, quote, unit, qual, part) in enumerate([
                    ("cases_handled", "cases_handled", f"{100 + 10 * i + year % 10}件", "件", "exact", None),
                    ("cases_handled", "cases_handled", f"{5 + i}件", "件", "exact", 0),
                    ("rates_pct", "rate_pct", f"{90 + i}%", "%", "exact", None),
                    ("inspections", "enforcement_inspections", f"{3 + i}余次", "次", "more_than", None)]):
                start = text.index(quote)
                value = float(quote.rstrip("件%次").rstrip("余"))
                facts.append({"fact_id": f"{doc}-{seq:04d}", "doc_id": doc, "seq": seq, "metric": metric, "category": cat,
                              "value": value, "unit": unit, "qualifier": qual,
                              "subject": "按时办结率" if unit == "%" else "", "quote": quote, "start_pos": start,
                              "end_pos": start + len(quote), "sentence": text, "part_of_seq": part, "extractor_version": "t1"})
    counts = {"documents_failed": 1, "facts_quarantined": 0, "facts_loaded": len(facts)}
    return Batch("run-html", sources, pd.DataFrame(docs), pd.DataFrame(facts), pd.DataFrame(), pd.DataFrame(), counts)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if not CHROMIUM:
        pytest.skip("chromium is not installed (Debian package `chromium` in scripts/system-packages.txt)")
    tmp = tmp_path_factory.mktemp("report")
    wh = tmp / "wh.duckdb"
    load_batch(wh, ROOT / "sql", _batch())
    out = write_report(snapshot_path(wh), tmp / "report.html")
    profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=tmp)
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=10000",
                          "--dump-dom", out.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    return {"source": out.read_text(encoding="utf-8"), "dom": lxml_html.fromstring(dom.stdout),
            "con": duckdb.connect(str(snapshot_path(wh)), read_only=True)}


def test_the_page_reads_offline(page):
    doc = lxml_html.fromstring(page["source"])
    assert not doc.xpath("//script[@src] | //link[@href] | //img[@src]")     # nothing fetched: plotly is inlined
    assert "Plotly" in page["source"] and len(page["source"]) > 1_000_000


def test_the_charts_render(page):
    dom = page["dom"]
    charts = dom.xpath("//div[@data-kind]")
    assert len(charts) >= 3 and {c.get("data-kind") for c in charts} == {"metric", "coverage", "trend"}
    assert dom.body.get("data-charts-rendered") == str(len(charts))
    specs = json.loads(dom.xpath("//script[@id='chart-specs']")[0].text)
    for c in charts:
        assert c.xpath(".//svg[contains(@class, 'main-svg')]"), c.get("id")
        n_points = sum(len(t.get("y") or []) for t in specs[c.get("id")]["data"])
        if c.get("data-kind") == "metric":                    # one drawn bar per data point
            assert len(c.xpath(".//g[contains(concat(' ', @class, ' '), ' bars ')]//g[contains(concat(' ', @class, ' '), ' point ')]")) == n_points > 0
        elif c.get("data-kind") == "trend":
            assert len(c.xpath(".//g[contains(concat(' ', @class, ' '), ' scatter ')]//path[contains(concat(' ', @class, ' '), ' point ')]")) == n_points > 0
        else:
            assert c.xpath(".//g[contains(@class, 'hm')]//image")


def test_the_numbers_on_the_page_equal_the_marts(page):
    con = page["con"]
    cells = page["dom"].xpath("//td[@data-mart]")
    assert len(cells) > 20
    for td in cells:
        key = json.loads(td.get("data-key"))
        where = " AND ".join(f"CAST({k} AS VARCHAR) = ?" for k in key)
        found = con.execute(f"SELECT {td.get('data-col')} FROM marts.{td.get('data-mart')} WHERE {where}",
                            [str(v) for v in key.values()]).fetchall()
        assert len(found) == 1, key                           # the key names exactly one mart row
        value = found[0][0]
        assert td.text_content().strip() == fmt(value), (key, td.get("data-col"))
    # the county and city of one province are never one figure
    rows = con.execute("SELECT level, total FROM marts.province_comparison WHERE province = '湖北省' AND report_year = 2024 "
                       "AND metric = 'cases_handled' ORDER BY level").fetchall()
    assert [lvl for lvl, _ in rows] == ["city", "county", "province"]


def test_chart_data_equal_the_marts(page):
    con = page["con"]
    specs = json.loads(page["dom"].xpath("//script[@id='chart-specs']")[0].text)
    bars = specs["chart-metric-cases_handled"]["data"]
    for trace in bars:
        got = dict(zip(trace["x"], trace["y"]))
        want = dict(con.execute("SELECT province, total FROM marts.province_comparison WHERE metric = 'cases_handled' "
                                "AND report_year = 2024 AND level = ? AND unit = '件'", [trace["name"]]).fetchall())
        assert got == want
    cov = specs["chart-coverage"]["data"][0]
    want = {(p, str(y)): round(100 * f / n, 1) for p, y, f, n in con.execute(
        "SELECT province, report_year, count(*) FILTER (WHERE found), count(*) FROM marts.report_coverage GROUP BY ALL").fetchall()}
    got = {(p, y): cov["z"][i][j] for i, p in enumerate(cov["y"]) for j, y in enumerate(cov["x"])}
    assert got == want and want[("广东省", "2024")] == 50.0


def test_figures_link_to_their_facts(page):
    dom, con = page["dom"], page["con"]
    links = dom.xpath("//td[@data-mart]//a[starts-with(@href, '#f-')]")
    assert links
    for a in links:
        target = dom.xpath(f"//*[@id='{a.get('href')[1:]}']")
        assert target, a.get("href")
        for li in target[0].xpath(".//li[@data-fact]"):
            quote, url = con.execute("SELECT quote, document_url FROM marts.fact_provenance WHERE fact_id = ?",
                                     [li.get("data-fact")]).fetchone()
            assert li.xpath(".//q")[0].text == quote and li.xpath(".//a")[0].get("href") == url
    breakdowns = {f for (f,) in con.execute("SELECT fact_id FROM core.fact_metric WHERE is_part").fetchall()}
    assert breakdowns and not breakdowns & {li.get("data-fact") for li in dom.xpath("//li[@data-fact]")}


def test_the_run_data_quality_status_is_shown(page):
    dom = page["dom"]
    assert dom.xpath("//*[@id='dq-status']")[0].text == "attention"           # a document failed
    assert dom.xpath("//b[@data-count='documents_failed']")[0].text == "1"
