"""Walk a source's listing: every convention is asked about every page, the pages they
ask for are requested in turn (bounded by max_pages, never twice, only on the source's
hosts), and every listed item gets a recorded decision with its reason."""
from __future__ import annotations

import logging
import re
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

from ..http import FetchError
from ..records import DocRef, Listed, Source
from . import titles
from .conventions import CONVENTIONS
from .conventions.paging import PAGE_PARAMS, page_number, with_param
from .memo import Learned, PageMemo
from .page import Found, Item, Page, PageRequest, clean_text
from .render import template_items

log = logging.getLogger(__name__)

PageGetter = Callable[[PageRequest], Page]


@dataclass
class Discovery:
    """What one source's listing gave tonight."""
    source_id: str
    refs: list[DocRef] = field(default_factory=list)       # the reports to fetch
    listed: list[Listed] = field(default_factory=list)     # every item, with its decision
    pages: int = 0                                          # listing pages answered (read)
    listing_error: str = ""                                 # the listing could not be had at all
    page_errors: list[tuple[str, str]] = field(default_factory=list)   # (url, error) of later pages
    pages_capped: int = 0                                   # pages left out by max_pages
    first_capped: str = ""                                  # the first of them
    not_pages: list[str] = field(default_factory=list)      # guessed page URLs that are not there
    rendered: int = 0                                       # pages rendered in the browser
    warnings: list[str] = field(default_factory=list)       # 0 items, far fewer than last night
    learned: list[PageRequest] = field(default_factory=list)   # list requests the browser found
    templates: dict = field(default_factory=dict)           # onclick templates the browser found
    items: int = 0                                          # items listed


MAX_RENDERS = 3                 # pages of one source rendered per night
_NOT_THERE = re.compile(r"HTTP (?:404|410)\b")
_CHALLENGED = re.compile(r"HTTP (?:412|52[0-3])\b")
_MORE = re.compile(r"^[\s<>«»‹›\[\]【】()（）|·.]*(?:下一页|下页|后页|下一頁|加载更多|点击加载更多|查看更多|显示更多)"
                   r"[\s<>«»‹›\[\]【】()（）|·.]*$")


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


def needs_render(page: Page, founds: list[Found]) -> str:
    """Why the static reading of a page is not enough ('' when it is): a script challenge,
    no list at all (an application shell, rows without links), or a pager that is no link
    (下一页 / 加载更多 buttons) from which no convention could plan a page."""
    has_items = any(f.items for f in founds)
    if page.found is not None:                 # known bytes, read before: only the findings
        return "" if has_items else "no list"
    if page.is_json:
        return ""
    from .render import is_challenge
    if is_challenge(page.text):
        return "challenge"
    if not has_items:
        return "no list"
    tree = page.tree()
    if tree is None or any(f.requests for f in founds):
        return ""
    for el in tree.iter("a", "button", "span", "div", "input", "li"):
        text = clean_text(el.get("value", "") if el.tag == "input" else el.text_content())
        if text and len(text) <= 14 and _MORE.match(text):
            href = (el.get("href") or "").strip()
            if el.tag != "a" or not href or href.lower().startswith(("javascript:", "#")):
                return "pager"
    return ""


_SCRIPTED_LIST = re.compile(r"""XMLHttpRequest|\$\.(?:ajax|get|post|getJSON)\s*\(|\bfetch\s*\(|axios|jsonp|"""
                            r"""callback=|id=["'](?:app|root)["']|new\s+Vue|createApp\s*\(|ReactDOM""", re.I)


def scripted_list(page: Page) -> bool:
    """The page's scripts fetch or build something: the list it shows may not be all."""
    return page.found is None and not page.is_json and bool(_SCRIPTED_LIST.search(page.text))


def _page_no(req: PageRequest) -> int:
    if (found := page_number(req.url)) is not None:
        return found[0]
    nums = [int(v) for k, v in req.data if k.lower() in PAGE_PARAMS and v.isdigit()]
    return nums[0] if nums else 0


def _oldest_first(items: list[Item]) -> bool:
    dates = [it.date for it in items if it.date]
    return len(dates) >= 2 and dates[0] < dates[-1] and dates == sorted(dates)


def _next_step(req: PageRequest) -> PageRequest:
    """The next page of a learned list request: its page parameter moved by its step."""
    data = dict(req.data)
    if req.step_param in data:
        data[req.step_param] = str(int(data[req.step_param]) + req.step)
        url = req.url
    else:
        q = dict(parse_qsl(urlsplit(req.url).query))
        url = with_param(req.url, req.step_param, int(q.get(req.step_param, "0")) + req.step)
    return PageRequest(url, tuple(data.items()), req.method, req.via, speculative=True, json_body=req.json_body,
                       base=req.base, link_template=req.link_template, step_param=req.step_param, step=req.step)


