"""The two DDL trees (store/migrations for SQLite, store/migrations_postgresql) make the same tables: every
column by name, kind and nullability, after migration on each engine. A column added to one tree only fails
here."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from propscope.store import open_store

pytestmark = pytest.mark.postgres

# What each engine has that the other keeps elsewhere: its full-text index and its schema version.
SQLITE_ONLY_TABLES = {
    "articles_fts",
    "articles_fts_config",
    "articles_fts_data",
    "articles_fts_docsize",
    "articles_fts_idx",
}
POSTGRES_ONLY_TABLES = {"propscope_schema"}  # SQLite keeps the version in PRAGMA user_version
POSTGRES_ONLY_COLUMNS = {("articles", "search")}  # the tsvector that FTS5's table stands for
SQLITE_KINDS = {"INTEGER": "integer", "TEXT": "text", "REAL": "real", "BLOB": "bytes"}
POSTGRES_KINDS = {
    "integer": "integer",
    "bigint": "integer",
    "smallint": "integer",
    "text": "text",
    "double precision": "real",
    "real": "real",
    "bytea": "bytes",
}

Columns = dict[tuple[str, str], tuple[str, bool]]  # (table, column) -> (kind, nullable)


def sqlite_columns(path: Path) -> Columns:
    store = open_store(str(path))
    try:
        conn = store.conn
        tables = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            if r[0] not in SQLITE_ONLY_TABLES
        ]
        out: Columns = {}
        for table in tables:
            # table_xinfo: generated columns too (hidden 2 and 3); a primary key is never null, whatever SQLite allows
            for _, name, declared, notnull, _, pk, hidden in conn.execute(f"PRAGMA table_xinfo({table})"):
                if hidden != 1:
                    kind = SQLITE_KINDS.get(declared.split()[0].upper() if declared else "", declared)
                    out[(table, name)] = (kind, not (notnull or pk))
        return out
    finally:
        store.close()


def postgres_columns(url: str) -> Columns:
    open_store(url).close()
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        ).fetchall()
    return {
        (table, column): (POSTGRES_KINDS.get(kind, kind), nullable == "YES")
        for table, column, kind, nullable in rows
        if table not in POSTGRES_ONLY_TABLES and (table, column) not in POSTGRES_ONLY_COLUMNS
    }


def test_both_engines_make_the_same_columns(pg_url: str, tmp_path: Path) -> None:
    lite = sqlite_columns(tmp_path / "a.sqlite")
    pg = postgres_columns(pg_url)
    assert len(lite) > 100  # every table was read, not none
    assert sorted(set(lite) - set(pg)) == [], "columns only SQLite's migrations make"
    assert sorted(set(pg) - set(lite)) == [], "columns only PostgreSQL's migrations make"
    differ = {key: (lite[key], pg[key]) for key in lite if lite[key] != pg[key]}
    assert differ == {}, "(kind, nullable) on SQLite, then on PostgreSQL"
