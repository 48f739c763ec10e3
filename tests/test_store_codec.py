"""store/codec.py: annotations are keyed by name and versioned; an archive written with version 1's
positional rows (what propscope wrote before issue 15) reads back the same Articles after migration 0008."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive
from propscope.enrich import PARSE_STEPS
from propscope.model import SPAN_LAYER, Article, Entity, Epithet
from propscope.store.codec import annotations_json, spans_from_notes
from tests.conftest import EXAMPLES


def v1_annotations(article: Article) -> str:
    """The annotations exactly as the codec wrote them before version 2 (positional rows)."""
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


def as_of_version_7(article: Article) -> Article:
    """What a version 7 archive knew of an article: no stance; every supporter foreign, its own canonical
    form (what 0009 gives old rows until `propscope reparse`)."""
    events = [replace(e, role="foreign", canonical=e.actor) for e in article.support_events]
    return replace(
        article,
        support_events=events,
        foreign_support=bool(events),
        compatriot_support=False,
        stance={},
        stance_evidence=[],
    )


def _ingest_examples(db: str, tmp_path: Path) -> list[Article]:
    first = tmp_path / "first.jsonl"
    later = tmp_path / "later.jsonl"
    record = {"id": "v1", "source": "kcna", "title": "Greetings", "body": "Pyongyang, May 2 (KCNA) -- Thanks."}
    first.write_text(json.dumps(record) + "\n", encoding="utf-8")
    later.write_text(json.dumps({**record, "body": record["body"] + " U.S. imperialists."}) + "\n", encoding="utf-8")
    inputs = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".jsonl", ".html"))
    with Archive(db) as archive:
        archive.ingest([first, *inputs], workers=1, steps=PARSE_STEPS)
        archive.ingest([later], workers=1, steps=PARSE_STEPS)  # a new version: article_versions gets a row
    return _read_all(db)


def _read_all(db: str) -> list[Article]:
    raw = _Raw(db)
    try:
        ids = [r[0] for r in raw.rows("SELECT id FROM articles ORDER BY id")]
    finally:
        raw.close()
    with Archive(db) as archive:
        return [archive.article(i) for i in ids]


class _Raw:
    """The archive's own database, opened past propscope (the store's classes are not what is tested)."""

    def __init__(self, db: str) -> None:
        self.postgres = db.startswith("postgresql")
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(db, autocommit=True)
        else:
            self.conn = sqlite3.connect(db, isolation_level=None)
        self.mark = "%s" if self.postgres else "?"

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return list(self.conn.execute(sql).fetchall())

    def set(self, table: str, annotations: str, article_id: int) -> None:
        key = "id" if table == "articles" else "article_id"
        sql = f"UPDATE {table} SET annotations = {self.mark} WHERE {key} = {self.mark}"
        self.conn.execute(sql, (annotations, article_id))

    def back_to_version_7(self) -> None:
        """The schema as version 7 left it: 0009's roles and stance table, 0010's links_pending, 0011's
        leadership tables, 0012's mail columns and 0013's seen times undone too."""
        for column in ("email", "mailed_up_to"):
            self.conn.execute(f"ALTER TABLE saved_searches DROP COLUMN {column}")
        for table in ("articles", "article_versions"):
            self.conn.execute(f"ALTER TABLE {table} DROP COLUMN seen_at")
        for table in ("appearance_people", "appearances", "official_mentions"):
            self.conn.execute(f"DROP TABLE {table}")
        self.conn.execute("DROP TABLE links_pending")
        self.conn.execute("DROP TABLE article_stance")
        self.conn.execute("DROP INDEX support_events_by_role")
        for column in ("role", "canonical"):
            self.conn.execute(f"ALTER TABLE support_events DROP COLUMN {column}")
        if self.postgres:
            self.conn.execute("DELETE FROM propscope_schema WHERE version >= 8")
        else:
            self.conn.execute("PRAGMA user_version = 7")

    def close(self) -> None:
        self.conn.close()


@pytest.mark.engines
def test_an_archive_of_positional_annotations_reads_back_the_same_after_migration(db: str, tmp_path: Path) -> None:
    before = _ingest_examples(db, tmp_path)
    assert any(a.entities for a in before) and any(a.epithets for a in before) and any(a.techniques for a in before)
    assert any(a.relayed_from for a in before) and any(a.furniture for a in before) and any(a.quotes for a in before)
    raw = _Raw(db)
    try:
        ids = sorted(r[0] for r in raw.rows("SELECT id FROM articles"))
        assert raw.rows("SELECT count(*) FROM article_versions")[0][0] >= 1
        for article_id, article in zip(ids, before, strict=True):
            raw.set("articles", v1_annotations(article), article_id)
            raw.set("article_versions", v1_annotations(article), article_id)
        raw.back_to_version_7()
        assert all("fields" not in r[0] for r in raw.rows("SELECT annotations FROM articles"))
    finally:
        raw.close()
    after = _read_all(db)
    before = [as_of_version_7(a) for a in before]
    assert after == before
    assert [a.to_dict(include_text=True) for a in after] == [a.to_dict(include_text=True) for a in before]
    raw = _Raw(db)
    try:
        for table in ("articles", "article_versions"):
            assert all(json.loads(r[0])["v"] == 2 for r in raw.rows(f"SELECT annotations FROM {table}"))
    finally:
        raw.close()


def test_a_span_field_the_archive_lacks_takes_its_default_and_an_unknown_one_is_ignored() -> None:
    block = {"fields": ["end", "start", "novel", "type", "canonical"], "rows": [[9, 4, "x", "person", "Kim Jong Un"]]}
    assert spans_from_notes(SPAN_LAYER["entities"], block, "") == [Entity(4, 9, "person", "Kim Jong Un")]
    text = "Down with U.S. imperialists"
    epithets = {"fields": ["start", "end", "target_country", "kind"], "rows": [[10, 27, "US", "hostile"]]}
    assert spans_from_notes(SPAN_LAYER["epithets"], epithets, text) == [
        Epithet(10, 27, "U.S. imperialists", "US", "hostile")
    ]


def test_annotations_name_their_version_and_fields() -> None:
    article = Article("t", "text", "Title\n\nKim Jong Un", "Title", 0, 5, 7)
    article = replace(article, entities=[Entity(7, 18, "person", "Kim Jong Un")])
    notes = json.loads(annotations_json(article))
    assert notes["v"] == 2 and notes["title_end"] == 5 and "quotes" not in notes
    assert notes["entities"] == {
        "fields": ["start", "end", "type", "canonical", "country", "confidence", "source"],
        "rows": [[7, 18, "person", "Kim Jong Un", None, 1.0, "gazetteer"]],
    }
