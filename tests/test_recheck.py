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


# ---------------------------------------------------------------- publication season

from datetime import datetime  # noqa: E402

from etl.recheck import CHINA, cadence_days, in_season  # noqa: E402


def _at(y: int, m: int, d: int, h: int = 2) -> float:
    return datetime(y, m, d, h, tzinfo=CHINA).timestamp()


def test_the_previous_years_report_is_in_season_from_january_to_april():
    assert in_season(2024, _at(2025, 1, 1, 0)) and in_season(2024, _at(2025, 4, 30, 23))
    assert not in_season(2024, _at(2025, 5, 1, 0))           # China's calendar, not UTC's
    assert not in_season(2023, _at(2025, 2, 1)) and not in_season(2025, _at(2025, 2, 1))
    assert not in_season(None, _at(2025, 2, 1))
    assert in_season(2024, _at(2025, 11, 5), months=(11, 12)) and not in_season(2024, _at(2025, 2, 1), months=())
    assert cadence_days(2024, _at(2025, 2, 1), 7, 1) == 1 and cadence_days(2024, _at(2025, 7, 1), 7, 1) == 7
    assert cadence_days(2024, _at(2025, 2, 1), 0, 1) == 0     # every night stays every night


def test_in_season_reports_come_due_every_night_the_rest_weekly():
    urls = _urls(200)
    feb, jul = _at(2025, 2, 10), _at(2025, 7, 10)
    for now, want in ((feb, len(urls) // 2), (jul, 0)):
        days = {u: cadence_days(2024 if i % 2 else 2022, now, 7, 1) for i, u in enumerate(urls)}
        due = due_for_recheck({u: now - DAY for u in urls}, now, 7, days_of=days)
        assert len(due) == want and all(days[u] == 1 for u in due)


def test_season_recheck_over_http_is_conditional_and_nightly(settings):
    """A fixed clock: in February the 2024 report is asked every night (a 304 when
    unchanged) and the 2022 one is not; in July neither is asked the night after."""
    from dataclasses import replace

    from demo_portal.hostile import AGENCY, Hostile
    from etl.fetch import fetch_source
    from etl.http import Http
    from etl.records import DocRef, Source
    s = replace(settings, politeness_s=0, recheck_days=7, recheck_days_season=1)
    with Hostile() as h, Http(s) as http:
        src = Source("jh-sfj", AGENCY, f"{h.base_url}/column/index.html")
        refs = [DocRef(src.id, f"{h.base_url}/column/etag.html?y={y}", f"{y}年法治政府建设年度报告", report_year=y)
                for y in (2024, 2022)]
        for month in (2, 7):
            s = replace(s, data_dir=settings.data_dir / f"m{month}")
            first = fetch_source(refs, src, s, http, now=_at(2025, month, 10))
            hits, n304 = h.hits["/column/etag.html"], h.statuses[304]
            again = fetch_source(refs, src, s, http, now=_at(2025, month, 11))
            asked, answered_304 = h.hits["/column/etag.html"] - hits, h.statuses[304] - n304
            assert [f.sha256 for f in again] == [f.sha256 for f in first] and all(f.status == "fetched" for f in again)
            assert (asked, answered_304) == ((1, 1) if month == 2 else (0, 0)), month
