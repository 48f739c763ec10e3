"""The SQLite archive: one file, embedded, the default.

WAL mode, so searches read while an ingest writes; one writer at a time, with a busy timeout so a second
writer waits instead of failing; the schema is versioned (PRAGMA user_version) and migrated on open. Full-text
search is FTS5 over title and body after the dateline (external content: no second copy of the text).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from propscope.errors import StoreError
from propscope.model import SearchFilters
from propscope.search import parse_query, to_fts5
from propscope.store.sql import SQLStore, read_migrations

BUSY_TIMEOUT_MS = 60_000
RANK_WINDOW = 1000  # filtered relevance searches first look for their page among the index's best matches
# One statement indexes a whole batch of new articles: half the cost of a trigger per row.
_INDEX_NEW = (
    "INSERT INTO articles_fts(rowid, title, body) SELECT id, title, substr(body, search_from + 1) FROM articles"
    " WHERE id IN (SELECT value FROM json_each(?))"
)


def _fts_first(where: str) -> str:
    """Filters that must not drive the plan: with an index on genre or date usable, SQLite walked e.g. every
    news report and probed the full-text index once per row (0.8 s for a count); the unary + keeps those
    indexes out, so the matches come first and the filters are checked on them."""
    return (
        where.replace("a.genre IN", "+a.genre IN").replace("a.date >=", "+a.date >=").replace("a.date <=", "+a.date <=")
    )


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


class SQLiteStore(SQLStore):
    Error = sqlite3.Error
    OperationalError = sqlite3.OperationalError
    IntegrityError = sqlite3.IntegrityError
    _TEXT_FROM = "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ?"
    _TEXT_ID = "articles_fts.rowid"
    _TEXT_IN = "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        super().__init__()
        self.path = Path(path)
        self.label = str(self.path)
        self.readonly = readonly
        try:
            if readonly:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no such archive; run 'propscope ingest' first")
                self.conn = sqlite3.connect(
                    f"file:{self.path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
                )
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA cache_size = -65536")  # 64 MB: FTS5 and the indexes stay in memory
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self._migrate()
            elif self.schema_version() < read_migrations("migrations")[-1][0]:
                self._migrate_behind_readonly()
        except sqlite3.OperationalError as exc:
            if "readonly" in str(exc) or "full" in str(exc):
                raise self._write_refused(exc) from exc
            raise StoreError(f"{self.path}: cannot open the archive ({exc})") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the archive ({exc}); is it a propscope SQLite file?") from exc
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot open the archive ({exc.strerror or exc})") from exc

    # -- schema -------------------------------------------------------------------------------------------

    def _migrate(self) -> None:
        _migrate(self.conn, self.path)

    def _migrate_behind_readonly(self) -> None:
        """An archive made by an older propscope, opened to read: migrate it once through a writing
        connection, so reading commands work on it too."""
        try:
            writer = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                writer.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                _migrate(writer, self.path)
            finally:
                writer.close()
        except sqlite3.OperationalError as exc:
            raise StoreError(
                f"{self.path}: the archive was made by an older propscope and cannot be upgraded here ({exc});"
                " open it once with write access (e.g. 'propscope reparse')"
            ) from exc

    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- the engine's own ways ------------------------------------------------------------------------------

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return int(self.conn.execute(sql, params).lastrowid or 0)

    def _begin_write(self) -> None:
        if not self.conn.in_transaction:
            self.conn.execute("BEGIN IMMEDIATE")  # waits (busy timeout) while another process writes

    def _reserve_ids(self, count: int) -> list[int]:
        top = int(self.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0])
        return list(range(top + 1, top + 1 + count))

    def _index_new(self, ids: list[int]) -> None:
        self.conn.execute(_INDEX_NEW, (json.dumps(ids),))

    def _text_arg(self, query: str) -> str:
        return to_fts5(parse_query(query))

    def _after_text(self, where: str) -> str:
        return _fts_first(where)

    def _write_refused(self, exc: Exception) -> StoreError:
        message = str(exc)
        if "full" in message or "disk I/O" in message:
            why = "the disk is full (or a file size limit was reached)"
        elif "readonly" in message or "read-only" in message:
            why = "the archive file or its folder is read-only"
        else:
            why = message
        return StoreError(
            f"{self.path}: cannot write ({why}); the batch was rolled back and the archive is intact;"
            " fix that and run the command again"
        )

    def _text_rows(
        self, match: str, where: str, params: list[Any], filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        if sort == "relevance" and not where:
            return self._ranked_unfiltered(match, limit, offset)
        if sort == "relevance" and not filters.genres:
            return self._ranked_filtered(match, where, params, limit, offset)
        return self._filtered_or_by_date(match, where, params, limit, offset, sort)

    def _filtered_or_by_date(
        self, match: str, where: str, params: list[Any], limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        if sort == "relevance":
            # A genre is selective (commentaries are 1% of KCNA): the passing matches are found through the
            # genre index first, then only they are scored (the unary + keeps SQLite from handing the id list
            # to FTS5, which is slow with it). Three times faster than joining and scoring every match.
            ids = [
                r[0]
                for r in self.conn.execute(
                    "SELECT a.id FROM articles a INDEXED BY articles_by_genre"
                    f" WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?) {where}",
                    [match, *params],
                )
            ]
            if not ids:
                return []
            ranked = self.conn.execute(
                "SELECT rowid, bm25(articles_fts) AS score FROM articles_fts WHERE articles_fts MATCH ?"
                " AND +rowid IN (SELECT value FROM json_each(?)) ORDER BY score LIMIT ? OFFSET ?",
                [match, json.dumps(ids), limit, offset],
            ).fetchall()
            return self._rows_in_order([(int(r[0]), float(r[1])) for r in ranked])
        else:
            # Newest first: walk the date index down and keep the matches, stopping at the page's end
            # (joining every match and sorting them all took ten times as long on common words).
            sql = (
                "SELECT a.id, a.date, a.title, a.genre, a.source, 0 AS score FROM articles a INDEXED BY"
                " articles_by_date WHERE a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)"
                f" {where} ORDER BY a.date DESC, a.id DESC LIMIT ? OFFSET ?"
            )
        return [dict(r) for r in self.conn.execute(sql, [match, *params, limit, offset])]

    def _ranked_filtered(
        self, match: str, where: str, params: list[Any], limit: int, offset: int
    ) -> list[dict[str, Any]]:
        """The best-ranked matches, filtered: if the index's top RANK_WINDOW hold a full page that passes the
        filters, that page is exactly the filtered ranking's (a better-ranked passing article would be among
        them). Only when they do not is every match joined and scored (bm25() for those that pass)."""
        ranked = self.conn.execute(
            "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            [match, RANK_WINDOW],
        ).fetchall()
        scores = {int(r[0]): float(r[1]) for r in ranked}
        passing = {
            r["id"]: r
            for r in self.conn.execute(
                "SELECT a.id, a.date, a.title, a.genre, a.source FROM articles a"
                f" WHERE a.id IN (SELECT value FROM json_each(?)) {where}",
                [json.dumps(list(scores)), *params],
            )
        }
        if len(passing) >= offset + limit or len(ranked) < RANK_WINDOW:
            ordered = sorted(passing, key=lambda i: scores[i])[offset : offset + limit]
            return [{**dict(passing[i]), "score": scores[i]} for i in ordered]
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT a.id, a.date, a.title, a.genre, a.source, bm25(articles_fts) AS score"
                " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
                f" WHERE articles_fts MATCH ? {where} ORDER BY score LIMIT ? OFFSET ?",
                [match, *params, limit, offset],
            )
        ]

    def _ranked_unfiltered(self, match: str, limit: int, offset: int) -> list[dict[str, Any]]:
        """The full-text index alone ranks; the page's articles are read after (joining every match to
        articles cost more than ranking it)."""
        ranked = self.conn.execute(
            "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rank LIMIT ? OFFSET ?",
            [match, limit, offset],
        ).fetchall()
        return self._rows_in_order([(int(r[0]), float(r[1])) for r in ranked])