class _Walk:
    """The state of one walk: the queue, what was seen and listed, what to render."""

    def __init__(self, source: Source, get_page: PageGetter, max_pages: int, memo: PageMemo | None,
                 renderer=None, learned: Learned | None = None):
        self.source, self.get_page, self.max_pages, self.memo = source, get_page, max_pages, memo
        self.renderer, self.learned = renderer, learned
        self.rec = Discovery(source.id)
        replay = learned.requests() if learned is not None else []
        self.queue: deque[PageRequest] = deque([PageRequest(source.listing_url)] + replay)
        self.seen: set[str] = set()
        self.page_urls: set[str] = {source.listing_url}   # pages asked for: a link back to one is no document
        self.stopped: set[str] = set()        # conventions whose guessed pages ran dry
        self.items: dict[str, tuple[Item, str]] = {}
        self.templates = learned.templates if learned is not None else {}
        self.to_render: list[tuple[PageRequest, str]] = []
        self.start_error = ""
        self.replayed = 0                     # items the learned requests gave
        self.static_pages: dict[str, Page] = {}   # pages sent to the browser, as the static client read them
        # a listing whose rendering showed no more reports than its static reading: not
        # rendered again for that reason (learned.no_gain), so an unchanged night stays static
        self.no_gain = bool(learned is not None and learned.data.get("no_gain"))

    def add(self, page_url: str, req: PageRequest, founds: list[Found]) -> int:
        new, reqs = 0, []
        for found in founds:
            for it in found.items:
                if it.url not in self.items:
                    self.items[it.url] = (it, page_url)
                    new += 1
            reqs += [r for r in found.requests if r.key not in self.seen and _host(r.url) in self.source.hosts]
        if req.via == "start" and _oldest_first([it for f in founds for it in f.items]):
            reqs.sort(key=lambda r: -_page_no(r))   # oldest first: its last pages hold the newest
        self.queue.extend(reqs)
        return new

    def drain(self) -> bool:
        """Read the queue with the static client; False when the listing failed outright."""
        rec = self.rec
        while self.queue:
            req = self.queue.popleft()
            if req.key in self.seen or (req.speculative and req.via in self.stopped):
                continue
            self.seen.add(req.key)
            self.page_urls.add(req.url)
            if rec.pages >= self.max_pages:
                rec.pages_capped += 1
                rec.first_capped = rec.first_capped or req.url
                continue
            try:
                page = self.get_page(req)
            except FetchError as e:
                if not rec.pages and req.via == "start":
                    if self.renderer is not None and _CHALLENGED.search(str(e)):
                        self.start_error = str(e)      # a challenge: the browser may pass it
                        self.to_render.append((req, "challenge"))
                        continue
                    rec.listing_error = str(e)
                    return False
                if req.post_fallback:
                    self.queue.appendleft(req.as_post())
                elif req.via == "start" or req.linked or not _NOT_THERE.search(str(e)):
                    rec.page_errors.append((req.url, str(e)))
                else:                          # a guessed page that is not there: the guess ends
                    rec.not_pages.append(req.url)
                    self.stopped.add(req.via)
                continue
            rec.pages += 1
            founds = _findings(self.source, page, self.memo)
            if self.templates and page.found is None and page.text:
                founds = founds + [Found(items=template_items(page, self.templates))]
                if self.memo is not None:       # remembered with the rows the templates read
                    self.memo.put(page, founds)
            new = self.add(page.url, req, founds)
            if req.via == "replay":
                self.replayed += new
            if req.step_param and new:
                self.queue.append(_next_step(req))
            if req.post_fallback and not new:
                self.queue.appendleft(req.as_post())
            elif req.speculative and not new:
                self.stopped.add(req.via)
            why = needs_render(page, founds) if self.renderer is not None else ""
            if not why and self.renderer is not None and req.via == "start" and scripted_list(page):
                why = "no report"                  # a list beside the script's: rendered if no report is listed
            if why:
                self.to_render.append((req, why))
                self.static_pages[req.key] = page
        return True

    def pick(self) -> tuple[PageRequest, str] | None:
        """The next page to render: a challenge always; a page without a list when the walk
        listed nothing; a pager no link follows unless a learned request read the list."""
        while self.to_render:
            req, why = self.to_render.pop(0)
            if why == "challenge" or (why == "no list" and not self.items) or \
                    (why == "pager" and not self.replayed) or \
                    (why == "no report" and not self.replayed and not self.no_gain and not self.reports()):
                return req, why
        return None

    def reports(self) -> int:
        s = self.source
        return sum(titles.classify(it.title, s.include, s.exclude, s.kinds).decision == "report"
                   for it, _ in self.items.values())

    def render(self, req: PageRequest, why: str) -> bool:
        from .render import ChallengeBlocked, RenderError
        rec = self.rec
        start_failed = bool(self.start_error) and req.via == "start" and not rec.pages
        try:
            rd = self.renderer.render(self.source, req, max(1, self.max_pages - rec.pages + (1 if not start_failed else 0)),
                                      getattr(self.get_page, "remember", None))
        except ChallengeBlocked as e:
            if start_failed or (req.via == "start" and not self.items):
                rec.listing_error = str(e)
                return False
            rec.page_errors.append((req.url, str(e)))
            return True
        except RenderError as e:
            if start_failed:                   # the static answer was a challenge (_CHALLENGED)
                rec.listing_error = (f"blocked by a script challenge at {req.url} ({self.start_error}; "
                                     f"the browser could not pass it: {e})")
                return False
            rec.page_errors.append((req.url, f"rendering failed ({why}): {e}"))
            return True
        rec.rendered += 1
        before = self.reports() if why == "no report" else 0
        rec.pages += rd.pages - (0 if start_failed else 1)
        if rd.error:
            rec.page_errors.append((req.url, f"rendering stopped: {rd.error}"))
        self.seen |= {r.key for r in rd.answered}
        for page in [rd.page] + rd.frames:
            self.page_urls.add(page.url)
            self.add(page.url, req, _findings(self.source, page, None))
        for found in rd.found:
            self.add(rd.page.url, req, [found])
        rec.learned += rd.learned
        rec.templates.update(rd.templates)
        for end in rd.learned:              # where the learned list ends, asked once tonight so
            while end.step_param and end.key in self.seen:   # tomorrow's replay meets a known end
                end = _next_step(end)
            if end.step_param:
                self.queue.append(replace(end, via="render", step_param="", step=0))
        if why == "no report" and self.learned is not None:
            self.learned.data["no_gain"] = self.reports() <= before
        if rd.templates and self.memo is not None and req.key in self.static_pages:
            self.memo.forget(self.static_pages[req.key])    # read again tomorrow, with the templates
        return True


