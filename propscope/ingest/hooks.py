"""What runs after an ingest has stored its records: linking the English and Spanish versions of the
dispatches waiting in links_pending (this run's, and those of an earlier run killed before it linked them),
and sending saved searches' new matches (POSTed to their webhooks, mailed to their addresses).
Archive.ingest runs both (Archive.after_ingest, with the archive's settings); a caller that wants neither (a
bulk load, a test) passes `after=()`, one that wants its own passes any callables taking the run's Ingested.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from propscope.alerts import WEBHOOK_DEADLINE_S, deliver_alerts, mail_alerts
from propscope.analyze.languages import WINDOW_DAYS, LinkDoc, day_date, day_number, features, link_by_windows
from propscope.ingest.run import AfterIngest, Ingested
from propscope.settings import MailSettings
from propscope.store import Store

log = logging.getLogger(__name__)
SPAN_DAYS = 62  # dates linked together: bounds the memory of relinking a whole archive


def link_languages_hook(ingested: Ingested) -> None:
    link_pending(ingested.store)


def link_pending(store: Store) -> int:
    """Link the dates of every article waiting in links_pending, whichever run wrote it; returns the links
    made. Each span's rows are deleted in the transaction that stores its links, so a linker killed half way
    leaves the rest for the next one: an article stored is always linked by the end of some later run."""
    up_to, dates = store.pending_links()
    if not up_to:
        return 0
    made = link_languages(store, dates, pending_up_to=up_to)
    store.forget_pending_links(up_to)  # what is left was on dates no Spanish article is near
    return made


def alerts_hook(
    allow_private: bool = False, deadline_s: float = WEBHOOK_DEADLINE_S, mail: MailSettings | None = None
) -> AfterIngest:
    """The alerts hook with these settings: webhooks (and the mail host) on private addresses allowed or not,
    each delivery's total deadline, and the SMTP server alerts are mailed through (none: nothing is mailed).
    It runs after every ingest, even one that stored nothing new: matches an earlier run stored and never
    delivered (killed, or stopped by a full disk, before its hooks) are found above each search's cursor and
    sent now. No failure of the alerts (a webhook or a mail server down) fails the ingest, which has already
    stored its records (they are retried next time)."""

    def hook(ingested: Ingested) -> None:
        try:
            deliver_alerts(ingested.store, allow_private=allow_private, deadline_s=deadline_s)
        except Exception as exc:  # noqa: BLE001 - the ingest is done; an alert failure is logged, never raised
            log.warning("alerts not delivered: %s", exc)
        if mail is None:
            return
        try:
            mail_alerts(ingested.store, mail, allow_private=allow_private)
        except Exception as exc:  # noqa: BLE001 - a failing mail server never fails the ingest
            log.warning("alert mails not sent: %s", exc)

    return hook


def link_languages(store: Store, dates: Iterable[str] | None = None, pending_up_to: int = 0) -> int:
    """Link the English and Spanish versions of dispatches dated on (or next to) these dates, or on every
    date; returns the links made. Consecutive dates are taken in spans of at most SPAN_DAYS. With
    `pending_up_to`, the links_pending rows up to it on each span's days are deleted with the span's links."""
    days = sorted({day_number(d) for d in (dates if dates is not None else store.dates())} - {0})
    if not days:
        return 0
    # Only days near a Spanish dispatch can gain a link: an English-only ingest costs one query.
    spanish = {
        day_number(d) for d in store.dates("es", day_date(days[0] - WINDOW_DAYS), day_date(days[-1] + WINDOW_DAYS))
    }
    days = [d for d in days if any(d + offset in spanish for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1))]
    made = 0
    spans: list[list[int]] = []
    for day in days:
        if spans and day - spans[-1][1] <= 2 and day - spans[-1][0] < SPAN_DAYS:
            spans[-1][1] = day
        else:
            spans.append([day, day])
    for first, last in spans:
        margin = WINDOW_DAYS
        docs = [
            LinkDoc(article_id, date, lang, features(body, names))
            for article_id, date, lang, body, names in store.language_docs(
                day_date(first - 2 * margin), day_date(last + 2 * margin) + "\uffff"
            )
        ]
        day_of = {d.id: day_number(d.date) for d in docs}
        links = [
            (x.es_id, x.en_id, x.score)
            for x in link_by_windows(docs)
            if first - margin <= day_of[x.es_id] <= last + margin  # the margin docs only served as context
        ]
        done = (pending_up_to, day_date(first), day_date(last) + "\uffff") if pending_up_to else None
        store.replace_language_links(day_date(first - margin), day_date(last + margin) + "\uffff", links, done)
        made += len(links)
    return made
