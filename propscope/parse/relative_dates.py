"""Relative dates ("last March", "on Monday", "yesterday", "this year") resolved against the dispatch's date.

KCNA dates events relative to the dispatch ("held in Mexico City last March"); an analyst wants the month.
Without a known dispatch date nothing is resolved: no year is ever invented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from propscope.parse.dateline import MONTHS

_ENGLISH_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EXPRESSION = re.compile(
    rf"\b(?:(?P<last_month>last|this|early|late|mid-?)\s+(?P<month_a>{_ENGLISH_MONTHS})"
    rf"|(?:on\s+)?(?P<weekday>{'|'.join(_WEEKDAYS)})"
    rf"|(?P<relative_day>yesterday|today|the\s+day\s+before\s+yesterday)"
    rf"|(?P<relative_year>(?:this|last|next)\s+year)"
    rf"|(?:on\s+)?(?P<month_b>{_ENGLISH_MONTHS})\s+(?P<day>\d{{1,2}})(?!\d)(?!,?\s+\d{{4}})"
    rf"|(?:in\s+)(?P<month_c>{_ENGLISH_MONTHS})(?!\s+\d))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class TimeExpression:
    start: int
    end: int
    date: str  # YYYY-MM-DD, YYYY-MM or YYYY


def resolve_relative_dates(text: str, start: int, end: int, dispatch_date: str | None) -> list[TimeExpression]:
    """Every relative date in text[start:end] that the dispatch date resolves."""
    if not dispatch_date:
        return []
    anchor = dt.date.fromisoformat(dispatch_date)
    found: list[TimeExpression] = []
    for match in _EXPRESSION.finditer(text, start, end):
        resolved = _resolve(match, anchor)
        if resolved:
            found.append(TimeExpression(match.start(), match.end(), resolved))
    return found


def _resolve(match: re.Match[str], anchor: dt.date) -> str | None:
    groups = match.groupdict()
    if groups["month_a"]:
        month = MONTHS[groups["month_a"].lower()]
        if groups["last_month"].lower() == "last":
            year = anchor.year if month < anchor.month else anchor.year - 1
        else:
            year = anchor.year
        return f"{year:04d}-{month:02d}"
    if groups["weekday"]:
        # "on Monday" in a dispatch is the most recent such day, at most six days back (or the day itself).
        back = (anchor.weekday() - _WEEKDAYS.index(groups["weekday"].lower())) % 7
        return (anchor - dt.timedelta(days=back)).isoformat()
    if groups["relative_day"]:
        word = groups["relative_day"].lower()
        back = 0 if word == "today" else 1 if word == "yesterday" else 2
        return (anchor - dt.timedelta(days=back)).isoformat()
    if groups["relative_year"]:
        shift = {"this": 0, "last": -1, "next": 1}[groups["relative_year"].split()[0].lower()]
        return f"{anchor.year + shift:04d}"
    month_name = groups["month_b"] or groups["month_c"]
    if month_name:
        month = MONTHS[month_name.lower()]
        # A month after the dispatch's month (by more than one) is last year's: dispatches report the past.
        year = anchor.year if month <= anchor.month + 1 else anchor.year - 1
        if groups["day"]:
            try:
                return dt.date(year, month, int(groups["day"])).isoformat()
            except ValueError:
                return None
        return f"{year:04d}-{month:02d}"
    return None
