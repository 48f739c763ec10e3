"""Articles to rows and back: the one place that knows how an Article is laid out in a store."""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any, NamedTuple

from propscope.model import (
    PARSER_VERSION,
    Article,
    Dateline,
    Entity,
    Epithet,
    Furniture,
    Quote,
    Relay,
    SupportEvent,
    Technique,
)

# The articles columns a parse fills, in the order of Prepared.values.
ARTICLE_COLUMNS = (
    "origin",
    "input_kind",
    "record_id",
    "source",
    "url",
    "lang",
    "title",
    "body",
    "text",
    "date",
    "date_source",
    "genre",
    "dateline_place",
    "dateline_month",
    "dateline_day",
    "dateline_year",
    "dateline_agency",
    "content_sha1",
    "search_from",
    "parser_version",
    "annotations",
)


class Prepared(NamedTuple):
    """An article as rows, made where it was parsed: plain values pickle ~10x faster than the Article's
    objects, and the process that writes has nothing left to compute."""

    key: str
    values: tuple[Any, ...]
    content_sha1: str
    entities: list[tuple[str, str, str | None, int, int]]
    countries: list[str]
    persons: list[str]
    outlets: list[tuple[str, str]]
    support_events: list[tuple[Any, ...]]
    techniques: list[tuple[str, int, float]]
    epithets: list[tuple[str, str, int]]
    hostility: list[tuple[str, float]]
    raw_sha1: str
    raw_zlib: bytes
    kind: str
    origin: str
    record_id: str | None
    # Duplicate detection (enrich/duplicates.py), filled for a whole batch at once where it is parsed.
    content_key: int = 0  # 0: no words
    signature: bytes | None = None
    band_keys: tuple[int, ...] = ()


def prepare(article: Article, raw: bytes) -> Prepared:
    d = article.dateline
    values = (
        article.origin,
        article.kind,
        article.record_id,
        article.source,
        article.url,
        article.lang,
        article.title,
        article.body,
        stored_text(article),
        article.date,
        article.date_source,
        article.genre,
        d.place if d else None,
        d.month if d else None,
        d.day if d else None,
        d.year if d else None,
        d.agency if d else None,
        article.content_sha1,
        search_from(article),
        PARSER_VERSION,
        annotations_json(article),
    )
    return Prepared(
        article_key(article),
        values,
        article.content_sha1,
        distinct_entities(article),
        list(article.countries),
        list(article.persons),
        list(dict.fromkeys((r.outlet, r.form) for r in article.relayed_from)),
        [(e.actor, e.actor_type, e.country, e.action, e.place, e.date, e.start, e.end) for e in article.support_events],
        technique_summary(article),
        epithet_summary(article),
        sorted(article.hostility.items()),
        raw_digest(raw),
        compress(raw),
        article.kind,
        article.origin,
        article.record_id,
    )


def technique_summary(article: Article) -> list[tuple[str, int, float]]:
    """(technique, spans, best score) per technique: what filters and trends query."""
    summary: dict[str, tuple[int, float]] = {}
    for t in article.techniques:
        spans, best = summary.get(t.technique, (0, 0.0))
        summary[t.technique] = (spans + 1, max(best, t.score))
    return [(name, spans, round(best, 4)) for name, (spans, best) in sorted(summary.items())]


def epithet_summary(article: Article) -> list[tuple[str, str, int]]:
    """(kind, target or '', spans) per kind and target."""
    summary: dict[tuple[str, str], int] = {}
    for e in article.epithets:
        key = (e.kind, e.target_country or "")
        summary[key] = summary.get(key, 0) + 1
    return [(kind, target, spans) for (kind, target), spans in sorted(summary.items())]


def article_key(article: Article) -> str:
    """What makes two ingests the same article: the record's id in its source, else its URL, else its file."""
    if article.record_id:
        return f"{article.source or 'record'}:{article.record_id}"
    if article.url:
        return f"url:{article.url}"
    line = article.meta.get("line")
    return f"file:{article.origin}" + (f"#{line}" if line else "")


