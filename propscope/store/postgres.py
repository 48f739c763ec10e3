"""The PostgreSQL archive: one server a team shares (a postgresql://user@host/db URL).

The same schema concepts, migrations and statements as the SQLite archive (the concerns of store/ hold them);
what is PostgreSQL's own is here: its dialect (%s parameters, arrays for IN lists, tsquery compiled by the
server's own parser), psycopg 3 connections (pooled for a server process), COPY for many rows, a server-side
cursor for streaming, full-text search by a tsvector column under a RUM or GIN index (migrations_postgresql/),
and one writer at a time by an advisory lock, as SQLite has, so concurrent ingests never interleave a batch
and readers never wait.
"""

from __future__ import annotations

import atexit
import contextlib
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from propscope import budget as budgets
from propscope.errors import StoreError
from propscope.model import SearchFilters
from propscope.search import Term
from propscope.store.dialect import Dialect
from propscope.store.engine import Engine, read_migrations
from propscope.store.sql import SQLStore

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
TEXT_INDEXES = ("auto", "rum", "gin")  # the words' index a new archive gets (auto: RUM if it can be had)
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
                kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
                check=ConnectionPool.check_connection,  # a server restarted meanwhile: a new connection, no error
                timeout=CONNECT_TIMEOUT_S,
                open=True,
            )
            atexit.register(pool.close)
            _pools[(url, readonly)] = pool
        return pool


def tsquery_operands(terms: list[Term], config: str = "propscope") -> list[tuple[str, str]]:
    """(SQL expression with one %s, its argument) giving the tsquery text of each word, phrase and prefix,
    through the server's own parser and dictionaries as the indexed text went (so no user text is ever read as
    tsquery syntax)."""
    return [
        (f"phraseto_tsquery('{config}', %s)::text", t.value)
        if t.kind == "phrase"
        else (f"to_tsquery('{config}', %s)::text", t.value + ":*")
        for t in terms
        if t.kind in ("phrase", "prefix")
    ]


NO_MATCH = "'no:match'"  # a lexeme no text has (':' splits indexed words): an operand with no words left


def to_tsquery(terms: list[Term], operands: Sequence[str]) -> str:
    """tsquery text: the operands' texts (tsquery_operands, as the server gave them) joined by the query's
    operators. Words side by side must all match, as in FTS5; NOT binds tighter than AND, AND than OR."""
    given = iter(operands)
    parts: list[str] = []
    operand = False  # the last part ends an operand: a word, a phrase or ')'
    for term in terms:
        if term.kind in ("phrase", "prefix") or term.value == "(":
            if operand:
                parts.append("&")
            parts.append(f"({next(given) or NO_MATCH})" if term.kind != "paren" else "(")
            operand = term.kind != "paren"
        elif term.value == ")":
            parts.append(")")
            operand = True
        elif term.value == "NOT":
            parts.append("& !" if operand else "!")
            operand = False
        else:
            parts.append("&" if term.value == "AND" else "|")
            operand = False
    return " ".join(parts)


