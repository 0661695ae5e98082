"""Sources registry and discovery: which agencies to watch, and which of their listed
articles are the annual rule-of-law reports.

The registry (YAML, `ETL_SOURCES`) lists each agency's report column. Discovery walks the
column's pages (index.html, index_1.html, ... up to max_pages) and keeps the items whose
title matches the source's `include` pattern and not its `exclude` pattern.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import urljoin

import yaml
from lxml import html as lxml_html

from .http import FetchError, Http, decode_html
from .records import DocRef, Source
from .settings import Settings

log = logging.getLogger(__name__)

_DATE = re.compile(r"(20\d\d)[-/.年](\d{1,2})[-/.月](\d{1,2})")
_NEXT = re.compile(r"下一页|下页|下一頁|next", re.I)


def load_registry(path: Path, portal_url: str = "") -> list[Source]:
    """Read the registry; `{portal}` in URLs becomes the demo portal's base URL."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for entry in doc.get("sources", []):
        entry = dict(entry)
        entry["listing_url"] = entry["listing_url"].replace("{portal}", portal_url)
        entry["province_code"] = str(entry.get("province_code", ""))
        out.append(Source(**entry))
    ids = [s.id for s in out]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ValueError(f"duplicate source ids in {path}: {sorted(dupes)}")
    return out


@lru_cache(maxsize=4)
def _registry_by_id(path: Path, mtime: float, portal_url: str) -> dict[str, Source]:
    return {s.id: s for s in load_registry(path, portal_url)}


def get_source(settings: Settings, source_id: str) -> Source:
    path = settings.sources_file
    by_id = _registry_by_id(path, path.stat().st_mtime, settings.portal_url)
    if source_id not in by_id:
        raise KeyError(f"unknown source {source_id!r} in {path}")
    return by_id[source_id]


def parse_listing(page: str, base_url: str) -> tuple[list[DocRef], str | None]:
    """Items (title, url, date) of one listing page and the next page's URL.

    CMS listing pages differ in markup but share the shape: article links with a title
    and a date beside them. We take every <a> whose text is long enough to be a title."""
    tree = lxml_html.fromstring(page)
    items, nxt = [], None
    for a in tree.iter("a"):
        text = " ".join(a.text_content().split())
        href = a.get("href")
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        if _NEXT.search(text):
            nxt = urljoin(base_url, href)
            continue
        title = a.get("title") or text
        if len(title) < 8:
            continue                      # nav links, breadcrumbs, page numbers
        around = a.getparent().text_content() if a.getparent() is not None else ""
        m = _DATE.search(around)
        date = f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}" if m else ""
        items.append(DocRef(source_id="", url=urljoin(base_url, href), title=title, listed_date=date))
    return items, nxt


def is_report(title: str, source: Source) -> bool:
    return bool(re.search(source.include, title)) and not (
        source.exclude and re.search(source.exclude, title))


PageGetter = Callable[[str], tuple[bytes, str]]   # url -> (bytes, content type)


def plain_getter(http: Http) -> PageGetter:
    def get(url: str) -> tuple[bytes, str]:
        r = http.get(url)
        return r.content, r.headers.get("content-type", "")
    return get


def discover(source: Source, get_page: PageGetter) -> list[DocRef]:
    """Walk the listing pages; keep the reports. A broken page ends the walk (logged), the
    items found so far are kept. `get_page` may answer from a cache (conditional GET)."""
    found: dict[str, DocRef] = {}
    url: str | None = source.listing_url
    seen_pages: set[str] = set()
    for _ in range(source.max_pages):
        if not url or url in seen_pages:
            break
        seen_pages.add(url)
        try:
            content, ctype = get_page(url)
        except FetchError as e:
            log.warning("listing page failed for %s: %s", source.id, e)
            break
        try:
            items, url = parse_listing(decode_html(content, ctype), url)
        except Exception as e:                 # empty or malformed page: keep what we have
            log.warning("listing page unreadable for %s: %s: %s", source.id, type(e).__name__, e)
            break
        for it in items:
            if is_report(it.title, source) and it.url not in found:
                it.source_id = source.id
                found[it.url] = it
    return list(found.values())
