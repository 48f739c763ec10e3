"""What guards the server from other sites, in one ASGI middleware around the whole app.

- Host allow-list: the loopback names, the bound address and the names given (`serve --allow-host`); any
  other Host header is refused with 400, so a rebound DNS name cannot reach the server.
- No cross-site writes: a POST, PUT, PATCH or DELETE that a browser marks as sent from another origin
  (Sec-Fetch-Site, else Origin, else Referer) is refused with 403; a request with none of the three (curl,
  a script) is not a browser's and goes on to the token check.
- Every response carries nosniff, a Content-Security-Policy (only the server's own script and styles, no
  framing) and X-Frame-Options DENY.

HTML forms also carry a CSRF token (`form_token`, an HMAC of a per-server secret) that web/deps.py checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SAME_ORIGIN_FETCH = frozenset({"same-origin", "none"})


def normal_host(name: str) -> str:
    """A host name as a Host header carries it, without its port: lower case, an IPv6 address in brackets."""
    name = name.strip().lower().rstrip(".")
    if ":" in name and not name.startswith("["):
        return f"[{name}]"
    return name


def host_of(netloc: str) -> str:
    """The host of `host[:port]` (IPv6 in brackets), normalised."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[: netloc.find("]") + 1] if "]" in netloc else netloc
    return normal_host(netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc)


def allowed_host_names(extra: Iterable[str] = ()) -> frozenset[str]:
    """The loopback names and `extra` (the bound address, `--allow-host` names), normalised; a wildcard bind
    address (0.0.0.0, ::) or an empty one names no host and adds nothing."""
    names = {normal_host(name) for name in extra if name.strip() not in ("", "0.0.0.0", "::")}
    return frozenset(names | set(LOOPBACK_HOSTS))


def style_hash(css: str) -> str:
    """The CSP source that allows exactly one inline <style> block with this content."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def inline_styles(html: str) -> list[str]:
    return re.findall(r"<style>(.*?)</style>", html, flags=re.DOTALL)


def content_security_policy(style_hashes: Iterable[str] = ()) -> str:
    styles = " ".join(["'self'", *style_hashes])
    return (
        "default-src 'none'; script-src 'self'; style-src "
        + styles
        + "; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def form_token(secret: bytes) -> str:
    """The CSRF token every HTML form of this server carries: another site cannot read it from the page."""
    return hmac.new(secret, b"propscope form", hashlib.sha256).hexdigest()


def cross_site(method: str, headers: dict[str, str], host: str) -> bool:
    """Whether a browser sent this state-changing request from a page of another origin."""
    if method in SAFE_METHODS:
        return False
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site.strip().lower() not in SAME_ORIGIN_FETCH
    for name in ("origin", "referer"):
        value = headers.get(name)
        if value is not None:
            netloc = urlsplit(value.strip()).netloc.lower()
            return not netloc or netloc != host.strip().lower()
    return False


class GuardMiddleware:
    """The host check, the cross-site check and the security headers, before and around every route."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str], policy: str) -> None:
        self.app = app
        self.hosts = hosts
        self.headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"content-security-policy", policy.encode()),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        host = headers.get("host", "")
        if host_of(host) not in self.hosts:
            await self.refuse(send, 400, f"host {host!r} is not served here (propscope serve --allow-host NAME)")
            return
        if cross_site(scope["method"], headers, host):
            await self.refuse(send, 403, "a write from another site is refused")
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {key.lower() for key, _ in message.get("headers", [])}
                extra = [(key, value) for key, value in self.headers if key not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def refuse(self, send: Send, status: int, message: str) -> None:
        body = json.dumps({"error": message}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": [*headers, *self.headers]})
        await send({"type": "http.response.body", "body": body})


__all__ = [
    "LOOPBACK_HOSTS",
    "GuardMiddleware",
    "allowed_host_names",
    "content_security_policy",
    "cross_site",
    "form_token",
    "host_of",
    "inline_styles",
    "normal_host",
    "style_hash",
]
