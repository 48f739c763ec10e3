"""The leadership tracker over a store (issue 16): the leader's appearances and their counts, an official's
profile, the officials' ranking between two periods, and absences (the leader's gaps, officials who vanished,
names dropped from later versions of articles). The store reads the rows (store/leadership.py); this turns
them into the typed results the Archive returns."""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import difflib
import itertools
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from propscope.choices import Period, choose
from propscope.errors import NotFoundError, UsageError
from propscope.model import SearchFilters
from propscope.results_leadership import (
    APPEARANCE_KINDS,
    PROTOCOL_LISTS,
    Absences,
    AppearanceCounts,
    AppearancePeriod,
    AppearanceRow,
    DroppedName,
    LeaderGap,
    ListPosition,
    OfficialProfile,
    OfficialsRanking,
    RankedOfficial,
    Standing,
    TitleSpan,
    VanishedOfficial,
)

if TYPE_CHECKING:
    from propscope.store import Store

MAX_NAME = 200  # characters: longer than any person's name written
VANISHED_MIN_SEEN = 3  # an official seen fewer times than this has no habit of being seen to break
_NAME_KEY = re.compile(r"[\W_]+")


def _bounds(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """since and until checked as every filter is (SearchFilters.parse: YYYY, YYYY-MM or YYYY-MM-DD)."""
    checked = SearchFilters.parse(since=since, until=until)
    return checked.since, checked.until


def _leader(store: Store, leader: str | None) -> str | None:
    """The leader as stored, whatever the case, spaces or hyphens typed ("kim jong-un"); None, blank or "any":
    every leader. A name with no appearance stays as typed (and finds none)."""
    name = " ".join((leader or "").split())
    if not name or name.lower() == "any":
        return None
    return next((stored for stored in store.leaders() if _key(stored) == _key(name)), name)


def _person(store: Store, name: str | None) -> str | None:
    """A person as the registry names them (see official), or as typed when it does not know them."""
    typed = _name(name)
    return None if typed is None else (_canonical(store, typed) or typed)


def _name(value: str | None) -> str | None:
    name = " ".join((value or "").split())
    return name or None


def appearances(
    store: Store,
    leader: str | None = None,
    since: str | None = None,
    until: str | None = None,
    kind: str | None = None,
    with_: str | None = None,
    limit: int | None = None,
) -> list[AppearanceRow]:
    since, until = _bounds(since, until)
    chosen = (kind or "").strip().lower() or None
    if chosen is not None and chosen not in APPEARANCE_KINDS:
        raise UsageError(f"unknown appearance kind {kind!r}: use {', '.join(APPEARANCE_KINDS)}")
    if limit is not None and limit < 1:
        raise UsageError(f"limit {limit} is not a number of appearances: give 1 or more")
    rows = store.appearance_rows(_leader(store, leader), since, until, chosen, _person(store, with_), limit)
    return [AppearanceRow(**row) for row in rows]


def appearance_counts(
    store: Store,
    leader: str | None = None,
    by: Period | str = Period.MONTH,
    since: str | None = None,
    until: str | None = None,
) -> AppearanceCounts:
    since, until = _bounds(since, until)
    period = choose(Period, by, "period")
    name = _leader(store, leader)
    kinds, totals, undated = store.appearance_periods(period.width, name, since, until)
    per_period: dict[str, dict[str, int]] = {}
    for p, kind, n in kinds:
        per_period.setdefault(p, {})[kind] = n
    seen = {kind for _, kind, _ in kinds}
    order = (*APPEARANCE_KINDS, *sorted(seen - set(APPEARANCE_KINDS)))
    periods = tuple(
        AppearancePeriod(
            p,
            n,
            articles,
            tuple((kind, per_period[p][kind]) for kind in order if kind in per_period.get(p, {})),
        )
        for p, n, articles in totals
    )
    return AppearanceCounts(name, period.value, periods, order, undated)


def _key(name: str) -> str:
    """A name compared without case, spaces or hyphens: "Kim Yong-nam" is "Kim Yong Nam"."""
    return _NAME_KEY.sub("", name).lower()


def _canonical(store: Store, typed: str) -> str | None:
    """The canonical name `typed` is or is written as, case, spaces and hyphens aside; None if unknown."""
    canonical = store.canonical_official(typed)
    if canonical is None:
        found = {_key(n): n for n in store.official_names()}.get(_key(typed))
        canonical = store.canonical_official(found) if found is not None else None
    return canonical


def official(store: Store, name: str) -> OfficialProfile:
    """An official's profile under their canonical name, found from that name or any spelling written (case,
    spaces and hyphens aside); NotFoundError naming the close matches otherwise."""
    typed = _name(name)
    if typed is None:
        raise UsageError('give the official\'s name, e.g. "Choe Ryong Hae"')
    canonical = _canonical(store, typed) if len(typed) <= MAX_NAME else None
    if canonical is None:
        # difflib's cost grows with the name's length: no name is this long, so none is close to one that is
        names = store.official_names() if len(typed) <= MAX_NAME else []
        close = difflib.get_close_matches(typed, names, n=3, cutoff=0.75)
        hint = f"; close: {', '.join(close)}" if close else "; 'propscope officials' lists those in the archive"
        shown = typed if len(typed) <= MAX_NAME else typed[:60] + "..."
        raise NotFoundError(f"no official named {shown!r} in the archive's lists or appearances{hint}")
    record = store.official_record(canonical)
    return OfficialProfile(
        name=record["name"],
        variants=record["variants"],
        titles=merged_titles(record["titles"]),
        appearances_by_month=record["appearances_by_month"],
        companions=record["companions"],
        positions=tuple(ListPosition(**row) for row in record["positions"]),
        first_seen=record["first_seen"],
        last_seen=record["last_seen"],
        mentions=record["mentions"],
        appearances=record["appearances"],
    )


def _title_key(title: str) -> str:
    return " ".join(title.split()).strip(" .,;:").lower()


def merged_titles(rows: Sequence[dict[str, Any]]) -> tuple[TitleSpan, ...]:
    """Titles over time, one per title whatever its case, spacing or closing full stop ("Vice Department
    Director of the C.C., the WPK." is "vice department director of the C.C., the WPK"), written as it was
    written most often; oldest first seen first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(_title_key(row["title"]), []).append(row)
    spans = []
    for same in groups.values():
        written = max(same, key=lambda r: (r["mentions"], -same.index(r)))["title"]
        firsts = [r["first_seen"] for r in same if r["first_seen"]]
        lasts = [r["last_seen"] for r in same if r["last_seen"]]
        spans.append(
            TitleSpan(
                written,
                min(firsts) if firsts else None,
                max(lasts) if lasts else None,
                sum(int(r["mentions"]) for r in same),
            )
        )
    return tuple(sorted(spans, key=lambda t: (t.first_seen is None, t.first_seen or "", t.title)))


def _standing(found: dict[str, Any] | None) -> Standing:
    return Standing(**found) if found else Standing()


def _order(name: str, standing: Standing) -> tuple[Any, ...]:
    """Most appearances first, then the nearest the head of accompaniment (and protocol) lists."""
    far = float("inf")
    return (
        -standing.appearances,
        standing.accompanied_position if standing.accompanied_position is not None else far,
        standing.protocol_position if standing.protocol_position is not None else far,
        name,
    )


def officials(
    store: Store,
    since: str | None = None,
    until: str | None = None,
    compare_with: tuple[str | None, str | None] | None = None,
    leader: str | None = None,
    limit: int = 50,
) -> OfficialsRanking:
    """The `limit` officials first by appearances with the leader in the period; with compare_with, also
    those first in the period compared who fell out of it, each with both standings."""
    if limit < 1:
        raise UsageError(f"limit {limit} is not a number of officials: give 1 or more")
    since, until = _bounds(since, until)
    name = _leader(store, leader)
    now = {n: _standing(s) for n, s in store.standings(since, until, name, PROTOCOL_LISTS).items()}
    chosen = sorted(now, key=lambda n: _order(n, now[n]))[:limit]
    compared: tuple[str | None, str | None] | None = None
    then: dict[str, Standing] = {}
    if compare_with is not None:
        compared = _bounds(*compare_with)
        then = {n: _standing(s) for n, s in store.standings(*compared, name, PROTOCOL_LISTS).items()}
        fallen = [n for n in sorted(then, key=lambda n: _order(n, then[n]))[:limit] if n not in set(chosen)]
        chosen = sorted({*chosen, *fallen}, key=lambda n: _order(n, now.get(n, Standing())))
    ranked = tuple(
        RankedOfficial(n, now.get(n, Standing()), then.get(n, Standing()) if compared is not None else None)
        for n in chosen
    )
    return OfficialsRanking(since, until, compared, name, ranked)


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value and len(value) == 10 else None
    except ValueError:
        return None


def _months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last where it has no such day; the first day there is for a
    span longer than the calendar)."""
    index = day.year * 12 + day.month - 1 - months
    if index < 12:
        return dt.date.min
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


# a leader's last appearance before his death opens no absence: the archive goes on without him
_DIED = {"Kim Il Sung": "1994-07-08", "Kim Jong Il": "2011-12-17"}


def leader_gaps(
    days: Sequence[tuple[str, str, int]],
    min_days: int,
    archived: Sequence[tuple[str, int]] = (),
    latest: str | None = None,
) -> list[LeaderGap]:
    """Gaps of at least `min_days` between a leader's consecutive days with a reported appearance, longest
    first (dates that are no full day are left out), each with the dispatches `archived` (date, articles)
    from the days strictly between: a gap the archive has no dispatches in says nothing of the leader. With
    the archive's `latest` date, the open gap from a living leader's last appearance to it is one too
    (ongoing: the absence analysts watch is the one still running)."""
    dates = [date for date, _ in archived]
    running = list(itertools.accumulate((n for _, n in archived), initial=0))

    def between(first: str, last: str) -> int:
        return running[bisect.bisect_left(dates, last)] - running[bisect.bisect_right(dates, first)]

    gaps: list[LeaderGap] = []
    previous: tuple[str, dt.date, str, int] | None = None
    for leader, date, article_id in days:
        day = _day(date)
        if day is None:
            continue
        if previous is not None and previous[0] == leader:
            length = (day - previous[1]).days
            if length >= min_days:
                held = between(previous[2], date)
                gaps.append(LeaderGap(leader, previous[2], date, length, previous[3], article_id, held))
        if previous is not None and previous[0] != leader:
            _open_gap(gaps, previous, latest, min_days, between)
        previous = (leader, day, date, article_id)
    if previous is not None:
        _open_gap(gaps, previous, latest, min_days, between)
    return sorted(gaps, key=lambda g: (-g.days, g.leader, g.last_before))


def _open_gap(
    gaps: list[LeaderGap],
    last: tuple[str, dt.date, str, int],
    latest: str | None,
    min_days: int,
    between: Callable[[str, str], int],
) -> None:
    """The gap from a leader's last appearance to the archive's latest date, where it is long enough."""
    leader, day, date, article_id = last
    latest_day = _day(latest) if latest else None
    died = _DIED.get(leader)
    if latest_day is None or (died is not None and latest_day.isoformat() > died):
        return
    length = (latest_day - day).days
    if length >= min_days:
        held = between(date, (latest_day + dt.timedelta(days=1)).isoformat())  # the latest day counts
        gaps.append(LeaderGap(leader, date, latest_day.isoformat(), length, article_id, None, held, ongoing=True))


def _spelling_finder(spellings: Sequence[tuple[str, str]]) -> Callable[[str], set[str]]:
    """text -> the canonical names of the registry's spellings the text writes, each as whole words. Names of
    one word are left out: a text writes "Kim" or "Pak" without naming anyone."""
    canonical: dict[str, set[str]] = {}
    for name, written in spellings:
        if len(written.split()) > 1:
            canonical.setdefault(written, set()).add(name)
    by_length = sorted(canonical, key=len, reverse=True)  # the longest spelling wins where two overlap
    pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, by_length)) + r")\b") if by_length else None

    def find(text: str) -> set[str]:
        if pattern is None:
            return set()
        return {name for written in pattern.findall(text) for name in canonical[written]}

    return find


