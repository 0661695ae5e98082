"""HTML of the demo portal: a plain government-CMS look (header, nav, breadcrumb, footer)."""
from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .content import COLUMN_NAME, NAV_ITEMS, PUBLIC_SUBCOLUMNS, SITE_TITLE, Agency
from .markup import Block

CSS = """body{margin:0;font:14px/1.8 "Microsoft YaHei",SimSun,sans-serif;color:#333}
.top,.footer{background:#f2f2f2;padding:6px 40px;font-size:12px}
.header{background:#b71c1c;color:#fff;padding:18px 40px}.logo{font-size:26px;font-weight:bold}
.nav ul{margin:0;padding:0 40px;background:#8e1515;list-style:none}.nav li{display:inline-block}
.nav a{color:#fff;display:block;padding:8px 18px;text-decoration:none}
.main{width:1000px;margin:12px auto}.breadcrumb{border-bottom:1px solid #ddd;padding:6px 0}
.list li{list-style:none;border-bottom:1px dashed #ddd;padding:4px 0}.list span{float:right;color:#888}
.article h1{text-align:center;font-size:22px}.info{text-align:center;color:#888;font-size:12px}
.TRS_Editor p{margin:0 0 8px}.page{text-align:center;margin:16px 0}.page a,.page span{margin:0 4px}
.side{float:right;width:220px}.side li{list-style:none}
"""


@dataclass(frozen=True)
class ListItem:
    title: str
    href: str
    date: str           # YYYY-MM-DD


def charset_meta(charset: str) -> str:
    if charset == "utf-8":
        return '<meta charset="utf-8">'
    return f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'


def _nav(a: Agency) -> str:
    home = f"/{a.path}/index.html"
    items = [f'<li><a href="{home if i == 0 else "javascript:;"}">{escape(n)}</a></li>'
             for i, n in enumerate(NAV_ITEMS)]
    return "\n".join(items)


def _breadcrumb(a: Agency, extra: str = "") -> str:
    col = f"/{a.path}/{a.column}/index.html"
    crumbs = [f'<a href="/{a.path}/index.html">首页</a>', '<a href="javascript:;">政务公开</a>',
              f'<a href="{col}">{COLUMN_NAME}</a>']
    if extra:
        crumbs.append(escape(extra))
    return '<div class="breadcrumb">当前位置：' + " &gt; ".join(crumbs) + "</div>"


def _footer(a: Agency) -> str:
    return (
        '<div class="footer">\n'
        f"<p>主办单位：{escape(a.agency)}　承办单位：{escape(a.host_name)}</p>\n"
        f"<p>联系电话：{a.phone}　网站标识码：{a.site_code}　"
        f'<a href="javascript:;">{escape(a.icp)}</a></p>\n'
        "</div>"
    )


def frame(a: Agency, title: str, body: str, meta: str = "") -> str:
    """The page shell shared by every page of an agency."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
{charset_meta(a.charset)}
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{escape(title)}_{escape(a.site_name)}</title>
<meta name="SiteName" content="{escape(a.site_name)}">
{meta}<link rel="stylesheet" href="/static/css/common.css">
</head>
<body>
<div class="top"><span>欢迎访问{escape(a.site_name)}</span>　<a href="javascript:;">无障碍浏览</a>　<a href="javascript:;">长者模式</a></div>
<div class="header"><div class="logo">{escape(a.site_name)}</div></div>
<div class="nav"><ul>
{_nav(a)}
</ul></div>
<div class="main">
{body}
</div>
{_footer(a)}
</body>
</html>
"""


def _pager(page: int, pages: int) -> str:
    def name(i: int) -> str:
        return "index.html" if i == 0 else f"index_{i}.html"
    parts = [f"<span>共{pages}页</span>", f'<a href="{name(0)}">首页</a>']
    if page > 0:
        parts.append(f'<a href="{name(page - 1)}">上一页</a>')
    parts.append(f'<span class="current">{page + 1}</span>')
    if page < pages - 1:
        parts.append(f'<a href="{name(page + 1)}">下一页</a>')
    parts.append(f'<a href="{name(pages - 1)}">尾页</a>')
    return '<div class="page">' + " ".join(parts) + "</div>"


