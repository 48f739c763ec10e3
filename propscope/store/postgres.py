"""The PostgreSQL archive: one server a team shares (`--db postgresql://user@host/db`).

The same schema concepts, migrations and statements as the SQLite archive (store/sql.py holds them); what is
PostgreSQL's own is here: psycopg 3 behind the DB-API calls the shared code makes, full-text search by a
tsvector column under a GIN index (migrations_postgresql/), and one writer at a time by an advisory lock, as
SQLite has, so concurrent ingests never interleave a batch and readers never wait.
"""

from __future__ import annotations

import atexit
import functools
import os
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from propscope.errors import StoreError
from propscope.model import SearchFilters
from propscope.search import parse_query, to_tsquery, tsquery_operands
from propscope.store.sql import SQLStore, read_migrations

try:
    import psycopg
    from psycopg import errors as pg_errors
    from psycopg.conninfo import conninfo_to_dict
    from psycopg_pool import ConnectionPool, PoolTimeout
except ImportError:  # the [postgresql] extra
    psycopg = None  # type: ignore[assignment]

WRITE_LOCK = 0x7072_6F70  # advisory lock key ('prop'): held by each writing transaction
MIGRATIONS = "migrations_postgresql"
CONNECT_TIMEOUT_S = 10
TEXT_INDEX_ENV = "PROPSCOPE_PG_TEXT_INDEX"  # rum, gin or auto: the words' index a new archive gets
WRITE_WAIT_MS = 60_000
POOL_MAX = 16  # connections a server process keeps to one archive (pooled: the web server's requests)
COPY_FROM_ROWS = 50  # more rows than this go in by COPY: a third of the time of executemany's pipeline


def is_postgres_url(target: str) -> bool:
    return target.startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """The URL as messages may show it: no password."""
    try:
        parts = conninfo_to_dict(url)
    except Exception:  # noqa: BLE001 - an unreadable URL is shown by its host part only
        return "postgresql://" + url.split("@")[-1]
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', '')}{port}/{parts.get('dbname', '')}"


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@functools.lru_cache(maxsize=512)
def _qmark(sql: str) -> str:
    """The shared statements' question marks as psycopg's %s (and a literal % doubled), outside quotes."""
    out: list[str] = []
    quote = ""
    for char in sql:
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "?":
            out.append("%s")
            continue
        if char == "%":
            out.append("%%")
            continue
        out.append(char)
    return "".join(out)


class _Row(tuple[Any, ...]):
    """A row readable by position and by column name, as sqlite3.Row is (dict(row) works)."""

    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@functools.lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[_Row]:
    return type("Row", (_Row,), {"_index": {name: i for i, name in enumerate(names)}})


def _row_factory(cursor: Any) -> Any:
    if cursor.description is None:
        return tuple
    return _row_class(tuple(column.name for column in cursor.description))


