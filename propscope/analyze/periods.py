"""Periods as the store writes them (2017, 2017-05, 2017-05-03: ISO-date prefixes) read back as spans of real
time, so that every chart's x axis is a time axis: a gap in the record is a gap on the axis."""

from __future__ import annotations

import calendar
import datetime as dt


def _parse(value: str) -> tuple[int, int, int] | None:
    """(year, month, day) of YYYY, YYYY-MM or YYYY-MM-DD; month and day 0 where not given."""
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or len(parts[0]) != 4 or not all(p.isdigit() for p in parts):
        return None
    year, month, day = ([int(p) for p in parts] + [0, 0])[:3]
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    return year, month, day


def first_day(value: str) -> str | None:
    """The first day a period takes in: 2017 -> 2017-01-01 (None for what is no date)."""
    parsed = _parse(value)
    if parsed is None:
        return None
    year, month, day = parsed
    return f"{year:04d}-{month or 1:02d}-{day or 1:02d}"


def last_day(value: str) -> str | None:
    """The last day a period takes in: 2017 -> 2017-12-31, 2016-02 -> 2016-02-29."""
    parsed = _parse(value)
    if parsed is None:
        return None
    year, month, day = parsed
    month = month or 12
    return f"{year:04d}-{month:02d}-{day or calendar.monthrange(year, month)[1]:02d}"


def span(period: str) -> tuple[dt.date, dt.date]:
    """The first and the day after the last day of a period (raises ValueError for what is no period)."""
    first, last = first_day(period), last_day(period)
    if first is None or last is None:
        raise ValueError(f"not a period: {period!r}")
    return dt.date.fromisoformat(first), dt.date.fromisoformat(last) + dt.timedelta(days=1)


def middle(period: str) -> dt.datetime:
    """The period's middle, where its point or bar is drawn."""
    start, end = span(period)
    return dt.datetime.combine(start, dt.time()) + (end - start) / 2


def follows(earlier: str, later: str) -> bool:
    """Whether `later` is the period right after `earlier` (no period missing between them)."""
    return span(earlier)[1] == span(later)[0]


__all__ = ["first_day", "follows", "last_day", "middle", "span"]
