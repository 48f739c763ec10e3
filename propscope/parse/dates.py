"""The date of a dispatch: the dateline's day, with its year from whatever metadata knows one.

A dateline never invents a year: without metadata the date stays null and the dateline keeps month and day.
The index page a story is listed on can be a day later than its dateline, and a December dateline can be
listed in January: the year is taken from the metadata date nearest the dateline's day.
"""

from __future__ import annotations

import datetime as dt
import re

from propscope.model import Dateline

_URL_DATES = (
    re.compile(r"/item/(?P<y>\d{4})/\d{6}/news(?P<d>\d{2})/"),  # kcna.co.jp: /item/2006/200607/news15/
    re.compile(r"(?P<y>(?:19|20)\d{2})[-/](?P<m>\d{2})[-/](?P<d>\d{2})"),
    re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?!\d)"),
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_KCNA_CO_JP_MONTH = re.compile(r"/item/\d{4}/\d{4}(?P<m>\d{2})/")


def date_from_url(url: str | None) -> str | None:
    if not url:
        return None
    for pattern in _URL_DATES:
        match = pattern.search(url)
        if not match:
            continue
        groups = match.groupdict()
        month = groups.get("m")
        if month is None:
            month_match = _KCNA_CO_JP_MONTH.search(url)
            if not month_match:
                continue
            month = month_match.group("m")
        checked = _valid(int(groups["y"]), int(month), int(groups["d"]))
        if checked:
            return checked
    return None


def resolve_date(
    dateline: Dateline | None, meta_date: str | None, meta_source: str | None, url: str | None
) -> tuple[str | None, str | None]:
    """(date, date_source): date_source names what gave the year and the day. A metadata date that is no day
    (2024-13-45: see is_day) is not used."""
    known, known_source = (meta_date, meta_source) if is_day(meta_date) else (None, None)
    if known is None:
        known = date_from_url(url)
        known_source = "url" if known else None
    if dateline is not None and dateline.month and dateline.day:
        if dateline.year:
            resolved = _valid(dateline.year, dateline.month, dateline.day)
            if resolved:
                return resolved, "dateline"
        if known:
            anchor = dt.date.fromisoformat(known)
            candidates = [_valid(anchor.year + shift, dateline.month, dateline.day) for shift in (-1, 0, 1)]
            dated = [dt.date.fromisoformat(c) for c in candidates if c]
            if dated:
                nearest = min(dated, key=lambda day: abs((day - anchor).days))
                if abs((nearest - anchor).days) <= 45:
                    return nearest.isoformat(), f"dateline+{known_source}"
    if known:
        return known, known_source
    return None, None


def is_day(date: str | None) -> bool:
    """Whether `date` is a real day written YYYY-MM-DD (the form every reader gives a metadata date in)."""
    if not date or not _DAY.fullmatch(date):
        return False
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        return False
    return True


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None
