"""Parse: a raw record becomes an Article with its structure (title, dateline, date, relay, genre,
furniture). Entities and the rest are added by the enrich steps, after this."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from propscope.characters import is_storable, storable
from propscope.gazetteer import place_spellings
from propscope.model import Article, RawRecord
from propscope.parse.dateline import find_dateline
from propscope.parse.dates import is_day, resolve_date
from propscope.parse.furniture import find_furniture
from propscope.parse.genre import classify_genre
from propscope.parse.relay import find_relayed_quote, find_relays
from propscope.parse.title import locate_title

__all__ = ["content_fingerprint", "parse_record"]


def content_fingerprint(text: str) -> str:
    """SHA-1 of the lower-cased, whitespace-collapsed text: equal for copies that differ only in spacing."""
    return hashlib.sha1(" ".join(text.split()).lower().encode("utf-8")).hexdigest()


_TEXT_FIELDS = ("origin", "text", "record_id", "source", "url", "lang", "date", "date_source", "date_raw")
REPAIRED = "lone surrogates or NUL replaced by U+FFFD"


def storable_record(record: RawRecord) -> RawRecord:
    """The record with what no store can hold (a lone surrogate, from a JSON "\\ud800"; NUL) replaced by U+FFFD,
    character for character, so offsets hold; a record so repaired says so in its meta ("repaired")."""
    changed: dict[str, Any] = {
        name: storable(value)
        for name in _TEXT_FIELDS
        if isinstance(value := getattr(record, name), str) and not is_storable(value)
    }
    if not changed and not _unstorable(record.meta):
        return record
    return replace(record, **changed, meta={**_repaired(record.meta), "repaired": REPAIRED})


def _unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return not is_storable(value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    return False


def _repaired(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {_repaired(k): _repaired(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_repaired(v) for v in value]
    return value


def parse_record(record: RawRecord, gazetteer_file: str | None = None) -> Article:
    """`gazetteer_file`: the user's names, whose place spellings normalise the dateline's place too."""
    record = storable_record(record)
    text = record.text
    title_start, title_end, body_start = locate_title(text, record.title_end)
    dateline = find_dateline(text, body_start)
    if dateline is not None and dateline.place:
        usual = place_spellings(gazetteer_file).get(dateline.place.lower())
        if usual and usual != dateline.place:
            dateline = replace(dateline, place=usual)
    lead_start = dateline.end if dateline else body_start
    relays = find_relays(text, lead_start, text[title_start:title_end])
    furniture = find_furniture(text, body_start)
    text_end = min((item.start for item in furniture), default=len(text))
    lead = text[lead_start : lead_start + 600]
    title = text[title_start:title_end].strip()
    date, date_source = resolve_date(dateline, record.date, record.date_source, record.url)
    article = Article(
        origin=record.origin,
        kind=record.kind,
        text=text,
        title=title,
        title_start=title_start,
        title_end=title_end,
        body_start=body_start,
        record_id=record.record_id,
        source=record.source,
        url=record.url,
        lang=record.lang,
        dateline=dateline,
        date=date,
        date_source=date_source,
        # a reader's date that is no day, or one a source (a collector, a page's metadata) gave as if it were
        date_raw=record.date_raw or (record.date if record.date and not is_day(record.date) else None),
        relayed_from=relays,
        genre=classify_genre(title, lead, relays),
        furniture=furniture,
        quotes=find_relayed_quote(text, lead_start, text_end, relays),
        meta=dict(record.meta),
    )
    article.content_sha1 = content_fingerprint(article.body)
    return article
