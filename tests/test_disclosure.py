"""Disclosure reports: the three layouts into cells, the consistency rules, the suite."""
from __future__ import annotations

from dataclasses import asdict

import pytest

from demo_portal import disclosure as D
from etl.disclosure import layout as F
from etl.disclosure.cells import read_value
from etl.disclosure.checks import equations
from etl.disclosure.kind import report_kind
from etl.disclosure.labels import fold, ordinal, ordinal_style
from etl.disclosure.reader import read_report
from etl.disclosure.text_tables import html_lines, text_cells

TITLE = "某某局2024年政府信息公开工作年度报告"


def _truth(rep: dict) -> dict[str, dict]:
    return {t["metric"]: t for t in rep["truth"]}


def _assert_cells_match(cells, rep) -> None:
    truth = _truth(rep)
    got = {c.metric: c for c in cells if c.section != "stated"}      # section 一's figures: apart
    assert set(got) == set(truth)
    wrong = {m: (truth[m]["raw"], got[m].raw) for m in truth if got[m].raw != truth[m]["raw"]}
    assert not wrong
    for m, c in got.items():
        assert c.status == truth[m]["status"], m
        assert c.value == truth[m]["value"], m
        assert c.unit == truth[m]["unit"], m


@pytest.mark.parametrize("agency_id,year", [("hb-sft", 2024), ("zj-xh-wjj", 2023), ("gd-ns-cgj", 2023)])
def test_html_tables_with_merged_cells(agency_id, year):
    rep = D.report(agency_id, "某某局", year, TITLE)      # gd-ns-cgj 2023: Traditional labels
    reading = read_report(rep["body"], [], "")
    assert reading.layout == "html"
    table = [c for c in reading.cells if c.section != "stated"]
    assert len(table) == len(F.all_metric_ids()) == 201      # 200 table cells + 信息处理费
    stated = {c.metric: c.value for c in reading.cells if c.section == "stated"}     # section 一's sentence
    truth = _truth(rep)
    assert stated == {"xxgk.stated.requests.new": truth["xxgk.requests.new.total"]["value"],
                      "xxgk.stated.requests.carried_over": truth["xxgk.requests.carried_over.total"]["value"],
                      "xxgk.stated.reconsideration": truth["xxgk.reconsideration.total"]["value"]}
    _assert_cells_match(reading.cells, rep)
    c = {c.metric: c for c in reading.cells}["xxgk.result.withheld.state_secret.natural_person"]
    assert "不予公开" in fold(c.row_label) and fold(c.col_label).endswith("自然人") and c.table == 1


def test_variant_labels_matched_by_text_and_dashes_kept_as_published():
    rep = D.report("zj-xh-wjj", "某某局", 2024, TITLE)
    assert rep["layout"] == "variant"
    cells = {c.metric: c for c in read_report(rep["body"], [], "").cells}
    assert cells["xxgk.result.withheld.state_secret.total"].row_label.endswith("1、国家秘密")
    fees = cells["xxgk.active.fees.amount"]
    assert fees.unit == "万元"
    dashes = [c for c in cells.values() if c.status == "dash"]
    blanks = [c for c in cells.values() if c.status == "blank"]
    assert dashes and blanks and all(c.value is None for c in dashes + blanks)


def test_pdf_ruled_tables():
    rep = D.report("hb-sft", "某某局", 2023, TITLE)
    assert rep["pdf"][:5] == b"%PDF-"
    reading = read_report(None, [rep["pdf"]], "")
    assert reading.layout == "pdf"
    _assert_cells_match(reading.cells, rep)


def test_flattened_text_one_cell_per_line():
    rep = D.report("gd-gz-sthjj", "某某局", 2024, TITLE)
    page = f"<html><body><div>首页 2 3</div>{rep['body']}<div>联系电话 12</div></body></html>"
    reading = read_report(page, [], "")
    assert reading.layout == "text"           # no <table>: read from the lines
    _assert_cells_match(reading.cells, rep)


def test_flattened_row_with_a_missing_cell_is_unaligned_not_guessed():
    rep = D.report("gd-gz-sthjj", "某某局", 2024, TITLE)
    lines = html_lines(rep["body"]).splitlines()
    i = lines.index("二、上年结转政府信息公开申请数量")
    del lines[i + 3]                          # a blank cell leaves no line
    cells = {c.metric: c for c in text_cells("\n".join(lines))}
    row = [cells[f"xxgk.requests.carried_over.{c}"] for c in F.REQUEST_COLUMN_IDS]
    assert {c.status for c in row} == {"unaligned"} and all(c.value is None for c in row)
    assert cells["xxgk.requests.new.total"].status == "number"
    checks = {c.check: c for c in equations(list(cells.values()))}
    assert checks["balance:natural_person"].status == "not_evaluated"


