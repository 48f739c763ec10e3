"""Store: where articles live. SQLite (one file, embedded) is the default; other engines plug in behind
`open_store` with the same methods."""

from __future__ import annotations

import os
from pathlib import Path

from propscope.errors import StoreError
from propscope.store.sqlite import SQLiteStore

DEFAULT_DB = "propscope.sqlite"
ENV_VAR = "PROPSCOPE_DB"

Store = SQLiteStore


def resolve_db(db: str | None) -> str:
    return db or os.environ.get(ENV_VAR) or DEFAULT_DB


def open_store(db: str | None = None, readonly: bool = False) -> Store:
    """Open (and create or migrate) the archive that `db` names: a file path, or sqlite:///path."""
    target = resolve_db(db)
    if target.startswith(("postgresql://", "postgres://")):
        raise StoreError(f"{target.split('@')[-1]}: PostgreSQL archives are not supported yet; use a SQLite file")
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    return SQLiteStore(Path(target), readonly=readonly)
