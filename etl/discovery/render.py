"""The rendering tier: a real browser (Playwright driving the system Chromium) for listing
and article pages whose scripts build what the static reading cannot see.

One browser per worker process (`renderer_for`), started on first need, driven from one
thread of its own (Playwright's sync API wants one thread and no running event loop; a
call that outlives its budget leaves the worker free). Every request the browser makes
is routed through the crawler's own client (`Http.passthrough`): the source's hosts,
robots.txt, the per-host pace shared with the static client, the size cap and the
deadline apply; images, fonts and media are never fetched. A rendered page has a wall-time
and a request budget; blowing either is an error recorded for the source.

What a rendering gives back (`Rendered`): the rendered DOM as a `Page` (the conventions read
it like any other page), the targets of rows whose click navigates (captured, the page
never leaves), the list states reached by clicking the pager (下一页, 加载更多, a page
<select>) and every JSON/JSONP/fragment answer the scripts fetched, read by the
conventions. The requests whose answers carried the list, with the parameter that turns
the page, are what the walk remembers (`memo.Learned`) so later nights replay them with
the static client and start no browser.
"""
from __future__ import annotations

import atexit
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from typing import Any
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlsplit

from ..http import FetchError, Http, decode_html
from ..records import Source
from ..settings import Settings
from ..statestore import store_for
from .page import Found, Item, Page, PageRequest, clean_text, list_items, norm_date

log = logging.getLogger(__name__)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
_BLOCKED_TYPES = {"image", "font", "media", "websocket", "eventsource", "manifest", "texttrack"}
_ANSWER_TYPES = {"xhr", "fetch", "script", "document"}
_DROP_HEADERS = {"host", "content-length", "connection", "accept-encoding", "user-agent"}
MAX_ROW_CLICKS = 60            # rows clicked per rendered list state
QUIET_MS = 300                 # no request for this long: the page has settled

# window.open is recorded, not obeyed: a row's click shows where it leads without leaving
_INIT_JS = """
window.__etlOpened = [];
window.open = function (u) { try { window.__etlOpened.push(String(new URL(u, location.href))); } catch (e) {} return null; };
"""

# rows or buttons that navigate by script: an onclick, a data-href, role=link, or the
# element where a pointer cursor starts (frameworks bind clicks without attributes)
_ROWS_JS = r"""() => {
  document.querySelectorAll('[data-etl-row]').forEach(e => e.removeAttribute('data-etl-row'));
  const pager = /^(首页|上一页|上页|下一页|下页|尾页|末页|加载更多|查看更多|更多|跳转|GO|\d{1,4}|…|\.\.\.)$/i;
  const out = []; let n = 0, seen = 0;
  const CH = /(^|[\s_-])(nav|navbar|menu|header|head|top|topbar|footer|foot|bottom|breadcrumb|crumb|side|sidebar|share|tools|copyright|banner|login|page|pages|pager|pagination|paging)([\s_-]|$)/i;
  const chrome = el => { for (let n = el; n && n !== document.body; n = n.parentElement) {
    if (/^(NAV|HEADER|FOOTER|ASIDE)$/.test(n.tagName) || CH.test((n.getAttribute('class') || '') + ' ' + (n.id || ''))) return true; }
    return false; };
  const real = a => { const h = (a.getAttribute('href') || '').trim(); return h && !/^(javascript:|#)/i.test(h); };
  for (const el of document.querySelectorAll('body *')) {
    if (++seen > 6000 || n >= 400) break;
    const tag = el.tagName.toLowerCase();
    if (['script', 'style', 'html', 'body', 'select', 'option', 'input', 'textarea', 'form', 'iframe'].includes(tag)) continue;
    if (tag === 'a' && real(el)) continue;
    let clickable = el.hasAttribute('onclick') || el.hasAttribute('data-href') || el.hasAttribute('data-url') ||
                    el.getAttribute('role') === 'link';
    if (!clickable) {
      const cur = getComputedStyle(el).cursor;
      clickable = cur === 'pointer' && !(el.parentElement && getComputedStyle(el.parentElement).cursor === 'pointer');
    }
    if (!clickable || chrome(el)) continue;
    const inner = [...el.querySelectorAll('a')];
    if (inner.some(real) || (el.parentElement && el.parentElement.closest('[data-etl-row]'))) continue;
    const text = (el.innerText || '').trim().replace(/\s+/g, ' ');
    if (text.length < 6 || text.length > 300 || pager.test(text)) continue;
    el.setAttribute('data-etl-row', String(n));
    out.push({i: n, text: text, lines: (el.innerText || '').split(/[\n\t]/).map(s => s.trim()).filter(Boolean),   // a <tr>'s cells: tabs
              href: el.getAttribute('data-href') || el.getAttribute('data-url') || '',
              onclick: el.getAttribute('onclick') || ''});
    n++;
  }
  return out;
}"""

