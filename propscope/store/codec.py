"""Articles to rows and back: the one place that knows how an Article is laid out in a store."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable
from dataclasses import fields
from typing import Any, NamedTuple

from propscope.errors import StoreError
from propscope.model import (
    PARSER_VERSION,
    SPAN_LAYER,
    SPAN_LAYERS,
    Article,
    Dateline,
    OfficialMention,
    SpanLayer,
    SupportEvent,
)

# articles.annotations is keyed JSON: {"v": 2, "title_start": .., "entities": {"fields": [..], "rows": [..]}, ..}.
# Each stored layer names its fields once and then lists one row per span: as cheap to write and read as
# positions, but read back by name (migration 0008 brought version 1's positional rows to this form).
ANNOTATIONS_VERSION = 2
ANNOTATED_LAYERS = tuple(layer for layer in SPAN_LAYERS if layer.storage == "annotations")
_SUPPORT_ROW = SPAN_LAYER["support_events"].row
SUPPORT_FIELDS = SPAN_LAYER["support_events"].fields  # support_events' columns, in the layer's order
_OFFICIAL_ROW = SPAN_LAYER["officials"].row
OFFICIAL_FIELDS = SPAN_LAYER["officials"].fields  # official_mentions' columns read back, in the layer's order
# The columns the leadership tables get from an Article (each after article_id): the officials layer and the
# name as written; each appearance (seq: its index) with the date it counts under; its people, in order.
OFFICIAL_COLUMNS = (*OFFICIAL_FIELDS, "written")
APPEARANCE_COLUMNS = ("seq", "leader", "kind", "place", "event_date", "date", "start", "end")
APPEARANCE_PEOPLE_COLUMNS = ("seq", "person", "relation", "position")

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
    stance: list[tuple[str, str]]
    officials: list[tuple[Any, ...]]  # OFFICIAL_COLUMNS
    appearances: list[tuple[Any, ...]]  # APPEARANCE_COLUMNS
    appearance_people: list[tuple[Any, ...]]  # APPEARANCE_PEOPLE_COLUMNS
    raw_sha1: str
    raw_zlib: bytes
    kind: str
    origin: str
    record_id: str | None
    # Duplicate detection (enrich/duplicates.py), filled for a whole batch at once where it is parsed.
    content_key: int = 0  # 0: no words
    signature: bytes | None = None
    band_keys: tuple[int, ...] = ()
    seen_at: str | None = None  # when the source saw the text (RawRecord.seen_at); None: at ingest


def prepare(article: Article, raw: bytes, seen_at: str | None = None) -> Prepared:
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
        [_SUPPORT_ROW(e) for e in article.support_events],
        technique_summary(article),
        epithet_summary(article),
        sorted(article.hostility.items()),
        sorted(article.stance.items()),
        [(*_OFFICIAL_ROW(o), article.text[o.start : o.end]) for o in article.officials],
        appearance_rows(article),
        appearance_people(article),
        raw_digest(raw),
        compress(raw),
        article.kind,
        article.origin,
        article.record_id,
        seen_at=seen_at,
    )


def appearance_rows(article: Article) -> list[tuple[Any, ...]]:
    """APPEARANCE_COLUMNS per appearance: the date counted is the event's, else the article's."""
    return [
        (seq, a.leader, a.kind, a.place, a.event_date, a.event_date or article.date, a.start, a.end)
        for seq, a in enumerate(article.appearances)
    ]


def appearance_people(article: Article) -> list[tuple[Any, ...]]:
    """APPEARANCE_PEOPLE_COLUMNS: who accompanied and who greeted each appearance, in the text's order (a
    name given twice in one list counts once)."""
    rows: list[tuple[Any, ...]] = []
    for seq, a in enumerate(article.appearances):
        for relation, names in (("accompanied", a.accompanied_by), ("greeted", a.greeted_by)):
            for position, person in enumerate(dict.fromkeys(names), 1):
                rows.append((seq, person, relation, position))
    return rows


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
    notes: dict[str, Any] = {
        "v": ANNOTATIONS_VERSION,
        "title_start": article.title_start,
        "title_end": article.title_end,
        "body_start": article.body_start,
        "dateline": {"start": d.start, "end": d.end} if d else None,
    }
    for layer in ANNOTATED_LAYERS:
        spans = getattr(article, layer.name)
        if spans:  # an empty layer is left out: most articles have no quotes, techniques or epithets
            notes[layer.name] = {"fields": layer.fields, "rows": [layer.row(s) for s in spans]}
    if article.hostility:
        notes["hostility"] = article.hostility
    if article.stance:
        notes["stance"] = article.stance
    if article.date_raw:  # a date the input gave that is no day: rare, so a note, not a column
        notes["date_raw"] = article.date_raw
    if article.meta:
        notes["meta"] = article.meta
    return json.dumps(notes, ensure_ascii=False, separators=(",", ":"), default=str)


def _tuple_fields(layer: SpanLayer) -> frozenset[str]:
    """The layer's fields typed as tuples (Appearance.accompanied_by): JSON writes them as lists, so reading
    turns them back, or the span would neither hash nor compare equal to the one written."""
    return frozenset(f.name for f in fields(layer.type) if str(f.type).startswith("tuple"))  # type: ignore[arg-type]


_TUPLE_FIELDS = {layer.name: _tuple_fields(layer) for layer in ANNOTATED_LAYERS}


def _as_tuples(names: list[str], rows: list[list[Any]], wanted: frozenset[str]) -> list[list[Any]]:
    at = [i for i, name in enumerate(names) if name in wanted]
    if not at:
        return rows
    out = []
    for row in rows:
        row = list(row)
        for i in at:
            if row[i] is not None:
                row[i] = tuple(row[i])
        out.append(row)
    return out


def spans_from_notes(layer: SpanLayer, block: dict[str, Any] | None, text: str) -> list[Any]:
    """A layer's spans from its keyed block: by name, so a field the archive lacks takes its default and one
    this propscope no longer has is ignored."""
    if not block:
        return []
    names, rows = block["fields"], block["rows"]
    tuples = _TUPLE_FIELDS.get(layer.name)
    if tuples:
        rows = _as_tuples(names, rows, tuples)
    make: Callable[..., Any] = layer.type  # a dataclass of `layer.fields`
    if tuple(names) == layer.fields:  # as this propscope writes them: by position, the fast way
        at = layer.text_index
        if at < 0:
            return [make(*row) for row in rows]
        start, end = layer.fields.index("start"), layer.fields.index("end")
        return [make(*row[:at], text[row[start] : row[end]], *row[at:]) for row in rows]
    wanted = [(i, name) for i, name in enumerate(names) if name in layer.fields]
    spans = []
    for row in rows:
        values = {name: row[i] for i, name in wanted}
        if layer.text_field:
            values["text"] = text[values["start"] : values["end"]]
        spans.append(make(**values))
    return spans


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
    row: dict[str, Any],
    countries: list[str],
    persons: list[str],
    events: list[dict[str, Any]] | None = None,
    officials: list[dict[str, Any]] | None = None,
) -> Article:
    notes = json.loads(row["annotations"])
    if notes.get("v") != ANNOTATIONS_VERSION:
        raise StoreError(
            f"article {row.get('id')}: annotations of version {notes.get('v')!r}, not {ANNOTATIONS_VERSION}"
        )
    text = row["text"] if row["text"] is not None else rebuilt_text(row["title"], row["body"])
    dateline = None
    if notes.get("dateline"):
        dateline = Dateline(
            row["dateline_place"],
            row["dateline_month"],
            row["dateline_day"],
            row["dateline_year"],
            row["dateline_agency"],
            notes["dateline"]["start"],
            notes["dateline"]["end"],
        )
    layers = {layer.name: spans_from_notes(layer, notes.get(layer.name), text) for layer in ANNOTATED_LAYERS}
    return Article(
        origin=row["origin"],
        kind=row["input_kind"],
        text=text,
        title=row["title"],
        title_start=notes["title_start"],
        title_end=notes["title_end"],
        body_start=notes["body_start"],
        record_id=row["record_id"],
        source=row["source"],
        url=row["url"],
        lang=row["lang"],
        dateline=dateline,
        date=row["date"],
        date_source=row["date_source"],
        date_raw=notes.get("date_raw"),
        genre=row["genre"],
        countries=countries,
        persons=persons,
        content_sha1=row["content_sha1"],
        meta=notes.get("meta") or {},
        support_events=[SupportEvent(**e) for e in events or []],
        foreign_support=any(e["role"] == "foreign" for e in events or []),
        compatriot_support=any(e["role"] == "compatriot" for e in events or []),
        officials=[OfficialMention(**o) for o in officials or []],
        stance=notes.get("stance") or {},
        hostility=notes.get("hostility") or {},
        _body=row["body"],
        **layers,
    )
