"""Columns only a browser can read, built the way real CMSs build them (issue 17):

    app_shell     <div id="app"> + a config object + a bundled script that assembles the
                  API address and POSTs a JSON body for each page; articles are shells too,
                  their body from a detail API
    jsonp         the list arrives as JSONP through a <script> tag the page adds
    load_more     the first items in the HTML, a 加载更多 button appends HTML fragments
    onclick_rows  table rows that navigate by onclick (a function builds the URL), no <a href>
    challenge     the column's folder answers 521 with a tiny script that sets a cookie and
                  reloads (a cookie challenge) until the cookie is sent
    oldest_first  a plain list of 12 pages in date order, oldest first
    catalogue     信息公开目录: nothing is listed until the search form is POSTed with its
                  category field

`register()` adds the styles to cms.STYLES and the report texts to texts.REPORTS;
`dynamic_answer` and `gate` are the server's side; `finish` turns the app-shell
column's articles into shells once the generator has written them.
"""
from __future__ import annotations

import json
import re
from html import escape
from typing import TYPE_CHECKING, Any

from . import pages
from .content import COLUMN_NAME, Agency, ReportSpec

if TYPE_CHECKING:                                 # pragma: no cover
    from .generator import Site

_COMMON: dict[str, Any] = dict(include="法治政府建设", exclude="信息公开")

AGENCIES: tuple[Agency, ...] = (
    Agency(id="sn-yt-scjgj", agency="西安市雁塔区市场监督管理局", province="陕西省", province_code="610000",
           city="西安市", county="雁塔区", level="county", path="sn/xayt/scjgj", column="fzzfjs",
           site_name="西安市雁塔区人民政府", host_name="雁塔区人民政府办公室", phone="029-85231234",
           icp="陕ICP备05004412号", site_code="6101130001",
           reports=(ReportSpec(2024, "雁塔区市场监督管理局2024年法治政府建设年度报告", "2025-02-18 10:00"),),
           per_page=4, cms="app_shell", decoys=("zj", "sjsj", "ys", "jd"), **_COMMON),
    Agency(id="sd-qd-sthjj", agency="青岛市生态环境局", province="山东省", province_code="370000",
           city="青岛市", county="", level="city", path="sd/qd/sthjj", column="fzzf",
           site_name="青岛市生态环境局", host_name="青岛市生态环境局", phone="0532-85911234",
           icp="鲁ICP备05021345号", site_code="3702000031",
           reports=(ReportSpec(2024, "青岛市生态环境局2024年法治政府建设年度报告", "2025-03-06 09:30"),),
           per_page=4, cms="jsonp", decoys=("zj", "zfsj", "pfqd", "xcz"), **_COMMON),
    Agency(id="ha-js-sfj", agency="郑州市金水区司法局", province="河南省", province_code="410000",
           city="郑州市", county="金水区", level="county", path="ha/zzjs/sfj", column="fzzfjs",
           site_name="郑州市金水区人民政府", host_name="金水区人民政府办公室", phone="0371-63891234",
           icp="豫ICP备05012233号", site_code="4101050001",
           reports=(ReportSpec(2024, "金水区司法局2024年法治政府建设年度报告", "2025-01-22 15:00"),),
           per_page=3, cms="load_more", decoys=("zj", "xcz", "sf", "zqyj"), **_COMMON),
    Agency(id="jx-dh-cgj", agency="南昌市东湖区城市管理局", province="江西省", province_code="360000",
           city="南昌市", county="东湖区", level="county", path="jx/ncdh/cgj", column="fzzf",
           site_name="南昌市东湖区人民政府", host_name="东湖区人民政府办公室", phone="0791-86781234",
           icp="赣ICP备05007788号", site_code="3601020001",
           reports=(ReportSpec(2024, "东湖区城市管理局2024年法治政府建设年度报告", "2025-02-26 11:00"),),
           per_page=20, cms="onclick_rows", decoys=("zj", "ys", "aqsc", "ytdd"), **_COMMON),
    Agency(id="he-ca-jyj", agency="石家庄市长安区教育局", province="河北省", province_code="130000",
           city="石家庄市", county="长安区", level="county", path="he/sjzca/jyj", column="fzzfjs",
           site_name="石家庄市长安区人民政府", host_name="长安区人民政府办公室", phone="0311-86041234",
           icp="冀ICP备05006677号", site_code="1301020001",
           reports=(ReportSpec(2024, "长安区教育局2024年法治政府建设年度报告", "2025-03-12 16:00"),),
           per_page=6, cms="challenge", decoys=("zj", "xcz", "ys"), **_COMMON),
    Agency(id="ln-hp-mzj", agency="沈阳市和平区民政局", province="辽宁省", province_code="210000",
           city="沈阳市", county="和平区", level="county", path="ln/syhp/mzj", column="fzzfjs",
           site_name="沈阳市和平区人民政府", host_name="和平区人民政府办公室", phone="024-22851234",
           icp="辽ICP备05003344号", site_code="2101020001",
           reports=(ReportSpec(2023, "和平区民政局2023年法治政府建设年度报告", "2024-02-01 09:00"),
                    ReportSpec(2024, "和平区民政局2024年法治政府建设年度报告", "2025-02-10 09:00")),
           per_page=2, cms="oldest_first",
           decoys=("zj", "sjsj", "xcz", "ys", "zqyj", "pfqd", "zfsj", "jd", "gzyd", "tjh", "aqsc"), **_COMMON),
    Agency(id="yn-wh-rsj", agency="昆明市五华区人力资源和社会保障局", province="云南省", province_code="530000",
           city="昆明市", county="五华区", level="county", path="yn/kmwh/rsj", column="xxgkml",
           site_name="昆明市五华区人民政府", host_name="五华区人民政府办公室", phone="0871-63611234",
           icp="滇ICP备05002211号", site_code="5301020001",
           reports=(ReportSpec(2024, "五华区人力资源和社会保障局2024年法治政府建设年度报告", "2025-03-18 10:30"),),
           per_page=10, cms="catalogue", decoys=("zj", "ys", "zqyj"), **_COMMON),
)

