"""Search: the page (results, facets, a histogram of dates) and `/api/search`, over Archive.search/facets."""

from __future__ import annotations

import html
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from propscope.analyze.histogram import histogram as date_histogram
from propscope.choices import Period, Sort
from propscope.errors import PropscopeError
from propscope.model import GENRES, TECHNIQUES, SearchHit
from propscope.results import Facets
from propscope.search import split_marked
from propscope.web import svg
from propscope.web.deps import Reader, render
from propscope.web.params import MAX_PAGE, Offset, SearchParams

PAGE_SIZE = 20
FACETS = ("genre", "lang", "source", "outlet", "country", "person", "technique", "target")
FACET_TITLES = {"lang": "language"}  # the page folds copies into one hit: its total and facets count stories
STANCE_FACETS = ("hostile", "friendly")  # countries the matches are hostile (friendly) toward

router = APIRouter()
Params = Annotated[SearchParams, Depends()]


def highlight_snippet(snippet: str) -> Markup:
    """Every piece of text escaped; only the matches wrapped in <mark>."""
    return Markup(
        "".join(
            f"<mark>{html.escape(piece)}</mark>" if is_match else html.escape(piece)
            for piece, is_match in split_marked(snippet)
        )
    )


def stance_link(base: list[tuple[str, str]], params: SearchParams, stance: str, country: str) -> str:
    """The search with `stance` toward `country` switched: off again when on (the stance goes with the last
    country); added to the countries when the stance is the one chosen; else in place of the stance chosen
    and its countries (one stance at a time)."""
    kept = [(k, v) for k, v in base if k not in ("stance", "toward", "page")]
    if stance == params.stance and country in params.toward:
        toward = [c for c in params.toward if c != country]
    elif stance == params.stance:
        toward = [*params.toward, country]
    else:
        toward = [country]
    chosen = [("stance", stance), *(("toward", c) for c in toward)] if toward else []
    return "/?" + urlencode(kept + chosen)


@router.get("/", response_class=HTMLResponse)
def search_page(
    request: Request,
    params: Params,
    archive: Reader,
    sort: Sort | None = None,
    page_number: Annotated[int, Query(alias="page", ge=1, le=MAX_PAGE)] = 1,
) -> HTMLResponse:
    error, status = None, 200
    hits: list[SearchHit] = []
    total = 0
    facets = Facets({})
    order = sort or (Sort.RELEVANCE if params.q else Sort.DATE)
    try:
        filters = params.filters(archive.settings.gazetteer_file)
        # the countries as the codes they resolve to ("USA" -> US), for the facets marked on and the links
        params.country, params.target, params.toward = (
            list(filters.countries),
            list(filters.targets),
            list(filters.toward),
        )
        hits = archive.search(params.q, filters, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE, sort=order)
        total = archive.count(params.q, filters)
        facets = archive.facets(params.q, filters, by=Period.DAY)  # the histogram buckets the days itself
    except PropscopeError as exc:  # a query or filter that cannot be read: said on the page, beside the box
        error, status = str(exc), exc.http_status  # 422 for a filter, 400 for a malformed query
    base = params.items()

    def link(**change: Any) -> str:
        pairs = [(k, v) for k, v in base if k not in change.get("drop", ())]
        pairs += [(k, v) for k, v in change.items() if k != "drop" and v]
        return "/?" + urlencode(pairs)

    facet_links = {
        name: [
            (
                value,
                count,
                (value in getattr(params, name)),
                link(**{name: value})
                if value not in getattr(params, name)
                else "/?" + urlencode([(k, v) for k, v in base if not (k == name and v == value)]),
            )
            for value, count in facets.get(name)
        ]
        for name in FACETS
    }
    for stance in STANCE_FACETS:
        facet_links[stance] = [
            (value, count, stance == params.stance and value in params.toward, stance_link(base, params, stance, value))
            for value, count in facets.get(stance)
        ]
    histogram = svg.for_every_screen(
        partial(
            svg.bar_chart,
            [
                (bar.period, bar.count, link(drop=("since", "until", "page"), since=bar.since, until=bar.until))
                if bar.since
                else (bar.period, bar.count, None)
                for bar in date_histogram(facets.get("date"), params.since, params.until)
            ],
            label="articles",
        ),
        wide=svg.RESULTS,
        fit=svg.RESULTS_AT_WIDE,
    )
    return render(
        request,
        "search.html",
        {
            "params": params,
            "sort": order.value,
            "page": page_number,
            "genres": GENRES,
            "techniques": TECHNIQUES,
            "hits": [(h, highlight_snippet(h.snippet)) for h in hits],
            "total": total,
            "error": error,
            "page_size": PAGE_SIZE,
            "facets": facet_links,
            "facet_titles": {**FACET_TITLES, **{stance: f"{stance} toward" for stance in STANCE_FACETS}},
            "histogram": histogram,
            "query_string": urlencode(base),
            "next_page": link(drop=("page",), page=str(page_number + 1)),
            "previous_page": link(drop=("page",), page=str(page_number - 1) if page_number > 2 else None),
        },
        status_code=status,
    )


@router.get("/api/search")
def api_search(
    params: Params,
    archive: Reader,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
    offset: Offset = 0,
    sort: Sort = Sort.RELEVANCE,
    facets: bool = False,
    collapse: bool = True,
) -> dict[str, Any]:
    """Matches, one per story unless collapse=false (each hit says how many other copies it stands for)."""
    filters = params.filters(archive.settings.gazetteer_file)
    order = sort if params.q else Sort.DATE
    hits = archive.search(params.q, filters, limit=limit, offset=offset, sort=order, collapse=collapse)
    body: dict[str, Any] = {
        "unit": "stories" if collapse else "articles",  # what the total and the facets count, named once
        "total": archive.count(params.q, filters, collapse=collapse),
        "hits": [h.to_json() for h in hits],
    }
    if facets:
        body["facets"] = archive.facets(params.q, filters, collapse=collapse).to_json()
    return body


__all__ = ["highlight_snippet", "router"]
