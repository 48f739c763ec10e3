"""Periods as the store writes them (2017, 2017-05, 2017-05-03: ISO-date prefixes) read back as spans of real
time, so that every chart's x axis is a time axis: a gap in the record is a gap on the axis. TimeAxis places a
period on it, and `breaks` / `broken` cut a line where a period is missing: the web's SVG charts and the
matplotlib files all draw time through these, so that none puts two distant periods side by side."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


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


@dataclass(frozen=True, slots=True)
class TimeAxis:
    """Real time from the start of the earliest period to the end of the latest: a period's place on it is
    proportional to the time passed, so a stretch without periods takes its own width."""

    start: dt.datetime
    end: dt.datetime

    @classmethod
    def over(cls, periods: Iterable[str]) -> TimeAxis:
        spans = [span(p) for p in periods]
        if not spans:
            raise ValueError("a time axis needs at least one period")
        return cls(
            dt.datetime.combine(min(s for s, _ in spans), dt.time()),
            dt.datetime.combine(max(e for _, e in spans), dt.time()),
        )

    def at(self, period: str) -> float:
        """Where the period's middle falls, from 0 (the axis' start) to 1 (its end)."""
        return (middle(period) - self.start) / (self.end - self.start)


def breaks(periods: Sequence[str]) -> list[bool]:
    """For each period (oldest first), whether a line must start afresh there: the first, and every one that
    does not follow the one before (a period missing between them)."""
    return [i == 0 or not follows(periods[i - 1], p) for i, p in enumerate(periods)]


def broken(periods: Sequence[str], values: Sequence[float]) -> tuple[list[dt.datetime], list[float]]:
    """A line's points for a plotting library that breaks a line at NaN: each period's middle and its value,
    with a NaN between two periods that do not follow each other, so no segment crosses the missing ones."""
    xs: list[dt.datetime] = []
    ys: list[float] = []
    for i, (period, value, fresh) in enumerate(zip(periods, values, breaks(periods), strict=True)):
        if fresh and i:
            xs.append(xs[-1] + (middle(period) - xs[-1]) / 2)
            ys.append(float("nan"))
        xs.append(middle(period))
        ys.append(value)
    return xs, ys


__all__ = ["TimeAxis", "breaks", "broken", "first_day", "follows", "last_day", "middle", "span"]