def raw_digest(raw: bytes) -> str:
    return hashlib.sha1(raw).hexdigest()


def compress(raw: bytes) -> bytes:
    return zlib.compress(raw, 1)  # raw inputs are read back rarely: speed over size


def decompress(blob: bytes | None) -> bytes:
    return zlib.decompress(blob) if blob else b""


def stored_text(article: Article) -> str | None:
    """NULL when the text can be rebuilt from title and body (most records): halves the archive's size."""
    return None if rebuilt_text(article.title, article.body) == article.text else article.text


def rebuilt_text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if body else title


def annotations_json(article: Article) -> str:
    d = article.dateline
    return json.dumps(
        {
            "title": [article.title_start, article.title_end],
            "body_start": article.body_start,
            "dateline": [d.start, d.end] if d else None,
            "relays": [[r.outlet, r.form, r.start, r.end] for r in article.relayed_from],
            "furniture": [[f.kind, f.start, f.end] for f in article.furniture],
            "quotes": [[q.kind, q.start, q.end] for q in article.quotes],
            "entities": [
                [e.start, e.end, e.type, e.canonical, e.country, e.confidence, e.source] for e in article.entities
            ],
            "techniques": [[t.start, t.end, t.technique, t.score] for t in article.techniques],
            "epithets": [[e.start, e.end, e.target_country, e.kind] for e in article.epithets],
            "hostility": article.hostility,
            "kind": article.kind,
            "meta": article.meta,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def search_from(article: Article) -> int:
    """How much of the body the full-text index skips: a dateline on the body's first line."""
    d = article.dateline
    if d is None or "\n" in article.text[article.body_start : d.start]:
        return 0
    return d.end - article.body_start


def distinct_entities(article: Article) -> list[tuple[str, str, str | None, int, int]]:
    """(type, canonical, country, mentions, first_start) per distinct entity: the queryable summary."""
    summary: dict[tuple[str, str], list[Any]] = {}
    for e in article.entities:
        key = (e.type, e.canonical)
        if key in summary:
            summary[key][3] += 1
        else:
            summary[key] = [e.type, e.canonical, e.country, 1, e.start]
    return [(v[0], v[1], v[2], v[3], v[4]) for v in summary.values()]


def article_from_row(
    row: dict[str, Any], countries: list[str], persons: list[str], events: list[dict[str, Any]] | None = None
) -> Article:
    notes = json.loads(row["annotations"])
    text = row["text"] if row["text"] is not None else rebuilt_text(row["title"], row["body"])
    dateline = None
    if notes.get("dateline"):
        start, end = notes["dateline"]
        dateline = Dateline(
            row["dateline_place"],
            row["dateline_month"],
            row["dateline_day"],
            row["dateline_year"],
            row["dateline_agency"],
            start,
            end,
        )
    entities = [Entity(*e) for e in notes.get("entities", [])]
    article = Article(
        origin=row["origin"],
        kind=notes.get("kind", row["input_kind"]),
        text=text,
        title=row["title"],
        title_start=notes["title"][0],
        title_end=notes["title"][1],
        body_start=notes["body_start"],
        record_id=row["record_id"],
        source=row["source"],
        url=row["url"],
        lang=row["lang"],
        dateline=dateline,
        date=row["date"],
        date_source=row["date_source"],
        relayed_from=[Relay(*r) for r in notes.get("relays", [])],
        genre=row["genre"],
        furniture=[Furniture(*f) for f in notes.get("furniture", [])],
        quotes=[Quote(*q) for q in notes.get("quotes", [])],
        entities=entities,
        countries=countries,
        persons=persons,
        content_sha1=row["content_sha1"],
        meta=notes.get("meta", {}),
        support_events=[SupportEvent(**e) for e in events or []],
        foreign_support=bool(events),
        techniques=[Technique(*t) for t in notes.get("techniques", [])],
        epithets=[
            Epithet(start, end, text[start:end], target, kind) for start, end, target, kind in notes.get("epithets", [])
        ],
        hostility=notes.get("hostility", {}),
        _body=row["body"],
    )
    return article