def test_tsv_rows_keep_blank_cells():
    text = "\n".join(["三、收到和处理政府信息公开申请情况", "\t\t\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计",
                      "一、本年新收政府信息公开申请数量\t\t\t5\t1\t\t\t\t\t6"])
    cells = {c.metric: c for c in text_cells(text)}
    assert cells["xxgk.requests.new.natural_person"].value == 5
    assert cells["xxgk.requests.new.research"].status == "blank"
    assert cells["xxgk.requests.new.total"].value == 6


def test_consistent_report_passes_every_rule():
    rep = D.report("hb-sft", "某某局", 2024, TITLE)
    eqs = equations(read_report(rep["body"], [], "").cells)
    rules = {e.check.split(":")[0] for e in eqs}
    assert rules == {"row_total", "balance", "result_total", "appeal_total"}
    assert all(e.status == "ok" for e in eqs)


def test_planted_error_caught_and_named():
    rep = D.report("js-jn-yjglj", "某某局", 2024, TITLE)
    assert rep["planted"] == D.PLANTED_EQUATION
    failed = [e for e in equations(read_report(rep["body"], [], "").cells) if e.status == "failed"]
    assert [e.check for e in failed] == [D.PLANTED_EQUATION]
    assert failed[0].lhs == failed[0].rhs + 1
    assert "xxgk.reconsideration.total" in failed[0].figures
    assert failed[0].describe().startswith(f"{D.PLANTED_EQUATION}: xxgk.reconsideration.total = ")


def test_gx_suite_flags_the_failing_checks_and_keeps_every_cell():
    import json
    from etl.disclosure.validate import validate_reports
    reps = []
    for aid, y in (("hb-sft", 2024), ("js-jn-yjglj", 2024), ("hb-qk-wlj", 2023)):
        r = D.report(aid, "某某局", y, TITLE)
        reps.append({"doc_id": aid, "cells": [asdict(c) for c in read_report(r["body"], [], "").cells]})
    reps[0]["cells"][0] = {**reps[0]["cells"][0], "raw": "2.5", "value": 2.5, "status": "number"}
    out = validate_reports(reps)
    assert out.flagged_docs == {"hb-sft", "js-jn-yjglj"}
    assert len(out.cells) == sum(len(r["cells"]) for r in reps)          # nothing held back
    q = out.flags
    planted = q[(q.doc_id == "js-jn-yjglj") & (q.status == "failed")]
    assert list(planted["check"]) == [D.PLANTED_EQUATION]
    involved = set(json.loads(planted["cells"].iloc[0]))
    flagged = set(out.cells[(out.cells.doc_id == "js-jn-yjglj") & out.cells.flagged]["metric"])
    assert flagged == involved and "xxgk.reconsideration.total" in involved
    frac = q[q.doc_id == "hb-sft"]
    assert any(r == "count is a whole number" for r in frac["reasons"])
    assert not len(out.cells[(out.cells.doc_id == "hb-qk-wlj") & out.cells.flagged])


def test_labels_fold_and_ordinals():
    assert fold("（三）不予公开") == "不予公开"
    assert fold("1.屬於國家秘密") == "属于国家秘密"
    assert ordinal("（十二）x") == 12 and ordinal("3、重复申请") == 3 and ordinal("规章") is None
    # circled numbers survive the width folding (NFKC alone turns ③ into 3 and loses the ordinal)
    assert ordinal("③不予公开") == 3 and ordinal_style("③不予公开") == "circled" and fold("③不予公开") == "不予公开"
    assert ordinal("１．申请") == 1 and ordinal_style("１．申请") == "arabic"


@pytest.mark.parametrize("raw,status,value", [("0", "number", 0.0), ("", "blank", None), ("/", "dash", None),
                                              ("—", "dash", None), ("12.50", "number", 12.5), ("见附件", "text", None),
                                              ("1,234", "number", 1234.0)])
def test_values_read_never_guessed(raw, status, value):
    assert read_value(raw) == (status, value)


def test_report_kind_from_title_or_headings():
    assert report_kind(TITLE) == "disclosure"
    assert report_kind("某局2024年法治政府建设年度报告") == "rule_of_law"
    body = "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n"
    assert report_kind("年度报告", body) == "disclosure"
    assert report_kind("关于印发工作要点的通知", "") == ""
    joint = "某局2024年法治政府建设和政府信息公开工作年度报告"
    assert report_kind(joint, "", hint="rule_of_law") == "rule_of_law"   # the text decides, else discovery
    assert report_kind(joint, body, hint="rule_of_law") == "disclosure"


