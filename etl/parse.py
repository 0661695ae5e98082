"""Parse fetched reports into text: HTML article bodies (trafilatura) and PDF attachments
(pdfplumber, pypdfium2 as fallback).

Tables become lines of tab-separated cells (header first), which the extractor reads with
the header's unit. PDF lines are re-joined into paragraphs, since PDF line breaks fall
anywhere, even inside a number.
"""
from __future__ import annotations

import hashlib
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .http import decode_html
from .records import Fetched, Parsed

log = logging.getLogger(__name__)

MIN_ARTICLE_CHARS = 300          # below this an article page is a cover note for its attachment
_END = "。；！？：:;!?）)」”"
_HEADING = re.compile(r"^\s*(第?[一二三四五六七八九十]+[、．.章]|（[一二三四五六七八九十]+）|\d+[、.．](?!\d)|附件)")
# Page furniture between pages: "— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 12 页".
_PAGE_NO = re.compile(r"^\s*[-—–－]*\s*(第\s*)?\d{1,4}\s*(页\s*(共\s*\d{1,4}\s*页)?)?\s*[-—–－]*\s*$")


class ParseError(Exception):
    pass


@dataclass
class Page:
    """What one HTML page says about itself."""
    title: str
    text: str
    pub_date: str
    content_source: str


def _meta(tree, name: str) -> str:
    for el in tree.xpath(f'//meta[@name="{name}" or @property="{name}"]'):
        if el.get("content"):
            return el.get("content").strip()
    return ""


def _cell(el) -> str:
    return " ".join(el.text_content().split())


def _pull_tables(tree) -> list[str]:
    """Replace each <table> by a placeholder paragraph; return the tables as TSV blocks.

    trafilatura renders tables inconsistently (markdown on some pages, one cell per line
    on others), so tables are taken out before it runs and put back after."""
    from lxml import etree
    blocks = []
    for i, table in enumerate(list(tree.iter("table"))):
        rows = []
        for tr in table.iter("tr"):
            cells = [_cell(c) for c in tr if c.tag in ("td", "th")]
            if any(cells):
                rows.append("\t".join(cells))
        if table.getparent() is not None:
            marker = etree.Element("p")
            marker.text = f"TBL{i}PLACEHOLDER"
            table.getparent().replace(table, marker)
        blocks.append("\n".join(rows))
    return blocks


def _put_tables(text: str, blocks: list[str]) -> str:
    for i, block in enumerate(blocks):
        marker = f"TBL{i}PLACEHOLDER"
        text = text.replace(marker, block) if marker in text else (text + "\n" + block if block else text)
    return text


def parse_html(content: bytes, content_type: str = "") -> Page:
    import trafilatura                                     # heavy: import when used
    from lxml import html as lxml_html
    page = decode_html(content, content_type)
    try:
        tree = lxml_html.fromstring(page)
    except Exception as e:
        raise ParseError(f"not an HTML page: {e}") from e
    title = _meta(tree, "ArticleTitle") or _meta(tree, "og:title")
    if not title:
        h1 = tree.xpath("//h1")
        title = h1[0].text_content().strip() if h1 else (tree.findtext(".//title") or "").strip()
    tables = _pull_tables(tree)
    text = trafilatura.extract(lxml_html.tostring(tree, encoding="unicode"), include_tables=False,
                               include_comments=False, deduplicate=False) or ""
    return Page(title=" ".join(title.split()), text=_put_tables(text, tables),
                pub_date=_meta(tree, "PubDate") or _meta(tree, "pubdate"),
                content_source=_meta(tree, "ContentSource"))


def join_lines(lines: list[str]) -> str:
    """Re-join PDF lines: a line that does not end a sentence continues on the next one."""
    out: list[str] = []
    for raw in lines:
        line = raw.strip()
        if not line or _PAGE_NO.match(line):
            continue
        if out and not out[-1].endswith(tuple(_END)) and "\t" not in out[-1] \
                and not _HEADING.match(line) and not _is_short_heading(out[-1]):
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _is_short_heading(line: str) -> bool:
    return bool(_HEADING.match(line)) and len(line) < 30


