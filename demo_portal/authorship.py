"""Which document is the report, and who wrote it (issue 18): two columns of the demo
portal that publish every shape the identification and authorship rules must read.

A city justice bureau's column (盐城市司法局) lists, besides its own report:

    case        what is published                                            writer
    cover_pdf   a cover note of 300-800 characters; the report is the PDF    the column
    headless    `建湖县2024年法治政府建设工作情况` (no 报告), a county repost   建湖县人民政府
    truncated   list text cut with "…", the full title in the title attribute;
                the article's <title> is the site's name, a 发布机构 table     天长市司法局 (安徽, another region)
    tooltip     the title attribute holds `文章标题：… 作者：… 更新时间：…`;
                a Word paste whose figures are split over <span> runs          大丰区司法局
    year_text   a title without a year (the year is in the text)             亭湖区司法局
    split       a cover note, the report in two PDFs (上/下)                  响水县人民政府
    zip         a cover note, the report's PDF inside a ZIP                   滨海县司法局
    images      the report as page images inside the article (OCR)           射阳县人民政府

and documents about the report that must never be taken for it: its review opinion
(审议意见), its drafting note (起草说明), a press conference (发布会), a rectification report
(督察反馈问题整改情况的报告), a reading (解读), and a news item whose title is a sentence
(…审议通过…年度报告: fetched, and settled by the article). A ministry's column (水利部)
adds a national-level writer (province 全国, code 100000).

These sources are not in `etl/sources.yaml` (the tests' registry): `source_entries()` is
added by `make demo` (etl/demo.py) and by tests/test_authorship.py. What each item should
become is written to `truth_authorship.jsonl` and `manifest_authorship.json` (never served).
"""
from __future__ import annotations

import io
import json
import zipfile
from html import escape
from typing import TYPE_CHECKING, Any

from . import pages
from .authorship_texts import (BINHAI, COVER_BH, COVER_XS, COVER_YC, DAFENG, DECOY_TEXTS, JIANHU, SHEYANG,
                               SHEYANG_FACTS, SLB, TIANCHANG, TINGHU, XIANGSHUI_1, XIANGSHUI_2, YC_SFJ)
from .content import COLUMN_NAME, Agency
from .markup import Block, Document, identity, parse

if TYPE_CHECKING:                                   # pragma: no cover
    from .generator import Site

CITY = Agency(
    id="js-yc-sfj", agency="盐城市司法局", province="江苏省", province_code="320000", city="盐城市", county="",
    level="city", path="js/yc/sfj", column="fzzfjs", site_name="盐城市司法局", host_name="盐城市司法局",
    phone="0515-88881234", icp="苏ICP备08012345号", site_code="3209000011", reports=(), per_page=20)
MINISTRY = Agency(
    id="gj-slb", agency="水利部", province="全国", province_code="100000", city="", county="",
    level="national", path="gj/slb", column="fzzf", site_name="中华人民共和国水利部",
    host_name="水利部办公厅", phone="010-63201234", icp="京ICP备05010123号", site_code="bm35000001", reports=())

FORMATS = ("cover_pdf", "headless", "truncated", "tooltip", "year_text", "split", "zip", "images", "national")


def _writer(agency: str, province: str, code: str, city: str, county: str, level: str, source_id: str | None) -> dict:
    return {"agency": agency, "province": province, "province_code": code, "city": city, "county": county,
            "level": level, "source_id": source_id}


