"""The pdfium PDF path: tables under their header, running headers and page labels out,
lines re-joined, encrypted / truncated / garbled files as recovered text or clear errors."""
from __future__ import annotations

import io
from collections import Counter

import pytest

from demo_portal.documents import PAGE_LABELS, report_pdf
from demo_portal.markup import Block
from etl.extract import extract_facts
from etl.parse import NeedsTool, ParseError, read_bytes, read_pdf
from etl.parse.lines import is_page_number, join_lines, strip_furniture
from etl.parse.plumber import read_pdf_plumber

AGENCY = "某某县市场监督管理局"
PROSES = ["本年度我局坚持依法行政，严格落实行政执法三项制度，全年开展双随机抽查{n}次，"
          "检查经营主体{m}家次，发现并督促整改问题隐患{k}处，持续提升监管效能。",
          "围绕群众反映集中的突出问题，组织开展专项整治{n}次，联合相关部门检查经营主体{m}家次，"
          "查处违法违规问题{k}处。",
          "坚持包容审慎监管，对首次轻微违法行为依法不予处罚，全年开展行政指导{n}次，走访经营主体{m}家次，"
          "帮助解决困难问题{k}处，营商环境持续优化。"]
PROSE = PROSES[0]
TABLE = [["执法领域", "检查次数（次）", "立案数（件）"], ["食品安全", "4210", "1846"], ["特种设备", "2380", "312"]]


def _blocks(pages: int, table: bool = True) -> list[Block]:
    out = []
    for i in range(pages * 5):
        out.append(Block("p", PROSES[i % 3].format(n=100 + i, m=2000 + i, k=30 + i)))
        if table and i == 3:
            out.append(Block("table", rows=TABLE))
    return out


def test_ruled_table_rows_keep_their_header_and_are_not_repeated_in_prose():
    data = report_pdf("某某县市场监督管理局2024年法治政府建设年度报告", AGENCY, _blocks(1))
    r = read_pdf(data)
    assert "执法领域\t检查次数（次）\t立案数（件）\n食品安全\t4210\t1846\n特种设备\t2380\t312" in r.text
    assert r.text.count("4210") == 1
    facts = {(f.value, f.unit) for f in extract_facts(r.text, "t")}
    assert {(4210.0, "次"), (1846.0, "件"), (312.0, "件")} <= facts     # units from the header


def test_a_table_running_over_a_page_gets_its_header_back():
    rows = [TABLE[0]] + [[f"领域{i}", str(1000 + i), str(i + 1)] for i in range(70)]
    data = report_pdf("", AGENCY, [Block("p", PROSE.format(n=1, m=2, k=3)), Block("table", rows=rows)])
    r = read_pdf(data)
    assert r.pages >= 2
    lines = r.text.split("\n")
    header = "\t".join(TABLE[0])
    assert lines.count(header) == r.pages                         # once per page the table is on
    starts = [i for i, line in enumerate(lines) if "\t" in line and (i == 0 or "\t" not in lines[i - 1])]
    assert all(lines[i] == header for i in starts)
    assert "领域69\t1069\t70" in lines
    facts = [(f.value, f.unit) for f in extract_facts(r.text, "t")]
    assert (1069.0, "次") in facts and (70.0, "件") in facts


@pytest.mark.parametrize("label", sorted(PAGE_LABELS))
def test_running_header_and_page_labels_are_removed(label):
    data = report_pdf("", AGENCY, _blocks(8, table=False), running_header=AGENCY + "文件", label=label)
    r = read_pdf(data)
    assert r.pages >= 4
    assert AGENCY + "文件" not in r.text
    assert "页" not in r.text and "—" not in r.text
    facts = Counter((f.value, f.unit) for f in extract_facts(r.text, "t"))
    assert all(facts[(2000.0 + i, "家次")] == 1 for i in range(40))  # sentences across page breaks too
    assert sum(facts.values()) == 3 * 40


def test_a_line_like_the_header_inside_the_body_is_kept():
    pages = [[AGENCY, f"正文第{i}段", f"{i + 1}"] for i in range(5)]
    pages[2].insert(2, "本段提到" + AGENCY)
    assert all(AGENCY not in line for p in strip_furniture(pages) for line in p if line == AGENCY)
    assert "本段提到" + AGENCY in strip_furniture(pages)[2]