REPORTS: dict[tuple[str, int], str] = {
    ("sn-yt-scjgj", 2024): """
2024年，区市场监管局把法治要求落实到市场准入、监管执法和消费维权各环节，现将全年法治政府建设情况报告如下。
一、落实第一责任人职责
局党组定期听取法治工作汇报，全年[[召开党组会专题研究法治建设工作4次|leadership_meetings|4|次|]]，将法治建设纳入科室年度考核。
二、规范市场监管执法
全年[[出动执法人员3100余人次|enforcement_personnel|3100|人次|>]]，[[检查各类经营主体5200余家次|units_inspected|5200|家次|>]]，[[立案查处违法案件187件|cases_handled|187|件|]]，[[罚没款共计93万元|penalties_amount|930000|元|]]。
三、开展普法宣传
围绕食品安全和消费维权[[开展法治宣传活动26场|publicity_events|26|场|]]，[[组织执法人员法律知识培训5期|trainings_held|5|期|]]。
四、下一步打算
一是完善包容审慎监管；二是加强执法队伍建设；三是深化普法宣传。
""",
    ("sd-qd-sthjj", 2024): """
2024年，市生态环境局坚持用最严格制度最严密法治保护生态环境，法治政府建设各项任务有序落实，现报告如下。
一、健全依法决策机制
严格落实重大行政决策程序，全年[[审查规范性文件和重大决策事项21件|normative_documents|21|件|]]，均经合法性审查后提交审议。
二、严格生态环境执法
全年[[出动执法人员6400余人次|enforcement_personnel|6400|人次|>]]，[[检查排污单位3900余家次|units_inspected|3900|家次|>]]，[[立案查处环境违法案件142件|cases_handled|142|件|]]。
三、加强法治宣传
以“六五环境日”为契机[[开展法治宣传活动38场|publicity_events|38|场|]]，[[发放宣传资料9000余份|publicity_materials|9000|份|>]]。
""",
    ("ha-js-sfj", 2024): """
2024年，区司法局认真履行统筹推进法治政府建设职责，各项工作取得新进展，现将有关情况报告如下。
一、加强法治政府建设统筹
区委依法治区办全年[[召开专题会议研究法治建设工作6次|leadership_meetings|6|次|]]，督促各部门落实年度任务。
二、推进严格规范公正文明执法
组织开展行政执法案卷评查，全年[[举办执法人员业务培训7期|trainings_held|7|期|]]，[[审查规范性文件18件|normative_documents|18|件|]]。
三、深入开展法治宣传
全年[[开展“法律进社区”等宣传活动54场|publicity_events|54|场|]]，[[发放宣传资料1.5万份|publicity_materials|15000|份|]]。
""",
    ("jx-dh-cgj", 2024): """
2024年，区城市管理局坚持依法治理城市，推进城市管理执法规范化建设，现将法治政府建设情况报告如下。
一、强化组织保障
主要负责人履行推进法治建设第一责任人职责，全年[[召开局务会专题研究法治工作3次|leadership_meetings|3|次|]]。
二、规范城市管理执法
全年[[出动执法人员8200余人次|enforcement_personnel|8200|人次|>]]，[[立案查处违法案件264件|cases_handled|264|件|]]，[[罚没款共计41万元|penalties_amount|410000|元|]]。
三、加强法治培训
[[组织执法人员法律知识培训6期|trainings_held|6|期|]]，执法人员持证上岗率保持全覆盖。
""",
    ("he-ca-jyj", 2024): """
2024年，区教育局围绕依法治教、依法治校开展工作，法治政府建设取得新成效，现将有关情况报告如下。
一、加强组织领导
局党组把法治建设与教育工作同部署，全年[[召开党组会专题研究法治建设工作5次|leadership_meetings|5|次|]]。
二、规范教育行政执法
开展校外培训机构专项检查，全年[[检查各类培训机构420余家次|units_inspected|420|家次|>]]，[[立案查处违规办学案件12件|cases_handled|12|件|]]。
三、推进法治宣传教育
在中小学[[开展法治宣传活动61场|publicity_events|61|场|]]，[[组织教师法治培训4期|trainings_held|4|期|]]。
""",
    ("ln-hp-mzj", 2023): """
2023年，区民政局坚持依法行政，把法治要求融入社会救助、养老服务和社会组织管理，现将有关情况报告如下。
一、健全工作机制
全年[[召开党组会专题研究法治建设工作3次|leadership_meetings|3|次|]]，落实法律顾问制度。
二、规范民政执法
开展社会组织和养老机构执法检查，全年[[检查养老机构和社会组织260余家次|units_inspected|260|家次|>]]，[[立案查处违法案件9件|cases_handled|9|件|]]。
三、开展普法活动
全年[[开展法治宣传活动22场|publicity_events|22|场|]]，[[发放宣传资料4000余份|publicity_materials|4000|份|>]]。
""",
    ("ln-hp-mzj", 2024): """
2024年，区民政局持续推进民政领域依法行政，法治政府建设各项任务落实到位，现将有关情况报告如下。
一、落实主体责任
全年[[召开党组会专题研究法治建设工作4次|leadership_meetings|4|次|]]，将法治建设纳入年度目标考核。
二、提升执法规范化水平
全年[[检查养老机构和社会组织310余家次|units_inspected|310|家次|>]]，[[立案查处违法案件11件|cases_handled|11|件|]]，[[组织执法人员培训3期|trainings_held|3|期|]]。
三、深化法治宣传
围绕社会救助政策[[开展法治宣传活动29场|publicity_events|29|场|]]。
""",
    ("yn-wh-rsj", 2024): """
2024年，区人力资源和社会保障局坚持依法保障劳动者合法权益，法治政府建设扎实推进，现将有关情况报告如下。
一、加强组织领导
全年[[召开党组会专题研究法治建设工作4次|leadership_meetings|4|次|]]，健全法治工作责任清单。
二、强化劳动保障监察执法
全年[[检查用人单位1800余家次|units_inspected|1800|家次|>]]，[[立案查处劳动保障违法案件76件|cases_handled|76|件|]]。
三、开展普法宣传
[[开展“尊法守法·携手筑梦”宣传活动35场|publicity_events|35|场|]]，[[组织执法人员法律培训4期|trainings_held|4|期|]]。
""",
}


