"""Listings: which articles a complete run over a source's listing held, so that articles that left it are
marked deleted (and restored when they come back), with a guard against partial listings."""

from __future__ import annotations

from typing import Any

from propscope.errors import ListingError
from propscope.store.base import StoreBase, now


class Listings(StoreBase):
    def close_listing_run(self, listing: str, seen: set[int], mass_limit: float | None = 0.5) -> tuple[int, int, int]:
        """Record which articles a complete run over `listing` held: earlier members it lacks are marked
        deleted now, deleted members it holds again are restored. Returns (members, deleted, restored).

        A run missing more than `mass_limit` of the earlier members is more likely a partial listing than a
        purge: then nothing is marked and ListingError says so (None allows it)."""
        db, p = self.db, self.d.param
        stamp = now()
        with self._writing():
            db.execute(
                f"INSERT INTO listings(name, created_at, last_run_at) VALUES ({self.d.marks(3)})"
                " ON CONFLICT(name) DO UPDATE SET last_run_at = excluded.last_run_at",
                (listing, stamp, stamp),
            )
            db.execute("CREATE TEMP TABLE IF NOT EXISTS seen_now(article_id INTEGER PRIMARY KEY)")
            db.execute("DELETE FROM seen_now")
            db.executemany(f"INSERT INTO seen_now VALUES ({p}) ON CONFLICT DO NOTHING", [(i,) for i in seen])
            earlier = int(db.scalar(f"SELECT count(*) FROM listing_members WHERE listing = {p}", (listing,)))
            missing = [
                (int(r[0]), r[1])
                for r in db.execute(
                    "SELECT m.article_id, m.last_seen FROM listing_members m"
                    f" WHERE m.listing = {p} AND m.article_id NOT IN (SELECT article_id FROM seen_now)"
                    " AND NOT EXISTS (SELECT 1 FROM deletions d WHERE d.article_id = m.article_id"
                    " AND d.listing = m.listing AND d.restored_at IS NULL)",
                    (listing,),
                )
            ]
            if mass_limit is not None and earlier >= 10 and len(missing) > mass_limit * earlier:
                raise ListingError(
                    f"listing {listing!r}: {len(missing):,} of {earlier:,} earlier articles are missing from this run;"
                    " nothing was marked deleted (a partial listing?); allow mass deletion if it really shrank"
                )
            db.executemany(
                f"INSERT INTO deletions(article_id, listing, deleted_at, last_seen) VALUES ({self.d.marks(4)})",
                [(article_id, listing, stamp, last_seen) for article_id, last_seen in missing],
            )
            db.executemany(
                f"UPDATE articles SET deleted_at = {p} WHERE id = {p} AND deleted_at IS NULL",
                [(stamp, article_id) for article_id, _ in missing],
            )
            restored = db.execute(
                f"UPDATE deletions SET restored_at = {p} WHERE listing = {p} AND restored_at IS NULL"
                " AND article_id IN (SELECT article_id FROM seen_now)",
                (stamp, listing),
            ).rowcount
            db.execute(
                "UPDATE articles SET deleted_at = NULL WHERE deleted_at IS NOT NULL"
                " AND id IN (SELECT article_id FROM seen_now)"
                " AND NOT EXISTS (SELECT 1 FROM deletions d WHERE d.article_id = articles.id AND d.restored_at IS NULL)"
            )
            db.execute(
                "INSERT INTO listing_members(listing, article_id, first_seen, last_seen)"
                f" SELECT {p}, article_id, {p}, {p} FROM seen_now WHERE true"
                " ON CONFLICT(listing, article_id) DO UPDATE SET last_seen = excluded.last_seen",
                (listing, stamp, stamp),
            )
            db.execute("DELETE FROM seen_now")
        return len(seen), len(missing), max(0, restored)

    def deleted(self, since: str | None = None, listing: str | None = None) -> list[dict[str, Any]]:
        """Articles that left a listing, newest deletion first, with whether they came back."""
        p = self.d.param
        clauses, params = [], []
        if since:
            clauses.append(f"d.deleted_at >= {p}")
            params.append(since)
        if listing:
            clauses.append(f"d.listing = {p}")
            params.append(listing)
        where = " AND ".join(clauses) or "1 = 1"
        return self.db.dicts(
            "SELECT a.id, a.date, a.title, d.listing, d.last_seen, d.deleted_at, d.restored_at"
            f" FROM deletions d JOIN articles a ON a.id = d.article_id WHERE {where}"
            " ORDER BY d.deleted_at DESC, a.id",
            params,
        )
