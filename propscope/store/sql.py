"""What every SQL archive does the same way: the statements both engines run as written (question-mark
parameters, upserts by ON CONFLICT), with the few things each engine does its own way (full-text search,
new ids, streaming, the write lock, error wording) left to its subclass: sqlite.py and postgres.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np

from propscope.enrich.duplicates import band_key_matrix, near_copies, signature_from_bytes
from propscope.errors import ListingError, NotFoundError, QueryError, StoreError
from propscope.model import Article, Quarantined, SearchFilters, SearchHit
from propscope.search import Term, keyword_in_context, keyword_pattern, parse_query
from propscope.store.codec import (
    ARTICLE_COLUMNS,
    Prepared,
    article_from_row,
    compress,
    decompress,
    rebuilt_text,
)

log = logging.getLogger(__name__)
FACET_NAMES = ("genre", "outlet", "country", "person", "technique", "target", "date")
PENDING_BANDS_MAX = 300_000  # band rows kept in memory before they are written (about 25 MB)
_ARTICLE_INSERT = ("id", "article_key", "version", *ARTICLE_COLUMNS, "ingested_at", "updated_at")
_NOTHING = " ON CONFLICT DO NOTHING"
# Rows that hang off an article, written together per table and batch: (columns, what a repeated row does).
_SIDE_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "raw_inputs": (
        ("raw_sha1", "article_id", "version", "input_kind", "origin", "record_id", "raw_zlib", "ingested_at"),
        "",
    ),
    "article_entities": (("article_id", "type", "canonical", "country", "mentions", "first_start"), _NOTHING),
    "article_countries": (("article_id", "country"), _NOTHING),
    "article_persons": (("article_id", "person"), _NOTHING),
    "article_outlets": (("article_id", "outlet", "form"), _NOTHING),
    "support_events": (
        ("article_id", "actor", "actor_type", "country", "action", "place", "date", "start", "end"),
        "",
    ),
    "article_techniques": (("article_id", "technique", "spans", "max_score"), ""),
    "article_epithets": (("article_id", "kind", "target", "spans"), ""),
    "article_hostility": (("article_id", "country", "score"), ""),
}


_PER_ARTICLE_TABLES = tuple(table for table in _SIDE_TABLES if table != "raw_inputs")  # what a new parse replaces


def _date_clauses(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """Bounds on the article's date; "until 2012" or "until 2012-05" take in the whole year or month."""
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append("a.date >= ?")
        params.append(since)
    if until:
        clauses.append("a.date <= ?")
        params.append(until + "\uffff" if len(until) < 10 else until)
    return clauses, params


def _add_in(clauses: list[str], params: list[Any], column: str, values: Sequence[str]) -> None:
    if values:
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
        params.extend(values)


def _side_rows(article_id: int, item: Prepared) -> dict[str, list[tuple[Any, ...]]]:
    """The rows that hang off one article, by table."""
    return {
        "article_entities": [(article_id, *entity) for entity in item.entities],
        "article_countries": [(article_id, code) for code in item.countries],
        "article_persons": [(article_id, name) for name in item.persons],
        "article_outlets": [(article_id, *outlet) for outlet in item.outlets],
        "support_events": [(article_id, *event) for event in item.support_events],
        "article_techniques": [(article_id, *row) for row in item.techniques],
        "article_epithets": [(article_id, *row) for row in item.epithets],
        "article_hostility": [(article_id, *row) for row in item.hostility],
    }


