"""Saved searches and their alerts: each remembers the last article it was alerted about, and every delivery
is logged."""

from __future__ import annotations

import json
from typing import Any

from propscope.errors import NotFoundError, QueryError
from propscope.store.base import StoreBase, now


class SavedSearches(StoreBase):
    def save_search(
        self, name: str, query: str | None, filters: dict[str, Any], webhook: str | None, email: str | None = None
    ) -> int:
        """A saved search starts from now: alerts (webhook and mail alike) cover articles ingested after it was
        saved."""
        top = self.db.scalar("SELECT coalesce(max(id), 0) FROM articles")
        try:
            with self._writing():
                return int(
                    self.db.rows(
                        "INSERT INTO saved_searches(name, query, filters, webhook, email, created_at, seen_up_to,"
                        f" mailed_up_to) VALUES ({self.d.marks(8)}) RETURNING id",
                        (name, query, json.dumps(filters), webhook, email, now(), top, top),
                    )[0][0]
                )
        except self.d.IntegrityError as exc:
            raise QueryError(f"a saved search named {name!r} exists already; choose another name") from exc

    def saved_searches(self) -> list[dict[str, Any]]:
        return [
            {**row, "filters": json.loads(row["filters"])}
            for row in self.db.dicts("SELECT * FROM saved_searches ORDER BY name")
        ]

    def saved_search(self, saved_id: int) -> dict[str, Any]:
        row = self.db.dict_one(f"SELECT * FROM saved_searches WHERE id = {self.d.param}", (saved_id,))
        if row is None:
            raise NotFoundError(f"no saved search with id {saved_id}")
        return {**row, "filters": json.loads(row["filters"])}

    def delete_saved_search(self, saved_id: int) -> None:
        with self._writing():
            if not self.db.execute(f"DELETE FROM saved_searches WHERE id = {self.d.param}", (saved_id,)).rowcount:
                raise NotFoundError(f"no saved search with id {saved_id}")

    def mark_alerted(self, saved_id: int, up_to: int, articles: int, status: str) -> None:
        p = self.d.param
        with self._writing():
            self.db.execute(
                f"UPDATE saved_searches SET seen_up_to = {p} WHERE id = {p} AND seen_up_to < {p}",
                (up_to, saved_id, up_to),
            )
            self.db.execute(
                f"INSERT INTO alert_deliveries(saved_id, delivered_at, articles, status) VALUES ({self.d.marks(4)})",
                (saved_id, now(), articles, status),
            )

    def mark_mailed(self, saved_id: int, up_to: int, articles: int, status: str) -> None:
        """Mail's cursor, apart from the webhook's: one channel failing never loses the other's alert."""
        p = self.d.param
        with self._writing():
            self.db.execute(
                f"UPDATE saved_searches SET mailed_up_to = {p} WHERE id = {p} AND mailed_up_to < {p}",
                (up_to, saved_id, up_to),
            )
            self.db.execute(
                f"INSERT INTO alert_deliveries(saved_id, delivered_at, articles, status) VALUES ({self.d.marks(4)})",
                (saved_id, now(), articles, f"mail {status}"[:200]),
            )

    def ingested_between(self, first: str, last: str) -> tuple[int, int]:
        """The id range of the articles first ingested in [first, last) (ISO times): digests read it."""
        p = self.d.param
        row = self.db.one(
            "SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM articles"
            f" WHERE ingested_at >= {p} AND ingested_at < {p}",
            (first, last),
        )
        return int(row[0]), int(row[1])
