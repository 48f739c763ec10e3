"""What the Archive's read methods return: typed, immutable results, each with one `to_json()`.

Every front end renders these and nothing else: the CLI prints them, the API returns `to_json()`, the web
pages hand them to templates. So an article detail, a diff or a trend is assembled once, here and in
archive.py, and serialised once, whichever front end shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlencode

from propscope.analyze.reuse import Passage
from propscope.analyze.trends import SPARSE_BELOW, Metric, TrendPoint
from propscope.analyze.versions import Change
from propscope.model import Article, SearchHit
from propscope.results_leadership import (
    APPEARANCE_KINDS,
    PROTOCOL_LISTS,
    Absences,
    AppearanceCounts,
    AppearancePeriod,
    AppearanceRow,
    CompanionMatrix,
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

Node = tuple[str, str]  # (type, canonical), as analyze/network.py names a node


class Row:
    """A result whose JSON is its fields as they are."""

    __slots__ = ()

    def to_json(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]  # every subclass is a dataclass; Row itself is not


@dataclass(frozen=True, slots=True)
class ArticleRef(Row):
    """Another article named beside one: a copy in its cluster, a phrase's first or last use."""

    id: int
    date: str | None
    title: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Translation(Row):
    """The same dispatch in another language, linked by analyze/languages.py with its score."""

    id: int
    lang: str | None
    title: str
    score: float


@dataclass(frozen=True, slots=True)
class ArticleInfo(Row):
    """What the archive knows of an article beyond its parse: its key, version and life in the archive."""

    id: int
    article_key: str
    version: int
    ingested_at: str
    updated_at: str | None
    parser_version: int
    deleted_at: str | None  # gone from a listing since then (None: still listed, or never in one)


@dataclass(frozen=True, slots=True)
class ArticleDetail:
    """One article as every front end shows it: the parse, the archive's record, translations and copies."""

    article: Article
    info: ArticleInfo
    translations: tuple[Translation, ...] = ()
    copies: tuple[ArticleRef, ...] = ()  # the other articles of its cluster of exact or near copies

    def to_json(self) -> dict[str, Any]:
        return {
            **self.info.to_json(),
            **self.article.to_dict(include_text=True),
            "translations": [t.to_json() for t in self.translations],
            "copies": [c.to_json() for c in self.copies],
        }


@dataclass(frozen=True, slots=True)
class Version:
    """One text an article has had."""

    version: int
    seen_at: str
    title: str
    text: str
    content_sha1: str

    def to_json(self) -> dict[str, Any]:
        """The summary: the text itself is what a diff compares, not what a listing carries."""
        return {
            "version": self.version,
            "seen_at": self.seen_at,
            "title": self.title,
            "content_sha1": self.content_sha1,
        }


def _change_json(change: Change, equal_ops: bool) -> dict[str, Any]:
    return {
        "change": change.kind,
        "words_added": change.words_added,
        "words_removed": change.words_removed,
        "ops": [{"op": op.op, "old": op.old, "new": op.new} for op in change.ops if equal_ops or op.op != "equal"],
    }


@dataclass(frozen=True, slots=True)
class History:
    """Every version of an article, oldest first, with the change each made to the one before."""

    article_id: int
    versions: tuple[Version, ...]
    changes: tuple[Change, ...]  # changes[i] leads from versions[i] to versions[i + 1]

    @property
    def steps(self) -> list[tuple[Version, Change]]:
        """(version, the change that made it) for every version after the first."""
        return list(zip(self.versions[1:], self.changes, strict=True))

    def to_json(self) -> dict[str, Any]:
        rows: list[dict[str, Any]] = [{**self.versions[0].to_json(), "change": None}] if self.versions else []
        for version, change in self.steps:
            body = _change_json(change, equal_ops=False)
            body["diff"] = body.pop("ops")
            rows.append({**version.to_json(), **body})
        return {"id": self.article_id, "versions": rows}


@dataclass(frozen=True, slots=True)
class Diff:
    """The change from one version of an article to another, every run of the diff included."""

    article_id: int
    old: int
    new: int
    change: Change

    def to_json(self) -> dict[str, Any]:
        return {"from": self.old, "to": self.new, **_change_json(self.change, equal_ops=True)}


@dataclass(frozen=True, slots=True)
class Facets:
    """Counts of a search's matches by facet (genre, outlet, country, person, technique, target, the
    countries they are hostile and friendly toward, date)."""

    counts: Mapping[str, tuple[tuple[str, int], ...]]

    def get(self, name: str) -> tuple[tuple[str, int], ...]:
        return self.counts.get(name, ())

    def to_json(self) -> dict[str, Any]:
        return {name: [{"value": v, "count": n} for v, n in rows] for name, rows in self.counts.items()}