def _hit(row: Mapping[str, Any], snippet: str, score: float, copies: int = 0) -> SearchHit:
    """Snippets keep the match marks; white space is collapsed for one-line display."""
    return SearchHit(
        row["id"], row["date"], row["title"], row["genre"], row["source"], " ".join(snippet.split()), score, copies
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def read_migrations(folder: str) -> list[tuple[int, str]]:
    """(version, script) of each `NNNN_name.sql` in a folder of propscope.store, oldest first."""
    found = []
    for item in (resources.files("propscope.store") / folder).iterdir():
        if item.name.endswith(".sql"):
            found.append((int(item.name.split("_", 1)[0]), item.read_text(encoding="utf-8")))
    return sorted(found)


class SQLStore:
    """The archive's methods over a DB-API connection (`conn`: execute, executemany, `with conn:` for one
    transaction, rows readable by index and by name). Every write goes through `_writing`: one writer at a time."""

    conn: Any
    label: str  # how messages name the archive: its path, or its URL without a password
    Error: type[Exception] = Exception
    OperationalError: type[Exception] | tuple[type[Exception], ...] = Exception  # what a write may meet
    IntegrityError: type[Exception] = Exception
    # The full-text engine, as SQL over `articles a` with one parameter (the value of `_text_arg`):
    _TEXT_FROM = ""  # FROM ... WHERE, joining the matches to `a`
    _TEXT_ID = ""  # the matches' article id column there (keyset paging follows it)
    _TEXT_IN = ""  # a condition on `a`: it is one of the matches
    _NEWEST = "a.date DESC, a.id DESC"  # newest first, undated last
    _DISTINCT_LIST = "group_concat(DISTINCT {})"  # the distinct values of a column, comma-separated

    def __init__(self) -> None:
        # Band rows of newly written articles, kept here and written sorted in bulk: written a batch at a time,
        # their random keys dirtied a page each and the WAL grew by ~20 MB per batch (a fifth of ingest time).
        self._pending_bands: dict[int, list[int]] = {}
        self._pending_rows = 0

    # -- what each engine does its own way ------------------------------------------------------------------

    def _insert_id(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT of one row into a table with an `id` key; the new row's id."""
        raise NotImplementedError

    def _begin_write(self) -> None:
        """Take the engine's write lock now, at the start of a writing transaction (`with conn:`), so that what
        the transaction reads before it writes (what is stored already, the next ids) stays true."""

    def _reserve_ids(self, count: int) -> list[int]:
        """Ids for this many new articles, inside the writing transaction (the engine's one writer)."""
        raise NotImplementedError

    def _insert_rows(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], conflict: str = "") -> None:
        """Many rows into one table; `conflict`: an ON CONFLICT clause for rows already there."""
        if rows:
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" * len(columns))
            self.conn.executemany(f"INSERT INTO {table}({names}) VALUES ({marks}){conflict}", rows)

    def _index_new(self, ids: list[int]) -> None:
        """Bring the full-text index up to date with these newly inserted articles."""

    def _text_arg(self, query: str) -> str:
        """The search language, translated for the engine's full-text match (raises QueryError)."""
        raise NotImplementedError

    def _text_rows(
        self, match: str, where: str, params: list[Any], filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        """A page of matching articles (id, date, title, genre, source, score: lower is better)."""
        raise NotImplementedError

    def _after_text(self, where: str) -> str:
        """Filters checked on the full-text matches (SQLite: kept from driving the plan)."""
        return where

    def _stream(self, sql: str, params: Sequence[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows of a query too big for memory, a chunk at a time."""
        yield from self.conn.execute(sql, params)

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """One writing transaction, the engine's write lock taken first; a write the engine refuses (full disk,
        read-only, no permission) rolls it all back and becomes one line (StoreError)."""
        try:
            with self.conn:
                self._begin_write()
                yield
        except self.OperationalError as exc:
            raise self._write_refused(exc) from exc

    def _write_refused(self, exc: Exception) -> StoreError:
        """One line for a write the engine refused (full disk, read-only, no permission), in its words."""
        raise NotImplementedError

    @contextlib.contextmanager
    def _searching(self, query: str | None) -> Iterator[None]:
        """A query the engine cannot read becomes one line naming what the user typed."""
        try:
            yield
        except self.OperationalError as exc:
            if "fts5" in str(exc).lower() or "syntax" in str(exc).lower():
                raise QueryError(f"cannot search for {query!r}: {exc}") from exc
            raise

    def _insert_side_rows(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        columns, conflict = _SIDE_TABLES[table]
        self._insert_rows(table, columns, rows, conflict)

    def schema_version(self) -> int:
        raise NotImplementedError

    def close(self) -> None:
        self.conn.close()

    # -- writing ------------------------------------------------------------------------------------------

    def stored_raw(self, raw_sha1s: Sequence[str]) -> dict[str, int]:
        """Raw inputs already stored, of these: raw SHA-1 -> the article it was stored for."""
        return {
            r[0]: int(r[1])
            for r in self._in_chunks("SELECT raw_sha1, article_id FROM raw_inputs WHERE raw_sha1 IN ({})", raw_sha1s)
        }

    def close_listing_run(self, listing: str, seen: set[int], mass_limit: float | None = 0.5) -> tuple[int, int, int]:
        """Record which articles a complete run over `listing` held: earlier members it lacks are marked
        deleted now, deleted members it holds again are restored. Returns (members, deleted, restored).

        A run missing more than `mass_limit` of the earlier members is more likely a partial listing than a
        purge: then nothing is marked and ListingError says so (None allows it)."""
        now = _now()
        with self._writing():
            self.conn.execute(
                "INSERT INTO listings(name, created_at, last_run_at) VALUES (?, ?, ?)"
                " ON CONFLICT(name) DO UPDATE SET last_run_at = excluded.last_run_at",
                (listing, now, now),
            )
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS seen_now(article_id INTEGER PRIMARY KEY)")
            self.conn.execute("DELETE FROM seen_now")
            self.conn.executemany("INSERT INTO seen_now VALUES (?) ON CONFLICT DO NOTHING", ((i,) for i in seen))
            earlier = int(
                self.conn.execute("SELECT count(*) FROM listing_members WHERE listing = ?", (listing,)).fetchone()[0]
            )
            missing = [
                (int(r[0]), r[1])
                for r in self.conn.execute(
                    "SELECT m.article_id, m.last_seen FROM listing_members m"
                    " WHERE m.listing = ? AND m.article_id NOT IN (SELECT article_id FROM seen_now)"
                    " AND NOT EXISTS (SELECT 1 FROM deletions d WHERE d.article_id = m.article_id"
                    " AND d.listing = m.listing AND d.restored_at IS NULL)",
                    (listing,),
                )
            ]
            if mass_limit is not None and earlier >= 10 and len(missing) > mass_limit * earlier:
                raise ListingError(
                    f"listing {listing!r}: {len(missing):,} of {earlier:,} earlier articles are missing from this run;"
                    " nothing was marked deleted (a partial listing?); rerun with --allow-mass-deletion if it"
                    " really shrank"
                )
            self.conn.executemany(
                "INSERT INTO deletions(article_id, listing, deleted_at, last_seen) VALUES (?, ?, ?, ?)",
                ((article_id, listing, now, last_seen) for article_id, last_seen in missing),
            )
            self.conn.executemany(
                "UPDATE articles SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
                ((now, article_id) for article_id, _ in missing),
            )
            restored = self.conn.execute(
                "UPDATE deletions SET restored_at = ? WHERE listing = ? AND restored_at IS NULL"
                " AND article_id IN (SELECT article_id FROM seen_now)",
                (now, listing),
            ).rowcount
            self.conn.execute(
                "UPDATE articles SET deleted_at = NULL WHERE deleted_at IS NOT NULL"
                " AND id IN (SELECT article_id FROM seen_now)"
                " AND NOT EXISTS (SELECT 1 FROM deletions d WHERE d.article_id = articles.id AND d.restored_at IS NULL)"
            )
            self.conn.execute(
                "INSERT INTO listing_members(listing, article_id, first_seen, last_seen)"
                " SELECT ?, article_id, ?, ? FROM seen_now WHERE true"
                " ON CONFLICT(listing, article_id) DO UPDATE SET last_seen = excluded.last_seen",
                (listing, now, now),
            )
            self.conn.execute("DELETE FROM seen_now")
        return len(seen), len(missing), max(0, restored)

    def deleted(self, since: str | None = None, listing: str | None = None) -> list[dict[str, Any]]:
        """Articles that left a listing, newest deletion first, with whether they came back."""
        clauses, params = [], []
        if since:
            clauses.append("d.deleted_at >= ?")
            params.append(since)
        if listing:
            clauses.append("d.listing = ?")
            params.append(listing)
        where = " AND ".join(clauses) or "1 = 1"
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT a.id, a.date, a.title, d.listing, d.last_seen, d.deleted_at, d.restored_at"
                f" FROM deletions d JOIN articles a ON a.id = d.article_id WHERE {where}"
                " ORDER BY d.deleted_at DESC, a.id",
                params,
            )
        ]

    def set_countries(self, names: dict[str, str]) -> None:
        with self._writing():
            self.conn.executemany(
                "INSERT INTO countries(code, name) VALUES (?, ?) ON CONFLICT(code) DO UPDATE SET name = excluded.name",
                sorted(names.items()),
            )

    def start_run(self, inputs: Sequence[str]) -> int:
        with self._writing():
            return self._insert_id(
                "INSERT INTO ingest_runs(started_at, inputs) VALUES (?, ?)", (_now(), json.dumps(list(inputs)))
            )

    def finish_run(self, run_id: int, added: int, unchanged: int, new_versions: int, quarantined: int) -> None:
        """The run's counts; bookkeeping only, so a failure here (a full disk) never hides the run's own error."""
        try:
            self._finish_run(run_id, added, unchanged, new_versions, quarantined)
        except (StoreError, self.Error) as exc:
            log.warning("could not record the end of ingest run %s: %s", run_id, exc)

    def _finish_run(self, run_id: int, added: int, unchanged: int, new_versions: int, quarantined: int) -> None:
        with self._writing():
            self.conn.execute(
                "UPDATE ingest_runs SET finished_at = ?, added = ?, unchanged = ?, new_versions = ?, quarantined = ?"
                " WHERE id = ?",
                (_now(), added, unchanged, new_versions, quarantined, run_id),
            )

    def write_batch(
        self,
        items: Sequence[Prepared],
        quarantined: Sequence[Quarantined],
        run_id: int | None,
        seen: set[int] | None = None,
    ) -> tuple[int, int, int]:
        """Store prepared articles in one transaction: an article is written whole or not at all.

        Returns (added, unchanged, new_versions); `seen` collects the id of every article the items are.
        A write the disk or the file refuses rolls the batch back and says so in one line (StoreError).
        """
        return self._write_batch(items, quarantined, run_id, seen)

    def _write_batch(
        self,
        items: Sequence[Prepared],
        quarantined: Sequence[Quarantined],
        run_id: int | None,
        seen: set[int] | None,
    ) -> tuple[int, int, int]:
        added = unchanged = new_versions = 0
        now = _now()
        side: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _SIDE_TABLES}
        new_rows: list[tuple[Any, ...]] = []
        new_ids: list[int] = []
        to_place: list[tuple[int, Prepared]] = []  # new articles, put into clusters together

        def flush() -> None:
            """Write the batch's new articles and pending rows, index them and place them in clusters: needed
            before a supersede, which may touch an article inserted earlier in this very batch, and at the end."""
            self._insert_rows("articles", _ARTICLE_INSERT, new_rows)
            new_rows.clear()
            for table, rows in side.items():
                self._insert_side_rows(table, rows)
                rows.clear()
            if new_ids:
                self._index_new(new_ids)
                new_ids.clear()
            if to_place:
                self._place_new_in_clusters(to_place)
                to_place.clear()

        with self._writing():
            # What the archive already holds, for the whole batch in two queries (two per article cost a tenth
            # of an ingest); kept up to date below as the batch adds articles and versions.
            stored_raw = self.stored_raw([i.raw_sha1 for i in items])
            known: dict[str, tuple[int, int, str]] = {
                r[0]: (int(r[1]), int(r[2]), r[3])
                for r in self._in_chunks(
                    "SELECT article_key, id, version, content_sha1 FROM articles WHERE article_key IN ({})",
                    list({i.key for i in items}),
                )
            }
            # Ids for the new articles, all at once (one statement per article was a third of a PostgreSQL ingest).
            fresh = {i.key for i in items if i.key not in known and i.raw_sha1 not in stored_raw}
            reserved = iter(self._reserve_ids(len(fresh)))
            for item in items:
                if item.raw_sha1 in stored_raw:
                    unchanged += 1
                    if seen is not None:
                        seen.add(stored_raw[item.raw_sha1])
                    continue
                existing = known.get(item.key)
                if existing is not None and seen is not None:
                    seen.add(existing[0])
                if existing is None:
                    article_id, version = next(reserved), 1
                    new_rows.append((article_id, item.key, 1, *item.values, now, now))
                    new_ids.append(article_id)
                    if seen is not None:
                        seen.add(article_id)
                    added += 1
                elif existing[2] == item.content_sha1:
                    unchanged += 1
                    continue
                else:
                    article_id, version = existing[0], existing[1] + 1
                    flush()
                    self._supersede(article_id, item, version, now)
                    new_versions += 1
                    self._place_in_cluster(article_id, item)
                known[item.key] = (article_id, version, item.content_sha1)
                stored_raw[item.raw_sha1] = article_id
                if version == 1:
                    to_place.append((article_id, item))
                for table, rows in _side_rows(article_id, item).items():
                    side[table].extend(rows)
                side["raw_inputs"].append(
                    (item.raw_sha1, article_id, version, item.kind, item.origin, item.record_id, item.raw_zlib, now)
                )
            flush()
            for bad in quarantined:
                self._quarantine(bad, run_id, now)
        return added, unchanged, new_versions

    def _place_new_in_clusters(self, pending: Sequence[tuple[int, Prepared]]) -> None:
        """Find the articles' exact and near copies (content key, then LSH band keys and a signature check)
        and join their clusters, for a whole batch at once: one lookup of their content keys, one of their band
        keys, one of the candidates' signatures (one article at a time cost 13% of an ingest)."""
        items = [(article_id, item) for article_id, item in pending if item.content_key]
        if not items:
            return
        copies = dict(
            self._in_chunks(
                "SELECT content_key, min(article_id) FROM article_minhash WHERE content_key IN ({}) GROUP BY 1",
                [item.content_key for _, item in items],
            )
        )
        # Candidates: band rows already written, and those waiting in memory (earlier batches and, as the loop
        # below adds them, earlier articles of this one).
        stored: dict[int, list[int]] = {}
        pending_bands = self._pending_bands
        wanted = list({k for _, item in items if item.content_key not in copies for k in item.band_keys})
        for key, other in self._in_chunks("SELECT key, article_id FROM minhash_bands WHERE key IN ({})", wanted):
            stored.setdefault(int(key), []).append(int(other))
        known = {other for others in stored.values() for other in others}
        known.update(other for key in wanted for other in pending_bands.get(key, ()))
        signatures: dict[int, bytes] = dict(
            self._in_chunks("SELECT article_id, signature FROM article_minhash WHERE article_id IN ({})", list(known))
        )
        minhash_rows: list[tuple[int, int, bytes | None, int]] = []  # banded 0: band rows wait in memory
        joins: list[tuple[int, list[int]]] = []
        for article_id, item in items:
            if item.content_key in copies:
                joins.append((article_id, [copies[item.content_key]]))
                minhash_rows.append((article_id, item.content_key, None, 0))
                continue
            copies[item.content_key] = article_id  # a later copy in this batch joins this one
            matches: list[int] = []
            if item.signature is not None:
                candidates = {other for k in item.band_keys for other in stored.get(k, ())}
                candidates.update(other for k in item.band_keys for other in pending_bands.get(k, ()))
                if candidates:
                    matches = near_copies(
                        signature_from_bytes(item.signature),
                        [(c, signatures[c]) for c in candidates if c in signatures],
                    )
                for k in item.band_keys:
                    pending_bands.setdefault(k, []).append(article_id)
                self._pending_rows += len(item.band_keys)
                signatures[article_id] = item.signature
            minhash_rows.append((article_id, item.content_key, item.signature, 0))
            if matches:
                joins.append((article_id, matches))
        self._insert_rows("article_minhash", ("article_id", "content_key", "signature", "banded"), minhash_rows)
        for article_id, matches in joins:
            self._join_cluster(article_id, matches)
        if self._pending_rows >= PENDING_BANDS_MAX:
            self._write_pending_bands()

    def _write_pending_bands(self) -> None:
        """The band rows kept in memory, written sorted by key (inside the caller's transaction)."""
        if not self._pending_bands:
            return
        rows = sorted((key, other) for key, others in self._pending_bands.items() for other in others)
        self._insert_rows("minhash_bands", ("key", "article_id"), rows, _NOTHING)
        self.conn.execute("UPDATE article_minhash SET banded = 1 WHERE banded = 0")
        self._pending_bands.clear()
        self._pending_rows = 0

    def flush_bands(self) -> None:
        """Write the pending band rows; an ingest ends with it. Rows lost to a crash are rebuilt from the
        signatures by recover_bands."""
        with self._writing():
            self._write_pending_bands()

    def recover_bands(self) -> int:
        """Band rows of articles whose run ended before writing them (banded = 0), rebuilt from their
        signatures; an ingest starts with it."""
        rows = self.conn.execute(
            "SELECT article_id, signature FROM article_minhash WHERE banded = 0 AND signature IS NOT NULL"
        ).fetchall()
        if not rows and not self.conn.execute("SELECT 1 FROM article_minhash WHERE banded = 0 LIMIT 1").fetchone():
            return 0
        with self._writing():
            for start in range(0, len(rows), 2000):
                chunk = rows[start : start + 2000]
                keys = band_key_matrix(np.stack([signature_from_bytes(r[1]) for r in chunk])).tolist()
                rebuilt = sorted((k, int(r[0])) for r, row_keys in zip(chunk, keys, strict=True) for k in row_keys)
                self._insert_rows("minhash_bands", ("key", "article_id"), rebuilt, _NOTHING)
            self.conn.execute("UPDATE article_minhash SET banded = 1 WHERE banded = 0")
        return len(rows)

    def _in_chunks(self, sql: str, values: Sequence[Any], size: int = 900) -> Iterator[tuple[Any, ...]]:
        """Rows of `sql` (its one IN list written as {}) for many values, a chunk at a time."""
        for start in range(0, len(values), size):
            chunk = values[start : start + size]
            yield from (tuple(r) for r in self.conn.execute(sql.format(", ".join("?" * len(chunk))), chunk))

    def _join_cluster(self, article_id: int, matches: list[int]) -> None:
        """Put the article and its matches (and their clusters) into one cluster, the smallest id's."""
        marks = ", ".join("?" * len(matches))
        clusters = {
            int(r[0])
            for r in self.conn.execute(f"SELECT coalesce(cluster_id, id) FROM articles WHERE id IN ({marks})", matches)
        }
        target = min(clusters | {article_id})
        joined = sorted(clusters - {target})
        self.conn.execute(
            f"UPDATE articles SET cluster_id = ? WHERE id = ? OR id IN ({marks})"
            + (f" OR cluster_id IN ({', '.join('?' * len(joined))})" if joined else ""),
            [target, article_id, *matches, *joined],
        )

    def _place_in_cluster(self, article_id: int, item: Prepared) -> None:
        """One article placed anew (a new version, a reparse): its earlier text's entries go, then it is
        placed like a new one."""
        self._write_pending_bands()  # rare (new versions, reparse): its stale band rows must be in the table
        old = self.conn.execute("SELECT signature FROM article_minhash WHERE article_id = ?", (article_id,)).fetchone()
        if old is not None:  # a new version: its earlier text's entries go
            if old[0] is not None:
                stale = band_key_matrix(signature_from_bytes(old[0])[None, :])[0].tolist()
                self.conn.execute(
                    f"DELETE FROM minhash_bands WHERE article_id = ? AND key IN ({', '.join('?' * len(stale))})",
                    [article_id, *stale],
                )
            self.conn.execute("DELETE FROM article_minhash WHERE article_id = ?", (article_id,))
        self._place_new_in_clusters([(article_id, item)])
        self._write_pending_bands()

    def _supersede(self, article_id: int, item: Prepared, version: int, now: str) -> None:
        """A new text for a known article: the current one moves to article_versions, never overwritten."""
        self.conn.execute(
            "INSERT INTO article_versions(article_id, version, title, body, text, content_sha1, annotations,"
            " ingested_at) SELECT id, version, title, body, text, content_sha1, annotations, updated_at"
            " FROM articles WHERE id = ?",
            (article_id,),
        )
        assignments = ", ".join(f"{column} = ?" for column in ARTICLE_COLUMNS)
        self.conn.execute(
            f"UPDATE articles SET version = ?, {assignments}, updated_at = ? WHERE id = ?",
            (version, *item.values, now, article_id),
        )
        self._delete_side_rows(article_id)

    def stale_inputs(
        self, below_version: int, after_id: int, limit: int
    ) -> list[tuple[int, str, str, str | None, bytes]]:
        """(article_id, input kind, origin, record id, raw bytes) of the current version of articles parsed by
        an older parser, in id order from `after_id`: a page at a time, so a reparse runs in bounded memory."""
        rows = self.conn.execute(
            "SELECT a.id, r.input_kind, r.origin, r.record_id, r.raw_zlib FROM articles a"
            " JOIN raw_inputs r ON r.article_id = a.id AND r.version = a.version"
            " WHERE a.parser_version < ? AND a.id > ? ORDER BY a.id LIMIT ?",
            (below_version, after_id, limit),
        ).fetchall()
        return [(int(r[0]), r[1], r[2], r[3], decompress(r[4])) for r in rows]

    def reanalyze(self, items: Sequence[tuple[int, Prepared]]) -> None:
        """New parse results for stored articles, in place: the text is the same, so no version is made."""
        assignments = ", ".join(f"{column} = ?" for column in ARTICLE_COLUMNS)
        now = _now()
        with self._writing():
            for article_id, item in items:
                self.conn.execute(
                    f"UPDATE articles SET {assignments}, updated_at = ? WHERE id = ?", (*item.values, now, article_id)
                )
                self._delete_side_rows(article_id)
                for table, rows in _side_rows(article_id, item).items():
                    self._insert_side_rows(table, rows)
                known = self.conn.execute("SELECT 1 FROM article_minhash WHERE article_id = ?", (article_id,))
                if item.content_key and known.fetchone() is None:  # archived before duplicates were kept
                    self._place_in_cluster(article_id, item)

    def _delete_side_rows(self, article_id: int) -> None:
        for table in _PER_ARTICLE_TABLES:
            self.conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (article_id,))

    def _quarantine(self, item: Quarantined, run_id: int | None, now: str) -> None:
        self.conn.execute(
            "INSERT INTO quarantine(origin, record_id, reason, raw_zlib, run_id, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(origin, record_id, reason) DO UPDATE SET run_id = excluded.run_id,"
            " created_at = excluded.created_at",
            (item.origin, item.record_id or "", item.reason, compress(item.raw) if item.raw else None, run_id, now),
        )

    # -- reading ------------------------------------------------------------------------------------------

    def get_article(self, article_id: int) -> Article:
        row = self.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}; 'propscope search' lists ids")
        countries = [
            r[0]
            for r in self.conn.execute(
                "SELECT country FROM article_countries WHERE article_id = ? ORDER BY country", (article_id,)
            )
        ]
        persons = [
            r[0]
            for r in self.conn.execute(
                "SELECT person FROM article_persons WHERE article_id = ? ORDER BY person", (article_id,)
            )
        ]
        events = [
            dict(r)
            for r in self.conn.execute(
                'SELECT actor, actor_type, country, action, place, date, start, "end" FROM support_events'
                " WHERE article_id = ? ORDER BY start",
                (article_id,),
            )
        ]
        return article_from_row(dict(row), countries, persons, events)

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        """Every text the article has had, oldest first: (version, seen_at, title, text, content_sha1)."""
        current = self.conn.execute(
            "SELECT version, updated_at AS seen_at, title, body, text, content_sha1 FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if current is None:
            raise NotFoundError(f"no article with id {article_id}; 'propscope search' lists ids")
        rows = self.conn.execute(
            "SELECT version, ingested_at AS seen_at, title, body, text, content_sha1 FROM article_versions"
            " WHERE article_id = ? ORDER BY version",
            (article_id,),
        ).fetchall()
        return [
            {
                "version": r["version"],
                "seen_at": r["seen_at"],
                "title": r["title"],
                "text": r["text"] if r["text"] is not None else rebuilt_text(r["title"], r["body"]),
                "content_sha1": r["content_sha1"],
            }
            for r in [*rows, current]
        ]

    def article_info(self, article_id: int) -> dict[str, Any]:
        row = self.conn.execute(
            "SELECT id, article_key, version, ingested_at, updated_at, parser_version, deleted_at FROM articles"
            " WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article with id {article_id}; 'propscope search' lists ids")
        return dict(row)

    def raw_input(self, article_id: int) -> bytes:
        row = self.conn.execute(
            "SELECT raw_zlib FROM raw_inputs WHERE article_id = ? ORDER BY version DESC LIMIT 1", (article_id,)
        ).fetchone()
        return decompress(row[0]) if row else b""

    def search(
        self,
        query: str | None,
        filters: SearchFilters = SearchFilters(),
        limit: int = 20,
        sort: str = "relevance",
        offset: int = 0,
        collapse: bool = True,
    ) -> list[SearchHit]:
        """A page of matches. With `collapse`, one hit per cluster of copies (its best-ranked member), with
        how many other copies it has: the page is cut from a window of matches, widened until it holds
        enough distinct clusters (copies are rare, so the first window, the page itself, nearly always does)."""
        terms = parse_query(query) if query else []
        window = offset + limit  # widened only when copies took places on the page
        while True:
            if not collapse:
                page = self._matching_rows(query, filters, limit, offset, sort)
                break
            rows = self._matching_rows(query, filters, window, 0, sort)
            kept = self._one_per_cluster(rows)
            if len(kept) >= offset + limit or len(rows) < window:
                page = kept[offset : offset + limit]
                break
            window *= 2
        copies = self._copies([r["cluster"] for r in page]) if collapse else {}
        snippets = self._snippets(terms, [r["id"] for r in page]) if query else {}
        return [
            _hit(
                r,
                snippets.get(r["id"], "") if query else r.get("snippet", ""),
                float(r["score"]) if query else 0.0,
                copies.get(r.get("cluster", r["id"]), 1) - 1,
            )
            for r in page
        ]

    def _matching_rows(
        self, query: str | None, filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        where, params = self._filter_sql(filters)
        if not query:
            return [
                dict(r)
                for r in self.conn.execute(
                    "SELECT a.id, a.date, a.title, a.genre, a.source, substr(a.body, 1, 160) AS snippet"
                    f" FROM articles a WHERE 1 = 1 {where} ORDER BY {self._NEWEST} LIMIT ? OFFSET ?",
                    [*params, limit, offset],
                )
            ]
        with self._searching(query):
            return self._text_rows(self._text_arg(query), where, params, filters, limit, offset, sort)

    def _one_per_cluster(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The first row of each cluster, in order; each row gets its cluster id."""
        if not rows:
            return []
        ids = [r["id"] for r in rows]
        clusters = dict(
            self.conn.execute(
                f"SELECT id, coalesce(cluster_id, id) FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids
            ).fetchall()
        )
        kept: list[dict[str, Any]] = []
        seen: set[int] = set()
        for row in rows:
            cluster = int(clusters.get(row["id"], row["id"]))
            if cluster not in seen:
                seen.add(cluster)
                kept.append({**row, "cluster": cluster})
        return kept

    def _copies(self, clusters: list[int]) -> dict[int, int]:
        """Cluster id -> members, for those with more than one."""
        if not clusters:
            return {}
        return {
            int(r[0]): int(r[1])
            for r in self.conn.execute(
                "SELECT cluster_id, count(*) FROM articles WHERE cluster_id IN"
                f" ({', '.join('?' * len(clusters))}) GROUP BY cluster_id",
                clusters,
            )
        }

    def cluster_members(self, article_id: int) -> list[dict[str, Any]]:
        """The other articles of an article's cluster of copies: id, date, title, source."""
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT b.id, b.date, b.title, b.source FROM articles a JOIN articles b ON b.cluster_id = a.cluster_id"
                " WHERE a.id = ? AND b.id != a.id ORDER BY b.id",
                (article_id,),
            )
        ]

    def _rows_in_order(self, ranked: list[tuple[int, float]]) -> list[dict[str, Any]]:
        """The articles rows of (id, score) pairs, in the given order, with their score."""
        if not ranked:
            return []
        ids = [article_id for article_id, _ in ranked]
        found = {
            r["id"]: r
            for r in self.conn.execute(
                f"SELECT id, date, title, genre, source FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids
            )
        }
        return [{**dict(found[i]), "score": score} for i, score in ranked if i in found]

    def _snippets(self, terms: list[Term], ids: list[int]) -> dict[int, str]:
        """Keyword in context for the page's articles, from the indexed part of their bodies."""
        if not ids:
            return {}
        pattern = keyword_pattern(terms)
        rows = self.conn.execute(
            f"SELECT id, substr(body, search_from + 1) FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids
        ).fetchall()
        return {int(r[0]): keyword_in_context(r[1] or "", pattern) for r in rows}

    def facets(
        self,
        query: str | None,
        filters: SearchFilters = SearchFilters(),
        top: int = 12,
        by: str = "year",
        names: Sequence[str] = FACET_NAMES,
    ) -> dict[str, list[tuple[str, int]]]:
        """Counts of the matching articles by genre, outlet, country, person, technique and target (the `top`
        of each), and by date period: what a search page shows beside its results. `names` picks some of them
        (each is a pass over the matches)."""
        where, params = self._filter_sql(filters)
        if query:
            matching = f"SELECT a.id FROM articles a WHERE {self._TEXT_IN} {self._after_text(where)}"
            args: list[Any] = [self._text_arg(query), *params]
        else:
            matching = f"SELECT a.id FROM articles a WHERE 1 = 1 {where}"
            args = params
        width = {"year": 4, "month": 7}[by]
        m = "(SELECT id FROM m)"
        groups = {
            "genre": f"SELECT a.genre, count(*) FROM articles a WHERE a.id IN {m} GROUP BY 1",
            "outlet": f"SELECT outlet, count(DISTINCT article_id) FROM article_outlets WHERE article_id IN {m}"
            " GROUP BY 1",
            "country": f"SELECT country, count(*) FROM article_countries WHERE article_id IN {m} GROUP BY 1",
            "person": f"SELECT person, count(*) FROM article_persons WHERE article_id IN {m} GROUP BY 1",
            "technique": f"SELECT technique, count(*) FROM article_techniques WHERE article_id IN {m} GROUP BY 1",
            "target": f"SELECT country, count(*) FROM article_hostility WHERE article_id IN {m} GROUP BY 1",
        }
        out: dict[str, list[tuple[str, int]]] = {}
        with self._searching(query):
            for name in names:
                if name == "date":
                    continue
                sql = groups[name]
                out[name] = [
                    (r[0], int(r[1]))
                    for r in self.conn.execute(f"WITH m AS ({matching}) {sql} ORDER BY 2 DESC, 1 LIMIT ?", [*args, top])
                ]
            if "date" in names:
                out["date"] = [
                    (r[0], int(r[1]))
                    for r in self.conn.execute(
                        f"WITH m AS ({matching}) SELECT substr(a.date, 1, {width}) AS p, count(*) FROM articles a"
                        f" WHERE a.id IN {m} AND a.date IS NOT NULL GROUP BY p ORDER BY p",
                        args,
                    )
                ]
        return out

    def count(self, query: str | None, filters: SearchFilters = SearchFilters(), collapse: bool = True) -> int:
        """Matching articles; with `collapse`, clusters of copies count once (only articles with copies have a
        cluster id, so the distinct count runs over those few)."""
        where, params = self._filter_sql(filters)
        counted = "count(*) - count(a.cluster_id) + count(DISTINCT a.cluster_id)" if collapse else "count(*)"
        if query:
            sql = f"SELECT {counted} FROM articles a WHERE {self._TEXT_IN} {self._after_text(where)}"
            return int(self.conn.execute(sql, [self._text_arg(query), *params]).fetchone()[0])
        return int(self.conn.execute(f"SELECT {counted} FROM articles a WHERE 1 = 1 {where}", params).fetchone()[0])

    @staticmethod
    def _filter_sql(filters: SearchFilters) -> tuple[str, list[Any]]:
        clauses, params = _date_clauses(filters.since, filters.until)
        for column, values, table in (
            ("country", filters.countries, "article_countries"),
            ("person", filters.persons, "article_persons"),
            ("outlet", filters.outlets, "article_outlets"),
            ("technique", filters.techniques, "article_techniques"),
            ("country", filters.targets, "article_hostility"),
        ):
            for value in values:  # several values of one filter: all must hold
                clauses.append(f"EXISTS (SELECT 1 FROM {table} f WHERE f.article_id = a.id AND f.{column} = ?)")
                params.append(value)
        _add_in(clauses, params, "a.genre", filters.genres)
        return "".join(f" AND {c}" for c in clauses), params

    def stats(self) -> dict[str, list[tuple[Any, int]]]:
        def rows(sql: str) -> list[tuple[Any, int]]:
            return [(r[0], int(r[1])) for r in self.conn.execute(sql)]

        years = rows("SELECT year, count(*) FROM articles GROUP BY year ORDER BY year")
        return {
            "year": [(y, n) for y, n in years if y is not None] + [("unknown", n) for y, n in years if y is None],
            "genre": rows("SELECT genre, count(*) FROM articles GROUP BY genre ORDER BY count(*) DESC"),
            "outlet": rows(
                "SELECT outlet, count(DISTINCT article_id) FROM article_outlets GROUP BY outlet ORDER BY 2 DESC"
            ),
            "source": rows(
                "SELECT coalesce(source, 'unknown'), count(*) FROM articles GROUP BY source ORDER BY 2 DESC"
            ),
            "lang": rows("SELECT coalesce(lang, 'unknown'), count(*) FROM articles GROUP BY lang ORDER BY 2 DESC"),
        }

    def totals(self) -> dict[str, int]:
        one = self.conn.execute
        return {
            "articles": int(one("SELECT count(*) FROM articles").fetchone()[0]),
            "versions": int(one("SELECT count(*) FROM article_versions").fetchone()[0]),
            "quarantined": int(one("SELECT count(*) FROM quarantine").fetchone()[0]),
        }

    def quarantine(self, limit: int = 1000) -> Iterator[dict[str, Any]]:
        for row in self.conn.execute(
            "SELECT id, origin, record_id, reason, created_at, length(raw_zlib) AS stored"
            " FROM quarantine ORDER BY id DESC LIMIT ?",
            (limit,),
        ):
            yield dict(row)

    # -- who and where -------------------------------------------------------------------------------------

    def actors(
        self,
        since: str | None = None,
        until: str | None = None,
        countries: Sequence[str] = (),
        actor_types: Sequence[str] = (),
        limit: int = 50,
    ) -> list[dict[str, Any]]:
        """Foreign actors claimed to support the DPRK, with counts and first and last seen."""
        where, params = self._event_filters(since, until, countries, actor_types)
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT min(e.actor) AS actor, min(e.actor_type) AS actor_type, e.country, count(*) AS events,"
                " count(DISTINCT e.article_id) AS articles, min(a.date) AS first_seen, max(a.date) AS last_seen,"
                f" {self._DISTINCT_LIST.format('e.action')} AS actions"
                f" FROM support_events e JOIN articles a ON a.id = e.article_id WHERE 1 = 1 {where}"
                " GROUP BY lower(e.actor), e.country ORDER BY events DESC, 1 LIMIT ?",
                [*params, limit],
            )
        ]

    def support_counts(
        self, by: str = "year", since: str | None = None, until: str | None = None
    ) -> list[tuple[str, str, int]]:
        """(period, country, events): the series behind the support chart."""
        width = {"year": 4, "month": 7}[by]
        where, params = self._event_filters(since, until, (), ())
        return [
            (r[0], r[1], int(r[2]))
            for r in self.conn.execute(
                f"SELECT substr(a.date, 1, {width}) AS period, coalesce(e.country, '??'), count(*)"
                f" FROM support_events e JOIN articles a ON a.id = e.article_id WHERE a.date IS NOT NULL {where}"
                " GROUP BY period, e.country ORDER BY period",
                params,
            )
        ]

    def trend(
        self,
        metric: str,
        by: str,
        country: str | None = None,
        technique: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[tuple[str, int, int, float]]:
        """(period, articles in scope, of them with the thing measured, value) per period with dated articles.

        hostility: scope = articles naming the country or hostile toward it; value = mean hostility (0 where none).
        mentions: scope = all articles; counted = those naming the country; value = their share.
        technique: scope = all articles (or those naming the country); value = spans of it per article."""
        width = {"year": 4, "month": 7, "day": 10}[by]
        clauses, params = _date_clauses(since, until)
        where = "".join(f" AND {c}" for c in clauses)
        period = f"substr(a.date, 1, {width})"
        about = (
            "SELECT article_id FROM article_countries WHERE country = ?"
            " UNION SELECT article_id FROM article_hostility WHERE country = ?"
        )
        if metric == "hostility":
            sql = (
                f"SELECT {period} AS p, count(*), count(h.score), coalesce(avg(coalesce(h.score, 0)), 0)"
                f" FROM ({about}) x JOIN articles a ON a.id = x.article_id"
                " LEFT JOIN article_hostility h ON h.article_id = a.id AND h.country = ?"
                f" WHERE a.date IS NOT NULL {where} GROUP BY p ORDER BY p"
            )
            args: list[Any] = [country, country, country, *params]
        elif metric == "mentions":
            sql = (
                f"SELECT {period} AS p, count(*), count(c.article_id), 1.0 * count(c.article_id) / count(*)"
                " FROM articles a LEFT JOIN article_countries c ON c.article_id = a.id AND c.country = ?"
                f" WHERE a.date IS NOT NULL {where} GROUP BY p ORDER BY p"
            )
            args = [country, *params]
        elif metric == "technique":
            scope = f"JOIN ({about}) x ON x.article_id = a.id" if country else ""
            sql = (
                f"SELECT {period} AS p, count(*), count(t.article_id), 1.0 * coalesce(sum(t.spans), 0) / count(*)"
                f" FROM articles a {scope}"
                " LEFT JOIN article_techniques t ON t.article_id = a.id AND t.technique = ?"
                f" WHERE a.date IS NOT NULL {where} GROUP BY p ORDER BY p"
            )
            args = [*([country, country] if country else []), technique, *params]
        else:
            raise ValueError(f"unknown metric {metric!r}")
        return [(r[0], int(r[1]), int(r[2]), float(r[3])) for r in self.conn.execute(sql, args)]

    def phrase_usage(self, query: str, by: str = "year") -> dict[str, Any]:
        """Articles using a phrase: count per period, first and last use (by date; undated ones counted apart)."""
        width = {"year": 4, "month": 7}[by]
        match = self._text_arg(query)
        base = self._TEXT_FROM
        try:
            periods = [
                (r[0], int(r[1]))
                for r in self.conn.execute(
                    f"SELECT substr(a.date, 1, {width}) AS p, count(*) {base} AND a.date IS NOT NULL GROUP BY p"
                    " ORDER BY p",
                    (match,),
                )
            ]
            undated = int(self.conn.execute(f"SELECT count(*) {base} AND a.date IS NULL", (match,)).fetchone()[0])
            ends = [
                self.conn.execute(
                    f"SELECT a.id, a.date, a.title {base} AND a.date IS NOT NULL ORDER BY a.date {order}, a.id {order}"
                    " LIMIT 1",
                    (match,),
                ).fetchone()
                for order in ("ASC", "DESC")
            ]
        except self.OperationalError as exc:
            raise QueryError(f"cannot search for {query!r}: {exc}") from exc
        first, last = (dict(row) if row else None for row in ends)
        return {"periods": periods, "undated": undated, "first": first, "last": last}

    def articles_with_phrase(self, words: Sequence[str], limit: int) -> list[int]:
        """Ids of (at most `limit`) articles whose indexed text holds these words in a row."""
        phrase = self._text_arg('"' + " ".join(w.replace('"', "") for w in words) + '"')
        return [int(r[0]) for r in self.conn.execute(f"SELECT a.id {self._TEXT_FROM} LIMIT ?", (phrase, limit))]

    def article_heads(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """id, date and title of these articles."""
        return {
            int(r[0]): {"id": int(r[0]), "date": r[1], "title": r[2]}
            for r in self._in_chunks("SELECT id, date, title FROM articles WHERE id IN ({})", ids)
        }

    def language_docs(self, first: str, last: str) -> Iterator[tuple[int, str, str, str, list[tuple[str, str]]]]:
        """(id, date, lang, body after the dateline, entity names) of the English and Spanish articles dated
        first..last (inclusive), for linking translations."""
        rows = self.conn.execute(
            "SELECT id, date, lang, substr(body, search_from + 1) AS body FROM articles"
            " WHERE date BETWEEN ? AND ? AND lang IN ('en', 'es') ORDER BY date, id",
            (first, last),
        ).fetchall()
        names: dict[int, list[tuple[str, str]]] = {}
        for article_id, kind, canonical in self._in_chunks(
            "SELECT article_id, type, canonical FROM article_entities WHERE article_id IN ({})", [r["id"] for r in rows]
        ):
            names.setdefault(int(article_id), []).append((kind, canonical))
        for r in rows:
            yield int(r["id"]), r["date"], r["lang"], r["body"], names.get(int(r["id"]), [])

    def dates(self, lang: str | None = None, first: str = "", last: str = "\uffff") -> list[str]:
        """The distinct article dates (of one language, between first and last), oldest first."""
        sql = "SELECT DISTINCT date FROM articles WHERE date IS NOT NULL AND date BETWEEN ? AND ?"
        if lang is None:
            return [r[0] for r in self.conn.execute(sql + " ORDER BY 1", (first, last + "\uffff"))]
        return [r[0] for r in self.conn.execute(sql + " AND lang = ? ORDER BY 1", (first, last + "\uffff", lang))]

    def replace_language_links(self, first: str, last: str, links: Sequence[tuple[int, int, float]]) -> None:
        """The translation links of the Spanish articles dated first..last, replaced by `links`."""
        with self._writing():
            self.conn.execute(
                "DELETE FROM article_links WHERE kind = 'translation' AND article_id IN"
                " (SELECT id FROM articles WHERE date BETWEEN ? AND ? AND lang = 'es')",
                (first, last),
            )
            self.conn.executemany(
                "INSERT INTO article_links(article_id, other_id, kind, score) VALUES (?, ?, 'translation', ?)"
                " ON CONFLICT(article_id, other_id, kind) DO UPDATE SET score = excluded.score",
                links,
            )

    def translations(self, article_id: int) -> list[dict[str, Any]]:
        """The other-language versions of an article: id, lang, title, score."""
        return [
            dict(r)
            for r in self.conn.execute(
                "SELECT a.id, a.lang, a.title, l.score FROM article_links l JOIN articles a ON a.id = l.other_id"
                " WHERE l.article_id = ? UNION ALL"
                " SELECT a.id, a.lang, a.title, l.score FROM article_links l JOIN articles a ON a.id = l.article_id"
                " WHERE l.other_id = ? ORDER BY 1",
                (article_id, article_id),
            )
        ]

    def iter_matches(
        self, query: str | None, filters: SearchFilters = SearchFilters(), batch: int = 1000, after_id: int = 0
    ) -> Iterator[list[dict[str, Any]]]:
        """Every matching article in id order, a batch at a time (keyset paging: no cap, flat memory)."""
        where, params = self._filter_sql(filters)
        columns = "a.id, a.date, a.title, a.genre, a.source, a.lang, a.url, a.body"
        if query:
            sql = f"SELECT {columns} {self._TEXT_FROM} AND {self._TEXT_ID} > ? {where} ORDER BY {self._TEXT_ID} LIMIT ?"
            head: list[Any] = [self._text_arg(query)]
        else:
            sql = f"SELECT {columns} FROM articles a WHERE a.id > ? {where} ORDER BY a.id LIMIT ?"
            head = []
        last = after_id
        while True:
            rows = [dict(r) for r in self.conn.execute(sql, [*head, last, *params, batch])]
            if not rows:
                return
            ids = [r["id"] for r in rows]
            marks = ", ".join("?" * len(ids))
            countries: dict[int, list[str]] = {}
            for r in self.conn.execute(
                f"SELECT article_id, country FROM article_countries WHERE article_id IN ({marks}) ORDER BY 1, 2", ids
            ):
                countries.setdefault(int(r[0]), []).append(r[1])
            persons: dict[int, list[str]] = {}
            for r in self.conn.execute(
                f"SELECT article_id, person FROM article_persons WHERE article_id IN ({marks}) ORDER BY 1, 2", ids
            ):
                persons.setdefault(int(r[0]), []).append(r[1])
            for row in rows:
                row["countries"] = countries.get(row["id"], [])
                row["persons"] = persons.get(row["id"], [])
            yield rows
            last = ids[-1]

    def export_details(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """What an export adds to a match: key, version, origin, kind, record id, the full text, the parsed
        annotations and the raw input the current version was read from."""
        marks = ", ".join("?" * len(ids))
        out: dict[int, dict[str, Any]] = {}
        for r in self.conn.execute(
            "SELECT id, article_key, version, origin, input_kind, record_id, title, body, text, annotations,"
            f" parser_version FROM articles WHERE id IN ({marks})",
            list(ids),
        ):
            row = dict(r)
            row["text"] = row["text"] if row["text"] is not None else rebuilt_text(row["title"], row["body"])
            out[int(r["id"])] = row
        for r in self.conn.execute(
            f"SELECT r.article_id, r.raw_zlib FROM raw_inputs r JOIN articles a ON a.id = r.article_id"
            f" AND a.version = r.version WHERE r.article_id IN ({marks})",
            list(ids),
        ):
            if int(r[0]) in out:
                out[int(r[0])]["raw"] = decompress(r[1])
        return out

    def save_search(self, name: str, query: str | None, filters: dict[str, Any], webhook: str | None) -> int:
        """A saved search starts from now: alerts cover articles ingested after it was saved."""
        top = self.conn.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
        try:
            with self._writing():
                return self._insert_id(
                    "INSERT INTO saved_searches(name, query, filters, webhook, created_at, seen_up_to)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (name, query, json.dumps(filters), webhook, _now(), top),
                )
        except self.IntegrityError as exc:
            raise QueryError(f"a saved search named {name!r} exists already; choose another name") from exc

    def saved_searches(self) -> list[dict[str, Any]]:
        return [
            {**dict(r), "filters": json.loads(r["filters"])}
            for r in self.conn.execute("SELECT * FROM saved_searches ORDER BY name")
        ]

    def saved_search(self, saved_id: int) -> dict[str, Any]:
        row = self.conn.execute("SELECT * FROM saved_searches WHERE id = ?", (saved_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no saved search with id {saved_id}")
        return {**dict(row), "filters": json.loads(row["filters"])}

    def delete_saved_search(self, saved_id: int) -> None:
        with self._writing():
            if not self.conn.execute("DELETE FROM saved_searches WHERE id = ?", (saved_id,)).rowcount:
                raise NotFoundError(f"no saved search with id {saved_id}")

    def mark_alerted(self, saved_id: int, up_to: int, articles: int, status: str) -> None:
        with self._writing():
            self.conn.execute(
                "UPDATE saved_searches SET seen_up_to = ? WHERE id = ? AND seen_up_to < ?", (up_to, saved_id, up_to)
            )
            self.conn.execute(
                "INSERT INTO alert_deliveries(saved_id, delivered_at, articles, status) VALUES (?, ?, ?, ?)",
                (saved_id, _now(), articles, status),
            )

    def ingested_between(self, first: str, last: str) -> tuple[int, int]:
        """The id range of the articles first ingested in [first, last) (ISO times): digests read it."""
        row = self.conn.execute(
            "SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM articles"
            " WHERE ingested_at >= ? AND ingested_at < ?",
            (first, last),
        ).fetchone()
        return int(row[0]), int(row[1])

    def has_techniques(self) -> bool:
        return self.conn.execute("SELECT 1 FROM article_techniques LIMIT 1").fetchone() is not None

    @staticmethod
    def _event_filters(
        since: str | None, until: str | None, countries: Sequence[str], actor_types: Sequence[str]
    ) -> tuple[str, list[Any]]:
        clauses, params = _date_clauses(since, until)
        _add_in(clauses, params, "e.country", countries)
        _add_in(clauses, params, "e.actor_type", actor_types)
        return "".join(f" AND {c}" for c in clauses), params

    def cooccurrences(self, name: str, by: str = "year", per_period: int = 10) -> list[dict[str, Any]]:
        """Who and what is mentioned in the same articles as `name`, by period, most frequent first."""
        width = {"year": 4, "month": 7, "all": 0}[by]
        period = f"substr(a.date, 1, {width})" if width else "'all'"
        rows = self.conn.execute(
            f"SELECT coalesce({period}, 'undated') AS period, o.type, o.canonical, count(*) AS articles"
            " FROM article_entities t JOIN article_entities o ON o.article_id = t.article_id"
            " AND NOT (o.type = t.type AND o.canonical = t.canonical)"
            " JOIN articles a ON a.id = t.article_id"
            " WHERE t.type IN ('person', 'organization', 'outlet', 'country', 'place') AND t.canonical = ?"
            " AND o.type IN ('person', 'organization', 'country')"
            " GROUP BY period, o.type, o.canonical ORDER BY period, articles DESC",
            (name,),
        ).fetchall()
        out: list[dict[str, Any]] = []
        taken: dict[str, int] = {}
        for row in rows:
            if taken.get(row["period"], 0) < per_period:
                taken[row["period"]] = taken.get(row["period"], 0) + 1
                out.append(dict(row))
        return out

    def entity_names(self, types: Sequence[str], limit: int) -> list[tuple[str, str, int]]:
        """The most mentioned entities of these types: (type, canonical, articles)."""
        return [
            (r[0], r[1], int(r[2]))
            for r in self.conn.execute(
                f"SELECT type, canonical, count(*) FROM article_entities WHERE type IN ({', '.join('?' * len(types))})"
                " GROUP BY type, canonical ORDER BY 3 DESC LIMIT ?",
                [*types, limit],
            )
        ]

    def entities_by_article(self, types: Sequence[str]) -> Iterator[tuple[int, str, str]]:
        """(article_id, type, canonical) in article order: streamed, never all in memory."""
        yield from self._stream(
            "SELECT article_id, type, canonical FROM article_entities"
            f" WHERE type IN ({', '.join('?' * len(types))}) ORDER BY article_id",
            list(types),
        )
