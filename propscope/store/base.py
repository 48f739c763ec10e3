"""What every concern of the store stands on: the engine (one connection and its writing transaction) and its
dialect. The concerns (writes.py, clusters.py, listings.py, reads.py, search.py, analytics.py, languages.py,
saved.py) are mixins over this; sql.SQLStore puts them together."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from propscope.store.dialect import Dialect
from propscope.store.engine import Engine

NOTHING = " ON CONFLICT DO NOTHING"  # what a repeated row does where a repeat is harmless


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class StoreBase:
    db: Engine
    readonly: bool

    @property
    def d(self) -> Dialect:
        return self.db.dialect

    @property
    def conn(self) -> Any:
        """The driver's own connection (sqlite3 or psycopg): for tests and maintenance, not for the concerns."""
        return self.db.conn

    @property
    def label(self) -> str:
        """How messages name the archive: its path, or its URL without a password."""
        return self.db.label

    def _writing(self) -> contextlib.AbstractContextManager[None]:
        return self.db.writing()

    def schema_version(self) -> int:
        return self.db.schema_version()

    def data_version(self) -> str | int | None:
        """Changes with every commit to the archive (a server's reads only; else None): what the server's
        response cache keys on."""
        return self.db.data_version()

    def close(self) -> None:
        self.db.close()