def listing_page(a: Agency, items: list[ListItem], page: int, pages: int) -> str:
    lis = "\n".join(f'<li><a href="{escape(i.href)}" target="_blank" title="{escape(i.title)}">'
                    f"{escape(i.title)}</a><span>{i.date}</span></li>" for i in items)
    side = "\n".join(f'<li><a href="javascript:;">{escape(c)}</a></li>' for c in PUBLIC_SUBCOLUMNS)
    body = f"""{_breadcrumb(a)}
<div class="side"><h3>政务公开</h3><ul>
{side}
</ul></div>
<div class="column"><h2>{COLUMN_NAME}</h2>
<div class="list"><ul>
{lis}
</ul></div>
{_pager(page, pages)}
</div>"""
    return frame(a, COLUMN_NAME, body, f'<meta name="ColumnName" content="{COLUMN_NAME}">\n')


def _block_html(b: Block, indent: str) -> str:
    if b.kind == "table":
        head = "".join(f"<th>{escape(c)}</th>" for c in b.rows[0])
        rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in b.rows[1:])
        return f'<table border="1" cellspacing="0" cellpadding="4"><tr>{head}</tr>{rows}</table>'
    text = escape(b.text, quote=False)
    if b.kind == "h":
        text = f"<strong>{text}</strong>"
    if indent == "fullwidth":
        return f"<p>　　{text}</p>"
    return f'<p style="text-indent:2em;">{text}</p>'


def body_html(blocks: list[Block], indent: str) -> str:
    return "\n".join(_block_html(b, indent) for b in blocks)


def article_page(a: Agency, title: str, pub: str, body: str, attachments: list[tuple[str, str]]) -> str:
    """attachments: (href, link text) pairs."""
    meta = (f'<meta name="ArticleTitle" content="{escape(title)}">\n'
            f'<meta name="PubDate" content="{pub}">\n'
            f'<meta name="ContentSource" content="{escape(a.agency)}">\n'
            f'<meta name="ColumnName" content="{COLUMN_NAME}">\n')
    att = ""
    if attachments:
        links = "".join(f'<p>附件：<a href="{escape(h)}">{escape(t)}</a></p>' for h, t in attachments)
        att = f'<div class="attach">{links}</div>'
    content = f"""{_breadcrumb(a, "正文")}
<div class="article">
<h1 class="title">{escape(title)}</h1>
<div class="info"><span>发布时间：{pub}</span>　<span>来源：{escape(a.agency)}</span>　<span>【字体：<a href="javascript:;">大</a> <a href="javascript:;">中</a> <a href="javascript:;">小</a>】</span></div>
<div class="TRS_Editor" id="zoom">
{body}
</div>
{att}
<div class="tools"><a href="javascript:window.print();">打印本页</a>　<a href="javascript:window.close();">关闭窗口</a></div>
</div>"""
    return frame(a, title, content, meta)


def agency_home(a: Agency, column_url: str = "") -> str:
    column_url = column_url or f"/{a.path}/{a.column}/index.html"
    body = f"""<div class="breadcrumb">当前位置：<a href="/{a.path}/index.html">首页</a></div>
<h2>{escape(a.agency)}</h2>
<ul class="columns"><li><a href="javascript:;">机构职能</a></li><li><a href="javascript:;">领导信息</a></li>
<li><a href="{escape(column_url)}">{COLUMN_NAME}</a></li></ul>"""
    return frame(a, "首页", body)


def site_home(agencies: list[Agency]) -> str:
    lis = "\n".join(f'<li><a href="/{a.path}/index.html">{escape(a.agency)}</a>（{escape(a.province)}）</li>'
                    for a in agencies)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{SITE_TITLE}</title>
<link rel="stylesheet" href="/static/css/common.css"></head>
<body><div class="header"><div class="logo">{SITE_TITLE}</div></div>
<div class="main"><h2>部门网站导航</h2><ul>
{lis}
</ul></div></body></html>
"""


ADMIN_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>内容管理系统登录</title></head>
<body><form method="post" action="/admin/login"><p>用户名：<input name="u"></p>
<p>密码：<input name="p" type="password"></p><p><button>登录</button></p></form></body></html>
"""