class PostgresDialect(Dialect):
    param = "%s"
    in_chunk = 20_000  # an array parameter: one statement text whatever the count
    text_from = "FROM articles a WHERE a.search @@ %s::tsquery"
    text_id = "a.id"
    text_in = "a.search @@ %s::tsquery"
    newest = "a.date DESC NULLS LAST, a.id DESC"

    def __init__(self) -> None:
        self.Error = psycopg.Error
        self.IntegrityError = psycopg.IntegrityError
        # What a write may meet that is the server's or the user's doing, not a bug: one line each.
        self._refusals = (psycopg.OperationalError, pg_errors.ReadOnlySqlTransaction, pg_errors.InsufficientPrivilege)

    def in_list(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """One array parameter (psycopg parsed each new length of a list of placeholders anew: a sixth of an
        ingest)."""
        return f"{column} = ANY(%s)", [list(values)]

    def distinct_list(self, column: str) -> str:
        return f"string_agg(DISTINCT {column}, ',')"

    def compile_query(self, terms: list[Term], engine: Engine) -> str:
        operands = tsquery_operands(terms)
        row = engine.one("SELECT " + ", ".join(sql for sql, _ in operands), [a for _, a in operands])
        return to_tsquery(terms, list(row))

    def refused_write(self, exc: Exception) -> str | None:
        if isinstance(exc, pg_errors.DiskFull):
            return "the server's disk is full"
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            return "the archive was opened read-only, or the server is a read-only replica"
        if isinstance(exc, pg_errors.LockNotAvailable):
            return f"another process has been writing to it for over {WRITE_WAIT_MS // 1000} s"
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            return "the database user may not write these tables"
        return _first_line(exc) if isinstance(exc, self._refusals) else None

    def refused_query(self, exc: Exception) -> bool:
        return isinstance(exc, pg_errors.SyntaxError) and "tsquery" in str(exc)

    def stopped(self, exc: Exception) -> bool:
        return isinstance(exc, pg_errors.QueryCanceled)  # statement_timeout, or the budget's cancel


class PostgresEngine(Engine):
    """psycopg in autocommit mode: each statement outside `transaction()` commits by itself."""

    def __init__(self, url: str, readonly: bool, pooled: bool, text_index: str) -> None:
        self.dialect = PostgresDialect()
        self.label = redacted(url)
        self.readonly = readonly
        self._depth = 0  # transactions open: the outermost takes the write lock
        self._pool = _pool(url, readonly) if pooled else None
        try:
            if self._pool is not None:
                self.conn = self._pool.getconn()
            else:
                self.conn = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        except (psycopg.Error, PoolTimeout) as exc:
            raise StoreError(
                f"{self.label}: cannot connect ({_first_line(exc)}); is the server running and the URL right?"
            ) from exc
        try:
            if self._pool is None or url not in _checked:
                wanted = text_index.strip().lower() or "auto"
                if wanted not in TEXT_INDEXES:
                    raise StoreError(f"text index {text_index!r} (PROPSCOPE_PG_TEXT_INDEX): say rum, gin or auto")
                self.conn.execute("SELECT set_config('propscope.text_index', %s, false)", [wanted])
                self._migrate()
                _checked[url] = self._text_index_method() == "rum"
            self.ranked_by_index = _checked[url]
            if readonly:
                self.conn.execute("SET default_transaction_read_only = on")
                self._budget(budgets.current())
            else:
                # As SQLite's busy timeout: a writer waits a minute for another, then says so; and a writing
                # session left idle in a transaction (its process stopped) lets go of the lock after a minute.
                self.conn.execute(f"SET lock_timeout = {WRITE_WAIT_MS}")
                self.conn.execute(f"SET idle_in_transaction_session_timeout = {WRITE_WAIT_MS}")
        except BaseException:
            self.close()
            raise

    def _budget(self, budget: budgets.Budget | None) -> None:
        """A reading request's budget: the server stops each statement at the deadline (statement_timeout),
        and cancelling the budget (client gone, server stopping) cancels the statement running now."""
        if budget is None:
            return
        self.budget = budget
        self.conn.execute(f"SET statement_timeout = {budget.remaining_ms()}")
        self._cancel = getattr(self.conn, "cancel_safe", None) or self.conn.cancel
        budget.on_cancel(self._cancel)

    def data_version(self) -> str | None:
        """The cluster's snapshot (xmin:xmax:in-progress ids): another commit anywhere changes it, so a cache
        keyed on it can only be emptied too often, never kept too long. A server's reads only."""
        if self._pool is None:
            return None
        return str(self.conn.execute("SELECT pg_current_snapshot()::text").fetchone()[0])

    def close(self) -> None:
        """A pooled connection goes back to its pool (rolled back there if a transaction was left open)."""
        if self.budget is not None:
            self.budget.forget(self._cancel)
            with contextlib.suppress(psycopg.Error):
                self.conn.execute("RESET statement_timeout")  # the pool's next borrower has its own budget
        if self._pool is not None:
            self._pool.putconn(self.conn)
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
            with self.transaction():
                self.conn.execute("CREATE TABLE IF NOT EXISTS propscope_schema (version integer NOT NULL)")
                current = self.schema_version()
                for version, script in migrations:
                    if version > current:
                        self.conn.execute(script)
                        self.conn.execute("INSERT INTO propscope_schema(version) VALUES (%s)", (version,))
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

    # -- statements ---------------------------------------------------------------------------------------

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self.conn.execute(sql, params or None)  # no parameters: no placeholders read

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.conn.cursor() as cursor:
                cursor.executemany(sql, rows)

    def insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], conflict: str = "") -> None:
        """COPY for many rows; those that may repeat go through a temporary table, then INSERT ... ON CONFLICT."""
        if len(rows) <= COPY_FROM_ROWS:
            return super().insert_rows(table, columns, rows, conflict)
        names = ", ".join(f'"{c}"' for c in columns)
        target = f"propscope_incoming_{table}" if conflict else table
        if conflict:
            self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {target} AS SELECT {names} FROM {table} WITH NO DATA")
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {target} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        if conflict:
            self.conn.execute(f"INSERT INTO {table}({names}) SELECT {names} FROM {target}{conflict}")
            self.conn.execute(f"TRUNCATE {target}")

    def stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """A server-side cursor: the rows come a chunk at a time, never all in memory."""
        with self.conn.transaction(), self.conn.cursor(name="propscope_stream") as cursor:
            cursor.itersize = 5000
            cursor.execute(sql, params or None)
            yield from cursor

    # -- writing ------------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        with self.conn.transaction():
            self._depth += 1
            try:
                if self._depth == 1:
                    self.conn.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
                yield
            finally:
                self._depth -= 1

    def reserve_ids(self, count: int) -> list[int]:
        if not count:
            return []
        return [
            int(r[0])
            for r in self.conn.execute(
                "SELECT nextval(pg_get_serial_sequence('articles', 'id')) FROM generate_series(1, %s)", (count,)
            )
        ]