@pytest.mark.parametrize("line,edge,expected", [
    ("— 3 —", False, True), ("- 12 -", False, True), ("第3页", False, True), ("第 3 页 共 12 页", False, True),
    ("共12页 第3页", False, True), ("3/12", False, True), ("Page 3 of 12", False, True), ("·5·", False, True),
    ("第三页", False, True), ("7", True, True), ("7", False, False), ("2191件", True, False),
    ("第三章 总则", False, False), ("3.加强队伍建设", True, False),
])
def test_page_number_forms(line, edge, expected):
    assert is_page_number(line, edge) is expected


def test_short_title_lines_are_not_glued_to_the_paragraph():
    body = ["全年共办理行政许可事项一千余件，办件总量较上年有所增加，群众满意度持续提升，" [:30]] * 8
    text = join_lines(["关于工作情况的报告"] + body)
    assert text.startswith("关于工作情况的报告\n")


def test_encrypted_with_empty_user_password_opens():
    data = report_pdf("", AGENCY, _blocks(1), user_password="")
    assert b"/Encrypt" in data
    r = read_pdf(data)
    assert "检查经营主体2000家次" in r.text and "食品安全\t4210\t1846" in r.text


def test_encrypted_with_a_password_is_a_clear_error():
    data = report_pdf("", AGENCY, _blocks(1), user_password="s3cret")
    with pytest.raises(ParseError, match="encrypted PDF: it needs a password"):
        read_pdf(data)


def test_truncated_pdf_is_recovered_or_a_clear_error():
    data = report_pdf("", AGENCY, _blocks(3, table=False))
    for cut in (0.4, 0.7, 0.95):
        try:
            r = read_pdf(data[: int(len(data) * cut)])
        except ParseError as e:
            assert "broken PDF" in str(e)
        else:
            assert "家次" in r.text and r.pages >= 1


@pytest.mark.parametrize("data,message", [
    (b"", "empty file"), (b"%PDF-1.4\n1 0 obj garbage", "broken PDF"), (b"\x00\x01binary" * 50, "not a document"),
])
def test_odd_bytes_are_clear_errors(data, message):
    with pytest.raises(ParseError, match=message):
        read_bytes(data)


def test_not_a_pdf_where_a_pdf_was_promised():
    with pytest.raises(ParseError, match="not a PDF but an HTML page"):
        read_bytes(b"<html><body>404 Not Found</body></html>", claimed="PDF")


def test_replacement_characters_in_both_engines_are_flagged(monkeypatch):
    monkeypatch.setenv("ETL_OCR_MAX_PAGES", "0")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 12)
    for i in range(20):
        c.drawString(72, 700 - 20 * i, "\ufffd" * 20 + "检查")
    c.save()
    with pytest.raises(NeedsTool, match=r"unmapped glyphs") as e:
        read_pdf(buf.getvalue())
    assert e.value.needs == "needs_ocr"


def test_pdfium_path_finds_what_the_pdfminer_path_finds():
    data = report_pdf("", AGENCY, _blocks(3), running_header=AGENCY, label="of")
    new = Counter((f.value, f.unit) for f in extract_facts(read_pdf(data).text, "t"))
    old = Counter((f.value, f.unit) for f in extract_facts(read_pdf_plumber(data)[0], "t"))
    assert new - old == Counter() or sum(new.values()) >= sum(old.values())
    assert old - new == Counter()


