"""The web UI and the API over one archive: search with facets, articles with toggleable highlights, version
diffs, a dashboard, saved searches with Atom feeds and a daily digest.

Every text is rendered escaped by Jinja2's autoescape; highlights wrap already-escaped runs. Writing (saving
searches, ingesting) needs the token when one is set; bound beyond loopback without a token, the server is
read-only. Nothing is fetched at run time: styles and the one small script are served from the package.
"""

from __future__ import annotations

import datetime as dt
import hmac
import html
import ipaddress
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from propscope import __version__
from propscope.alerts import atom_feed, digest, filters_to_dict
from propscope.analyze.trends import Metric, trend
from propscope.analyze.versions import compare
from propscope.archive import Archive
from propscope.errors import NotFoundError, PropscopeError, QueryError
from propscope.model import GENRES, TECHNIQUES
from propscope.search import split_marked
from propscope.store import resolve_db
from propscope.web import svg
from propscope.web.api import SearchParams, build_router
from propscope.web.highlight import LAYERS, marks, render

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
PAGE_SIZE = 20
FACETS = ("genre", "outlet", "country", "person", "technique", "target")


class ReadOnlyError(PropscopeError):
    """A write asked of a server that is read-only or that needs a token."""


def highlight_snippet(snippet: str) -> Markup:
    """Every piece of text escaped; only the matches wrapped in <mark>."""
    return Markup(
        "".join(
            f"<mark>{html.escape(piece)}</mark>" if is_match else html.escape(piece)
            for piece, is_match in split_marked(snippet)
        )
    )


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(db: str | None = None, token: str | None = None, writable: bool = True) -> FastAPI:
    """`writable` False makes every write refused; with a `token`, writes must present it."""
    app = FastAPI(title="propscope", version=__version__, description="Search and analyse state-media dispatches.")
    target = resolve_db(db)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    def check_write(given: str) -> None:
        if not writable:
            raise ReadOnlyError("this server is read-only (bound beyond loopback without --token)")
        if token is not None and not hmac.compare_digest(given.encode(), token.encode()):
            raise ReadOnlyError("writing needs the server's token (Authorization: Bearer TOKEN)")

    def require_write(request: Request) -> None:
        check_write(request.headers.get("authorization", "").removeprefix("Bearer ").strip())

    def reader() -> Archive:
        return Archive(target, readonly=True, pooled=True)

    @app.exception_handler(PropscopeError)
    async def domain_error(request: Request, exc: PropscopeError) -> Response:
        status = (
            404
            if isinstance(exc, NotFoundError)
            else 400
            if isinstance(exc, QueryError)
            else 403
            if isinstance(exc, ReadOnlyError)
            else 500
        )
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return JSONResponse({"error": str(exc)}, status_code=status)
        return TEMPLATES.TemplateResponse(request, "error.html", {"message": str(exc)}, status_code=status)

    app.include_router(build_router(target, require_write))

    def page(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(
            request, name, {"writable": writable, "needs_token": token is not None, **context}
        )

    @app.get("/", response_class=HTMLResponse)
    def search_page(
        request: Request,
        params: Annotated[SearchParams, Depends()],
        sort: str = "",
        page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
    ) -> HTMLResponse:
        error = None
        hits: list[Any] = []
        total = 0
        facets: dict[str, list[tuple[str, int]]] = {}
        order = sort if sort in ("relevance", "date") else ("relevance" if params.q else "date")
        try:
            filters = params.filters()
            with reader() as archive:
                hits = archive.search(
                    params.q, filters, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE, sort=order
                )
                total = archive.count(params.q, filters)
                facets = archive.store.facets(params.q, filters)
        except PropscopeError as exc:
            error = str(exc)
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
                for value, count in facets.get(name, [])
            ]
            for name in FACETS
        }
        histogram = svg.bar_chart(
            [(p, n, link(drop=("since", "until"), since=p, until=p)) for p, n in facets.get("date", [])],
            label="articles",
        )
        return page(
            request,
            "search.html",
            {
                "params": params,
                "sort": order,
                "page": page_number,
                "genres": GENRES,
                "techniques": TECHNIQUES,
                "hits": [(h, highlight_snippet(h.snippet)) for h in hits],
                "total": total,
                "error": error,
                "page_size": PAGE_SIZE,
                "facets": facet_links,
                "histogram": histogram,
                "query_string": urlencode(base),
                "next_page": link(drop=("page",), page=str(page_number + 1)),
            },
        )

    @app.get("/articles/{article_id}", response_class=HTMLResponse)
    def article_page(request: Request, article_id: int) -> HTMLResponse:
        with reader() as archive:
            article = archive.article(article_id)
            info = archive.store.article_info(article_id)
            translations = archive.store.translations(article_id)
            copies = archive.store.cluster_members(article_id)
        spans = marks(article)
        present = {m.layer for m in spans}
        return page(
            request,
            "article.html",
            {
                "article": article,
                "id": article_id,
                "info": info,
                "translations": translations,
                "copies": copies,
                "text": render(article.text, spans),
                "layers": [(layer, layer in present) for layer in LAYERS],
            },
        )

    @app.get("/articles/{article_id}/history", response_class=HTMLResponse)
    def history_page(request: Request, article_id: int) -> HTMLResponse:
        with reader() as archive:
            versions = archive.store.versions(article_id)
        changes = [(new, compare(old["text"], new["text"])) for old, new in zip(versions, versions[1:], strict=False)]
        return page(request, "history.html", {"id": article_id, "versions": versions, "changes": changes})

    @app.get("/dashboard", response_class=HTMLResponse)
    def dashboard(request: Request, country: str = "US", by: str = "year") -> HTMLResponse:
        code = (country or "US").upper()[:3]
        period = by if by in ("year", "month") else "year"
        with reader() as archive:
            store = archive.store
            mentions = trend(store, Metric("mentions"), period, code)
            hostility = trend(store, Metric("hostility"), period, code)
            actors = store.actors(limit=15)
            support: dict[str, int] = {}
            for _, country_code, n in store.support_counts("year"):
                support[country_code] = support.get(country_code, 0) + n
            totals = store.facets(None, names=("target",))  # only the chart's facet: each is a pass
        top_support = sorted(support.items(), key=lambda kv: -kv[1])[:15]
        return page(
            request,
            "dashboard.html",
            {
                "country": code,
                "by": period,
                "mentions": svg.line_chart([(p.period, p.value) for p in mentions], label=f"share naming {code}"),
                "hostility": svg.line_chart([(p.period, p.value) for p in hostility], label=f"hostility toward {code}"),
                "actors": svg.hbar_chart(
                    [(a["actor"], a["events"], None) for a in actors], label="actors claimed to support the DPRK"
                ),
                "support": svg.hbar_chart(
                    [(c, n, "/?" + urlencode([("country", c)])) for c, n in top_support], label="support by country"
                ),
                "targets": svg.hbar_chart(
                    [(c, n, "/?" + urlencode([("target", c)])) for c, n in totals.get("target", [])],
                    label="articles hostile toward each country",
                ),
            },
        )

    @app.get("/saved", response_class=HTMLResponse)
    def saved_page(request: Request) -> HTMLResponse:
        with reader() as archive:
            saved = archive.store.saved_searches()
        return page(request, "saved.html", {"saved": saved, "urlencode": urlencode})

    @app.post("/saved", response_class=HTMLResponse)
    def save_from_form(
        request: Request,
        name: Annotated[str, Form()],
        query_string: Annotated[str, Form()] = "",
        webhook: Annotated[str, Form()] = "",
        token_field: Annotated[str, Form(alias="token")] = "",
    ) -> Response:
        check_write(token_field or request.headers.get("authorization", "").removeprefix("Bearer ").strip())
        from urllib.parse import parse_qsl

        pairs = parse_qsl(query_string)
        params = SearchParams(
            q=next((v for k, v in pairs if k == "q"), None),
            since=next((v for k, v in pairs if k == "since"), None),
            until=next((v for k, v in pairs if k == "until"), None),
            **{k: [v for key, v in pairs if key == k] for k in FACETS},
        )
        with Archive(target) as archive:
            archive.store.save_search(
                name.strip() or "unnamed", params.q, filters_to_dict(params.filters()), webhook.strip() or None
            )
        return RedirectResponse("/saved", status_code=303)

    @app.get("/saved/{saved_id}/feed.atom")
    def feed(request: Request, saved_id: int) -> Response:
        with reader() as archive:
            body = atom_feed(archive.store, saved_id, str(request.base_url))
        return Response(body, media_type="application/atom+xml")

    @app.get("/digest", response_class=HTMLResponse)
    def digest_page(request: Request, day: str | None = None) -> HTMLResponse:
        try:
            chosen = dt.date.fromisoformat(day) if day else dt.datetime.now(dt.UTC).date()
        except ValueError as exc:
            raise QueryError(f"day {day!r} is not a date (YYYY-MM-DD)") from exc
        with reader() as archive:
            return HTMLResponse(digest(archive.store, chosen, str(request.base_url)))

    return app


__all__ = ["create_app", "highlight_snippet", "is_loopback"]