def _older_format_matrix() -> str:
    """The 2019 format's matrix (其他处理 one line), ASCII brackets, one Traditional label."""
    def row(label, vals, span=3):
        return f'<tr><td colspan="{span}">{label}</td>' + "".join(f"<td>{v}</td>" for v in vals) + "</tr>"
    rows = ['<tr><td rowspan="3" colspan="3"></td><td colspan="7">申请人情况</td></tr>',
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>',
            '<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>',
            row("一、本年新收政府信息公开申请数量", [4, 1, 0, 0, 0, 0, 5]),
            row("二、上年结转政府信息公开申请数量", [0] * 7),
            '<tr><td rowspan="20">三、本年度办理结果</td>' + row("(一)予以公开", [2, 1, 0, 0, 0, 0, 3], 2)[4:],
            row("(二)部分公开", [0] * 7, 2)]
    cats = (("(三)不予公开", ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”",
                          "4.保护第三方合法权益", "5.屬於三類內部事務信息", "6.属于四类过程性信息",
                          "7.属于行政执法案卷", "8.属于行政查询事项"]),
            ("(四)无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
            ("(五)不予处理", ["1.信访举报投诉类申请", "2.重复申请", "3.要求提供公开出版物", "4.无正当理由大量反复申请",
                          "5.要求行政机关确认或重新出具已获取信息"]))
    for cat, subs in cats:
        for i, s in enumerate(subs):
            vals = [1, 0, 0, 0, 0, 0, 1] if s.startswith("4.保护") else [0] * 7
            head = f'<tr><td rowspan="{len(subs)}">{cat}</td>' if i == 0 else "<tr>"
            rows.append(head + f"<td>{s}</td>" + "".join(f"<td>{v}</td>" for v in vals) + "</tr>")
    rows += [row("(六)其他处理", [1, 0, 0, 0, 0, 0, 1], 2), row("(七)总计", [4, 1, 0, 0, 0, 0, 5], 2),
             row("四、结转下年度继续办理", [0] * 7)]
    return "<table>" + "".join(rows) + "</table>"


def _read(cells) -> dict:
    """The cells read (not the layout's cells recorded as unread)."""
    return {c.metric: c for c in cells if c.status != "unread"}


def test_older_format_labels_and_single_other_line():
    reading = read_report(_older_format_matrix(), [], "")
    cells = _read(reading.cells)
    assert len(cells) == 23 * 7
    unread = [c for c in reading.cells if c.status == "unread"]       # 表二 and 表四 are not in the page
    assert len(unread) == 6 + 4 + 15 and {c.note for c in unread} == {"table not found (二)", "table not found (四)"}
    assert cells["xxgk.result.other.total.natural_person"].value == 1      # no sub-lines: the category's own
    assert cells["xxgk.result.withheld.internal_affairs.total"].row_label.endswith("5.屬於三類內部事務信息")
    assert cells["xxgk.result.withheld.third_party.total"].value == 1
    assert all(e.status == "ok" for e in equations(list(cells.values())))   # 其他处理 line counted once


def test_pdf_matrix_split_over_two_pages():
    import io

    import pdfplumber
    rep = D.report("hb-sft", "某某局", 2024, TITLE)
    raw = {t["metric"].removeprefix("xxgk."): t["raw"] for t in rep["truth"]}
    prose = D._prose("某某局", 2024, D.figures("hb-sft", 2024))
    prose["一、总体情况"] = prose["一、总体情况"] * 9        # pushes the matrix over a page break
    pdf = D.pdf_bytes(TITLE, "某某局", prose, D.tables(raw, "html"))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert sum(len(p.find_tables()) for p in doc.pages) > 3    # 3 tables, one split over pages
    reading = read_report(None, [pdf], "")
    _assert_cells_match(reading.cells, rep)


