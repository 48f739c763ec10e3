"""What every route depends on: the server's configuration, the archive opened per request (read-only, or
writable after the write check), and pages rendered with what every template needs.

A route never opens an archive itself: it takes `Reader` or `Writer`, and FastAPI opens it before the route
runs and closes it after the response is sent (so a streamed download reads it to the end).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from propscope.archive import Archive
from propscope.errors import ReadOnlyError
from propscope.settings import Settings
from propscope.web.security import form_token

HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """Set once when the app is built (web/app.py): the archive served and who may write to it."""

    db: str
    token: str | None = None
    writable: bool = True
    settings: Settings = field(default_factory=Settings)
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @property
    def form_token(self) -> str:
        return form_token(self.secret)

    def check_form(self, given: str) -> None:
        """A form POST must carry the page's CSRF token (another site cannot read it)."""
        if not hmac.compare_digest(given.encode(), self.form_token.encode()):
            raise ReadOnlyError("the form's CSRF token is missing or wrong: reload the page and send it again")

    def check_write(self, given: str) -> None:
        """`writable` False refuses every write; with a token, a write must present it."""
        if not self.writable:
            raise ReadOnlyError("this server is read-only (bound beyond loopback without a token)")
        if self.token is not None and not hmac.compare_digest(given.encode(), self.token.encode()):
            raise ReadOnlyError("writing needs the server's token (Authorization: Bearer TOKEN)")


def server_config(request: Request) -> ServerConfig:
    config: ServerConfig = request.app.state.config
    return config


Config = Annotated[ServerConfig, Depends(server_config)]


def bearer(request: Request) -> str:
    return request.headers.get("authorization", "").removeprefix("Bearer ").strip()


def require_write(request: Request, config: Config) -> None:
    config.check_write(bearer(request))


def require_write_form(
    request: Request, config: Config, token: Annotated[str, Form()] = "", csrf: Annotated[str, Form()] = ""
) -> None:
    """A page's form carries the token as a field (a browser sends no Authorization header by itself), and
    the page's CSRF token."""
    config.check_form(csrf)
    config.check_write(token or bearer(request))


def get_archive(config: Config) -> Iterator[Archive]:
    """The archive, read-only, for one request (PostgreSQL connections come from a pool)."""
    with Archive(config.db, readonly=True, pooled=True, settings=config.settings) as archive:
        yield archive


def get_writer(config: Config, _: Annotated[None, Depends(require_write)]) -> Iterator[Archive]:
    """The archive, writable, once the request has passed the write check."""
    with Archive(config.db, settings=config.settings) as archive:
        yield archive


def get_form_writer(config: Config, _: Annotated[None, Depends(require_write_form)]) -> Iterator[Archive]:
    with Archive(config.db, settings=config.settings) as archive:
        yield archive


Reader = Annotated[Archive, Depends(get_archive)]
Writer = Annotated[Archive, Depends(get_writer)]
FormWriter = Annotated[Archive, Depends(get_form_writer)]


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page from its template, with what base.html needs to know of the server."""
    config = server_config(request)
    return TEMPLATES.TemplateResponse(
        request,
        name,
        {"writable": config.writable, "needs_token": config.token is not None, "csrf": config.form_token, **context},
        status_code=status_code,
    )


__all__ = [
    "TEMPLATES",
    "Config",
    "FormWriter",
    "Reader",
    "ServerConfig",
    "Writer",
    "get_archive",
    "get_form_writer",
    "get_writer",
    "render",
    "require_write",
    "require_write_form",
    "server_config",
]
