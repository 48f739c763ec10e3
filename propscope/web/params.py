"""The query and filters every search-like page and endpoint takes, as query parameters; checked by
SearchFilters.parse, the one place filters are parsed."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import Path, Query

from propscope.choices import Genre
from propscope.model import SearchFilters

MAX_ID = 2**63 - 1  # the largest id either database stores: a bigger one is a 422, never an overflow
MAX_OFFSET = 1_000_000  # deeper than anyone pages; past it the engine would sort the whole archive for nothing
MAX_PAGE = 10_000
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
VersionNumber = Annotated[int | None, Query(ge=1, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]

LIST_PARAMS = (
    "genre",
    "lang",
    "source",
    "country",
    "person",
    "outlet",
    "technique",
    "target",
    "toward",
    "accompanied_by",
)


class SearchParams:
    def __init__(
        self,
        q: str | None = None,
        since: str | None = None,
        until: str | None = None,
        genre: Annotated[list[Genre] | None, Query()] = None,
        country: Annotated[list[str] | None, Query()] = None,
        person: Annotated[list[str] | None, Query()] = None,
        outlet: Annotated[list[str] | None, Query()] = None,
        technique: Annotated[list[str] | None, Query()] = None,
        target: Annotated[list[str] | None, Query()] = None,
        stance: str | None = None,
        toward: Annotated[list[str] | None, Query()] = None,
        leader_appearance: str | None = None,
        accompanied_by: Annotated[list[str] | None, Query()] = None,
        lang: Annotated[list[str] | None, Query()] = None,
        source: Annotated[list[str] | None, Query()] = None,
    ) -> None:
        self.q = (q or "").strip() or None
        self.since, self.until = since or None, until or None
        self.genre = [str(g) for g in genre or [] if g]
        self.country = [c for c in country or [] if c]  # a code or a name: resolved by filters()
        self.person = [p for p in person or [] if p]
        self.outlet = [o for o in outlet or [] if o]
        self.technique = [t for t in technique or [] if t]
        self.target = [t for t in target or [] if t]
        self.stance = (stance or "").strip().lower() or None  # checked by filters(), with toward
        self.toward = [t for t in toward or [] if t]
        self.lang = [v for v in lang or [] if v]
        self.source = [v for v in source or [] if v]
        self.leader_appearance = (leader_appearance or "").strip() or None  # a leader's name, or "any"
        # one form field may list several names, comma-separated, as the CLI's option may
        self.accompanied_by = [n.strip() for value in accompanied_by or [] for n in value.split(",") if n.strip()]

    @classmethod
    def from_query_string(cls, query_string: str) -> SearchParams:
        """The parameters of a search page's URL (the save form carries them as one field)."""
        pairs = parse_qsl(query_string)

        def first(name: str) -> str | None:
            return next((v for k, v in pairs if k == name), None)

        def every(name: str) -> list[str]:
            return [v for k, v in pairs if k == name]

        params = cls(
            first("q"),
            first("since"),
            first("until"),
            country=every("country"),
            person=every("person"),
            outlet=every("outlet"),
            technique=every("technique"),
            target=every("target"),
            stance=first("stance"),
            toward=every("toward"),
            leader_appearance=first("leader_appearance"),
            accompanied_by=every("accompanied_by"),
            lang=every("lang"),
            source=every("source"),
        )
        params.genre = [g for g in every("genre") if g]  # checked by filters(), as typed values are
        return params

    def filters(self, gazetteer_file: str | None = None) -> SearchFilters:
        """The filters, checked (UsageError naming a bad value); `gazetteer_file`: the user's, from the settings."""
        return SearchFilters.parse(
            since=self.since,
            until=self.until,
            genre=self.genre,
            country=self.country,
            outlet=self.outlet,
            person=self.person,
            technique=self.technique,
            target=self.target,
            stance=self.stance,
            toward=self.toward,
            leader_appearance=self.leader_appearance,
            accompanied_by=self.accompanied_by,
            lang=self.lang,
            source=self.source,
            gazetteer_file=gazetteer_file,
        )

    def items(self) -> list[tuple[str, str]]:
        """The parameters as (name, value) pairs, for links that keep them."""
        pairs: list[tuple[str, str]] = []
        for name in ("q", "since", "until", "stance", "leader_appearance"):
            value = getattr(self, name)
            if value:
                pairs.append((name, value))
        for name in LIST_PARAMS:
            pairs.extend((name, value) for value in getattr(self, name))
        return pairs


__all__ = ["LIST_PARAMS", "MAX_ID", "MAX_OFFSET", "MAX_PAGE", "Id", "Offset", "SearchParams", "VersionNumber"]
