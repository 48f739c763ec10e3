"""The SQLite archive: one file, embedded, the default.

WAL mode, so searches read while an ingest writes; one writer at a time, with a busy timeout so a second
writer waits instead of failing; the schema is versioned (PRAGMA user_version) and migrated on open. Full-text
search is FTS5 over title and body after the dateline (external content: no second copy of the text).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

from propscope import budget as budgets
from propscope.errors import StoreError
from propscope.model import SearchFilters
from propscope.search import Term
from propscope.store.dialect import Dialect
from propscope.store.engine import Engine, read_migrations
from propscope.store.sql import SQLStore
from propscope.store.sqlite_pool import ReadPool, pool_for

BUSY_TIMEOUT_MS = 60_000
# Filtered relevance searches first look for their page among the index's best matches: the top 200 (which
# cost a tenth more than the top 20) hold it for most filters, the top 1000 (half as much again) for the rest
# of all but the most selective.
RANK_WINDOWS = (200, 1000)
# The index's ranking. bm25() in ORDER BY, not FTS5's `rank` column (the same value, no rank is configured): with
# `ORDER BY rank` FTS5 sorts every match itself, a third slower on common words than SQLite's LIMIT sorter over
# bm25(). The rowid breaks ties, so a page and the next never share or skip an article.
_BEST = "SELECT rowid, bm25(articles_fts) AS score FROM articles_fts WHERE articles_fts MATCH ? ORDER BY score, rowid"
# One statement indexes a whole batch of new articles: half the cost of a trigger per row.
_INDEX_NEW = (
    "INSERT INTO articles_fts(rowid, title, body) SELECT id, title, substr(body, search_from + 1) FROM articles"
    " WHERE id IN (SELECT value FROM json_each(?))"
)


def to_fts5(terms: list[Term]) -> str:
    """SQLite FTS5 MATCH syntax; every word quoted so no user text is read as FTS5 syntax."""
    out: list[str] = []
    for term in terms:
        if term.kind == "phrase":
            out.append('"' + term.value.replace('"', "") + '"')
        elif term.kind == "prefix":
            out.append('"' + term.value + '"*')
        elif term.kind == "op":
            if term.value == "NOT" and out and out[-1] in ("AND", "OR"):
                out[-1] = "NOT"  # FTS5's NOT is binary: "a AND NOT b" is written "a NOT b"
            else:
                out.append(term.value)
        else:
            out.append(term.value)
    return " ".join(part for part in out if part)


class SQLiteDialect(Dialect):
    Error = sqlite3.Error
    IntegrityError = sqlite3.IntegrityError
    text_from = "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ?"
    text_id = "articles_fts.rowid"
    text_in = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"

    def unplanned(self, column: str) -> str:
        """With an index on genre or date usable, SQLite walked e.g. every news report and probed the full-text
        index once per row (0.8 s for a count); the unary + keeps those indexes out, so the matches come first
        and the filters are checked on them."""
        return "+" + column

    def compile_query(self, terms: list[Term], engine: Engine) -> str:
        return to_fts5(terms)

    def refused_write(self, exc: Exception) -> str | None:
        if not isinstance(exc, sqlite3.OperationalError):
            return None
        message = str(exc)
        if "full" in message or "disk I/O" in message:
            return "the disk is full (or a file size limit was reached)"
        if "readonly" in message or "read-only" in message:
            return "the archive file or its folder is read-only"
        return message

    def refused_query(self, exc: Exception) -> bool:
        message = str(exc).lower()
        return isinstance(exc, sqlite3.OperationalError) and ("fts5" in message or "syntax" in message)

    def stopped(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc)  # the progress handler


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the schema up to date, one migration per transaction. Two processes opening a new archive at
    once race here: each migration takes the write lock first (BEGIN IMMEDIATE), and one that finds its
    work already done by the other (the version moved on meanwhile) rolls back and reads the version again."""
    migrations = read_migrations("migrations")
    latest = migrations[-1][0]
    for _ in range(2 * len(migrations) + 2):  # each failed try means the other process got one further
        current = conn.execute("PRAGMA user_version").fetchone()[0]
        if current > latest:
            raise StoreError(f"{path}: archive schema {current} is newer than this propscope ({latest}); upgrade")
        pending = [(version, script) for version, script in migrations if version > current]
        if not pending:
            return
        version, script = pending[0]
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if "already exists" not in str(exc) and "duplicate column" not in str(exc):
                raise


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    """A configured connection; a writing one migrates the schema, a reading one checks it (and has an
    archive made by an older propscope migrated once through a writing connection)."""
    if readonly:
        conn = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
    else:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA cache_size = -65536")  # 64 MB: FTS5 and the indexes stay in memory
        conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            _migrate(conn, path)
        elif int(conn.execute("PRAGMA user_version").fetchone()[0]) < read_migrations("migrations")[-1][0]:
            _migrate_behind_readonly(path)
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate_behind_readonly(path: Path) -> None:
    """An archive made by an older propscope, opened to read: migrate it once through a writing connection,
    so reading commands work on it too."""
    try:
        writer = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            writer.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            _migrate(writer, path)
        finally:
            writer.close()
    except sqlite3.OperationalError as exc:
        raise StoreError(
            f"{path}: the archive was made by an older propscope and cannot be upgraded here ({exc});"
            " open it once with write access (e.g. 'propscope reparse')"
        ) from exc


