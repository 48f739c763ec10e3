"""The dashboard (mentions of and hostility toward a country, supporters, targets) and the series behind
it as JSON (`/api/trends`, `/api/actors`, `/api/support`); over Archive.trend, actors, support_counts and
facets. Every chart says how many articles lie behind each point, and marks the periods with too few."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from propscope.analyze.trends import SPARSE_BELOW
from propscope.choices import CoarsePeriod, Period, Role, TrendMetric
from propscope.errors import UsageError
from propscope.model import SearchFilters
from propscope.results import Trend
from propscope.web import svg
from propscope.web.deps import Reader, render

TOP = 15

router = APIRouter()


def _line(trend: Trend, label: str, by: Period) -> Markup:
    return svg.line_chart(
        [(p.period, p.value) for p in trend.points],
        label=label,
        x_label=by.value,
        articles=[p.articles for p in trend.points],
        sparse_below=SPARSE_BELOW,
    )


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request,
    archive: Reader,
    country: str = "US",
    by: CoarsePeriod = CoarsePeriod.YEAR,
    role: Role = Role.FOREIGN,
) -> HTMLResponse:
    period = Period(by.value)
    error, code = None, (country or "").strip() or "US"
    mentions = hostility = None
    try:  # a code or a name the gazetteer knows; another is said above the charts, the others still drawn
        code = archive.countries([code])[0]
        mentions = archive.trend(TrendMetric.MENTIONS.value, period, code)
        hostility = archive.trend(TrendMetric.HOSTILITY.value, period, code)
    except UsageError as exc:
        error = str(exc)
    actors = archive.actors(limit=TOP, role=role)
    support = archive.support_counts(CoarsePeriod.YEAR, role=role).by_country()[:TOP]
    targets = archive.facets(None, names=("target",), collapse=False)  # the chart counts articles; one pass
    return render(
        request,
        "dashboard.html",
        {
            "country": code,
            "by": period.value,
            "role": role.value,
            "roles": tuple(Role),
            "sparse_below": SPARSE_BELOW,
            "error": error,
            "mentions": _line(mentions, f"share naming {code}", period) if mentions else None,
            "hostility": _line(hostility, f"hostility toward {code}", period) if hostility else None,
            "actors": svg.hbar_chart(
                [(a.actor, a.events, None) for a in actors],
                label="actors claimed to support the DPRK",
                articles=[a.articles for a in actors],
            ),
            "support": svg.hbar_chart(
                [(c, n, "/?" + urlencode([("country", c)])) for c, n, _ in support],
                label="support by country",
                articles=[a for _, _, a in support],
            ),
            "targets": svg.hbar_chart(
                [(c, n, "/?" + urlencode([("target", c)])) for c, n in targets.get("target")],
                label="articles hostile toward each country",
            ),
        },
        status_code=422 if error else 200,
    )


@router.get("/api/trends")
def api_trends(
    archive: Reader,
    metric: str = "hostility",
    country: str | None = None,
    by: Period = Period.MONTH,
    since: str | None = None,
    until: str | None = None,
) -> dict[str, Any]:
    """A metric per period: hostility or mentions (of a country, by code or name), or technique:NAME; each
    point with the articles behind it, `sparse` where they are fewer than `sparse_below`."""
    scope = SearchFilters.parse(since=since, until=until)
    return archive.trend(metric, by, country, scope.since, scope.until).to_json()


@router.get("/api/actors")
def api_actors(
    archive: Reader,
    since: str | None = None,
    until: str | None = None,
    country: Annotated[list[str] | None, Query()] = None,
    type: Annotated[list[str] | None, Query()] = None,
    role: Role = Role.FOREIGN,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 50,
) -> list[dict[str, Any]]:
    """Bodies claimed to support the DPRK, one each (an organ counts as its party): foreign ones unless
    `role` is compatriot or all; adversaries never."""
    scope = SearchFilters.parse(since=since, until=until)
    rows = archive.actors(scope.since, scope.until, country or [], type or [], limit, role)  # codes or names
    return [row.to_json() for row in rows]


@router.get("/api/support")
def api_support(
    archive: Reader,
    by: CoarsePeriod = CoarsePeriod.YEAR,
    since: str | None = None,
    until: str | None = None,
    role: Role = Role.FOREIGN,
) -> dict[str, Any]:
    """The support chart's numbers: events per period and country, and the articles behind each period."""
    scope = SearchFilters.parse(since=since, until=until)
    return archive.support_counts(by, scope.since, scope.until, role).to_json()


__all__ = ["router"]