def test_grid_from_pdfium_edges_finds_pdfplumbers_tables():
    """The table finder on pdfium's path segments gives the cells pdfplumber's finder gives
    on pdfminer's layout, for a page with two tables, one wrapped cell and running rules."""
    import pdfplumber
    import pypdfium2 as pdfium
    from etl.parse.tables import find_tables, grid_tables, inventory
    rows = [["项目", "数量（件）", "备注"], ["行政许可", "2191", "含告知承诺制审批事项和容缺受理事项"], ["行政处罚", "58", ""]]
    data = report_pdf("", AGENCY, [Block("p", PROSES[1].format(n=1, m=2, k=3)), Block("table", rows=rows),
                                   Block("p", PROSES[2].format(n=4, m=5, k=6)), Block("table", rows=TABLE)],
                      running_header=AGENCY)
    pdf = pdfium.PdfDocument(data)
    page = pdf[0]
    tp = page.get_textpage()
    top = page.get_mediabox()[3]
    inv = inventory(page)
    assert inv.ruled
    ours = grid_tables(inv, top, lambda x0, y0, x1, y1: tp.get_text_bounded(left=x0 + 1, bottom=top - y1 + 1,
                                                                              right=x1 - 1, top=top - y0 - 1))
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        theirs = find_tables(plumber.pages[0])
    assert [t.rows for t in ours] == [t.rows for t in theirs]
    assert [[round(v) for v in t.bbox] for t in ours] == [[round(v) for v in t.bbox] for t in theirs]
    tp.close()
    page.close()
    pdf.close()


def test_a_page_with_only_a_header_rule_is_not_sent_to_the_table_finder():
    import pypdfium2 as pdfium
    from etl.parse.tables import inventory
    pdf = pdfium.PdfDocument(report_pdf("", AGENCY, _blocks(1, table=False), running_header=AGENCY))
    page = pdf[0]
    inv = inventory(page)
    assert inv.horizontal == 1 and not inv.ruled
    page.close()
    pdf.close()


def test_tuple_edges_give_pdfplumbers_cells_for_rules_a_fraction_apart_broken_and_doubled():
    """_grid_edges/_intersections/_cells (tuples) against pdfplumber's merge_edges,
    filter_edges, edges_to_intersections and intersections_to_cells (dicts), same floats."""
    import random
    from pdfplumber import table as pt
    from pdfplumber.utils import filter_edges
    from etl.parse.tables import EDGE_MIN, INTERSECT, JOIN, SNAP, _cells, _grid_edges, _intersections, _rows, _tables_of
    rnd = random.Random(7)
    for _ in range(60):
        xs = sorted(rnd.sample(range(50, 550, 7), rnd.randint(2, 6)))
        ys = sorted(rnd.sample(range(50, 750, 9), rnd.randint(2, 8)))
        segs = []
        for y in ys:                              # rules drawn in pieces, some a fraction off
            cut = rnd.uniform(xs[0], xs[-1])
            dy = rnd.choice([0, 0, 0.4, 1.7, 2.9])
            segs += [(xs[0], y + dy, cut, y + dy), (cut + rnd.choice([0, 1, 2.5, 4]), y, xs[-1], y)]
        for x in xs:
            dx = rnd.choice([0, 0, 0.3, 2.2])
            segs.append((x + dx, ys[0], x + dx, ys[-1]))
            if rnd.random() < 0.3:
                segs.append((x, ys[0], x, ys[-1]))  # drawn twice
        height = 800.0
        dicts = []
        for x0, y0, x1, y1 in segs:
            o = "h" if abs(y0 - y1) < 0.01 else "v"
            left, right, top, bottom = min(x0, x1), max(x0, x1), height - max(y0, y1), height - min(y0, y1)
            if max(right - left, bottom - top) < 1:
                continue                          # a dot, not a rule (as _edges drops it)
            dicts.append({"object_type": "line", "orientation": o, "x0": left, "x1": right, "top": top,
                          "bottom": bottom, "doctop": top, "width": right - left, "height": bottom - top})
        edges = filter_edges(pt.merge_edges(dicts, SNAP, SNAP, JOIN, JOIN), min_length=EDGE_MIN)
        theirs = pt.intersections_to_cells(pt.edges_to_intersections(edges, INTERSECT, INTERSECT))
        ours = _cells(_intersections(*_grid_edges(segs, height)))
        assert ours == theirs
        ours += [(a + 300, b + 20, c + 300, d + 20) for a, b, c, d in ours[::2]]   # a second table, overlapping
        tables = pt.cells_to_tables(ours)
        assert [sorted(t) for t in _tables_of(ours)] == [sorted(t) for t in tables]
        assert [_rows(t) for t in _tables_of(ours)] == [[r.cells for r in pt.Table(None, t).rows] for t in tables]
