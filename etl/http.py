"""A polite, bounded HTTP client shared by discover and fetch.

robots.txt is honoured (protego) for every host actually requested; redirects are
followed hop by hop and only to the source's hosts (the final URL is kept); transient
failures (timeouts, connection errors, 5xx, 429) are retried with exponential backoff
(tenacity), honouring Retry-After; bodies are read under size caps (sent and decoded)
and one deadline for the request's attempts, waits and redirects together (`etl.bounded`),
within the document's deadline and the source's budget when the caller sets them
(`Http.deadline`); conditional GET (ETag / Last-Modified) lets an unchanged night cost
one 304 per page. Every failure is a FetchError whose `kind` names the reason.
"""
from __future__ import annotations

import contextlib
import email.utils
import json as _json
import logging
import re
import sqlite3
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego
from tenacity import retry, retry_if_exception

from .bounded import (ACCEPT_ENCODING, BodyTooLarge, DeadlineExceeded, UnsupportedEncoding, Watchdog,
                      read_capped)
from .politeness import HostLimiter, RobotsCache, limiter_for
from .settings import Settings
from .statestore import store_for

log = logging.getLogger(__name__)


class FetchError(Exception):
    """A page that could not be had; the message says why, for the errors table.
    `kind` names the reason and travels with it, from here through fetch to
    raw.discovery's decision and raw.document_errors.kind (ERROR_KINDS)."""
    kind = "failed"

    @property
    def lost(self) -> bool:
        """A listed report refused for this reason is lost (and must be told); one
        refused by a rule we follow on purpose (robots.txt, another host) is not."""
        return self.kind not in REFUSED


class OffHost(FetchError):
    """A redirect or link to a host the source does not allow: refused, recorded."""
    kind = "off-host"


class RobotsRefused(FetchError):
    kind = "robots-refused"


class TooLarge(FetchError):
    kind = "too-large"


class Timeout(FetchError):
    """The request's (or the document's) deadline passed, all attempts together."""
    kind = "timeout"


class BudgetExhausted(FetchError):
    """The source's time budget for the night is spent: not asked for tonight."""
    kind = "budget-exhausted"


class HttpStatus(FetchError):
    """An error status (after the retries a 5xx/429 gets); 401/403/407/451 say blocked."""
    BLOCKED = (401, 403, 407, 451)

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status

    @property
    def kind(self) -> str:              # type: ignore[override]
        return "blocked" if self.status in self.BLOCKED else "http-status"


class ConnectionFailed(FetchError):
    kind = "connection"


class BadRedirect(FetchError):
    kind = "redirect"


class BadUrl(FetchError):
    kind = "bad-url"


class BadEncoding(FetchError):
    kind = "bad-encoding"


# Refusals that follow a rule on purpose: recorded, never a lost document.
REFUSED = frozenset({"off-host", "robots-refused"})
# Every kind a document problem can have: the client's, fetch's not-a-document, parse's
# unreadable, and "failed" for anything else.
ERROR_KINDS = ("off-host", "robots-refused", "too-large", "timeout", "budget-exhausted", "blocked",
               "http-status", "connection", "redirect", "bad-url", "bad-encoding", "not-a-document",
               "unreadable", "failed")


# A document whose text could not be read because an attachment failed carries that
# attachment's FetchError message in its parse error: its marks give the kind back.
_MARKS = ((re.compile(r"ETL_SOURCE_BUDGET"), "budget-exhausted"),
          (re.compile(r"ETL_(?:REQUEST|DOCUMENT)_DEADLINE|timeout \(", re.I), "timeout"),
          (re.compile(r"ETL_MAX_BYTES"), "too-large"),
          (re.compile(r"\bHTTP (?:401|403|407|451)\b"), "blocked"),
          (re.compile(r"\bHTTP [45]\d\d\b"), "http-status"),
          (re.compile(r"is not an? \w+ but|empty file|not a document", re.I), "not-a-document"))


def error_kind(stage: str, error: str, kind: str = "") -> str:
    """One word for why a document was lost: its own kind (ERROR_KINDS) when the row has
    one; else the kind its message carries (an attachment's fetch error inside a parse
    error, a file that was a page); else "failed" (fetch) or "unreadable" (a file no
    reader could read)."""
    if kind:
        return kind
    if stage in ("listing", "registry"):
        return f"{stage}-failed"
    for mark, named in _MARKS:
        if mark.search(error or ""):
            return named
    return "failed" if stage == "fetch" else "unreadable"


