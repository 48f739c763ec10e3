"""Who and what, over time: supporting actors (one row per body, by role), series by period (hostility,
mentions, techniques, support, and the articles behind each period), what is named together, and the entity
rows the reuse and network analyses stream."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from propscope.choices import CoarsePeriod, CoPeriod, Period
from propscope.store.base import StoreBase
from propscope.store.filters import date_clauses, event_filters, period_width


class Analytics(StoreBase):
    def actors(
        self,
        since: str | None = None,
        until: str | None = None,
        countries: Sequence[str] = (),
        actor_types: Sequence[str] = (),
        limit: int = 50,
        roles: Sequence[str] = ("foreign",),
    ) -> list[dict[str, Any]]:
        """Actors claimed to support the DPRK, one row per body (an organ counts as its party), with counts,
        first and last seen and the names the texts gave it (`variants`, most used first). Foreign actors by
        default; `roles` may add or pick compatriots. Adversaries are never stored, so never listed."""
        where, params = event_filters(self.d, since, until, countries, actor_types, roles)
        body = "coalesce(nullif(e.canonical, ''), e.actor)"  # rows older than migration 0009 may lack it
        found = self.db.dicts(
            f"SELECT lower({body}) AS body_key, min({body}) AS actor, e.role, min(e.actor_type) AS actor_type,"
            " e.country, count(*) AS events, count(DISTINCT e.article_id) AS articles,"
            " min(a.date) AS first_seen, max(a.date) AS last_seen,"
            f" {self.d.distinct_list('e.action')} AS actions"
            f" FROM support_events e JOIN articles a ON a.id = e.article_id WHERE 1 = 1 {where}"
            f" GROUP BY lower({body}), e.country, e.role ORDER BY events DESC, 2, e.country LIMIT {self.d.param}",
            [*params, limit],
        )
        if not found:
            return []
        among, keys = self.d.in_list(f"lower({body})", sorted({row["body_key"] for row in found}))
        variants: dict[tuple[str, str | None, str], list[str]] = {}
        for key, country, role, actor, _ in self.db.execute(
            f"SELECT lower({body}), e.country, e.role, e.actor, count(*) AS n"
            f" FROM support_events e JOIN articles a ON a.id = e.article_id WHERE {among} {where}"
            " GROUP BY 1, 2, 3, 4 ORDER BY n DESC, 4",
            [*keys, *params],
        ):
            variants.setdefault((key, country, role), []).append(actor)
        for row in found:
            row["variants"] = tuple(variants.get((row.pop("body_key"), row["country"], row["role"]), ()))
        return found

    def support_counts(
        self,
        by: str = "year",
        since: str | None = None,
        until: str | None = None,
        roles: Sequence[str] = ("foreign",),
    ) -> tuple[list[tuple[str, str, int, int]], list[tuple[str, int]]]:
        """The series behind the support chart: (period, country, events, articles carrying them), and
        (period, dated articles archived) for every period, the count behind each bar."""
        width = period_width(CoarsePeriod, by)
        where, params = event_filters(self.d, since, until, (), (), roles)
        events = [
            (r[0], r[1], int(r[2]), int(r[3]))
            for r in self.db.execute(
                f"SELECT substr(a.date, 1, {width}) AS period, coalesce(e.country, '??'), count(*),"
                " count(DISTINCT e.article_id)"
                f" FROM support_events e JOIN articles a ON a.id = e.article_id WHERE a.date IS NOT NULL {where}"
                " GROUP BY period, e.country ORDER BY period",
                params,
            )
        ]
        return events, self.articles_by_period(width, since, until)

    def articles_by_period(self, width: int, since: str | None, until: str | None) -> list[tuple[str, int]]:
        """(period, dated articles) with the date prefix of `width`, oldest first."""
        clauses, params = date_clauses(self.d, since, until)
        where = "".join(f" AND {c}" for c in clauses)
        return [
            (r[0], int(r[1]))
            for r in self.db.execute(
                f"SELECT substr(a.date, 1, {width}) AS p, count(*) FROM articles a WHERE a.date IS NOT NULL {where}"
                " GROUP BY p ORDER BY p",
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
        p = self.d.param
        width = period_width(Period, by)
        clauses, params = date_clauses(self.d, since, until)
        where = "".join(f" AND {c}" for c in clauses)
        period = f"substr(a.date, 1, {width})"
        about = (
            f"SELECT article_id FROM article_countries WHERE country = {p}"
            f" UNION SELECT article_id FROM article_hostility WHERE country = {p}"
        )
        if metric == "hostility":
            sql = (
                f"SELECT {period} AS p, count(*), count(h.score), coalesce(avg(coalesce(h.score, 0)), 0)"
                f" FROM ({about}) x JOIN articles a ON a.id = x.article_id"
                f" LEFT JOIN article_hostility h ON h.article_id = a.id AND h.country = {p}"
                f" WHERE a.date IS NOT NULL {where} GROUP BY p ORDER BY p"
            )
            args: list[Any] = [country, country, country, *params]
        elif metric == "mentions":
            sql = (
                f"SELECT {period} AS p, count(*), count(c.article_id), 1.0 * count(c.article_id) / count(*)"
                f" FROM articles a LEFT JOIN article_countries c ON c.article_id = a.id AND c.country = {p}"
                f" WHERE a.date IS NOT NULL {where} GROUP BY p ORDER BY p"
            )
            args = [country, *params]
        elif metric == "technique":
            scope = f"JOIN ({about}) x ON x.article_id = a.id" if country else ""
            sql = (
                f"SELECT {period} AS p, count(*), count(t.article_id), 1.0 * coalesce(sum(t.spans), 0) / count(*)"
                f" FROM articles a {scope}"
                f" LEFT JOIN article_techniques t ON t.article_id = a.id AND t.technique = {p}"
                f" WHERE a.date IS NOT NULL {where} GROUP BY p ORDER BY p"
            )
            args = [*([country, country] if country else []), technique, *params]
        else:
            raise ValueError(f"unknown metric {metric!r}")
        return [(r[0], int(r[1]), int(r[2]), float(r[3])) for r in self.db.execute(sql, args)]

    def cooccurrences(self, name: str, by: str = "year", per_period: int = 10) -> list[dict[str, Any]]:
        """Who and what is mentioned in the same articles as `name`, by period, most frequent first."""
        width = period_width(CoPeriod, by)
        period = f"substr(a.date, 1, {width})" if width else "'all'"
        rows = self.db.dicts(
            f"SELECT coalesce({period}, 'undated') AS period, o.type, o.canonical, count(*) AS articles"
            " FROM article_entities t JOIN article_entities o ON o.article_id = t.article_id"
            " AND NOT (o.type = t.type AND o.canonical = t.canonical)"
            " JOIN articles a ON a.id = t.article_id"
            " WHERE t.type IN ('person', 'organization', 'outlet', 'country', 'place')"
            f" AND t.canonical = {self.d.param}"
            " AND o.type IN ('person', 'organization', 'country')"
            " GROUP BY period, o.type, o.canonical ORDER BY period, articles DESC",
            (name,),
        )
        out: list[dict[str, Any]] = []
        taken: dict[str, int] = {}
        for row in rows:
            if taken.get(row["period"], 0) < per_period:
                taken[row["period"]] = taken.get(row["period"], 0) + 1
                out.append(row)
        return out

    def entity_names(self, types: Sequence[str], limit: int) -> list[tuple[str, str, int]]:
        """The most mentioned entities of these types: (type, canonical, articles)."""
        among, params = self.d.in_list("type", types)
        return [
            (r[0], r[1], int(r[2]))
            for r in self.db.execute(
                f"SELECT type, canonical, count(*) FROM article_entities WHERE {among}"
                f" GROUP BY type, canonical ORDER BY 3 DESC LIMIT {self.d.param}",
                [*params, limit],
            )
        ]

    def entities_by_article(self, types: Sequence[str]) -> Iterator[tuple[int, str, str]]:
        """(article_id, type, canonical) in article order: streamed, never all in memory."""
        among, params = self.d.in_list("type", types)
        yield from self.db.stream(
            f"SELECT article_id, type, canonical FROM article_entities WHERE {among} ORDER BY article_id", params
        )
