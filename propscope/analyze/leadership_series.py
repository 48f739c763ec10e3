"""The series the leadership charts draw, shaped once from the Archive's typed results so that the matplotlib
charts (analyze/leadership_charts.py) and the web's inline SVG show the same numbers: appearances per period
with empty periods kept, an official's mean place in each kind of list per month, and who accompanied the
leader together with whom. Each point carries the number of articles behind it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from propscope.errors import UsageError
from propscope.model import SearchFilters
from propscope.results import AppearanceCounts, AppearanceRow, CompanionMatrix, ListPosition, OfficialProfile

# Accompaniment first: it is the list analysts rank by; greeting lists last (who runs a site is no rank).
LIST_ORDER = ("accompanied", "present", "committee", "greeted")
# One colour per kind and per list, the same in the PNG/SVG files and in the web's charts.
KIND_COLOURS = {
    "economy": "#2f9e44",
    "military": "#a61e1e",
    "politics": "#1c5fa8",
    "culture": "#e67700",
    "diplomacy": "#0c8599",
}
LIST_COLOURS = {"accompanied": "#b2182b", "present": "#1c5fa8", "committee": "#5f3dc4", "greeted": "#868e96"}
OTHER_COLOUR = "#adb5bd"


def colour(kind: str, colours: dict[str, str]) -> str:
    return colours.get(kind, OTHER_COLOUR)


def compare_period(value: str) -> tuple[str | None, str | None]:
    """The period an officials ranking is compared with, as every front end takes it: SINCE:UNTIL (either
    side may be empty) or one YYYY / YYYY-MM meaning that period; checked as every date filter is."""
    since, sep, until = value.partition(":")
    if not sep:
        since = until = value
    checked = SearchFilters.parse(since=since.strip() or None, until=until.strip() or None)
    if checked.since is None and checked.until is None:
        raise UsageError(f"compare with {value!r}: give a period as SINCE:UNTIL (e.g. 2013:2013-12), or a year")
    return checked.since, checked.until


@dataclass(frozen=True, slots=True)
class KindBar:
    """One period's bar: appearances of each kind (AppearanceCounts.kinds' order) and the articles behind."""

    period: str
    kinds: tuple[int, ...]
    articles: int

    @property
    def appearances(self) -> int:
        return sum(self.kinds)


def kind_bars(counts: AppearanceCounts) -> list[KindBar]:
    """Every period from the first appearance to the last, those without any as empty bars: a month with no
    reported appearance is what an absence looks like, so it must show, not be skipped."""
    found = {p.period: p for p in counts.periods}
    bars = []
    for period in _every_period(sorted(found), counts.by):
        p = found.get(period)
        bars.append(KindBar(period, tuple(p.count(k) if p else 0 for k in counts.kinds), p.articles if p else 0))
    return bars


def _every_period(periods: Sequence[str], by: str) -> list[str]:
    """The periods between the first and the last, inclusive (years and months; days as found, since a
    decade of days is no bar chart)."""
    if len(periods) < 2 or by not in ("year", "month"):
        return list(periods)
    if by == "year":
        return [str(y) for y in range(int(periods[0]), int(periods[-1]) + 1)]
    first, last = (int(p[:4]) * 12 + int(p[5:7]) - 1 for p in (periods[0], periods[-1]))
    return [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def monthly_appearances(profile: OfficialProfile) -> list[tuple[str, int, int]]:
    """(month, appearances with the leader, articles reporting them) for every month from the official's
    first to last appearance, empty months kept; the articles are those naming them as accompanying or
    greeting him that month."""
    found = dict(profile.appearances_by_month)
    articles: dict[str, set[int]] = defaultdict(set)
    for p in profile.positions:
        if p.date and p.list in ("accompanied", "greeted"):
            articles[p.date[:7]].add(p.article_id)
    return [(m, found.get(m, 0), len(articles.get(m, ()))) for m in _every_period(sorted(found), "month")]


@dataclass(frozen=True, slots=True)
class PositionPoint:
    """An official's mean 1-based place in one kind of list over one month, and the articles behind it."""

    list: str
    month: str
    position: float
    size: float  # the lists' mean length: 3rd of 4 is not 3rd of 40
    articles: int

    def to_json(self) -> dict[str, Any]:
        return {
            "list": self.list,
            "month": self.month,
            "position": round(self.position, 2),
            "size": round(self.size, 2),
            "articles": self.articles,
        }


def monthly_positions(positions: Iterable[ListPosition]) -> dict[str, list[PositionPoint]]:
    """Per kind of list (LIST_ORDER first), the official's mean place per month, oldest first; undated
    positions are left out (they have no place on a time axis)."""
    grouped: dict[tuple[str, str], list[ListPosition]] = defaultdict(list)
    for p in positions:
        if p.date:
            grouped[(p.list, p.date[:7])].append(p)
    series: dict[str, list[PositionPoint]] = {}
    for (kind, month), found in sorted(grouped.items(), key=lambda item: (_list_rank(item[0][0]), item[0][1])):
        series.setdefault(kind, []).append(
            PositionPoint(
                kind,
                month,
                sum(p.position for p in found) / len(found),
                sum(p.size for p in found) / len(found),
                len({p.article_id for p in found}),
            )
        )
    return series


def _list_rank(kind: str) -> tuple[int, str]:
    return (LIST_ORDER.index(kind) if kind in LIST_ORDER else len(LIST_ORDER), kind)


def companion_matrix(rows: Iterable[AppearanceRow], top: int = 15) -> CompanionMatrix:
    """The `top` companions by appearances (ties by name), from the appearances' accompaniment lists."""
    people: list[tuple[str, ...]] = []
    articles: list[int] = []
    for row in rows:
        names = tuple(dict.fromkeys(row.accompanied_by))  # a name twice in one list is one companion
        if names:
            people.append(names)
            articles.append(row.article_id)
    own: dict[str, int] = defaultdict(int)
    for names in people:
        for name in names:
            own[name] += 1
    chosen = tuple(n for n, _ in sorted(own.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
    index = {name: i for i, name in enumerate(chosen)}
    shared = [[0] * len(chosen) for _ in chosen]
    behind: list[list[set[int]]] = [[set() for _ in chosen] for _ in chosen]
    for names, article in zip(people, articles, strict=True):
        present = [index[n] for n in names if n in index]
        for i in present:
            for j in present:
                shared[i][j] += 1
                behind[i][j].add(article)
    return CompanionMatrix(
        chosen,
        tuple(tuple(r) for r in shared),
        tuple(tuple(len(cell) for cell in r) for r in behind),
    )


__all__ = [
    "KIND_COLOURS",
    "LIST_COLOURS",
    "LIST_ORDER",
    "CompanionMatrix",
    "KindBar",
    "colour",
    "compare_period",
    "PositionPoint",
    "companion_matrix",
    "kind_bars",
    "monthly_appearances",
    "monthly_positions",
]