# the control that shows more of the list: 下一页 / 加载更多 (not a real link: the static walk
# follows those), else the next option of a page <select>
_NEXT_JS = r"""() => {
  document.querySelectorAll('[data-etl-next]').forEach(e => e.removeAttribute('data-etl-next'));
  const rx = /^[\s<>«»‹›\[\]【】()（）|·.]*(下一页|下页|后页|下一頁|next|next page|加载更多|点击加载更多|查看更多|显示更多|更多)[\s<>«»‹›\[\]【】()（）|·.]*$/i;
  for (const el of document.querySelectorAll('a,button,span,li,div,input,em,i,p,font,b')) {
    const t = ((el.tagName === 'INPUT' ? el.value : el.innerText) || '').trim();
    if (!t || t.length > 14 || !rx.test(t)) continue;
    if ([...el.children].some(c => rx.test((c.innerText || '').trim()))) continue;
    if (el.tagName === 'A') { const h = (el.getAttribute('href') || '').trim(); if (h && !/^(javascript:|#)/i.test(h)) continue; }
    if (el.disabled || /disabled/.test(el.className || '') || el.getAttribute('aria-disabled') === 'true') continue;
    const r = el.getBoundingClientRect(); if (!r.width && !r.height) continue;
    el.setAttribute('data-etl-next', '1'); return 'click';
  }
  for (const s of document.querySelectorAll('select')) {
    const o = [...s.options];
    if (o.length < 2 || !o.every(x => /^\s*第?\s*\d{1,4}\s*页?\s*$/.test(x.text))) continue;
    if (s.selectedIndex < o.length - 1) { s.selectedIndex += 1; s.dispatchEvent(new Event('change', {bubbles: true})); return 'select'; }
  }
  return '';
}"""

# a catalogue search form (信息公开目录): its submit, when the page lists nothing before it
_SUBMIT_JS = r"""() => {
  for (const f of document.querySelectorAll('form')) {
    const b = f.querySelector('input[type=submit],button[type=submit],input[type=button],button') ;
    if (b) { b.setAttribute('data-etl-submit', '1'); return true; }
  }
  return false;
}"""

_CHALLENGE_SCRIPT = re.compile(r"document\.cookie", re.I)
_RELOAD = re.compile(r"location(?:\.href|\.reload|\.replace|\.assign)?|setTimeout|reload", re.I)
_CALL = re.compile(r"""([A-Za-z_$][\w$.]*)\s*\(([^()]{0,200})\)""")
_ARG = re.compile(r"""\s*(?:'([^']*)'|"([^"]*)"|([\w.\-]+))\s*(?:,|$)""")


def _call(js: str) -> tuple[str, list[str]] | None:
    """(function name, literal arguments) of the first call in an onclick."""
    m = _CALL.search(js or "")
    if not m:
        return None
    args = [a or b or c for a, b, c in _ARG.findall(m.group(2))]
    return m.group(1).split(".")[-1], [a for a in args if a]


def _pieces(url: str, args: list[str]) -> list[str] | None:
    """The URL around the call's arguments, in order: prefix, between..., suffix."""
    out, rest = [], url
    for a in args:
        if len(a) < 2 and not a.isdigit() or a not in rest:
            return None
        head, _, rest = rest.partition(a)
        out.append(head)
    return out + [rest] if args else None


class RenderError(FetchError):
    """A page the browser could not render within its budget, or no browser at all."""


class BrowserUnavailable(RenderError):
    pass


