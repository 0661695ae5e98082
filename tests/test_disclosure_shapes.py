"""The shapes sites republish 政府信息公开年报 in, on this project's own reports (demo_portal.
disclosure, in the national layout): printed PDFs breaking inside a merged group, their text
layers with page numbers and running headers, tables pasted as text into an article,
Traditional script, blank total columns, misprinted totals, a lost sub-group."""
from __future__ import annotations

import io
from dataclasses import asdict

import pdfplumber
import pytest

from demo_portal import disclosure as D
from etl.disclosure import layout as F
from etl.disclosure.checks import equations
from etl.disclosure.reader import read_report
from etl.disclosure.text_tables import strip_furniture, text_cells

TITLE = "某某局2024年政府信息公开工作年度报告"
BREAKS = {
    "五 cut after its first line, 六 after its first": ("2.重复申请", D.PRINTED_BREAKS[1]),
    "五 cut before its third line, 六 before 3.其他": ("3.要求提供公开出版物", "3.其他"),
    "三 cut mid-group, 五 starts a page": ("5.属于三类内部事务信息", "1.信访举报投诉类申请"),
}


def _report(agency: str = "hb-sft", year: int = 2024, raw_changes: dict | None = None):
    rep = D.report(agency, "某某局", year, TITLE)
    raw = {t["metric"].removeprefix("xxgk."): t["raw"] for t in rep["truth"]}
    raw.update(raw_changes or {})
    truth = {f"xxgk.{m}": r for m, r in raw.items() if m != "other.processing_fee"}
    return raw, truth, D._prose("某某局", year, D.figures(agency, year))


def _printed(breaks: tuple[str, ...], raw_changes: dict | None = None) -> tuple[bytes, dict]:
    raw, truth, prose = _report(raw_changes=raw_changes)
    return D.printed_pdf(TITLE, "某某局", prose, D.tables(raw, "html"), breaks), truth


def _text_layer(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(p.extract_text() or "" for p in doc.pages)


def _wrong(cells, truth: dict) -> dict:
    got = {c.metric: c for c in cells if c.status != "unread"}
    return {m: (r, got[m].raw if m in got else None) for m, r in truth.items()
            if m not in got or got[m].raw != r}


@pytest.mark.parametrize("breaks", list(BREAKS.values()), ids=list(BREAKS))
def test_printed_pdf_breaking_inside_a_group_keeps_every_row(breaks):
    pdf, truth = _printed(breaks)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page_texts = [p.extract_text() for p in doc.pages]
    cut = next(i for i, t in enumerate(page_texts) if breaks[0] in t)
    assert breaks[0] in page_texts[cut] and "（五）不予处理" not in page_texts[cut - 1].split(breaks[0])[0][-40:]
    reading = read_report(None, [pdf], "")
    assert reading.layout == "pdf" and not _wrong(reading.cells, truth)
    assert not [c for c in reading.cells if c.status == "unread"]
    eqs = equations(reading.cells)
    assert eqs and {e.status for e in eqs} == {"ok"}


@pytest.mark.parametrize("breaks", list(BREAKS.values()), ids=list(BREAKS))
def test_text_layer_with_page_numbers_headers_and_wrapped_labels(breaks):
    pdf, truth = _printed(breaks)
    text = _text_layer(pdf)
    assert "- 2 -" in text and text.count(TITLE) >= 3          # footers and running headers are there
    assert "（六）其他\n" in text or "（六）其他 " in text       # the parent label split over lines
    cleaned = strip_furniture(text)
    assert "- 2 -" not in cleaned and cleaned.count(TITLE) == 1
    cells = text_cells(text)
    assert not _wrong(cells, truth)
    assert {e.status for e in equations(cells)} == {"ok"}


def test_footer_glued_after_a_row_and_a_label_over_three_lines():
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "申请人情况",
        "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计",
        "一、本年新收政府信息公开申请数量 9 1 0 0 0 0 10",
        "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0 - 3 -",       # the page number on the row's line
        "（四）无法提供 1.本机关不掌握相关政府信息 4 0 0 0 0 0 4",
        "2.没有现成信息需要",
        "另行制作 1 0 0 0 0 0 1",
        "3.补正后申请内容",
        "仍不明确",
        "0 0 0 0 0 0 0",                                              # figures below a three-line label
        "（五）不予处理 1.信访举报投诉类申请 2 1 0 0 0 0 3",
    ])
    cells = {c.metric: c for c in text_cells(text)}
    assert [cells[f"xxgk.requests.carried_over.{c}"].raw for c in F.REQUEST_COLUMN_IDS] == ["0"] * 7
    assert cells["xxgk.result.unavailable.needs_creation.total"].raw == "1"
    assert cells["xxgk.result.unavailable.unclear.total"].raw == "0"
    assert cells["xxgk.result.not_processed.petition.total"].raw == "3"


