"""What the Archive's leadership reads return (issue 16): the leader's reported appearances, their counts by
period, an official's profile, the officials' ranking between two periods, and absences. Typed, immutable,
each with one `to_json()` that survives json.dumps, like everything in results.py (which re-exports these)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The appearance kinds, in the order charts stack them (docs/labeling.md, "The leadership set").
APPEARANCE_KINDS = ("economy", "military", "politics", "culture", "diplomacy")
# The lists an official is named in: accompanying the leader, or a protocol list (present, committee). Greeting
# lists are neither: who greets him is who runs the site, not a rank.
PROTOCOL_LISTS = ("present", "committee")


@dataclass(frozen=True, slots=True)
class AppearanceRow:
    """One reported public appearance of a leader, with the article that reports it."""

    article_id: int
    article_date: str | None
    title: str
    leader: str
    kind: str
    place: str | None
    event_date: str | None  # the day the text gives for the event, when it gives one
    date: str | None  # the date counted: event_date, else the article's date
    accompanied_by: tuple[str, ...] = ()
    greeted_by: tuple[str, ...] = ()
    seq: int = 0  # the appearance's place among its article's appearances

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "article_date": self.article_date,
            "title": self.title,
            "leader": self.leader,
            "kind": self.kind,
            "place": self.place,
            "event_date": self.event_date,
            "date": self.date,
            "accompanied_by": list(self.accompanied_by),
            "greeted_by": list(self.greeted_by),
            "seq": self.seq,
        }


@dataclass(frozen=True, slots=True)
class AppearancePeriod:
    """One period's appearances: how many of each kind, and the articles behind them (a chart point's count)."""

    period: str
    appearances: int
    articles: int
    kinds: tuple[tuple[str, int], ...]  # (kind, appearances), APPEARANCE_KINDS' order, then any other kind

    def count(self, kind: str) -> int:
        return dict(self.kinds).get(kind, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "appearances": self.appearances,
            "articles": self.articles,
            "kinds": {kind: n for kind, n in self.kinds},
        }


@dataclass(frozen=True, slots=True)
class AppearanceCounts:
    """Appearances per period (by the date counted: event_date, else the article's), stacked by kind."""

    leader: str | None  # None: every leader
    by: str  # year, month or day
    periods: tuple[AppearancePeriod, ...]  # oldest first; only periods with an appearance
    kinds: tuple[str, ...] = APPEARANCE_KINDS  # every kind the series holds, in stacking order
    undated: int = 0  # appearances with no date at all (neither event's nor article's)

    @property
    def total(self) -> int:
        return sum(p.appearances for p in self.periods) + self.undated

    def to_json(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "by": self.by,
            "kinds": list(self.kinds),
            "total": self.total,
            "undated": self.undated,
            "periods": [p.to_json() for p in self.periods],
        }


@dataclass(frozen=True, slots=True)
class TitleSpan:
    """A title as written beside an official's name, and when it was seen."""

    title: str
    first_seen: str | None
    last_seen: str | None
    mentions: int

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "mentions": self.mentions,
        }


@dataclass(frozen=True, slots=True)
class ListPosition:
    """Where an official stood in one list of one dispatch."""

    date: str | None
    list: str  # accompanied, greeted, present, committee
    position: int  # 1-based
    size: int
    article_id: int

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "list": self.list,
            "position": self.position,
            "size": self.size,
            "article_id": self.article_id,
        }


@dataclass(frozen=True, slots=True)
class OfficialProfile:
    """An official in the registry: the names written, titles over time, appearances with the leader by month,
    the most frequent co-companions and the places in lists."""

    name: str  # canonical
    variants: tuple[str, ...]  # the spellings written, most used first
    titles: tuple[TitleSpan, ...]  # oldest first seen first
    appearances_by_month: tuple[tuple[str, int], ...]  # (YYYY-MM, appearances with a leader), oldest first
    companions: tuple[tuple[str, int], ...]  # (name, appearances shared), most first
    positions: tuple[ListPosition, ...]  # oldest first
    first_seen: str | None
    last_seen: str | None
    mentions: int  # names in lists
    appearances: int  # appearances with a leader (accompanying or greeting him)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "variants": list(self.variants),
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "mentions": self.mentions,
            "appearances": self.appearances,
            "titles": [t.to_json() for t in self.titles],
            "appearances_by_month": [{"month": m, "appearances": n} for m, n in self.appearances_by_month],
            "companions": [{"name": name, "appearances": n} for name, n in self.companions],
            "positions": [p.to_json() for p in self.positions],
        }


@dataclass(frozen=True, slots=True)
class Standing:
    """An official's standing over one period: appearances with the leader and mean places in lists."""

    appearances: int = 0
    accompanied_position: float | None = None  # mean 1-based place in accompaniment lists; None: in none
    accompanied_lists: int = 0
    protocol_position: float | None = None  # mean place in protocol lists (present, committee)
    protocol_lists: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "appearances": self.appearances,
            "accompanied_position": _round(self.accompanied_position),
            "accompanied_lists": self.accompanied_lists,
            "protocol_position": _round(self.protocol_position),
            "protocol_lists": self.protocol_lists,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _rise(then: float | None, now: float | None) -> float | None:
    """Places moved forward (a lower mean place is a higher rank): positive is a rise."""
    return None if then is None or now is None else round(then - now, 2)


