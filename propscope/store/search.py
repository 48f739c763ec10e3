"""Full-text search over the archive: pages of hits (one per cluster of copies), counts, facets, phrase usage
and every match for an export. The query language is compiled once per store by the dialect; how a page of
matches is found fastest is each engine's own (`_text_rows`, in sqlite.py and postgres.py)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from propscope.choices import CoarsePeriod, Period
from propscope.errors import QueryError
from propscope.model import SearchFilters, SearchHit
from propscope.search import QueryLimits, Term, keyword_in_context, keyword_pattern, parse_query
from propscope.store.clusters import Clusters
from propscope.store.filters import filter_sql, period_width

FACET_NAMES = (
    "genre",
    "lang",
    "source",
    "outlet",
    "country",
    "person",
    "technique",
    "target",
    "hostile",
    "friendly",
    "date",
)

# Stories among articles: only articles with copies have a cluster id, so the distinct count runs over those few.
LISTED_COPIES = 1000  # up to this many matches with copies, a facet's correction names them (else finds them)
_COUNTED_STORIES = "count(*) - count(a.cluster_id) + count(DISTINCT a.cluster_id)"


# A hit without a query shows the body's opening words, read from this much of it.
OPENING_CHARS = 2000


def _hit(row: Mapping[str, Any], snippet: str, score: float, copies: int = 0) -> SearchHit:
    """Snippets keep the match marks and the source's own characters, white space included (verbatim)."""
    return SearchHit(row["id"], row["date"], row["title"], row["genre"], row["source"], snippet, score, copies)


def _opening(body: str | None) -> str:
    """The body's first words as a snippet. A body read to OPENING_CHARS may end inside a word: the text
    shown stops at the last white space read, and an ellipsis says it goes on."""
    text = body or ""
    if len(text) < OPENING_CHARS:
        return keyword_in_context(text, None)
    cut = max(text.rfind(" "), text.rfind("\n"))
    snippet = keyword_in_context(text[:cut] if cut > 0 else text, None)
    return snippet if snippet.endswith("…") else snippet + "…"