def test_numbering_restarting_after_a_break_opens_the_next_group():
    """Sub-lines retyped without the format's words: a '1.' after （四）'s three lines were
    read belongs to （五）, the group its numbering starts, never back into （四）."""
    text = "\n".join([
        "三、收到和处理政府信息公开申请情况",
        "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计",
        "（四）无法提供",
        "1.本机关不掌握相关政府信息 4 0 0 0 0 0 4",
        "2.没有现成信息需要另行制作 1 0 0 0 0 0 1",
        "3.补正后申请内容仍不明确 0 0 0 0 0 0 0",
        "1.举报类来信 2 0 0 0 0 0 2",
        "2.同一事项再次来函 5 0 0 0 0 0 5",
    ])
    cells = {c.metric: c for c in text_cells(text)}
    assert cells["xxgk.result.unavailable.not_held.total"].raw == "4"
    assert cells["xxgk.result.not_processed.petition.total"].raw == "2"
    assert cells["xxgk.result.not_processed.duplicate.total"].raw == "5"
    assert cells["xxgk.result.not_processed.duplicate.total"].match == "position"


def test_table_pasted_as_text_into_an_article():
    """The tables' text pasted into the article: section 一's own sub-heading （二）依申请公开情况
    and a sentence quoting 结果维持 in section 四 are prose, never rows."""
    pdf, truth = _printed(())
    lines = strip_furniture(_text_layer(pdf)).splitlines()
    i = next(n for n, x in enumerate(lines) if x.startswith("四、政府信息公开行政复议"))
    lines[i + 1:i + 1] = ["本年度发生政府信息公开行政复议案件，其中结果维持25件，经复核均依法作出答复。"]
    j = next(n for n, x in enumerate(lines) if x.startswith("一、总体情况"))
    lines[j + 1:j + 1] = ["（二）依申请公开情况", "全年依法受理各类申请并按期答复，详见下表。"]
    body = "".join(f"<p>{x}</p>" for x in lines)
    page = f'<html><head><meta charset="utf-8"><title>{TITLE}</title></head><body><div class="nav">首页</div>' \
           f'<div class="article">{body}</div></body></html>'
    reading = read_report(page, [], "")
    assert reading.layout == "text" and not _wrong(reading.cells, truth)
    assert {e.status for e in equations(reading.cells)} == {"ok"}


def test_traditional_text_layer():
    from demo_portal.markup import to_traditional
    pdf, truth = _printed(BREAKS["五 cut after its first line, 六 after its first"])
    hant = to_traditional()(_text_layer(pdf))
    assert "處理" in hant and "結轉" in hant
    assert not _wrong(text_cells(hant), truth)


def test_lost_subgroup_is_reported_unread_not_passed():
    """A text layer that lost （五）'s lines (a crawler's truncated copy): every lost cell is
    unread with its reason, the equations over them are not evaluated (with the terms),
    and nothing fails falsely."""
    pdf, truth = _printed(())
    lines = [x for x in strip_furniture(_text_layer(pdf)).splitlines()
             if not any(x.startswith(k) for k in ("1.信访", "2.重复", "3.要求提供", "4.无正当", "5.要求行政"))]
    reading = read_report(None, [], "\n".join(lines))
    unread = [c for c in reading.cells if c.status == "unread"]
    assert {c.metric.rsplit(".", 1)[0] for c in unread} == {
        f"xxgk.result.not_processed.{s.id}" for s in F.RESULT_CATEGORIES[4].subs}
    assert all(c.note == "line not found in the table" for c in unread)
    eqs = {e.check: e for e in equations(reading.cells)}
    assert not [e for e in eqs.values() if e.status == "failed"]
    rt = eqs["result_total:total"]
    assert rt.status == "not_evaluated" and "xxgk.result.not_processed.petition.total" in rt.unread
    assert "not evaluated" in rt.describe()
    assert eqs["balance:total"].status == "ok"


