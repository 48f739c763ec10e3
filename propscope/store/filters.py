"""The conditions that searches and analytics share, built through the dialect: search filters (stance toward a
country among them), date bounds, the filters on support events (roles among them), and the width of a
period's date prefix."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from propscope.choices import CoarsePeriod, CoPeriod, Period, choose
from propscope.model import SearchFilters
from propscope.store.dialect import Dialect


def period_width(choices: type[Period] | type[CoPeriod] | type[CoarsePeriod], by: str) -> int:
    """The length of the ISO-date prefix that buckets by `by`, one of `choices` (else UsageError)."""
    return choose(choices, by, "period").width


def date_clauses(
    d: Dialect, since: str | None, until: str | None, unplanned: bool = False, column: str = "a.date"
) -> tuple[list[str], list[Any]]:
    """Bounds on the article's date (or another ISO-date `column`); "until 2012" or "until 2012-05" take in
    the whole year or month."""
    column = d.unplanned(column) if unplanned else column
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append(f"{column} >= {d.param}")
        params.append(since)
    if until:
        clauses.append(f"{column} <= {d.param}")
        params.append(until + "\uffff" if len(until) < 10 else until)
    return clauses, params


def filter_sql(d: Dialect, filters: SearchFilters, unplanned: bool = False) -> tuple[str, list[Any]]:
    """ " AND ..." conditions on `articles a` for the filters; `unplanned`: checked on the full-text matches,
    their indexes kept from driving the plan (see Dialect.unplanned)."""
    clauses, params = date_clauses(d, filters.since, filters.until, unplanned)
    for column, values, table in (
        ("country", filters.countries, "article_countries"),
        ("person", filters.persons, "article_persons"),
        ("outlet", filters.outlets, "article_outlets"),
        ("technique", filters.techniques, "article_techniques"),
        ("country", filters.targets, "article_hostility"),
    ):
        for value in values:  # several values of one filter: all must hold
            clauses.append(f"EXISTS (SELECT 1 FROM {table} f WHERE f.article_id = a.id AND f.{column} = {d.param})")
            params.append(value)
    for country in filters.toward:  # the same stance toward each country named
        clauses.append(
            "EXISTS (SELECT 1 FROM article_stance f WHERE f.article_id = a.id"
            f" AND f.country = {d.param} AND f.stance = {d.param})"
        )
        params.extend((country, filters.stance))
    if filters.leader_appearance is not None or filters.accompanied_by:
        appearance_clauses, appearance_params = _appearance_clauses(d, filters)
        clauses.extend(appearance_clauses)
        params.extend(appearance_params)
    for column, values in (("a.genre", filters.genres), ("a.lang", filters.langs), ("a.source", filters.sources)):
        if values:  # several values of one of these: any may hold
            condition, more = d.in_list(d.unplanned(column) if unplanned else column, values)
            clauses.append(condition)
            params.extend(more)
    return "".join(f" AND {c}" for c in clauses), params


def _appearance_clauses(d: Dialect, filters: SearchFilters) -> tuple[list[str], list[Any]]:
    """The article reports an appearance (of the leader named, unless "any"), and each person named in
    accompanied_by accompanied him at one of them."""
    leader = filters.leader_appearance if filters.leader_appearance != "any" else None
    on_leader = f" AND g.leader = {d.param}" if leader else ""
    clauses: list[str] = []
    params: list[Any] = []
    if not filters.accompanied_by:
        clauses.append(f"EXISTS (SELECT 1 FROM appearances g WHERE g.article_id = a.id{on_leader})")
        params.extend([leader] if leader else [])
    for person in filters.accompanied_by:  # several names: each accompanied him (in one appearance or another)
        clauses.append(
            "EXISTS (SELECT 1 FROM appearance_people f JOIN appearances g ON g.article_id = f.article_id"
            f" AND g.seq = f.seq WHERE f.article_id = a.id AND f.person = {d.param}"
            f" AND f.relation = 'accompanied'{on_leader})"
        )
        params.extend([person, *([leader] if leader else [])])
    return clauses, params


def event_filters(
    d: Dialect,
    since: str | None,
    until: str | None,
    countries: Sequence[str],
    actor_types: Sequence[str],
    roles: Sequence[str] = ("foreign",),
) -> tuple[str, list[Any]]:
    """ " AND ..." conditions on `support_events e` joined to `articles a`; `roles` are the actors' roles
    counted (foreign by default: compatriots only when asked; no adversary is ever stored)."""
    clauses, params = date_clauses(d, since, until)
    for column, values in (("e.country", countries), ("e.actor_type", actor_types), ("e.role", roles)):
        if values:
            condition, more = d.in_list(column, values)
            clauses.append(condition)
            params.extend(more)
    return "".join(f" AND {c}" for c in clauses), params
