"""The search page's histogram of dates: the bucket (year, month or day) follows the range the matches span,
every period between the first and the last is a bar (an empty one is a gap, not left out), and a bar's link
narrows the search: its period, kept inside the dates the search already has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from propscope.analyze.periods import first_day, last_day
from propscope.choices import Period

MAX_DAYS = 62  # up to two months of matches are drawn by day
MAX_MONTHS = 36  # up to three years by month; more by year


@dataclass(frozen=True, slots=True)
class Bar:
    period: str  # 2017, 2017-05 or 2017-05-03
    count: int
    since: str | None  # the search's dates when the bar is followed; None for an empty bar (nothing to narrow to)
    until: str | None


def choose_period(first: str, last: str) -> Period:
    """The finest bucket that keeps the bars few enough to read: by day up to MAX_DAYS, by month up to
    MAX_MONTHS, else by year."""
    start, end = dt.date.fromisoformat(first_day(first) or first), dt.date.fromisoformat(last_day(last) or last)
    if (end - start).days + 1 <= MAX_DAYS:
        return Period.DAY
    if (end.year - start.year) * 12 + end.month - start.month + 1 <= MAX_MONTHS:
        return Period.MONTH
    return Period.YEAR


def _periods(first: str, last: str, by: Period) -> list[str]:
    """Every period from the one holding `first` to the one holding `last`."""
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    if by is Period.YEAR:
        return [f"{y:04d}" for y in range(start.year, end.year + 1)]
    if by is Period.MONTH:
        months = range(start.year * 12 + start.month - 1, end.year * 12 + end.month)
        return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months]
    return [(start + dt.timedelta(days=i)).isoformat() for i in range((end - start).days + 1)]


def histogram(days: Sequence[tuple[str, int]], since: str | None = None, until: str | None = None) -> list[Bar]:
    """Bars from the matches' counts per date (YYYY-MM-DD; a shorter date counts in its own coarser period),
    for a search already bounded by `since` and `until` (as the user gave them)."""
    dated = [(d, n) for d, n in days if first_day(d)]
    if not dated:
        return []
    first = min(first_day(d) or d for d, _ in dated)
    last = max(last_day(d) or d for d, _ in dated)
    by = choose_period(first, last)
    counts: dict[str, int] = dict.fromkeys(_periods(first, last, by), 0)
    for day, n in dated:
        key = day[: by.width]
        counts[key] = counts.get(key, 0) + n
    low, high = (first_day(since) if since else None), (last_day(until) if until else None)
    bars = []
    for period in sorted(counts):
        n = counts[period]
        if not n:
            bars.append(Bar(period, 0, None, None))
            continue
        # the bar's own period, or the search's bound where that is narrower: a bar never widens the search
        start = since if low and low > (first_day(period) or period) else period
        end = until if high and high < (last_day(period) or period) else period
        bars.append(Bar(period, n, start, end))
    return bars


__all__ = ["Bar", "choose_period", "histogram"]