class PostgresStore(SQLStore):
    def __init__(self, url: str, readonly: bool = False, pooled: bool = False, text_index: str = "auto") -> None:
        """`text_index`: rum, gin or auto, the words' index the archive gets if this opening creates it."""
        if psycopg is None:
            raise StoreError("PostgreSQL archives need psycopg: pip install 'propscope[postgresql]'")
        self.url = url
        self.readonly = readonly
        self.db = PostgresEngine(url, readonly, pooled, text_index)
        self.ranked_by_index = self.db.ranked_by_index  # RUM: the index itself ranks
        super().__init__()

    def _text_rows(
        self, match: str, where: str, params: list[Any], filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        columns = "a.id, a.date, a.title, a.genre, a.source"
        if sort == "relevance" and self.ranked_by_index:
            # RUM's distance (the inverse of ts_rank's score): the best-ranked matches come from the index,
            # in its order (a second sort key, even the id, would have every match ranked and sorted).
            sql = (
                f"SELECT {columns}, a.search <=> %s::tsquery AS score FROM articles a"
                f" WHERE a.search @@ %s::tsquery {where} ORDER BY a.search <=> %s::tsquery LIMIT %s OFFSET %s"
            )
            args = [match, match, *params, match, limit, offset]
        elif sort == "relevance":
            # ts_rank_cd: more weight to the title (A) than the body (B), and to matches near each other.
            sql = (
                f"SELECT {columns}, -ts_rank_cd(a.search, %s::tsquery) AS score FROM articles a"
                f" WHERE a.search @@ %s::tsquery {where} ORDER BY score, a.id LIMIT %s OFFSET %s"
            )
            args = [match, match, *params, limit, offset]
        else:
            sql = (
                f"SELECT {columns}, 0 AS score FROM articles a WHERE a.search @@ %s::tsquery {where}"
                f" ORDER BY {self.d.newest} LIMIT %s OFFSET %s"
            )
            args = [match, *params, limit, offset]
        return self.db.dicts(sql, args)
