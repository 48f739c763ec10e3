"""The article model: every type the pipeline passes between stages lives here.

Annotations are character offsets into one immutable text, the input as read (for a text file the decoded
file; for a JSON Lines record `title + "\\n\\n" + body`; for an HTML page the extracted title and main
text). Nothing keeps a copy of the text per annotation; `to_dict` slices the text when it serialises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

GENRES = ("news_report", "relayed_article", "commentary", "statement", "message", "speech")
Genre = Literal["news_report", "relayed_article", "commentary", "statement", "message", "speech"]
EntityType = Literal["person", "organization", "country", "place", "outlet"]
InputKind = Literal["text", "html", "jsonl"]

# Bumped whenever parse or enrich output changes, so stored articles can be re-parsed (`propscope reparse`).
PARSER_VERSION = 3


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One item read from an input, before any parsing: what ingest yields."""

    origin: str  # the path or URL as given
    kind: InputKind
    text: str  # the input text as read; every offset refers to it
    raw: bytes  # the bytes as read (a file, or one JSON line), kept so nothing is lost
    record_id: str | None = None
    title_end: int | None = None  # title is text[:title_end] when the input says where it ends
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    date: str | None = None  # a date the input's metadata gives, "YYYY-MM-DD"
    date_source: str | None = None  # where that date came from: "record", "page_metadata", "url"
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Quarantined:
    """An input item that could not be read; kept with its reason so nothing is lost silently."""

    origin: str
    reason: str
    record_id: str | None = None
    raw: bytes = b""


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str | None
    month: int | None
    day: int | None
    year: int | None
    agency: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Relay:
    """An outlet whose text the dispatch relays, and the mention that says so."""

    outlet: str
    form: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Furniture:
    """Page furniture: text of the web page around the article, not of the article."""

    kind: str  # image_credit, related_posts, share, navigation, copyright, tags, stamp
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted part: the relayed outlet's own words, or a quotation inside the dispatch."""

    kind: str  # relayed, quotation
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    type: EntityType
    canonical: str
    country: str | None = None  # ISO code of the entity's country, where the gazetteer knows it
    confidence: float = 1.0
    source: str = "gazetteer"  # gazetteer, pattern


@dataclass(frozen=True, slots=True)
class SupportEvent:
    """A foreign actor claimed to support the DPRK; start/end locate the actor in the text."""

    actor: str
    actor_type: str  # person, party, organization, government, media, gathering, group, other
    country: str | None
    action: str  # statement, letter, greetings, meeting, seminar, rally, publication, gift, visit, other
    place: str | None
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; null when no year is known
    start: int
    end: int


# The 14 propaganda techniques of SemEval-2020 Task 11, spelled as its data spells them (commas included).
TECHNIQUES: tuple[str, ...] = (
    "Appeal_to_Authority",
    "Appeal_to_fear-prejudice",
    "Bandwagon,Reductio_ad_hitlerum",
    "Black-and-White_Fallacy",
    "Causal_Oversimplification",
    "Doubt",
    "Exaggeration,Minimisation",
    "Flag-Waving",
    "Loaded_Language",
    "Name_Calling,Labeling",
    "Repetition",
    "Slogans",
    "Thought-terminating_Cliches",
    "Whataboutism,Straw_Men,Red_Herring",
)


@dataclass(frozen=True, slots=True)
class Technique:
    """A fragment using a propaganda technique (one of the 14 SemEval-2020 Task 11 names)."""

    start: int
    end: int
    technique: str
    score: float


@dataclass(frozen=True, slots=True)
class Epithet:
    """A formula of state-media rhetoric ("U.S. imperialists", "puppet traitors") and whom it is aimed at."""

    start: int
    end: int
    text: str
    target_country: str | None  # ISO code of the country it vilifies or praises; None for formulas with no target
    kind: str  # hostile, praise, slogan


@dataclass(slots=True)
class Article:
    """A parsed article: what parse produces and the store keeps."""

    origin: str
    kind: InputKind
    text: str
    title: str
    title_start: int
    title_end: int
    body_start: int
    record_id: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str | None = None
    dateline: Dateline | None = None
    date: str | None = None
    date_source: str | None = None
    relayed_from: list[Relay] = field(default_factory=list)
    genre: Genre = "news_report"
    furniture: list[Furniture] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    support_events: list[SupportEvent] = field(default_factory=list)
    foreign_support: bool = False
    techniques: list[Technique] = field(default_factory=list)
    epithets: list[Epithet] = field(default_factory=list)
    hostility: dict[str, float] = field(default_factory=dict)  # ISO code -> score from the spans aimed at it
    content_sha1: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    _body: str | None = field(default=None, repr=False, compare=False)

    @property
    def body(self) -> str:
        """The text after the title with page furniture cut out (computed once: ingest reads it thrice)."""
        if self._body is None:
            self._body = cut_furniture(self.text, self.body_start, self.furniture)
        return self._body

    def to_dict(self, include_text: bool = False) -> dict[str, Any]:
        text = self.text
        out: dict[str, Any] = {
            "path": self.origin,
            "record_id": self.record_id,
            "source": self.source,
            "url": self.url,
            "lang": self.lang,
            "title": self.title,
            "dateline": None,
            "date": self.date,
            "date_source": self.date_source,
            "relayed_from": [
                {"outlet": r.outlet, "form": r.form, "start": r.start, "end": r.end, "text": text[r.start : r.end]}
                for r in self.relayed_from
            ],
            "genre": self.genre,
            "body": self.body,
            "furniture": [
                {"kind": f.kind, "start": f.start, "end": f.end, "text": text[f.start : f.end]} for f in self.furniture
            ],
            "quotes": [{"kind": q.kind, "start": q.start, "end": q.end} for q in self.quotes],
            "countries": self.countries,
            "persons": self.persons,
            "entities": [
                {
                    "text": text[e.start : e.end],
                    "start": e.start,
                    "end": e.end,
                    "type": e.type,
                    "canonical": e.canonical,
                    "country": e.country,
                    "confidence": e.confidence,
                }
                for e in self.entities
            ],
            "foreign_support": self.foreign_support,
            "support_events": [
                {
                    "actor": e.actor,
                    "actor_type": e.actor_type,
                    "country": e.country,
                    "action": e.action,
                    "place": e.place,
                    "date": e.date,
                    "start": e.start,
                    "end": e.end,
                }
                for e in self.support_events
            ],
            "techniques": [
                {
                    "start": t.start,
                    "end": t.end,
                    "technique": t.technique,
                    "score": t.score,
                    "text": text[t.start : t.end],
                }
                for t in self.techniques
            ],
            "epithets": [
                {"start": e.start, "end": e.end, "text": e.text, "target_country": e.target_country, "kind": e.kind}
                for e in self.epithets
            ],
            "hostility": self.hostility,
            "content_sha1": self.content_sha1,
        }
        if self.dateline is not None:
            d = self.dateline
            out["dateline"] = {
                "place": d.place,
                "month": d.month,
                "day": d.day,
                "year": d.year,
                "agency": d.agency,
                "start": d.start,
                "end": d.end,
                "text": text[d.start : d.end],
            }
        if include_text:
            out["text"] = text
        return out