@dataclass(frozen=True)
class Deadline:
    """A moment (time.monotonic()) a request must finish by, and what set it."""
    at: float
    what: str                   # for the message: "60s in all (ETL_REQUEST_DEADLINE)"
    error: type[FetchError] = Timeout


@dataclass
class Response:
    url: str                    # final URL, after redirects
    status: int
    content: bytes
    headers: dict[str, str]     # lower-case names
    redirects: tuple[str, ...] = ()

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class _Retryable(Exception):
    def __init__(self, reason: str, wait: float = 0.0, status: int = 0):
        super().__init__(reason)
        self.reason, self.wait, self.status = reason, wait, status


def _transient(exc: BaseException) -> bool:
    return isinstance(exc, (httpx.TransportError, _Retryable))


def _retry_after(value: str | None, cap: float) -> float:
    """Seconds a 429/503 asks us to wait (delta-seconds or HTTP date), capped."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, min(when - time.time(), cap))


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class Http:
    """One client per worker process: connections are reused across sources."""

    def __init__(self, settings: Settings):
        self.s = settings
        self.client = self._new_client()
        self._watchdog = Watchdog()            # the whole-request deadline (see _once)
        self._robots: dict[str, Protego | None] = {}
        # robots.txt and the per-host pace are shared with every other process (politeness.py)
        self._robots_cache = RobotsCache(settings.state_dir / "robots", settings.robots_ttl_s)
        self._limiter: HostLimiter | None = None
        self._deadlines: list[Deadline] = []   # the document's, the source's (see deadline())
        self.requests = 0                      # HTTP requests sent (robots.txt included)
        self.load_cookies()                    # a script challenge's cookie, passed by the browser

    def _new_client(self) -> httpx.Client:
        return httpx.Client(
            timeout=httpx.Timeout(self.s.timeout_s),
            headers={"User-Agent": self.s.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            follow_redirects=False,            # followed here, one hop at a time, host checked
        )

    def close(self) -> None:
        self._watchdog.close()
        self.client.close()

    def __enter__(self) -> "Http":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def allowed(self, url: str) -> bool:
        """robots.txt of the host actually requested (fetched once per host and client)."""
        parts = urlsplit(url)
        host = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if host not in self._robots:              # once per host and run, conditionally
            body, sent = self._robots_cache.text(host, self._get_robots)
            self.requests += sent
            self._robots[host] = Protego.parse(body) if body is not None else None  # none: allowed
        rules = self._robots[host]
        return rules is None or rules.can_fetch(url, self.s.user_agent)

    @contextlib.contextmanager
    def deadline(self, seconds: float, what: str, error: type[FetchError] = Timeout) -> Iterator[Deadline]:
        """Every request inside (redirects, retries and their waits included) ends by
        `seconds` from now: one deadline per document, one budget per source. Nested
        deadlines all hold; the earliest one ends a request, with its own kind."""
        d = Deadline(time.monotonic() + max(0.0, seconds), what, error)
        self._deadlines.append(d)
        try:
            yield d
        finally:
            self._deadlines.remove(d)

    def _deadline(self) -> Deadline:
        """The earliest deadline for a request starting now: its own (all attempts and
        redirects together, ETL_REQUEST_DEADLINE) or an enclosing one."""
        own = Deadline(time.monotonic() + self.s.request_deadline_s,
                       f"{self.s.request_deadline_s:g}s in all (ETL_REQUEST_DEADLINE)")
        return min([own, *self._deadlines], key=lambda d: d.at)

    def get(self, url: str, etag: str = "", last_modified: str = "",
            allowed_hosts: frozenset[str] | None = None) -> Response:
        return self.request("GET", url, etag=etag, last_modified=last_modified, allowed_hosts=allowed_hosts)

    def request(self, method: str, url: str, data: dict[str, str] | bytes | None = None, etag: str = "",
                last_modified: str = "", allowed_hosts: frozenset[str] | None = None,
                json_body: bool = False) -> Response:
        """One request, redirects followed hop by hop (each hop's host allowed and its
        robots.txt checked), retried when transient, all of it within one deadline;
        raises a FetchError whose `kind` says why."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if json_body and isinstance(data, dict):   # numbers stay numbers: {"pageNo": 2}
            headers["Content-Type"] = "application/json;charset=UTF-8"
            data = _json.dumps({k: int(v) if str(v).isdigit() else v for k, v in data.items()},
                               ensure_ascii=False).encode("utf-8")
        deadline = self._deadline()
        hops: list[str] = []
        current = url
        while True:
            self._check(current, allowed_hosts)
            r = self._attempts(method, current, headers, data, deadline)
            if isinstance(r, Response):
                r.redirects = tuple(hops)
                return r
            nxt = urljoin(current, r)            # a redirect: its Location
            hops.append(current)
            if nxt in hops or nxt == current:
                raise BadRedirect(f"redirect loop: {current} -> {nxt}")
            if len(hops) > self.s.max_redirects:
                raise BadRedirect(f"more than {self.s.max_redirects} redirects from {url}")
            if method == "POST":
                method, data = "GET", None       # 301/302/303 turn a POST into a GET
            current = nxt

    def _check(self, url: str, allowed_hosts: frozenset[str] | None) -> None:
        scheme = urlsplit(url).scheme.lower()
        if scheme not in ("http", "https"):
            raise BadUrl(f"not an http(s) URL: {url}")
        if allowed_hosts is not None and _host(url) not in allowed_hosts:
            raise OffHost(f"{_host(url)} is not among the source's hosts ({', '.join(sorted(allowed_hosts))}): {url}")
        if not self.allowed(url):
            raise RobotsRefused(f"disallowed by robots.txt: {url}")

    def _attempts(self, method: str, url: str, headers: dict[str, str],
                  data: dict[str, str] | bytes | None, deadline: Deadline) -> Response | str:
        """A Response, or the Location of a redirect. Retries stop early when the next
        wait would pass the deadline: the attempts share it."""
        n = max(1, self.s.retries)
        tries = 0
        out_of_time = False

        def wait(state) -> float:
            exc = state.outcome.exception()
            backoff = min(5.0, 0.2 * 2 ** (state.attempt_number - 1))
            return max(backoff, exc.wait) if isinstance(exc, _Retryable) else backoff

        def stop(state) -> bool:
            nonlocal out_of_time
            if state.attempt_number >= n:
                return True
            out_of_time = time.monotonic() + state.upcoming_sleep >= deadline.at
            return out_of_time

        @retry(retry=retry_if_exception(_transient), reraise=True, stop=stop, wait=wait)
        def attempt() -> Response | str:
            nonlocal tries
            tries += 1
            self._pause(url)
            return self._once(method, url, headers, data, deadline)

        try:
            return attempt()
        except (_Retryable, httpx.HTTPError) as e:
            last = e.reason if isinstance(e, _Retryable) else \
                f"timeout ({self.s.timeout_s:g}s without data)" if isinstance(e, httpx.TimeoutException) \
                else f"{type(e).__name__}: {e}"
            tried = f"{last} after {tries} attempt{'s' if tries > 1 else ''}"
            if out_of_time and isinstance(e, _Retryable):    # the server's status says more than the clock
                raise HttpStatus(f"{tried}, no time for another within {deadline.what}: {url}", e.status) from e
            if out_of_time:
                raise deadline.error(f"no time for another attempt within {deadline.what}: {tried}; "
                                     f"not stored: {url}") from e
            if isinstance(e, _Retryable):
                raise HttpStatus(f"{tried}: {url}", e.status) from e
            if isinstance(e, httpx.TimeoutException):
                raise Timeout(f"{tried}: {url}") from e
            raise ConnectionFailed(f"{tried}: {url}") from e

    def _once(self, method: str, url: str, headers: dict[str, str], data: dict[str, str] | bytes | None,
              deadline: Deadline) -> Response | str:
        """One exchange within what is left of the deadline: a watchdog closes the
        connection when it passes, so even headers dripping a byte at a time cannot hold
        a worker."""
        left = deadline.at - time.monotonic()
        if left <= 0:
            raise deadline.error(f"took longer than {deadline.what}, not stored: {url}")
        expired = threading.Event()
        client = self.client

        def expire() -> None:
            expired.set()
            client.close()                          # unblocks the stuck read; rebuilt below
        self._watchdog.arm(left, expire)
        try:
            return self._exchange(method, url, headers, data, deadline)
        except (httpx.HTTPError, RuntimeError) as e:
            if expired.is_set():
                raise deadline.error(f"took longer than {deadline.what}, not stored: {url}") from e
            raise
        finally:
            self._watchdog.disarm()
            if expired.is_set():
                self.client = self._new_client()

    def _exchange(self, method: str, url: str, headers: dict[str, str], data: dict[str, str] | bytes | None,
                  deadline: Deadline) -> Response | str:
        self.requests += 1
        send: dict[str, Any] = {"content": data} if isinstance(data, bytes) else {"data": data}
        with self.client.stream(method, url, headers=headers, **send) as r:
            h = {k.lower(): v for k, v in r.headers.items()}
            if r.status_code in (304, 301, 302, 303, 307, 308) or r.status_code >= 400:
                _drain(r, deadline.at)              # a small body read out keeps the connection alive
            if r.status_code in (301, 302, 303, 307, 308):
                if not h.get("location"):
                    raise BadRedirect(f"HTTP {r.status_code} redirect without a Location: {url}")
                return h["location"]
            if r.status_code in (429, 503) or r.status_code >= 500:
                raise _Retryable(f"HTTP {r.status_code}", _retry_after(h.get("retry-after"), self.s.retry_after_max_s)
                                 if r.status_code in (429, 503) else 0.0, r.status_code)
            if r.status_code >= 400:
                raise HttpStatus(f"HTTP {r.status_code}: {url}", r.status_code)
            if r.status_code == 304:
                return Response(str(r.url), 304, b"", h)
            size = h.get("content-length", "")
            if size.isdigit() and int(size) > self.s.max_bytes:
                raise TooLarge(f"response of {int(size):,} bytes exceeds the cap of {self.s.max_bytes:,} "
                               f"(ETL_MAX_BYTES): {url}")
            try:
                body = read_capped(r.iter_raw(), h.get("content-encoding", ""), self.s.max_bytes, deadline.at)
            except BodyTooLarge:
                raise TooLarge(f"response exceeds the cap of {self.s.max_bytes:,} bytes (sent or decoded; "
                               f"ETL_MAX_BYTES), not stored: {url}") from None
            except DeadlineExceeded:
                raise deadline.error(f"took longer than {deadline.what}, not stored: {url}") from None
            except UnsupportedEncoding as e:
                raise BadEncoding(f"unsupported Content-Encoding {e}: {url}") from None
            except zlib.error as e:
                raise BadEncoding(f"corrupt {h.get('content-encoding')} body ({e}): {url}") from None
            h.pop("content-encoding", None)
            return Response(str(r.url), r.status_code, body, h)

    # --- the rendering tier's door (etl/discovery/render.py) ------------------------------

    def passthrough(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
                    allowed_hosts: frozenset[str] | None = None) -> Response:
        """One exchange on the browser's behalf: the source's hosts, robots.txt, the shared
        per-host pace, the size cap and the deadline apply as to any request, and the answer
        comes back as it is (any status, redirects not followed: the browser follows them,
        through here again). Raises FetchError when refused or unreachable."""
        self._check(url, allowed_hosts)
        self._pause(url)
        self.requests += 1
        deadline = time.monotonic() + self.s.request_deadline_s
        try:
            with self.client.stream(method, url, headers=headers, content=body) as r:
                h: dict[str, str] = {}
                for k, v in r.headers.multi_items():      # several Set-Cookie: one a line
                    k = k.lower()
                    h[k] = f"{h[k]}\n{v}" if k in h and k == "set-cookie" else v
                data = read_capped(r.iter_raw(), h.get("content-encoding", ""), self.s.max_bytes, deadline)
        except BodyTooLarge:
            raise TooLarge(f"response exceeds the cap of {self.s.max_bytes:,} bytes (ETL_MAX_BYTES): {url}") from None
        except DeadlineExceeded:
            raise FetchError(f"took longer than {self.s.request_deadline_s:g}s in all (ETL_REQUEST_DEADLINE): {url}") from None
        except (httpx.HTTPError, UnsupportedEncoding, zlib.error) as e:
            raise FetchError(f"{type(e).__name__}: {e}: {url}") from None
        for k in ("content-encoding", "content-length", "transfer-encoding", "connection"):
            h.pop(k, None)
        return Response(str(r.url), r.status_code, data, h)

    def add_cookies(self, cookies: list[dict]) -> None:
        """Cookies a script challenge set in the browser (name, value, domain, path, expires):
        the static client sends them from now on, and every process after it (kept in the
        state store until they expire)."""
        for c in cookies:
            self.client.cookies.set(c["name"], c["value"], domain=c.get("domain", ""), path=c.get("path", "/"))
        store_for(self.s).save_cookies(cookies)

    def load_cookies(self) -> None:
        """The unexpired cookies earlier processes kept (see add_cookies)."""
        try:
            kept = store_for(self.s).cookies()
        except (OSError, sqlite3.Error) as e:        # no state store to read: none kept
            log.warning("cookies: state store unreadable under %s: %s", self.s.state_dir, e)
            kept = []
        for c in kept:
            self.client.cookies.set(c["name"], c["value"], domain=c.get("domain", ""), path=c.get("path", "/"))

    ROBOTS_MAX_BYTES = 512 * 1024            # Google reads the first 500 KiB; so do we

    def _get_robots(self, url: str, headers: dict[str, str]) -> tuple[int, bytes, dict[str, str]]:
        self._pause(url)                          # (counted in self.requests by allowed())
        deadline = time.monotonic() + min(self.s.request_deadline_s, 30.0)
        with self.client.stream("GET", url, headers=headers) as r:
            h = {k.lower(): v for k, v in r.headers.items()}
            if r.status_code != 200:
                return r.status_code, b"", h
            try:
                body = read_capped(r.iter_raw(), h.get("content-encoding", ""), self.ROBOTS_MAX_BYTES, deadline)
            except (BodyTooLarge, DeadlineExceeded, UnsupportedEncoding, zlib.error):
                return 200, b"", h                 # unreadable robots.txt: treated as none
            return 200, body, h

    def _pause(self, url: str) -> None:
        """One request per `ETL_POLITENESS` seconds per host, across all processes."""
        if self.s.politeness_s <= 0:
            return
        if self._limiter is None:
            self._limiter = limiter_for(self.s.politeness_s, self.s.data_dir, self.s.redis_url)
        if self._limiter is not None:             # None only when no pause is wanted (returned above)
            self._limiter.wait(urlsplit(url).netloc)


