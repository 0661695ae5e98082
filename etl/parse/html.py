"""HTML article pages: body text (trafilatura), meta tags, tables as tab-separated rows.

Pages nested deeper than libxml2 allows (CMS templates that never close a <div>) used to
come out silently empty: they are flattened first, and the flattening is recorded.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from ..http import decode_html
from .errors import ParseError

MAX_DEPTH = 160                  # trafilatura re-parses without huge_tree: stay well below 255
_BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article"}
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<!--.*?-->|<[^>]*>", re.S | re.I)


@dataclass
class Page:
    """What one HTML page says about itself."""
    title: str
    text: str
    pub_date: str
    content_source: str
    warning: str = ""


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


class _Flattener(HTMLParser):
    """Re-emit a page with at most MAX_DEPTH open elements: deeper tags are dropped (block
    tags become <br>), their text is kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []
        self.kept = 0                       # open elements that were emitted

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            self.out.append(f"<{tag}>" if tag != "meta" else self.get_starttag_text() or "")
            return
        keep = self.kept < MAX_DEPTH
        self.stack.append((tag, keep))
        self.kept += keep
        if keep:
            self.out.append(self.get_starttag_text() or f"<{tag}>")
        elif tag in _BLOCK:
            self.out.append("<br>")

    def handle_endtag(self, tag):
        if not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            t, keep = self.stack.pop()
            self.kept -= keep
            if keep:
                self.out.append(f"</{t}>")
            elif t in _BLOCK:
                self.out.append("<br>")
            if t == tag:
                break

    def handle_data(self, data):
        self.out.append(escape(data, quote=False))


def flatten(page: str) -> str:
    f = _Flattener()
    f.feed(page)
    f.close()
    return "".join(f.out) + "".join(f"</{t}>" for t, keep in reversed(f.stack) if keep)


def _depth(tree) -> int:
    from lxml import etree
    depth = deepest = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        depth += 1 if event == "start" else -1
        deepest = max(deepest, depth)
    return deepest


def _visible_chars(page: str) -> int:
    return len("".join(_TAGS.sub(" ", page).split()))


def _tree(page: str):
    """The parsed page, flattened first when it nests too deep for the parsers downstream
    (or so deep that libxml2 dropped part of it). Returns (tree, warning)."""
    from lxml import html as lxml_html
    parser = lxml_html.HTMLParser(huge_tree=True)
    try:
        tree = lxml_html.fromstring(page, parser=parser)
    except Exception as e:
        raise ParseError(f"not an HTML page: {type(e).__name__}: {e}") from e
    seen = len("".join(tree.text_content().split()))
    if _depth(tree) <= MAX_DEPTH and seen >= 0.5 * _visible_chars(page) - 50:
        return tree, ""
    tree = lxml_html.fromstring(flatten(page), parser=parser)
    return tree, f"HTML nested deeper than {MAX_DEPTH} levels: flattened before reading"


def parse_html(content: bytes, content_type: str = "") -> Page:
    import trafilatura                                     # heavy: import when used
    from lxml import html as lxml_html
    page = decode_html(content, content_type)
    if not page.strip():
        raise ParseError("empty HTML page")
    tree, warning = _tree(page)
    title = _meta(tree, "ArticleTitle") or _meta(tree, "og:title")
    if not title:
        h1 = tree.xpath("//h1")
        title = h1[0].text_content().strip() if h1 else (tree.findtext(".//title") or "").strip()
    tables = _pull_tables(tree)
    text = trafilatura.extract(lxml_html.tostring(tree, encoding="unicode"), include_tables=False,
                               include_comments=False, deduplicate=False) or ""
    return Page(title=" ".join(title.split()), text=_put_tables(text, tables),
                pub_date=_meta(tree, "PubDate") or _meta(tree, "pubdate"),
                content_source=_meta(tree, "ContentSource"), warning=warning)
