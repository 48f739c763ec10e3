"""The dashboard (mentions of and hostility toward a country, supporters, targets) and the series behind
it as JSON (`/api/trends`, `/api/actors`); over Archive.trend, actors, support_counts and facets."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from propscope.choices import CoarsePeriod, Period, TrendMetric
from propscope.web import svg
from propscope.web.deps import Reader, render

TOP = 15

router = APIRouter()


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(
    request: Request, archive: Reader, country: str = "US", by: CoarsePeriod = CoarsePeriod.YEAR
) -> HTMLResponse:
    code = (country or "US").upper()[:3]
    period = Period(by.value)
    mentions = archive.trend(TrendMetric.MENTIONS.value, period, code)
    hostility = archive.trend(TrendMetric.HOSTILITY.value, period, code)
    actors = archive.actors(limit=TOP)
    support = archive.support_counts(CoarsePeriod.YEAR).by_country()[:TOP]
    targets = archive.facets(None, names=("target",))  # only the chart's facet: each is a pass
    return render(
        request,
        "dashboard.html",
        {
            "country": code,
            "by": period.value,
            "mentions": svg.line_chart([(p.period, p.value) for p in mentions.points], label=f"share naming {code}"),
            "hostility": svg.line_chart(
                [(p.period, p.value) for p in hostility.points], label=f"hostility toward {code}"
            ),
            "actors": svg.hbar_chart(
                [(a.actor, a.events, None) for a in actors], label="actors claimed to support the DPRK"
            ),
            "support": svg.hbar_chart(
                [(c, n, "/?" + urlencode([("country", c)])) for c, n in support], label="support by country"
            ),
            "targets": svg.hbar_chart(
                [(c, n, "/?" + urlencode([("target", c)])) for c, n in targets.get("target")],
                label="articles hostile toward each country",
            ),
        },
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
    """A metric per period: hostility or mentions (of a country), or technique:NAME."""
    return archive.trend(metric, by, country, since, until).to_json()


@router.get("/api/actors")
def api_actors(
    archive: Reader,
    since: str | None = None,
    until: str | None = None,
    country: Annotated[list[str] | None, Query()] = None,
    type: Annotated[list[str] | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 50,
) -> list[dict[str, Any]]:
    rows = archive.actors(since, until, [c.upper() for c in country or []], type or [], limit)
    return [row.to_json() for row in rows]


__all__ = ["router"]
