"""Attachments in every shape departments publish, built from a report's blocks:

- report_pdf       a text PDF with a running header (agency name over a rule) on every
                   page, a page label in one of several styles, ruled tables; optionally
                   encrypted with an empty user password (opens without asking)
- scanned_pdf      image-only pages: the report text rendered to pixels, no text layer
- docx_bytes       a Word document: headings, paragraphs, tables
- doc_bytes        the same converted to Word 97 (.doc) by LibreOffice headless, or None
                   when LibreOffice is not installed (cached, so builds stay byte-identical)

Everything is deterministic: same blocks, same bytes.
"""
from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .markup import Block

from .pdfs import FONT, _escape      # the portal's one CJK font and text escaping
WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
PAGE_LABELS = {
    "dash": "— {n} —",
    "page": "第 {n} 页",
    "of": "第{n}页 共{total}页",
    "slash": "{n}/{total}",
    "plain": "{n}",
}


@lru_cache(maxsize=1)
def _styles() -> dict:
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = dict(fontName=FONT, wordWrap="CJK")
    return {
        "title": ParagraphStyle("t9", fontSize=18, leading=28, alignment=TA_CENTER, spaceAfter=14, **base),
        "h": ParagraphStyle("h9", fontSize=14, leading=24, firstLineIndent=28, **base),
        "p": ParagraphStyle("p9", fontSize=14, leading=24, firstLineIndent=28, **base),
    }


def _table(rows: list[list[str]]):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle
    t = Table(rows, hAlign="CENTER", repeatRows=0)
    t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10.5),
                           ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return t


def flowables(title: str, blocks: list[Block]) -> list:
    from reportlab.platypus import Paragraph, Spacer
    st = _styles()
    out: list = [Paragraph(_escape(title), st["title"])] if title else []
    for b in blocks:
        if b.kind == "table":
            out += [Spacer(1, 6), _table(b.rows), Spacer(1, 10)]
        else:
            out.append(Paragraph(_escape(b.text), st[b.kind if b.kind in st else "p"]))
    return out


