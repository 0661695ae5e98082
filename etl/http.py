"""A polite HTTP client shared by discover and fetch.

robots.txt is honoured (protego), transient failures (timeouts, connection errors, 5xx,
429) are retried with exponential backoff (tenacity), and conditional GET (ETag /
Last-Modified) lets an unchanged night cost one 304 per page.
"""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from protego import Protego
from tenacity import (retry, retry_if_exception, stop_after_attempt,
                      wait_exponential)

from .settings import Settings

log = logging.getLogger(__name__)


class FetchError(Exception):
    """A page that could not be had; the message says why, for the errors table."""


@dataclass
class Response:
    url: str
    status: int
    content: bytes
    headers: dict[str, str]

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def _transient(exc: BaseException) -> bool:
    if isinstance(exc, httpx.TransportError):       # timeouts, refused, reset
        return True
    return isinstance(exc, _RetryableStatus)


class _RetryableStatus(Exception):
    def __init__(self, status: int):
        super().__init__(f"HTTP {status}")
        self.status = status


class Http:
    def __init__(self, settings: Settings):
        self.s = settings
        self.client = httpx.Client(
            timeout=httpx.Timeout(settings.timeout_s),
            headers={"User-Agent": settings.user_agent},
            follow_redirects=True,
        )
        self._robots: dict[str, Protego | None] = {}
        self._last: dict[str, float] = {}

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "Http":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        if host not in self._robots:
            try:
                r = self.client.get(urljoin(host, "/robots.txt"))
                self._robots[host] = Protego.parse(r.text) if r.status_code == 200 else None
            except httpx.HTTPError:
                self._robots[host] = None          # no robots.txt reachable: allowed
        rules = self._robots[host]
        return rules is None or rules.can_fetch(url, self.s.user_agent)

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Response:
        """GET with retries; raises FetchError with a readable reason when it gives up."""
        if not self.allowed(url):
            raise FetchError(f"disallowed by robots.txt: {url}")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

        @retry(retry=retry_if_exception(_transient), reraise=True,
               stop=stop_after_attempt(max(1, self.s.retries)),
               wait=wait_exponential(multiplier=0.2, max=5))
        def attempt() -> httpx.Response:
            self._pause(url)
            r = self.client.get(url, headers=headers)
            if r.status_code >= 500 or r.status_code == 429:
                raise _RetryableStatus(r.status_code)
            return r

        try:
            r = attempt()
        except _RetryableStatus as e:
            raise FetchError(f"HTTP {e.status} after {self.s.retries} attempts: {url}") from e
        except httpx.TimeoutException as e:
            raise FetchError(f"timeout after {self.s.retries} attempts ({self.s.timeout_s}s): {url}") from e
        except httpx.HTTPError as e:
            raise FetchError(f"{type(e).__name__} after {self.s.retries} attempts: {e}: {url}") from e
        if r.status_code >= 400:
            raise FetchError(f"HTTP {r.status_code}: {url}")
        return Response(str(r.url), r.status_code, r.content, dict(r.headers))

    def _pause(self, url: str) -> None:
        if self.s.politeness_s <= 0:
            return
        host = urlsplit(url).netloc
        wait = self._last.get(host, 0) + self.s.politeness_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last[host] = time.monotonic()


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
