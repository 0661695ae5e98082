"""Parse: HTML bodies and meta, GBK pages, PDF text and tables, broken inputs."""
from __future__ import annotations

import io

import pytest

from etl.http import decode_html
from etl.parse import ParseError, join_lines, parse_fetched, parse_html, parse_pdf
from etl.records import Fetched

BODY = ("<p>本年度我局坚持依法行政，全年开展联合检查80余次，出动执法人员三千余人次，"
        "检查各类经营场所1.5万家次，立案查处违法案件46件。</p>" * 3)


def _page(body: str = BODY, charset: str = "utf-8") -> str:
    return (f'<html><head><meta charset="{charset}"><meta name="ArticleTitle" content="某局2024年法治政府建设年度报告">'
            '<meta name="PubDate" content="2025-03-20 09:30"><meta name="ContentSource" content="某县市场监督管理局">'
            '<title>门户网站</title></head><body><div class="crumb"><a href="/">首页</a> &gt; 法治政府建设</div>'
            f'<div class="article"><h1>某局2024年法治政府建设年度报告</h1>{body}</div>'
            '<div class="footer">主办单位：某县人民政府 电话：0551-6543210</div></body></html>')


def test_html_meta_and_body():
    p = parse_html(_page().encode("utf-8"), "text/html; charset=utf-8")
    assert p.title == "某局2024年法治政府建设年度报告"
    assert p.pub_date == "2025-03-20 09:30"
    assert p.content_source == "某县市场监督管理局"
    assert "联合检查80余次" in p.text
    assert "主办单位" not in p.text            # footer dropped


def test_gbk_page_decodes_by_declared_charset():
    raw = _page(charset="gb2312").encode("gb18030")
    p = parse_html(raw, "text/html")            # charset only in <meta>
    assert "出动执法人员三千余人次" in p.text
    assert decode_html("短文本".encode("gbk"), "text/html; charset=GBK") == "短文本"


def test_html_table_becomes_tab_separated_rows():
    table = "<table><tr><th>类别</th><th>案件数（件）</th></tr><tr><td>立案</td><td>46</td></tr></table>"
    p = parse_html(_page(BODY + table).encode("utf-8"))
    assert "类别\t案件数（件）" in p.text
    assert "立案\t46" in p.text


def test_join_lines_repairs_breaks_inside_numbers():
    assert join_lines(["全年共检查经营单位1.", "2万家次。", "二、严格执法", "出动人员880", "0人次。"]) == \
        "全年共检查经营单位1.2万家次。\n二、严格执法\n出动人员8800人次。"


def _pdf(lines: list[str], table: list[list[str]] | None = None) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    from reportlab.lib.styles import ParagraphStyle
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=12, leading=18, wordWrap="CJK")
    buf = io.BytesIO()
    story = [Paragraph(t, style) for t in lines]
    if table:
        t = Table(table)
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, "black")]))
        story.append(t)
    SimpleDocTemplate(buf, pagesize=A4).build(story)
    return buf.getvalue()


def test_pdf_text_and_table():
    data = _pdf(["一、执法检查", "全年开展双随机抽查120次，覆盖市场主体二千余户，发现并督促整改隐患问题340处。" * 2],
                [["项目", "数量（件）"], ["行政许可", "2191"], ["行政处罚", "58"]])
    text, pages = parse_pdf(data)
    assert pages == 1
    assert "覆盖市场主体二千余户" in text
    assert "项目\t数量（件）" in text and "行政许可\t2191" in text
    assert text.count("2191") == 1              # table cells are not repeated in the prose


def test_broken_pdf_is_a_clear_error():
    with pytest.raises(ParseError, match="broken PDF"):
        parse_pdf(b"%PDF-1.4\n1 0 obj garbage")


def test_cover_note_with_broken_attachment_reports_error():
    blobs = {"a": _page("<p>附件：报告全文</p>").encode(), "b": b"%PDF-1.7 truncated"}
    f = Fetched("s1", "http://x/a.html", "t", "fetched", "a", "text/html; charset=utf-8",
                [{"url": "http://x/a.pdf", "sha256": "b", "content_type": "application/pdf"}])
    p = parse_fetched(f, blobs.__getitem__)
    assert p.fmt == "pdf" and "broken PDF" in p.error and "a.pdf" in p.error


def test_cover_note_uses_pdf_text():
    blobs = {"a": _page("<p>附件：报告全文</p>").encode(), "b": _pdf(["全年办结行政复议案件12件。"])}
    f = Fetched("s1", "http://x/a.html", "t", "fetched", "a", "text/html; charset=utf-8",
                [{"url": "http://x/a.pdf", "sha256": "b", "content_type": "application/pdf"}])
    p = parse_fetched(f, blobs.__getitem__)
    assert p.fmt == "pdf" and p.error == "" and "行政复议案件12件" in p.text and p.pages == 1


def test_sentence_across_a_page_break_is_joined_and_page_numbers_dropped():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for body, no in (("全年共检查经营单位1.", "— 1 —"), ("2万家次，发现问题45处。", "— 2 —")):
        c.setFont("STSong-Light", 12)
        c.drawString(72, 700, body)
        c.drawString(280, 40, no)
        c.showPage()
    c.save()
    text, pages = parse_pdf(buf.getvalue())
    assert pages == 2
    assert "全年共检查经营单位1.2万家次，发现问题45处。" in text


def test_a_line_starting_with_a_decimal_is_not_a_heading():
    assert join_lines(["营业性演出审批同比增长", "12.5%。", "3.加强队伍建设"]) == "营业性演出审批同比增长12.5%。\n3.加强队伍建设"


def test_page_meta_charset_beats_a_latin1_http_header():
    raw = _page(charset="gb2312").encode("gb18030")
    assert "出动执法人员三千余人次" in decode_html(raw, "text/html; charset=ISO-8859-1")


def test_big5_with_hkscs_characters():
    text = "<html><head><meta charset='big5'></head><body>本署全年處理投訴一百二十宗，嘅</body></html>"
    assert "處理投訴一百二十宗，嘅" in decode_html(text.encode("big5hkscs"), "text/html")