def _col(a: Agency) -> int:
    return 3000 + sum(map(ord, a.id)) % 5000


def _base(a: Agency) -> str:
    return f"/{a.path}/{a.column}"


def _chunks(items: list[pages.ListItem], n: int) -> list[list[pages.ListItem]]:
    return [items[i:i + n] for i in range(0, len(items), n)] or [[]]


def _shell(a: Agency, inner: str, scripts: str) -> str:
    body = f"""{pages._breadcrumb(a)}
<div class="column"><h2>{COLUMN_NAME}</h2>
{inner}
</div>
{scripts}"""
    return pages.frame(a, COLUMN_NAME, body, f'<meta name="ColumnName" content="{COLUMN_NAME}">\n')


def _records(items: list[pages.ListItem]) -> list[dict]:
    return [{"id": 70000 + k, "title": i.title, "linkUrl": i.href, "publishDate": i.date}
            for k, i in enumerate(items)]


# ---------------------------------------------------------------- app shell over a JSON POST API

APP_JS = """/*! app.8c1f3e.js (bundled) */
!function(){var c=window.__APP_CONFIG__||{},R=["api","content","page","detail"];
function u(p){return c.gateway+"/"+R[0]+"/"+R[1]+"/"+p}
function post(p,b,f){var x=new XMLHttpRequest();x.open("POST",u(p));x.setRequestHeader("Content-Type","application/json;charset=UTF-8");
x.onload=function(){f(JSON.parse(x.responseText).data)};x.send(JSON.stringify(b))}
var app=document.getElementById("app");
function list(n){post(R[2],{siteId:c.siteId,channelCode:c.channel,pageNum:n,pageSize:c.size},function(d){
var h='<ul class="news-list">';d.records.forEach(function(r){h+='<li class="news-item"><a target="_blank" href="'+c.base+r.docKey+'.html">'+r.title+'</a><i>'+r.publishDate+'</i></li>'});
h+='</ul><div class="el-pagination"><span>共 '+d.total+' 条</span>';
if(n<d.pages){h+='<button type="button" class="btn-next">下一页</button>'}h+='</div>';app.innerHTML=h;
var b=app.querySelector(".btn-next");if(b){b.addEventListener("click",function(){list(n+1)})}})}
function detail(id){post(R[3],{id:id},function(d){app.innerHTML='<div class="article"><h1 class="title">'+d.title+'</h1><div class="info">发布时间：'+d.publishDate+'</div><div class="TRS_Editor">'+d.content+'</div></div>'})}
if(c.articleId){detail(c.articleId)}else{list(1)}}();
"""