# case -> (listed text, title attribute, the document's own title, pub, text, writer)
REPORTS: dict[str, tuple[str, str, str, str, str, dict]] = {
    "cover_pdf": ("盐城市司法局2024年法治政府建设年度报告", "", "盐城市司法局2024年法治政府建设年度报告",
                  "2025-03-07 10:00", YC_SFJ, _writer("盐城市司法局", "江苏省", "320000", "盐城市", "", "city", "js-yc-sfj")),
    "headless": ("建湖县2024年法治政府建设工作情况", "", "建湖县2024年法治政府建设工作情况", "2025-02-19 09:30", JIANHU,
                 _writer("盐城市建湖县人民政府", "江苏省", "320000", "盐城市", "建湖县", "county", None)),
    "truncated": ("天长市司法局2024年法治政府建设年度…", "天长市司法局2024年法治政府建设年度报告",
                  "天长市司法局2024年法治政府建设年度报告", "2025-01-21 15:00", TIANCHANG,
                  _writer("天长市司法局", "安徽省", "340000", "滁州市", "天长市", "county", None)),
    "tooltip": ("大丰区司法局2024年法治政府建设…",
                "文章标题：大丰区司法局2024年法治政府建设年度报告 作者：办公室 更新时间：2025-02-11 09:00",
                "大丰区司法局2024年法治政府建设年度报告", "2025-02-11 09:00", DAFENG,
                _writer("盐城市大丰区司法局", "江苏省", "320000", "盐城市", "大丰区", "county", None)),
    "year_text": ("亭湖区司法局法治政府建设工作报告", "", "亭湖区司法局法治政府建设工作报告", "2025-01-23 10:30", TINGHU,
                  _writer("盐城市亭湖区司法局", "江苏省", "320000", "盐城市", "亭湖区", "county", None)),
    "split": ("响水县2024年法治政府建设年度报告", "", "响水县2024年法治政府建设年度报告", "2025-02-26 16:00",
              XIANGSHUI_1 + XIANGSHUI_2,
              _writer("盐城市响水县人民政府", "江苏省", "320000", "盐城市", "响水县", "county", None)),
    "zip": ("滨海县司法局2024年法治政府建设年度报告", "", "滨海县司法局2024年法治政府建设年度报告", "2025-02-13 11:00", BINHAI,
            _writer("盐城市滨海县司法局", "江苏省", "320000", "盐城市", "滨海县", "county", None)),
    "images": ("射阳县2024年法治政府建设年度报告", "", "射阳县2024年法治政府建设年度报告", "2025-02-27 09:00", SHEYANG,
               _writer("盐城市射阳县人民政府", "江苏省", "320000", "盐城市", "射阳县", "county", None)),
}
NATIONAL = ("水利部2024年法治政府建设年度报告", "2025-03-20 10:00", SLB,
            _writer("水利部", "全国", "100000", "", "", "national", "gj-slb"))
DECOY_PUB = {"review": "2025-04-25 16:00", "drafting": "2025-03-02 10:00", "press": "2025-03-10 11:00",
             "rectify": "2024-11-15 09:00", "reading": "2025-03-08 10:00", "news": "2025-02-20 18:00"}


def _url(a: Agency, case: str, pub: str) -> str:
    day = pub[:10].replace("-", "")
    return f"/{a.path}/{a.column}/{day[:6]}/t{day}_{sum(map(ord, case)) * 37 % 100000:05d}.html"


def _doc(text: str) -> Document:
    return parse(text, identity)


# ---------------------------------------------------------------- page shapes

def _word_paste(blocks: list[Block]) -> str:
    """A Word paste: each paragraph split over <span> runs (numbers cut in two), with the
    line breaks and <o:p> a word processor leaves."""
    out = []
    for b in blocks:
        runs, text, i = [], b.text, 0
        while i < len(text):
            step = 5 + (i * 7) % 4                 # cuts fall inside words and numbers alike
            runs.append(text[i:i + step])
            i += step
        spans = "\n".join(f'<span style="font-family:仿宋_GB2312;font-size:16.0pt">{escape(r)}</span>' for r in runs)
        out.append(f'<p class="MsoNormal" style="text-indent:32.0pt">{spans}<o:p></o:p></p>')
    return "\n".join(out)


