"""Build the demo portal: a static site tree plus its ground truth.

    root/
      index.html, robots.txt, static/css/common.css, admin/index.html
      <prov>/<agency path>/index.html                      agency home
      <prov>/<agency path>/<column>/index.html, index_1.html ...   listing pages
      <prov>/<agency path>/<column>/<YYYYMM>/t<YYYYMMDD>_<id>.html  articles
      <prov>/<agency path>/<column>/<YYYYMM>/P0<YYYYMMDD><id>01.pdf  attachments
      truth.jsonl      one planted fact a line (reports that load fine only)
      failures.json    the bad inputs: [{url, kind, ...}]
      manifest.json    one entry per report (format, script, charset, attachment)
      _charsets.json   {url path: charset} for pages not in UTF-8
      _special.json    {url path: behaviour} for URLs the server fakes (HTTP 500, slow)

URLs in truth/failures/manifest are paths from the site root with a leading slash, as
the listing links resolve (base_url + url gives the absolute URL).
"""
from __future__ import annotations

import calendar
import json
import os
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import cms, pages, pdfs
from .content import (AGENCIES, ANNUAL_DECOYS, BUILD_TIME, DECOY_YEARS, DECOYS, PDF_INTRO, ROBOTS_TXT, Agency,
                      ReportSpec)
from .markup import Block, Document, identity, parse, to_traditional
from .texts import REPORTS
from . import documents, formats  # noqa: E402  (issue 9: reports in other file formats)

formats.register()
from . import scripted  # noqa: E402  (issue 17: columns only a browser can read)

scripted.register()

SLOW_SECONDS = 30.0
TZ_OFFSET = 8 * 3600            # pub times are Beijing time
HIDDEN_FILES = ("truth.jsonl", "truth_disclosure.jsonl", "truth_dq.jsonl", "failures.json", "manifest.json", "_charsets.json", "_special.json",
                "truth_authorship.jsonl", "manifest_authorship.json")


@dataclass
class Article:
    agency: Agency
    title: str                  # as listed
    pub: str                    # YYYY-MM-DD HH:MM
    url: str                    # /path/from/root.html
    spec: ReportSpec | None = None
    decoy: str = ""             # DECOYS key
    decoy_year: int = 0

    @property
    def pdf_url(self) -> str:
        folder, name = self.url.rsplit("/", 1)
        digits = name[1:-5].replace("_", "")
        return f"{folder}/P0{digits}01.pdf"


@dataclass
class Site:
    """Files and records collected in memory, written at the end."""
    root: Path
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)   # url -> (bytes, mtime)
    charsets: dict[str, str] = field(default_factory=dict)
    special: dict[str, dict[str, Any]] = field(default_factory=dict)
    truth: list[dict[str, Any]] = field(default_factory=list)
    failures: list[dict[str, str]] = field(default_factory=list)
    manifest: list[dict[str, Any]] = field(default_factory=list)
    truth_dq: list[dict[str, Any]] = field(default_factory=list)   # bad_data.py: what DQ should do

    def add(self, url: str, data: bytes, mtime: str = BUILD_TIME) -> None:
        if url in self.files:
            raise ValueError(f"duplicate url {url}")
        self.files[url] = (data, mtime)

    def add_html(self, url: str, html: str, charset: str, mtime: str = BUILD_TIME) -> None:
        if charset == "utf-8":
            self.add(url, html.encode("utf-8"), mtime)
        else:
            self.charsets[url] = charset
            self.add(url, html.encode("gb18030"), mtime)


# ---------------------------------------------------------------- articles and listings

def _article_id(a: Agency, title: str) -> int:
    return 1_000_000 + zlib.crc32(f"{a.id}/{title}".encode()) % 9_000_000


def _article_url(a: Agency, title: str, pub: str) -> str:
    day = pub[:10].replace("-", "")
    return f"/{a.path}/{a.column}/{day[:6]}/t{day}_{_article_id(a, title)}.html"