def cut_furniture(text: str, body_start: int, furniture: list[Furniture]) -> str:
    pieces = []
    pos = body_start
    for item in sorted(furniture, key=lambda f: f.start):
        if item.end <= pos:
            continue
        if item.start > pos:
            pieces.append(text[pos : item.start])
        pos = max(pos, item.end)
    pieces.append(text[pos:])
    return _tidy_cut_text("".join(pieces))


def _tidy_cut_text(body: str) -> str:
    """Cutting furniture leaves runs of blank lines; keep paragraphs, drop the gaps."""
    lines = [line.rstrip() for line in body.strip().splitlines()]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        if blank and out:
            out.append("")
        out.append(line)
        blank = False
    return "\n".join(out)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What one ingest run did: the CLI prints it, the exit code follows from it."""

    added: int = 0
    unchanged: int = 0
    new_versions: int = 0
    quarantined: int = 0
    deleted: int = 0  # articles a listing run no longer held
    restored: int = 0  # deleted articles a listing run held again


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: int
    date: str | None
    title: str
    genre: str
    source: str | None
    snippet: str  # keyword in context, matches wrapped in [[ ]] by the store, rendered by each front end
    score: float
    copies: int = 0  # other articles of its cluster of exact or near copies, folded into this hit

    def to_json(self, marked: bool = True) -> dict[str, Any]:
        """The hit as JSON; `marked` False drops the [[ ]] match marks from the snippet (plain text)."""
        from propscope.search import split_marked  # search.py reads the model: imported here, not above

        snippet = self.snippet if marked else "".join(piece for piece, _ in split_marked(self.snippet))
        return {
            "id": self.id,
            "date": self.date,
            "title": self.title,
            "genre": self.genre,
            "source": self.source,
            "snippet": snippet,
            "score": self.score,
            "copies": self.copies,
        }


_DATE_BOUND = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _values(given: Iterable[str] | None, upper: bool = False) -> tuple[str, ...]:
    """The non-empty values of a repeatable filter, stripped (and upper-cased for ISO codes), in order, once."""
    cleaned = (v.strip().upper() if upper else v.strip() for v in given or ())
    return tuple(dict.fromkeys(v for v in cleaned if v))


@dataclass(frozen=True, slots=True)
class SearchFilters:
    since: str | None = None
    until: str | None = None
    genres: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    persons: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()  # SemEval-2020 names; each must occur
    targets: tuple[str, ...] = ()  # ISO codes the article is hostile toward

    @classmethod
    def parse(
        cls,
        since: str | None = None,
        until: str | None = None,
        genre: Iterable[str] | None = None,
        country: Iterable[str] | None = None,
        outlet: Iterable[str] | None = None,
        person: Iterable[str] | None = None,
        technique: Iterable[str] | None = None,
        target: Iterable[str] | None = None,
    ) -> SearchFilters:
        """Filters from what a user typed, checked: the one place both front ends parse them. Empty values are
        dropped, ISO codes upper-cased, technique names resolved (search.technique_names); a date that is not
        YYYY, YYYY-MM or YYYY-MM-DD or an unknown genre raises UsageError naming the value."""
        from propscope.errors import UsageError
        from propscope.search import technique_names  # search.py reads the model: imported here, not above

        bounds: dict[str, str | None] = {}
        for name, value in (("since", since), ("until", until)):
            value = (value or "").strip() or None
            if value is not None and not _DATE_BOUND.fullmatch(value):
                raise UsageError(f"{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
            bounds[name] = value
        genres = _values(genre)
        for value in genres:
            if value not in GENRES:
                raise UsageError(f"unknown genre {value!r}: use one of {', '.join(GENRES)}")
        techniques = _values(technique)
        return cls(
            since=bounds["since"],
            until=bounds["until"],
            genres=genres,
            countries=_values(country, upper=True),
            outlets=_values(outlet),
            persons=_values(person),
            techniques=technique_names(",".join(techniques)) if techniques else (),
            targets=_values(target, upper=True),
        )
