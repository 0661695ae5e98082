"""JSON list APIs: a listing page whose script loads the list from an API
(`$.ajax({url: "/api/articles", data: {columnId: 12, pageNo: 1}})`, `fetch("list.json")`),
or a registry entry pointing at the API itself. In the JSON answer the records are the
longest array of objects that carry a title and a link; the page count comes from keys
such as totalPage / pageCount / total + pageSize; later pages change the page parameter."""
from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ..page import Found, Item, Page, PageRequest, clean_text, fragment_items, norm_date, safe_join
from .paging import PAGE_PARAMS, with_param

NAME = "json-api"
_API_URL = re.compile(
    r"""(?:url\s*[:=]\s*|(?:fetch|\$\.(?:get|post|getJSON|ajax)|axios(?:\.(?:get|post))?)\(\s*)"""
    r"""['"]([^'"\s]+)['"]""", re.I)
_JSON_FILE = re.compile(r"""['"]([^'"\s]+\.json(?:\?[^'"\s]*)?)['"]""")
_DATA = re.compile(r"""data\s*:\s*\{([^{}]*)\}""", re.S)
_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:(['"])(.*?)\2|(-?\d+))""")
_POST = re.compile(r"""(?:type|method)\s*:\s*['"]post['"]|axios\.post|\$\.post""", re.I)
# "detail.html?id=" + item.id, '/art/' + row.articleId + '.html': how a script links a record
_TEMPLATE = re.compile(r"""['"]([^'"\s]{1,120})['"]\s*\+\s*(?:[A-Za-z_$][\w$]*\.)?([A-Za-z_$]*[iI][dD]\w*)"""
                       r"""(?:\s*\+\s*['"]([^'"\s]*)['"])?""")
_JSON_BODY = re.compile(r"""application/json|JSON\.stringify""", re.I)
_TITLE_KEYS = ("title", "name", "subject", "doctitle", "articletitle", "ftitle", "biaoti")
_URL_KEYS = ("url", "link", "href", "path", "docpuburl", "puburl", "fileurl", "src", "file")
_DATE_KEYS = ("date", "time", "pub", "publish", "created", "release", "fbsj", "fbrq")
_COUNT_KEYS = ("totalpage", "totalpages", "pagecount", "pages", "total_page", "pagetotal")
_TOTAL_KEYS = ("total", "totalcount", "totalelements", "recordcount", "totalrecord", "count", "totalnum")
_SIZE_KEYS = ("pagesize", "size", "limit", "rows", "perpage", "page_size")


def _cjk(s: str) -> int:
    return sum("\u4e00" <= c <= "\u9fff" for c in s)


def _pick(d: dict[str, Any], keys: tuple[str, ...], test) -> Any:
    """The value of the best key: keys in priority order, exact names before partial ones
    (title before channelName)."""
    for exact in (True, False):
        for key in keys:
            for k, v in d.items():
                if (k.lower() == key if exact else key in k.lower()) and test(v):
                    return v
    return None


def _record(d: dict[str, Any], base: str, template: tuple = ()) -> list[Item]:
    for v in d.values():                      # an HTML fragment per record
        if isinstance(v, str) and "<a " in v.lower():
            return fragment_items(v, base, NAME)
    title = _pick(d, _TITLE_KEYS, lambda v: isinstance(v, str) and _cjk(v) >= 4)
    link = _pick(d, _URL_KEYS, lambda v: isinstance(v, str) and bool(v.strip()))
    if not link and template and d.get(template[1]) not in (None, ""):
        link = f"{template[0]}{d[template[1]]}{template[2]}"     # the page's script builds the link
    if not title or not link or not (url := safe_join(base, link)):
        return []
    date = _pick(d, _DATE_KEYS, lambda v: isinstance(v, (str, int)) and bool(norm_date(str(v))))
    return [Item(url, clean_text(title), norm_date(str(date or "")), NAME)]


def _lists(obj: Any) -> list[list[dict]]:
    """Every array of objects anywhere in the document."""
    out = []
    if isinstance(obj, list):
        if obj and all(isinstance(x, dict) for x in obj):
            out.append(obj)
        for x in obj:
            out += _lists(x)
    elif isinstance(obj, dict):
        for v in obj.values():
            out += _lists(v)
    return out


def _int_key(obj: Any, keys: tuple[str, ...]) -> int | None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k.lower() in keys and str(v).isdigit():
                return int(v)
        for v in obj.values():
            if isinstance(v, dict) and (n := _int_key(v, keys)) is not None:
                return n
    return None


def _page_param(req: PageRequest) -> tuple[str, int, bool] | None:
    """(name, value, in_body) of the request's page parameter."""
    for k, v in req.data:
        if k.lower() in PAGE_PARAMS and v.isdigit():
            return k, int(v), True
    for k, v in parse_qsl(urlsplit(req.url).query):
        if k.lower() in PAGE_PARAMS and v.isdigit():
            return k, int(v), False
    return None


def _more(page: Page, doc: Any, n_items: int) -> tuple[list[PageRequest], int | None]:
    req = page.request
    param = _page_param(req)
    pages = _int_key(doc, _COUNT_KEYS)
    if pages is None and (total := _int_key(doc, _TOTAL_KEYS)) is not None:
        size = _int_key(doc, _SIZE_KEYS) or n_items or 1
        pages = -(-total // size)
    if param is None or param[1] > 1:
        return [], pages                         # only the first page plans the others
    name, current, in_body = param
    last = pages if pages else current + 20      # unknown count: stop at an empty page
    out = []
    for n in range(current + 1, last + (1 if current >= 1 else 0)):
        if in_body:
            data = tuple((k, str(n) if k == name else v) for k, v in req.data)
            out.append(PageRequest(req.url, data, req.method, NAME, speculative=pages is None,
                                   json_body=req.json_body, base=req.base, link_template=req.link_template))
        else:
            out.append(PageRequest(with_param(req.url, name, n), req.data, req.method, NAME,
                                   speculative=pages is None, base=req.base, link_template=req.link_template))
    return out, pages


def _template(script: str) -> tuple[str, ...]:
    for m in _TEMPLATE.finditer(script):
        prefix = m.group(1)
        if re.search(r"\.(?:s?html?|jsp|aspx?|php|do)|[?&/=]$", prefix, re.I):
            return prefix, m.group(2), m.group(3) or ""
    return ()


def _api_requests(page: Page) -> list[PageRequest]:
    out = []
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page.text, re.S | re.I)
    template = _template("\n".join(scripts))
    for script in scripts:
        for m in list(_API_URL.finditer(script)) + list(_JSON_FILE.finditer(script)):
            url = safe_join(page.url, m.group(1))
            if url is None or re.search(r"\.(?:js|css|png|jpg|gif|html?|shtml)(?:\?|$)", url, re.I):
                continue
            window = script[m.end():m.end() + 800]
            data = {}
            if d := _DATA.search(window):
                data = {k: q or n for k, _, q, n in _PAIR.findall(d.group(1))}
            before = script[max(0, m.start() - 200):m.end()]
            if _POST.search(window) or _POST.search(before):
                out.append(PageRequest(url, tuple(data.items()), "POST", NAME, json_body=bool(
                    _JSON_BODY.search(window)), base=page.url, link_template=template))
            else:
                q = urlencode(data)
                out.append(PageRequest(f"{url}{'&' if '?' in url else '?'}{q}" if q else url, via=NAME,
                                       base=page.url, link_template=template))
    return out


def find(page: Page) -> Found | None:
    if not page.is_json:
        reqs = _api_requests(page) if "<script" in page.text.lower() else []
        return Found(requests=reqs) if reqs else None
    doc = page.json()
    if doc is None:
        return None
    best: list[Item] = []
    base = page.request.base or page.url        # links are relative to the page that asked
    for records in _lists(doc):
        items = [it for d in records for it in _record(d, base, page.request.link_template)]
        if len(items) > len(best):
            best = items
    requests, pages = _more(page, doc, len(best)) if best else ([], None)
    return Found(items=best, requests=requests, total_pages=pages)
