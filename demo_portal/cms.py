"""Listing conventions of real government CMSs, one builder per style, so the crawler is
tried on each over real HTTP:

    static      index.html, index_1.html ... with 下一页 / 尾页 links (the original portal)
    trs_inline  TRS WCM: no <a> to later pages, `createPageHTML(n, i, "index", "html")` inline
    trs_js      TRS WCM: counts in script variables, the pager in an included createPageHTML.js
    hanweb      大汉 jcms /col/colNNN/index.html: first records as CDATA in a <datastore>,
                the rest from /module/web/jpage/dataproxy.jsp (POST startrecord/endrecord)
    query       self-built CMS: list.jsp?uid=...&pageNum=N with numbered links
    json_api    the page's script loads the list from a JSON API (pageNo / pageSize / total)
    form_post   javascript:goPage(n) fills a hidden field and POSTs a form (list.do)
    iframe      the column page holds the list in an <iframe>; the registry URL redirects

Each builder writes the listing files into the Site and registers the dynamic answers
the server must fake (`site.special`). The listing's own items are always the same
articles; a sidebar block of 热门搜索 links (never items) sits on every listing page.
"""
from __future__ import annotations

import json
from html import escape
from typing import TYPE_CHECKING, Callable

from . import pages
from .content import COLUMN_NAME, Agency

if TYPE_CHECKING:                                 # pragma: no cover
    from .generator import Site

PAGER_JS = """/* TRS WCM pager: writes the page links with document.write (no <a> in the HTML) */
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  for(var i = 0; i < _nPageCount; i++){
    var href = i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt;
    document.write(i == _nCurrIndex ? "<span>" + (i + 1) + "</span>" : "<a href='" + href + "'>" + (i + 1) + "</a>");
  }
}
if (typeof countPage != "undefined") { createPageHTML(countPage, currentPage, prefixName, suffixName); }
"""

HOT_SEARCH = ("热门搜索", "法治政府建设年度报告", "政府信息公开年报", "行政执法公示")


def _lis(items: list[pages.ListItem]) -> str:
    return "\n".join(f'<li><a href="{escape(i.href)}" target="_blank" title="{escape(i.title)}">'
                     f"{escape(i.title)}</a><span>{i.date}</span></li>" for i in items)


def _hot(hot_href: str) -> str:
    """热门搜索 block: a link that looks like a report but is page chrome."""
    links = "".join(f'<a href="{escape(hot_href)}">{escape(t)}</a> ' for t in HOT_SEARCH[1:])
    return f'<div class="hot-search"><span>{HOT_SEARCH[0]}：</span>{links}</div>'


def _column(a: Agency, inner: str, pager: str, hot_href: str) -> str:
    body = f"""{pages._breadcrumb(a)}
{_hot(hot_href)}
<div class="column"><h2>{COLUMN_NAME}</h2>
<div class="list"><ul>
{inner}
</ul></div>
{pager}
</div>"""
    return pages.frame(a, COLUMN_NAME, body, f'<meta name="ColumnName" content="{COLUMN_NAME}">\n')


def _chunks(items: list[pages.ListItem], n: int) -> list[list[pages.ListItem]]:
    return [items[i:i + n] for i in range(0, len(items), n)] or [[]]


def column_url(a: Agency) -> str:
    """The URL the registry points at for the agency's report column."""
    base = f"/{a.path}/{a.column}"
    return {"hanweb": f"{base}/col/col{_col_id(a)}/index.html",
            "query": f"{base}/list.jsp?uid={_col_id(a)}&pageNum=1",
            "iframe": f"{base}/"}.get(a.cms, f"{base}/index.html")


def _col_id(a: Agency) -> int:
    return 1000 + sum(map(ord, a.id)) % 9000