def _page_text(page) -> tuple[list[str], list[str]]:
    """Prose lines outside tables, and tables as TSV rows."""
    tables = page.find_tables()
    rows: list[str] = []
    for t in tables:
        for row in t.extract():
            cells = [" ".join((c or "").split()) for c in row]
            if any(cells):
                rows.append("\t".join(cells))
    if tables:
        boxes = [t.bbox for t in tables]

        def outside(obj) -> bool:
            cx = (obj.get("x0", 0) + obj.get("x1", 0)) / 2
            cy = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
            return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)
        page = page.filter(outside)
    text = page.extract_text() or ""
    return text.split("\n"), rows


def parse_pdf(content: bytes) -> tuple[str, int]:
    """(text, pages). Prose lines of all pages are joined once, so a sentence (or a number)
    broken across a page break is whole again; page numbers are dropped; tables follow
    the prose as TSV blocks. Falls back to pypdfium2 when pdfminer sees no text (CFF fonts)."""
    import pdfplumber
    try:
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            lines: list[str] = []
            tables: list[str] = []
            for page in pdf.pages:
                page_lines, rows = _page_text(page)
                lines += page_lines
                if rows:
                    tables.append("\n".join(rows))
            n = len(pdf.pages)
        text = "\n".join(t for t in [join_lines(lines), *tables] if t)
        if len(text.strip()) < 20 and n:
            text = _pdfium_text(content)
    except Exception as e:
        raise ParseError(f"broken PDF: {type(e).__name__}: {e}") from e
    return text, n


def _pdfium_text(content: bytes) -> str:
    import pypdfium2 as pdfium
    doc = pdfium.PdfDocument(content)
    try:
        lines = []
        for i in range(len(doc)):
            lines += doc[i].get_textpage().get_text_range().replace("\r\n", "\n").split("\n")
        return join_lines(lines)
    finally:
        doc.close()


def doc_id_of(source_id: str, url: str) -> str:
    """Stable id of a report: its source and article path. The content may change, the id
    does not; neither does it when a site moves host or port (as the demo portal does)."""
    parts = urlsplit(url)
    key = f"{source_id}|{parts.path}?{parts.query}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def parse_fetched(f: Fetched, read_blob) -> Parsed:
    """Turn a fetched report into text. The HTML body is the report unless it is a short
    cover note, then its PDF attachments are. Errors come back in `Parsed.error`."""
    base = dict(doc_id=doc_id_of(f.source_id, f.url), source_id=f.source_id, url=f.url, content_sha256=content_sha_of(f))
    try:
        page = parse_html(read_blob(f.sha256), f.content_type)
    except ParseError as e:
        return Parsed(**base, title=f.title, text="", fmt="html", error=str(e))
    title = page.title or f.title
    common = dict(base, title=title, pub_date=page.pub_date, content_source=page.content_source)
    if len(page.text) >= MIN_ARTICLE_CHARS or not f.attachments:
        return Parsed(**common, text=page.text, fmt="html")
    texts, pages, errors = [], 0, []
    for a in f.attachments:
        if a.get("error") or not a["sha256"]:
            errors.append(f"attachment {a['url']}: {a.get('error', 'missing')}")
            continue
        try:
            t, n = parse_pdf(read_blob(a["sha256"]))
            texts.append(t)
            pages += n
        except ParseError as e:
            errors.append(f"attachment {a['url']}: {e}")
    if not texts:   # no text to load: retried every night (cheaply, by 304) until fixed
        return Parsed(**common, text="", fmt="pdf", error="; ".join(errors) or "no text")
    return Parsed(**common, text="\n".join(texts), fmt="pdf", pages=pages, error="; ".join(errors))


def read_file(path: Path) -> tuple[str, str]:
    """(text, title) of a local .txt/.html/.pdf file, for the command line."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return parse_pdf(data)[0], ""
    if suffix in (".html", ".htm"):
        p = parse_html(data)
        return p.text, p.title
    return decode_html(data.removeprefix(b"\xef\xbb\xbf"), "text/plain; charset=utf-8"), ""


def content_sha_of(f: Fetched) -> str:
    """One hash over the article and its attachments: any change means re-extraction."""
    shas = [f.sha256] + [a.get("sha256", "") for a in f.attachments]
    return hashlib.sha256("".join(shas).encode()).hexdigest()