class Search(Clusters):
    query_limits = QueryLimits()  # the Archive sets its settings' limits

    def __init__(self) -> None:
        super().__init__()
        self._compiled: dict[str, str] = {}  # what the user typed -> the engine's match; a page asks three times

    def _text_arg(self, query: str) -> str:
        """The search language, compiled for the engine's full-text match (raises QueryError)."""
        known = self._compiled.get(query)
        if known is None:
            known = self._compiled[query] = self.d.compile_query(parse_query(query, self.query_limits), self.db)
        return known

    def _text_rows(
        self, match: str, where: str, params: list[Any], filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        """A page of matching articles (id, date, title, genre, source, score: lower is better)."""
        raise NotImplementedError

    @contextlib.contextmanager
    def _searching(self, query: str | None) -> Iterator[None]:
        """A query the engine cannot read becomes one line naming what the user typed."""
        try:
            yield
        except self.d.Error as exc:
            if self.d.refused_query(exc):
                raise QueryError(f"cannot search for {query!r}: {exc}") from exc
            raise

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
        terms = parse_query(query, self.query_limits) if query else []
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
        deleted = self._deleted_at([r["id"] for r in page])
        hits = [
            _hit(
                r,
                snippets.get(r["id"], "") if query else _opening(r.get("snippet")),
                float(r["score"]) if query else 0.0,
                copies.get(r.get("cluster", r["id"]), 1) - 1,
            )
            for r in page
        ]
        return [replace(h, deleted_at=deleted[h.id]) if h.id in deleted else h for h in hits]

    def _deleted_at(self, ids: list[int]) -> dict[int, str]:
        """When each of these articles left a listing it was collected from, for those still gone from one."""
        if not ids:
            return {}
        among, params = self.d.in_list("article_id", ids)
        rows = self.db.rows(
            f"SELECT article_id, max(deleted_at) FROM deletions WHERE {among} AND restored_at IS NULL GROUP BY 1",
            params,
        )
        return {int(r[0]): str(r[1]) for r in rows}

    def _matching_rows(
        self, query: str | None, filters: SearchFilters, limit: int, offset: int, sort: str
    ) -> list[dict[str, Any]]:
        p = self.d.param
        where, params = filter_sql(self.d, filters)
        if not query:
            return self.db.dicts(
                f"SELECT a.id, a.date, a.title, a.genre, a.source, substr(a.body, 1, {OPENING_CHARS}) AS snippet"
                f" FROM articles a WHERE 1 = 1 {where} ORDER BY {self.d.newest} LIMIT {p} OFFSET {p}",
                [*params, limit, offset],
            )
        with self._searching(query):
            return self._text_rows(self._text_arg(query), where, params, filters, limit, offset, sort)

    def _rows_in_order(self, ranked: list[tuple[int, float]]) -> list[dict[str, Any]]:
        """The articles rows of (id, score) pairs, in the given order, with their score."""
        if not ranked:
            return []
        among, params = self.d.in_list("id", [article_id for article_id, _ in ranked])
        found = {
            r["id"]: r
            for r in self.db.dicts(f"SELECT id, date, title, genre, source FROM articles WHERE {among}", params)
        }
        return [{**found[i], "score": score} for i, score in ranked if i in found]

    def _snippets(self, terms: list[Term], ids: list[int]) -> dict[int, str]:
        """Keyword in context for the page's articles, from the indexed part of their bodies."""
        if not ids:
            return {}
        pattern = keyword_pattern(terms)
        among, params = self.d.in_list("id", ids)
        rows = self.db.rows(f"SELECT id, substr(body, search_from + 1) FROM articles WHERE {among}", params)
        return {int(r[0]): keyword_in_context(r[1] or "", pattern) for r in rows}

    def facets(
        self,
        query: str | None,
        filters: SearchFilters = SearchFilters(),
        top: int = 12,
        by: str = "year",
        names: Sequence[str] = FACET_NAMES,
        collapse: bool = True,
    ) -> dict[str, list[tuple[str, int]]]:
        """Counts of the matching articles by genre, language, source, outlet, country, person, technique,
        target, the countries they are hostile and friendly toward (the `top` of each), and by date period: what
        a search page shows beside its results. They count what `count` counts: with `collapse`, stories (the
        copies of one story once), else articles. `names` picks some of them (each is a pass over the matches)."""
        width = period_width(Period, by)
        matching, args = self._matching_ids(query, filters)
        counted = _COUNTED_STORIES if collapse else "count(*)"
        m = "(SELECT id FROM m)"

        tables = {  # facet: (column, table, condition)
            "outlet": ("outlet", "article_outlets", ""),
            "country": ("country", "article_countries", ""),
            "person": ("person", "article_persons", ""),
            "technique": ("technique", "article_techniques", ""),
            "target": ("country", "article_hostility", ""),
            **{
                stance: ("country", "article_stance", f" AND f.stance = '{stance}'")
                for stance in ("hostile", "friendly")
            },
        }
        columns = {"genre": "a.genre", "lang": "a.lang", "source": "a.source"}
        out: dict[str, list[tuple[str, int]]] = {}
        with self._searching(query):
            # the few matches with copies: each facet's count of articles, less their other copies, is of stories
            clustered = self._clustered(matching)
            copies = {int(r[0]): int(r[1]) for r in self.db.execute(clustered, args)} if collapse else {}
            for name in names:
                if name == "date":
                    continue
                if name in columns:
                    group = (
                        f"SELECT {columns[name]}, {counted} FROM articles a WHERE a.id IN {m}"
                        f" AND {columns[name]} IS NOT NULL GROUP BY 1"
                    )
                    limit = f" LIMIT {self.d.param}"
                else:
                    column, table, condition = tables[name]
                    # each table's key holds (article, value) once, bar the outlets', which holds the form too
                    per = "count(DISTINCT f.article_id)" if table == "article_outlets" else "count(*)"
                    group = f"SELECT f.{column}, {per} FROM {table} f WHERE f.article_id IN {m}{condition} GROUP BY 1"
                    limit = "" if copies else f" LIMIT {self.d.param}"  # corrected first, then cut
                rows = [
                    (r[0], int(r[1]))
                    for r in self.db.execute(
                        f"WITH m AS ({matching}) {group} ORDER BY 2 DESC, 1{limit}", [*args, top] if limit else args
                    )
                ]
                if copies and name not in columns:
                    rows = self._less_copies(rows, tables[name], copies, clustered, args)[:top]
                out[name] = rows
            if "date" in names:
                out["date"] = [
                    (r[0], int(r[1]))
                    for r in self.db.execute(
                        f"WITH m AS ({matching}) SELECT substr(a.date, 1, {width}) AS p, {counted} FROM articles a"
                        f" WHERE a.id IN {m} AND a.date IS NOT NULL GROUP BY p ORDER BY p",
                        args,
                    )
                ]
        return out

    def _clustered(self, matching: str) -> str:
        """SELECT a.id, a.cluster_id of the matches that have copies (few: the partial index finds them)."""
        return (
            f"WITH m AS ({matching}) SELECT a.id, a.cluster_id FROM articles a WHERE a.cluster_id IS NOT NULL"
            f" AND {self.d.unplanned('a.id')} IN (SELECT id FROM m)"
        )

    def _less_copies(
        self,
        rows: list[tuple[str, int]],
        facet: tuple[str, str, str],
        copies: dict[int, int],
        clustered: str,
        args: list[Any],
    ) -> list[tuple[str, int]]:
        """Facet counts of articles made counts of stories: for each value, the copies beyond the first of each
        story among the articles with it are taken off; in the facet's order again."""
        column, table, condition = facet
        if len(copies) <= LISTED_COPIES:  # named: the matches are not found again
            among, params = self.d.in_list("f.article_id", list(copies))
            sql = f"SELECT DISTINCT f.{column}, f.article_id FROM {table} f WHERE {among}{condition}"
        else:
            sql = (
                f"WITH c AS ({clustered}) SELECT DISTINCT f.{column}, f.article_id FROM {table} f"
                f" WHERE f.article_id IN (SELECT id FROM c){condition}"
            )
            params = args
        clusters: dict[str, dict[int, int]] = {}
        for value, article_id in self.db.execute(sql, params):
            per_cluster = clusters.setdefault(value, {})
            per_cluster[copies[int(article_id)]] = per_cluster.get(copies[int(article_id)], 0) + 1
        fewer = {value: sum(n - 1 for n in per_cluster.values()) for value, per_cluster in clusters.items()}
        return sorted(((v, n - fewer.get(v, 0)) for v, n in rows), key=lambda row: (-row[1], row[0]))

    def _matching_ids(self, query: str | None, filters: SearchFilters) -> tuple[str, list[Any]]:
        """SELECT a.id of every matching article, and its parameters."""
        if query:
            where, params = filter_sql(self.d, filters, unplanned=True)
            return f"SELECT a.id FROM articles a WHERE {self.d.text_in} {where}", [self._text_arg(query), *params]
        where, params = filter_sql(self.d, filters)
        return f"SELECT a.id FROM articles a WHERE 1 = 1 {where}", params

    def count(self, query: str | None, filters: SearchFilters = SearchFilters(), collapse: bool = True) -> int:
        """Matching articles; with `collapse`, clusters of copies count once (only articles with copies have a
        cluster id, so the distinct count runs over those few)."""
        counted = _COUNTED_STORIES if collapse else "count(*)"
        if query:
            where, params = filter_sql(self.d, filters, unplanned=True)
            sql = f"SELECT {counted} FROM articles a WHERE {self.d.text_in} {where}"
            return int(self.db.scalar(sql, [self._text_arg(query), *params]))
        where, params = filter_sql(self.d, filters)
        return int(self.db.scalar(f"SELECT {counted} FROM articles a WHERE 1 = 1 {where}", params))

    def phrase_usage(self, query: str, by: str = "year") -> dict[str, Any]:
        """Articles using a phrase: count per period, first and last use (by date; undated ones counted apart)."""
        width = period_width(CoarsePeriod, by)
        match = self._text_arg(query)
        base = self.d.text_from
        with self._searching(query):
            periods = [
                (r[0], int(r[1]))
                for r in self.db.execute(
                    f"SELECT substr(a.date, 1, {width}) AS p, count(*) {base} AND a.date IS NOT NULL GROUP BY p"
                    " ORDER BY p",
                    (match,),
                )
            ]
            undated = int(self.db.scalar(f"SELECT count(*) {base} AND a.date IS NULL", (match,)))
            first, last = (
                self.db.dict_one(
                    f"SELECT a.id, a.date, a.title {base} AND a.date IS NOT NULL ORDER BY a.date {order}, a.id {order}"
                    " LIMIT 1",
                    (match,),
                )
                for order in ("ASC", "DESC")
            )
        return {"periods": periods, "undated": undated, "first": first, "last": last}

    def articles_with_phrase(self, words: Sequence[str], limit: int) -> list[int]:
        """Ids of (at most `limit`) articles whose indexed text holds these words in a row."""
        phrase = self._text_arg('"' + " ".join(w.replace('"', "") for w in words) + '"')
        return [
            int(r[0]) for r in self.db.execute(f"SELECT a.id {self.d.text_from} LIMIT {self.d.param}", (phrase, limit))
        ]

    def iter_matches(
        self, query: str | None, filters: SearchFilters = SearchFilters(), batch: int = 1000, after_id: int = 0
    ) -> Iterator[list[dict[str, Any]]]:
        """Every matching article in id order, a batch at a time (keyset paging: no cap, flat memory)."""
        d = self.d
        where, params = filter_sql(d, filters)
        columns = "a.id, a.date, a.title, a.genre, a.source, a.lang, a.url, a.body"
        if query:
            sql = (
                f"SELECT {columns} {d.text_from} AND {d.text_id} > {d.param} {where}"
                f" ORDER BY {d.text_id} LIMIT {d.param}"
            )
            head: list[Any] = [self._text_arg(query)]
        else:
            sql = f"SELECT {columns} FROM articles a WHERE a.id > {d.param} {where} ORDER BY a.id LIMIT {d.param}"
            head = []
        last = after_id
        while True:
            rows = self.db.dicts(sql, [*head, last, *params, batch])
            if not rows:
                return
            ids = [r["id"] for r in rows]
            countries: dict[int, list[str]] = {}
            among, args = d.in_list("article_id", ids)
            for r in self.db.execute(
                f"SELECT article_id, country FROM article_countries WHERE {among} ORDER BY 1, 2", args
            ):
                countries.setdefault(int(r[0]), []).append(r[1])
            persons: dict[int, list[str]] = {}
            for r in self.db.execute(
                f"SELECT article_id, person FROM article_persons WHERE {among} ORDER BY 1, 2", args
            ):
                persons.setdefault(int(r[0]), []).append(r[1])
            for row in rows:
                row["countries"] = countries.get(row["id"], [])
                row["persons"] = persons.get(row["id"], [])
            yield rows
            last = ids[-1]