def static(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    chunks = _chunks(items, a.per_page)
    for page, chunk in enumerate(chunks):
        name = "index.html" if page == 0 else f"index_{page}.html"
        html = pages.listing_page(a, chunk, page, len(chunks)).replace(
            '<div class="column">', _hot(hot) + '\n<div class="column">', 1)
        site.add_html(f"/{a.path}/{a.column}/{name}", html, a.charset)


def _trs(site: "Site", a: Agency, items: list[pages.ListItem], hot: str, inline: bool) -> None:
    chunks = _chunks(items, a.per_page)
    for page, chunk in enumerate(chunks):
        n = len(chunks)
        if inline:
            pager = f'<div class="page"><script type="text/javascript">createPageHTML({n}, {page}, "index", "html");</script></div>'
        else:
            pager = (f'<div class="page"><script type="text/javascript">\nvar countPage = {n}//共多少页\n'
                     f'var currentPage = {page};//当前页\nvar prefixName = "index";\nvar suffixName = "html";\n'
                     '</script><script type="text/javascript" src="/static/js/createPageHTML.js"></script></div>')
        name = "index.html" if page == 0 else f"index_{page}.html"
        site.add_html(f"/{a.path}/{a.column}/{name}", _column(a, _lis(chunk), pager, hot), a.charset)


def trs_inline(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    _trs(site, a, items, hot, inline=True)


def trs_js(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    _trs(site, a, items, hot, inline=False)


def hanweb(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    col, unit = _col_id(a), 400 + _col_id(a) % 97
    records = [f'<li><a href="{escape(i.href)}" target="_blank" title="{escape(i.title)}">{escape(i.title)}</a>'
               f'<span class="bt-data-time">{i.date}</span></li>' for i in items]
    embedded = records[:a.per_page]
    cdata = "".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in embedded)
    proxy = "/module/web/jpage/dataproxy.jsp"
    nextgroup = (f'<a href="{proxy}?page=1&appid=1&webid=3&path=%2F&columnid={col}&unitid={unit}'
                 f'&webname=demo&permissiontype=0"></a>')
    inner = (f'<div id="{unit}"><script type="text/xml"><datastore><nextgroup><![CDATA[{nextgroup}]]></nextgroup>'
             f"<recordset>{cdata}</recordset></datastore></script></div>")
    pager = ("<script>$(function(){$('#%d').jpage({dataStore: $('#%d script').text(), perPage: %d, "
             "totalRecord: %d, proxyUrl: '%s', groupSize: 1, barPosition: 'bottom', ajaxParam: "
             "{col: 1, appid: 1, webid: 3, path: '/', columnid: %d, sourceContentType: 1, unitid: '%d', "
             "webname: 'demo', permissiontype: 0}});});</script>"
             % (unit, unit, a.per_page, len(records), proxy, col, unit))
    site.add_html(column_url(a), _column(a, inner, pager, hot), a.charset)
    columns = site.special.setdefault(proxy, {"kind": "hanweb", "columns": {}})["columns"]
    columns[str(col)] = records


def _serve_pages(site: "Site", a: Agency, endpoint: str, param: str, html_pages: list[str], stem: str) -> None:
    """One stored page per page number, answered at `endpoint` by its `param` (?pageNum=2 or a
    POSTed pageNo=2): the server fakes the dynamic list from these files."""
    files = {}
    for n, html in enumerate(html_pages, 1):
        hidden = f"/{a.path}/{a.column}/_{stem}_{n}.html"
        site.add_html(hidden, html, a.charset)
        files[str(n)] = hidden
    site.special[endpoint] = {"kind": "pages", "param": param, "files": files, "charset": a.charset}


def query(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    chunks = _chunks(items, a.per_page)
    col = _col_id(a)
    html_pages = []
    for page, chunk in enumerate(chunks, 1):
        links = " ".join(f'<a href="list.jsp?uid={col}&amp;pageNum={i}">{i}</a>' if i != page else f"<b>{i}</b>"
                         for i in range(1, len(chunks) + 1))
        if page < len(chunks):
            links += f' <a href="list.jsp?uid={col}&amp;pageNum={page + 1}">下一页</a>'
        pager = f'<div class="pagination">{links} <span>第{page}页/共{len(chunks)}页</span></div>'
        html_pages.append(_column(a, _lis(chunk), pager, hot))
    _serve_pages(site, a, f"/{a.path}/{a.column}/list.jsp", "pageNum", html_pages, "list")


def json_api(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    col = _col_id(a)
    api = f"/api/cms/column/{col}/articles"
    script = ("<script>\n$.ajax({\n  url: '%s',\n  type: 'get',\n  dataType: 'json',\n"
              "  data: {pageNo: 1, pageSize: %d, channelId: %d},\n  success: function (res) { render(res.data.list); }\n"
              "});\n</script>" % (api, a.per_page, col))
    site.add_html(f"/{a.path}/{a.column}/index.html", _column(a, "", script, hot), a.charset)
    chunks = _chunks(items, a.per_page)
    answers = {}
    for page, chunk in enumerate(chunks, 1):
        answers[str(page)] = {"code": 200, "msg": "success", "data": {
            "pageNo": page, "pageSize": a.per_page, "total": len(items), "list": [
                {"id": 9000 + k, "title": i.title, "linkUrl": _absolute(a, i.href), "publishTime": f"{i.date} 09:00:00",
                 "channelName": COLUMN_NAME} for k, i in enumerate(chunk)]}}
    site.special[api] = {"kind": "json", "param": "pageNo", "answers": answers}


def _absolute(a: Agency, href: str) -> str:
    return href if href.startswith("/") else f"/{a.path}/{a.column}/{href.removeprefix('./')}"


def form_post(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    chunks = _chunks(items, a.per_page)
    col = _col_id(a)
    html_pages = []
    for page, chunk in enumerate(chunks, 1):
        links = " ".join(f'<a href="javascript:goPage({i})">{i}</a>' for i in range(1, len(chunks) + 1))
        nxt = f' <a href="javascript:void(0)" onclick="goPage({page + 1})">下一页</a>' if page < len(chunks) else ""
        pager = (f'<form id="pageForm" name="pageForm" action="list.do" method="post">'
                 f'<input type="hidden" name="columnId" value="{col}">'
                 f'<input type="hidden" id="pageNo" name="pageNo" value="{page}"></form>'
                 f'<div class="pagination">{links}{nxt} <span>共{len(chunks)}页</span></div>'
                 "<script>function goPage(p){ document.getElementById('pageNo').value = p; "
                 "document.getElementById('pageForm').submit(); }</script>")
        html_pages.append(_column(a, _lis([_absolute_item(a, i) for i in chunk]), pager, hot))
    site.add_html(f"/{a.path}/{a.column}/index.html", html_pages[0], a.charset)
    _serve_pages(site, a, f"/{a.path}/{a.column}/list.do", "pageNo", html_pages, "form")


def _absolute_item(a: Agency, i: pages.ListItem) -> pages.ListItem:
    return pages.ListItem(i.title, _absolute(a, i.href), i.date)


def iframe(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    base = f"/{a.path}/{a.column}"
    site.special[f"{base}/"] = {"kind": "redirect", "status": 302, "location": f"{base}/index.html"}
    shell = pages.frame(a, COLUMN_NAME, f'{pages._breadcrumb(a)}\n<div class="column"><h2>{COLUMN_NAME}</h2>'
                        f'<iframe src="list/index.html" width="100%" height="900" frameborder="0"></iframe></div>')
    site.add_html(f"{base}/index.html", shell, a.charset)
    chunks = _chunks([_absolute_item(a, i) for i in items], a.per_page)
    for page, chunk in enumerate(chunks):
        name = "index.html" if page == 0 else f"index_{page}.html"
        site.add_html(f"{base}/list/{name}", pages.listing_page(a, chunk, page, len(chunks)), a.charset)


STYLES: dict[str, Callable[["Site", Agency, list[pages.ListItem], str], None]] = {
    "static": static, "trs_inline": trs_inline, "trs_js": trs_js, "hanweb": hanweb, "query": query,
    "json_api": json_api, "form_post": form_post, "iframe": iframe,
}


def build_listing(site: "Site", a: Agency, items: list[pages.ListItem], hot_href: str) -> None:
    STYLES[a.cms](site, a, items, hot_href)


def dynamic_answer(spec: dict, params: dict[str, str]) -> tuple[str, bytes] | None:
    """(content type, body) of a faked dynamic URL for its query/form parameters."""
    if spec["kind"] == "json":
        page = params.get(spec["param"], "1")
        ans = spec["answers"].get(page) or {"code": 200, "msg": "success", "data": {"list": [], "total": 0}}
        return "application/json; charset=utf-8", json.dumps(ans, ensure_ascii=False).encode("utf-8")
    if spec["kind"] == "hanweb":
        records = spec["columns"].get(params.get("columnid", ""), [])
        start, end = int(params.get("startrecord", 1)), int(params.get("endrecord", 1))
        part = records[start - 1:end]
        per = int(params.get("perpage", 15)) or 15
        body = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(records)}</totalrecord>'
                f"<totalpage>{-(-len(records) // per)}</totalpage><recordset>"
                + "".join(f"<record><![CDATA[\n{r}\n]]></record>" for r in part) + "</recordset></datastore>")
        return "text/xml; charset=utf-8", body.encode("utf-8")
    return None
