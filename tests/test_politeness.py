"""Politeness across processes: the per-host pace holds for several processes together
(SQLite on one machine, Redis across machines), robots.txt is asked once per TTL and then
conditionally (a real portal answers 304)."""
from __future__ import annotations

import multiprocessing as mp
import shutil
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pytest

from etl.politeness import RedisLimiter, RobotsCache, SqliteLimiter

INTERVAL = 0.15


def _reserve_slots(kind: str, where: str, n: int, out) -> None:
    lim = SqliteLimiter(Path(where), INTERVAL) if kind == "sqlite" else RedisLimiter(where, INTERVAL)
    for _ in range(n):     # the slots reserved, in the backend's clock (sleeping adds jitter)
        lim.reserve("gov.example.cn")
        out.put(lim.last_slot)


def _slots_from_processes(kind: str, where: str, procs: int = 3, each: int = 3) -> list[float]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    ps = [ctx.Process(target=_reserve_slots, args=(kind, where, each, q)) for _ in range(procs)]
    for p in ps:
        p.start()
    times = sorted(q.get(timeout=60) for _ in range(procs * each))
    for p in ps:
        p.join(30)
    return times


def _assert_paced(times: list[float]) -> None:
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert min(gaps) >= INTERVAL * 0.9, gaps      # never two requests closer than the pace


def test_sqlite_limiter_paces_several_processes_together(tmp_path):
    _assert_paced(_slots_from_processes("sqlite", str(tmp_path / "polite.sqlite")))


def test_wait_sleeps_until_the_slot(tmp_path):
    lim = SqliteLimiter(tmp_path / "p.sqlite", INTERVAL)
    t0 = time.monotonic()
    lim.wait("gov.example.cn")
    lim.wait("gov.example.cn")
    assert time.monotonic() - t0 >= INTERVAL * 0.95


def test_sqlite_limiter_keeps_hosts_apart(tmp_path):
    lim = SqliteLimiter(tmp_path / "p.sqlite", 10.0)
    assert lim.reserve("a.gov.cn") == 0.0
    assert lim.reserve("b.gov.cn") == 0.0            # another host is not delayed
    assert 9.0 < lim.reserve("a.gov.cn") <= 10.0     # the same host waits for its slot


@pytest.fixture
def redis_url():
    exe = shutil.which("redis-server")
    if not exe:
        pytest.skip("redis-server not installed (scripts/install-system-packages.sh)")
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    d = tempfile.mkdtemp(prefix="redis-")
    p = subprocess.Popen([exe, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--dir", d],
                         stdout=subprocess.DEVNULL)
    import redis
    r = redis.Redis(port=port)
    for _ in range(100):
        try:
            r.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    p.terminate()
    p.wait(10)
    shutil.rmtree(d, ignore_errors=True)


def test_redis_limiter_paces_several_processes_together(redis_url):
    _assert_paced(_slots_from_processes("redis", redis_url))


def test_robots_fetched_once_per_ttl_then_conditionally(tmp_path):
    calls: list[dict] = []

    def fetch(url, headers):
        calls.append(headers)
        if headers.get("If-None-Match") == '"v1"':
            return 304, b"", {}
        return 200, b"User-agent: *\nDisallow: /admin/\n", {"etag": '"v1"'}

    now = [1000.0]
    cache = RobotsCache(tmp_path / "robots", ttl_s=3600, clock=lambda: now[0])
    assert cache.text("http://gov.example.cn", fetch) == ("User-agent: *\nDisallow: /admin/\n", 1)
    other = RobotsCache(tmp_path / "robots", ttl_s=3600, clock=lambda: now[0])   # another process
    assert other.text("http://gov.example.cn", fetch)[1] == 0 and len(calls) == 1
    now[0] += 7200                                   # the next night
    body, sent = other.text("http://gov.example.cn", fetch)
    assert sent == 1 and calls[-1] == {"If-None-Match": '"v1"'} and "Disallow" in body


def test_http_clients_share_robots_and_get_304_from_a_real_portal(portal, settings):
    from etl.http import Http
    settings = replace(settings, robots_ttl_s=0.0)  # every client re-checks: conditionally
    with Http(settings) as a:
        assert a.allowed(portal.url("/index.html"))
    with Http(settings) as b:
        assert not b.allowed(portal.url("/admin/index.html"))   # the rules came through the 304
    robots = [s for (m, path, s) in portal.log if path == "/robots.txt"]
    assert robots == [200, 304], portal.log
    with Http(replace(settings, robots_ttl_s=3600)) as c:
        c.allowed(portal.url("/index.html"))
        assert c.requests == 0                       # fresh: nobody asks again tonight