@dataclass(frozen=True, slots=True)
class Actor:
    """A body claimed to support the DPRK (an organ counts as its party), with how often, when and under
    which names."""

    actor: str  # the body it counts as (enrich/actors.py: canonical)
    role: str  # foreign or compatriot
    actor_type: str
    country: str | None
    events: int
    articles: int
    first_seen: str | None
    last_seen: str | None
    actions: str  # the distinct actions, comma-separated
    variants: tuple[str, ...] = ()  # the names as the texts give them, most used first

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "variants": list(self.variants)}


@dataclass(frozen=True, slots=True)
class SupportCounts:
    """Support events per period and country (foreign by default): the series behind the support chart, with
    the archive's dated articles per period, the count behind each bar."""

    by: str
    rows: tuple[tuple[str, str, int, int], ...]  # (period, country, events, articles carrying them), by period
    periods: tuple[tuple[str, int], ...] = ()  # (period, dated articles archived), oldest first
    roles: tuple[str, ...] = ("foreign",)

    def by_country(self) -> list[tuple[str, int, int]]:
        """(country, events, articles) over every period, most events first (an article has one date, so
        its period's articles add up)."""
        events: Counter[str] = Counter()
        articles: Counter[str] = Counter()
        for _, country, n, carrying in self.rows:
            events[country] += n
            articles[country] += carrying
        return sorted(((c, n, articles[c]) for c, n in events.items()), key=lambda item: (-item[1], item[0]))

    def to_json(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "roles": list(self.roles),
            "rows": [{"period": p, "country": c, "events": n, "articles": a} for p, c, n, a in self.rows],
            "periods": [{"period": p, "articles": n, "sparse": n < SPARSE_BELOW} for p, n in self.periods],
        }


@dataclass(frozen=True, slots=True)
class Trend:
    """A series over the stored corpus, one point per period that has dated articles in scope; `sparse`
    marks a point with fewer than SPARSE_BELOW articles behind it."""

    metric: Metric
    country: str | None
    by: str
    points: tuple[TrendPoint, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "metric": self.metric.spec,
            "country": self.country,
            "by": self.by,
            "sparse_below": SPARSE_BELOW,
            "points": [
                {
                    "period": p.period,
                    "articles": p.articles,
                    "counted": p.counted,
                    "value": p.value,
                    "sparse": p.sparse,
                }
                for p in self.points
            ],
        }


@dataclass(frozen=True, slots=True)
class PhraseUsage:
    """When a phrase was first and last used, how often by period, and its most recent articles."""

    query: str  # the phrase as searched: in quotes
    by: str
    periods: tuple[tuple[str, int], ...]  # (period, articles) with dated articles, oldest first
    undated: int
    first: ArticleRef | None
    last: ArticleRef | None
    hits: tuple[SearchHit, ...] = ()

    @property
    def total(self) -> int:
        return sum(n for _, n in self.periods) + self.undated

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "by": self.by,
            "total": self.total,
            "undated": self.undated,
            "first": self.first.to_json() if self.first else None,
            "last": self.last.to_json() if self.last else None,
            "periods": [{"period": p, "articles": n} for p, n in self.periods],
            "hits": [h.to_json() for h in self.hits],
        }


@dataclass(frozen=True, slots=True)
class Reuse:
    """The passages of an article found in earlier ones (see analyze/reuse.py), with the article itself, whose
    text the passages' offsets refer to."""

    article: Article
    article_id: int
    words: int
    reused_share: float
    sources_examined: int
    passages: tuple[Passage, ...]
    formulas: tuple[str, ...]  # probes found in too many articles to point at a source

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "words": self.words,
            "reused_share": round(self.reused_share, 4),
            "passages": [
                {
                    "start": p.start,
                    "end": p.end,
                    "words": p.words,
                    "source": {"id": p.source_id, "date": p.source_date, "title": p.source_title},
                    "source_start": p.source_start,
                    "source_end": p.source_end,
                }
                for p in self.passages
            ],
            "formulas": list(self.formulas),
        }


@dataclass(frozen=True, slots=True)
class Deletion(Row):
    """An article that left a listing it was collected from, and whether it came back."""

    id: int
    date: str | None
    title: str
    listing: str
    last_seen: str
    deleted_at: str
    restored_at: str | None