DRAIN_MAX_BYTES = 64 * 1024
DRAIN_S = 1.0


def _drain(r: httpx.Response, deadline: float) -> None:
    """Read out a body we do not keep (304, redirect, error page), so the connection goes
    back to the pool; one past DRAIN_MAX_BYTES or DRAIN_S (a dripping error page) is left,
    and the connection closed with the response."""
    sent, deadline = 0, min(deadline, time.monotonic() + DRAIN_S)
    try:
        for chunk in r.iter_raw():
            sent += len(chunk)
            if sent > DRAIN_MAX_BYTES or time.monotonic() > deadline:
                return
    except httpx.HTTPError:
        return


_SHARED: dict[tuple[int, Settings], Http] = {}


def shared_http(settings: Settings) -> Http:
    """The process's one client for these settings: connections (keep-alive) and robots.txt
    reused by every task and source the process runs. Callers must not close it."""
    import os
    key = (os.getpid(), settings)              # a forked child builds its own
    if key not in _SHARED:
        _SHARED[key] = Http(settings)
    return _SHARED[key]


_WEAK = {"iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "windows-1252"}
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030",
          "big5": "big5hkscs", "big5-hkscs": "big5hkscs"}


def _declared(pattern: bytes | str, data) -> str | None:
    m = re.search(pattern, data, re.I)
    if not m:
        return None
    cs = m.group(1)
    cs = (cs.decode("ascii", "ignore") if isinstance(cs, bytes) else cs).lower()
    return _WIDEN.get(cs, _WIDEN.get(cs.replace("-", ""), cs))


def charset_of(content: bytes, content_type: str = "") -> str | None:
    """The declared charset, GB and Big5 widened to their supersets. The page's own <meta>
    beats a Latin-1/ASCII HTTP header: servers default to those for pages they don't know."""
    header = _declared(r"charset=[\"']?([\w-]+)", content_type or "")
    meta = _declared(rb"<meta[^>]+charset=[\"']?([\w-]+)", content[:4096]) or \
        _declared(rb"<\?xml[^>]+encoding=[\"']?([\w-]+)", content[:200])
    if header and header not in _WEAK:
        return header
    return meta or header


def decode_html(content: bytes, content_type: str = "") -> str:
    """Decode with the declared charset; guess (charset-normalizer) only when none is
    declared or the declaration is wrong. Short GBK strings are misread by detectors, so
    a declaration always wins when it decodes cleanly."""
    declared = charset_of(content, content_type)
    if declared:
        try:
            return content.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass
    for cs in ("utf-8", "gb18030"):
        try:
            return content.decode(cs)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes
    best = from_bytes(content).best()
    return str(best) if best else content.decode(declared or "utf-8", "replace")
