"""PDF attachments, written with reportlab's built-in CID font (no font file needed).

Output is byte-identical across runs (invariant mode). Paragraphs are kept whole on a
page so the page footer ("— 1 —") never lands inside a sentence.
"""
from __future__ import annotations

import io
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .markup import Block

FONT = "STSong-Light"


@lru_cache(maxsize=1)
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = dict(fontName=FONT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("title", fontSize=20, leading=30, alignment=TA_CENTER, spaceAfter=18, **base),
        "h": ParagraphStyle("h", fontSize=15, leading=26, firstLineIndent=30, **base),
        "p": ParagraphStyle("p", fontSize=15, leading=26, firstLineIndent=30, **base),
        "cell": ParagraphStyle("cell", fontSize=11, leading=16, **base),
    }


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(b: Block) -> Table:
    t = Table(b.rows, hAlign="CENTER")
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 11),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("ALIGN", (1, 1), (-1, -1), "CENTER"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ]))
    return t


def _flowables(title: str, blocks: list[Block]) -> list:
    """Title, then each paragraph kept whole, each heading kept with what follows it."""
    st = _styles()
    out: list = [Paragraph(_escape(title), st["title"])]
    pending: list = []                  # headings waiting for their first paragraph
    for b in blocks:
        if b.kind == "table":
            out += [KeepTogether(pending + [Spacer(1, 6), _table(b)]), Spacer(1, 10)]
            pending = []
            continue
        para = Paragraph(_escape(b.text) if b.kind == "p" else f"<b>{_escape(b.text)}</b>", st[b.kind])
        if b.kind == "h":
            pending.append(para)
            continue
        out.append(KeepTogether(pending + [para]))
        pending = []
    if pending:
        out.append(KeepTogether(pending))
    return out


def _page_number(canvas, doc) -> None:  # noqa: ANN001 (reportlab callback)
    canvas.saveState()
    canvas.setFont(FONT, 12)
    canvas.drawCentredString(A4[0] / 2, 1.4 * cm, f"— {doc.page} —")
    canvas.restoreState()


def render_pdf(title: str, author: str, blocks: list[Block]) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2.8 * cm, rightMargin=2.6 * cm,
                            topMargin=3.0 * cm, bottomMargin=2.8 * cm,
                            title=title, author=author, creator="", producer="", invariant=1)
    doc.build(_flowables(title, blocks), onFirstPage=_page_number, onLaterPages=_page_number)
    return buf.getvalue()


def break_pdf(data: bytes) -> bytes:
    """A damaged attachment: the head of a real PDF, then garbage, no xref, no %%EOF."""
    head = data[: max(64, len(data) // 3)]
    garbage = bytes((i * 73 + 41) % 256 for i in range(2048))
    return head + garbage
