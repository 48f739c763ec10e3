"""The archive: schema and migrations, idempotent writes, versions instead of overwrites, full text. Tests
marked `engines` run on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive
from propscope.errors import StoreError
from propscope.model import SearchFilters
from propscope.store.sqlite import SQLiteStore


def write(path: Path, records: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def first_column(archive: Archive, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """The reference answer, straight from SQL, that a search must equal."""
    return [row[0] for row in archive.store.conn.execute(sql, params)]


def check_text_index(archive: Archive) -> None:
    """SQLite's own check of its full-text index (PostgreSQL's GIN index needs none)."""
    if isinstance(archive.store, SQLiteStore):
        archive.store.conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")


RECORD = {
    "id": "k1",
    "source": "kcna",
    "date": "2010-03-04",
    "title": "Talks Held",
    "body": "Pyongyang, March 3 (KCNA) -- Talks were held between the DPRK and China.",
    "lang": "en",
}


def test_schema_is_versioned_and_readable_by_sqlite(db: str, tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", [RECORD])
    with Archive(db) as archive:
        archive.ingest([tmp_path / "a.jsonl"], workers=1)
        assert archive.store.schema_version() >= 1
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    row = conn.execute("SELECT title, date, year, genre, dateline_place FROM articles").fetchone()
    assert row == ("Talks Held", "2010-03-03", 2010, "news_report", "Pyongyang")
    countries = {r[0] for r in conn.execute("SELECT country FROM article_countries")}
    assert countries == {"CN", "KP"}
    assert conn.execute("SELECT name FROM countries WHERE code = 'KP'").fetchone() is not None
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'china'").fetchone()[0] == 1


@pytest.mark.engines
def test_new_text_for_a_known_record_is_a_new_version(db: str, tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", [RECORD])
    edited = {**RECORD, "body": RECORD["body"].replace("China", "Russia")}
    write(tmp_path / "b.jsonl", [edited])
    with Archive(db) as archive:
        first = archive.ingest([tmp_path / "a.jsonl"], workers=1)
        second = archive.ingest([tmp_path / "b.jsonl"], workers=1)
        again = archive.ingest([tmp_path / "b.jsonl"], workers=1)
        assert (first.added, second.new_versions, again.unchanged) == (1, 1, 1)
        assert archive.count("Russia") == 1 and archive.count("China") == 0
        old = archive.store.conn.execute("SELECT body FROM article_versions").fetchall()
        assert len(old) == 1 and "China" in old[0][0]
        (hit,) = archive.search("Russia", SearchFilters(countries=("RU",)))
        assert archive.store.raw_input(hit.id) == json.dumps(edited).encode() + b"\n"


def test_newer_schema_is_refused(db: str) -> None:
    Archive(db).close()
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer than this propscope"):
        Archive(db)


def test_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open the archive"):
        Archive(str(path))


def test_parallel_ingest_equals_serial(tmp_path: Path) -> None:
    records = [{**RECORD, "id": f"k{i}", "body": RECORD["body"] + f" Item {i}."} for i in range(700)]
    write(tmp_path / "many.jsonl", records)
    results = []
    for workers in (1, 2):
        db = str(tmp_path / f"w{workers}.sqlite")
        with Archive(db) as archive:
            result = archive.ingest([tmp_path / "many.jsonl"], workers=workers)
            rows = archive.store.conn.execute(
                "SELECT article_key, title, body, date, genre FROM articles ORDER BY article_key"
            ).fetchall()
            results.append((result, [tuple(r) for r in rows]))
    assert results[0] == results[1]
    assert results[0][0].added == 700


@pytest.mark.engines
def test_the_dateline_is_not_indexed(db: str, tmp_path: Path) -> None:
    second = {**RECORD, "id": "k2", "title": "City Hosts", "body": "Pyongyang, March 4 (KCNA) -- Pyongyang hosted."}
    write(tmp_path / "a.jsonl", [RECORD, second])
    with Archive(db) as archive:
        archive.ingest([tmp_path / "a.jsonl"], workers=1)
        assert [h.title for h in archive.search("Pyongyang")] == ["City Hosts"]
        assert archive.count("KCNA") == 0 and archive.count("March") == 0 and archive.count("talks") == 1
        (hit,) = archive.search("China")
        assert "[[China]]" in hit.snippet and "KCNA" not in hit.snippet
        check_text_index(archive)


@pytest.mark.parametrize("windows", [(3,), (3, 8), (1000,)])
def test_filtered_ranking_equals_the_full_ranking(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: tuple[int, ...]
) -> None:
    import propscope.store.sqlite as sqlite_store

    records = [
        {
            **RECORD,
            "id": f"r{i}",
            "date": f"{2000 + i % 5}-01-02",
            "title": f"Item {i}",
            "body": "Pyongyang, January 1 (KCNA) -- "
            + "nuclear " * (1 + i % 7)
            + ("Japan " if i % 3 else "China ")
            + "filler text " * (i % 11),
        }
        for i in range(60)
    ]
    write(tmp_path / "r.jsonl", records)
    with Archive(db) as archive:
        archive.ingest([tmp_path / "r.jsonl"], workers=1)
        filters = SearchFilters(countries=("JP",), since="2002")
        expected = [h.id for h in archive.search("nuclear", filters, limit=50)]  # the window covers everything
        monkeypatch.setattr(sqlite_store, "RANK_WINDOWS", windows)
        for offset in (0, 5):
            got = [h.id for h in archive.search("nuclear", filters, limit=5, offset=offset)]
            assert got == expected[offset : offset + 5]


@pytest.mark.engines
def test_reparse_brings_old_articles_up_to_date_in_place(db: str, tmp_path: Path) -> None:
    body = (
        "Pyongyang, March 3 (KCNA) -- The Socialist Party of Benin issued a statement supporting the DPRK's Songun "
        "politics and praising the Korean people for their struggle for reunification."
    )
    write(tmp_path / "a.jsonl", [{**RECORD, "body": body}])
    (tmp_path / "seed.txt").write_text("Title\n\n" + body, encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([tmp_path], workers=1)
        conn = archive.store.conn
        # As an older parser left them: no support events, an older parser version.
        conn.execute("DELETE FROM support_events")
        conn.execute("UPDATE articles SET parser_version = 1, genre = 'speech'")
        conn.commit()
        assert archive.reparse() == 2
        assert conn.execute("SELECT count(*) FROM support_events").fetchone()[0] == 2
        assert {r[0] for r in conn.execute("SELECT genre FROM articles")} == {"statement"}
        assert conn.execute("SELECT count(*) FROM article_versions").fetchone()[0] == 0
        assert archive.reparse() == 0  # nothing older left
        assert archive.reparse(everything=True) == 2
        assert archive.count("Benin", collapse=False) == 2 and archive.count("Benin") == 1  # one story, two files


@pytest.mark.engines
def test_date_sort_walks_the_date_index_and_keeps_undated_last(db: str, tmp_path: Path) -> None:
    records = [
        {
            "id": f"d{i}",
            "source": "kcna",
            "title": f"Item {i}",
            "date": None if i % 4 == 0 else f"20{10 + i % 9}-0{1 + i % 9}-0{1 + i % 8}",
            "body": ("nuclear talks " if i % 2 else "other news ") + f"number {i}.",
        }
        for i in range(40)
    ]
    write(tmp_path / "d.jsonl", records)
    with Archive(db) as archive:
        archive.ingest([tmp_path / "d.jsonl"], workers=1)
        store = archive.store
        match = store._text_arg("nuclear")
        expected = first_column(archive, f"SELECT a.id {store.d.text_from} ORDER BY {store.d.newest}", (match,))
        got = [h.id for h in archive.search("nuclear", limit=100, sort="date")]
        assert got == expected and len(got) == 20
        assert [h.id for h in archive.search("nuclear", limit=5, offset=5, sort="date")] == expected[5:10]
        filtered = [h.id for h in archive.search("nuclear", SearchFilters(since="2014"), limit=100, sort="date")]
        dates = [archive.article(i).date for i in filtered]
        assert all(d and d >= "2014" for d in dates) and dates == sorted(dates, reverse=True)


def test_genre_filtered_ranking_equals_the_join(db: str, tmp_path: Path) -> None:
    records = [
        {
            "id": f"g{i}",
            "source": "kcna",
            "date": f"20{10 + i % 5}-01-02",
            "title": "KCNA Commentary on Japan" if i % 3 == 0 else f"Report {i}",
            "body": "Pyongyang, January 1 (KCNA) -- " + "Japan " * (1 + i % 5) + "filler words " * (i % 7),
        }
        for i in range(45)
    ]
    write(tmp_path / "g.jsonl", records)
    with Archive(db) as archive:
        archive.ingest([tmp_path / "g.jsonl"], workers=1)
        expected = first_column(
            archive,
            "SELECT a.id, bm25(articles_fts) AS s FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            " WHERE articles_fts MATCH 'japan' AND a.genre = 'commentary' AND a.date >= '2011' ORDER BY s, a.id",
        )
        filters = SearchFilters(genres=("commentary",), since="2011")
        # these bodies are near copies of each other: ranking is checked over every copy
        got = [h.id for h in archive.search("Japan", filters, limit=100, collapse=False)]
        assert sorted(got) == sorted(expected) and len(got) == len(expected) > 5
        scores = [h.score for h in archive.search("Japan", filters, limit=100, collapse=False)]
        assert scores == sorted(scores)
        assert [h.id for h in archive.search("Japan", filters, limit=3, offset=2, collapse=False)] == got[2:5]


@pytest.mark.engines
def test_a_record_and_its_new_text_in_one_batch(db: str, tmp_path: Path) -> None:
    edited = {**RECORD, "body": RECORD["body"].replace("China", "Russia")}
    write(tmp_path / "both.jsonl", [RECORD, edited])
    with Archive(db) as archive:
        result = archive.ingest([tmp_path / "both.jsonl"], workers=1)
        assert (result.added, result.new_versions) == (1, 1)
        conn = archive.store.conn
        check_text_index(archive)
        assert archive.count("Russia") == 1 and archive.count("China") == 0
        assert {r[0] for r in conn.execute("SELECT country FROM article_countries")} == {"KP", "RU"}


def test_an_archive_of_an_older_propscope_is_upgraded_when_opened_to_read(tmp_path: Path) -> None:
    from propscope.store.engine import read_migrations

    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    for version, script in read_migrations("migrations")[:2]:  # what the first releases made
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
    conn.close()
    with Archive(str(path), readonly=True) as archive:
        assert archive.store.schema_version() == read_migrations("migrations")[-1][0]
        assert archive.search(None, SearchFilters(targets=("US",))) == []
    path.chmod(0o444)
    try:
        older = tmp_path / "older.sqlite"
        conn = sqlite3.connect(older)
        conn.executescript(f"BEGIN;\n{read_migrations('migrations')[0][1]}\nPRAGMA user_version = 1;\nCOMMIT;")
        conn.close()
        older.chmod(0o444)
        if older.stat().st_mode & 0o200 or __import__("os").geteuid() == 0:
            return  # root writes read-only files: the refusal cannot be shown here
        with pytest.raises(StoreError, match="older propscope"):
            Archive(str(older), readonly=True)
    finally:
        path.chmod(0o644)
