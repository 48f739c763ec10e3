"""The closed sets of values users choose from, named once: Typer and FastAPI both validate against these
enums, so a bad value is a usage error (exit 2, HTTP 422) on every front end, never a KeyError deep inside."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from propscope.errors import UsageError

C = TypeVar("C", bound=StrEnum)


def choose(kind: type[C], value: str, name: str) -> C:
    """One of a closed set, or a UsageError naming the value and the set: a library caller (the Archive, the
    store) gets the words the front ends' own checks would have given."""
    try:
        return kind(value)
    except ValueError:
        raise UsageError(f"unknown {name} {value!r}: use {', '.join(kind)}") from None


class Period(StrEnum):
    """How a time series or histogram is bucketed; the value's width is its ISO-date prefix length."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"

    @property
    def width(self) -> int:
        return {"year": 4, "month": 7, "day": 10}[self.value]


class CoPeriod(StrEnum):
    """Co-occurrence buckets: a period, or the whole archive at once."""

    YEAR = "year"
    MONTH = "month"
    ALL = "all"

    @property
    def width(self) -> int:
        return {"year": 4, "month": 7, "all": 0}[self.value]


class CoarsePeriod(StrEnum):
    """Buckets for counts that are too sparse by day (phrase usage, support by country)."""

    YEAR = "year"
    MONTH = "month"

    @property
    def width(self) -> int:
        return {"year": 4, "month": 7}[self.value]


class Role(StrEnum):
    """Whose support is counted: foreigners (the default), compatriots (south Koreans, Chongryon, Koreans
    abroad), or both. Adversaries are never a choice: they are never stored as supporters."""

    FOREIGN = "foreign"
    COMPATRIOT = "compatriot"
    ALL = "all"

    @property
    def roles(self) -> tuple[str, ...]:
        """The stored roles this choice counts."""
        return ("foreign", "compatriot") if self is Role.ALL else (self.value,)


class Stance(StrEnum):
    """A dispatch's stance toward a country it names (enrich/stance.py)."""

    HOSTILE = "hostile"
    FRIENDLY = "friendly"
    NEUTRAL = "neutral"


class Sort(StrEnum):
    RELEVANCE = "relevance"
    DATE = "date"


class TableFormat(StrEnum):
    """Listings printed by the CLI."""

    TABLE = "table"
    JSONL = "jsonl"
    CSV = "csv"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


class NetworkFormat(StrEnum):
    GRAPHML = "graphml"
    CSV = "csv"


class Genre(StrEnum):
    NEWS_REPORT = "news_report"
    RELAYED_ARTICLE = "relayed_article"
    COMMENTARY = "commentary"
    STATEMENT = "statement"
    MESSAGE = "message"
    SPEECH = "speech"


class TrendMetric(StrEnum):
    """The fixed metrics; `technique:NAME` is parsed separately (see analyze/trends.py)."""

    HOSTILITY = "hostility"
    MENTIONS = "mentions"


class DetailFormat(StrEnum):
    """One object printed by the CLI (an article, its history, its reuse): for a reader, or as JSON."""

    TEXT = "text"
    JSON = "json"


class ParseFormat(StrEnum):
    """`propscope parse` output: one JSON object a line, or indented JSON."""

    JSONL = "jsonl"
    PRETTY = "pretty"


class BatchEngine(StrEnum):
    LOCAL = "local"
    SPARK = "spark"


class Chart(StrEnum):
    """The charts `propscope chart` draws."""

    SUPPORT = "support"
    APPEARANCES = "appearances"
    OFFICIAL_POSITIONS = "official-positions"
    COMPANIONS = "companions"


class AppearanceKind(StrEnum):
    """What a leader's public appearance was (docs/labeling.md, "The leadership set"), in the order charts
    stack them."""

    ECONOMY = "economy"
    MILITARY = "military"
    POLITICS = "politics"
    CULTURE = "culture"
    DIPLOMACY = "diplomacy"
