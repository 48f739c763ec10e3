"""Saved searches and what they alert: webhooks and mails after an ingest, Atom feeds, a daily digest (a page,
or mailed).

A saved search is a query and filters with a name. After an ingest adds articles, each saved search with a
webhook POSTs its new matches, and each with an e-mail address mails them (those above the highest id that
channel has delivered, so an alert is never sent twice and a failed delivery is retried after the next
ingest; each channel keeps its own cursor). Feeds and digests read the archive directly.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import asdict, fields
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from propscope import __version__
from propscope.characters import xml_text
from propscope.errors import AddressRefused, FetchError, UsageError
from propscope.mail import compose, failure_reason, send
from propscope.model import SearchFilters
from propscope.outbound import GuardedTransport, endpoint, public_addresses
from propscope.results import FILTER_PARAMS, SavedSearch
from propscope.settings import MailSettings
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
Mailer = Callable[[EmailMessage], None]  # sends one message, raising on failure


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


# a posted or stored filters object may name a filter by SearchFilters' field or by the search's parameter
FILTER_NAMES = FILTER_PARAMS
SINGLE_FILTERS = ("since", "until", "stance", "leader_appearance")


def parse_filters(data: dict[str, Any], gazetteer_file: str | None = None) -> SearchFilters:
    """Filters a user posted (a saved search's JSON), checked as the search checks its own (SearchFilters.parse):
    an unknown filter, a value that is not text, or one the search refuses is a UsageError naming it."""
    given: dict[str, Any] = {}
    for key, value in data.items():
        name = FILTER_NAMES.get(key, key if key in FILTER_NAMES.values() else None)
        if name is None:
            raise UsageError(f"unknown filter {key!r}: use {', '.join(FILTER_NAMES)}")
        values = [] if value is None else value if isinstance(value, list) else [value]
        if name in SINGLE_FILTERS and len(values) > 1:
            raise UsageError(f"filter {key!r} takes one value, not {len(values)}")
        wrong = [v for v in values if not isinstance(v, str)]
        if wrong:
            raise UsageError(f"filter {key!r}: each value is text, not {type(wrong[0]).__name__}")
        if values:
            given[name] = values[0] if name in SINGLE_FILTERS else values
    return SearchFilters.parse(**given, gazetteer_file=gazetteer_file)


def new_matches(
    store: Store, saved: dict[str, Any], limit: int = MAX_ARTICLES_PER_DELIVERY, cursor: str = "seen_up_to"
) -> list[dict[str, Any]]:
    """Matches of a saved search above what it has delivered (by webhook; with cursor="mailed_up_to", by
    mail), oldest first."""
    found: list[dict[str, Any]] = []
    for batch in store.iter_matches(saved["query"], filters_from_dict(saved["filters"]), after_id=saved[cursor]):
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


def digest_sections(store: Store, day: dt.date) -> tuple[list[dict[str, Any]], int]:
    """What each saved search matched among the articles ingested on `day` (UTC), and how many were."""
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
        sections.append({"saved": SavedSearch(**saved), "matches": matches, "skipped": skipped})
    return sections, max(0, last - first + 1)


def digest(store: Store, day: dt.date, base_url: str = "") -> str:
    """An HTML page of what each saved search matched among the articles ingested on `day` (UTC)."""
    sections, ingested = digest_sections(store, day)
    return _TEMPLATES.get_template("digest.html").render(
        day=day.isoformat(), sections=sections, base=base_url.rstrip("/"), ingested=ingested
    )


def mail_text(title: str, intro: str, sections: list[dict[str, Any]], base: str) -> str:
    """The plain-text part of an alert or digest mail: the same sections as the HTML, one line per match."""
    lines = [title, "", intro, ""] if intro else [title, ""]
    for section in sections:
        saved: SavedSearch = section["saved"]
        about = saved.query or "(filters only)"
        if saved.filters_text():
            about += f" · {saved.filters_text()}"
        lines.append(f"{saved.name}: {about}: {len(section['matches'])} new")
        if base:
            lines.append(f"  {base}{saved.search_url()}")
        for m in section["matches"]:
            lines.append(f"- {m['date'] or 'undated'}  {m['title']}")
            lines.append(f"  {base}/articles/{m['id']}" if base else f"  propscope article {m['id']}")
        if not section["matches"]:
            lines.append("- nothing new")
        if section.get("skipped"):
            lines.append(f"  skipped: {section['skipped']}")
        lines.append("")
    lines.append("Sent by propscope. Remove a saved search with `propscope saved rm ID`.")
    return "\n".join(lines) + "\n"


def mail_message(mail: MailSettings, to: str, title: str, intro: str, sections: list[dict[str, Any]]) -> EmailMessage:
    """An alert or digest as a mail: plain text plus HTML with inline styles (mail clients drop <style>)."""
    base = mail.base_url.rstrip("/")
    html = _TEMPLATES.get_template("mail/alert.html").render(title=title, intro=intro, sections=sections, base=base)
    return compose(mail, to, title, mail_text(title, intro, sections, base), html)


def guarded_mailer(mail: MailSettings, allow_private: bool = False) -> Mailer:
    return functools.partial(send, mail, allow_private=allow_private)


def mail_alerts(
    store: Store, mail: MailSettings, mailer: Mailer | None = None, *, allow_private: bool = False
) -> dict[str, int]:
    """Mail the new matches of every saved search with an address; returns matches mailed by search name.
    `mailer` defaults to the guarded SMTP client. A failed mail (server down, refused, host refused by the
    guard) is logged and recorded, and the same matches are mailed after the next ingest; after a failure of
    the server itself, the rest wait for the next ingest too (a server down costs one deadline, not one per
    search)."""
    deliver = mailer or guarded_mailer(mail, allow_private)
    mailed: dict[str, int] = {}
    for row in store.saved_searches():
        if not row.get("email"):
            continue
        try:
            matches = new_matches(store, row, cursor="mailed_up_to")
        except Exception as exc:  # noqa: BLE001 - one unreadable stored search never stops the others or the ingest
            log.warning("saved search %s skipped: %s", row["name"], exc)
            continue
        if not matches:
            continue
        count = len(matches)
        title = f"propscope: {count} new match{'' if count == 1 else 'es'} for {row['name']}"
        sections = [{"saved": SavedSearch(**row), "matches": matches, "skipped": None}]
        try:
            deliver(mail_message(mail, row["email"], title, "", sections))
        except Exception as exc:  # noqa: BLE001 - any mail failure is recorded and retried next time
            reason = failure_reason(exc)
            log.warning("mail of saved search %s to %s failed: %s", row["name"], row["email"], reason)
            store.mark_mailed(row["id"], row["mailed_up_to"], 0, f"error: {reason}")
            if isinstance(exc, smtplib.SMTPRecipientsRefused):
                continue  # this address only
            break  # the server (or its host) failed: the other searches' mails wait for the next ingest too
        store.mark_mailed(row["id"], matches[-1]["id"], count, "sent")
        mailed[row["name"]] = count
    return mailed


def mail_digests(
    store: Store, day: dt.date, mail: MailSettings, mailer: Mailer | None = None, *, allow_private: bool = False
) -> tuple[dict[str, int], dict[str, str]]:
    """Mail each address the day's digest of its own saved searches; returns the matches mailed by address,
    and the reason by address for those that failed (each is tried: one failing never stops the others)."""
    deliver = mailer or guarded_mailer(mail, allow_private)
    sections, ingested = digest_sections(store, day)
    by_address: dict[str, list[dict[str, Any]]] = {}
    for section in sections:
        if section["saved"].email:
            by_address.setdefault(section["saved"].email, []).append(section)
    sent: dict[str, int] = {}
    failed: dict[str, str] = {}
    for address, own in by_address.items():
        count = sum(len(s["matches"]) for s in own)
        title = f"propscope digest {day.isoformat()}: {count} new match{'' if count == 1 else 'es'}"
        intro = f"{ingested} article{'' if ingested == 1 else 's'} ingested that day (UTC)."
        try:
            deliver(mail_message(mail, address, title, intro, own))
        except Exception as exc:  # noqa: BLE001 - one address failing never stops the others
            failed[address] = failure_reason(exc)
            log.warning("digest mail to %s failed: %s", address, failed[address])
            continue
        sent[address] = count
    return sent, failed


__all__ = [
    "atom_feed",
    "check_webhook",
    "deliver_alerts",
    "digest",
    "digest_sections",
    "filters_from_dict",
    "parse_filters",
    "filters_to_dict",
    "mail_alerts",
    "mail_digests",
    "new_matches",
    "post_json",
]