def _html(raw: dict) -> str:
    return "".join(D._html_table(t) for t in D.tables(raw, "html"))


def test_blank_total_column_is_blank_and_the_checks_say_how_they_counted_it():
    raw, truth, _ = _report()
    rows = [r for r in {m.rsplit(".", 1)[0] for m in raw} if r.startswith("result.") and r != "result.total"]
    blank = {f"{r}.total": "" for r in rows}
    cells = {c.metric: c for c in read_report(_html({**raw, **blank}), [], "").cells}
    assert all(cells[f"xxgk.{m}"].status == "blank" and cells[f"xxgk.{m}"].value is None for m in blank)
    zero = [c for c in cells.values() if c.status == "number" and c.value == 0]
    assert zero                                    # a published 0 stays a number
    failed = [e for e in equations(list(cells.values())) if e.status == "failed"]
    nonzero = {r for r in rows if int(raw[f"{r}.total"])}
    assert {e.check for e in failed} == {f"row_total:{r}" for r in nonzero} | {"result_total:total"}
    e = next(e for e in failed if e.check.startswith("row_total:"))
    assert e.blank == [e.equation.split(" = ")[0]] and "count as 0" in e.describe()


def test_inconsistent_reports_are_flagged_not_held():
    from etl.disclosure.validate import validate_reports
    raw, truth, _ = _report()
    blank = {f"{r}.total": "" for r in {m.rsplit(".", 1)[0] for m in raw} if r.startswith("result.") and r != "result.total"}
    misprint = {"litigation.direct.total": "0", "litigation.direct.upheld": "2"}
    reps = [{"doc_id": "blank-totals", "cells": [asdict(c) for c in read_report(_html({**raw, **blank}), [], "").cells]},
            {"doc_id": "misprinted", "cells": [asdict(c) for c in read_report(_html({**raw, **misprint}), [], "").cells]},
            {"doc_id": "clean", "cells": [asdict(c) for c in read_report(_html(raw), [], "").cells]}]
    out = validate_reports(reps)
    assert out.flagged_docs == {"blank-totals", "misprinted"}
    assert len(out.cells) == sum(len(r["cells"]) for r in reps)
    mis = out.flags[(out.flags.doc_id == "misprinted") & (out.flags.status == "failed")]
    assert list(mis["check"]) == ["appeal_total:litigation.direct"]
    flagged = out.cells[out.cells.flagged]
    assert set(flagged[flagged.doc_id == "misprinted"]["metric"]) == {
        f"xxgk.litigation.direct.{o}" for o in ("total", "upheld", "corrected", "other", "pending")}
    assert "blank" in " ".join(out.flags[out.flags.doc_id == "blank-totals"]["convention"].dropna())


@pytest.mark.parametrize("text,expected", [
    ("一、总体情况\n（二）依申请公开情况。本年度共收到政府信息公开申请42件，上年结转3件，均按期答复。"
     "全年发生政府信息公开行政复议2件、行政诉讼1件。\n二、主动公开政府信息情况",
     {"requests.new": 42, "requests.carried_over": 3, "reconsideration": 2, "litigation": 1}),
    ("一、总体情况\n全年受理政府信息公开申请 17 件。本年度未发生因政府信息公开引起的行政复议、行政诉讼。\n"
     "三、收到和处理政府信息公开申请情况", {"requests.new": 17, "reconsideration": 0, "litigation": 0}),
    ("一、總體情況\n本年度共收到政府信息公開申請8件。\n二、主動公開政府信息情況", {"requests.new": 8}),
    ("二、主动公开政府信息情况\n本年度共收到政府信息公开申请42件。", {}),          # only section 一 counts
])
def test_stated_figures_of_section_one(text, expected):
    from etl.disclosure.prose import stated_figures
    got = {c.metric.removeprefix("xxgk.stated."): c.value for c in stated_figures(text)}
    assert got == expected