def _site_titled_page(a: Agency, heading: str, pub: str, body: str, publisher: str) -> str:
    """A CMS whose <title> is the site's name, with no ArticleTitle meta: the heading sits in a
    div, and a 信息公开 metadata table names the 发布机构."""
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(a.site_name)}</title>
<meta name="SiteName" content="{escape(a.site_name)}"><link rel="stylesheet" href="/static/css/common.css"></head>
<body><div class="header"><div class="logo">{escape(a.site_name)}</div></div>
<div class="main"><div class="breadcrumb">当前位置：<a href="/{a.path}/index.html">首页</a> &gt; {COLUMN_NAME}</div>
<table class="xxgk-meta"><tr><td>索引号：</td><td>014012345/2025-00{len(heading)}</td><td>主题分类：</td><td>司法</td></tr>
<tr><td>发布机构：</td><td>{escape(publisher)}</td><td>发布日期：</td><td>{pub[:10]}</td></tr></table>
<div class="detail-title">{escape(heading)}</div>
<div class="detail-content" id="zoom">
{body}
</div></div>
<div class="footer"><p>主办单位：{escape(a.agency)}</p></div></body></html>
"""


def _png(img) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False)
    return buf.getvalue()


def _zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
        info.flag_bits |= 0x800                     # UTF-8 name
        info.compress_type = zipfile.ZIP_DEFLATED
        z.writestr(info, data)
    return out.getvalue()


def _attachment_href(url: str, suffix: str) -> tuple[str, str]:
    folder, name = url.rsplit("/", 1)
    stem = name[:-5].replace("t", "P0", 1)
    return f"{folder}/{stem}{suffix}", f"./{stem}{suffix}"


# ---------------------------------------------------------------- build

def _build_report(site: "Site", case: str) -> tuple[pages.ListItem, dict, list[dict]]:
    from .pdfs import render_pdf
    listed, attr, title, pub, text, writer = REPORTS[case]
    a = CITY
    url = _url(a, case, pub)
    doc = _doc(text)
    facts = [(f.quote, f.category, f.value, f.unit, f.qualifier) for f in doc.facts]
    files: list[str] = []
    if case == "cover_pdf":
        pdf_url, href = _attachment_href(url, "01.pdf")
        site.add(pdf_url, render_pdf(title, writer["agency"], doc.blocks), pub)
        body = pages.body_html([Block("p", COVER_YC)], a.indent)
        html = pages.article_page(a, title, pub, body, [(href, f"{title}.pdf")])
        files.append(pdf_url)
    elif case == "split":
        first, second = _doc(XIANGSHUI_1), _doc(XIANGSHUI_2)
        links = []
        for i, (part, label) in enumerate(((first, "（上）"), (second, "（下）")), start=1):
            pdf_url, href = _attachment_href(url, f"0{i}.pdf")
            site.add(pdf_url, render_pdf(title + label, writer["agency"], part.blocks), pub)
            links.append((href, f"{title}{label}.pdf"))
            files.append(pdf_url)
        html = pages.article_page(a, title, pub, pages.body_html([Block("p", COVER_XS)], a.indent), links)
    elif case == "zip":
        zip_url, href = _attachment_href(url, "01.zip")
        site.add(zip_url, _zip(f"{title}.pdf", render_pdf(title, writer["agency"], doc.blocks)), pub)
        body = pages.body_html([Block("p", COVER_BH)], a.indent)
        html = pages.article_page(a, title, pub, body, [(href, f"{title}.zip")])
        files.append(zip_url)
    elif case == "images":
        from .documents import page_images
        imgs = []
        for i, img in enumerate(page_images(title, doc.blocks, dpi=200), start=1):
            img_url, href = _attachment_href(url, f"_p{i}.png")
            site.add(img_url, _png(img), pub)
            imgs.append(f'<p style="text-align:center"><img src="{href}" width="800" alt="第{i}页"></p>')
            files.append(img_url)
        html = pages.article_page(a, title, pub, "\n".join(imgs), [])
        facts = [(q, c, float(v), u, qual) for q, c, v, u, qual in SHEYANG_FACTS]
    elif case == "truncated":
        body = pages.body_html(doc.blocks, a.indent)
        html = _site_titled_page(a, title, pub, body, writer["agency"])
    elif case == "tooltip":
        html = pages.article_page(a, title, pub, _word_paste(doc.blocks), [])
    else:
        html = pages.article_page(a, title, pub, pages.body_html(doc.blocks, a.indent), [])
    site.add_html(url, html, a.charset, pub)
    year = 2024
    truth = [{**writer, "report_year": year, "url": url, "case": case, "quote": q, "category": c,
              "value": float(v), "unit": u, "qualifier": qual} for q, c, v, u, qual in facts]
    entry = {"case": case, "url": url, "listed": listed, "title_attribute": attr, "title": title,
             "report_year": year, "column": a.id, "files": files, "facts": len(truth), **writer}
    return pages.ListItem(listed, url, pub[:10]), entry, truth


def _build_decoy(site: "Site", key: str) -> tuple[pages.ListItem, dict]:
    title, text = DECOY_TEXTS[key]
    pub = DECOY_PUB[key]
    url = _url(CITY, key, pub)
    site.add_html(url, pages.article_page(CITY, title, pub, pages.body_html([Block("p", text)], CITY.indent), []),
                  CITY.charset, pub)
    return pages.ListItem(title, url, pub[:10]), {"case": key, "url": url, "title": title, "column": CITY.id}


def _listing(a: Agency, items: list[tuple[pages.ListItem, str]]) -> str:
    """One page of a plain list: link text (maybe cut) and a title attribute (maybe a tooltip)."""
    lis = "\n".join(f'<li><a href="{escape(i.href)}" target="_blank" title="{escape(attr or i.title)}">'
                    f"{escape(i.title)}</a><span>{i.date}</span></li>" for i, attr in items)
    body = f"""<div class="breadcrumb">当前位置：<a href="/{a.path}/index.html">首页</a> &gt; {COLUMN_NAME}</div>
