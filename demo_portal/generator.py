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

from . import pages, pdfs
from .content import (AGENCIES, ANNUAL_DECOYS, BUILD_TIME, DECOY_YEARS, DECOYS, PDF_INTRO, ROBOTS_TXT, Agency,
                      ReportSpec)
from .markup import Block, Document, identity, parse, to_traditional
from .texts import REPORTS

SLOW_SECONDS = 30.0
TZ_OFFSET = 8 * 3600            # pub times are Beijing time
HIDDEN_FILES = ("truth.jsonl", "failures.json", "manifest.json", "_charsets.json", "_special.json")


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


def _build_listing(site: Site, a: Agency, arts: list[Article]) -> None:
    n = a.per_page
    chunks = [arts[i:i + n] for i in range(0, len(arts), n)]
    if len(chunks) > a.max_pages:
        raise ValueError(f"{a.id}: {len(chunks)} listing pages exceed max_pages={a.max_pages}")
    for page, chunk in enumerate(chunks):
        items = [pages.ListItem(x.title, _listing_href(a, x), x.pub[:10]) for x in chunk]
        name = "index.html" if page == 0 else f"index_{page}.html"
        site.add_html(f"/{a.path}/{a.column}/{name}", pages.listing_page(a, items, page, len(chunks)), a.charset)


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
    has_pdf = spec.fmt in ("pdf", "both")
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


def _truth_records(a: Agency, spec: ReportSpec, url: str, doc: Document) -> list[dict[str, Any]]:
    return [{
        "source_id": a.id, "agency": a.agency, "province": a.province,
        "province_code": a.province_code, "report_year": spec.year, "url": url,
        "category": f.category, "value": f.value, "unit": f.unit, "qualifier": f.qualifier,
        "quote": f.quote,
    } for f in doc.facts]


def _add_manifest(site: Site, art: Article, pdf_url: str, n_facts: int = 0) -> None:
    spec = art.spec
    assert spec is not None
    site.manifest.append({
        "source_id": art.agency.id, "report_year": spec.year, "url": art.url, "title": art.title,
        "fmt": spec.fmt, "script": spec.script, "charset": art.agency.charset, "pdf": pdf_url,
        "pub": spec.pub, "facts": 0 if spec.failure else n_facts, "failure": spec.failure,
    })


def _build_decoy(site: Site, art: Article) -> None:
    a = art.agency
    _, text_t = DECOYS[art.decoy]
    text = text_t.format(a=a.agency, y=art.decoy_year, y1=art.decoy_year + 1)
    body = pages.body_html([Block("p", text)], a.indent)
    site.add_html(art.url, pages.article_page(a, art.title, art.pub, body, []), a.charset, art.pub)


# ---------------------------------------------------------------- site

def _build_agency(site: Site, a: Agency) -> None:
    arts = articles_of(a)
    site.add_html(f"/{a.path}/index.html", pages.agency_home(a), a.charset)
    _build_listing(site, a, arts)
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
    for a in AGENCIES:
        _build_agency(site, a)
    _write(site)
    return root


# ---------------------------------------------------------------- sources registry

SOURCE_FIELDS = ("id", "agency", "province", "province_code", "listing_url", "city", "county",
                 "level", "include", "exclude", "max_pages")


def source_entries() -> list[dict[str, Any]]:
    """The demo agencies as sources-registry entries (the Source dataclass fields)."""
    out = []
    for a in AGENCIES:
        d = {f: getattr(a, f) for f in SOURCE_FIELDS if f != "listing_url"}
        d["listing_url"] = "{portal}" + f"/{a.path}/{a.column}/index.html"
        out.append({f: d[f] for f in SOURCE_FIELDS})
    return out


def render_sources_yaml() -> str:
    head = ("# Sources registry of the demo portal (demo_portal). Generated by\n"
            "#   python -m demo_portal sources > etl/sources.yaml\n"
            "# {portal} stands for the portal's base URL, e.g. http://127.0.0.1:8765\n")
    body = yaml.safe_dump({"sources": source_entries()}, allow_unicode=True, sort_keys=False, width=200)
    return head + body
