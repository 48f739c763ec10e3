"""Clusters of copies: each new article joins the cluster of its exact copies (same content key) and near
copies (LSH band keys, then a signature check); searches show one hit per cluster."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from propscope.enrich.duplicates import band_key_matrix, near_copies, signature_from_bytes
from propscope.store.base import NOTHING, StoreBase
from propscope.store.codec import Prepared

PENDING_BANDS_MAX = 300_000  # band rows kept in memory before they are written (about 25 MB)


class Clusters(StoreBase):
    def __init__(self) -> None:
        # Band rows of newly written articles, kept here and written sorted in bulk: written a batch at a time,
        # their random keys dirtied a page each and the WAL grew by ~20 MB per batch (a fifth of ingest time).
        self._pending_bands: dict[int, list[int]] = {}
        self._pending_rows = 0

    def _place_new_in_clusters(self, pending: Sequence[tuple[int, Prepared]]) -> None:
        """Find the articles' exact and near copies (content key, then LSH band keys and a signature check)
        and join their clusters, for a whole batch at once: one lookup of their content keys, one of their band
        keys, one of the candidates' signatures (one article at a time cost 13% of an ingest)."""
        items = [(article_id, item) for article_id, item in pending if item.content_key]
        if not items:
            return
        db = self.db
        copies = dict(
            db.in_chunks(
                "SELECT content_key, min(article_id) FROM article_minhash WHERE {} GROUP BY 1",
                "content_key",
                [item.content_key for _, item in items],
            )
        )
        # Candidates: band rows already written, and those waiting in memory (earlier batches and, as the loop
        # below adds them, earlier articles of this one).
        stored: dict[int, list[int]] = {}
        pending_bands = self._pending_bands
        wanted = list({k for _, item in items if item.content_key not in copies for k in item.band_keys})
        for key, other in db.in_chunks("SELECT key, article_id FROM minhash_bands WHERE {}", "key", wanted):
            stored.setdefault(int(key), []).append(int(other))
        known = {other for others in stored.values() for other in others}
        known.update(other for key in wanted for other in pending_bands.get(key, ()))
        signatures: dict[int, bytes] = dict(
            db.in_chunks("SELECT article_id, signature FROM article_minhash WHERE {}", "article_id", list(known))
        )
        minhash_rows: list[tuple[Any, ...]] = []  # banded 0: band rows wait in memory
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
        db.insert_rows("article_minhash", ("article_id", "content_key", "signature", "banded"), minhash_rows)
        for article_id, matches in joins:
            self._join_cluster(article_id, matches)
        if self._pending_rows >= PENDING_BANDS_MAX:
            self._write_pending_bands()

    def _write_pending_bands(self) -> None:
        """The band rows kept in memory, written sorted by key (inside the caller's transaction)."""
        if not self._pending_bands:
            return
        rows = sorted((key, other) for key, others in self._pending_bands.items() for other in others)
        self.db.insert_rows("minhash_bands", ("key", "article_id"), rows, NOTHING)
        self.db.execute("UPDATE article_minhash SET banded = 1 WHERE banded = 0")
        self._pending_bands.clear()
        self._pending_rows = 0

    def flush_bands(self) -> None:
        """Write the pending band rows; an ingest ends with it. Rows lost to a crash are rebuilt from the
        signatures by recover_bands."""
        with self._writing():
            self._write_pending_bands()

    def discard_pending_bands(self) -> None:
        """After a write that rolled back: the band rows in memory may name articles it never stored (whose ids
        the next write reuses), and it may have flushed earlier ones that rolled back with it. All are rebuilt
        from the stored signatures instead, as after a crash."""
        self._pending_bands.clear()
        self._pending_rows = 0
        self.recover_bands()

    def recover_bands(self) -> int:
        """Band rows of articles whose run ended before writing them (banded = 0), rebuilt from their
        signatures; an ingest starts with it."""
        rows = self.db.rows(
            "SELECT article_id, signature FROM article_minhash WHERE banded = 0 AND signature IS NOT NULL"
        )
        if not rows and not self.db.one("SELECT 1 FROM article_minhash WHERE banded = 0 LIMIT 1"):
            return 0
        with self._writing():
            for start in range(0, len(rows), 2000):
                chunk = rows[start : start + 2000]
                keys = band_key_matrix(np.stack([signature_from_bytes(r[1]) for r in chunk])).tolist()
                rebuilt = sorted((k, int(r[0])) for r, row_keys in zip(chunk, keys, strict=True) for k in row_keys)
                self.db.insert_rows("minhash_bands", ("key", "article_id"), rebuilt, NOTHING)
            self.db.execute("UPDATE article_minhash SET banded = 1 WHERE banded = 0")
        return len(rows)

    def _join_cluster(self, article_id: int, matches: list[int]) -> None:
        """Put the article and its matches (and their clusters) into one cluster, the smallest id's."""
        d = self.d
        among, params = d.in_list("id", matches)
        clusters = {
            int(r[0]) for r in self.db.execute(f"SELECT coalesce(cluster_id, id) FROM articles WHERE {among}", params)
        }
        target = min(clusters | {article_id})
        joined = sorted(clusters - {target})
        conditions = [f"id = {d.param}", among]
        args: list[Any] = [target, article_id, *params]
        if joined:
            in_joined, more = d.in_list("cluster_id", joined)
            conditions.append(in_joined)
            args.extend(more)
        # Only the rows that change: the matches are mostly in the cluster already, and a row rewritten for
        # nothing costs PostgreSQL a new entry in every index (its words' index too).
        self.db.execute(
            f"UPDATE articles SET cluster_id = {d.param} WHERE ({' OR '.join(conditions)})"
            f" AND (cluster_id IS NULL OR cluster_id != {d.param})",
            [*args, target],
        )

    def _place_in_cluster(self, article_id: int, item: Prepared) -> None:
        """One article placed anew (a new version, a reparse): its earlier text's entries go, then it is
        placed like a new one."""
        p = self.d.param
        self._write_pending_bands()  # rare (new versions, reparse): its stale band rows must be in the table
        old = self.db.one(f"SELECT signature FROM article_minhash WHERE article_id = {p}", (article_id,))
        if old is not None:  # a new version: its earlier text's entries go
            if old[0] is not None:
                stale = band_key_matrix(signature_from_bytes(old[0])[None, :])[0].tolist()
                keys, params = self.d.in_list("key", stale)
                self.db.execute(f"DELETE FROM minhash_bands WHERE article_id = {p} AND {keys}", [article_id, *params])
            self.db.execute(f"DELETE FROM article_minhash WHERE article_id = {p}", (article_id,))
        self._place_new_in_clusters([(article_id, item)])
        self._write_pending_bands()

    def _one_per_cluster(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The first row of each cluster, in order; each row gets its cluster id."""
        if not rows:
            return []
        among, params = self.d.in_list("id", [r["id"] for r in rows])
        clusters = dict(self.db.rows(f"SELECT id, coalesce(cluster_id, id) FROM articles WHERE {among}", params))
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
        among, params = self.d.in_list("cluster_id", clusters)
        return {
            int(r[0]): int(r[1])
            for r in self.db.execute(
                f"SELECT cluster_id, count(*) FROM articles WHERE {among} GROUP BY cluster_id", params
            )
        }

    def cluster_members(self, article_id: int) -> list[dict[str, Any]]:
        """The other articles of an article's cluster of copies: id, date, title, source."""
        return self.db.dicts(
            "SELECT b.id, b.date, b.title, b.source FROM articles a JOIN articles b ON b.cluster_id = a.cluster_id"
            f" WHERE a.id = {self.d.param} AND b.id != a.id ORDER BY b.id",
            (article_id,),
        )
