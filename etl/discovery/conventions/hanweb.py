"""Hanweb/大汉 jcms columns (/col/colNNN/index.html): the first records are embedded as
CDATA in `<script type="text/xml"><datastore><recordset><record>`, the rest come from
`/module/web/jpage/dataproxy.jsp` (POST or GET: startrecord, endrecord, perpage and the
column's parameters: columnid, unitid, webid ...), which answers more records with
`<totalrecord>` / `<totalpage>`. The same parser reads both answers."""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from ..page import Found, Item, Page, PageRequest, fragment_items

NAME = "hanweb"
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"]""", re.I)
_PROXY = re.compile(r"""['"]([^'"]*dataproxy\.jsp[^'"]*)['"]""", re.I)
_NUM = {k: re.compile(rf"\b{k}\s*[:=]\s*['\"]?(\d+)", re.I)
        for k in ("perpage", "totalRecord", "totalPage", "groupSize")}
_TAG_NUM = {k: re.compile(rf"<{k}>\s*(\d+)\s*</{k}>", re.I) for k in ("totalrecord", "totalpage")}
_AJAX = re.compile(r"ajaxParam\s*:\s*\{([^{}]*)\}", re.S | re.I)
_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:(['"])(.*?)\2|([\w.\-]+))""")


def _num(rx: re.Pattern[str], text: str) -> int | None:
    m = rx.search(text)
    return int(m.group(1)) if m else None


def records(page: Page) -> list[Item]:
    out: list[Item] = []
    for frag in _RECORD.findall(page.text):
        out += fragment_items(frag, page.url, NAME)
    return out


def _params(text: str) -> tuple[str, dict[str, str]]:
    """The data proxy's URL and the column's parameters (from the nextgroup link and the
    ajaxParam block of the page's jpage call)."""
    params: dict[str, str] = {}
    proxy = ""
    m = _NEXTGROUP.search(text)
    if m and (h := _HREF.search(m.group(1))):
        parts = urlsplit(h.group(1))
        proxy = parts.path
        params.update(parse_qsl(parts.query, keep_blank_values=True))
    if a := _AJAX.search(text):
        for k, _, quoted, bare in _PAIR.findall(a.group(1)):
            params[k] = quoted if quoted or not bare else bare
    if not proxy and (p := _PROXY.search(text)):
        proxy = p.group(1).split("?")[0]
    params.pop("page", None)
    return proxy or "/module/web/jpage/dataproxy.jsp", params


def find(page: Page) -> Found | None:
    text = page.text
    if "<datastore" not in text.lower() and "dataproxy.jsp" not in text.lower():
        return None
    items = records(page)
    found = Found(items=items)
    if "dataproxy.jsp" in urlsplit(page.url).path:      # an answer of the proxy itself
        return found
    proxy, params = _params(text)
    per_page = _num(_NUM["perpage"], text) or 15
    total = _num(_NUM["totalRecord"], text) or _num(_TAG_NUM["totalrecord"], text)
    if not params.get("columnid") and not total:
        return found
    step = max(per_page, len(items)) * (_num(_NUM["groupSize"], text) or 3)
    start = len(items) + 1
    last = total if total else start + step * 20            # unknown total: stop at an empty answer
    base = urljoin(page.url, proxy)
    while start <= last:
        end = min(start + step - 1, last) if total else start + step - 1
        # asked as a GET (answers 304 when unchanged), as a POST when the GET gives nothing
        q = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page, **params})
        found.requests.append(PageRequest(f"{base}?{q}", via=NAME, speculative=not total, post_fallback=True))
        start = end + 1
    found.total_pages = -(-total // per_page) if total else None
    return found
