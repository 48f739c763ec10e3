"""One connection to an archive and the few ways of using it that every concern shares: statements, many rows
at once, IN lists in chunks, streaming, and the one writing transaction. Each database's subclass (sqlite.py,
postgres.py) adds how it connects, locks, migrates, numbers new articles and keeps its text index."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from typing import Any

from propscope.budget import Budget
from propscope.errors import StoreError
from propscope.store.dialect import Dialect


@functools.cache
def read_migrations(folder: str) -> tuple[tuple[int, str], ...]:
    """(version, script) of each `NNNN_name.sql` in a folder of propscope.store, oldest first (read once: a
    server opening the archive per request read the scripts on every request)."""
    found = []
    for item in (resources.files("propscope.store") / folder).iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8")))
    return tuple(sorted(found))


class Engine:
    """`conn` is the driver's own connection (sqlite3 or psycopg), rows are tuples; `dicts` names them."""

    conn: Any
    dialect: Dialect
    label: str  # how messages name the archive: its path, or its URL without a password

    # -- statements ---------------------------------------------------------------------------------------

    budget: Budget | None = None  # a reading server request's time budget (propscope/budget.py), or none

    @contextlib.contextmanager
    def budgeted(self) -> Iterator[None]:
        """A statement the budget stopped (deadline, client gone, server stopping) becomes QueryTimeout."""
        try:
            yield
        except self.dialect.Error as exc:
            if self.budget is not None and (self.budget.exceeded() or self.dialect.stopped(exc)):
                raise self.budget.error() from exc
            raise

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The driver's cursor, for its rows or its rowcount."""
        with self.budgeted():
            return self.conn.execute(sql, params)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self.budgeted():
            return self.execute(sql, params).fetchall()

    def one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first row, or None."""
        with self.budgeted():
            return self.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self.budgeted():
            return self.execute(sql, params).fetchone()[0]

    def dicts(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts by column name."""
        with self.budgeted():
            cursor = self.execute(sql, params)
            names = [column[0] for column in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def dict_one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        found = self.dicts(sql, params)
        return found[0] if found else None

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self.conn.executemany(sql, rows)

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], conflict: str = "") -> None:
        """Many rows into one table; `conflict`: an ON CONFLICT clause for rows already there."""
        if rows:
            names = ", ".join(f'"{c}"' for c in columns)
            self.executemany(
                f"INSERT INTO {table}({names}) VALUES ({self.dialect.marks(len(columns))}){conflict}", rows
            )

    def in_chunks(self, template: str, column: str, values: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of `template` (its condition written as {}: `column` is one of `values`) for many values, a
        chunk at a time."""
        size = self.dialect.in_chunk
        for start in range(0, len(values), size):
            condition, params = self.dialect.in_list(column, values[start : start + size])
            with self.budgeted():
                yield from self.execute(template.format(condition), params)

    def stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of a query too big for memory, a chunk at a time."""
        with self.budgeted():
            yield from self.execute(sql, params)

    # -- writing ------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """One writing transaction, the write lock taken first; a write the database refuses (full disk,
        read-only, no permission) rolls it all back and becomes one line (StoreError)."""
        try:
            with self.transaction():
                yield
        except self.dialect.Error as exc:
            why = self.dialect.refused_write(exc)
            if why is None:
                raise
            raise self.refused(why) from exc

    def refused(self, why: str) -> StoreError:
        return StoreError(
            f"{self.label}: cannot write ({why}); the batch was rolled back and the archive is intact;"
            " fix that and run the command again"
        )

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        """A transaction that holds the archive's write lock from its start, so what it reads before it writes
        (what is stored already, the next ids) stays true."""
        raise NotImplementedError

    def reserve_ids(self, count: int) -> list[int]:
        """Ids for this many new articles, inside the writing transaction (the archive's one writer)."""
        raise NotImplementedError

    def index_new(self, ids: list[int]) -> None:
        """Bring the full-text index up to date with these newly inserted articles."""

    # -- the archive --------------------------------------------------------------------------------------

    def schema_version(self) -> int:
        raise NotImplementedError

    def data_version(self) -> str | int | None:
        """A value that changes with every commit to the archive, for a server's cache; None: no such value."""
        return None

    def close(self) -> None:
        self.conn.close()
