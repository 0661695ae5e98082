"""The HTTP client against a hostile server on loopback (demo_portal.hostile): redirects
off-host and in loops, compression bombs, endless and dripping bodies, 429/503 with
Retry-After. Every case ends in a clear FetchError (or success) within its caps."""
from __future__ import annotations

import time
import tracemalloc
from dataclasses import replace

import pytest

from demo_portal.hostile import Hostile
from etl.http import FetchError, Http, HttpStatus, OffHost, RobotsRefused, Timeout, TooLarge


@pytest.fixture(scope="module")
def hostile():
    with Hostile(bomb_mb=200, drip_s=0.1) as h:
        yield h


@pytest.fixture
def http(settings):
    s = replace(settings, politeness_s=0, retries=2, max_bytes=5 * 2**20, request_deadline_s=1.5,
                retry_after_max_s=2.0, timeout_s=2.0)
    with Http(s) as client:
        yield client


def _hosts(h: Hostile) -> frozenset[str]:
    return frozenset({"127.0.0.1"})


def test_redirect_to_another_host_is_refused_and_says_where(hostile, http):
    with pytest.raises(OffHost, match="localhost is not among the source's hosts"):
        http.get(f"{hostile.base_url}/redirect-offhost", allowed_hosts=_hosts(hostile))
    assert hostile.hits["/ok"] == 0            # never requested from the other host


def test_allowed_other_host_is_followed_and_final_url_kept(hostile, http):
    r = http.get(f"{hostile.base_url}/redirect-offhost", allowed_hosts=frozenset({"127.0.0.1", "localhost"}))
    assert r.status == 200 and r.url.startswith(hostile.other_host_url)
    assert r.redirects == (f"{hostile.base_url}/redirect-offhost",)


def test_redirect_loop_is_named_as_such(hostile, http):
    with pytest.raises(FetchError, match="redirect loop"):
        http.get(f"{hostile.base_url}/redirect-loop", allowed_hosts=_hosts(hostile))


def test_redirect_chains_are_bounded(hostile, http):
    assert http.get(f"{hostile.base_url}/redirect-chain/3").status == 200
    with pytest.raises(FetchError, match="more than 5 redirects"):
        http.get(f"{hostile.base_url}/redirect-chain/9")


@pytest.mark.parametrize("path", ["/gzip-bomb", "/br-bomb"])
def test_compression_bomb_stops_at_the_cap_in_flat_memory(hostile, http, path):
    hostile.bomb("gzip" if path == "/gzip-bomb" else "br")      # built before measuring
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="exceeds the cap"):
            http.get(hostile.base_url + path)
        peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert peak_mb < 40, f"peak allocation {peak_mb:.0f} MB for a 200 MB bomb with a 5 MB cap"


def test_endless_body_is_cut_at_the_cap(hostile, http):
    with pytest.raises(TooLarge):
        http.get(f"{hostile.base_url}/huge")


def test_dripping_body_hits_the_whole_request_deadline(hostile, http):
    t0 = time.monotonic()
    with pytest.raises(Timeout, match="longer than 1.5s in all"):
        http.get(f"{hostile.base_url}/drip")
    assert time.monotonic() - t0 < 2 * 1.5 * 2 + 1     # two attempts at most, each bounded


def test_429_retry_after_is_honoured(hostile, http):
    t0 = time.monotonic()
    r = http.get(f"{hostile.base_url}/too-many")
    assert r.status == 200 and time.monotonic() - t0 >= 0.95
    assert hostile.hits["/too-many"] == 2


def test_503_retry_after_is_capped_and_reported(hostile, settings):
    s = replace(settings, politeness_s=0, retries=2, retry_after_max_s=2.0, request_deadline_s=10)
    t0 = time.monotonic()
    with Http(s) as http, pytest.raises(HttpStatus, match="HTTP 503 after 2 attempts") as e:
        http.get(f"{hostile.base_url}/busy")
    assert time.monotonic() - t0 < 4                # waited the capped 2 s, not an hour
    assert e.value.kind == "http-status"


def test_a_wait_past_the_deadline_is_not_waited(hostile, http):
    """The capped Retry-After (2 s) would pass the 1.5 s deadline: no second attempt."""
    t0 = time.monotonic()
    with pytest.raises(HttpStatus, match="HTTP 503 after 1 attempt, no time for another within 1.5s"):
        http.get(f"{hostile.base_url}/busy")
    assert time.monotonic() - t0 < 1.0


def test_robots_refusal_and_schemes(hostile, http):
    with pytest.raises(RobotsRefused):
        http.get(f"{hostile.base_url}/private/x.html")
    with pytest.raises(FetchError, match="not an http"):
        http.get("ftp://127.0.0.1/x")
    assert http.get(f"HTTP://127.0.0.1:{hostile.port}/ok").status == 200    # any letter case


def test_dripping_headers_hit_the_deadline_too(hostile, http):
    t0 = time.monotonic()
    with pytest.raises(Timeout, match="longer than 1.5s in all"):
        http.get(f"{hostile.base_url}/drip-headers")
    assert time.monotonic() - t0 < 4
    assert http.get(f"{hostile.base_url}/ok").status == 200        # the client works on afterwards


def test_redirect_without_location_is_an_error(hostile, http):
    with pytest.raises(FetchError, match="without a Location"):
        http.get(f"{hostile.base_url}/no-location")


def test_posts_as_form_or_as_json(hostile, http):
    import json
    r = http.request("POST", f"{hostile.base_url}/api/echo", data={"pageNo": "2", "q": "法治"})
    sent = json.loads(r.content)
    assert sent["content_type"].startswith("application/x-www-form-urlencoded") and "pageNo=2" in sent["body"]
    r = http.request("POST", f"{hostile.base_url}/api/echo", data={"pageNo": "2", "q": "法治"}, json_body=True)
    sent = json.loads(r.content)
    assert sent["content_type"].startswith("application/json") and json.loads(sent["body"]) == {"pageNo": 2, "q": "法治"}


def test_connection_is_kept_across_304s_redirects_and_error_pages(hostile, settings):
    """An unchanged night is mostly 304s: each must leave its connection in the pool
    (its empty body read out), not open a new TCP connection per request."""
    with Http(replace(settings, politeness_s=0, retries=1)) as http:
        http.get(f"{hostile.base_url}/ok")                  # robots.txt + first connection
        before = set(hostile.connections)
        r = http.get(f"{hostile.base_url}/etag")
        for _ in range(3):
            assert http.get(f"{hostile.base_url}/etag", etag=r.headers["etag"]).status == 304
        assert http.get(f"{hostile.base_url}/redirect-chain/2").status == 200
        with pytest.raises(FetchError, match="HTTP 500"):
            http.get(f"{hostile.base_url}/error-page")
        assert http.get(f"{hostile.base_url}/ok").status == 200
    assert len(hostile.connections - before) == 0, "a request opened a new connection"


def test_watchdog_fires_once_past_its_deadline_and_never_when_disarmed():
    from etl.bounded import Watchdog
    fired = []
    dog = Watchdog()
    try:
        dog.arm(0.05, lambda: fired.append("a"))
        time.sleep(0.4)
        dog.arm(0.2, lambda: fired.append("b"))
        dog.disarm()                                   # the request finished in time
        dog.arm(0.05, lambda: fired.append("c"))       # the same thread serves the next request
        time.sleep(0.5)
    finally:
        dog.close()
    assert fired == ["a", "c"]
