"""Walk a source's listing: every convention is asked about every page, the pages they
ask for are requested in turn (bounded by max_pages, never twice, only on the source's
hosts), and every listed item gets a recorded decision with its reason."""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from ..http import FetchError
from ..records import DocRef, Listed, Source
from . import titles
from .conventions import CONVENTIONS
from .memo import PageMemo
from .page import Found, Item, Page, PageRequest

log = logging.getLogger(__name__)

PageGetter = Callable[[PageRequest], Page]


@dataclass
class Discovery:
    """What one source's listing gave tonight."""
    source_id: str
    refs: list[DocRef] = field(default_factory=list)       # the reports to fetch
    listed: list[Listed] = field(default_factory=list)     # every item, with its decision
    pages: int = 0                                          # listing pages answered
    listing_error: str = ""                                 # the listing could not be had at all
    page_errors: list[tuple[str, str]] = field(default_factory=list)   # (url, error) of later pages
    pages_capped: int = 0                                   # pages left out by max_pages
    first_capped: str = ""                                  # the first of them


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _findings(source: Source, page: Page, memo: PageMemo | None) -> list[Found]:
    """Every convention's findings on the page (remembered by its bytes when `memo`)."""
    if page.found is not None:         # the getter found it in the memo before reading the bytes
        return page.found
    if memo is not None and (known := memo.get(page)) is not None:
        return known
    out, failed = [], False
    for conv in CONVENTIONS:
        try:
            found = conv.find(page)
        except Exception as e:         # a convention's bug must not end the walk
            log.warning("%s: convention %s failed on %s: %s: %s", source.id, conv.NAME, page.url,
                        type(e).__name__, e)
            failed = True
            continue
        if found is not None:
            out.append(found)
    if memo is not None and not failed:   # a failure is logged again tomorrow, not remembered
        memo.put(page, out)
    return out


def walk(source: Source, get_page: PageGetter, max_pages: int,
         memo: PageMemo | None = None) -> tuple[dict[str, tuple[Item, str]], Discovery]:
    """Items by URL (with the page that listed them) and the walk's record."""
    rec = Discovery(source.id)
    queue: deque[PageRequest] = deque([PageRequest(source.listing_url)])
    seen: set[str] = set()
    page_urls: set[str] = {source.listing_url}   # pages asked for: a link back to one is no document
    stopped: set[str] = set()             # conventions whose guessed pages ran dry
    items: dict[str, tuple[Item, str]] = {}
    hosts = source.hosts
    while queue:
        req = queue.popleft()
        if req.key in seen or (req.speculative and req.via in stopped):
            continue
        seen.add(req.key)
        page_urls.add(req.url)
        if rec.pages >= max_pages:
            rec.pages_capped += 1
            rec.first_capped = rec.first_capped or req.url
            continue
        try:
            page = get_page(req)
        except FetchError as e:
            if not rec.pages and req.via == "start":
                rec.listing_error = str(e)
                return items, rec
            if req.post_fallback:
                queue.appendleft(req.as_post())
            else:
                rec.page_errors.append((req.url, str(e)))
            continue
        rec.pages += 1
        new = 0
        for found in _findings(source, page, memo):
            for it in found.items:
                if it.url not in items:
                    items[it.url] = (it, page.url)
                    new += 1
            for r in found.requests:
                if r.key not in seen and _host(r.url) in hosts:
                    queue.append(r)
        if req.post_fallback and not new:
            queue.appendleft(req.as_post())
        elif req.speculative and not new:
            stopped.add(req.via)
    # a link back to a listing page (breadcrumb, column name) is never a document
    return {u: v for u, v in items.items() if u not in page_urls}, rec


def decide(source: Source, items: dict[str, tuple[Item, str]], rec: Discovery, max_documents: int) -> Discovery:
    """A decision for every listed item; the reports become DocRefs (at most max_documents)."""
    hosts = source.hosts
    for url, (it, listing) in items.items():
        year = titles.year_of(it.title)
        base = dict(source_id=source.id, url=url, title=it.title, listed_date=it.date,
                    listing_url=listing, via=it.via, report_year=year)
        if _host(url) not in hosts:
            rec.listed.append(Listed(decision="off-host", reason=f"{_host(url)} is not among the source's "
                                     f"hosts ({', '.join(sorted(hosts))})", **base))
            continue
        d = titles.classify(it.title, source.include, source.exclude, source.kinds)
        if d.decision == "report" and len(rec.refs) >= max_documents:
            rec.listed.append(Listed(decision="over-cap", reason=f"more than {max_documents} documents "
                                     "tonight (max_documents)", kind=d.kind, **base))
            continue
        rec.listed.append(Listed(decision=d.decision, reason=d.reason, kind=d.kind, **base))
        if d.decision == "report":
            rec.refs.append(DocRef(source.id, url, it.title, it.date, d.kind, year))
    if rec.listing_error:
        rec.listed.append(Listed(source.id, source.listing_url, "", "failed", rec.listing_error,
                                 listing_url=source.listing_url))
    if rec.pages_capped:       # older items may sit there: said, so a full crawl can be asked for
        rec.listed.append(Listed(source.id, rec.first_capped, "", "over-cap",
                                 f"{rec.pages_capped} more listing pages not read (max_pages={rec.pages})",
                                 listing_url=source.listing_url))
    return rec


def discover(source: Source, get_page: PageGetter, max_pages: int = 10, max_documents: int = 50,
             memo: PageMemo | None = None) -> Discovery:
    max_pages = source.max_pages or max_pages
    max_documents = source.max_documents or max_documents
    items, rec = walk(source, get_page, max_pages, memo)
    return decide(source, items, rec, max_documents)
