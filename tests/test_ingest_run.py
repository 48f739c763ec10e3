"""ingest/run.py and ingest/hooks.py: records in from memory make the archive a file of them makes; the
after-ingest hooks (translations, alerts) run by default and not when left out."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from propscope import alerts
from propscope.archive import Archive
from propscope.ingest.hooks import link_languages_hook
from propscope.ingest.jsonl import parse_record_line
from propscope.ingest.run import BATCH_SIZE
from propscope.model import RawRecord
from tests import pgserver
from tests.test_analyze_languages import PAIRS

WORDS = "party army people socialist Juche friendship delegation seminar solidarity harvest railway".split()


def record_lines(count: int) -> list[str]:
    """The translation pairs, then `count` more: enough for more than one batch, so workers parse some."""
    pairs = [
        {"id": f"p{i}", "source": "kcna", "lang": lang, "date": date, "title": title, "body": body}
        for i, (lang, date, title, body) in enumerate(PAIRS)
    ]
    more = [
        {
            "id": f"r{i}",
            "source": "kcna",
            "date": f"2011-0{1 + i % 9}-1{i % 10}",
            "title": f"Dispatch {i}",
            "body": f"Pyongyang, May {1 + i % 28} (KCNA) -- "
            + " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(30))
            + ". The US imperialists were denounced.",
        }
        for i in range(count)
    ]
    return [json.dumps(r) + "\n" for r in pairs + more]


@pytest.fixture
def second_db(db: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Another empty archive on the engine `db` is on."""
    if not db.startswith("postgresql"):
        yield str(tmp_path / "second.sqlite")
        return
    server: pgserver.PgServer = request.getfixturevalue("pg_server")
    name = f"propscope_second_{os.getpid()}"
    yield pgserver.new_database(server.url, name)
    pgserver.drop_database(server.url, name)


def contents(db: str) -> dict[int, tuple[Any, ...]]:
    """Every article as read back, with its translations."""
    with Archive(db, readonly=True) as archive:
        hits = archive.search(None, limit=10_000, collapse=False)
        return {h.id: (archive.article(h.id), [t["id"] for t in archive.store.translations(h.id)]) for h in hits}


@pytest.mark.engines
def test_records_from_memory_make_the_archive_a_file_of_them_makes(db: str, second_db: str, tmp_path: Path) -> None:
    lines = record_lines(BATCH_SIZE + 40)
    source = tmp_path / "records.jsonl"
    source.write_text("".join(lines), encoding="utf-8")
    with Archive(db) as archive:
        from_file = archive.ingest([source], workers=1)
    records = [parse_record_line(line.encode("utf-8"), str(source), n) for n, line in enumerate(lines, 1)]
    assert all(isinstance(r, RawRecord) for r in records)
    with Archive(second_db) as archive:
        from_memory = archive.ingest_records(records, inputs=[str(source)], workers=2)
    assert from_memory == from_file and from_file.added == len(lines)
    in_file, in_memory = contents(db), contents(second_db)
    assert in_memory == in_file and len(in_file) == len(lines)
    assert [t for _, t in in_file.values()].count([]) == len(lines) - 2  # one pair linked, both ways


def test_hooks_link_translations_and_send_alerts_unless_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    posted: list[str] = []

    def post(url: str, body: object, **_: object) -> int:
        posted.append(url)
        return 204

    monkeypatch.setattr(alerts, "post_json", post)  # the delivery itself (guarded) is tests/test_alerts.py's
    lines = record_lines(3)
    for db, after, links, posts in (("bare.sqlite", (), 0, 0), ("default.sqlite", None, 1, 1)):
        with Archive(str(tmp_path / db)) as archive:
            archive.store.save_search("cuba", "delegation", {}, "http://hook.test/cuba")
            records = (parse_record_line(line.encode(), "memory", n) for n, line in enumerate(lines, 1))
            if after is None:
                archive.ingest_records(records, workers=1)
            else:
                archive.ingest_records(records, workers=1, after=after)
            linked = sum(len(archive.store.translations(a.id)) for a in archive.search(None, collapse=False))
        assert (linked // 2, len(posted)) == (links, posts), db
    assert posted == ["http://hook.test/cuba"]


def test_one_hook_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alerts, "post_json", lambda *_, **__: pytest.fail("alerts were left out"))
    with Archive(str(tmp_path / "a.sqlite")) as archive:
        archive.store.save_search("cuba", "delegation", {}, "http://hook.test/cuba")
        source = tmp_path / "r.jsonl"
        source.write_text("".join(record_lines(0)), encoding="utf-8")
        archive.ingest([source], workers=1, after=(link_languages_hook,))
        assert [t["id"] for t in archive.store.translations(2)] == [1]
