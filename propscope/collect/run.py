"""One collection run of one profile: listing -> article pages -> JSON Lines records -> Archive.ingest_records
with the profile's listing, so that what changed becomes a version and what left becomes a deletion.

Why records are re-emitted: a listing run must name every article the listing still holds, but an article
that answered 304 (or was not revisited this run) has no fresh text. The state keeps the exact record line
made from each page; re-emitting the same bytes is a no-op for ingest that still marks the article seen.
A failure to fetch a known article re-emits it too: a network error is not evidence of deletion.

Each record carries `fetched_at`, when its text was first fetched: the time that orders the article's
versions (ingest/seen.py). A page fetched again with the same text keeps its record line, time and bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from propscope.collect.extract import ArticleFields
from propscope.collect.fetch import Fetcher, FetchSettings
from propscope.collect.listings import ListingItem, feed_items, index_links, sitemap_entries
from propscope.collect.profiles import Profile
from propscope.collect.state import CollectState, PageState, state_path_for
from propscope.errors import AddressRefused, CollectError, FetchError, ListingTooLarge, RobotsDisallowed
from propscope.ingest.jsonl import parse_record_line
from propscope.ingest.seen import utc_stamp
from propscope.model import Quarantined, RawRecord
from propscope.settings import DEFAULT_LIMITS, Limits

DAY_S = 86_400.0


@dataclass(slots=True)
class CollectProgress:
    """Handed to the progress callback after each page."""

    profile: str
    stage: str  # "listing" or "articles"
    done: int
    total: int | None
    url: str = ""


@dataclass(slots=True)
class CollectResult:
    profile: str
    listed: int = 0  # articles the listing holds now
    fetched: int = 0  # article pages read anew (200)
    not_modified: int = 0  # article pages that answered 304
    kept: int = 0  # known articles re-emitted without a fetch (not revisited, deferred, or failed)
    gone: int = 0  # article pages that answered 404 or 410
    deferred: int = 0  # new articles left for the next run by max_pages
    robots_skipped: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    requests: int = 0
    added: int = 0
    unchanged: int = 0
    new_versions: int = 0
    quarantined: int = 0
    deleted: int = 0
    restored: int = 0

    def summary(self) -> str:
        return (
            f"{self.profile}: listed {self.listed:,}, fetched {self.fetched:,}, not modified {self.not_modified:,},"
            f" kept {self.kept:,}, gone {self.gone:,}; added {self.added:,}, new versions {self.new_versions:,},"
            f" deleted {self.deleted:,}, restored {self.restored:,}"
            + (f", failed {len(self.failures):,}" if self.failures else "")
            + (f", deferred {self.deferred:,}" if self.deferred else "")
            + (f", disallowed by robots.txt {self.robots_skipped:,}" if self.robots_skipped else "")
        )


def collect(
    db: str | None,
    profile: Profile,
    *,
    allow_private: bool = False,
    max_pages: int | None = None,
    progress: Callable[[CollectProgress], None] | None = None,
    settings: FetchSettings | None = None,
    state_path: str | Path | None = None,
    allow_mass_deletion: bool = False,
    workers: int | None = 1,
    limits: Limits = DEFAULT_LIMITS,
) -> CollectResult:
    """Collect `profile` into the archive `db`. `max_pages` caps the article pages fetched this run (new
    articles beyond it wait for the next run; known ones are kept as they were). The collector's state is
    kept at `state_path`, by default beside the archive (see state_path_for). A sitemap listing over
    `limits` (its size, URLs, how many sitemaps or how deeply nested) stops the run: ListingTooLarge."""
    from propscope.archive import Archive

    settings = settings or FetchSettings()
    if allow_private:
        settings = replace(settings, allow_private=True)
    result = CollectResult(profile=profile.name)
    with CollectState(state_path or state_path_for(db)) as state, Fetcher(settings) as fetcher:
        run = _Run(profile, fetcher, state, result, progress, limits)
        items, lang = run.listing()
        lines = run.articles(items, lang, max_pages)
        result.requests = fetcher.requests
    if not lines:
        return result  # an empty listing is far likelier a fault than a purge: nothing is marked deleted
    origin = f"collect {profile.name} {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}"
    with Archive(db) as archive:
        ingested = archive.ingest_records(
            _records(lines, origin),
            inputs=[origin],
            workers=workers,
            listing=profile.listing,
            allow_mass_deletion=allow_mass_deletion,
        )
    result.added, result.unchanged, result.new_versions = ingested.added, ingested.unchanged, ingested.new_versions
    result.quarantined, result.deleted, result.restored = ingested.quarantined, ingested.deleted, ingested.restored
    return result


def _records(lines: list[str], origin: str) -> Iterator[RawRecord | Quarantined]:
    """The run's record lines as ingest reads a JSON Lines file of them: the same bytes, so an article whose
    page did not change is found unchanged."""
    for number, line in enumerate(lines, 1):
        yield parse_record_line(line.encode("utf-8"), origin, number)


class _Run:
    def __init__(
        self,
        profile: Profile,
        fetcher: Fetcher,
        state: CollectState,
        result: CollectResult,
        progress: Callable[[CollectProgress], None] | None,
        limits: Limits = DEFAULT_LIMITS,
    ) -> None:
        self.limits = limits
        self.profile = profile
        self.fetcher = fetcher
        self.state = state
        self.result = result
        self.progress = progress

    # -- the listing ----------------------------------------------------------------------------------------

    def listing(self) -> tuple[list[ListingItem], str | None]:
        """Every article the listing holds now, one per article key, and the listing's language if it says.
        A start page that cannot be read stops the run; so does any page of a complete listing."""
        items: list[ListingItem] = []
        lang: str | None = None
        queue = list(self.profile.start_urls)
        depth = dict.fromkeys(queue, 0)  # how deep in nested sitemap indexes each page was named
        visited: set[str] = set()
        sitemaps = self.profile.kind == "sitemap"
        limit = self.profile.max_index_pages if self.profile.kind == "site" else self.limits.sitemaps
        while queue and (sitemaps or len(visited) < limit):
            url = queue.pop(0)
            if url in visited:
                continue
            if sitemaps:
                self._check_sitemap_limits(url, len(visited), depth[url])
            visited.add(url)
            self._report("listing", len(visited), None, url)
            try:
                payload = self._listing_page(url)
            except AddressRefused:
                raise  # a setting to change, not a site to retry: its own message says which
            except FetchError as exc:
                if url in self.profile.start_urls or self.profile.complete:
                    raise CollectError(f"{self.profile.name}: cannot read its listing: {exc}") from None
                self.result.failures.append((url, exc.reason))
                continue
            page_items = [ListingItem.from_json(i) for i in payload.get("items", [])]
            items.extend(page_items)
            for page in payload.get("pages", []):
                if page not in visited:
                    queue.append(page)
                    depth.setdefault(page, depth[url] + 1)
            lang = lang or payload.get("lang")
        unique: dict[str, ListingItem] = {}
        for item in items:
            unique.setdefault(self.profile.key_of(item.url) or item.url, item)
        self.result.listed = len(unique)
        return list(unique.values()), lang

    def _check_sitemap_limits(self, url: str, read: int, depth: int) -> None:
        """A sitemap listing over its limits stops the run: read in part, it would mark the rest deleted."""
        name = self.profile.name
        if read >= self.limits.sitemaps:
            raise ListingTooLarge(
                f"{name}: the sitemaps name over {self.limits.sitemaps:,} sitemaps;"
                " raise PROPSCOPE_MAX_SITEMAPS to read them all"
            )
        if depth > self.limits.sitemap_depth:
            raise ListingTooLarge(
                f"{name}: sitemap {url} is nested {depth} sitemap indexes deep, over the limit of"
                f" {self.limits.sitemap_depth}; raise PROPSCOPE_MAX_SITEMAP_DEPTH to read it"
            )

    def _listing_page(self, url: str) -> dict[str, Any]:
        """A listing page read into {items, pages, lang}; on 304 the reading kept from its last fetch."""
        known = self.state.get(self.profile.name, url)
        if known is None or known.kind != "index" or known.payload is None:
            known = None  # without a kept reading, a 304 would leave nothing to read: ask unconditionally
        response = self.fetcher.get(url, known.etag if known else None, known.last_modified if known else None)
        if response.not_modified and known is not None and known.payload is not None:
            self.state.save(
                self.profile.name,
                url,
                "index",
                etag=response.etag or known.etag,
                last_modified=response.last_modified or known.last_modified,
                payload=known.payload,
            )
            return dict(json.loads(known.payload))
        if response.gone:
            raise FetchError(url, f"HTTP {response.status}", response.status)
        payload = self._read_listing(response.body, response.url)
        self.state.save(
            self.profile.name,
            url,
            "index",
            etag=response.etag,
            last_modified=response.last_modified,
            payload=json.dumps(payload, ensure_ascii=False),
        )
        return payload

    def _read_listing(self, body: bytes, url: str) -> dict[str, Any]:
        kind = self.profile.kind
        if kind == "feed":
            items, lang = feed_items(body, url)
            if not items:
                raise FetchError(url, "not an RSS or Atom feed with linked items")
            return {"items": [i.to_json() for i in items], "pages": [], "lang": lang}
        if kind == "sitemap":
            try:
                items, children = sitemap_entries(body, url, self.limits)
            except ListingTooLarge as exc:
                raise ListingTooLarge(f"{self.profile.name}: {exc}") from None
            if not items and not children:
                raise FetchError(url, "not a sitemap with URLs")
            return {"items": [i.to_json() for i in items], "pages": children}
        assert self.profile.article_pattern is not None, "a site profile names its article links"
        articles, pages = index_links(body, url, self.profile.article_pattern, self.profile.follow_pattern)
        return {"items": [ListingItem(url=a, id=self.profile.key_of(a)).to_json() for a in articles], "pages": pages}

    # -- the articles -------------------------------------------------------------------------------------

    def articles(self, items: list[ListingItem], lang: str | None, max_pages: int | None) -> list[str]:
        """The record lines of every article the listing holds now (fetched, 304, or kept)."""
        now = time.time()
        name = self.profile.name
        self.state.mark_listed(name, [i.url for i in items], now)
        work: list[tuple[ListingItem, bool]] = [(item, True) for item in items]  # (item, fetch it?)
        listed = {i.url for i in items}
        if not self.profile.complete:  # a window: what scrolled off stays, and is re-checked for a while
            window = now - self.profile.revisit_days * DAY_S
            for page in self.state.articles(name):
                if page.url in listed or (page.payload is None and not page.gone):
                    continue
                recent = page.listed_at is not None and page.listed_at >= window
                if recent or not page.gone:
                    work.append((ListingItem(url=page.url), recent and self._due(page, now)))
        # Articles never read come first: a max_pages budget goes to them before revisits, or a busy
        # listing would revisit the same pages every run and never reach its new ones.
        fresh = {p.url for p in self.state.articles(name) if p.payload is None}
        work.sort(key=lambda entry: entry[0].url not in fresh)
        lines: list[str] = []
        fetched = 0
        for done, (item, revisit) in enumerate(work, 1):
            self._report("articles", done, len(work), item.url)
            known = self.state.get(name, item.url)
            old = known.payload if known is not None else None
            if not revisit or (max_pages is not None and fetched >= max_pages):
                if old is not None and not (known is not None and known.gone):
                    lines.append(old)
                    self.result.kept += 1
                elif old is None:
                    self.result.deferred += 1
                continue
            fetched += 1
            line = self._article(
                item, lang, known.etag if old and known else None, known.last_modified if old and known else None, old
            )
            if line is not None:
                lines.append(line)
        return lines

    def _due(self, page: PageState, now: float) -> bool:
        """Whether an article that left a window listing is asked again this run: at every run in the first
        interval after it left (a withdrawal usually empties the index and the page together), then once an
        interval, so that two weeks of departed articles do not make every run thousands of requests long."""
        every = self.profile.revisit_every_s
        if page.checked_at is None or page.listed_at is None:
            return True
        return page.checked_at < page.listed_at + every or now - page.checked_at >= every

    def _article(
        self, item: ListingItem, lang: str | None, etag: str | None, last_modified: str | None, old: str | None
    ) -> str | None:
        name = self.profile.name
        try:
            response = self.fetcher.get(item.url, etag, last_modified)
        except RobotsDisallowed:
            self.result.robots_skipped += 1
            return self._keep(old)
        except FetchError as exc:
            self.result.failures.append((item.url, exc.reason))
            return self._keep(old)
        if response.not_modified and old is not None:
            self.state.save(
                name,
                item.url,
                "article",
                etag=response.etag or etag,
                last_modified=response.last_modified or last_modified,
                payload=old,
            )
            self.result.not_modified += 1
            return old
        if response.gone:
            self.state.save(name, item.url, "article", etag=None, last_modified=None, payload=old, gone=True)
            self.result.gone += 1
            return None
        fields = self.profile.extract(response.body, response.url) if response.body else None
        if fields is None or not (fields.title or fields.body):
            if item.summary:
                fields = ArticleFields(title=item.title or "", body=item.summary)
            else:
                self.result.failures.append((item.url, "no article text found in the page"))
                return self._keep(old)
        record = self._record(item, fields, lang)
        line = old if old is not None and _same_text(old, record) else _line({**record, "fetched_at": fetch_stamp()})
        self.state.save(
            name, item.url, "article", etag=response.etag, last_modified=response.last_modified, payload=line
        )
        self.result.fetched += 1
        return line

    def _keep(self, old: str | None) -> str | None:
        if old is not None:
            self.result.kept += 1
        return old

    def _record(self, item: ListingItem, fields: ArticleFields, lang: str | None) -> dict[str, Any]:
        """The article as one JSON Lines record, but for its fetch time: the same page always gives the same."""
        return {
            "id": fields.id or self.profile.key_of(item.url) or item.id or item.url,
            "source": self.profile.name,
            "url": item.url,
            "date": fields.date or item.date,
            "title": fields.title or item.title or "",
            "body": fields.body,
            "lang": fields.lang or lang or self.profile.lang,
        }

    def _report(self, stage: str, done: int, total: int | None, url: str) -> None:
        if self.progress is not None:
            self.progress(CollectProgress(self.profile.name, stage, done, total, url))


def fetch_stamp() -> str:
    """Now, as a record's fetch time."""
    return utc_stamp(dt.datetime.now(dt.UTC))


def _line(record: dict[str, Any]) -> str:
    """A record as its JSON line, deterministic: the same record always gives the same bytes."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n"


def _same_text(line: str, record: dict[str, Any]) -> bool:
    """Whether a kept record line (of an older propscope too, which wrote no fetch time) holds this record."""
    try:
        kept = json.loads(line)
    except ValueError:
        return False
    return isinstance(kept, dict) and {k: v for k, v in kept.items() if k != "fetched_at"} == record