PROGRESS_STEPS = 10_000  # SQLite VM steps between budget checks: well under a millisecond of work


class SQLiteEngine(Engine):
    dialect = SQLiteDialect()

    def __init__(self, path: Path, readonly: bool, pooled: bool = False) -> None:
        self.path = path
        self.label = str(path)
        self.readonly = readonly
        self._pool: ReadPool | None = None
        if readonly and pooled:
            self._borrow()
            return
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        pause = 0.01
        while True:
            try:
                self._open(readonly)
                return
            except sqlite3.OperationalError as exc:
                # Two processes opening one new archive: switching it to WAL and recovering the WAL index can
                # answer "locked" at once, without SQLite's busy handler; wait for the other and try again.
                if "locked" in str(exc) and time.monotonic() < deadline:
                    time.sleep(pause)
                    pause = min(pause * 2, 0.5)
                    continue
                raise self._cannot_open(exc) from exc
            except (sqlite3.DatabaseError, OSError) as exc:
                raise self._cannot_open(exc) from exc

    def _cannot_open(self, exc: Exception) -> StoreError:
        path = self.path
        if isinstance(exc, sqlite3.OperationalError):
            if "readonly" in str(exc) or "full" in str(exc):
                return self.refused(self.dialect.refused_write(exc) or str(exc))
            return StoreError(f"{path}: cannot open the archive ({exc})")
        if isinstance(exc, sqlite3.DatabaseError):
            return StoreError(f"{path}: cannot open the archive ({exc}); is it a propscope SQLite file?")
        reason = exc.strerror if isinstance(exc, OSError) else None
        return StoreError(f"{path}: cannot open the archive ({reason or exc})")

    def _borrow(self) -> None:
        """A server's read: an idle connection of the process's pool (sqlite_pool.py), else a new one."""
        if not self.path.exists():
            raise StoreError(f"{self.path}: no such archive; run 'propscope ingest' first")
        try:
            self._pool = pool_for(self.path, partial(connect, self.path, True))
            self.conn = self._pool.borrow()
        except (sqlite3.DatabaseError, OSError) as exc:
            raise self._cannot_open(exc) from exc
        self._take_budget()

    def _open(self, readonly: bool) -> None:
        if readonly and not self.path.exists():
            raise StoreError(f"{self.path}: no such archive; run 'propscope ingest' first")
        if not readonly:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = connect(self.path, readonly)
        self._take_budget()

    def _take_budget(self) -> None:
        if self.readonly and (budget := budgets.current()) is not None:
            # Checked every PROGRESS_STEPS virtual-machine steps: a nonzero answer aborts the statement inside
            # SQLite ("interrupted"), which budgeted() turns into QueryTimeout.
            self.budget = budget
            self.conn.set_progress_handler(budget.exceeded, PROGRESS_STEPS)

    def data_version(self) -> str | None:
        """Changes with every commit to the file, by any connection (None where this is not a server's read)."""
        return self._pool.data_version() if self._pool is not None else None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.give_back(self.conn)
        else:
            self.conn.close()

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn:
            if not self.conn.in_transaction:
                self.conn.execute("BEGIN IMMEDIATE")  # waits (busy timeout) while another process writes
            yield

    def reserve_ids(self, count: int) -> list[int]:
        top = int(self.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])
        return list(range(top + 1, top + 1 + count))

    def index_new(self, ids: list[int]) -> None:
        self.conn.execute(_INDEX_NEW, (json.dumps(ids),))