def _decoy_pub(a: Agency, key: str, year: int) -> str:
    """A stable pseudo-random publication time for a decoy about `year`."""
    h = zlib.crc32(f"{a.id}/{key}/{year}".encode())
    day, hour, minute = 1 + (h >> 8) % 28, 8 + (h >> 16) % 9, (h >> 24) % 60
    if key in ANNUAL_DECOYS:            # a report on `year`: published early the next year
        y, month = year + 1, 1 + h % 3
    else:                               # a notice issued during `year`
        y, month = year, 2 + h % 11
    return f"{y}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}"


def articles_of(a: Agency) -> list[Article]:
    """Reports and decoys of a column, newest first (as the listing shows them)."""
    arts = [Article(a, r.title, r.pub, _article_url(a, r.title, r.pub), spec=r) for r in a.reports]
    for key in a.decoys:
        for year in DECOY_YEARS:
            title_t, _ = DECOYS[key]
            title = title_t.format(a=a.agency, y=year, y1=year + 1)
            if any(x.title == title for x in arts):
                continue
            pub = _decoy_pub(a, key, year)
            arts.append(Article(a, title, pub, _article_url(a, title, pub), decoy=key, decoy_year=year))
    return sorted(arts, key=lambda x: (x.pub, x.url), reverse=True)


def _listing_href(a: Agency, art: Article) -> str:
    if a.link_style == "absolute":
        return art.url
    return "./" + art.url.split(f"/{a.column}/", 1)[1]


def _listing_item(a: Agency, art: Article) -> pages.ListItem:
    href = art.pdf_url if art.spec is not None and art.spec.fmt == "pdf_direct" else art.url
    if a.link_style != "absolute" and a.cms == "static":
        href = "./" + href.split(f"/{a.column}/", 1)[1]
    title = _published_title(art.spec) if art.spec is not None else art.title
    return pages.ListItem(title, href, art.pub[:10])


def _build_listing(site: Site, a: Agency, arts: list[Article], hot_href: str) -> None:
    cms.build_listing(site, a, [_listing_item(a, x) for x in arts], hot_href)


# ---------------------------------------------------------------- reports

def _document(a: Agency, spec: ReportSpec) -> Document:
    convert = to_traditional() if spec.script == "hant" else identity
    return parse(REPORTS[(a.id, spec.year)], convert)


def _published_title(spec: ReportSpec) -> str:
    return to_traditional()(spec.title) if spec.script == "hant" else spec.title


def _build_report(site: Site, art: Article) -> None:
    a, spec = art.agency, art.spec
    assert spec is not None
    if spec.failure == "http_500":
        site.special[art.url] = {"kind": "status", "status": 500}
        site.failures.append({"url": art.url, "kind": "http_500"})
        _add_manifest(site, art, pdf_url="")
        return
    if spec.failure == "timeout":
        site.special[art.url] = {"kind": "slow", "seconds": SLOW_SECONDS}
        site.failures.append({"url": art.url, "kind": "timeout"})
        _add_manifest(site, art, pdf_url="")
        return

    doc = _document(a, spec)
    title = _published_title(spec)
    has_pdf = spec.fmt in ("pdf", "both", "pdf_direct", "download")
    if spec.fmt == "pdf_direct":              # the listing links the PDF itself: no article page
        site.add(art.pdf_url, pdfs.render_pdf(title, a.agency, doc.blocks), spec.pub)
        site.truth.extend(_truth_records(a, spec, art.pdf_url, doc))
        _add_manifest(site, art, pdf_url=art.pdf_url, n_facts=len(doc.facts), url=art.pdf_url)
        return
    if spec.fmt == "download":                # a cover note; the PDF behind an opaque download link
        _build_download(site, art, spec, doc, title)
        return
    if spec.fmt in formats.FORMATS:           # scanned / ruled / docx / doc / encrypted (documents.py)
        documents.build_report(site, art, doc, title)
        return
    if spec.fmt == "pdf":
        intro = Block("p", PDF_INTRO.format(title=f"《{title}》"))
        body = pages.body_html([intro], a.indent)
    else:
        body = pages.body_html(doc.blocks, a.indent)
    attachments: list[tuple[str, str]] = []
    if has_pdf:
        pdf = pdfs.render_pdf(title, a.agency, doc.blocks)
        if spec.failure == "broken_pdf":
            pdf = pdfs.break_pdf(pdf)
        site.add(art.pdf_url, pdf, spec.pub)
        attachments.append(("./" + art.pdf_url.rsplit("/", 1)[1], f"{title}.pdf"))
    site.add_html(art.url, pages.article_page(a, title, spec.pub, body, attachments), a.charset, spec.pub)

    if spec.failure == "broken_pdf":
        site.failures.append({"url": art.url, "kind": "broken_pdf", "attachment": art.pdf_url})
    else:
        site.truth.extend(_truth_records(a, spec, art.url, doc))
    _add_manifest(site, art, pdf_url=art.pdf_url if has_pdf else "", n_facts=len(doc.facts))


