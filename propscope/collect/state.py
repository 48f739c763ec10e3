"""What a collector remembers between runs, in its own SQLite file beside the archive (`<db>.collect.sqlite`):
per profile and URL, the validators for conditional GET (ETag, Last-Modified), the last record made from the
page (re-emitted when the page answers 304, so the listing run still sees it) and when it was last listed.

The archive's schema is never touched: this file can be deleted at the cost of one full refetch."""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from propscope.errors import CollectError
from propscope.settings import Settings

_SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    profile TEXT NOT NULL,
    url TEXT NOT NULL,
    kind TEXT NOT NULL,               -- 'index' (payload: JSON list of links) or 'article' (payload: JSONL record)
    etag TEXT,
    last_modified TEXT,
    payload TEXT,
    listed_at REAL,                   -- last time a listing of the profile held the URL (epoch seconds)
    checked_at REAL,                  -- last time the URL was fetched (200 or 304)
    gone INTEGER NOT NULL DEFAULT 0,  -- 1 once the page answered 404 or 410
    PRIMARY KEY (profile, url)
)
"""


@dataclass(frozen=True, slots=True)
class PageState:
    url: str
    kind: str
    etag: str | None
    last_modified: str | None
    payload: str | None
    listed_at: float | None
    checked_at: float | None
    gone: bool


def state_path_for(db: str | None, state_dir: Path | None = None) -> Path:
    """`<archive>.collect.sqlite` beside a SQLite archive; for a server's archive, a file named after it in
    `state_dir`, the user's state folder by default (the collector's memory is the collecting machine's)."""
    from propscope.store import resolve_db
    from propscope.store.postgres import is_postgres_url, redacted

    target = resolve_db(db)
    if target.startswith("sqlite:///"):
        target = target[len("sqlite:///") :]
    if is_postgres_url(target):
        name = re.sub(r"[^A-Za-z0-9.@-]+", "_", redacted(target).removeprefix("postgresql://")).strip("_")
        return (state_dir or Settings().state_dir()) / f"{name}.collect.sqlite"
    if "://" in target:
        where = target.split("@")[-1]
        raise CollectError(f"{where}: the collector's state cannot be kept beside this archive; name a file for it")
    return Path(target + ".collect.sqlite")


class CollectState:
    def __init__(self, path: str | Path) -> None:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(path), timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute(_SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise CollectError(f"{path}: cannot open the collector's state ({exc})") from None

    def __enter__(self) -> CollectState:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def get(self, profile: str, url: str) -> PageState | None:
        row = self.conn.execute(
            "SELECT url, kind, etag, last_modified, payload, listed_at, checked_at, gone FROM pages"
            " WHERE profile = ? AND url = ?",
            (profile, url),
        ).fetchone()
        return _page(row) if row else None

    def articles(self, profile: str) -> list[PageState]:
        """Every article page the profile has met, gone or not, oldest listing first."""
        rows = self.conn.execute(
            "SELECT url, kind, etag, last_modified, payload, listed_at, checked_at, gone FROM pages"
            " WHERE profile = ? AND kind = 'article' ORDER BY listed_at, url",
            (profile,),
        )
        return [_page(r) for r in rows]

    def save(
        self,
        profile: str,
        url: str,
        kind: str,
        *,
        etag: str | None,
        last_modified: str | None,
        payload: str | None,
        gone: bool = False,
    ) -> None:
        """The page as just fetched (200, or 304 with the earlier payload) or found gone (404/410)."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO pages(profile, url, kind, etag, last_modified, payload, checked_at, gone)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(profile, url) DO UPDATE SET"
                " kind = excluded.kind, etag = excluded.etag, last_modified = excluded.last_modified,"
                " payload = coalesce(excluded.payload, pages.payload), checked_at = excluded.checked_at,"
                " gone = excluded.gone",
                (profile, url, kind, etag, last_modified, payload, time.time(), int(gone)),
            )

    def mark_listed(self, profile: str, urls: list[str], when: float | None = None) -> None:
        """The listing held these URLs now; a URL met for the first time gets an article row with no payload."""
        when = time.time() if when is None else when
        with self.conn:
            self.conn.executemany(
                "INSERT INTO pages(profile, url, kind, listed_at) VALUES (?, ?, 'article', ?)"
                " ON CONFLICT(profile, url) DO UPDATE SET listed_at = excluded.listed_at",
                ((profile, url, when) for url in urls),
            )


def _page(row: tuple[object, ...]) -> PageState:
    url, kind, etag, last_modified, payload, listed_at, checked_at, gone = row
    return PageState(
        url=str(url),
        kind=str(kind),
        etag=str(etag) if etag is not None else None,
        last_modified=str(last_modified) if last_modified is not None else None,
        payload=str(payload) if payload is not None else None,
        listed_at=float(listed_at) if isinstance(listed_at, int | float) else None,
        checked_at=float(checked_at) if isinstance(checked_at, int | float) else None,
        gone=bool(gone),
    )