def test_cli_reads_files_of_any_charset(tmp_path, capsys):
    import json

    from etl.__main__ import main
    rep = D.report("js-jn-yjglj", "某某局", 2024, TITLE)
    gbk = tmp_path / "gbk.html"
    gbk.write_bytes(f'<html><head><meta charset="gbk"></head><body>{rep["body"]}</body></html>'.encode("gb18030"))
    bare = tmp_path / "bare.htm"
    bare.write_bytes(rep["body"].encode("utf-8"))          # a fragment, no charset declared
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(D.report("hb-sft", "某某局", 2023, TITLE)["pdf"])
    assert main(["disclosure", "--format", "jsonl", str(gbk), str(bare), str(pdf)]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    cells = [r for r in rows if "metric" in r and r["section"] != "stated"]
    assert {f: sum(1 for r in cells if r["file"] == str(f)) for f in (gbk, bare, pdf)} == \
        {gbk: 201, bare: 201, pdf: 201}      # 200 table cells + 信息处理费
    failed = [r for r in rows if r.get("status") == "failed"]
    assert {(r["file"], r["check"]) for r in failed} == {(str(gbk), D.PLANTED_EQUATION), (str(bare), D.PLANTED_EQUATION)}


def test_retyped_labels_found_by_similarity_or_ordinal():
    html = (_older_format_matrix()
            .replace("二、上年结转政府信息公开申请数量", "二、上年度结转的申请数量")     # no keyword: ordinal 二
            .replace("(一)予以公开", "(一)同意公开全部内容")                       # ordinal （一）
            .replace("四、结转下年度继续办理", "四、结转下一年度办理")              # similarity
            .replace("2.重复申请", "2.重复提出的申请")                             # similarity among 不予处理's lines
            .replace("(四)无法提供", "(四)信息不存在等"))                         # parent by ordinal
    cells = _read(read_report(html, [], "").cells)
    assert len(cells) == 23 * 7
    assert cells["xxgk.requests.carried_over.total"].match == "position"
    assert cells["xxgk.result.disclosed.total"].value == 3
    assert cells["xxgk.carried_forward.total"].row_label == "四、结转下一年度办理"
    assert "xxgk.result.not_processed.duplicate.total" in cells
    assert cells["xxgk.result.unavailable.not_held.total"].row_label.startswith("三、本年度办理结果 / (四)信息不存在等")
    assert all(e.status == "ok" for e in equations(list(cells.values())))


def test_word_attachment_read_through_the_parsers_tsv():
    """A DOCX attachment: etl.parse reads its tables as TSV rows (a merged cell once, blank
    continuations kept); the text layout places every cell."""
    from etl.parse.office import read_docx
    rep = D.report("hb-sft", "某某局", 2024, TITLE)
    raw = {t["metric"].removeprefix("xxgk."): t["raw"] for t in rep["truth"]}
    data = D.docx_bytes(D._prose("某某局", 2024, D.figures("hb-sft", 2024)), D.tables(raw, "html"))
    reading = read_report(None, [], read_docx(data).text)
    assert reading.layout == "text"
    _assert_cells_match(reading.cells, rep)


def test_unnumbered_lines_and_parent_in_the_same_label():
    text = "\n".join(["三、收到和处理政府信息公开申请情况", "三、本年度办理结果",
                      "（三）不予公开 属于国家秘密 1 0 0 0 0 0 1",          # parent and line on one line
                      "其他法律行政法规禁止公开 0 0 0 0 0 0 0",            # no ordinal, parent carried
                      "（四）无法提供 本机关不掌握相关政府信息 2 0 0 0 0 0 2",
                      "（七）总计 3 0 0 0 0 0 3"])
    cells = {c.metric: c for c in text_cells(text)}
    assert cells["xxgk.result.withheld.state_secret.natural_person"].value == 1
    assert cells["xxgk.result.withheld.law_prohibited.total"].value == 0
    assert cells["xxgk.result.unavailable.not_held.total"].value == 2
    assert "xxgk.result.withheld.total.total" not in cells and "xxgk.result.unavailable.total.total" not in cells


@pytest.mark.parametrize("changes,expected", [
    ({"requests.new.total": 1}, {"row_total:requests.new", "balance:total"}),
    ({"carried_forward.natural_person": 1, "carried_forward.total": 1},
     {"balance:natural_person", "balance:total"}),
    ({"result.disclosed.business": 1, "result.disclosed.total": 1}, {"result_total:business", "result_total:total"}),
    ({"result.withheld.third_party.legal_service": 2}, {"row_total:result.withheld.third_party",
                                                        "result_total:legal_service"}),
    ({"litigation.direct.upheld": 1}, {"appeal_total:litigation.direct"}),
])
def test_each_rule_names_the_equation_a_planted_error_breaks(changes, expected):
    rep = D.report("hb-sft", "某某局", 2024, TITLE)
    raw = {t["metric"].removeprefix("xxgk."): t["raw"] for t in rep["truth"]}
    for m, d in changes.items():
        raw[m] = str(int(raw[m]) + d)
    html = "".join(D._html_table(t) for t in D.tables(raw, "html"))
    failed = {e.check for e in equations(read_report(html, [], "").cells) if e.status == "failed"}
    assert failed == expected


@pytest.mark.parametrize("text,value,unit", [
    ("六、其他需要报告的事项\n本年度未收取信息处理费。", 0.0, "元"),
    ("六、其他需要报告的事项\n本年度共收取信息处理费120元。", 120.0, "元"),
    ("六、其他需要报告的事项\n依据《政府信息公开信息处理费管理办法》，本机关收取信息处理费共计1.5万元。", 1.5, "万元"),
    ("六、其他需要報告的事項\n本年度未收取信息處理費。", 0.0, "元"),
    ("一、总体情况\n收取信息处理费3元\n六、其他需要报告的事项\n无。", None, None),   # only 六 counts
])
def test_processing_fee_from_section_six(text, value, unit):
    from etl.disclosure.prose import processing_fee
    c = processing_fee(text)
    assert (c.value, c.unit) == (value, unit) if value is not None else c is None
