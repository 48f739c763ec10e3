"""Answers to repeated reads, kept until the archive changes, and conditional requests (ETag, 304).

A team's server answers the same searches, facets and dashboards over and over (saved searches, a shared
link, a page reloaded); counting a story's copies and its facets is most of each answer's cost (bench/
README.md, "Serving"). A whole 200 answer of the routes in CACHED_PATHS is kept, keyed by path and query,
for as long as the archive's data version (store/sqlite_pool.py; PostgreSQL's snapshot) stays the same:
any commit, by any process, empties the cache, so no answer is ever older than the archive. Every answer of
those routes carries a strong ETag (a hash of its body) and Cache-Control: no-cache, so a browser asks again
each time and gets 304 when nothing changed.

It sits inside the guard (web/security.py): a request from a name not allowed is refused before any cached
answer is looked at. Answers that set cookies, or larger than MAX_ENTRY, are never kept.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Reads whose answer depends on the archive and the request only (not on the clock, not on who asks).
CACHED_PATHS = frozenset({"/", "/api/search", "/dashboard", "/api/trends", "/api/actors", "/api/support"})
MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024  # all entries together
MAX_ENTRY = 2 * 1024 * 1024  # larger answers pass through, uncached


@dataclass(frozen=True, slots=True)
class Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes


class ResponseCache:
    """Entries of one data version; a new version empties it. Used from the event loop only."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.version: object = None
        self.entries: OrderedDict[tuple[str, bytes], Entry] = OrderedDict()
        self.size = 0
        self.hits = self.misses = 0

    def get(self, version: object, key: tuple[str, bytes]) -> Entry | None:
        if version != self.version:
            self.entries.clear()
            self.size, self.version = 0, version
            return None
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, version: object, key: tuple[str, bytes], entry: Entry) -> None:
        if version != self.version:
            return  # the archive changed while this answer was made: it may be of either version
        if key in self.entries:
            self.size -= len(self.entries.pop(key).body)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.entries and (len(self.entries) > self.max_entries or self.size > self.max_bytes):
            _, dropped = self.entries.popitem(last=False)
            self.size -= len(dropped.body)


def etag_of(body: bytes) -> bytes:
    return b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"'


def matches(if_none_match: bytes, etag: bytes) -> bool:
    """If-None-Match holds the ETag (a list, or *); weak forms compare equal, as RFC 9110 says for GET."""
    if if_none_match.strip() == b"*":
        return True
    return any(tag.strip().removeprefix(b"W/") == etag for tag in if_none_match.split(b","))


class CacheMiddleware:
    """`version` reads the archive's data version (blocking: run in a worker thread); None turns caching off."""

    def __init__(self, app: ASGIApp, version: Callable[[], object], cache: ResponseCache | None = None) -> None:
        self.app = app
        self.version = version
        self.cache = cache or ResponseCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or scope["path"] not in CACHED_PATHS:
            await self.app(scope, receive, send)
            return
        version = await run_in_threadpool(self.version)
        if version is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        conditional = dict(scope["headers"]).get(b"if-none-match", b"")
        entry = self.cache.get(version, key)
        if entry is not None:
            self.cache.hits += 1
            await reply(send, entry, conditional, scope["method"] == "HEAD")
            return
        self.cache.misses += 1
        if scope["method"] == "HEAD":  # its answer has no body to keep, nor to hash
            await self.app(scope, receive, send)
            return
        await self.fill(scope, receive, send, version, key, conditional)

    async def fill(
        self, scope: Scope, receive: Receive, send: Send, version: object, key: tuple[str, bytes], conditional: bytes
    ) -> None:
        """Run the route, holding its answer back to hash it; an error, a cookie or a long answer passes as is."""
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False

        async def keep(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                start = message
                names = {name.lower() for name, _ in message.get("headers", [])}
                if message["status"] != 200 or b"set-cookie" in names:
                    passing = True
                    await send(message)
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            if size > MAX_ENTRY:
                passing = True
                await send(start)
                await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
                chunks.clear()
            if not message.get("more_body", False) and not passing:
                body = b"".join(chunks)
                headers = [(k, v) for k, v in start.get("headers", []) if k.lower() not in (b"etag", b"cache-control")]
                entry = Entry(200, headers, body, etag_of(body))
                self.cache.put(version, key, entry)
                await reply(send, entry, conditional, head=False)
            elif passing and not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b""})

        await self.app(scope, receive, keep)


async def reply(send: Send, entry: Entry, conditional: bytes, head: bool) -> None:
    validators = [(b"etag", entry.etag), (b"cache-control", b"no-cache")]
    if conditional and matches(conditional, entry.etag):
        kept = [(k, v) for k, v in entry.headers if k.lower() not in (b"content-length", b"content-type")]
        await send({"type": "http.response.start", "status": 304, "headers": kept + validators})
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": entry.status, "headers": entry.headers + validators})
    await send({"type": "http.response.body", "body": b"" if head else entry.body})


__all__ = ["CACHED_PATHS", "CacheMiddleware", "Entry", "ResponseCache", "etag_of", "matches"]
