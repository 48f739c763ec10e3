"""An article's versions in the order their texts were seen, whatever the order they were ingested in.

Archives are ingested out of order: kcna.kp's earlier versions after its latest texts, Rodong Sinmun's later
versions before its first. A text seen before the current one goes into the history at its place (the
versions after it move up by one, in article_versions, raw_inputs and the article's row); a text the
history already holds at that place is no new version. The current text always stays the latest seen.
"""

from __future__ import annotations

from typing import NamedTuple

from propscope.store.base import StoreBase
from propscope.store.codec import ARTICLE_COLUMNS, Prepared

# The columns an article_versions row takes from a prepared article's values, in this order.
_VERSION_COLUMNS = ("title", "body", "text", "content_sha1", "annotations")
_VERSION_VALUES = tuple(ARTICLE_COLUMNS.index(column) for column in _VERSION_COLUMNS)


class Seen(NamedTuple):
    """One version of an article, as far as its place in the order goes."""

    version: int
    seen_at: str
    content_sha1: str


class Versions(StoreBase):
    def timeline(self, article_id: int) -> list[Seen]:
        """The article's versions, oldest first, the current one last."""
        p = self.d.param
        rows = self.db.rows(
            f"SELECT version, seen_at, content_sha1 FROM article_versions WHERE article_id = {p} ORDER BY version",
            (article_id,),
        )
        current = self.db.rows(f"SELECT version, seen_at, content_sha1 FROM articles WHERE id = {p}", (article_id,))
        return [Seen(int(r[0]), r[1] or "", r[2]) for r in [*rows, *current]]

    def place_earlier(self, article_id: int, item: Prepared, seen_at: str, stamp: str) -> int | None:
        """Put a text seen before the current one into the history at its place; its version number, or None
        where the history holds that text there already (seen no later, or, now known to have been seen
        earlier, moved back to `seen_at`). Called inside the writing transaction."""
        timeline = self.timeline(article_id)
        place = next((i for i, v in enumerate(timeline) if v.seen_at > seen_at), len(timeline) - 1)
        before = timeline[place - 1] if place > 0 else None
        after = timeline[place]
        if before is not None and before.content_sha1 == item.content_sha1:
            return None
        p = self.d.param
        if after.content_sha1 == item.content_sha1:
            current = place == len(timeline) - 1
            self.db.execute(
                f"UPDATE articles SET seen_at = {p} WHERE id = {p}"
                if current
                else f"UPDATE article_versions SET seen_at = {p} WHERE article_id = {p} AND version = {p}",
                (seen_at, article_id) if current else (seen_at, article_id, after.version),
            )
            return None
        self._make_room(article_id, after.version)
        self.db.execute(
            f"INSERT INTO article_versions(article_id, version, {', '.join(_VERSION_COLUMNS)}, ingested_at, seen_at)"
            f" VALUES ({self.d.marks(len(_VERSION_COLUMNS) + 4)})",
            (article_id, after.version, *(item.values[i] for i in _VERSION_VALUES), stamp, seen_at),
        )
        return after.version

    def _make_room(self, article_id: int, version: int) -> None:
        """Versions from `version` on move up by one. article_versions' key (article_id, version) is checked
        row by row on both engines, so its numbers pass through negatives rather than collide on the way."""
        p = self.d.param
        self.db.execute(
            f"UPDATE article_versions SET version = -version - 1 WHERE article_id = {p} AND version >= {p}",
            (article_id, version),
        )
        self.db.execute(
            f"UPDATE article_versions SET version = -version WHERE article_id = {p} AND version < 0", (article_id,)
        )
        self.db.execute(
            f"UPDATE raw_inputs SET version = version + 1 WHERE article_id = {p} AND version >= {p}",
            (article_id, version),
        )
        self.db.execute(f"UPDATE articles SET version = version + 1 WHERE id = {p}", (article_id,))
