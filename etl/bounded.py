"""Response bodies read under caps that hold while streaming.

The body is read raw (as sent) and decoded here, never by the HTTP library, so that a
2 MB gzip that unpacks to 2 GiB stops at the cap instead of filling memory: every
decoder is asked for at most the bytes still allowed. Sizes are capped compressed and
decompressed; the whole request has a deadline however slowly the bytes drip.
"""
from __future__ import annotations

import os
import threading
import time
import zlib
from typing import Callable, Iterable, Iterator

try:                                  # brotli is optional: without it we never ask for br
    import brotli
except ImportError:                   # pragma: no cover - installed from the lock
    brotli = None

ACCEPT_ENCODING = "gzip, deflate, br" if brotli else "gzip, deflate"


class BodyTooLarge(Exception):
    pass


class DeadlineExceeded(Exception):
    pass


class UnsupportedEncoding(Exception):
    pass


class _Zlib:
    def __init__(self, gzip: bool) -> None:
        self.gzip = gzip
        self.d = zlib.decompressobj(47 if gzip else zlib.MAX_WBITS)   # 47: gzip or zlib header
        self.first = True

    def feed(self, data: bytes, limit: int) -> bytes:
        if self.first and not self.gzip and data and data[0] & 0x0F != 8:
            self.d = zlib.decompressobj(-zlib.MAX_WBITS)                # raw deflate (no header)
        self.first = False
        out = self.d.decompress(data, limit + 1)
        if self.d.unconsumed_tail:                                       # more output than allowed
            raise BodyTooLarge
        return out


class _Brotli:
    def __init__(self) -> None:
        self.d = brotli.Decompressor()

    def feed(self, data: bytes, limit: int) -> bytes:
        out = self.d.process(data, output_buffer_limit=limit + 1)
        if len(out) > limit or not self.d.can_accept_more_data():
            raise BodyTooLarge
        return out


class _Identity:
    def feed(self, data: bytes, limit: int) -> bytes:
        return data


def decoder(content_encoding: str):
    """One decoder per listed encoding (applied in reverse order of listing)."""
    chain: list[_Zlib | _Brotli] = []
    for enc in reversed([e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]):
        if enc in ("gzip", "x-gzip"):
            chain.append(_Zlib(gzip=True))
        elif enc == "deflate":
            chain.append(_Zlib(gzip=False))
        elif enc == "br" and brotli:
            chain.append(_Brotli())
        elif enc in ("identity", ""):
            continue
        else:
            raise UnsupportedEncoding(enc)
    return chain or [_Identity()]


def read_capped(raw: Iterable[bytes], content_encoding: str, max_bytes: int, deadline: float) -> bytes:
    """The decoded body; raises BodyTooLarge past max_bytes (sent or decoded) and
    DeadlineExceeded past `deadline` (time.monotonic())."""
    chain = decoder(content_encoding)
    sent = 0
    out = bytearray()
    for chunk in _with_deadline(raw, deadline):
        sent += len(chunk)
        if sent > max_bytes:
            raise BodyTooLarge
        for d in chain:
            chunk = d.feed(chunk, max_bytes - len(out))
        out += chunk
        if len(out) > max_bytes:
            raise BodyTooLarge
    return bytes(out)


def _with_deadline(raw: Iterable[bytes], deadline: float) -> Iterator[bytes]:
    for chunk in raw:
        if time.monotonic() > deadline:
            raise DeadlineExceeded
        yield chunk


class Watchdog:
    """Calls `fire` when the armed deadline passes, from one thread kept for the client's
    life and re-armed per request (a threading.Timer per request started a thread each
    time: a quarter of the client CPU of a 304). One request at a time, as the client is."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._due: float | None = None
        self._fire: Callable[[], None] | None = None
        self._pid = 0                      # the thread's process: a forked child starts its own
        self._closed = False

    def arm(self, seconds: float, fire: Callable[[], None]) -> None:
        with self._cond:
            self._due, self._fire = time.monotonic() + seconds, fire
            if self._pid != os.getpid():
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="http-deadline", daemon=True).start()
            self._cond.notify()

    def disarm(self) -> None:
        with self._cond:
            self._due = self._fire = None

    def close(self) -> None:
        with self._cond:
            self._closed, self._due, self._fire = True, None, None
            self._cond.notify()

    def _run(self) -> None:
        with self._cond:
            while not self._closed:
                if self._due is None:
                    self._cond.wait()
                    continue
                left = self._due - time.monotonic()
                if left > 0:
                    self._cond.wait(left)
                    continue
                fire, self._due, self._fire = self._fire, None, None
                self._cond.release()
                try:
                    if fire is not None:
                        fire()
                finally:
                    self._cond.acquire()
