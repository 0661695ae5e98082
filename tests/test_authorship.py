"""Which document is the report and who wrote it (issue 18): titles decided by their head,
the writer read from the document and resolved to its region chain, every part of a
report read; and one night over real HTTP on the demo portal's authorship columns
(demo_portal/authorship.py), checked through DuckDB against what each item should become."""
from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from dataclasses import replace

import duckdb
import pytest
import yaml

from etl.discovery.titles import (classify, clean_title, full_title, head_of, reads_as_report, settle,
                                  year_of)
from etl.metadata import writer_of
from etl.parse import parse_fetched
from etl.parse.archive import MAX_DEPTH, members
from etl.parse.errors import ParseError
from etl.parse.html import parse_html
from etl.records import Fetched

# ---------------------------------------------------------------- titles: the head decides

FAMILIES = [
    # (title, decision, tentative, reason contains)
    ("关于XX县2023年度法治政府建设情况报告的审议意见", "decoy", False, "审议意见"),
    ("XX市2023年度法治政府建设情况报告的起草说明", "decoy", False, "起草说明"),
    ("XX市2023年法治政府建设年度报告新闻发布会", "decoy", False, "发布会"),
    ("《XX市2023年法治政府建设年度报告》解读", "decoy", False, "解读"),
    ("XX区关于法治政府建设督察反馈问题整改情况的报告", "decoy", False, "督察"),
    ("关于印发《XX县2023年法治政府建设年度报告》的通知", "decoy", False, "通知"),
    ("XX局召开法治政府建设推进会", "decoy", False, "会"),
    ("2023年法治政府建设考核结果的通报", "decoy", False, "通报"),
    ("一图读懂XX市2023年法治政府建设年度报告", "decoy", False, "illustrated"),
    ("XX局主要负责人2023年度述法报告", "decoy", False, "述法"),
    ("商水县2024年法治政府建设工作情况", "report", False, "工作情况"),
    ("XX县2023年法治政府建设工作开展情况", "report", False, "情况"),
    ("关于2023年度法治政府建设情况的报告", "report", False, "报告"),
    ("XX局法治政府建设工作总结", "report", False, "总结"),
    ("XX县司法局2023年法治政府建设年度报告（PDF）", "report", False, "年度报告"),
    ("XX县司法局2023年法治政府建设年度报告（上）", "report", False, "年度报告"),
    ("XX县人民政府关于2023年度法治政府建设情况的报告 2024-03-01", "report", False, "报告"),
    ("文章标题：XX县司法局2023年法治政府建设年度报告 作者：办公室 更新时间：2024-01-02", "report", False, "年度报告"),
    ("XX市2023年政府信息公开工作年度报告", "report", False, "政府信息公开"),
    ("区政府常务会议审议通过2023年法治政府建设年度报告", "report", True, "settled by the article"),
    ("我局深入推进法治政府建设", "report", True, "settled by the article"),
    ("关于XX局2023年法治政府建设年度报告的公示", "report", True, "settled by the article"),
    ("XX县人民政府关于2024年度法…", "report", True, "cut short"),
    ("2023年度行政执法数据公示", "decoy", False, "公示"),
]


@pytest.mark.parametrize("title, decision, tentative, why", FAMILIES)
def test_a_title_is_what_its_head_is(title, decision, tentative, why):
    d = classify(title)
    assert (d.decision, d.tentative) == (decision, tentative), d.reason
    assert why in d.reason


def test_head_strips_labels_quotes_and_dates():
    assert head_of("XX县2023年法治政府建设年度报告（PDF）-全文").word == "年度报告"
    assert head_of("《XX市2023年法治政府建设年度报告》解读").word == "解读"
    assert head_of("XX县2023年法治政府建设工作总结和2024年工作计划").word == "工作总结"    # coordinated heads
    assert head_of("XX县2023年法治政府建设年度报告 2024-03-01").word == "年度报告"


def test_tooltips_truncation_and_site_names():
    tip = "文章标题：大丰区司法局2024年法治政府建设年度报告 作者：办公室 更新时间：2025-02-11 09:00"
    assert clean_title(tip) == "大丰区司法局2024年法治政府建设年度报告"
    assert year_of(tip) == 2024                       # not the update time's
    assert full_title("天长市司法局2024年法治政府建设年度…", "天长市司法局2024年法治政府建设年度报告",
                      "盐城市司法局") == "天长市司法局2024年法治政府建设年度报告"
    assert full_title("建湖县人民政府", "建湖县2024年法治政府建设工作情况") == "建湖县2024年法治政府建设工作情况"
    assert full_title("响水县2024年法治政府建设年度报告（上）") == "响水县2024年法治政府建设年度报告"


