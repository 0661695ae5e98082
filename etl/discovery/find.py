"""Registry work at scale: check entries against their live listings, and find a
department's report column(s) from its home page (nobody writes 100k listing URLs by hand).

`find_columns` is a bounded breadth-first crawl on the home page's host: links whose
text names a report column (法治政府建设, 依法行政, 政府信息公开年报, 年度报告 ...) are
followed first; every page is read with the listing conventions, and a page whose list
holds reports is a column. Entries come back ready to paste into the registry.
"""
from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

from ..http import FetchError
from . import titles
from .conventions import CONVENTIONS
from .page import Page, PageRequest, anchor_title, clean_text, safe_join

# links worth following towards a report column (法治… covers 法治政府(建设), 法治建设)
_COLUMN_WORDS = re.compile(r"法治|依法行政|年度报告|工作报告|信息公开|政务公开|通知公告")
_AGENCY = re.compile(r"^(.{2,40}?)(?:关于)?(?:20\d\d|二〇)")


@dataclass
class Column:
    listing_url: str
    reports: list[str] = field(default_factory=list)     # report titles listed there
    kinds: Counter = field(default_factory=Counter)


def _agency_from(titles_: list[str], page_title: str) -> str:
    """The department most report titles start with, else the site's own name."""
    names = Counter(m.group(1) for t in titles_ if (m := _AGENCY.match(titles.fold(t))))
    if names:
        return names.most_common(1)[0][0]
    return re.split(r"[_\-|–—]", page_title)[-1].strip() if page_title else ""


def _slug(url: str, n: int) -> str:
    """A registry id from the home page's host and folder: www.x.gov.cn/a/b/ -> x-gov-cn-a-b-1."""
    parts = urlsplit(url)
    base = "-".join([(parts.hostname or "site").removeprefix("www.")] + parts.path.split("/")[1:-1][:3])
    return re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:60] + f"-{n}"


def _under(url: str, home: str) -> bool:
    """The URL lies under the home page's folder (shared portals host many departments)."""
    folder = urlsplit(home).path.rsplit("/", 1)[0] + "/"
    return urlsplit(url).path.startswith(folder)


MAX_RENDERS = 6                 # column candidates rendered in the browser per home page


def _rendered_items(render, url: str) -> list:
    """Items of a candidate column as the browser shows it (rows, pager, answers)."""
    from .render import RenderError, ChallengeBlocked
    try:
        rd = render(PageRequest(url))
    except (RenderError, ChallengeBlocked):
        return []
    items = [it for f in rd.found for it in f.items]
    for page in [rd.page] + rd.frames:
        for conv in CONVENTIONS:
            if f := conv.find(page):
                items += f.items
    return items


def find_columns(home: str, get_page: Callable[[PageRequest], Page], max_pages: int = 40,
                 failures: list[tuple[str, str, str]] | None = None, render: Callable | None = None) -> list[dict]:
    """Registry entries (id, agency, listing_url) for the report columns under `home`;
    pages that could not be fetched are appended to `failures` as (url, error, kind).
    With `render`, a candidate column page that lists nothing statically is rendered."""
    renders = 0
    host = (urlsplit(home).hostname or "").lower()
    # (depth, request, the column page it serves: the page itself, or the page whose
    #  script/frame/proxy it answers for)
    queue: deque[tuple[int, PageRequest, str]] = deque([(0, PageRequest(home), home)])
    seen: set[str] = set()
    columns: dict[str, Column] = {}
    page_titles: dict[str, str] = {}
    fetched = 0
    while queue and fetched < max_pages:
        depth, req, column_url = queue.popleft()
        if req.key in seen:
            continue
        seen.add(req.key)
        try:
            page = get_page(req)
        except FetchError as e:
            if failures is not None:
                failures.append((req.url, str(e), getattr(e, "kind", "failed")))
            continue
        fetched += 1
        tree = page.tree()
        if tree is not None and column_url == req.url:
            page_titles[column_url] = clean_text(tree.findtext(".//title") or "")
        items, more = [], []
        for conv in CONVENTIONS:
            if f := conv.find(page):
                items += f.items
                if conv.NAME in ("json-api", "frame", "hanweb"):     # the list lives elsewhere
                    more += f.requests[:1]
        if not items and render is not None and renders < MAX_RENDERS and tree is not None \
                and column_url == req.url and (depth > 0 or req.url == home):
            renders += 1                       # script-built: the browser reads it
            items = _rendered_items(render, page.url)
        reports = [(it.title, d.kind) for it in items if (d := titles.classify(it.title)).decision == "report"]
        if reports:
            col = columns.setdefault(column_url, Column(column_url))
            col.reports += [t for t, _ in reports]
            col.kinds.update(k for _, k in reports)
            continue                                   # a column: no need to look deeper
        queue.extendleft((depth, r, column_url) for r in more)
        if tree is None or depth >= 3:
            continue
        links = []
        for a in tree.iter("a"):
            nxt = safe_join(page.url, a.get("href", ""))
            text = anchor_title(a)
            if nxt and (urlsplit(nxt).hostname or "").lower() == host and len(text) <= 20 \
                    and _COLUMN_WORDS.search(titles.fold(text)):
                links.append(nxt)
        queue.extend((depth + 1, PageRequest(u), u) for u in links)
    found = sorted(columns.values(), key=lambda c: -len(c.reports))
    if any(_under(c.listing_url, home) for c in found):
        found = [c for c in found if _under(c.listing_url, home)]
    return [{"id": _slug(home, n), "agency": _agency_from(c.reports, page_titles.get(c.listing_url, "")),
             "listing_url": c.listing_url, "kinds": sorted(c.kinds), "reports_seen": len(c.reports)}
            for n, c in enumerate(found, 1)]