def report_pdf(title: str, author: str, blocks: list[Block], running_header: str = "",
               label: str = "dash", user_password: str | None = None, owner_password: str = "owner-9") -> bytes:
    """A text PDF. `running_header` is drawn over a rule at the top of every page, the page
    label at the bottom; `user_password` ("" = opens without one) encrypts it (RC4 128)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate
    story = flowables(title, blocks)
    total = _count_pages(story, title, author) if "{total}" in PAGE_LABELS[label] else 0

    def furniture(canvas, doc) -> None:  # noqa: ANN001 (reportlab callback)
        canvas.saveState()
        canvas.setFont(FONT, 10.5)
        if running_header:
            canvas.drawCentredString(A4[0] / 2, A4[1] - 1.6 * cm, running_header)
            canvas.setLineWidth(0.8)
            canvas.line(2.5 * cm, A4[1] - 1.8 * cm, A4[0] - 2.5 * cm, A4[1] - 1.8 * cm)
        canvas.drawCentredString(A4[0] / 2, 1.3 * cm, PAGE_LABELS[label].format(n=doc.page, total=total))
        canvas.restoreState()

    encrypt = None
    if user_password is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption
        encrypt = StandardEncryption(user_password, owner_password, canPrint=1, canCopy=1, strength=128)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=2.6 * cm, rightMargin=2.6 * cm, topMargin=2.8 * cm,
                            bottomMargin=2.6 * cm, title=title, author=author, creator="", producer="",
                            invariant=1, encrypt=encrypt)
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return buf.getvalue()


def _count_pages(story: list, title: str, author: str) -> int:
    import copy
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import cm
    from reportlab.platypus import SimpleDocTemplate
    doc = SimpleDocTemplate(io.BytesIO(), pagesize=A4, leftMargin=2.6 * cm, rightMargin=2.6 * cm,
                            topMargin=2.8 * cm, bottomMargin=2.6 * cm, invariant=1)
    doc.build(copy.deepcopy(story))
    return doc.page


# ---------------------------------------------------------------- scanned

def _wrap(text: str, font, width: int) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if font.getlength(cur + ch) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    return lines + [cur] if cur else lines


def page_images(title: str, blocks: list[Block], dpi: int = 150) -> list:
    """A4 grayscale pages with the report set in WenQuanYi Micro Hei on an off-white ground,
    as a scanner sees them; tables as three-line tables with their columns apart."""
    from PIL import Image, ImageDraw, ImageFont
    w, h = int(8.27 * dpi), int(11.69 * dpi)
    size = int(dpi * 14 / 72)                      # 14 pt
    font = ImageFont.truetype(WQY, size)
    margin, leading = int(dpi * 0.9), int(size * 1.7)
    items: list[tuple[str, Any]] = []           # ("line", text) / ("row", cells) / ("rule", None)
    if title:
        items += [("line", x) for x in _wrap(title, font, w - 2 * margin)] + [("line", "")]
    for b in blocks:
        if b.kind == "table":
            widths = [max(font.getlength(r[i]) for r in b.rows) + 2 * size for i in range(len(b.rows[0]))]
            items += [("rule", widths), ("row", (b.rows[0], widths)), ("rule", widths)]
            items += [("row", (r, widths)) for r in b.rows[1:]] + [("rule", widths), ("line", "")]
        else:
            items += [("line", x) for x in _wrap("　　" + b.text, font, w - 2 * margin)]
    pages, y, draw = [], h, None
    for kind, what in items:
        step = leading if kind != "rule" else size // 2
        if y + step > h - margin:
            img = Image.new("L", (w, h), 246)
            draw = ImageDraw.Draw(img)
            pages.append(img)
            y = margin
        assert draw is not None                 # y starts at h: the first item opens a page
        if kind == "line":
            draw.text((margin, y), what, font=font, fill=20)
        elif kind == "row":
            cells, widths = what
            x: float = margin
            for cell, cw in zip(cells, widths):
                draw.text((x, y), cell, font=font, fill=20)
                x += cw
        else:
            draw.line((margin, y + size // 4, margin + sum(what), y + size // 4), fill=40, width=2)
        y += step
    return pages


def scanned_pdf(title: str, blocks: list[Block], dpi: int = 300) -> bytes:
    """An image-only PDF (one JPEG per page, no text layer), as a scanner writes it."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    for img in page_images(title, blocks, dpi):
        jpg = io.BytesIO()
        img.save(jpg, "JPEG", quality=80)
        jpg.seek(0)
        c.drawImage(ImageReader(jpg), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()
    return buf.getvalue()


# ---------------------------------------------------------------- Word

def docx_bytes(title: str, blocks: list[Block]) -> bytes:
    import docx
    d = docx.Document()
    d.core_properties.author = "demo"
    import datetime
    stamp = datetime.datetime(2025, 1, 1)
    d.core_properties.created = d.core_properties.modified = stamp
    d.core_properties.last_printed = stamp
    if title:
        d.add_heading(title, level=1)
    for b in blocks:
        if b.kind == "table":
            t = d.add_table(rows=len(b.rows), cols=len(b.rows[0]))
            t.style = "Table Grid"
            for i, row in enumerate(b.rows):
                for j, cell in enumerate(row):
                    t.cell(i, j).text = cell
        elif b.kind == "h":
            d.add_heading(b.text, level=2)
        else:
            d.add_paragraph(b.text)
    buf = io.BytesIO()
    d.save(buf)
    return _fixed_zip(buf.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with every entry dated 2025-01-01: byte-identical builds."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fzzf-demo-docs"


def doc_bytes(docx: bytes) -> bytes | None:
    """Word 97 (.doc) bytes of a DOCX via LibreOffice headless; None without LibreOffice.
    LibreOffice stamps the time into its output, so a conversion is cached by input hash."""
    key = hashlib.sha256(docx).hexdigest()[:24]
    cached = _cache_dir() / f"{key}.doc"
    if cached.exists():
        return cached.read_bytes()
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(prefix="demo-soffice-") as tmp:
        src = Path(tmp) / "report.docx"
        src.write_bytes(docx)
        cmd = [exe, f"-env:UserInstallation={Path(tmp, 'profile').as_uri()}", "--headless", "--norestore",
               "--convert-to", "doc:MS Word 97", "--outdir", tmp, str(src)]
        subprocess.run(cmd, capture_output=True, timeout=180, env={**os.environ, "HOME": tmp})
        out = Path(tmp) / "report.doc"
        if not out.exists():
            return None
        data = out.read_bytes()
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp_file = cached.with_suffix(f".{os.getpid()}.tmp")
    tmp_file.write_bytes(data)
    tmp_file.replace(cached)
    return data


# ---------------------------------------------------------------- portal hook

def build_report(site, art, doc, title: str) -> None:
    """Publish a report whose ReportSpec.fmt is one of formats.FORMATS: a cover note (the
    usual 现将…予以公开 line) linking the attachment, with the report's truth."""
    from . import pages
    from .content import PDF_INTRO
    from .generator import _add_manifest, _truth_records
    a, spec = art.agency, art.spec
    data, ext = _attachment(spec.fmt, title, a.agency, doc.blocks)
    url = art.pdf_url[: -len(".pdf")] + "." + ext
    site.add(url, data, spec.pub)
    note = Block("p", PDF_INTRO.format(title=f"《{title}》"))
    link = [("./" + url.rsplit("/", 1)[1], f"{title}.{ext}")]
    site.add_html(art.url, pages.article_page(a, title, spec.pub, pages.body_html([note], a.indent), link),
                  a.charset, spec.pub)
    site.truth.extend(_truth_records(a, spec, art.url, doc))
    _add_manifest(site, art, pdf_url=url if ext == "pdf" else "", n_facts=len(doc.facts))
    site.manifest[-1]["attachment"] = url


def _attachment(fmt: str, title: str, agency: str, blocks: list[Block]) -> tuple[bytes, str]:
    if fmt == "scanned":
        return scanned_pdf(title, blocks), "pdf"
    if fmt == "ruled":
        return report_pdf(title, agency, blocks, running_header=agency, label="of"), "pdf"
    if fmt == "encrypted":
        return report_pdf(title, agency, blocks, user_password=""), "pdf"
    docx = docx_bytes(title, blocks)
    if fmt == "doc":
        doc = doc_bytes(docx)
        return (doc, "doc") if doc is not None else (docx, "docx")   # no LibreOffice: the DOCX
    return docx, "docx"
