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

    def replace_language_links(self, first: str, last: str, links: Sequence[tuple[int, int, float]]) -> None:
        """The translation links of the Spanish articles dated first..last, replaced by `links`."""
        p = self.d.param
        with self._writing():
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
