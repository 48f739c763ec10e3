"""The leadership tracker: a dashboard (the leader's appearances per period by kind, the officials ranked, who
accompanied him with whom, the gaps between appearances) and an official's page, and the same typed results as
JSON (`/api/appearances`, `/api/appearances/counts`, `/api/officials`, `/api/officials/{name}`,
`/api/absences`, `/api/companions`); over Archive.appearances, appearance_counts, official, officials and
absences. Every chart point says how many articles lie behind it."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from propscope.analyze.leadership_series import (
    KIND_COLOURS,
    LIST_COLOURS,
    colour,
    compare_period,
    kind_bars,
    monthly_appearances,
    monthly_positions,
)
from propscope.archive import Archive
from propscope.choices import AppearanceKind, CoarsePeriod, Period
from propscope.errors import UsageError
from propscope.model import SearchFilters
from propscope.results import AppearanceCounts, OfficialProfile
from propscope.web import svg
from propscope.web.deps import Reader, render

RANKED = 20  # officials listed on the dashboard
COMPANIONS = 12  # names in the heat map
Leader = Annotated[str | None, Query(max_length=100, description='A leader\'s canonical name ("Kim Jong Un").')]
Limit = Annotated[int, Query(ge=1, le=10_000)]

router = APIRouter()


def official_href(name: str) -> str:
    return "/officials/" + quote(name, safe="")


def appearances_svg(counts: AppearanceCounts, leader: str | None) -> Markup:
    """The stacked bars; a bar links to the search for that period's dispatches reporting an appearance."""
    bars = [
        (
            b.period,
            b.kinds,
            b.articles,
            "/?" + urlencode([("leader_appearance", leader or "any"), ("since", b.period), ("until", b.period)])
            if b.appearances
            else None,
        )
        for b in kind_bars(counts)
    ]
    layers = [(kind, colour(kind, KIND_COLOURS)) for kind in counts.kinds]
    return svg.for_every_screen(partial(svg.stacked_bars, bars, layers, label=f"appearances by {counts.by} and kind"))


def positions_svg(profile: OfficialProfile) -> Markup:
    series = [
        (f"{kind} lists", colour(kind, LIST_COLOURS), [(p.month, p.position, p.articles) for p in points])
        for kind, points in monthly_positions(profile.positions).items()
    ]
    return svg.for_every_screen(partial(svg.rank_chart, series, label=f"{profile.name}'s places in lists by month"))


def companions_svg(archive: Archive, leader: str | None, since: str | None, until: str | None) -> Markup:
    matrix = archive.companions(leader, since, until, COMPANIONS)
    return svg.heat_map(
        matrix.names,
        matrix.appearances,
        matrix.articles,
        [official_href(n) for n in matrix.names],
        label="who accompanied the leader with whom",
        cell_link=lambda a, b: (
            "/?"
            + urlencode(
                [("leader_appearance", leader or "any"), *(("accompanied_by", n) for n in dict.fromkeys((a, b)))]
            )
        ),
    )


@router.get("/leadership", response_class=HTMLResponse)
def dashboard(
    request: Request,
    archive: Reader,
    leader: Leader = None,
    since: str | None = None,
    until: str | None = None,
    by: CoarsePeriod = CoarsePeriod.MONTH,
    compare_with: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    leader = (leader or "").strip() or None
    since, until = since or None, until or None
    form = {"leader": leader or "", "since": since or "", "until": until or "", "by": by.value}
    try:  # a period the page cannot read is said above the form's values, kept for mending, not a bare error page
        SearchFilters.parse(since=since, until=until)
        other = compare_period(compare_with) if compare_with else None
    except UsageError as exc:
        context = {**form, "compare_with": compare_with or "", "error": str(exc)}
        return render(request, "leadership.html", context, status_code=exc.http_status)
    counts = archive.appearance_counts(leader, Period(by.value), since, until)
    ranking = archive.officials(since, until, other, leader=leader, limit=RANKED)
    gaps = archive.leader_gaps(leader)
    return render(
        request,
        "leadership.html",
        {
            **form,
            "error": None,
            "counts": counts,
            "appearances": appearances_svg(counts, leader),
            "compare_with": compare_with or "",
            "ranking": ranking,
            "officials": [(o, official_href(o.name)) for o in ranking.officials],
            "companions": companions_svg(archive, leader, since, until),
            "gaps": gaps,
        },
    )


@router.get("/officials/{name:path}", response_class=HTMLResponse)
def official_page(request: Request, name: str, archive: Reader) -> HTMLResponse:
    profile = archive.official(name)
    months = svg.for_every_screen(
        partial(
            svg.stacked_bars,
            [(m, (n,), articles, None) for m, n, articles in monthly_appearances(profile)],
            [("appearances with the leader", LIST_COLOURS["accompanied"])],
            height=140,
            label="appearances with the leader by month",
        )
    )
    return render(
        request,
        "official.html",
        {
            "profile": profile,
            "positions": positions_svg(profile),
            "months": months,
            "companions": [(other, n, official_href(other)) for other, n in profile.companions],
        },
    )


@router.get("/api/appearances")
def api_appearances(
    archive: Reader,
    leader: Leader = None,
    since: str | None = None,
    until: str | None = None,
    kind: AppearanceKind | None = None,
    with_: Annotated[str | None, Query(alias="with", max_length=200)] = None,
    limit: Limit = 1000,
) -> list[dict[str, Any]]:
    """The leaders' reported appearances, oldest first: of `leader`, of a `kind`, with an official (`with`)
    accompanying or greeting him."""
    rows = archive.appearances(leader, since, until, kind.value if kind else None, with_, limit)
    return [row.to_json() for row in rows]


@router.get("/api/appearances/counts")
def api_appearance_counts(
    archive: Reader,
    leader: Leader = None,
    by: Period = Period.MONTH,
    since: str | None = None,
    until: str | None = None,
) -> dict[str, Any]:
    """Appearances per period and kind, with the articles behind each period (the dashboard's chart)."""
    return archive.appearance_counts(leader, by, since, until).to_json()


@router.get("/api/officials")
def api_officials(
    archive: Reader,
    since: str | None = None,
    until: str | None = None,
    compare_with: Annotated[str | None, Query(max_length=40, description="SINCE:UNTIL, or a year")] = None,
    leader: Leader = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """The officials by appearances with the leader and mean place in lists; with `compare_with`, their
    standing then, and who rose and fell."""
    other = compare_period(compare_with) if compare_with else None
    return archive.officials(since, until, other, leader, limit).to_json()


@router.get("/api/officials/{name:path}")
def api_official(name: str, archive: Reader) -> dict[str, Any]:
    """One official's record (404 with close matches for a name the archive does not hold)."""
    return archive.official(name).to_json()


@router.get("/api/absences")
def api_absences(
    archive: Reader,
    leader: Leader = None,
    min_days: Annotated[int, Query(ge=1, le=36_500)] = 30,
    vanished_months: Annotated[int, Query(ge=1, le=1200)] = 6,
) -> dict[str, Any]:
    """The leader's gaps between appearances, officials who vanished, names dropped from later versions."""
    return archive.absences(leader, min_days, vanished_months).to_json()


@router.get("/api/companions")
def api_companions(
    archive: Reader,
    leader: Leader = None,
    since: str | None = None,
    until: str | None = None,
    top: Annotated[int, Query(ge=1, le=50)] = 15,
) -> dict[str, Any]:
    """The heat map's numbers: appearances (and articles) each pair of frequent companions shared."""
    return archive.companions(leader, since, until, top).to_json()


__all__ = ["router"]