DOWNLOAD = "/module/download/downfile.jsp"


def _build_download(site: Site, art: Article, spec: ReportSpec, doc: Document, title: str) -> None:
    a = art.agency
    fileid = str(_article_id(a, title) % 100000)
    hidden = art.pdf_url.rsplit("/", 1)[0] + f"/_file_{fileid}.bin"
    site.add(hidden, pdfs.render_pdf(title, a.agency, doc.blocks), spec.pub)
    spec_dl = site.special.setdefault(DOWNLOAD, {"kind": "download", "param": "fileid", "files": {}, "names": {}})
    spec_dl["files"][fileid], spec_dl["names"][fileid] = hidden, f"{title}.pdf"
    note = Block("p", PDF_INTRO.format(title=f"《{title}》"))
    link = [(f"{DOWNLOAD}?classid=0&fileid={fileid}", f"{title}.pdf")]
    site.add_html(art.url, pages.article_page(a, title, spec.pub, pages.body_html([note], a.indent), link),
                  a.charset, spec.pub)
    site.truth.extend(_truth_records(a, spec, art.url, doc))
    _add_manifest(site, art, pdf_url=hidden, n_facts=len(doc.facts))
    site.manifest[-1]["download_url"] = link[0][0]


def _build_republished(site: Site, host: Agency, writer: Agency, spec: ReportSpec) -> Article:
    """A report of another agency reposted (转载) in `host`'s column: same text, new URL.
    Its facts belong to the writer, and once only (truth has them from the original)."""
    doc = _document(writer, spec)
    title = _published_title(spec)
    pub = spec.pub[:11] + "18:30"
    art = Article(host, title, pub, _article_url(host, "转载" + title, pub))
    body = pages.body_html([Block("p", f"（转载自{writer.site_name}）")] + list(doc.blocks), host.indent)
    site.add_html(art.url, pages.article_page(host, title, pub, body, []), host.charset, pub)
    site.manifest.append({"source_id": host.id, "report_year": spec.year, "url": art.url, "title": title,
                          "fmt": "html", "script": spec.script, "charset": host.charset, "pdf": "", "pub": pub,
                          "facts": len(doc.facts), "failure": "", "republished_from": writer.id})
    return art


def _truth_records(a: Agency, spec: ReportSpec, url: str, doc: Document) -> list[dict[str, Any]]:
    return [{
        "source_id": a.id, "agency": a.agency, "province": a.province,
        "province_code": a.province_code, "report_year": spec.year, "url": url,
        "category": f.category, "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
        "quote": f.quote,
    } for f in doc.facts]


def _add_manifest(site: Site, art: Article, pdf_url: str, n_facts: int = 0, url: str = "") -> None:
    spec = art.spec
    assert spec is not None
    site.manifest.append({
        "source_id": art.agency.id, "report_year": spec.year, "url": url or art.url, "title": art.title,
        "fmt": spec.fmt, "script": spec.script, "charset": art.agency.charset, "pdf": pdf_url,
        "pub": spec.pub, "facts": 0 if spec.failure else n_facts, "failure": spec.failure,
    })


def _build_decoy(site: Site, art: Article) -> None:
    if art.decoy == "xxgk":         # the real 政府信息公开年报 with its tables (disclosure.py)
        from . import disclosure
        return disclosure.build(site, art)
    a = art.agency
    _, text_t = DECOYS[art.decoy]
    text = text_t.format(a=a.agency, y=art.decoy_year, y1=art.decoy_year + 1)
    body = pages.body_html([Block("p", text)], a.indent)
    site.add_html(art.url, pages.article_page(a, art.title, art.pub, body, []), a.charset, art.pub)


# ---------------------------------------------------------------- site