class _Connection:
    """psycopg in autocommit mode behind the calls the shared code makes: execute and executemany with question
    marks, and `with conn:` as one writing transaction that holds the archive's write lock."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._transactions: list[Any] = []

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.raw.execute(_qmark(sql), list(params))

    def executemany(self, sql: str, rows: Any) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cursor:
                cursor.executemany(_qmark(sql), rows)

    def __enter__(self) -> _Connection:
        transaction = self.raw.transaction()
        transaction.__enter__()
        self._transactions.append(transaction)
        if len(self._transactions) == 1:
            self.raw.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._transactions.pop().__exit__(*exc)

    def commit(self) -> None:
        """Nothing to do: outside `with conn:` each statement has committed by itself (autocommit)."""

    def close(self) -> None:
        self.raw.close()


_pools: dict[tuple[str, bool], Any] = {}
_pools_lock = threading.Lock()
_checked: dict[str, bool] = {}  # archives this process has migrated: URL -> ranked by index


def _pool(url: str, readonly: bool) -> Any:
    """This process's pool of connections to one archive: a request borrows one (a new connection and its
    authentication cost more than most searches)."""
    with _pools_lock:
        pool = _pools.get((url, readonly))
        if pool is None:
            pool = ConnectionPool(
                url,
                min_size=0,  # none kept open for their own sake: idle ones close after max_idle
                max_size=POOL_MAX,
                max_idle=300,
                kwargs={"autocommit": True, "row_factory": _row_factory, "connect_timeout": CONNECT_TIMEOUT_S},
                check=ConnectionPool.check_connection,  # a server restarted meanwhile: a new connection, no error
                timeout=CONNECT_TIMEOUT_S,
                open=True,
            )
            atexit.register(pool.close)
            _pools[(url, readonly)] = pool
        return pool


class PostgresStore(SQLStore):
    _TEXT_FROM = "FROM articles a WHERE a.search @@ ?::tsquery"
    _TEXT_ID = "a.id"
    _TEXT_IN = "a.search @@ ?::tsquery"
    _NEWEST = "a.date DESC NULLS LAST, a.id DESC"
    _DISTINCT_LIST = "string_agg(DISTINCT {}, ',')"

    def __init__(self, url: str, readonly: bool = False, pooled: bool = False) -> None:
        if psycopg is None:
            raise StoreError("PostgreSQL archives need psycopg: pip install 'propscope[postgresql]'")
        super().__init__()
        self.Error = psycopg.Error
        # What a write may meet that is the server's or the user's doing, not a bug: one line each.
        self.OperationalError = (
            psycopg.OperationalError,
            pg_errors.ReadOnlySqlTransaction,
            pg_errors.InsufficientPrivilege,
        )
        self.IntegrityError = psycopg.IntegrityError
        self.url = url
        self.label = redacted(url)
        self.readonly = readonly
        self._tsqueries: dict[str, str] = {}  # what the user typed -> its tsquery text
        self._pool = _pool(url, readonly) if pooled else None
        try:
            if self._pool is not None:
                raw = self._pool.getconn()
            else:
                raw = psycopg.connect(url, autocommit=True, row_factory=_row_factory, connect_timeout=CONNECT_TIMEOUT_S)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StoreError(
                f"{self.label}: cannot connect ({_first_line(exc)}); is the server running and the URL right?"
            ) from exc
        self.conn = _Connection(raw)
        try:
            if self._pool is None or url not in _checked:
                wanted = os.environ.get(TEXT_INDEX_ENV, "auto").strip().lower() or "auto"
                if wanted not in ("auto", "rum", "gin"):
                    raise StoreError(f"{TEXT_INDEX_ENV}={wanted!r}: say rum, gin or auto")
                raw.execute("SELECT set_config('propscope.text_index', %s, false)", [wanted])
                self._migrate()
                _checked[url] = self._text_index_method() == "rum"
            self.ranked_by_index = _checked[url]
            if readonly:
                raw.execute("SET default_transaction_read_only = on")
            else:
                # As SQLite's busy timeout: a writer waits a minute for another, then says so; and a writing
                # session left idle in a transaction (its process stopped) lets go of the lock after a minute.
                raw.execute(f"SET lock_timeout = {WRITE_WAIT_MS}")
                raw.execute(f"SET idle_in_transaction_session_timeout = {WRITE_WAIT_MS}")
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """A pooled connection goes back to its pool (rolled back there if a transaction was left open)."""
        if self._pool is not None:
            self._pool.putconn(self.conn.raw)
        else:
            self.conn.close()

    # -- schema -------------------------------------------------------------------------------------------

    def schema_version(self) -> int:
        try:
            row = self.conn.execute("SELECT max(version) FROM propscope_schema").fetchone()
        except pg_errors.UndefinedTable:
            return 0
        return int(row[0] or 0)

    def _migrate(self) -> None:
        """Bring the schema up to date in one transaction (PostgreSQL's DDL is transactional) under the write
        lock: two processes opening a new archive at once take turns, the second finding the work done."""
        migrations = read_migrations(MIGRATIONS)
        latest = migrations[-1][0]
        current = self.schema_version()
        if current > latest:
            raise StoreError(f"{self.label}: archive schema {current} is newer than this propscope ({latest}); upgrade")
        if current == latest:
            return
        if self.readonly and current == 0:
            raise StoreError(f"{self.label}: no propscope archive in this database; run 'propscope ingest' first")
        try:
            with self.conn:
                self.conn.execute("CREATE TABLE IF NOT EXISTS propscope_schema (version integer NOT NULL)")
                current = self.schema_version()
                for version, script in migrations:
                    if version > current:
                        self.conn.raw.execute(script)
                        self.conn.execute("INSERT INTO propscope_schema(version) VALUES (?)", (version,))
        except psycopg.Error as exc:
            raise StoreError(
                f"{self.label}: cannot create or upgrade the archive's tables ({_first_line(exc)}); the database"
                " user needs the right to create tables and the unaccent extension (or an administrator opens it once)"
            ) from exc

    def _text_index_method(self) -> str:
        """rum or gin: the access method of the words' index this archive was given."""
        row = self.conn.execute(
            "SELECT am.amname FROM pg_class i JOIN pg_am am ON am.oid = i.relam"
            " WHERE i.oid = to_regclass('articles_search')"
        ).fetchone()
        return str(row[0]) if row else "gin"

    # -- the engine's own ways ------------------------------------------------------------------------------

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        return int(self.conn.execute(sql + " RETURNING id", params).fetchone()[0])

    def _reserve_ids(self, count: int) -> list[int]:
        if not count:
            return []
        return [
            int(r[0])
            for r in self.conn.execute(
                "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, ?)", (count,)
            )
        ]

    def _insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], conflict: str = "") -> None:
        """COPY for many rows; those that may repeat go through a temporary table, then INSERT ... ON CONFLICT."""
        if len(rows) <= COPY_FROM_ROWS:
            return super()._insert_rows(table, columns, rows, conflict)
        names = ", ".join(f'"{c}"' for c in columns)
        target = f"propscope_incoming_{table}" if conflict else table
        if conflict:
            self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {target} AS SELECT {names} FROM {table} WITH NO DATA")
        with self.conn.raw.cursor() as cursor, cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if conflict:
            self.conn.execute(f"INSERT INTO {table}({names}) SELECT {names} FROM {target}{conflict}")
            self.conn.execute(f"TRUNCATE {target}")

    def _in_chunks(self, sql: str, values: Sequence[Any], size: int = 20_000) -> Iterator[tuple[Any, ...]]:
        """The IN list as one array parameter: one statement text whatever the count (psycopg parsed each new
        length of a question-mark list anew: a sixth of an ingest)."""
        for start in range(0, len(values), size):
            chunk = list(values[start : start + size])
            yield from (tuple(r) for r in self.conn.execute(sql.replace("IN ({})", "= ANY(?)"), (chunk,)))

    def _text_arg(self, query: str) -> str:
        """Translated once per store: a search page asks for its hits, their count and its facets."""
        known = self._tsqueries.get(query)
        if known is None:
            terms = parse_query(query)
            operands = tsquery_operands(terms)
            row = self.conn.raw.execute("SELECT " + ", ".join(sql for sql, _ in operands), [a for _, a in operands])
            known = self._tsqueries[query] = to_tsquery(terms, list(row.fetchone()))
        return known

    def _text_rows(
        self, match: str, where: str, params: list[Any], filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        columns = "a.id, a.date, a.title, a.genre, a.source"
        if sort == "relevance" and self.ranked_by_index:
            # RUM's distance (the inverse of ts_rank's score): the best-ranked matches come from the index,
            # in its order (a second sort key, even the id, would have every match ranked and sorted).
            sql = (
                f"SELECT {columns}, a.search <=> ?::tsquery AS score FROM articles a"
                f" WHERE a.search @@ ?::tsquery {where} ORDER BY a.search <=> ?::tsquery LIMIT ? OFFSET ?"
            )
            args = [match, match, *params, match, limit, offset]
        elif sort == "relevance":
            # ts_rank_cd: more weight to the title (A) than the body (B), and to matches near each other.
            sql = (
                f"SELECT {columns}, -ts_rank_cd(a.search, ?::tsquery) AS score FROM articles a"
                f" WHERE a.search @@ ?::tsquery {where} ORDER BY score, a.id LIMIT ? OFFSET ?"
            )
            args = [match, match, *params, limit, offset]
        else:
            sql = (
                f"SELECT {columns}, 0 AS score FROM articles a WHERE a.search @@ ?::tsquery {where}"
                f" ORDER BY {self._NEWEST} LIMIT ? OFFSET ?"
            )
            args = [match, *params, limit, offset]
        return [dict(r) for r in self.conn.execute(sql, args)]

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """A server-side cursor: the rows come a chunk at a time, never all in memory."""
        with self.conn.raw.transaction(), self.conn.raw.cursor(name="propscope_stream") as cursor:
            cursor.itersize = 5000
            cursor.execute(_qmark(sql), list(params))
            yield from cursor

    def _write_refused(self, exc: Exception) -> StoreError:
        if isinstance(exc, pg_errors.DiskFull):
            why = "the server's disk is full"
        elif isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            why = "the archive was opened read-only, or the server is a read-only replica"
        elif isinstance(exc, pg_errors.LockNotAvailable):
            why = f"another process has been writing to it for over {WRITE_WAIT_MS // 1000} s"
        elif isinstance(exc, pg_errors.InsufficientPrivilege):
            why = "the database user may not write these tables"
        else:
            why = _first_line(exc)
        return StoreError(
            f"{self.label}: cannot write ({why}); the batch was rolled back and the archive is intact;"
            " fix that and run the command again"
        )
