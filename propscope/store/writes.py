"""Writing articles: a batch of prepared articles in one transaction (new ones, unchanged ones, new versions),
the rows that hang off each, quarantined inputs, ingest runs, and reparses in place."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from propscope.errors import StoreError
from propscope.model import Quarantined
from propscope.store.base import NOTHING, now
from propscope.store.clusters import Clusters
from propscope.store.codec import (
    APPEARANCE_COLUMNS,
    APPEARANCE_PEOPLE_COLUMNS,
    ARTICLE_COLUMNS,
    OFFICIAL_COLUMNS,
    SUPPORT_FIELDS,
    Prepared,
    compress,
    decompress,
)
from propscope.store.versions import Versions

log = logging.getLogger(__name__)
_ARTICLE_INSERT = ("id", "article_key", "version", *ARTICLE_COLUMNS, "ingested_at", "updated_at", "seen_at")
# Rows that hang off an article, written together per table and batch: (columns, what a repeated row does).
_SIDE_TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "raw_inputs": (
        ("raw_sha1", "article_id", "version", "input_kind", "origin", "record_id", "raw_zlib", "ingested_at"),
        "",
    ),
    "article_entities": (("article_id", "type", "canonical", "country", "mentions", "first_start"), NOTHING),
    "article_countries": (("article_id", "country"), NOTHING),
    "article_persons": (("article_id", "person"), NOTHING),
    "article_outlets": (("article_id", "outlet", "form"), NOTHING),
    "support_events": (("article_id", *SUPPORT_FIELDS), ""),
    "article_techniques": (("article_id", "technique", "spans", "max_score"), ""),
    "article_epithets": (("article_id", "kind", "target", "spans"), ""),
    "article_hostility": (("article_id", "country", "score"), ""),
    "article_stance": (("article_id", "country", "stance"), ""),
    "official_mentions": (("article_id", *OFFICIAL_COLUMNS), ""),
    "appearances": (("article_id", *APPEARANCE_COLUMNS), ""),
    "appearance_people": (("article_id", *APPEARANCE_PEOPLE_COLUMNS), ""),
}
_PER_ARTICLE_TABLES = tuple(table for table in _SIDE_TABLES if table != "raw_inputs")  # what a new parse replaces
LINKED_LANGUAGES = ("en", "es")  # the languages translation links join
_DATE = ARTICLE_COLUMNS.index("date")
_LANG = ARTICLE_COLUMNS.index("lang")


def _to_link(article_id: int, item: Prepared) -> list[tuple[int, str]]:
    """The links_pending row an article written in a linked language adds: its date is to be relinked."""
    date, lang = item.values[_DATE], item.values[_LANG]
    return [(article_id, date)] if date and lang in LINKED_LANGUAGES else []


def _raw_row(article_id: int, version: int, item: Prepared, stamp: str) -> tuple[Any, ...]:
    """The raw_inputs row that keeps the bytes a version was read from."""
    return (item.raw_sha1, article_id, version, item.kind, item.origin, item.record_id, item.raw_zlib, stamp)


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
        "article_stance": [(article_id, *row) for row in item.stance],
        "official_mentions": [(article_id, *row) for row in item.officials],
        "appearances": [(article_id, *row) for row in item.appearances],
        "appearance_people": [(article_id, *row) for row in item.appearance_people],
    }


class Writes(Clusters, Versions):
    def stored_raw(self, raw_sha1s: Sequence[str]) -> dict[str, int]:
        """Raw inputs already stored, of these: raw SHA-1 -> the article it was stored for."""
        return {
            r[0]: int(r[1])
            for r in self.db.in_chunks("SELECT raw_sha1, article_id FROM raw_inputs WHERE {}", "raw_sha1", raw_sha1s)
        }

    def set_countries(self, names: dict[str, str]) -> None:
        with self._writing():
            self.db.executemany(
                f"INSERT INTO countries(code, name) VALUES ({self.d.marks(2)})"
                " ON CONFLICT(code) DO UPDATE SET name = excluded.name",
                sorted(names.items()),
            )

    def start_run(self, inputs: Sequence[str]) -> int:
        with self._writing():
            return int(
                self.db.rows(
                    f"INSERT INTO ingest_runs(started_at, inputs) VALUES ({self.d.marks(2)}) RETURNING id",
                    (now(), json.dumps(list(inputs))),
                )[0][0]
            )

    def finish_run(self, run_id: int, added: int, unchanged: int, new_versions: int, quarantined: int) -> None:
        """The run's counts; bookkeeping only, so a failure here (a full disk) never hides the run's own error."""
        try:
            self._finish_run(run_id, added, unchanged, new_versions, quarantined)
        except (StoreError, self.d.Error) as exc:
            log.warning("could not record the end of ingest run %s: %s", run_id, exc)

    def _finish_run(self, run_id: int, added: int, unchanged: int, new_versions: int, quarantined: int) -> None:
        p = self.d.param
        with self._writing():
            self.db.execute(
                f"UPDATE ingest_runs SET finished_at = {p}, added = {p}, unchanged = {p}, new_versions = {p},"
                f" quarantined = {p} WHERE id = {p}",
                (now(), added, unchanged, new_versions, quarantined, run_id),
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
        A text takes its place among the article's versions by the time it was seen (its source's, else now):
        one seen before the current text goes into the history (store/versions.py).
        A write the disk or the file refuses rolls the batch back and says so in one line (StoreError).
        """
        db = self.db
        added = unchanged = new_versions = 0
        stamp = now()
        side: dict[str, list[tuple[Any, ...]]] = {table: [] for table in _SIDE_TABLES}
        to_link: list[tuple[int, str]] = []  # links_pending rows, written with the articles they name
        new_rows: list[tuple[Any, ...]] = []
        new_ids: list[int] = []
        to_place: list[tuple[int, Prepared]] = []  # new articles, put into clusters together

        def flush() -> None:
            """Write the batch's new articles and pending rows, index them and place them in clusters: needed
            before a supersede, which may touch an article inserted earlier in this very batch, and at the end."""
            db.insert_rows("articles", _ARTICLE_INSERT, new_rows)
            new_rows.clear()
            for table, rows in side.items():
                columns, conflict = _SIDE_TABLES[table]
                db.insert_rows(table, columns, rows, conflict)
                rows.clear()
            db.insert_rows("links_pending", ("article_id", "date"), to_link)
            to_link.clear()
            if new_ids:
                db.index_new(new_ids)
                new_ids.clear()
            if to_place:
                self._place_new_in_clusters(to_place)
                to_place.clear()

        with self._writing():
            # What the archive already holds, for the whole batch in two queries (two per article cost a tenth
            # of an ingest); kept up to date below as the batch adds articles and versions.
            stored_raw = self.stored_raw([i.raw_sha1 for i in items])
            known: dict[str, tuple[int, int, str, str]] = {  # key -> (id, version, content_sha1, seen_at)
                r[0]: (int(r[1]), int(r[2]), r[3], r[4] or "")
                for r in db.in_chunks(
                    "SELECT article_key, id, version, content_sha1, seen_at FROM articles WHERE {}",
                    "article_key",
                    list({i.key for i in items}),
                )
            }
            # Ids for the new articles, all at once (one statement per article was a third of a PostgreSQL ingest).
            fresh = {i.key for i in items if i.key not in known and i.raw_sha1 not in stored_raw}
            reserved = iter(db.reserve_ids(len(fresh)))
            for item in items:
                if item.raw_sha1 in stored_raw:
                    unchanged += 1
                    if seen is not None:
                        seen.add(stored_raw[item.raw_sha1])
                    continue
                existing = known.get(item.key)
                if existing is not None and seen is not None:
                    seen.add(existing[0])
                seen_at = item.seen_at or stamp
                if existing is None:
                    article_id, version = next(reserved), 1
                    new_rows.append((article_id, item.key, 1, *item.values, stamp, stamp, seen_at))
                    new_ids.append(article_id)
                    if seen is not None:
                        seen.add(article_id)
                    added += 1
                elif seen_at < existing[3]:  # seen before the current text: a place in the history, if any
                    flush()
                    placed = self.place_earlier(existing[0], item, seen_at, stamp)
                    known[item.key] = (existing[0], existing[1] + (placed is not None), *existing[2:])
                    if placed is None:
                        unchanged += 1
                        continue
                    new_versions += 1
                    stored_raw[item.raw_sha1] = existing[0]
                    side["raw_inputs"].append(_raw_row(existing[0], placed, item, stamp))
                    continue
                elif existing[2] == item.content_sha1:
                    unchanged += 1
                    continue
                else:
                    article_id, version = existing[0], existing[1] + 1
                    flush()
                    self._supersede(article_id, item, version, stamp, seen_at)
                    new_versions += 1
                    self._place_in_cluster(article_id, item)
                known[item.key] = (article_id, version, item.content_sha1, seen_at)
                stored_raw[item.raw_sha1] = article_id
                if version == 1:
                    to_place.append((article_id, item))
                for table, rows in _side_rows(article_id, item).items():
                    side[table].extend(rows)
                to_link.extend(_to_link(article_id, item))
                side["raw_inputs"].append(_raw_row(article_id, version, item, stamp))
            flush()
            for bad in quarantined:
                self._quarantine(bad, run_id, stamp)
        return added, unchanged, new_versions

    def _supersede(self, article_id: int, item: Prepared, version: int, stamp: str, seen_at: str) -> None:
        """A new text for a known article: the current one moves to article_versions, never overwritten."""
        p = self.d.param
        self._relink_old_date(article_id)
        self.db.execute(
            "INSERT INTO article_versions(article_id, version, title, body, text, content_sha1, annotations,"
            " ingested_at, seen_at) SELECT id, version, title, body, text, content_sha1, annotations, updated_at,"
            f" seen_at FROM articles WHERE id = {p}",
            (article_id,),
        )
        assignments = ", ".join(f"{column} = {p}" for column in ARTICLE_COLUMNS)
        self.db.execute(
            f"UPDATE articles SET version = {p}, {assignments}, updated_at = {p}, seen_at = {p} WHERE id = {p}",
            (version, *item.values, stamp, seen_at, article_id),
        )
        self._delete_side_rows(article_id)

    def stale_inputs(
        self, below_version: int, after_id: int, limit: int
    ) -> list[tuple[int, str, str, str | None, bytes]]:
        """(article_id, input kind, origin, record id, raw bytes) of the current version of articles parsed by
        an older parser, in id order from `after_id`: a page at a time, so a reparse runs in bounded memory."""
        p = self.d.param
        rows = self.db.rows(
            "SELECT a.id, r.input_kind, r.origin, r.record_id, r.raw_zlib FROM articles a"
            " JOIN raw_inputs r ON r.article_id = a.id AND r.version = a.version"
            f" WHERE a.parser_version < {p} AND a.id > {p} ORDER BY a.id LIMIT {p}",
            (below_version, after_id, limit),
        )
        return [(int(r[0]), r[1], r[2], r[3], decompress(r[4])) for r in rows]

    def reanalyze(self, items: Sequence[tuple[int, Prepared]]) -> None:
        """New parse results for stored articles, in place: the text is the same, so no version is made."""
        p = self.d.param
        assignments = ", ".join(f"{column} = {p}" for column in ARTICLE_COLUMNS)
        stamp = now()
        with self._writing():
            for article_id, item in items:
                self._relink_old_date(article_id)
                self.db.execute(
                    f"UPDATE articles SET {assignments}, updated_at = {p} WHERE id = {p}",
                    (*item.values, stamp, article_id),
                )
                self._delete_side_rows(article_id)
                for table, rows in _side_rows(article_id, item).items():
                    columns, conflict = _SIDE_TABLES[table]
                    self.db.insert_rows(table, columns, rows, conflict)
                self.db.insert_rows("links_pending", ("article_id", "date"), _to_link(article_id, item))
                known = self.db.one(f"SELECT 1 FROM article_minhash WHERE article_id = {p}", (article_id,))
                if item.content_key and known is None:  # archived before duplicates were kept
                    self._place_in_cluster(article_id, item)

    def _relink_old_date(self, article_id: int) -> None:
        """Before an article's row is rewritten: its current date is to be relinked too (a new text may move it,
        leaving a link to it on the old date)."""
        languages, params = self.d.in_list("lang", LINKED_LANGUAGES)
        self.db.execute(
            f"INSERT INTO links_pending(article_id, date) SELECT id, date FROM articles WHERE id = {self.d.param}"
            f" AND date IS NOT NULL AND {languages}",
            [article_id, *params],
        )

    def _delete_side_rows(self, article_id: int) -> None:
        for table in _PER_ARTICLE_TABLES:
            self.db.execute(f"DELETE FROM {table} WHERE article_id = {self.d.param}", (article_id,))

    def _quarantine(self, item: Quarantined, run_id: int | None, stamp: str) -> None:
        self.db.execute(
            "INSERT INTO quarantine(origin, record_id, reason, raw_zlib, run_id, created_at)"
            f" VALUES ({self.d.marks(6)})"
            " ON CONFLICT(origin, record_id, reason) DO UPDATE SET run_id = excluded.run_id,"
            " created_at = excluded.created_at",
            (item.origin, item.record_id or "", item.reason, compress(item.raw) if item.raw else None, run_id, stamp),
        )