def test_the_article_settles_a_tentative_title():
    news = "市政府常务会议审议通过2024年法治政府建设年度报告\n2月20日，市政府召开常务会议，审议通过年度报告。"
    title, d = settle("市政府常务会议审议通过2024年法治政府建设年度报告", "", news)
    assert d.decision == "decoy" and "news item" in d.reason
    report = ("XX区2024年法治政府建设年度报告\n2024年，区司法局坚持依法行政。\n一、主要举措\n略。\n二、存在不足\n略。"
              "\n三、下一步打算\n略。")
    _title, d = settle("区政府常务会议审议通过2024年法治政府建设年度报告", "", report)
    assert d.decision == "report" and "heading" in d.reason
    # a heading of another kind in the article decides against a report-like listed title
    _title, d = settle("XX局2024年法治政府建设年度报告…", "XX局2024年法治政府建设年度报告的起草说明", "一、起草背景")
    assert d.decision == "decoy" and "起草说明" in d.reason


def test_a_cover_note_does_not_read_as_the_report():
    note = ("XX局2024年法治政府建设年度报告\n根据有关规定，现将我局2024年法治政府建设年度报告予以公开，详见附件。")
    assert reads_as_report(note)[0] is False
    body = "XX局2024年法治政府建设年度报告\n2024年，我局坚持依法行政。现将有关情况报告如下。\n一、主要举措\n略"
    assert reads_as_report(body)[0] is True


# ---------------------------------------------------------------- the writer, from the document

CITY = {"agency": "威海市司法局", "province": "山东省", "province_code": "370000", "city": "威海市", "level": "city"}


def test_a_county_level_city_is_a_county_writer_under_its_prefecture():
    w = writer_of("2023年，乳山市司法局在市委、市政府的坚强领导下，全面推进依法行政。",
                  "乳山市司法局2023年法治政府建设年度报告", "", CITY)
    assert (w.agency, w.province, w.city, w.county, w.level) == ("乳山市司法局", "山东省", "威海市", "乳山市", "county")


def test_a_municipal_district_sits_under_its_municipality():
    w = writer_of("2023年，静海区坚持依法行政。\n天津市静海区人民政府\n2024年3月1日",
                  "静海区2023年法治政府建设情况的报告", "",
                  {"agency": "天津市人民政府", "province": "天津市", "province_code": "120000", "level": "province"})
    assert (w.agency, w.province, w.county, w.level) == ("天津市静海区人民政府", "天津市", "静海区", "county")


def test_opening_signature_and_publisher_name_the_writer():
    zj = {"agency": "浙江省应急管理厅", "province": "浙江省", "province_code": "330000", "level": "province"}
    w = writer_of("2023年，嘉兴市应急管理局深入贯彻落实……\n嘉兴市应急管理局\n2024年2月1日", "2023年法治政府建设年度报告", "", zj)
    assert (w.agency, w.city, w.level, w.source) == ("嘉兴市应急管理局", "嘉兴市", "city", "opening")
    js = {"agency": "建湖县人民政府", "province": "江苏省", "province_code": "320000", "city": "盐城市",
          "county": "建湖县", "level": "county"}
    w = writer_of("现将2023年度法治政府建设工作情况报告如下。", "关于2023年度法治政府建设工作情况的报告", "建湖县司法局", js)
    assert (w.agency, w.county, w.source) == ("盐城市建湖县司法局", "建湖县", "publisher")
    # nothing named: the column owner, the last fallback
    w = writer_of("一、主要举措\n我局持续推进。", "2023年法治政府建设年度报告", "", js)
    assert (w.agency, w.source) == ("建湖县人民政府", "column")


def test_a_region_alone_is_refined_by_a_later_department_of_that_region():
    w = writer_of("2023年，县司法局在县委领导下……\n长寿区司法局\n2024年1月2日", "长寿区2023年法治政府建设年度报告", "",
                  {"agency": "重庆市司法局", "province": "重庆市", "province_code": "500000", "level": "province"})
    assert (w.agency, w.county) == ("重庆市长寿区司法局", "长寿区")


def test_ministries_are_a_national_level_with_a_stable_code():
    w = writer_of("2022年，水利部坚持依法治水管水。", "水利部2022年法治政府建设年度报告", "", {})
    assert (w.agency, w.province, w.province_code, w.level) == ("水利部", "全国", "100000", "national")
    from etl.discovery.registry import parse_registry
    [src], problems = parse_registry({"sources": [{"id": "gj-slb", "agency": "水利部", "listing_url": "http://x/l.html"}]})
    assert not problems
    assert (src.province, src.province_code, src.level) == ("全国", "100000", "national")