# SearchFilters' field names -> the names users type them under (the search page's parameters, the CLI's
# options). tests/test_saved.py fails when a filter is added without its name here.
FILTER_PARAMS = {
    "since": "since",
    "until": "until",
    "genres": "genre",
    "langs": "lang",
    "sources": "source",
    "countries": "country",
    "outlets": "outlet",
    "persons": "person",
    "techniques": "technique",
    "targets": "target",
    "stance": "stance",
    "toward": "toward",
    "leader_appearance": "leader_appearance",
    "accompanied_by": "accompanied_by",
}


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named query and filters; alerts cover the articles above `seen_up_to`."""

    id: int
    name: str
    query: str | None
    filters: Mapping[str, Any] = field(default_factory=dict)  # SearchFilters as stored (alerts.filters_to_dict)
    webhook: str | None = None
    created_at: str = ""
    seen_up_to: int = 0
    email: str | None = None
    mailed_up_to: int = 0

    def params(self) -> list[tuple[str, str]]:
        """The query and filters as the search page's parameters (and the CLI's option names), in the order
        the filters are declared: what reopens the search, and how its filters are shown."""
        pairs = [("q", self.query)] if self.query else []
        for name, value in self.filters.items():
            param = FILTER_PARAMS.get(name, name)
            pairs.extend((param, str(v)) for v in (value if isinstance(value, (list, tuple)) else [value]) if v)
        return pairs

    def search_url(self) -> str:
        """The search page's URL (from the site's root) with the query and every filter."""
        return "/?" + urlencode(self.params())

    def filters_text(self) -> str:
        """The filters as a user writes them: `since 2017-06 · country US, JP`, or "" for none."""
        grouped: dict[str, list[str]] = {}
        for name, value in self.params():
            if name != "q":
                grouped.setdefault(name, []).append(value)
        joined = {
            name: ("; " if any("," in v for v in values) else ", ").join(values) for name, values in grouped.items()
        }
        return " · ".join(f"{name} {text}" for name, text in joined.items())

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "filters": dict(self.filters), "search_url": self.search_url()}


@dataclass(frozen=True, slots=True)
class Totals(Row):
    articles: int
    versions: int  # earlier versions kept
    quarantined: int


@dataclass(frozen=True, slots=True)
class Stats:
    """Article counts by year, genre, outlet, source and language, largest or oldest first."""

    groups: Mapping[str, tuple[tuple[Any, int], ...]]

    def to_json(self) -> dict[str, Any]:
        return {name: [{"value": v, "articles": n} for v, n in rows] for name, rows in self.groups.items()}


@dataclass(frozen=True, slots=True)
class QuarantineItem(Row):
    """An input item that could not be ingested, and why."""

    id: int
    origin: str
    record_id: str | None
    reason: str
    created_at: str
    stored: int | None  # bytes of the raw input kept (compressed), None when none was


@dataclass(frozen=True, slots=True)
class Cooccurrence(Row):
    """A name mentioned in the same articles as the one asked about, in one period."""

    period: str
    type: str
    canonical: str
    articles: int


@dataclass(frozen=True, slots=True)
class Network:
    """The co-mention graph: the most mentioned entities and the pairs mentioned together."""

    nodes: tuple[tuple[str, str, int], ...]  # (type, canonical, articles)
    edges: Mapping[tuple[Node, Node], int]  # pair -> articles mentioning both

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [{"type": t, "name": n, "articles": a} for t, n, a in self.nodes],
            "edges": [
                {"source": a[1], "source_type": a[0], "target": b[1], "target_type": b[0], "weight": w}
                for (a, b), w in sorted(self.edges.items(), key=lambda item: -item[1])
            ],
        }


__all__ = [
    "APPEARANCE_KINDS",
    "PROTOCOL_LISTS",
    "Absences",
    "Actor",
    "AppearanceCounts",
    "AppearancePeriod",
    "AppearanceRow",
    "ArticleDetail",
    "ArticleInfo",
    "ArticleRef",
    "Cooccurrence",
    "Deletion",
    "Diff",
    "DroppedName",
    "Facets",
    "History",
    "LeaderGap",
    "CompanionMatrix",
    "ListPosition",
    "Network",
    "OfficialProfile",
    "OfficialsRanking",
    "PhraseUsage",
    "QuarantineItem",
    "RankedOfficial",
    "Reuse",
    "SavedSearch",
    "Standing",
    "Stats",
    "SupportCounts",
    "TitleSpan",
    "Totals",
    "Translation",
    "Trend",
    "VanishedOfficial",
    "Version",
]
