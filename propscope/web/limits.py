"""Bounded work per request, as pure ASGI middleware (it streams: nothing is held but the capped body):

- a request body is refused with 413 past its cap, by Content-Length before a byte is read and while a
  chunked body streams in (`/api/ingest`: the settings' max_body_mb; every other route: 1 MB);
- each request runs under a time budget (propscope/budget.py) that the stores enforce inside the database;
- when the client leaves (http.disconnect), the budget is cancelled, so its query stops rather than running on.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from propscope import budget as budgets

MB = 1024 * 1024
DEFAULT_BODY = 1 * MB  # every route but ingest takes a form or a small JSON object
BIG_BODY_PATHS = ("/api/ingest",)
# A download's cost grows with the archive, not with what the user typed: it has no deadline, but it still
# stops when its client leaves or the server stops.
UNTIMED_PATHS = ("/api/export",)


class TooLarge(Exception):
    pass


class LimitsMiddleware:
    def __init__(self, app: ASGIApp, max_ingest_bytes: int, query_seconds: float) -> None:
        self.app = app
        self.max_ingest_bytes = max_ingest_bytes
        self.query_seconds = query_seconds

    def cap(self, path: str) -> int:
        return self.max_ingest_bytes if path in BIG_BODY_PATHS else DEFAULT_BODY

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap(scope["path"])
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.strip().isdigit() and int(length) > cap:
            await too_large(send, cap)
            return
        try:
            body = await read_body(receive, cap)
        except TooLarge:
            await too_large(send, cap)
            return
        if body is None:  # the client left before its request was sent
            return
        seconds = float("inf") if scope["path"] in UNTIMED_PATHS else self.query_seconds
        with budgets.running(budgets.Budget(seconds)) as budget:
            await self.serve(scope, receive, send, body, budget)

    async def serve(self, scope: Scope, receive: Receive, send: Send, body: bytes, budget: budgets.Budget) -> None:
        """The app gets the body at once; later receives wait for the client's disconnect, which a watcher
        reads meanwhile and answers by cancelling the budget."""
        gone: asyncio.Event = asyncio.Event()
        first = True

        async def replay() -> Message:
            nonlocal first
            if first:
                first = False
                return {"type": "http.request", "body": body, "more_body": False}
            await gone.wait()
            return {"type": "http.disconnect"}

        async def watch() -> None:
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    budget.cancel()
                    gone.set()
                    return

        watcher = asyncio.ensure_future(watch())
        try:
            await self.app(scope, replay, send)
        finally:
            watcher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await watcher


async def read_body(receive: Receive, cap: int) -> bytes | None:
    """The whole body, at most `cap` bytes (TooLarge past it), or None if the client disconnected."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > cap:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def too_large(send: Send, cap: int) -> None:
    detail: dict[str, Any] = {"error": f"request body is over {cap / MB:g} MB: send it in smaller batches"}
    payload = json.dumps(detail).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


__all__ = ["DEFAULT_BODY", "LimitsMiddleware"]