def _build_agency(site: Site, a: Agency, hot_href: str) -> None:
    arts = articles_of(a)
    site.add_html(f"/{a.path}/index.html", pages.agency_home(a, cms.column_url(a)), a.charset)
    by_id = {x.id: x for x in AGENCIES}
    reposts = [_build_republished(site, a, by_id[wid], next(r for r in by_id[wid].reports if r.year == y))
               for wid, y in a.republishes]
    _build_listing(site, a, sorted(arts + reposts, key=lambda x: (x.pub, x.url), reverse=True), hot_href)
    for art in arts:
        if art.spec is not None:
            _build_report(site, art)
        else:
            _build_decoy(site, art)


def _epoch(stamp: str) -> int:
    return calendar.timegm(time.strptime(stamp, "%Y-%m-%d %H:%M")) - TZ_OFFSET


def _dump_json(obj: Any) -> bytes:
    return (json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _write(site: Site) -> None:
    root = site.root
    for url, (data, mtime) in sorted(site.files.items()):
        path = root / url.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (_epoch(mtime), _epoch(mtime)))
    truth = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in site.truth)
    (root / "truth.jsonl").write_text(truth, encoding="utf-8")
    (root / "failures.json").write_bytes(_dump_json(site.failures))
    (root / "manifest.json").write_bytes(_dump_json(site.manifest))
    (root / "_charsets.json").write_bytes(_dump_json(site.charsets))
    (root / "_special.json").write_bytes(_dump_json(site.special))


def build_site(root: Path) -> Path:
    """Write the whole portal under root (deterministic: same bytes every time).

    Files a previous build left under root and this one does not write are left alone:
    build into an empty directory."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    site = Site(root)
    site.add("/index.html", pages.site_home(list(AGENCIES)).encode("utf-8"))
    site.add("/robots.txt", ROBOTS_TXT.encode("ascii"))
    site.add("/static/css/common.css", pages.CSS.encode("utf-8"))
    site.add("/admin/index.html", pages.ADMIN_PAGE.encode("utf-8"))
    site.add("/static/js/createPageHTML.js", cms.PAGER_JS.encode("utf-8"))
    for i, a in enumerate(AGENCIES):
        other = AGENCIES[(i + 1) % len(AGENCIES)]       # 热门搜索 links to another agency's report
        _build_agency(site, a, _article_url(other, other.reports[0].title, other.reports[0].pub))
    scripted.finish(site, AGENCIES)     # the app-shell column's articles become shells
    from . import bad_data, disclosure
    disclosure.finish(site)             # truth_disclosure.jsonl
    bad_data.build(site)                # make demo's bad figures (not in the tests' registry)
    from . import authorship
    authorship.build(site)              # which document is the report, who wrote it (issue 18)
    site.add("/truth_dq.jsonl", "".join(json.dumps(t, ensure_ascii=False) + "\n"
                                        for t in site.truth_dq).encode("utf-8"))
    _write(site)
    return root


# ---------------------------------------------------------------- sources registry

SOURCE_FIELDS = ("id", "agency", "province", "province_code", "listing_url", "city", "county", "level")
FULL_ENTRIES = ("hb-sft", "js-sz-scjgj")    # written out in full, as the README's registry did


def source_entries() -> list[dict[str, Any]]:
    """The demo agencies as sources-registry entries: most with only id, agency and
    listing_url (the rest is inferred from the agency name), a few written out in full."""
    out = []
    for a in AGENCIES:
        url = "{portal}" + cms.column_url(a)
        if a.id in FULL_ENTRIES:
            d = {f: getattr(a, f) for f in SOURCE_FIELDS if f != "listing_url"}
            out.append({**d, "listing_url": url})
        else:
            out.append({"id": a.id, "agency": a.agency, "listing_url": url})
    return out


def render_sources_yaml() -> str:
    head = ("# Sources registry of the demo portal (demo_portal). Generated by\n"
            "#   python -m demo_portal sources > etl/sources.yaml\n"
            "# {portal} stands for the portal's base URL, e.g. http://127.0.0.1:8765\n")
    body = yaml.safe_dump({"sources": source_entries()}, allow_unicode=True, sort_keys=False, width=200)
    return head + body
