"""Commands that serve the archive to others: the web UI and REST API (serve), the daily digest (digest)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import errno
import secrets
import socket
from functools import partial
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from propscope.cli.options import DbOption, open_archive, settings
from propscope.cli.output import err
from propscope.errors import MailError, UsageError


def serve(
    ctx: typer.Context,
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[
        str | None,
        typer.Option(
            help="Writes (ingest, saved searches) must present it (default: $PROPSCOPE_TOKEN). Without one, a"
            " server bound beyond loopback is read-only.",
            show_default=False,
        ),
    ] = None,
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            help="A Host name the server answers to besides loopback and HOST (repeatable); any other Host header"
            " gets 400.",
            show_default=False,
        ),
    ] = None,
    query_seconds: Annotated[
        float | None, typer.Option(help="Time budget of each request's queries (default: 10 s).", show_default=False)
    ] = None,
    max_body_mb: Annotated[
        float | None, typer.Option(help="Largest /api/ingest body in MB (default: 64).", show_default=False)
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes answering requests (a team's server: one per core).")
    ] = 1,
    cache: Annotated[
        bool,
        typer.Option(help="Keep answers to repeated searches and dashboards until the archive changes (web/cache.py)."),
    ] = True,
) -> None:
    """Serve the web UI and the REST API (OpenAPI at /openapi.json) at http://HOST:PORT."""
    from propscope.web.app import build_app, is_loopback
    from propscope.web.server import serve_workers

    chosen = settings(ctx)
    for name, value in (("query_seconds", query_seconds), ("max_body_mb", max_body_mb)):
        if value is not None:
            if not value > 0:
                raise UsageError(f"--{name.replace('_', '-')} {value} is not a positive number")
            chosen = dataclasses.replace(chosen, **{name: value})  # type: ignore[arg-type]
    token = token if token is not None else chosen.token
    if token is not None and not token.strip():
        raise UsageError("the token is empty: give a non-empty --token (or PROPSCOPE_TOKEN), or none at all")
    listening = listen(host, port)
    writable = token is not None or is_loopback(host)
    if not writable:
        err.print(f"[yellow]{escape(repr(host))} is beyond loopback and no --token was given: serving read-only[/]")
    hosts = [host, *(allow_host or [])]
    factory = partial(
        build_app, chosen, db, token=token, writable=writable, allowed_hosts=hosts, secret=secrets.token_bytes(32)
    )
    shown = f" by {workers} workers" if workers > 1 else ""
    err.print(f"propscope is serving at {escape(url_of(listening))}{shown} (Ctrl-C stops it)", soft_wrap=True)
    serve_workers(partial(factory, cache=cache), listening, workers)


def listen(host: str, port: int) -> socket.socket:
    """The socket the server will accept on, bound here rather than by uvicorn: a port in use, or a host
    that is no address here, is one line that says what to do, not uvicorn's log of Errno 98."""
    try:
        found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise UsageError(
            f"--host {host!r} is no address this machine can listen on ({reason}); try 127.0.0.1"
        ) from None
    # IPv4 first where a name has both ("localhost"): browsers try 127.0.0.1
    family, kind, proto, _, address = min(found, key=lambda entry: entry[0] != socket.AF_INET)
    listening = socket.socket(family, kind, proto)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart reuses the port
    try:
        listening.bind(address)
    except OSError as exc:
        listening.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is in use (another server?): stop it, or choose another with --port"
            ) from None
        raise UsageError(
            f"cannot listen on {host} port {port} ({exc.strerror}); choose another --host or --port"
        ) from None
    return listening


def url_of(listening: socket.socket) -> str:
    """The address a browser opens, with the port the system gave (--port 0 asks for any free one)."""
    host, port = listening.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def digest(
    ctx: typer.Context,
    db: DbOption = None,
    day: Annotated[str | None, typer.Option(help="YYYY-MM-DD (UTC); default today.", show_default=False)] = None,
    save: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")] = Path("digest.html"),
    mail: Annotated[
        bool, typer.Option("--mail", help="Also mail each saved search's address its digest (PROPSCOPE_SMTP_*).")
    ] = False,
) -> None:
    """The daily digest: what each saved search matched among the articles ingested that day, as HTML (and
    mailed, with --mail: run it daily from cron)."""
    try:
        chosen = dt.date.fromisoformat(day) if day else dt.datetime.now(dt.UTC).date()
    except ValueError as exc:
        raise UsageError(f"--day {day!r} is not a date; use YYYY-MM-DD") from exc
    sent: dict[str, int] = {}
    failed: dict[str, str] = {}
    with open_archive(ctx, db, readonly=True) as archive:
        page = archive.digest(chosen)
        if mail:
            sent, failed = archive.mail_digest(chosen)
    save.parent.mkdir(parents=True, exist_ok=True)
    save.write_text(page, encoding="utf-8")
    err.print(f"digest of {chosen} written to {escape(str(save))}")
    for address, count in sent.items():
        err.print(f"digest of {chosen} mailed to {escape(address)} ({count} new)")
    if failed:
        reasons = "; ".join(f"{address}: {reason}" for address, reason in failed.items())
        raise MailError(f"digest of {chosen} not mailed to {reasons} (mailed again when you run it again)")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(digest)