def dropped_names(store: Store) -> list[DroppedName]:
    """Names an earlier version of an article held and its latest version does not: persons and people at
    appearances its annotations name, and any name of the registry its text writes (an official named in a
    protocol list of an old version is not in its stored rows, only in its text)."""
    out: list[DroppedName] = []
    finder: Callable[[str], set[str]] | None = None
    for item in store.versioned_names():
        if finder is None:
            finder = _spelling_finder(store.registry_spellings())
        versions = item["versions"]
        latest_version, _, latest, latest_text = versions[-1]
        latest = latest | finder(latest_text)
        last_held: dict[str, tuple[int, str | None]] = {}
        for version, seen_at, names, text in versions[:-1]:
            for person in names | finder(text):
                last_held[person] = (version, seen_at)
        for person in sorted(set(last_held) - latest):
            version, seen_at = last_held[person]
            out.append(DroppedName(item["article_id"], item["title"], person, version, latest_version, seen_at))
    return out


def gaps(store: Store, leader: str | None = None, min_days: int = 30) -> tuple[LeaderGap, ...]:
    """Only the leader's gaps (the ongoing one included): what the dashboard shows, without reading the
    officials' registry and every versioned article as absences() does."""
    if min_days < 1:
        raise UsageError(f"min_days {min_days} is not a gap: give 1 or more days")
    found = leader_gaps(
        store.appearance_days(_leader(store, leader)), min_days, store.articles_by_day(), store.latest_date()
    )
    return tuple(found)


def absences(store: Store, leader: str | None = None, min_days: int = 30, vanished_months: int = 6) -> Absences:
    if min_days < 1:
        raise UsageError(f"min_days {min_days} is not a gap: give 1 or more days")
    if vanished_months < 1:
        raise UsageError(f"vanished_months {vanished_months} is not a time away: give 1 or more months")
    name = _leader(store, leader)
    latest = store.latest_date()
    gaps = leader_gaps(store.appearance_days(name), min_days, store.articles_by_day(), latest)
    latest_day = _day(latest)
    vanished: list[VanishedOfficial] = []
    if latest_day is not None:
        cutoff = _months_before(latest_day, vanished_months).isoformat()
        for row in store.last_seen_before(cutoff, VANISHED_MIN_SEEN):
            last = _day(row["last_seen"])
            since = (latest_day - last).days if last is not None else 0
            vanished.append(VanishedOfficial(**row, days_since=since))
    vanished.sort(key=lambda v: (-v.days_since, v.name))
    return Absences(name, min_days, vanished_months, latest, tuple(gaps), tuple(vanished), tuple(dropped_names(store)))