@dataclass(frozen=True, slots=True)
class RankedOfficial:
    """An official's standing in the period asked about and, where one was given, in the period compared."""

    name: str
    standing: Standing
    compared: Standing | None = None  # the compare_with period's; None when there is none

    @property
    def appearances_change(self) -> int | None:
        return None if self.compared is None else self.standing.appearances - self.compared.appearances

    @property
    def accompanied_rise(self) -> float | None:
        """Places gained in accompaniment lists since the compared period (positive: moved forward)."""
        return (
            None
            if self.compared is None
            else _rise(self.compared.accompanied_position, self.standing.accompanied_position)
        )

    @property
    def protocol_rise(self) -> float | None:
        return (
            None if self.compared is None else _rise(self.compared.protocol_position, self.standing.protocol_position)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            **self.standing.to_json(),
            "compared": self.compared.to_json() if self.compared is not None else None,
            "appearances_change": self.appearances_change,
            "accompanied_rise": self.accompanied_rise,
            "protocol_rise": self.protocol_rise,
        }


@dataclass(frozen=True, slots=True)
class OfficialsRanking:
    """The officials by appearances with the leader (then by mean place in accompaniment lists), with the
    change from the compared period: rises and falls."""

    since: str | None
    until: str | None
    compare_with: tuple[str | None, str | None] | None
    leader: str | None
    officials: tuple[RankedOfficial, ...]

    @property
    def rises(self) -> tuple[RankedOfficial, ...]:
        """Those with more appearances than in the compared period, most gained first."""
        up = [o for o in self.officials if (o.appearances_change or 0) > 0]
        return tuple(sorted(up, key=lambda o: (-(o.appearances_change or 0), o.name)))

    @property
    def falls(self) -> tuple[RankedOfficial, ...]:
        """Those with fewer appearances than in the compared period, most lost first."""
        down = [o for o in self.officials if (o.appearances_change or 0) < 0]
        return tuple(sorted(down, key=lambda o: ((o.appearances_change or 0), o.name)))

    def to_json(self) -> dict[str, Any]:
        return {
            "since": self.since,
            "until": self.until,
            "compare_with": list(self.compare_with) if self.compare_with is not None else None,
            "leader": self.leader,
            "officials": [o.to_json() for o in self.officials],
            "rises": [o.name for o in self.rises],
            "falls": [o.name for o in self.falls],
        }


@dataclass(frozen=True, slots=True)
class LeaderGap:
    """A stretch with no reported appearance of a leader: from the last one before to the first one after, or,
    ongoing, to the archive's latest dispatch date (first_after is that date, first_article_id None)."""

    leader: str
    last_before: str
    first_after: str
    days: int
    last_article_id: int
    first_article_id: int | None
    articles_between: int = 0  # dispatches the archive holds from the days between: 0 is a hole in the archive
    ongoing: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "last_before": self.last_before,
            "first_after": self.first_after,
            "days": self.days,
            "last_article_id": self.last_article_id,
            "first_article_id": self.first_article_id,
            "articles_between": self.articles_between,
            "ongoing": self.ongoing,
        }


@dataclass(frozen=True, slots=True)
class VanishedOfficial:
    """An official seen often, then not at all for months before the archive's latest date."""

    name: str
    first_seen: str
    last_seen: str
    seen: int  # articles naming them in a list or an appearance
    days_since: int  # from last_seen to the archive's latest date
    last_article_id: int

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "seen": self.seen,
            "days_since": self.days_since,
            "last_article_id": self.last_article_id,
        }


@dataclass(frozen=True, slots=True)
class DroppedName:
    """A name an earlier version of an article held and its latest version no longer does."""

    article_id: int
    title: str
    name: str
    last_version: int  # the last version that held the name
    latest_version: int
    seen_at: str | None  # when that last version holding it was seen

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "title": self.title,
            "name": self.name,
            "last_version": self.last_version,
            "latest_version": self.latest_version,
            "seen_at": self.seen_at,
        }


@dataclass(frozen=True, slots=True)
class Absences:
    """The leader's gaps between reported appearances, the officials who vanished, and the names dropped from
    later versions of articles."""

    leader: str | None
    min_days: int
    vanished_months: int
    latest: str | None  # the archive's latest article date, what "vanished" is measured against
    gaps: tuple[LeaderGap, ...]  # longest first
    vanished: tuple[VanishedOfficial, ...]  # longest gone first
    dropped: tuple[DroppedName, ...]  # by article, then name

    def to_json(self) -> dict[str, Any]:
        return {
            "leader": self.leader,
            "min_days": self.min_days,
            "vanished_months": self.vanished_months,
            "latest": self.latest,
            "gaps": [g.to_json() for g in self.gaps],
            "vanished": [v.to_json() for v in self.vanished],
            "dropped": [d.to_json() for d in self.dropped],
        }


@dataclass(frozen=True, slots=True)
class CompanionMatrix:
    """Who accompanied the leader together with whom: the `names` most often accompanying him, and for each
    pair the appearances they shared and the articles reporting them (the diagonal: each one's own)."""

    names: tuple[str, ...]
    appearances: tuple[tuple[int, ...], ...]  # appearances[i][j]: appearances at which both i and j were
    articles: tuple[tuple[int, ...], ...]  # articles[i][j]: the articles reporting those appearances

    def to_json(self) -> dict[str, Any]:
        return {
            "names": list(self.names),
            "cells": [
                {"a": a, "b": b, "appearances": self.appearances[i][j], "articles": self.articles[i][j]}
                for i, a in enumerate(self.names)
                for j, b in enumerate(self.names)
                if i <= j and self.appearances[i][j]
            ],
        }


__all__ = [
    "CompanionMatrix",
    "APPEARANCE_KINDS",
    "PROTOCOL_LISTS",
    "Absences",
    "AppearanceCounts",
    "AppearancePeriod",
    "AppearanceRow",
    "DroppedName",
    "LeaderGap",
    "ListPosition",
    "OfficialProfile",
    "OfficialsRanking",
    "RankedOfficial",
    "Standing",
    "TitleSpan",
    "VanishedOfficial",
]
