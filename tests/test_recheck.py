"""The recheck cadence: known reports come due within the period, spread over it."""
from __future__ import annotations

from collections import Counter

from etl.recheck import DAY, due_for_recheck, recheck_interval, skipped_tonight

NOW = 1_800_000_000.0


def _urls(n: int) -> list[str]:
    return [f"http://gov.example.cn/fzzf/t2025{i:04d}.html" for i in range(n)]


def test_nothing_is_due_the_night_after_it_was_checked():
    known = {u: NOW - DAY for u in _urls(500)}
    assert due_for_recheck(known, NOW, 7) == []


def test_everything_is_due_after_the_period_and_never_checked_first():
    urls = _urls(50)
    known = {u: NOW - 7 * DAY for u in urls}
    known["http://gov.example.cn/new.html"] = None
    due = due_for_recheck(known, NOW, 7)
    assert set(due) == set(known) and due[0] == "http://gov.example.cn/new.html"


def test_first_nights_reports_spread_over_the_period():
    urls = _urls(2000)
    checked = dict.fromkeys(urls, NOW)            # all loaded on the same first night
    first_due: Counter = Counter()
    for night in range(1, 8):
        for u in due_for_recheck({u: checked[u] for u in urls if checked[u] == NOW}, NOW + night * DAY, 7):
            first_due[night] += 1
            checked[u] = NOW + night * DAY
    assert sum(first_due.values()) == len(urls)   # every report within the week
    assert max(first_due.values()) < len(urls) / 2   # no single night takes them all
    assert first_due[1] == first_due[2] == 0 and first_due[4] > 0


def test_full_recheck_limit_and_zero_period():
    known = {u: NOW - DAY for u in _urls(10)}
    assert len(due_for_recheck(known, NOW, 7, full=True)) == 10
    assert len(due_for_recheck(known, NOW, 0)) == 10
    older = dict(known, **{"http://old.example.cn/a.html": NOW - 30 * DAY})
    assert due_for_recheck(older, NOW, 0, limit=1) == ["http://old.example.cn/a.html"]
    assert skipped_tonight(known, []) == set(known)


def test_interval_is_stable_and_within_bounds():
    for u in _urls(200):
        i = recheck_interval(u, 7)
        assert 3.5 * DAY <= i <= 7 * DAY and i == recheck_interval(u, 7)