def test_table_pasted_cell_by_cell_keeps_its_blank_cells():
    """One <p> per cell, blank cells as empty paragraphs (<p>&nbsp;</p>): each is a blank
    figure, so a row with blanks still lines up, and an empty paragraph between blocks is no
    row."""
    raw, truth, prose = _report()
    blank = {m: "" for m in raw if m.endswith((".research", ".social_welfare")) or m.startswith("litigation.direct.")}
    body = D.html_body(prose, D.tables({**raw, **blank}, "html"), flat=True).replace("<p></p>", "<p>&nbsp;</p>")
    for sec in ("三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况"):
        assert f"{sec}</strong></p>" in body
        body = body.replace(f"{sec}</strong></p>", f"{sec}</strong></p><p> </p>")     # spacing
    cells = {c.metric: c for c in read_report(f"<html><body>{body}</body></html>", [], "").cells}
    want = {**truth, **{f"xxgk.{m}": "" for m in blank}}
    assert {m: c.raw for m, c in cells.items() if m in want} == want
    assert all(cells[f"xxgk.{m}"].status == "blank" for m in blank)
    assert not [c for c in cells.values() if c.status in ("unread", "unaligned")]


def test_pdf_printed_without_rules_is_read_from_its_text_layer():
    raw, truth, prose = _report()
    pdf = D.printed_pdf(TITLE, "某某局", prose, D.tables(raw, "html"), BREAKS["三 cut mid-group, 五 starts a page"],
                        ruled=False)
    reading = read_report(None, [pdf], "")
    assert reading.layout == "text" and reading.tried[0].startswith("pdf: 0 cells")
    assert not _wrong(reading.cells, truth)


def test_review_cli_lists_and_refuses_unknown_reports(tmp_path, monkeypatch, capsys):
    from etl.__main__ import main
    monkeypatch.setenv("ETL_WAREHOUSE", str(tmp_path / "wh.duckdb"))
    monkeypatch.setenv("ETL_SNAPSHOT_DIR", str(tmp_path / "snap"))
    assert main(["disclosure", "review"]) == 0
    assert "no flagged disclosure report" in capsys.readouterr().out
    assert main(["disclosure", "review", "doc-x", "--by", "qa"]) == 2          # a decision is required
    assert main(["disclosure", "review", "doc-x", "--by", "qa", "--decision", "accepted"]) == 1
    assert "no loaded disclosure report 'doc-x'" in capsys.readouterr().err


def test_appeals_header_split_over_two_pages():
    """表四's header cut between its two label rows: the page-2 part has a narrower header;
    the 15 figures still land in the 15 columns."""
    pdf, truth = _printed(("结果维持",))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert sum(len(p.find_tables()) for p in doc.pages) > 4         # 表四 in two parts
    cells = read_report(None, [pdf], "").cells
    appeals = {m: r for m, r in truth.items() if m.startswith(("xxgk.reconsideration", "xxgk.litigation"))}
    assert not _wrong([c for c in cells if c.section == "appeals"], appeals)


def test_header_cell_cut_by_a_page_keeps_its_whole_label():
    """A printed header row cut through its wrapped cells: '社会公益' on one page, '组织' at
    the top of the next; the column label is joined, the figures placed as usual."""
    from etl.disclosure.grid import build_grid
    from etl.disclosure.reader import grid_matcher
    cols = ["自然人", "商业企业", "科研机构", "社会公益", "法律服务", "其他", "总计"]
    page1 = [[("三、收到和处理", 1, 3)] + [(c, 1, 1) for c in cols]]
    page2 = [[("", 1, 3), ("", 1, 1), ("", 1, 1), ("", 1, 1), ("组织", 1, 1), ("机构", 1, 1), ("", 1, 1), ("", 1, 1)],
             [("一、本年新收政府信息公开申请数量", 1, 3)] + [(v, 1, 1) for v in "3 1 0 2 0 0 6".split()]]
    m = grid_matcher([build_grid(0, page1), build_grid(1, page2)], "pdf")
    cells = {c.metric: c for c in m.cells}
    assert cells["xxgk.requests.new.social_welfare"].col_label == "社会公益组织"
    assert cells["xxgk.requests.new.legal_service"].col_label == "法律服务机构"
    assert [cells[f"xxgk.requests.new.{c}"].raw for c in F.REQUEST_COLUMN_IDS] == "3 1 0 2 0 0 6".split()