# ---------------------------------------------------------------- every part of a report

def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            z.writestr(name, data)
    return out.getvalue()


def test_archives_are_opened_within_bounds():
    notes: list[str] = []
    inner = _zip([("report.txt", "正文".encode())])
    got = members(_zip([("a.txt", b"x" * 10), ("../escape.txt", b"y"), ("nested.zip", inner)]), notes)
    assert [m.name for m in got] == ["a.txt", "nested.zip/report.txt"]
    assert any("escapes" in n for n in notes)
    deep = inner
    for _ in range(MAX_DEPTH + 1):
        deep = _zip([("d.zip", deep)])
    notes = []
    assert members(deep, notes) == [] and any("nested deeper" in n for n in notes)
    bomb = _zip([("bomb.txt", b"0" * (70 * 2**20))])             # inflates past a member's limit
    notes = []
    assert members(bomb, notes) == [] and any("not read" in n for n in notes)
    with pytest.raises(ParseError):
        members(b"PK\x03\x04 not a zip", [])


def _page(body: str, title: str = "t") -> bytes:
    return (f"<html><head><title>{title}</title></head><body><div class='article'>{body}</div></body></html>").encode()


def test_the_part_that_reads_as_the_report_is_the_report_and_split_parts_are_joined():
    note = "<h1>XX县2024年法治政府建设年度报告</h1><p>" + "根据有关要求，现将报告全文予以公开，详见附件。" * 12 + "</p>"
    first = "XX县2024年法治政府建设年度报告（上）\n2024年，XX县坚持依法行政。现将有关情况报告如下。\n一、依法决策\n审查重大决策事项12件。"
    second = "XX县2024年法治政府建设年度报告（下）\n三、规范执法\n出动执法人员4100余人次。\n四、下一步打算\n略。"
    blobs = {"a": _page(note), "b": second.encode(), "c": first.encode()}
    f = Fetched("s", "http://x/a.html", "XX县2024年法治政府建设年度报告", "fetched", "a", "text/html", [
        {"url": "http://x/2.txt", "sha256": "b", "content_type": "text/plain", "text": "XX县2024年法治政府建设年度报告（下）.txt"},
        {"url": "http://x/1.txt", "sha256": "c", "content_type": "text/plain", "text": "XX县2024年法治政府建设年度报告（上）.txt"},
    ])
    p = parse_fetched(f, blobs.__getitem__)
    assert p.text.index("12件") < p.text.index("4100余人次")          # 上 before 下, whatever the page order
    assert "详见附件" not in p.text.split("【")[0]                     # the cover note is not the report


def test_word_paste_runs_are_joined_and_the_page_names_its_own_title():
    html = ("<html><head><title>建湖县人民政府</title></head><body>"
            "<table><tr><td>发布机构：</td><td>建湖县司法局</td></tr></table>"
            "<div class='detail-title'>建湖县司法局2023年法治政府建设年度报告</div><div id='zoom'>"
            "<p class='MsoNormal'><span>全年共办理行政复议案件</span><span>12\n</span>\n<span>3</span><span>件，同比增长</span>\n"
            "<span>5.</span>\n<span>2%</span><span>。</span><o:p></o:p></p></div></body></html>")
    page = parse_html(html.encode())
    assert "123件" in page.text and "5.2%" in page.text
    assert page.title == "建湖县司法局2023年法治政府建设年度报告"      # never the site's name
    assert page.publisher == "建湖县司法局"


def test_page_images_of_an_article_are_fetched_as_its_pages():
    from etl.fetch import page_images
    html = ("<html><body><div class='logo'><img src='/img/logo.png'></div><div id='zoom'><h1>X报告</h1>"
            "<p><img src='./p1.png' width='800'></p><p><img src='./p2.jpg'></p><img src='/ewm.png'></div></body></html>")
    links = page_images(html.encode(), "text/html", "http://x/a/b.html")
    assert [x.url for x in links] == ["http://x/a/p1.png", "http://x/a/p2.jpg"] and {x.how for x in links} == {"image"}
    long_text = "<p>" + "正文" * 600 + "</p>"
    assert page_images(html.replace("<h1>X报告</h1>", long_text).encode(), "text/html", "http://x/a/b.html") == []


# ---------------------------------------------------------------- one night on the demo portal

