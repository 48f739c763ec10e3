"""Store: where articles live. SQLite (one file, embedded) is the default; PostgreSQL (a server a team
shares) takes a postgresql:// URL. Both are store.sql.SQLStore: the same methods, schema and migrations."""

from __future__ import annotations

import os
from pathlib import Path

from propscope.store.postgres import PostgresStore, is_postgres_url
from propscope.store.sql import SQLStore
from propscope.store.sqlite import SQLiteStore

DEFAULT_DB = "propscope.sqlite"
ENV_VAR = "PROPSCOPE_DB"

Store = SQLStore


def resolve_db(db: str | None) -> str:
    return db or os.environ.get(ENV_VAR) or DEFAULT_DB


def open_store(db: str | None = None, readonly: bool = False, pooled: bool = False) -> Store:
    """Open (and create or migrate) the archive that `db` names: a file path, sqlite:///path, or a
    postgresql://user@host/dbname URL (libpq's: password, port and options as it reads them). `pooled`: a
    server process opening the archive per request borrows PostgreSQL connections from a pool (SQLite files
    open in well under a millisecond, so they need none)."""
    target = resolve_db(db)
    if is_postgres_url(target):
        return PostgresStore(target, readonly=readonly, pooled=pooled)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    return SQLiteStore(Path(target), readonly=readonly)
