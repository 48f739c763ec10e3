"""The PostgreSQL archive: what is its own (URLs, connection errors, migrations under concurrency, the query
language on tsvector) and that it finds what the SQLite archive finds. The shared behaviour is tested by every
test marked `engines`, which runs on both."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import psycopg
import pytest
from typer.testing import CliRunner

from propscope.archive import Archive
from propscope.cli import app
from propscope.errors import StoreError
from propscope.model import SearchFilters
from propscope.store import open_store
from propscope.store.postgres import redacted
from tests import pgserver

pytestmark = pytest.mark.postgres
runner = CliRunner()

RECORDS = [
    {"id": "e1", "source": "kcna", "date": "2006-07-14", "title": "U.S. Imperialists Denounced",
     "body": "Pyongyang, July 14 (KCNA) -- The U.S. imperialists and the Japanese reactionaries are "
     "pursuing anti-DPRK moves, Rodong Sinmun says."},
    {"id": "e2", "source": "kcna", "date": "2007-01-02", "title": "Seminar Held in Mexico City",
     "body": "Pyongyang, January 2 (KCNA) -- A seminar on the Juche idea was held in Mexico City. "
     "Participants praised Kim Jong Il's leadership."},
    {"id": "s1", "source": "kcna", "date": "2007-01-02", "title": "Seminario en Ciudad de México",
     "body": "Pyongyang, 2 de enero (ATCC) -- Un seminario sobre la idea Juche tuvo lugar en la Ciudad de "
     "México. Los participantes elogiaron la dirección de Kim Jong Il."},
    {"id": "e3", "source": "kcna", "date": None, "title": "Puppet Group Slammed",
     "body": "Pyongyang, March 3 (KCNA) -- The south Korean puppet group of traitors was slammed for its "
     "confrontation moves with the U.S. on 2006-07-14."},
    {"id": "k1", "source": "rodong", "date": "2019-01-01", "title": "신년사",
     "body": "조선로동당 위원장 김정은 동지께서 신년사를 하시였다. 자력갱생의 기치를 높이 들고."},
]  # fmt: skip
QUERIES = [
    "U.S.",
    "imperialists",
    '"puppet group of traitors"',
    "anti-DPRK",
    "seminar OR seminario",
    "Juche NOT Mexico",
    "Kim AND (Mexico OR México)",
    "mexico",
    "partic*",
    "2006-07-14",
    "김정은",
    "Jong Il's",
    "traitors AND NOT puppet",
]


def ingest_fixture(db: str, tmp_path: Path) -> Archive:
    path = tmp_path / "fixture.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in RECORDS), encoding="utf-8")
    archive = Archive(db)
    archive.ingest([path], workers=1)
    return archive


def matches(archive: Archive, query: str) -> set[str]:
    return {archive.article(h.id).record_id or "" for h in archive.search(query, limit=50, collapse=False)}


@pytest.mark.parametrize("text_index", ["gin", "rum"])
def test_postgresql_finds_what_sqlite_finds(pg_url: str, tmp_path: Path, text_index: str) -> None:
    if text_index == "rum" and not pgserver.rum_available(pg_url):
        reason = "the rum extension is not installed (Debian: postgresql-NN-rum)"
        if os.environ.get("PROPSCOPE_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    open_store(pg_url, text_index=text_index).close()  # the archive is made with that index
    with ingest_fixture(str(tmp_path / "a.sqlite"), tmp_path) as lite, ingest_fixture(pg_url, tmp_path) as pg:
        assert pg.store.ranked_by_index == (text_index == "rum")
        for query in QUERIES:
            expected = matches(lite, query)
            assert matches(pg, query) == expected, query
            assert pg.count(query, collapse=False) == lite.count(query, collapse=False) == len(expected), query
        assert matches(pg, "U.S.") == {"e1", "e3"} and matches(pg, "mexico") == {"e2", "s1"}
        filters = SearchFilters(countries=("MX",), since="2007")
        assert [h.id for h in pg.search("seminar", filters)] == [h.id for h in lite.search("seminar", filters)]
        assert pg.store.facets("Juche")["country"] == lite.store.facets("Juche")["country"]
        assert pg.store.phrase_usage("Juche") == lite.store.phrase_usage("Juche")


def test_names_compare_without_case_as_in_sqlite(pg_url: str, tmp_path: Path) -> None:
    with ingest_fixture(pg_url, tmp_path) as archive:
        assert archive.count(None, SearchFilters(persons=("kim jong il",)), collapse=False) == 2


def test_an_unknown_text_index_setting_is_one_line(pg_url: str) -> None:
    with pytest.raises(StoreError, match="say rum, gin or auto"):
        open_store(pg_url, text_index="btree")


def test_the_url_password_never_shows() -> None:
    assert redacted("postgresql://analyst:s3cret@db.example:5433/kcna") == "postgresql://analyst@db.example:5433/kcna"


def test_connection_errors_are_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["search", "x", "--db", "postgresql://who:pw@127.0.0.1:1/none?connect_timeout=2"])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot connect" in lines[0] and "pw" not in lines[0], result.stderr


def test_reading_an_empty_database_says_to_ingest_first(pg_url: str) -> None:
    result = runner.invoke(app, ["search", "x", "--db", pg_url])
    assert result.exit_code != 0 and "no propscope archive in this database" in result.stderr


def test_a_newer_schema_is_refused(pg_url: str) -> None:
    Archive(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("INSERT INTO propscope_schema(version) VALUES (999)")
    with pytest.raises(StoreError, match="newer than this propscope"):
        Archive(pg_url)


def test_read_only_archives_refuse_writes_in_one_line(pg_url: str, tmp_path: Path) -> None:
    ingest_fixture(pg_url, tmp_path).close()
    with Archive(pg_url, readonly=True) as archive, pytest.raises(StoreError, match="read-only"):
        archive.store.save_search("mine", "Juche", {}, None)


def _open(url: str) -> int:
    with Archive(url) as archive:
        return archive.store.schema_version()


def test_processes_creating_one_archive_at_once_take_turns(pg_url: str) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        versions = pool.map(_open, [pg_url] * 4)
    assert len(set(versions)) == 1 and versions[0] >= 7
    with psycopg.connect(pg_url) as conn:
        # one row per migration: each ran once, by one of the four
        assert conn.execute("SELECT count(*) = count(DISTINCT version) FROM propscope_schema").fetchone() == (True,)


def test_export_then_import_moves_an_archive_between_engines(pg_url: str, tmp_path: Path) -> None:
    with ingest_fixture(str(tmp_path / "a.sqlite"), tmp_path):
        pass
    out = tmp_path / "all.parquet"
    result = runner.invoke(
        app, ["export", "--db", str(tmp_path / "a.sqlite"), "--format", "parquet", "--out", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["import", str(out), "--db", pg_url])
    assert result.exit_code == 0, result.stderr
    with Archive(pg_url, readonly=True) as archive:
        assert archive.count(None, collapse=False) == len(RECORDS)
        assert matches(archive, "U.S.") == {"e1", "e3"}


def test_every_archive_command_runs_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    """The commands not covered by the tests marked `engines`, through the CLI as a user types them."""
    with ingest_fixture(pg_url, tmp_path):
        pass
    for args in (
        ["reparse", "--all"],
        ["phrase", "Juche idea"],
        ["reuse", "2"],
        ["digest", "--day", "2026-11-28", "--out", str(tmp_path / "digest.html")],
        ["deleted"],
        ["history", "1"],
        ["stats"],
        ["show", "3"],
    ):
        result = runner.invoke(app, [*args, "--db", pg_url])
        assert result.exit_code == 0, (args, result.stderr)
    assert "2006" in runner.invoke(app, ["phrase", "imperialists", "--db", pg_url]).stdout


def test_a_user_who_may_only_read_gets_one_line_and_the_archive_stays_whole(pg_url: str, tmp_path: Path) -> None:
    with ingest_fixture(pg_url, tmp_path):
        pass
    role = f"reader_{os.getpid()}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {role}")
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role}")
    reader_url = pg_url.replace("postgresql://postgres@", f"postgresql://{role}@")
    try:
        more = tmp_path / "more.jsonl"
        more.write_text(json.dumps({**RECORDS[0], "id": "e9", "body": "Another text."}) + "\n", encoding="utf-8")
        result = runner.invoke(app, ["ingest", str(more), "--db", reader_url])
        lines = result.stderr.strip().splitlines()
        assert result.exit_code == 1 and "may not write" in lines[-1], result.stderr
        assert runner.invoke(app, ["search", "Juche", "--db", reader_url]).exit_code == 0  # reading still works
        with Archive(pg_url, readonly=True) as archive:
            assert archive.count(None, collapse=False) == len(RECORDS)
    finally:
        with psycopg.connect(pg_url, autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")
