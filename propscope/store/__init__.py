"""Store: where articles live. SQLite (one file, embedded) is the default; PostgreSQL (a server a team
shares) takes a postgresql:// URL. Both are store.sql.SQLStore: the same methods, schema and migrations, over
each database's engine and dialect.

    base.py       StoreBase: the engine and dialect every concern stands on
    engine.py     Engine: one connection; statements, many rows, IN lists in chunks, streaming, the write transaction
    dialect.py    Dialect: placeholders, IN lists, the full-text match, query compilation, error classification
    filters.py    the conditions searches and analytics share (filters, dates, events, period widths)
    writes.py     write_batch, reparse in place, quarantine, ingest runs
    clusters.py   clusters of exact and near copies
    listings.py   listing runs and deletions
    reads.py      one article, its versions and raw input, export details, counts
    search.py     hits, counts, facets, phrase usage, every match for an export
    analytics.py  actors, trends, support counts, co-occurrences, entity streams
    leadership.py the leader's appearances, the officials' registry and standings, what absences are read from
    languages.py  translation links
    saved.py      saved searches and alert deliveries
    sql.py        SQLStore: the concerns put together
    sqlite.py     SQLite's dialect, engine and search planning
    postgres.py   PostgreSQL's dialect, engine (pool, COPY, advisory lock) and search planning
"""

from __future__ import annotations

from pathlib import Path

from propscope.settings import DEFAULT_DB
from propscope.store.postgres import PostgresStore, is_postgres_url
from propscope.store.sql import SQLStore
from propscope.store.sqlite import SQLiteStore

Store = SQLStore


def resolve_db(db: str | None, default: str = DEFAULT_DB) -> str:
    """The archive to open: `db` if given, else `default` (the edge passes Settings.db: $PROPSCOPE_DB)."""
    return db or default


def open_store(
    db: str | None = None, readonly: bool = False, pooled: bool = False, *, text_index: str = "auto"
) -> Store:
    """Open (and create or migrate) the archive that `db` names: a file path, sqlite:///path, or a
    postgresql://user@host/dbname URL (libpq's: password, port and options as it reads them). `pooled`: a
    server process opening the archive per request borrows its connections from a pool (PostgreSQL's, or
    store/sqlite_pool.py for a read of a SQLite file). `text_index`: rum, gin or auto, the words' index a
    new PostgreSQL archive gets (Settings.pg_text_index)."""
    target = resolve_db(db)
    if is_postgres_url(target):
        return PostgresStore(target, readonly=readonly, pooled=pooled, text_index=text_index)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    return SQLiteStore(Path(target), readonly=readonly, pooled=pooled)