class ChallengeBlocked(FetchError):
    """A cookie/script challenge the browser could not pass either."""
    kind = "blocked"


def is_challenge(text: str, status: int = 200) -> bool:
    """A cookie/script challenge: HTTP 521, or a tiny page whose only content is a script
    that sets a cookie and reloads."""
    if status in (520, 521, 522, 523):
        return True
    if len(text) > 6000 or "<script" not in text.lower():
        return False
    body = re.sub(r"(?is)<script.*?</script>|<style.*?</style>|<[^>]+>", " ", text)
    return bool(_CHALLENGE_SCRIPT.search(text) and _RELOAD.search(text)) and len(clean_text(body)) < 120


def is_shell(content: bytes) -> bool:
    """An application shell: a page with scripts whose own text (page chrome aside) is all
    but empty, so its body comes from a script (a detail API)."""
    head = content[:200_000].lower()
    if b"<script" not in head or re.search(rb"""href\s*=\s*['"][^'"]+\.(?:pdf|docx?|wps|xlsx?|ofd)\b""", head):
        return False                      # no script, or a cover page whose document is attached
    from lxml import html as lxml_html
    from .page import in_chrome
    try:
        tree = lxml_html.fromstring(content)
    except (ValueError, lxml_html.etree.ParserError):
        return False
    body = tree.find("body")
    if body is None:
        return False
    cache: dict = {}
    n = 0
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "noscript") or in_chrome(el, cache):
            continue
        n += len((el.text or "").strip())
        if n >= 100:
            return False
    return True


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@dataclass
class Rendered:
    """What one rendered listing page gave."""
    page: Page                                          # the rendered DOM (main frame)
    frames: list[Page] = field(default_factory=list)    # the rendered child frames
    found: list[Found] = field(default_factory=list)    # clicked rows, pager states, answers read
    answered: list[PageRequest] = field(default_factory=list)   # requests the scripts made (not to ask again)
    learned: list[PageRequest] = field(default_factory=list)    # the requests that carried the list
    templates: dict[str, list[str]] = field(default_factory=dict)   # onclick function -> URL around its arguments
    pages: int = 1                                      # list states read (first + pager clicks)
    requests: int = 0                                   # requests the browser made
    challenge: bool = False                             # a script challenge was passed
    error: str = ""                                     # budget blown: what was read is kept


