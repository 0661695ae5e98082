"""What a listing convention sees and says: a fetched page, the items it lists and the
further pages to request.

`list_items` finds the list's own items in an HTML page: links in the page chrome
(navigation, header, footer, breadcrumbs, sidebars, 热门搜索, the pager) are never
candidates, and of the remaining links the largest group sharing one structural position
(the same ancestors, as a CMS template repeats them) is the list.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin, urlsplit

from lxml import html as lxml_html

DATE = re.compile(r"(20\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_CHROME_TAGS = {"nav", "header", "footer", "aside"}
# class/id words of page chrome (split on -, _, spaces and camelCase)
_CHROME_WORDS = {"nav", "navbar", "menu", "menus", "header", "head", "top", "topbar", "footer",
                 "foot", "bottom", "breadcrumb", "crumb", "crumbs", "bread", "position", "location",
                 "weizhi", "dqwz", "side", "sidebar", "aside", "hot", "hotsearch", "search", "rmss",
                 "friend", "friendlink", "links", "yqlj", "share", "tools", "copyright", "banner",
                 "page", "pages", "pager", "pagination", "paging", "fenye", "pagebar", "toolbar", "login"}
# page chrome known by its label when its markup says nothing (<div><span>热门搜索：</span>…)
_CHROME_LABEL = re.compile(r"^\s*(?:热门搜索|热搜|热门标签|热门关键词|搜索热词|相关链接|相关文章|相关阅读|相关新闻|"
                           r"友情链接|当前位置|您的位置|你的位置|所在位置|您现在的位置|位置[:：]|网站地图|版权所有|"
                           r"主办单位|猜你喜欢|推荐阅读)")
_SCRIPTED_LINK = re.compile(r"""['"]([^'"\s]+\.(?:s?html?|jsp|aspx?|php|pdf|docx?|wps)(?:\?[^'"\s]*)?)['"]""", re.I)
_LABEL_TAGS = {"span", "strong", "b", "em", "i", "label", "font", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "th"}
_PAGER_TEXT = re.compile(r"^(?:首页|上一页|上页|下一页|下页|后页|尾页|末页|最后一页|前一页|后一页|"
                         r"下一頁|上一頁|next|prev|previous|first|last|[<>«»‹›]+|\d{1,4}|\.\.\.|…)$", re.I)
_SKIP_HREF = ("javascript:", "#", "mailto:", "tel:", "data:")
_JSONP = re.compile(r"^\s*(?:/\*\*/\s*)?[A-Za-z_$][\w$.]*\s*\(\s*[\[{]")   # cb({...}) / jQuery123_456([...])


@dataclass(frozen=True)
class PageRequest:
    """One listing page to ask for. `data` makes it a POST (form fields)."""
    url: str
    data: tuple[tuple[str, str], ...] = ()
    method: str = "GET"
    via: str = "start"              # the convention that asked for it (for the record)
    speculative: bool = False       # guessed without a known page count: stop at an empty page
    post_fallback: bool = False     # a GET (cacheable) that is asked again as a POST of its
                                    # query when it fails or lists nothing
    json_body: bool = False         # POST the data as a JSON object (APIs that want one)
    base: str = ""                  # the page whose script asked: relative links in the answer are its
    link_template: tuple[str, ...] = ()        # (prefix, id key, suffix): records give only an id
    linked: bool = False            # the site links this page (<a href>, a frame): it may fail;
                                    # a guessed page (pattern, script, API arithmetic) that is not
                                    # there only ends the guess ("not a page")
    step_param: str = ""            # learned by the browser: the parameter that turns the page ...
    step: int = 0                   # ... and by how much (replayed by the walk until a page is empty)

    def as_post(self) -> "PageRequest":
        from urllib.parse import parse_qsl, urlsplit, urlunsplit
        parts = urlsplit(self.url)
        return PageRequest(urlunsplit(parts._replace(query="")), tuple(parse_qsl(parts.query)), "POST",
                           self.via, self.speculative)

    @property
    def key(self) -> str:
        return f"{self.method} {self.url} {urlencode(self.data)}{' json' if self.json_body else ''}"


@dataclass
class Page:
    request: PageRequest
    url: str                        # final URL after redirects
    content: bytes
    content_type: str
    text: str = ""                  # decoded (HTML/XML/JSON)
    _tree: object = None
    sha256: str = ""                # of `content`, when the raw store already knows it
    found: list | None = None       # what the conventions found, when already known (PageMemo):
                                    # then content and text are left unread

    @property
    def is_json(self) -> bool:
        head = self.text.lstrip()[:1]
        return "json" in self.content_type.lower() or head in ("{", "[") or bool(_JSONP.match(self.text))

    def tree(self):
        """The lxml tree (cached), or None when the page is not HTML."""
        if self._tree is None and not self.is_json and self.text.strip():
            try:
                self._tree = lxml_html.fromstring(self.text)
            except (ValueError, lxml_html.etree.ParserError):
                self._tree = False
        return self._tree if self._tree is not False else None

    @property
    def base_url(self) -> str:
        """Where the page's relative links point from: its <base href>, else its own URL."""
        tree = self.tree()
        for el in tree.iter("base") if tree is not None else ():
            if el.get("href"):
                return safe_join(self.url, el.get("href")) or self.url
        return self.url

    def json(self):
        text = self.text
        if m := _JSONP.match(text):              # callback({...}); a JSONP answer
            text = text[m.end() - 1:].rstrip().rstrip(";").rstrip()
            text = text[:-1] if text.endswith(")") else text
        try:
            return json.loads(text)
        except ValueError:
            return None


@dataclass
class Item:
    """A listed document: link, title and the date beside it."""
    url: str
    title: str
    date: str = ""
    via: str = ""                   # convention that found it


@dataclass
class Found:
    """What a convention makes of a page."""
    items: list[Item] = field(default_factory=list)
    requests: list[PageRequest] = field(default_factory=list)
    total_pages: int | None = None


def clean_text(s: str) -> str:
    return " ".join((s or "").split())


def norm_date(text: str) -> str:
    m = DATE.search(text or "")
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""


def safe_join(base: str, href: str) -> str | None:
    href = (href or "").strip()
    if not href or href.lower().startswith(_SKIP_HREF):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:                       # e.g. "http://[bad/x.html"
        return None
    return url if urlsplit(url).scheme.lower() in ("http", "https") else None


def _words(value: str) -> set[str]:
    value = re.sub(r"([a-z])([A-Z])", r"\1 \2", value or "")
    return {w for w in re.split(r"[\s_\-]+", value.lower()) if w}


def _labelled_chrome(node, cache: dict) -> bool:
    """A block whose own text opens with a chrome label (热门搜索, 当前位置 ...)."""
    key = node                      # the element itself: keeps its proxy alive, unlike id()
    if key not in cache:
        head = (node.text or "").strip()
        if not head and len(node) and node[0].tag in _LABEL_TAGS:   # <div><span>热门搜索：</span>…
            head = node[0].text_content()[:12]
        cache[key] = bool(head and _CHROME_LABEL.match(head))
    return cache[key]


def in_chrome(el, cache: dict | None = None) -> bool:
    """True when an element sits in navigation, header, footer, sidebar or pager: by tag,
    by class/id words, or by a label the block opens with."""
    cache = {} if cache is None else cache
    node = el
    while node is not None and isinstance(node.tag, str):
        if node.tag in _CHROME_TAGS:
            return True
        if _words(node.get("class", "")) & _CHROME_WORDS or _words(node.get("id", "")) & _CHROME_WORDS:
            return True
        if node is not el and node.tag not in ("body", "html") and _labelled_chrome(node, cache):
            return True
        node = node.getparent()
    return False


def _signature(a) -> tuple[str, ...]:
    """The anchor's structural position: tag + class of its nearest ancestors."""
    sig, node = [], a.getparent()
    for _ in range(4):
        if node is None or not isinstance(node.tag, str):
            break
        sig.append(f"{node.tag}.{node.get('class', '').strip()}")
        node = node.getparent()
    return tuple(sig)


def anchor_title(a) -> str:
    text = clean_text(a.text_content())
    title = clean_text(a.get("title", ""))
    return title if len(title) > len(text) else text


def _row_text(a) -> str:
    """Text of the list row an anchor sits in (li/tr/dd/p or its parent), for the date."""
    node = a
    for _ in range(3):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
        if node.tag in ("li", "tr", "dd", "dl", "p"):
            break
    return node.text_content() if node is not None else ""


def anchor_items(root, base_url: str, via: str, skip_chrome: bool = True) -> list[tuple[Item, tuple]]:
    out = []
    cache: dict = {}
    for a in root.iter("a"):
        url = safe_join(base_url, a.get("href", ""))
        if url is None:                # javascript:openArticle('/art/2024/1.html'), onclick="…"
            m = _SCRIPTED_LINK.search((a.get("href") or "") + " " + (a.get("onclick") or ""))
            url = safe_join(base_url, m.group(1)) if m else None
        if url is None:
            continue
        title = anchor_title(a)
        if len(title) < 6 or _PAGER_TEXT.match(title):
            continue
        if skip_chrome and in_chrome(a, cache):
            continue
        out.append((Item(url, title, norm_date(_row_text(a)), via), _signature(a)))
    return out


def _score(g: list[Item]) -> tuple[int, int]:
    return len(g) + sum(bool(i.date) for i in g), sum(len(i.title) for i in g)


def list_items(root, base_url: str, via: str = "html-list") -> list[Item]:
    """The list's own items: groups of same-position links outside chrome. The best group
    (score = links + dated links, so a dated list beats a block of undated related links)
    and every other group that is itself a dated list (a column page may show two lists)."""
    groups: dict[tuple, list[Item]] = defaultdict(list)
    for item, sig in anchor_items(root, base_url, via):
        groups[sig].append(item)
    if not groups:
        return []
    best = max(groups.values(), key=_score)
    out = list(best)
    for g in groups.values():
        if g is not best and len(g) >= 2 and sum(bool(i.date) for i in g) * 2 >= len(g):
            out += g
    return out


def fragment_items(fragment: str, base_url: str, via: str) -> list[Item]:
    """Items of an HTML fragment that is a list record itself (Hanweb records, JSON html)."""
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return []
    items = [it for it, _ in anchor_items(root, base_url, via, skip_chrome=False)]
    if items and not items[0].date:
        items[0].date = norm_date(root.text_content())
    return items
