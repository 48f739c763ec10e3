"""A minimal web page over the archive: a search box, filters and results with the match in context,
and one page per article. JSON endpoints sit beside it for scripts (OpenAPI at /docs).

Every text is rendered escaped by Jinja2's autoescape; highlights are applied after escaping.
"""

from __future__ import annotations

import html
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from propscope import __version__
from propscope.archive import Archive
from propscope.errors import NotFoundError, PropscopeError, QueryError
from propscope.model import GENRES, SearchFilters
from propscope.search import split_marked
from propscope.store import resolve_db

TEMPLATES = Jinja2Templates(directory=str(__import__("pathlib").Path(__file__).parent / "templates"))
PAGE_SIZE = 20


def highlight_snippet(snippet: str) -> Markup:
    """Every piece of text escaped; only the matches wrapped in <mark>."""
    return Markup(
        "".join(
            f"<mark>{html.escape(piece)}</mark>" if is_match else html.escape(piece)
            for piece, is_match in split_marked(snippet)
        )
    )


def create_app(db: str | None = None) -> FastAPI:
    app = FastAPI(title="propscope", version=__version__, description="Search state-media dispatches.")
    target = resolve_db(db)

    def archive() -> Archive:
        return Archive(target, readonly=True)

    @app.exception_handler(PropscopeError)
    async def domain_error(request: Request, exc: PropscopeError) -> JSONResponse:
        status = 404 if isinstance(exc, NotFoundError) else 400 if isinstance(exc, QueryError) else 500
        return JSONResponse({"error": str(exc)}, status_code=status)

    def filters_from(since: str | None, until: str | None, genre: str | None, country: str | None) -> SearchFilters:
        return SearchFilters(
            since=since or None,
            until=until or None,
            genres=(genre,) if genre in GENRES else (),
            countries=(country.upper(),) if country else (),
        )

    @app.get("/", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: str = "",
        since: str = "",
        until: str = "",
        genre: str = "",
        country: str = "",
        page: Annotated[int, Query(ge=1)] = 1,
    ) -> HTMLResponse:
        filters = filters_from(since, until, genre, country)
        error = None
        hits: list[Any] = []
        total = 0
        try:
            with archive() as arch:
                hits = arch.search(
                    q or None,
                    filters,
                    limit=PAGE_SIZE,
                    offset=(page - 1) * PAGE_SIZE,
                    sort="relevance" if q else "date",
                )
                total = arch.count(q or None, filters)
        except QueryError as exc:
            error = str(exc)
        except PropscopeError as exc:
            error = str(exc)
        return TEMPLATES.TemplateResponse(
            request,
            "search.html",
            {
                "q": q,
                "since": since,
                "until": until,
                "genre": genre,
                "country": country,
                "page": page,
                "genres": GENRES,
                "hits": [(h, highlight_snippet(h.snippet)) for h in hits],
                "total": total,
                "error": error,
                "page_size": PAGE_SIZE,
            },
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        with archive() as arch:
            article = arch.article(article_id)
        return TEMPLATES.TemplateResponse(request, "article.html", {"article": article, "id": article_id})

    @app.get("/api/search")
    def api_search(
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        genre: str | None = None,
        country: str | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 20,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        filters = filters_from(since, until, genre, country)
        with archive() as arch:
            hits = arch.search(q, filters, limit=limit, offset=offset, sort="relevance" if q else "date")
            total = arch.count(q, filters)
        return {
            "total": total,
            "hits": [
                {
                    "id": h.id,
                    "date": h.date,
                    "title": h.title,
                    "genre": h.genre,
                    "source": h.source,
                    "snippet": h.snippet,
                    "score": h.score,
                }
                for h in hits
            ],
        }

    @app.get("/api/articles/{article_id}")
    def api_article(article_id: int) -> dict[str, Any]:
        with archive() as arch:
            return arch.article(article_id).to_dict(include_text=True)

    return app