def walk(source: Source, get_page: PageGetter, max_pages: int, memo: PageMemo | None = None,
         renderer=None, learned: Learned | None = None) -> tuple[dict[str, tuple[Item, str]], Discovery]:
    """Items by URL (with the page that listed them) and the walk's record. With a
    `renderer`, pages the static reading cannot read are rendered (at most MAX_RENDERS)."""
    w = _Walk(source, get_page, max_pages, memo, renderer, learned)
    ok = w.drain()
    while ok and w.rec.rendered < MAX_RENDERS and (nxt := w.pick()) is not None:
        ok = w.render(*nxt) and w.drain()
    if not ok:
        return w.items, w.rec
    if w.start_error and not w.rec.pages:       # a challenge nobody could pass
        w.rec.listing_error = w.rec.listing_error or w.start_error
    # a link back to a listing page (breadcrumb, column name) is never a document
    return {u: v for u, v in w.items.items() if u not in w.page_urls}, w.rec


def decide(source: Source, items: dict[str, tuple[Item, str]], rec: Discovery, max_documents: int) -> Discovery:
    """A decision for every listed item; the reports become DocRefs (at most max_documents)."""
    hosts = source.hosts
    for url, (it, listing) in items.items():
        year = titles.year_of(it.title)
        base: dict[str, Any] = dict(source_id=source.id, url=url, title=it.title, listed_date=it.date,
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
    for url in rec.not_pages:  # a guessed page URL that does not exist: the guess ended there
        rec.listed.append(Listed(source.id, url, "", "not-a-page", "a page guessed from the pager's "
                                 "pattern is not there (HTTP 404): the list ends before it",
                                 listing_url=source.listing_url))
    if rec.pages_capped:       # older items may sit there: said, so a full crawl can be asked for
        rec.listed.append(Listed(source.id, rec.first_capped, "", "over-cap",
                                 f"{rec.pages_capped} more listing pages not read (max_pages={rec.pages})",
                                 listing_url=source.listing_url))
    return rec


def discover(source: Source, get_page: PageGetter, max_pages: int = 15, max_documents: int = 50,
             memo: PageMemo | None = None, renderer=None, learned: Learned | None = None) -> Discovery:
    """The walk and its decisions. With `learned`, what the browser learned is replayed
    first and what it learns tonight is remembered (the caller saves it)."""
    max_pages = source.max_pages or max_pages
    max_documents = source.max_documents or max_documents
    items, rec = walk(source, get_page, max_pages, memo, renderer, learned)
    rec.items = len(items)
    if not rec.listing_error:
        last = learned.items if learned is not None else None
        if not items:
            rec.warnings.append(f"the listing {source.listing_url} listed no items"
                                + (f" (last night {last})" if last else ""))
        elif last and len(items) * 2 < last:
            rec.warnings.append(f"the listing {source.listing_url} listed {len(items)} items, "
                                f"far fewer than last night ({last})")
    if learned is not None and not rec.listing_error:
        learned.remember(rec.learned or None, rec.templates, len(items))
    return decide(source, items, rec, max_documents)