@pytest.fixture(scope="module")
def night(tmp_path_factory, site):
    from demo_portal.authorship import source_entries
    from demo_portal.server import Portal
    from etl.pipeline.runner import run_all
    from etl.settings import load_settings
    tmp = tmp_path_factory.mktemp("authorship")
    reg = tmp / "sources.yaml"
    reg.write_text(yaml.safe_dump({"sources": source_entries()}, allow_unicode=True), encoding="utf-8")
    with Portal(site) as portal:
        s = replace(load_settings(), data_dir=tmp / "data", warehouse=tmp / "data" / "wh.duckdb", sources_file=reg,
                    portal_url=portal.base_url, politeness_s=0, timeout_s=2.0, retries=1)
        run_all("authorship1", s)
        yield s, portal.base_url


def _rows(s, sql):
    with duckdb.connect(str(s.warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def _manifest(site):
    return json.loads((site / "manifest_authorship.json").read_text(encoding="utf-8"))


def test_every_report_is_in_core_report_under_its_writer(night, site):
    s, base = night
    got = {u[len(base):]: r for u, *r in _rows(s, "SELECT url, agency, province, province_code, city, county, level, "
                                                   "report_year, title FROM core.report")}
    reports = _manifest(site)["reports"]
    for m in reports:
        want = [m["agency"], m["province"], m["province_code"], m["city"] or None, m["county"] or None, m["level"],
                m["report_year"], m["title"]]
        assert got.get(m["url"]) == want, m["case"]
    assert len(got) == len(reports)


def test_no_document_about_the_report_is_taken_for_it(night, site):
    s, base = night
    decoys = {base + d["url"] for d in _manifest(site)["decoys"]}
    in_core = {u for (u,) in _rows(s, "SELECT url FROM core.report")}
    assert not decoys & in_core
    # the news item was fetched and read: kept with its reason, no facts
    [(kind, why, n)] = _rows(s, "SELECT report_kind, decision_reason, (SELECT count(*) FROM raw.facts f WHERE f.doc_id = d.doc_id) "
                                "FROM raw.documents d WHERE title LIKE '%审议通过%'")
    assert kind == "decoy" and "news item" in why and n == 0
    reasons = dict(_rows(s, "SELECT title, reason FROM raw.discovery WHERE decision = 'decoy'"))
    assert any("审议意见" in r for r in reasons.values()) and any("起草说明" in r for r in reasons.values())


def test_every_part_is_read_and_figures_go_to_their_writer(night, site):
    s, base = night
    truth = [json.loads(x) for x in (site / "truth_authorship.jsonl").read_text(encoding="utf-8").splitlines() if x]
    want = Counter((t["agency"], t["report_year"], t["value"], t["unit"]) for t in truth)
    got = Counter(_rows(s, "SELECT agency, report_year, value, unit FROM core.fact_metric"))
    assert got == want, (f"missing {list((want - got).items())[:8]} extra {list((got - want).items())[:8]}")
    fmts = dict(_rows(s, "SELECT title, fmt FROM core.report"))
    assert fmts["射阳县2024年法治政府建设年度报告"] == "ocr" and fmts["滨海县司法局2024年法治政府建设年度报告"] == "pdf"
    assert not _rows(s, "SELECT url, error FROM raw.document_errors")


def _xlsx(rows: list[list[str]]) -> bytes:
    """A minimal workbook as Excel writes it: shared strings, one sheet, numbers inline."""
    strings = sorted({c for r in rows for c in r if not c.replace(".", "").isdigit()})
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    cells = []
    for i, r in enumerate(rows, start=1):
        cs = "".join(f'<c r="{chr(65 + j)}{i}"><v>{c}</v></c>' if c.replace(".", "").isdigit()
                     else f'<c r="{chr(65 + j)}{i}" t="s"><v>{strings.index(c)}</v></c>' for j, c in enumerate(r))
        cells.append(f'<row r="{i}">{cs}</row>')
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return _zip([("xl/workbook.xml", f"<workbook {ns}/>".encode()),
                 ("xl/sharedStrings.xml", f"<sst {ns}>{sst}</sst>".encode()),
                 ("xl/worksheets/sheet1.xml", f"<worksheet {ns}><sheetData>{''.join(cells)}</sheetData></worksheet>".encode())])


def test_a_workbook_table_is_read_as_rows():
    from etl.parse import read_bytes, sniff
    data = _xlsx([["执法领域", "检查次数（次）"], ["食品安全", "4210"], ["特种设备", "2380"]])
    assert sniff(data) == "xlsx"
    assert read_bytes(data).text.splitlines() == ["执法领域\t检查次数（次）", "食品安全\t4210", "特种设备\t2380"]
