"""Page-number arithmetic shared by the conventions: where the page number sits in a
listing URL (index_3.html, list-3.shtml, ?page=3, ?pageNum=3 ...), how many pages a page
says there are, and the URLs of all of them."""
from __future__ import annotations

import re
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PAGE_PARAMS = ("page", "pageno", "pagenum", "pageindex", "pagenumber", "curpage", "currentpage",
               "current", "cpage", "pn", "p", "pagecurrent", "page_no", "page_num", "pageidx", "index")
_PATH_NUM = re.compile(r"^(.*?[_\-])(\d{1,4})(\.[a-z]{2,6})$", re.I)
_TOTAL_TEXT = (re.compile(r"共\s*(\d{1,4})\s*页"), re.compile(r"\d{1,4}\s*/\s*(\d{1,4})\s*页"),
               re.compile(r"第\s*\d{1,4}\s*页\s*/\s*共?\s*(\d{1,4})\s*页"),
               re.compile(r"页次[:：]?\s*\d{1,4}\s*/\s*(\d{1,4})"))
_TOTAL_VAR = re.compile(r"\b(?:count_?page|page_?count|total_?pages?|totalpage|pages_?count|"
                        r"max_?page|page_?total|pagecounts?|m_nPageCount)\s*[:=]\s*['\"]?(\d{1,4})", re.I)

UrlFor = Callable[[int], str]


def page_number(url: str) -> tuple[int, UrlFor] | None:
    """The page number in a URL and a function giving the URL of page n, or None."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (k, v) in enumerate(query):
        if k.lower() in PAGE_PARAMS and v.isdigit():
            def for_query(n: int, i: int = i) -> str:
                q = list(query)
                q[i] = (q[i][0], str(n))
                return urlunsplit(parts._replace(query=urlencode(q)))
            return int(v), for_query
    if (seg := re.match(r"^(.*/(?:page|p|list|pages)/)(\d{1,4})(/?)$", parts.path, re.I)):   # /page/2/
        def for_segment(n: int) -> str:
            return urlunsplit(parts._replace(path=f"{seg.group(1)}{n}{seg.group(3)}"))
        return int(seg.group(2)), for_segment
    folder, _, name = parts.path.rpartition("/")
    if (bare := re.match(r"^(\d{1,3})(\.[a-z]{2,6})$", name, re.I)):      # /column/2.html
        def for_bare(n: int) -> str:
            return urlunsplit(parts._replace(path=f"{folder}/{n}{bare.group(2)}"))
        return int(bare.group(1)), for_bare
    m = _PATH_NUM.match(name)
    if m:
        def for_path(n: int) -> str:
            new = f"{m.group(1)}{n}{m.group(3)}" if n > 0 else f"{m.group(1)[:-1]}{m.group(3)}"
            return urlunsplit(parts._replace(path=f"{folder}/{new}"))
        return int(m.group(2)), for_path
    return None


def total_pages(text: str) -> int | None:
    """A page count the page states in words (共5页, 1/5页) or in script variables."""
    for rx in _TOTAL_TEXT:
        m = rx.search(text)
        if m:
            return int(m.group(1))
    m = _TOTAL_VAR.search(text)
    return int(m.group(1)) if m else None


def sequence(sample: str, last: int, first: int = 1) -> list[str]:
    """URLs of pages first..last following the pattern of one page URL."""
    found = page_number(sample)
    if found is None:
        return []
    _, url_for = found
    return [url_for(n) for n in range(first, last + 1)]


def with_param(url: str, name: str, value: int) -> str:
    parts = urlsplit(url)
    q = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != name]
    q.append((name, str(value)))
    return urlunsplit(parts._replace(query=urlencode(q)))
