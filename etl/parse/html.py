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
    publisher: str = ""          # 发布机构 of the page's metadata table (or its meta tags)


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
    title = own_title(tree)
    publisher = publisher_of(tree)
    join_inline_runs(tree)
    tables = _pull_tables(tree)
    text = trafilatura.extract(lxml_html.tostring(tree, encoding="unicode"), include_tables=False,
                               include_comments=False, deduplicate=False) or ""
    return Page(title=" ".join(title.split()), text=_put_tables(text, tables),
                pub_date=_meta(tree, "PubDate") or _meta(tree, "pubdate"),
                content_source=_meta(tree, "ContentSource"), warning=warning, publisher=publisher)


# ---------------------------------------------------------------- the page's own title

_TITLE_CLASS = re.compile(r"(?:^|[\s_-])(?:title|tit|biaoti|bt|headline|article[-_]?title|detail[-_]?title|"
                          r"news[-_]?title|art[-_]?tit|xl[-_]?bt|con[-_]?title)(?:$|[\s_-]|\d)", re.I)
_SEPARATORS = re.compile(r"\s*(?:[_|｜—–]|\s-\s|--|-{1}(?=[\u4e00-\u9fff]))\s*")


def _texts(els, limit: int = 4) -> list[str]:
    out = []
    for el in els[:limit]:
        t = " ".join(el.text_content().split())
        if 4 <= len(t) <= 160:
            out.append(t)
    return out


def title_candidates(tree) -> list[str]:
    """Every place a page names its document: ArticleTitle / og:title / title metas, the
    headings, elements whose class or id says title, and the parts of <title> (a CMS
    writes `Document title_Site name` there, or the site's name alone)."""
    out = [_meta(tree, n) for n in ("ArticleTitle", "og:title", "title", "Title", "dc.title", "DC.title")]
    out += _texts(tree.xpath("//h1")) + _texts(tree.xpath("//h2"), 3)
    out += _texts([el for el in tree.xpath("//*[@class or @id]")
                   if el.tag not in ("html", "body", "ul", "ol", "table", "tbody", "form", "meta")
                   and _TITLE_CLASS.search(f"{el.get('class', '')} {el.get('id', '')}")], 8)
    whole = " ".join((tree.findtext(".//title") or "").split())
    parts = [p for p in _SEPARATORS.split(whole) if p]
    out += parts if len(parts) > 1 else [whole]     # `Title_Site`: never the two glued together
    return [t for t in out if t]


def own_title(tree) -> str:
    """The document's own title: the longest version that names a document (a report, a
    notice ...), never the site's name; else the first candidate that is not a site name."""
    from ..discovery.titles import clean_title, full_title, head_of, looks_like_site_name
    cands = [c for c in (clean_title(x) for x in title_candidates(tree)) if c and not looks_like_site_name(c)]
    named = [c for c in cands if head_of(c).role or re.search(r"20\d\d|法治|依法行政|信息公开", c)]
    if named:
        return full_title(*named)
    return cands[0] if cands else ""


_PUBLISHER_LABEL = re.compile(r"^(?:发布机构|发文机关|发布单位|发文单位|公开主体|信息来源|来源单位|主办单位|发布部门|责任部门)\s*[:：]?\s*")
_PUBLISHER_INLINE = re.compile(r"(?:发布机构|发文机关|发布单位|发文单位|公开主体|来源单位|发布部门)\s*[:：]\s*"
                               r"([\u4e00-\u9fff（）()]{2,40}?)(?=\s|$|[|｜]|生成日期|发布日期|成文日期|索引号|文号|主题|分类)")


def publisher_of(tree) -> str:
    """The 发布机构 of the page's metadata table (label and value in neighbouring cells or
    in one 'label：value' text), else of its meta tags."""
    for el in tree.iter("td", "th", "span", "li", "dt", "b", "strong", "label", "em", "div", "p"):
        own = " ".join(el.text_content().split())
        if len(own) > 60:
            continue
        m = _PUBLISHER_LABEL.match(own)
        if not m:
            continue
        rest = own[m.end():].strip()
        if not rest:
            nxt = el.getnext()
            rest = " ".join(nxt.text_content().split()) if nxt is not None else ""
        mm = re.match(r"[\u4e00-\u9fff（）()]{2,40}", rest)
        if mm and not re.search(r"日期|索引|文号", mm.group()):
            return mm.group()
    body = "\n".join(" ".join(t.split()) for t in tree.itertext())
    if m := _PUBLISHER_INLINE.search(body):
        return m.group(1)
    return ""


# ---------------------------------------------------------------- Word paste

_INLINE_RUNS = ("span", "font", "o:p", "u", "ins", "small", "big", "st1:chsdate", "st1:chmetcnv")
_CJK_OR_DIGIT = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef\\d.%"
_RUN_BREAK = re.compile(rf"(?<=[{_CJK_OR_DIGIT}])[ \t\r\n\u00a0]*\n[ \t\r\n\u00a0]*(?=[{_CJK_OR_DIGIT}])")


def join_inline_runs(tree) -> None:
    """A Word paste splits a sentence over <span> runs (`案件<span>12\n</span><span>3</span>件`):
    the runs are unwrapped and line breaks between Chinese characters or digits removed, so
    `123件` reaches the extractor whole (trafilatura puts each run on a line of its own)."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    for el in list(root.iter(*_INLINE_RUNS)):
        if el.getparent() is not None:
            el.drop_tag()
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag in ("pre", "script", "style", "textarea"):
            continue
        if el.text and "\n" in el.text:
            el.text = _RUN_BREAK.sub("", el.text)
        if el.tail and "\n" in el.tail:
            el.tail = _RUN_BREAK.sub("", el.tail)
