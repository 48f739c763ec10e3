"""Reading stored articles: one article whole, its versions and raw input, what an export adds, and the
archive's counts."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from propscope.errors import NotFoundError
from propscope.model import Article
from propscope.store.base import StoreBase
from propscope.store.codec import OFFICIAL_FIELDS, SUPPORT_FIELDS, article_from_row, decompress, rebuilt_text


def _no_article(article_id: int) -> NotFoundError:
    return NotFoundError(f"no article with id {article_id}; 'propscope search' lists ids")


class Reads(StoreBase):
    def get_article(self, article_id: int) -> Article:
        db, p = self.db, self.d.param
        row = db.dict_one(f"SELECT * FROM articles WHERE id = {p}", (article_id,))
        if row is None:
            raise _no_article(article_id)
        countries = [
            r[0]
            for r in db.execute(
                f"SELECT country FROM article_countries WHERE article_id = {p} ORDER BY country", (article_id,)
            )
        ]
        persons = [
            r[0]
            for r in db.execute(
                f"SELECT person FROM article_persons WHERE article_id = {p} ORDER BY person", (article_id,)
            )
        ]
        columns = ", ".join(f'"{name}"' for name in SUPPORT_FIELDS)
        events = db.dicts(
            f"SELECT {columns} FROM support_events WHERE article_id = {p} ORDER BY start",
            (article_id,),
        )
        columns = ", ".join(f'"{name}"' for name in OFFICIAL_FIELDS)
        officials = db.dicts(
            f"SELECT {columns} FROM official_mentions WHERE article_id = {p} ORDER BY start, list, position",
            (article_id,),
        )
        return article_from_row(row, countries, persons, events, officials)

    def versions(self, article_id: int) -> list[dict[str, Any]]:
        """Every text the article has had, oldest first: (version, seen_at, title, text, content_sha1)."""
        p = self.d.param
        current = self.db.dict_one(
            f"SELECT version, seen_at, title, body, text, content_sha1 FROM articles WHERE id = {p}",
            (article_id,),
        )
        if current is None:
            raise _no_article(article_id)
        rows = self.db.dicts(
            "SELECT version, seen_at, title, body, text, content_sha1 FROM article_versions"
            f" WHERE article_id = {p} ORDER BY version",
            (article_id,),
        )
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
        row = self.db.dict_one(
            "SELECT id, article_key, version, ingested_at, updated_at, parser_version, deleted_at FROM articles"
            f" WHERE id = {self.d.param}",
            (article_id,),
        )
        if row is None:
            raise _no_article(article_id)
        return row

    def raw_input(self, article_id: int) -> bytes:
        row = self.db.one(
            f"SELECT raw_zlib FROM raw_inputs WHERE article_id = {self.d.param} ORDER BY version DESC LIMIT 1",
            (article_id,),
        )
        return decompress(row[0]) if row else b""

    def article_heads(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """id, date and title of these articles."""
        return {
            int(r[0]): {"id": int(r[0]), "date": r[1], "title": r[2]}
            for r in self.db.in_chunks("SELECT id, date, title FROM articles WHERE {}", "id", ids)
        }

    def export_details(self, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
        """What an export adds to a match: key, version, origin, kind, record id, the full text, the parsed
        annotations and the raw input the current version was read from."""
        among, params = self.d.in_list("id", ids)
        out: dict[int, dict[str, Any]] = {}
        for row in self.db.dicts(
            "SELECT id, article_key, version, origin, input_kind, record_id, title, body, text, annotations,"
            f" parser_version FROM articles WHERE {among}",
            params,
        ):
            row["text"] = row["text"] if row["text"] is not None else rebuilt_text(row["title"], row["body"])
            out[int(row["id"])] = row
        among, params = self.d.in_list("r.article_id", ids)
        for r in self.db.execute(
            "SELECT r.article_id, r.raw_zlib FROM raw_inputs r JOIN articles a ON a.id = r.article_id"
            f" AND a.version = r.version WHERE {among}",
            params,
        ):
            if int(r[0]) in out:
                out[int(r[0])]["raw"] = decompress(r[1])
        return out

    def has_techniques(self) -> bool:
        return self.db.one("SELECT 1 FROM article_techniques LIMIT 1") is not None

    def stats(self) -> dict[str, list[tuple[Any, int]]]:
        def rows(sql: str) -> list[tuple[Any, int]]:
            return [(r[0], int(r[1])) for r in self.db.execute(sql)]

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
        scalar = self.db.scalar
        return {
            "articles": int(scalar("SELECT count(*) FROM articles")),
            "versions": int(scalar("SELECT count(*) FROM article_versions")),
            "quarantined": int(scalar("SELECT count(*) FROM quarantine")),
        }

    def quarantine(self, limit: int = 1000) -> Iterator[dict[str, Any]]:
        yield from self.db.dicts(
            "SELECT id, origin, record_id, reason, created_at, length(raw_zlib) AS stored"
            f" FROM quarantine ORDER BY id DESC LIMIT {self.d.param}",
            (limit,),
        )

    def count_stale(self, below_version: int) -> int:
        """How many articles a reparse of those parsed below `below_version` will read: its progress's total."""
        return int(
            self.db.scalar(f"SELECT count(*) FROM articles WHERE parser_version < {self.d.param}", (below_version,))
        )
