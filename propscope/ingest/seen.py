"""When the source saw a record's text: the time that orders an article's versions.

Scrapers and archives stamp what they saw (`first_seen` in the Rodong Sinmun dumps, `seen_at`, a crawler's
`fetched_at`); a daily archive names its snapshot file by the day (`provenance.path` =
`data/archive/headlines_2024-08-04.json`). Ingest order says nothing: an archive's earlier versions are often
ingested after its latest texts. Every time is given as ISO 8601 UTC to the second, the form the store writes
its own stamps in, so that times compare as text on both engines.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

# The record's own fields, most specific first: the first sight of the text, a sighting, a fetch.
SEEN_FIELDS = ("first_seen", "seen_at", "fetched_at", "scraped_at", "crawled_at", "retrieved_at")
_SNAPSHOT_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_EARLIEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC)  # before the web: a placeholder, not a sighting


def utc_stamp(moment: dt.datetime) -> str:
    """A moment as the store writes times: ISO 8601, UTC, to the second."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def seen_time(record: Mapping[str, Any], now: dt.datetime | None = None) -> str | None:
    """The time the record's source saw its text, or None (the ingest time then stands in).

    A field that holds no time, or a time after `now` (a clock gone wrong would make a text the latest for
    ever) or before 1990, is no sighting and is passed over."""
    latest = now or dt.datetime.now(dt.UTC)
    for name in SEEN_FIELDS:
        moment = _moment(record.get(name))
        if moment is not None and _EARLIEST <= moment <= latest:
            return utc_stamp(moment)
    moment = _snapshot_day(record.get("provenance"))
    if moment is not None and _EARLIEST <= moment <= latest:
        return utc_stamp(moment)
    return None


def _moment(value: Any) -> dt.datetime | None:
    """An ISO 8601 date or time (a time without a zone is UTC), or epoch seconds or milliseconds."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or len(value) > 64:
        return None
    text = value.strip()
    try:
        moment = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _snapshot_day(provenance: Any) -> dt.datetime | None:
    """The day the name of a dated snapshot file gives, as its midnight UTC."""
    path = provenance.get("path") if isinstance(provenance, Mapping) else None
    if not isinstance(path, str):
        return None
    name = path.rsplit("/", 1)[-1]
    match = _SNAPSHOT_DAY.search(name)
    if match is None:
        return None
    year, month, day = map(int, match.groups())
    try:
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        return None