def _request_data(post: str | None, ctype: str) -> tuple[tuple[tuple[str, str], ...], bool] | None:
    """A request body as (form fields, is JSON), or None when it cannot be replayed."""
    if not post:
        return (), False
    if "json" in ctype or post.lstrip()[:1] == "{":
        try:
            obj = json.loads(post)
        except ValueError:
            return None
        if not isinstance(obj, dict) or any(isinstance(v, (dict, list)) for v in obj.values()):
            return None                                  # nested bodies are not replayed
        return tuple((k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in obj.items()), True
    return tuple(parse_qsl(post, keep_blank_values=True)), False


def _numbers(req: PageRequest) -> dict[tuple[str, bool], int]:
    out = {(k, True): int(v) for k, v in req.data if str(v).isdigit()}
    out.update({(k, False): int(v) for k, v in parse_qsl(urlsplit(req.url).query) if v.isdigit()})
    return out


def page_step(first: PageRequest, second: PageRequest) -> tuple[str, int] | None:
    """The parameter that moved between two requests of one list, and by how much."""
    if urlsplit(first.url).path != urlsplit(second.url).path or first.method != second.method:
        return None
    a, b = _numbers(first), _numbers(second)
    moved = [(k, b[k] - a[k]) for k in a.keys() & b.keys() if b[k] != a[k]]
    if len(moved) == 1 and moved[0][1] > 0:
        return moved[0][0][0], moved[0][1]
    return None


def learn(answers: list[tuple[PageRequest, int]]) -> list[PageRequest]:
    """The list's requests (answers that gave items, in the order made), the first carrying
    how its page parameter moves when a second answer of the same list shows it."""
    lists = [r for r, n in answers if n]
    if not lists:
        return []
    first = lists[0]
    for other in lists[1:]:
        if (step := page_step(first, other)) is not None:
            first = replace(first, via="replay", step_param=step[0], step=step[1])
            break
    else:
        from .conventions.paging import PAGE_PARAMS
        names = [k for (k, _), v in _numbers(first).items() if k.lower() in PAGE_PARAMS]
        first = replace(first, via="replay", step_param=names[0] if names else "", step=1 if names else 0)
    return [first]


def template_items(page: Page, templates: dict[str, list[str]]) -> list[Item]:
    """Rows whose onclick calls a function the browser saw navigate (`openArticle('123')`
    -> prefix + 123 + suffix): read without a browser on later nights."""
    tree = page.tree()
    if tree is None or not templates:
        return []
    out = []
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        call = _call(el.get("onclick") or (el.get("href") or "" if el.tag == "a" else ""))
        if not call or call[0] not in templates or len(call[1]) + 1 != len(templates[call[0]]):
            continue
        pieces = templates[call[0]]
        url = "".join(p + a for p, a in zip(pieces, call[1])) + pieces[-1]
        title, date = _row_title([t for t in el.itertext()])
        if len(title) >= 6:
            out.append(Item(url, title, date, "render-template"))
    return out


def _row_title(lines: list[str]) -> tuple[str, str]:
    """(title, date) of a clicked row's text: the longest piece that is not its date."""
    parts = [clean_text(x) for x in lines if clean_text(x)]
    date = next((norm_date(p) for p in parts if norm_date(p)), "")
    titles = [p for p in parts if not (norm_date(p) and len(p) <= 20)]
    return (max(titles, key=len) if titles else ""), date


class Renderer:
    """One browser for the worker process; `render` and `article` are its two uses."""

    def __init__(self, settings: Settings, http: Http):
        self.s, self.http = settings, http
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._pw: Any = None         # playwright's driver and context (started on first need)
        self._ctx: Any = None
        self._tmp = ""
        self.broken = ""             # why the browser cannot run here (every later call says it)
        self.pages_rendered = 0      # pages opened in the browser (listings and articles)
        self.requests = 0            # requests the browser made, all pages

    # ------------------------------------------------------------ lifecycle (chromium thread)
    def _start(self) -> None:
        if self.broken:
            raise BrowserUnavailable(self.broken)
        if self._ctx is not None:
            return
        try:
            from playwright.sync_api import sync_playwright
            self._pw = sync_playwright().start()
            self._tmp = tempfile.mkdtemp(prefix="etl-chromium-")
            self._ctx = self._pw.chromium.launch_persistent_context(
                self._tmp, executable_path=self.s.chromium, headless=True, args=CHROMIUM_ARGS,
                user_agent=self.s.user_agent, service_workers="block", accept_downloads=False)
            self._ctx.add_init_script(_INIT_JS)
        except Exception as e:
            self.broken = f"no browser ({self.s.chromium}): {type(e).__name__}: {str(e).splitlines()[0][:200]}"
            self._stop()
            raise BrowserUnavailable(self.broken) from None

    def _stop(self) -> None:
        for closer in (lambda: self._ctx and self._ctx.close(), lambda: self._pw and self._pw.stop()):
            try:
                closer()
            except Exception:
                pass
        self._ctx = self._pw = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = ""

    def close(self) -> None:
        try:
            self._pool.submit(self._stop).result(timeout=30)
        except Exception:
            pass
        self._pool.shutdown(wait=False)

    def _call(self, fn, *args):
        """Run `fn` on the browser's thread within the page budget (+ a margin): a page that
        outlives it is an error, and the browser is restarted for the next one."""
        fut = self._pool.submit(fn, *args)
        try:
            return fut.result(timeout=self.s.render_timeout_s + 30)
        except FutureTimeout:
            self._pool.submit(self._stop)
            raise RenderError(f"the browser did not answer within {self.s.render_timeout_s + 30:g}s") from None

    # ------------------------------------------------------------ the two uses
    def render(self, source: Source, req: PageRequest, max_states: int, remember=None) -> Rendered:
        """Render a listing page, read its list, click through its pager (at most
        `max_states` list states). `remember(url, response)` is given every GET the browser
        had answered 200 (so tomorrow's static replay asks conditionally). Raises
        RenderError / ChallengeBlocked."""
        return self._call(self._render, source, req, max_states, False, remember)

    def article(self, source: Source, url: str) -> Page:
        """The rendered DOM of an article page whose body a script fills."""
        return self._call(self._render, source, PageRequest(url), 1, True).page

    # ------------------------------------------------------------ on the browser's thread
    def _render(self, source: Source, req: PageRequest, max_states: int, article: bool,
                remember=None) -> Rendered:
        self._start()
        try:
            return _Session(self, source, req, max_states, article, remember).run()
        except (RenderError, ChallengeBlocked):
            raise
        except Exception as e:                 # a crashed browser: restarted for the next page
            if self._ctx is None or not _alive(self._ctx):
                self._stop()
            raise RenderError(f"rendering {req.url} failed: {type(e).__name__}: "
                              f"{str(e).splitlines()[0][:200] if str(e) else ''}") from None


def _alive(ctx) -> bool:
    try:
        _ = ctx.pages                          # raises once the context is closed
        return ctx.browser is None or ctx.browser.is_connected()
    except Exception:
        return False


class _Session:
    """One rendered page: its route handler, budget, captures and reading."""

    def __init__(self, r: Renderer, source: Source, req: PageRequest, max_states: int, article: bool,
                 remember=None):
        self.r, self.source, self.req, self.max_states, self.article = r, source, req, max_states, article
        self.remember = remember
        self.deadline = time.monotonic() + r.s.render_timeout_s
        self.requests = 0
        self.blown = ""
        self.clicking = False
        self.navigations: list[tuple[str, str, str | None, str]] = []   # (method, url, body, content type)
        self.answers: list[tuple[PageRequest, bytes, str, str]] = []    # (request, body, content type, final url)
        self.last_request = time.monotonic()
        self.doc_status = 0
        self.page: Any = None              # playwright's Page once opened
        self.clicked: set[str] = set()     # rows already clicked (by their text)
        self.dom_items: dict[str, str] = {}   # title -> link of every item the rendered page showed
        self.saw_challenge = False         # a challenge page was answered (and perhaps passed)
        self.doc_challenge = False         # the latest document answered is a challenge

    def left_ms(self) -> float:
        return max(0.0, (self.deadline - time.monotonic()) * 1000)

    # ------------------------------------------------------------ every request of the page
    def route(self, route) -> None:
        rq = route.request
        self.last_request = time.monotonic()
        try:
            if rq.resource_type in _BLOCKED_TYPES or _host(rq.url) not in self.source.hosts \
                    or not rq.url.lower().startswith(("http://", "https://")):
                route.abort("blockedbyclient")
                return
            main_nav = rq.is_navigation_request() and rq.frame == self.page.main_frame
            headers = {k: v for k, v in rq.all_headers().items() if k.lower() not in _DROP_HEADERS
                       and not k.startswith(":")}
            if self.clicking and main_nav:      # a click that leaves: where it leads is the answer
                try:
                    post = rq.post_data
                except Exception:
                    post = None
                self.navigations.append((rq.method, rq.url, post, headers.get("content-type", "")))
                route.abort("aborted")
                return
            if self.blown:
                route.abort("failed")
                return
            self.requests += 1
            try:
                post, body = rq.post_data, rq.post_data_buffer
            except Exception:                  # a binary body: sent, never replayed
                post, body = None, rq.post_data_buffer
            if self.requests > self.r.s.render_max_requests:
                self.blown = f"more than {self.r.s.render_max_requests} requests (ETL_RENDER_MAX_REQUESTS)"
                route.abort("failed")
                return
            try:
                resp = self.r.http.passthrough(rq.method, rq.url, body, headers, self.source.hosts)
            except FetchError as e:
                log.info("%s: browser request refused or failed: %s", self.source.id, e)
                route.abort("failed")
                return
            if main_nav:
                self.doc_status = resp.status
                self.doc_challenge = is_challenge(decode_html(resp.content, resp.headers.get("content-type", "")),
                                                  resp.status)
                self.saw_challenge |= self.doc_challenge
            route.fulfill(status=resp.status, headers=resp.headers, body=resp.content)
            if self.remember is not None and rq.method == "GET" and resp.status == 200 \
                    and (resp.headers.get("etag") or resp.headers.get("last-modified")):
                self.remember(rq.url, resp)    # tomorrow's static replay asks conditionally
            if rq.resource_type in _ANSWER_TYPES and not main_nav and 200 <= resp.status < 300:
                data = _request_data(post, headers.get("content-type", ""))
                if data is not None:
                    self.answers.append((PageRequest(rq.url, data[0], rq.method, "render", json_body=data[1],
                                                     base=self.page.url), resp.content,
                                         resp.headers.get("content-type", ""), resp.url))
        except Exception as e:                  # the page went away mid-request
            log.debug("route %s: %s", rq.url, e)
        finally:
            self.last_request = time.monotonic()

    def settle(self, min_ms: int = QUIET_MS, max_s: float = 8.0) -> None:
        """Wait until no request has started for QUIET_MS (bounded by the budget and max_s:
        a page that polls forever is read as it is)."""
        start = time.monotonic()
        while self.left_ms() > 0 and time.monotonic() - start < max_s:
            self.page.wait_for_timeout(60)
            quiet = (time.monotonic() - self.last_request) * 1000
            if quiet >= QUIET_MS and (time.monotonic() - start) * 1000 >= min_ms:
                return

    def html(self) -> str:
        for _ in range(10):
            if self.left_ms() <= 0:
                break
            try:
                return self.page.content()
            except Exception:                  # navigating: the document is being replaced
                self.page.wait_for_timeout(100)
        return ""

    # ------------------------------------------------------------ the whole visit
    def run(self) -> Rendered:
        r = self.r
        ctx = r._ctx
        self.page = ctx.new_page()
        r.pages_rendered += 1
        try:
            self.page.set_default_timeout(5000)   # no single step may hold the page
            self.page.route("**/*", self.route)
            try:
                self.page.goto(self.req.url, wait_until="domcontentloaded", timeout=max(1.0, self.left_ms() / 2))
            except Exception as e:
                if self.doc_challenge:        # reloading its challenge until the budget ran out
                    raise ChallengeBlocked(f"blocked by a script challenge at {self.req.url}") from None
                if "Timeout" in type(e).__name__:
                    raise RenderError(f"rendering {self.req.url} took longer than {r.s.render_timeout_s:g}s "
                                      "(ETL_RENDER_TIMEOUT)") from None
                if not self.saw_challenge:     # a challenge's reload interrupts the first load
                    raise
            self.settle(max_s=3.0 if self.doc_challenge else 8.0)
            tries = 0
            while self.doc_challenge and tries < 4 and self.left_ms() > 0:
                tries += 1                     # the script sets its cookie and reloads
                self.page.wait_for_timeout(300)
                self.settle(max_s=2.0)
            if self.doc_challenge:
                raise ChallengeBlocked(f"blocked by a script challenge at {self.req.url}")
            html = self.html()
            if self.saw_challenge:
                self._share_cookies()
            out = Rendered(self._as_page(html), challenge=self.saw_challenge)
            if not self.article:
                self._frames(out)
                self._read(out)
            out.requests = self.requests
            out.error = self.blown or ("" if self.left_ms() > 0 else
                                       f"rendering took longer than {r.s.render_timeout_s:g}s (ETL_RENDER_TIMEOUT)")
            return out
        finally:
            r.requests += self.requests
            _audit(r.s, self.req.url, self.requests, self.source.id)
            try:
                self.page.close()
            except Exception:
                pass

    def _as_page(self, html: str) -> Page:
        url = self.page.url if self.page.url.startswith("http") else self.req.url
        return Page(PageRequest(url, via="render"), url, html.encode("utf-8"), "text/html; charset=utf-8", html)

    def _frames(self, out: Rendered) -> None:
        for fr in self.page.frames[1:]:
            try:
                if _host(fr.url) in self.source.hosts:
                    html = fr.content()
                    out.frames.append(Page(PageRequest(fr.url, via="render"), fr.url, html.encode(), "text/html", html))
            except Exception:
                continue

    def _share_cookies(self) -> None:
        """The challenge's cookie, for the static client (this process and the next)."""
        cookies = [c for c in self.r._ctx.cookies() if c.get("domain", "").lstrip(".") in self.source.hosts]
        if cookies:
            self.r.http.add_cookies([{k: c.get(k) for k in ("name", "value", "domain", "path", "expires")}
                                     for c in cookies])

    # ------------------------------------------------------------ reading the list
    def _read(self, out: Rendered) -> None:
        first = list_items_of(out.page)
        seen_urls = {it.url for it in first}
        self.dom_items.update({it.title: it.url for it in first})
        rows = self._rows(out)
        self.dom_items.update({it.title: it.url for it in rows})
        seen_urls |= {it.url for it in rows}
        if not seen_urls:
            self._submit_form(out)
        while out.pages < self.max_states and self.left_ms() > 1000 and not self.blown:
            kind = self._next()
            if not kind:
                break
            html = self.html()
            page = self._as_page(html)
            items = list_items_of(page) + self._rows(out)
            new = [it for it in items if it.url not in seen_urls]
            self.dom_items.update({it.title: it.url for it in items})
            if self.navigations and not new:        # the pager left the page (a form): the walk asks
                break
            if not new:
                break
            seen_urls |= {it.url for it in new}
            out.found.append(Found(items=new))
            out.pages += 1
        self._navigations(out)
        self._answers(out)

    def _rows(self, out: Rendered) -> list[Item]:
        """Click each row that navigates by script; its target is the item's link."""
        try:
            rows = self.page.evaluate(_ROWS_JS)
        except Exception:
            return []
        items = []
        for row in [r for r in rows if r["text"] not in self.clicked][:MAX_ROW_CLICKS]:
            if self.left_ms() < 1500 or self.blown:
                break
            self.clicked.add(row["text"])
            target = row["href"]
            if not target:
                target = self._click_target(row["i"])
            if not target:
                continue
            url = urljoin_safe(self.page.url, target)
            if not url:
                continue
            title, date = _row_title(row["lines"])
            if len(title) < 6:
                continue
            items.append(Item(url, title, date, "render-click"))
            if (call := _call(row["onclick"])) and (pieces := _pieces(url, call[1])):
                out.templates[call[0]] = pieces
        if items:
            out.found.append(Found(items=items))
        return items

    def _click_target(self, i: int) -> str:
        self.navigations.clear()
        self.clicking = True
        try:
            self.page.evaluate("""i => { window.__etlOpened = [];
                const el = document.querySelector('[data-etl-row="' + i + '"]'); if (el) el.click(); }""", i)
            for _ in range(8):
                if self.navigations:
                    break
                opened = self.page.evaluate("() => window.__etlOpened || []")
                if opened:
                    return opened[0]
                self.page.wait_for_timeout(50)
        except Exception:
            pass
        finally:
            self.clicking = False
        if self.navigations:
            method, url, _, _ = self.navigations.pop()
            self.navigations.clear()
            return url if method == "GET" else ""
        return ""

    def _click_marked(self, selector: str, after_ms: int) -> None:
        """Click the control a page script marked (pager, form submit): the navigation it
        starts is read as the page's own (`clicking`), not followed."""
        self.clicking = True
        try:
            self.page.locator(selector).first.click(timeout=min(3000, self.left_ms()))
        finally:
            self.page.wait_for_timeout(after_ms)
            self.clicking = False

    def _next(self) -> str:
        """Click the pager's next control (or pick the next page option); '' when none."""
        try:
            kind = self.page.evaluate(_NEXT_JS)
            if kind == "click":
                self._click_marked('[data-etl-next="1"]', 50)
            if kind:
                self.settle(min_ms=QUIET_MS)
            return kind
        except Exception as e:
            log.debug("pager click: %s", e)
            return ""

    def _submit_form(self, out: Rendered) -> None:
        """A page that lists nothing until its search form is sent (信息公开目录): send it with
        its own fields; the request it makes is read (and remembered) like any list request."""
        try:
            if not self.page.evaluate(_SUBMIT_JS):
                return
            self._click_marked('[data-etl-submit="1"]', 100)
            self.settle()
            page = self._as_page(self.html())
            if items := list_items_of(page):
                out.found.append(Found(items=items))
        except Exception as e:
            log.debug("form submit: %s", e)

    def _navigations(self, out: Rendered) -> None:
        """Clicks that left the page (a form POST, a pager that submits): requests for the walk."""
        reqs = []
        for method, url, body, ctype in self.navigations:
            data = _request_data(body, ctype)
            if data is not None and _host(url) in self.source.hosts:
                reqs.append(PageRequest(url, data[0], method, "render", json_body=data[1], linked=True))
        self.navigations.clear()
        if reqs:
            out.found.append(Found(requests=list(dict.fromkeys(reqs))))
            out.learned += reqs[:1]

    def _answers(self, out: Rendered) -> None:
        """Every JSON/JSONP/HTML answer the scripts fetched, read by the conventions."""
        from .conventions import CONVENTIONS
        tally = []
        for req, body, ctype, final in self.answers:
            text = decode_html(body, ctype)
            if not text.strip() or re.search(r"javascript|ecmascript", ctype, re.I) and not Page(req, final, body, ctype, text).is_json:
                continue                       # a plain script, not a JSONP answer
            page = Page(req, final, body, ctype, text)
            if page.is_json and not req.link_template and (tpl := _link_template(page.json(), self.dom_items)):
                req = replace(req, link_template=tpl)     # records carry an id; the script built the link
                page = Page(req, final, body, ctype, text)
            n = 0
            for conv in CONVENTIONS:
                try:
                    found = conv.find(page)
                except Exception:
                    continue
                if found is not None and found.items:
                    n += len(found.items)
                    out.found.append(Found(items=found.items, requests=found.requests))
            tally.append((req, n))
            out.answered.append(req)
        out.learned += learn(tally)


def _audit(settings: Settings, url: str, requests: int, source_id: str) -> None:
    """One row per page opened in the browser (state store, table `rendered`): how often the
    expensive tier ran, for the benchmarks and a person wondering why a night was slow."""
    try:
        store_for(settings).log_rendered(source_id, url, requests)
    except (OSError, sqlite3.Error) as e:      # an audit line is not worth a page
        log.warning("rendered log: %s", e)


def _link_template(doc, dom_items: dict[str, str]) -> tuple[str, ...]:
    """(prefix, key, suffix) when the rendered links are built from a record field: a record
    whose title the page showed, and a field of it whose value sits in that link."""
    from .conventions.json_api import _lists
    if not dom_items:
        return ()
    for records in _lists(doc):
        for rec in records[:20]:
            url = next((dom_items[v.strip()] for v in rec.values() if isinstance(v, str) and v.strip() in dom_items), "")
            if not url:
                continue
            for k, v in rec.items():
                v = str(v)
                if isinstance(rec[k], (str, int)) and len(v) >= 2 and url.count(v) == 1 and not dom_items.get(v):
                    prefix, _, suffix = url.partition(v)
                    if prefix.startswith(("http://", "https://")):
                        return prefix, k, suffix
    return ()


def list_items_of(page: Page) -> list[Item]:
    tree = page.tree()
    return list_items(tree, page.base_url, "render") if tree is not None else []


def urljoin_safe(base: str, href: str) -> str:
    from .page import safe_join
    return safe_join(base, href) or ""


_RENDERERS: dict[tuple[int, int], Renderer] = {}
_LOCK = threading.Lock()


def renderer_for(settings: Settings, http: Http) -> Renderer | None:
    """The process's one browser for this client (None when ETL_RENDER=0): started on first
    use, closed at exit."""
    if not settings.render:
        return None
    key = (os.getpid(), id(http))
    with _LOCK:
        if key not in _RENDERERS:
            _RENDERERS[key] = Renderer(settings, http)
            atexit.register(_RENDERERS[key].close)
            from multiprocessing import util       # a pool worker exits without atexit
            util.Finalize(_RENDERERS[key], _RENDERERS[key].close, exitpriority=10)
        return _RENDERERS[key]


def release(http: Http) -> None:
    """Close the browser started for this client (a command that is done with it)."""
    with _LOCK:
        r = _RENDERERS.pop((os.getpid(), id(http)), None)
    if r is not None:
        r.close()