class SQLiteStore(SQLStore):
    def __init__(self, path: str | Path, readonly: bool = False, pooled: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self.db = SQLiteEngine(self.path, readonly, pooled)
        super().__init__()

    def _text_rows(
        self, match: str, where: str, params: list[Any], filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        if sort == "relevance" and not where:
            return self._ranked_unfiltered(match, limit, offset)
        if sort == "relevance" and not filters.genres:
            return self._ranked_filtered(match, where, params, limit, offset)
        if sort == "relevance":
            return self._ranked_by_genre(match, where, params, limit, offset)
        # Newest first: walk the date index down and keep the matches, stopping at the page's end (joining
        # every match and sorting them all took ten times as long on common words).
        return self.db.dicts(
            "SELECT a.id, a.date, a.title, a.genre, a.source, 0 AS score FROM articles a INDEXED BY"
            " articles_by_date WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
            f" {where} ORDER BY a.date DESC, a.id DESC LIMIT ? OFFSET ?",
            [match, *params, limit, offset],
        )

    def _ranked_by_genre(
        self, match: str, where: str, params: list[Any], limit: int, offset: int
    ) -> list[dict[str, Any]]:
        """A genre is selective (commentaries are 1% of KCNA): the passing matches are found through the genre
        index first, then only they are scored (the unary + keeps SQLite from handing the id list to FTS5,
        which is slow with it). Three times faster than joining and scoring every match."""
        ids = [
            r[0]
            for r in self.db.execute(
                "SELECT a.id FROM articles a INDEXED BY articles_by_genre"
                f" WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) {where}",
                [match, *params],
            )
        ]
        if not ids:
            return []
        ranked = self.db.rows(
            "SELECT rowid, bm25(articles_fts) AS score FROM articles_fts WHERE articles_fts MATCH ?"
            " AND +rowid IN (SELECT value FROM json_each(?)) ORDER BY score, rowid LIMIT ? OFFSET ?",
            [match, json.dumps(ids), limit, offset],
        )
        return self._rows_in_order([(int(r[0]), float(r[1])) for r in ranked])

    def _ranked_filtered(
        self, match: str, where: str, params: list[Any], limit: int, offset: int
    ) -> list[dict[str, Any]]:
        """The best-ranked matches, filtered: if the index's top W hold a full page that passes the filters,
        that page is exactly the filtered ranking's (a better-ranked passing article would be among them).
        W grows through RANK_WINDOWS; only when the widest does not hold the page is every match joined and
        scored (bm25() for those that pass)."""
        for window in RANK_WINDOWS:
            ranked = self.db.rows(f"{_BEST} LIMIT ?", [match, window])
            scores = {int(r[0]): float(r[1]) for r in ranked}
            # ids only: the page's rows are read once it is known (reading every passing row cost a third)
            passing = [
                int(r[0])
                for r in self.db.rows(
                    f"SELECT a.id FROM articles a WHERE a.id IN (SELECT value FROM json_each(?)) {where}",
                    [json.dumps(list(scores)), *params],
                )
            ]
            if len(passing) >= offset + limit or len(ranked) < window:
                ordered = sorted(passing, key=lambda i: (scores[i], i))[offset : offset + limit]
                return self._rows_in_order([(i, scores[i]) for i in ordered])
        return self.db.dicts(
            "SELECT a.id, a.date, a.title, a.genre, a.source, bm25(articles_fts) AS score"
            " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? {where} ORDER BY score, a.id LIMIT ? OFFSET ?",
            [match, *params, limit, offset],
        )

    def _ranked_unfiltered(self, match: str, limit: int, offset: int) -> list[dict[str, Any]]:
        """The full-text index alone ranks; the page's articles are read after (joining every match to
        articles cost more than ranking it)."""
        ranked = self.db.rows(f"{_BEST} LIMIT ? OFFSET ?", [match, limit, offset])
        return self._rows_in_order([(int(r[0]), float(r[1])) for r in ranked])
