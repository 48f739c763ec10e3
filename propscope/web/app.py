"""The web UI and the API over one archive: search with facets, articles with toggleable highlights, version
diffs, a dashboard, saved searches with Atom feeds and a daily digest, exports and ingest (OpenAPI at
/openapi.json; no /docs, whose page would load its assets from a CDN).

Every text is rendered escaped by Jinja2's autoescape; highlights wrap already-escaped runs. Writing (saving
searches, ingesting) needs the token when one is set; bound beyond loopback without a token, the server is
read-only. Nothing is fetched at run time: styles and the one small script are served from the package.
Other sites are kept out by web/security.py: only allowed Host names, no cross-site writes, a strict CSP.

Each resource has its router (web/routes/); every route reads through the Archive it is handed
(web/deps.py) and renders a typed result as a page or as JSON; one handler turns a PropscopeError into its
HTTP status.
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Iterable
from functools import partial

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from propscope import __version__
from propscope.archive import Archive
from propscope.errors import PropscopeError, UsageError
from propscope.settings import Settings
from propscope.web.cache import CacheMiddleware
from propscope.web.deps import HERE, ServerConfig, render
from propscope.web.limits import MB, LimitsMiddleware
from propscope.web.routes import articles, dashboard, export, ingest, leadership, saved, search
from propscope.web.security import (
    GuardMiddleware,
    allowed_host_names,
    content_security_policy,
    inline_styles,
    style_hash,
)

ROUTERS = (
    search.router,
    articles.router,
    dashboard.router,
    leadership.router,
    saved.router,
    export.router,
    ingest.router,
)


def is_loopback(host: str) -> bool:
    """Whether `host` is a loopback name or address; an empty host (every interface) is not."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def error_response(request: Request, message: str, status: int) -> Response:
    """An error as one line of JSON for the API and for clients that ask for no HTML, or as the site's page."""
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", {"message": message}, status_code=status)


async def domain_error(request: Request, exc: Exception) -> Response:
    """The one handler: the error's own HTTP status, as one line of JSON for the API, or as a page."""
    status = exc.http_status if isinstance(exc, PropscopeError) else 500
    return error_response(request, str(exc), status)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own answers (no such path, a method the path does not take) in the shape of every other
    error, instead of its bare {"detail": ...}."""
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        api = request.url.path.startswith("/api/")
        message = f"no page at {request.url.path}; " + ("/openapi.json lists the API" if api else "the search is at /")
    elif status == 405:
        message = f"{request.method} is not a method {request.url.path} takes"
    else:
        message = str(getattr(exc, "detail", "")) or "the request failed"
    response = error_response(request, message, status)
    for name, value in (getattr(exc, "headers", None) or {}).items():  # Allow, on a 405
        response.headers[name] = value
    return response


def invalid_parameter(request: Request, exc: Exception) -> Response:
    """FastAPI's checks of parameters (a number out of range, a choice not offered) as one line, in the
    shape of every other error."""
    problems = exc.errors() if isinstance(exc, RequestValidationError) else []
    if problems and all(p.get("loc", ("",))[0] == "path" and p.get("type") == "int_parsing" for p in problems):
        # /articles/abc names no article: a page that is not there, said as the site says it
        named = ", ".join(f"{problem['loc'][-1]} {str(problem.get('input'))[:40]!r}" for problem in problems[:3])
        message = f"no page at {request.url.path}: {named} is not a number"
        return error_response(request, message, 404)
    lines = []
    for problem in problems[:3]:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part not in ("query", "path", "body"))
        given = problem.get("input")
        shown = f" (got {str(given)[:40]!r})" if isinstance(given, str | int | float) else ""
        lines.append(f"{where or 'request'}: {problem.get('msg', 'invalid')}{shown}")
    message = "; ".join(lines) or "invalid request parameters"
    return error_response(request, message, 422)


def build_app(
    settings: Settings,
    db: str | None = None,
    token: str | None = None,
    writable: bool = True,
    allowed_hosts: Iterable[str] = (),
    secret: bytes | None = None,
    cache: bool = True,
) -> FastAPI:
    """The app serving `db` (default: the settings' archive). `writable` False makes every write refused;
    with a `token`, writes must present it (an empty one is an error, never "no token"). Requests must name
    a loopback host or one of `allowed_hosts` (the bound address, `serve --allow-host`). `secret` signs the
    forms' CSRF tokens (one for every worker of a server; default: a new one); `cache` keeps answers to
    repeated reads until the archive changes (web/cache.py)."""
    if token is not None and not token.strip():
        raise UsageError("the token is empty: give a non-empty token, or none at all")
    app = FastAPI(
        title="propscope",
        version=__version__,
        description="Search and analyse state-media dispatches.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.config = ServerConfig(db or settings.db, token, writable, settings, secret or secrets.token_bytes(32))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_exception_handler(PropscopeError, domain_error)
    app.add_exception_handler(RequestValidationError, invalid_parameter)
    app.add_exception_handler(HTTPException, http_error)
    # Browsers ask for /favicon.ico whatever a page names: the vendored icon answers, not a 404 per page.
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    for router in ROUTERS:
        app.include_router(router)
    digest_template = (HERE / "templates" / "digest.html").read_text(encoding="utf-8")
    policy = content_security_policy(style_hash(css) for css in inline_styles(digest_template))
    app.add_middleware(
        LimitsMiddleware, max_ingest_bytes=int(settings.max_body_mb * MB), query_seconds=settings.query_seconds
    )
    if cache:
        app.add_middleware(CacheMiddleware, version=partial(data_version, app.state.config))  # inside the guard
    app.add_middleware(GuardMiddleware, hosts=allowed_host_names(allowed_hosts), policy=policy)
    return app


def data_version(config: ServerConfig) -> object:
    """The served archive's data version (None: no cache), read on a pooled connection."""
    with Archive(config.db, readonly=True, pooled=True, settings=config.settings) as archive:
        return archive.data_version()


def _favicon() -> FileResponse:
    return FileResponse(HERE / "static" / "favicon.svg", media_type="image/svg+xml")


def create_app(
    db: str | None = None, token: str | None = None, writable: bool = True, allowed_hosts: Iterable[str] = ()
) -> FastAPI:
    """The server's start: the environment is read here, once (Settings), and passed down."""
    return build_app(Settings.from_env(), db, token, writable, allowed_hosts)


__all__ = [
    "build_app",
    "create_app",
    "domain_error",
    "error_response",
    "http_error",
    "invalid_parameter",
    "is_loopback",
]