def app_shell(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    cfg = {"gateway": f"{_base(a)}/gw", "base": f"{_base(a)}/", "siteId": 12, "channel": f"fz{_col(a)}",
           "size": a.per_page}
    page = _shell(a, '<div id="app"><p class="loading">加载中…</p></div>',
                  f"<script>window.__APP_CONFIG__ = {json.dumps(cfg)};</script>\n"
                  '<script src="/static/js/app.8c1f3e.js"></script>')
    site.add_html(f"{_base(a)}/index.html", page, a.charset)
    if "/static/js/app.8c1f3e.js" not in site.files:
        site.add("/static/js/app.8c1f3e.js", APP_JS.encode("utf-8"))
    chunks = _chunks(items, a.per_page)
    # the records carry a key, not a link: the bundle builds the link (base + docKey + ".html")
    answers = {str(n): {"code": 0, "data": {"records": [
        {"id": 70000 + k, "title": i.title, "publishDate": i.date,
         "docKey": i.href.removeprefix(f"{_base(a)}/").removesuffix(".html")} for k, i in enumerate(c)],
        "total": len(items), "pages": len(chunks), "current": n}} for n, c in enumerate(chunks, 1)}
    site.special[f"{_base(a)}/gw/api/content/page"] = {"kind": "json", "param": "pageNum", "answers": answers}
    site.special[f"{_base(a)}/gw/api/content/detail"] = {"kind": "detail", "answers": {}, "cfg": cfg,
                                                         "agency": a.id}


def finish(site: "Site", agencies: tuple[Agency, ...]) -> None:
    """The app-shell columns' article pages become shells: their body moves to the detail API."""
    for a in agencies:
        if a.cms != "app_shell":
            continue
        spec = site.special[f"{_base(a)}/gw/api/content/detail"]
        prefix = f"{_base(a)}/"
        for url, (data, mtime) in list(site.files.items()):
            if not (url.startswith(prefix) and re.search(r"/t\d{8}_\d+\.html$", url)):
                continue
            html = data.decode("utf-8")
            m = re.search(r'<h1 class="title">(.*?)</h1>.*?发布时间：([^<]*)</span>.*?<div class="TRS_Editor" id="zoom">'
                          r'(.*?)</div>\n(<div class="attach">.*?</div>)?', html, re.S)
            if not m:
                continue
            art_id = url.rsplit("_", 1)[1].removesuffix(".html")
            spec["answers"][art_id] = {"code": 0, "data": {"title": m.group(1), "publishDate": m.group(2),
                                                           "content": m.group(3) + (m.group(4) or "")}}
            cfg = dict(spec["cfg"], articleId=art_id)
            shell = pages.frame(a, "正文", f'{pages._breadcrumb(a, "正文")}\n<div id="app"></div>\n'
                                f"<script>window.__APP_CONFIG__ = {json.dumps(cfg)};</script>\n"
                                '<script src="/static/js/app.8c1f3e.js"></script>')
            site.files[url] = (shell.encode("utf-8"), mtime)


# ---------------------------------------------------------------- JSONP

def jsonp(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    col = _col(a)
    script = """<script>
var COLUMN = %d;
function loadPage(p) {
  var s = document.createElement('script');
  s.src = '/interface/getList.jsp?col=' + COLUMN + '&callback=showList&rows=%d&page=' + p;
  document.body.appendChild(s);
}
function showList(res) {
  var h = '';
  for (var i = 0; i < res.list.length; i++) {
    var r = res.list[i];
    h += '<li><a href="' + r.url + '" target="_blank">' + r.title + '</a><span>' + r.date + '</span></li>';
  }
  document.getElementById('list').innerHTML = h;
  var p = '';
  if (res.page < res.pageCount) { p = '<a href="javascript:void(0)" onclick="loadPage(' + (res.page + 1) + ')">下一页</a>'; }
  document.getElementById('pager').innerHTML = p;
}
loadPage(1);
</script>""" % (col, a.per_page)
    site.add_html(f"{_base(a)}/index.html", _shell(a, '<div class="list"><ul id="list"></ul></div>'
                                                  '<div class="pages" id="pager"></div>', script), a.charset)
    chunks = _chunks(items, a.per_page)
    spec = site.special.setdefault("/interface/getList.jsp", {"kind": "jsonp", "columns": {}})
    spec["columns"][str(col)] = {str(n): {"page": n, "pageCount": len(chunks), "list": [
        {"title": i.title, "url": i.href, "date": i.date} for i in c]} for n, c in enumerate(chunks, 1)}


# ---------------------------------------------------------------- 加载更多

def load_more(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    chunks = _chunks(items, a.per_page)
    first = "\n".join(_li(i) for i in chunks[0])
    script = """<script>
var next = 2, total = %d;
function more() {
  var x = new XMLHttpRequest();
  x.open('GET', 'more.jsp?p=' + next);
  x.onload = function () {
    document.getElementById('list').insertAdjacentHTML('beforeend', x.responseText);
    next++; if (next > total) { document.getElementById('more').style.display = 'none'; }
  };
  x.send();
}
document.getElementById('more').onclick = more;
</script>""" % len(chunks)
    inner = (f'<div class="list"><ul id="list">\n{first}\n</ul></div>'
             '<div class="more-box"><button type="button" id="more">加载更多</button></div>')
    site.add_html(f"{_base(a)}/index.html", _shell(a, inner, script), a.charset)
    site.special[f"{_base(a)}/more.jsp"] = {"kind": "fragments", "param": "p", "charset": a.charset, "answers": {
        str(n): "\n".join(_li(i) for i in c) for n, c in enumerate(chunks, 1) if n > 1}}


def _li(i: pages.ListItem) -> str:
    return (f'<li><a href="{escape(i.href)}" target="_blank" title="{escape(i.title)}">{escape(i.title)}</a>'
            f"<span>{i.date}</span></li>")


# ---------------------------------------------------------------- onclick rows

def onclick_rows(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    rows = []
    for i in items:
        m = re.search(r"/(\d{6})/t(\d{8})_(\d+)\.html$", i.href)
        assert m, i.href                              # the generator's article URLs all have this shape
        rows.append(f'<tr class="row" onclick="openArticle(\'{m.group(1)}\', \'{m.group(2)}_{m.group(3)}\')">'
                    f"<td>{escape(i.title)}</td><td>{i.date}</td></tr>")
    script = """<script>
function openArticle(month, id) { window.location.href = '%s/' + month + '/t' + id + '.html'; }
</script>""" % _base(a)
    inner = '<table class="list-table"><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"
    site.add_html(f"{_base(a)}/index.html", _shell(a, inner, script), a.charset)


# ---------------------------------------------------------------- cookie challenge

CHALLENGE_COOKIE = "__jsl_clearance_s"


def challenge_token(path: str) -> str:
    return format(sum(map(ord, path)) * 7919 % 1_000_003, "x")


def challenge(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    chunks = _chunks(items, a.per_page)
    for page, chunk in enumerate(chunks):
        name = "index.html" if page == 0 else f"index_{page}.html"
        site.add_html(f"{_base(a)}/{name}", pages.listing_page(a, chunk, page, len(chunks)), a.charset)
    gates = site.special.setdefault("_gates", {"kind": "gates", "prefixes": {}})
    gates["prefixes"][f"/{a.path}/"] = challenge_token(a.path)


def gate(special: dict, path: str, cookie_header: str) -> bytes | None:
    """The challenge page when `path` lies behind a gate and the cookie is not sent."""
    for prefix, token in special.get("_gates", {}).get("prefixes", {}).items():
        if path.startswith(prefix) and f"{CHALLENGE_COOKIE}={token}" not in (cookie_header or ""):
            n = int(token, 16)
            return ("<html><head><meta charset=\"utf-8\"></head><body><script>var _t=(%d).toString(16);"
                    "document.cookie='%s='+_t+';max-age=3600;path=%s';location.href=location.pathname+location.search;"
                    "</script></body></html>" % (n, CHALLENGE_COOKIE, prefix)).encode("utf-8")
    return None


# ---------------------------------------------------------------- oldest first

def oldest_first(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    chunks = _chunks(list(reversed(items)), a.per_page)
    for page, chunk in enumerate(chunks):
        name = "index.html" if page == 0 else f"index_{page}.html"
        site.add_html(f"{_base(a)}/{name}", pages.listing_page(a, chunk, page, len(chunks)), a.charset)


# ---------------------------------------------------------------- catalogue search form

def catalogue(site: "Site", a: Agency, items: list[pages.ListItem], hot: str) -> None:
    form = """<form id="searchForm" action="search.do" method="post" class="catalog-form">
<label>目录分类：<select name="catalogId"><option value="fzzfjs">法治政府建设</option><option value="zcwj">政策文件</option>
<option value="tzgg">通知公告</option></select></label>
<label>年份：<select name="year"><option value="">全部</option><option value="2025">2025</option><option value="2024">2024</option></select></label>
<input type="hidden" name="orgCode" value="%d">
<input type="submit" value="查询">
</form><div class="result"><p>请选择目录分类后查询。</p></div>""" % _col(a)
    site.add_html(f"{_base(a)}/index.html", _shell(a, form, ""), a.charset)
    results = _shell(a, f'<div class="list"><ul>\n{chr(10).join(_li(i) for i in items)}\n</ul></div>', "")
    hidden = f"{_base(a)}/_results.html"
    site.add_html(hidden, results, a.charset)
    site.special[f"{_base(a)}/search.do"] = {"kind": "catalogue", "field": "catalogId", "value": "fzzfjs",
                                             "file": hidden, "charset": a.charset}


STYLES = {"app_shell": app_shell, "jsonp": jsonp, "load_more": load_more, "onclick_rows": onclick_rows,
          "challenge": challenge, "oldest_first": oldest_first, "catalogue": catalogue}


def dynamic_answer(spec: dict, params: dict[str, str]) -> tuple[str, bytes] | None:
    """(content type, body) of the script-built columns' dynamic URLs."""
    kind = spec["kind"]
    if kind == "detail":
        ans = spec["answers"].get(str(params.get("id", "")), {"code": 404, "data": None})
        return "application/json; charset=utf-8", json.dumps(ans, ensure_ascii=False).encode("utf-8")
    if kind == "jsonp":
        pages_ = spec["columns"].get(params.get("col", ""), {})
        ans = pages_.get(params.get("page", "1"), {"page": int(params.get("page", "1") or 1), "pageCount": len(pages_), "list": []})
        cb = re.sub(r"[^\w$.]", "", params.get("callback", "callback")) or "callback"
        return "application/javascript; charset=utf-8", f"{cb}({json.dumps(ans, ensure_ascii=False)});".encode("utf-8")
    if kind == "fragments":
        text = spec["answers"].get(params.get(spec["param"], ""), "")
        return "text/html; charset=utf-8", text.encode("utf-8")
    return None


def register() -> None:
    """Add the styles and texts (idempotent)."""
    from . import cms, texts
    cms.STYLES.update(STYLES)
    texts.REPORTS.update(REPORTS)