<div class="column"><h2>{COLUMN_NAME}</h2>
<div class="list"><ul>
{lis}
</ul></div>
<div class="page"><span>共1页</span></div>
</div>"""
    return pages.frame(a, COLUMN_NAME, body, f'<meta name="ColumnName" content="{COLUMN_NAME}">\n')


def build(site: "Site") -> None:
    """Both columns, their articles and files, and what each should become."""
    items: list[tuple[pages.ListItem, str]] = []
    manifest: dict[str, Any] = {"reports": [], "decoys": []}
    truth: list[dict] = []
    for case in REPORTS:
        item, entry, t = _build_report(site, case)
        items.append((item, REPORTS[case][1]))
        manifest["reports"].append(entry)
        truth += t
    for key in DECOY_TEXTS:
        item, entry = _build_decoy(site, key)
        items.append((item, ""))
        manifest["decoys"].append(entry)
    items.sort(key=lambda x: (x[0].date, x[0].href), reverse=True)
    site.add_html(f"/{CITY.path}/index.html", pages.agency_home(CITY), CITY.charset)
    site.add_html(f"/{CITY.path}/{CITY.column}/index.html", _listing(CITY, items), CITY.charset)

    title, pub, text, writer = NATIONAL
    m = MINISTRY
    url = _url(m, "national", pub)
    doc = _doc(text)
    site.add_html(url, pages.article_page(m, title, pub, pages.body_html(doc.blocks, m.indent), []), m.charset, pub)
    site.add_html(f"/{m.path}/index.html", pages.agency_home(m), m.charset)
    site.add_html(f"/{m.path}/{m.column}/index.html", _listing(m, [(pages.ListItem(title, url, pub[:10]), "")]),
                  m.charset)
    manifest["reports"].append({"case": "national", "url": url, "listed": title, "title_attribute": "",
                                "title": title, "report_year": 2024, "column": m.id, "files": [],
                                "facts": len(doc.facts), **writer})
    truth += [{**writer, "report_year": 2024, "url": url, "case": "national", "quote": f.quote,
               "category": f.category, "value": f.value, "unit": f.unit, "qualifier": f.qualifier} for f in doc.facts]
    site.add("/truth_authorship.jsonl", "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in truth).encode("utf-8"))
    site.add("/manifest_authorship.json", (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def source_entries() -> list[dict[str, Any]]:
    """Registry entries of the two columns (agency and listing URL only: the rest is inferred)."""
    return [{"id": a.id, "agency": a.agency, "listing_url": "{portal}" + f"/{a.path}/{a.column}/index.html"}
            for a in (CITY, MINISTRY)]
