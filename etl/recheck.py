"""Which known reports to re-request tonight.

Listing pages are checked every night (new reports appear there). A report that is already
loaded rarely changes, so it is re-requested on a slower cadence (`ETL_RECHECK_DAYS`,
default 7): each report gets a stable interval between half and all of that period, so the
first night's reports do not all come due on the same later night; nobody waits longer
than the period. `full_recheck` (a DAG param) or a never-checked report means re-request.

Pure functions over plain values: the crawl keeps `last_checked` (URL -> epoch seconds of
the last request that reached the server) in its state and calls `due_for_recheck`.
"""
from __future__ import annotations

import zlib
from collections.abc import Iterable, Mapping

DAY = 86400.0
SLACK_S = 3 * 3600.0     # a night that starts a little early still counts as a day later


def recheck_interval(url: str, every_days: float) -> float:
    """Seconds between re-requests of `url`: stable, in [every_days/2, every_days]."""
    phase = (zlib.crc32(url.encode("utf-8")) % 1000) / 1000
    return every_days * DAY * (0.5 + 0.5 * phase)


def due_for_recheck(last_checked: Mapping[str, float | None], now: float, every_days: float = 7.0,
                    *, full: bool = False, limit: int | None = None) -> list[str]:
    """Known URLs to re-request tonight, the longest unchecked first.

    every_days <= 0 re-requests everything (the old behaviour); `limit` caps the night's
    rechecks (the rest stay due and go first tomorrow)."""
    due = []
    for url, last in last_checked.items():
        if full or last is None or every_days <= 0 \
                or now - last + SLACK_S >= recheck_interval(url, every_days):
            due.append((-(now - last) if last is not None else float("-inf"), url))
    due.sort()
    urls = [u for _, u in due]
    return urls if limit is None else urls[:max(0, limit)]


def skipped_tonight(known: Iterable[str], due: Iterable[str]) -> set[str]:
    """Known URLs not re-requested tonight (their stored copy stands)."""
    return set(known) - set(due)
