"""Saved searches and what they alert: webhooks after an ingest, Atom feeds, a daily digest.

A saved search is a query and filters with a name. After an ingest adds articles, each saved search with a
webhook POSTs its new matches (those above the highest id it has delivered, so an alert is never sent twice
and a failed delivery is retried after the next ingest). Feeds and digests read the archive directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import httpx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from propscope import __version__
from propscope.characters import xml_text
from propscope.errors import AddressRefused, FetchError, UsageError
from propscope.model import SearchFilters
from propscope.outbound import GuardedTransport, endpoint, public_addresses
from propscope.store import Store

log = logging.getLogger(__name__)
WEBHOOK_DEADLINE_S = 10.0  # a whole delivery (connect, send, the answer's headers) ends by then
WEBHOOK_NOT_HTTP = "a webhook must be an http or https URL"
MAX_ARTICLES_PER_DELIVERY = 500


def _markup_text(value: Any) -> Any:
    """What every {{ }} of a feed or digest prints: no character XML 1.0 forbids (an ESC from a title would make
    the feed no XML at all), whatever the input held; escaping follows."""
    if isinstance(value, Markup):
        return Markup(xml_text(str(value)))
    return xml_text(value) if isinstance(value, str) else value


_TEMPLATES = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "web" / "templates")),
    autoescape=select_autoescape(("html", "xml")),
    finalize=_markup_text,
)

Poster = Callable[[str, dict[str, Any]], int]  # (url, JSON body) -> HTTP status


def filters_to_dict(filters: SearchFilters) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(filters).items() if v}


def filters_from_dict(data: dict[str, Any]) -> SearchFilters:
    """SearchFilters from stored or posted JSON; unknown keys are dropped, single values taken as lists."""

    def values(name: str) -> tuple[str, ...]:
        value = data.get(name) or ()
        return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else (str(value),)

    single = {
        name: str(data[name]) if data.get(name) else None for name in ("since", "until", "stance", "leader_appearance")
    }
    lists = {f.name: values(f.name) for f in fields(SearchFilters) if f.name not in single}
    return SearchFilters(
        since=single["since"],
        until=single["until"],
        stance=single["stance"],
        leader_appearance=single["leader_appearance"],
        **lists,
    )


def new_matches(store: Store, saved: dict[str, Any], limit: int = MAX_ARTICLES_PER_DELIVERY) -> list[dict[str, Any]]:
    """Matches of a saved search above what it has delivered, oldest first."""
    found: list[dict[str, Any]] = []
    for batch in store.iter_matches(saved["query"], filters_from_dict(saved["filters"]), after_id=saved["seen_up_to"]):
        found.extend(batch)
        if len(found) >= limit:
            return found[:limit]
    return found


def check_webhook(url: str, allow_private: bool = False) -> None:
    """Refuse (UsageError) a webhook that is not http(s) or whose host stands for a private, loopback or
    reserved address, unless those are allowed. A name that does not resolve now is let through: delivery
    checks again, as DNS may change."""
    try:
        host, port = endpoint(url, WEBHOOK_NOT_HTTP)
    except FetchError as exc:
        raise UsageError(f"webhook {exc.url}: {exc.reason}") from None
    if allow_private:
        return
    try:
        public_addresses(url, host, port)
    except AddressRefused as exc:
        raise UsageError(f"webhook {exc.url}: {exc.reason}") from None
    except FetchError:  # it does not resolve now: checked again at each delivery
        return


def post_json(
    url: str, body: dict[str, Any], *, allow_private: bool = False, deadline_s: float = WEBHOOK_DEADLINE_S
) -> int:
    """POST JSON to a webhook through the outbound guard (checked again now, connected only to the addresses
    that passed), all of it within deadline_s; returns the HTTP status (the answer's body is not read)."""
    endpoint(url, WEBHOOK_NOT_HTTP)  # http(s) only
    deadline = time.monotonic() + deadline_s
    transport = GuardedTransport(allow_private, deadline)
    with (
        httpx.Client(transport=transport, timeout=deadline_s, follow_redirects=False, trust_env=False) as client,
        client.stream("POST", url, json=body, headers={"User-Agent": f"propscope/{__version__} webhook"}) as response,
    ):
        return response.status_code


def deliver_alerts(
    store: Store,
    post: Poster | None = None,
    *,
    allow_private: bool = False,
    deadline_s: float = WEBHOOK_DEADLINE_S,
) -> dict[str, int]:
    """POST the new matches of every saved search with a webhook; returns matches delivered by search name.
    `post` defaults to post_json (guarded, within deadline_s). A saved search that cannot be read or run is
    skipped with a logged reason; a failed delivery is recorded and retried after the next ingest."""
    send = post or functools.partial(post_json, allow_private=allow_private, deadline_s=deadline_s)
    delivered: dict[str, int] = {}
    for saved in store.saved_searches():
        if not saved["webhook"]:
            continue
        try:
            matches = new_matches(store, saved)
        except Exception as exc:  # noqa: BLE001 - one unreadable stored search never stops the others or the ingest
            log.warning("saved search %s skipped: %s", saved["name"], exc)
            continue
        if not matches:
            continue
        body = {
            "saved_search": {"id": saved["id"], "name": saved["name"], "query": saved["query"]},
            "count": len(matches),
            "articles": [
                {k: m[k] for k in ("id", "date", "title", "genre", "source", "url", "countries")} for m in matches
            ],
        }
        try:
            status = send(saved["webhook"], body)
        except Exception as exc:  # noqa: BLE001 - any network failure is recorded and retried next time
            log.warning("webhook of saved search %s failed: %s", saved["name"], exc)
            store.mark_alerted(saved["id"], saved["seen_up_to"], 0, f"error: {exc}"[:200])
            continue
        ok = 200 <= status < 300
        store.mark_alerted(saved["id"], matches[-1]["id"] if ok else saved["seen_up_to"], len(matches), str(status))
        if ok:
            delivered[saved["name"]] = len(matches)
    return delivered


def atom_feed(store: Store, saved_id: int, base_url: str, limit: int = 50) -> str:
    """The latest matches of a saved search as an Atom feed (newest first)."""
    saved = store.saved_search(saved_id)
    hits = store.search(saved["query"], filters_from_dict(saved["filters"]), limit=limit, sort="date")
    updated = max((h.date for h in hits if h.date), default=saved["created_at"][:10])
    return _TEMPLATES.get_template("feed.atom.xml").render(
        saved=saved, hits=hits, base=base_url.rstrip("/"), updated=updated
    )


def digest(store: Store, day: dt.date, base_url: str = "") -> str:
    """An HTML page of what each saved search matched among the articles ingested on `day` (UTC)."""
    if day >= dt.date.max:
        raise UsageError(f"day {day.isoformat()} is past the last day a digest can cover; give an earlier day")
    first, last = store.ingested_between(day.isoformat(), (day + dt.timedelta(days=1)).isoformat())
    sections = []
    for saved in store.saved_searches():
        matches: list[dict[str, Any]] = []
        skipped = None
        try:
            if last >= first > 0:
                filters = filters_from_dict(saved["filters"])
                for batch in store.iter_matches(saved["query"], filters, after_id=first - 1):
                    matches.extend(m for m in batch if m["id"] <= last)
                    if batch[-1]["id"] >= last:
                        break
        except Exception as exc:  # noqa: BLE001 - one unreadable stored search never sinks the digest
            log.warning("saved search %s skipped in the digest: %s", saved["name"], exc)
            matches, skipped = [], str(exc)
        sections.append({"saved": saved, "matches": matches, "skipped": skipped})
    return _TEMPLATES.get_template("digest.html").render(
        day=day.isoformat(), sections=sections, base=base_url.rstrip("/"), ingested=max(0, last - first + 1)
    )


__all__ = [
    "atom_feed",
    "check_webhook",
    "deliver_alerts",
    "digest",
    "filters_from_dict",
    "filters_to_dict",
    "new_matches",
    "post_json",
]
