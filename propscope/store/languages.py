"""Translation links: the English and Spanish versions of one dispatch, found by date and shared names and
stored as links between articles."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from propscope.store.base import StoreBase


class Languages(StoreBase):
    def language_docs(self, first: str, last: str) -> Iterator[tuple[int, str, str, str, list[tuple[str, str]]]]:
        """(id, date, lang, body after the dateline, entity names) of the English and Spanish articles dated
        first..last (inclusive), for linking translations."""
        p = self.d.param
        rows = self.db.rows(
            "SELECT id, date, lang, substr(body, search_from + 1) AS body FROM articles"
            f" WHERE date BETWEEN {p} AND {p} AND lang IN ('en', 'es') ORDER BY date, id",
            (first, last),
        )
        names: dict[int, list[tuple[str, str]]] = {}
        for article_id, kind, canonical in self.db.in_chunks(
            "SELECT article_id, type, canonical FROM article_entities WHERE {}", "article_id", [r[0] for r in rows]
        ):
            names.setdefault(int(article_id), []).append((kind, canonical))
        for article_id, date, lang, body in rows:
            yield int(article_id), date, lang, body, names.get(int(article_id), [])

    def dates(self, lang: str | None = None, first: str = "", last: str = "\uffff") -> list[str]:
        """The distinct article dates (of one language, between first and last), oldest first."""
        p = self.d.param
        sql = f"SELECT DISTINCT date FROM articles WHERE date IS NOT NULL AND date BETWEEN {p} AND {p}"
        if lang is None:
            return [r[0] for r in self.db.execute(sql + " ORDER BY 1", (first, last + "\uffff"))]
        return [r[0] for r in self.db.execute(sql + f" AND lang = {p} ORDER BY 1", (first, last + "\uffff", lang))]

    def pending_links(self) -> tuple[int, list[str]]:
        """What links_pending holds now: its last row's number and the distinct dates of the rows up to it.
        Rows written later (another ingest's) are left to that ingest's linker."""
        up_to = int(self.db.scalar("SELECT coalesce(max(seq), 0) FROM links_pending"))
        p = self.d.param
        dates = [r[0] for r in self.db.execute(f"SELECT DISTINCT date FROM links_pending WHERE seq <= {p}", (up_to,))]
        return up_to, sorted(dates)

    def forget_pending_links(self, up_to: int) -> None:
        """The links_pending rows up to `up_to`, linked (or on dates no Spanish article is near), deleted."""
        with self._writing():
            self.db.execute(f"DELETE FROM links_pending WHERE seq <= {self.d.param}", (up_to,))

    def replace_language_links(
        self, first: str, last: str, links: Sequence[tuple[int, int, float]], done: tuple[int, str, str] | None = None
    ) -> None:
        """The translation links of the Spanish articles dated first..last, replaced by `links`. With `done`
        (up_to, first day, last day), the links_pending rows up to `up_to` on those days are deleted in the same
        transaction: they are linked now."""
        p = self.d.param
        with self._writing():
            if done is not None:
                self.db.execute(f"DELETE FROM links_pending WHERE seq <= {p} AND date BETWEEN {p} AND {p}", done)
            self.db.execute(
                "DELETE FROM article_links WHERE kind = 'translation' AND article_id IN"
                f" (SELECT id FROM articles WHERE date BETWEEN {p} AND {p} AND lang = 'es')",
                (first, last),
            )
            self.db.executemany(
                f"INSERT INTO article_links(article_id, other_id, kind, score) VALUES ({p}, {p}, 'translation', {p})"
                " ON CONFLICT(article_id, other_id, kind) DO UPDATE SET score = excluded.score",
                links,
            )

    def translations(self, article_id: int) -> list[dict[str, Any]]:
        """The other-language versions of an article: id, lang, title, score."""
        p = self.d.param
        return self.db.dicts(
            "SELECT a.id, a.lang, a.title, l.score FROM article_links l JOIN articles a ON a.id = l.other_id"
            f" WHERE l.article_id = {p} UNION ALL"
            " SELECT a.id, a.lang, a.title, l.score FROM article_links l JOIN articles a ON a.id = l.article_id"
            f" WHERE l.other_id = {p} ORDER BY 1",
            (article_id, article_id),
        )
