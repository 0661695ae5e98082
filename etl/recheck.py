"""Which known reports to re-request tonight.

Listing pages are checked every night (new reports appear there). A report that is already
loaded rarely changes, so it is re-requested on a slower cadence (`ETL_RECHECK_DAYS`,
default 7): each report gets a stable interval between half and all of that period, so the
first night's reports do not all come due on the same later night; nobody waits longer
than the period. `full_recheck` (a DAG param) or a never-checked report means re-request.

In their publication season (ETL_RECHECK_SEASON, Jan-Apr by default) the previous year's
reports appear and get corrected at the same URL: those are re-requested every
`ETL_RECHECK_DAYS_SEASON` days (default 1). Re-requests are conditional (ETag /
Last-Modified), so an unchanged report costs one 304.

Pure functions over plain values: the crawl keeps `last_checked` (URL -> epoch seconds of
the last request that reached the server) in its state and calls `due_for_recheck`.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone

DAY = 86400.0
SLACK_S = 3 * 3600.0     # a night that starts a little early still counts as a day later
CHINA = timezone(timedelta(hours=8))     # the portals' calendar decides the season


def in_season(report_year: int | None, now: float, months: Sequence[int] = (1, 2, 3, 4)) -> bool:
    """A report is in its publication season in `months` of the year after the one it
    reports on (a 2024 report: Jan-Apr 2025). Unknown year: not in season."""
    if report_year is None:
        return False
    today = datetime.fromtimestamp(now, CHINA)
    return today.month in months and report_year == today.year - 1


def cadence_days(report_year: int | None, now: float, every_days: float, season_days: float,
                 months: Sequence[int] = (1, 2, 3, 4)) -> float:
    """Days between re-requests of a known report tonight: the season's cadence when it is
    in season and quicker, else the year-round one."""
    if every_days > 0 and season_days < every_days and in_season(report_year, now, months):
        return season_days
    return every_days


def recheck_interval(url: str, every_days: float) -> float:
    """Seconds between re-requests of `url`: stable, in [every_days/2, every_days]."""
    phase = (zlib.crc32(url.encode("utf-8")) % 1000) / 1000
    return every_days * DAY * (0.5 + 0.5 * phase)


def due_for_recheck(last_checked: Mapping[str, float | None], now: float, every_days: float = 7.0,
                    *, full: bool = False, limit: int | None = None,
                    days_of: Mapping[str, float] | None = None) -> list[str]:
    """Known URLs to re-request tonight, the longest unchecked first.

    every_days <= 0 re-requests everything (the old behaviour); `days_of` gives some URLs
    their own cadence (`cadence_days`: in season); `limit` caps the night's rechecks (the
    rest stay due and go first tomorrow)."""
    due = []
    for url, last in last_checked.items():
        days = (days_of or {}).get(url, every_days)
        if full or last is None or days <= 0 \
                or now - last + SLACK_S >= recheck_interval(url, days):
            due.append((-(now - last) if last is not None else float("-inf"), url))
    due.sort()
    urls = [u for _, u in due]
    return urls if limit is None else urls[:max(0, limit)]


def skipped_tonight(known: Iterable[str], due: Iterable[str]) -> set[str]:
    """Known URLs not re-requested tonight (their stored copy stands)."""
    return set(known) - set(due)
