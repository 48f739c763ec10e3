"""The article model: every type the pipeline passes between stages lives here.

Annotations are character offsets into one immutable text, the input as read (for a text file the decoded
file; for a JSON Lines record `title + "\\n\\n" + body`; for an HTML page the extracted title and main
text). Nothing keeps a copy of the text per annotation; `to_dict` slices the text when it serialises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import date as calendar_date
from operator import attrgetter
from typing import Any, Literal

GENRES = ("news_report", "relayed_article", "commentary", "statement", "message", "speech")
Genre = Literal["news_report", "relayed_article", "commentary", "statement", "message", "speech"]
EntityType = Literal["person", "organization", "country", "place", "outlet"]
InputKind = Literal["text", "html", "jsonl"]

# Bumped whenever parse or enrich output changes, so stored articles can be re-parsed (`propscope reparse`).
PARSER_VERSION = 6


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
    date_raw: str | None = None  # a date the input gave that is no day ("2024-13-45"), kept as given
    meta: dict[str, Any] = field(default_factory=dict)
    # When the source saw this text (its first_seen, seen_at, fetched_at; a collector's fetch), ISO 8601 UTC to
    # the second: it orders the versions of an article. None: the ingest time stands in.
    seen_at: str | None = None


@dataclass(frozen=True, slots=True)
class Quarantined:
    """An input item that could not be read; kept with its reason so nothing is lost silently."""

    origin: str
    reason: str
    record_id: str | None = None
    raw: bytes = b""


class Span:
    """Base of every annotation: character offsets [start, end) into the article's text, never a copy of it."""

    __slots__ = ()
    start: int
    end: int

    def text_in(self, article_text: str) -> str:
        """The text the span covers (named so that it does not clash with Epithet.text, a field)."""
        return article_text[self.start : self.end]


@dataclass(frozen=True, slots=True)
class Dateline(Span):
    place: str | None
    month: int | None
    day: int | None
    year: int | None
    agency: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Relay(Span):
    """An outlet whose text the dispatch relays, and the mention that says so."""

    outlet: str
    form: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Furniture(Span):
    """Page furniture: text of the web page around the article, not of the article."""

    kind: str  # image_credit, related_posts, share, navigation, copyright, tags, stamp
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quote(Span):
    """A quoted part: the relayed outlet's own words, or a quotation inside the dispatch."""

    kind: str  # relayed, quotation
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Entity(Span):
    start: int
    end: int
    type: EntityType
    canonical: str
    country: str | None = None  # ISO code of the entity's country, where the gazetteer knows it
    confidence: float = 1.0
    source: str = "gazetteer"  # gazetteer, pattern


@dataclass(frozen=True, slots=True)
class SupportEvent(Span):
    """An actor abroad (or a compatriot) claimed to support the DPRK; start/end locate the actor in the text.
    Adversaries (the U.S., south Korean and Japanese governments, leaders, forces) are never events."""

    actor: str  # as the text gives it
    actor_type: str  # person, party, organization, government, media, gathering, group, other
    country: str | None
    action: str  # statement, letter, greetings, meeting, seminar, rally, publication, gift, visit, other
    place: str | None
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY; null when no year is known
    start: int
    end: int
    role: str = "foreign"  # foreign, compatriot (south Koreans, Chongryon, Koreans abroad)
    canonical: str = ""  # the body it counts as: an organ counts as its party (gazetteer "parent")


@dataclass(frozen=True, slots=True)
class StanceEvidence(Span):
    """Why a dispatch's stance toward a country is what it is: an epithet or a sentence that attacks it, or a
    sentence that greets or praises it."""

    start: int
    end: int
    country: str
    stance: str  # hostile, friendly
    kind: str  # epithet, sentence


@dataclass(frozen=True, slots=True)
class Appearance(Span):
    """A public activity at which the dispatch reports the leader in person (docs/labeling.md, "The
    leadership set"); start/end cover the sentence that reports it. Messages, gifts and wreaths sent in his
    name are no appearance."""

    leader: str  # canonical: "Kim Jong Il", "Kim Jong Un"
    kind: str  # economy, military, culture, politics, diplomacy
    place: str | None  # the site or event as the text names it
    event_date: str | None  # YYYY-MM-DD when the text gives the day; null for "recently" or no time word
    accompanied_by: tuple[str, ...]  # canonical names, in the text's order, titles dropped
    greeted_by: tuple[str, ...]  # named as greeting him on the spot or present, not already accompanying
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class OfficialMention(Span):
    """An official named in a list the dispatch gives (those accompanying the leader, greeting him, present
    at a meeting, on a committee or presidium), with the title written beside the name: the raw material of
    the officials' registry. start/end locate the name."""

    name: str  # canonical
    title: str | None  # as written beside the name, when the text gives one
    list: str  # accompanied, greeted, present, committee
    position: int  # 1-based place in the list
    size: int  # how many names the list holds
    appearance: int  # index into the article's appearances the list belongs to; -1 for none
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
class Technique(Span):
    """A fragment using a propaganda technique (one of the 14 SemEval-2020 Task 11 names)."""

    start: int
    end: int
    technique: str
    score: float


@dataclass(frozen=True, slots=True)
class Epithet(Span):
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
    date_raw: str | None = None  # the input's date as given, when it is no day: the article is stored undated
    relayed_from: list[Relay] = field(default_factory=list)
    genre: Genre = "news_report"
    furniture: list[Furniture] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    persons: list[str] = field(default_factory=list)
    support_events: list[SupportEvent] = field(default_factory=list)
    foreign_support: bool = False  # some event's role is foreign
    compatriot_support: bool = False  # some event's role is compatriot
    techniques: list[Technique] = field(default_factory=list)
    epithets: list[Epithet] = field(default_factory=list)
    hostility: dict[str, float] = field(default_factory=dict)  # ISO code -> score from the hostile evidence
    stance: dict[str, str] = field(default_factory=dict)  # ISO code -> hostile, friendly, neutral (KP left out)
    stance_evidence: list[StanceEvidence] = field(default_factory=list)
    appearances: list[Appearance] = field(default_factory=list)
    officials: list[OfficialMention] = field(default_factory=list)
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
        """The article as `propscope parse` prints it: its fields in _DICT_KEYS' order, each span layer as its
        registry entry writes it."""
        out: dict[str, Any] = {}
        for key in _DICT_KEYS:
            layer = SPAN_LAYER.get(key)
            out[key] = layer.to_json(self) if layer is not None else getattr(self, _DICT_ATTRIBUTE.get(key, key))
        if include_text:
            out["text"] = self.text
        return out


Storage = Literal["annotations", "columns", "table"]


@dataclass(frozen=True, slots=True)
class SpanLayer:
    """One kind of span an Article carries: its field, its type and how it is written. Article.to_dict, the
    store's codec, the web highlighter and batch output iterate SPAN_LAYERS, so a new layer (or a new field of
    a span type) is declared here once."""

    name: str  # the Article field; also its key in to_dict, in the stored annotations and in batch output
    type: type[Span]
    keys: tuple[str, ...]  # to_dict's keys for one span, in order; "text" is the span's text_in the article
    storage: Storage  # annotations: keyed JSON in articles.annotations; columns: articles' own; table: its own
    text_field: bool = False  # the type keeps its text in a `text` field (Epithet): rebuilt on reading, not stored
    fields: tuple[str, ...] = field(init=False)  # the type's fields that are stored, in the type's order
    text_index: int = field(init=False)  # where `text` goes among the type's fields (-1: no text field)
    row: Any = field(init=False, repr=False, compare=False)  # span -> the tuple of its `fields`
    span_json: Callable[[Any, str], dict[str, Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = [f.name for f in fields(self.type)]  # type: ignore[arg-type]  # every span type is a dataclass
        stored = tuple(name for name in names if not (self.text_field and name == "text"))
        set_ = object.__setattr__  # a frozen dataclass computes its derived fields once, here
        set_(self, "fields", stored)
        set_(self, "text_index", names.index("text") if self.text_field else -1)
        set_(self, "row", attrgetter(*stored))
        set_(self, "span_json", _json_writer(self.keys, names))

    def spans(self, article: Article) -> list[Any]:
        """The article's spans of this layer (the dateline, a single optional span, as a list of at most one)."""
        value = getattr(article, self.name)
        if isinstance(value, list):
            return value
        return [] if value is None else [value]

    def to_json(self, article: Article) -> list[dict[str, Any]] | dict[str, Any] | None:
        value = getattr(article, self.name)
        if isinstance(value, list):
            return [self.span_json(span, article.text) for span in value]
        return None if value is None else self.span_json(value, article.text)


def _json_writer(keys: tuple[str, ...], names: list[str]) -> Callable[[Any, str], dict[str, Any]]:
    """(span, article text) -> the span as to_dict writes it, a dict display made once per layer (as
    dataclasses makes __init__): three times faster than building each dict key by key, and `propscope
    parse` and batch write tens of spans per article."""
    unknown = [key for key in keys if key != "text" and key not in names]
    if unknown:
        raise TypeError(f"span keys {unknown} are not fields")
    items = ", ".join(f"{key!r}: t[s.start : s.end]" if key == "text" else f"{key!r}: s.{key}" for key in keys)
    writer: Callable[[Any, str], dict[str, Any]] = eval(f"lambda s, t: {{{items}}}")  # noqa: S307
    return writer


# The order is the highlighter's: where spans overlap, their hover labels are listed in it.
SPAN_LAYERS: tuple[SpanLayer, ...] = (
    SpanLayer(
        "entities",
        Entity,
        ("text", "start", "end", "type", "canonical", "country", "confidence"),
        "annotations",
    ),
    SpanLayer("techniques", Technique, ("start", "end", "technique", "score", "text"), "annotations"),
    SpanLayer("epithets", Epithet, ("start", "end", "text", "target_country", "kind"), "annotations", text_field=True),
    SpanLayer("quotes", Quote, ("kind", "start", "end"), "annotations"),
    SpanLayer("relayed_from", Relay, ("outlet", "form", "start", "end", "text"), "annotations"),
    SpanLayer("furniture", Furniture, ("kind", "start", "end", "text"), "annotations"),
    SpanLayer("dateline", Dateline, ("place", "month", "day", "year", "agency", "start", "end", "text"), "columns"),
    SpanLayer(
        "support_events",
        SupportEvent,
        ("actor", "canonical", "role", "actor_type", "country", "action", "place", "date", "start", "end"),
        "table",
    ),
    SpanLayer("stance_evidence", StanceEvidence, ("start", "end", "country", "stance", "kind", "text"), "annotations"),
    SpanLayer(
        "appearances",
        Appearance,
        ("leader", "kind", "place", "event_date", "accompanied_by", "greeted_by", "start", "end", "text"),
        "annotations",
    ),
    SpanLayer(
        "officials",
        OfficialMention,
        ("name", "title", "list", "position", "size", "appearance", "start", "end", "text"),
        "table",
    ),
)
SPAN_LAYER: dict[str, SpanLayer] = {layer.name: layer for layer in SPAN_LAYERS}

# to_dict's keys, in the order `propscope parse` has always printed them; a layer not placed here goes last.
_PLACED_KEYS = (
    "path", "record_id", "source", "url", "lang", "title", "dateline", "date", "date_source", "date_raw",
    "relayed_from", "genre", "body", "furniture", "quotes", "countries", "persons", "entities", "foreign_support",
    "compatriot_support", "support_events", "techniques", "epithets", "hostility", "stance", "stance_evidence",
    "appearances", "officials", "content_sha1",
)  # fmt: skip
_DICT_KEYS = _PLACED_KEYS + tuple(layer.name for layer in SPAN_LAYERS if layer.name not in _PLACED_KEYS)
_DICT_ATTRIBUTE = {"path": "origin"}


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
    deleted_at: str | None = None  # when a listing it was collected from stopped holding it (and it is still gone)

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
            "deleted_at": self.deleted_at,
        }


_DATE_BOUND = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
_LANG = re.compile(r"[a-z]{2,3}")


def _check_date(name: str, value: str) -> None:
    """A date bound is YYYY, YYYY-MM or YYYY-MM-DD and in the calendar: 2017-13 or 2017-02-30 is a UsageError."""
    from propscope.errors import UsageError

    if not _DATE_BOUND.fullmatch(value):
        raise UsageError(f"{name} {value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = ([int(p) for p in value.split("-")] + [1, 1])[:3]
    try:
        calendar_date(year or 1, month, day)
    except ValueError as exc:
        raise UsageError(f"{name} {value!r} is not a date in the calendar ({exc})") from None


def _latest(bound: str) -> str:
    """The last day an until bound takes in, as text comparable with a since bound ("2017" -> "2017-12-31")."""
    return bound + "-12-31"[len(bound) - 4 :] if len(bound) < 10 else bound


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
    stance: str | None = None  # hostile, friendly or neutral: the article's stance toward each of `toward`
    toward: tuple[str, ...] = ()  # ISO codes; given with `stance`, never alone
    leader_appearance: str | None = None  # a leader's canonical name, or "any": articles reporting an appearance
    accompanied_by: tuple[str, ...] = ()  # canonical names; each accompanied the leader (of leader_appearance)
    langs: tuple[str, ...] = ()  # language codes (en, es); any of them
    sources: tuple[str, ...] = ()  # the records' source (kcna, rodong, a site name); any of them

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
        stance: str | None = None,
        toward: Iterable[str] | None = None,
        leader_appearance: str | None = None,
        accompanied_by: Iterable[str] | None = None,
        lang: Iterable[str] | None = None,
        source: Iterable[str] | None = None,
        gazetteer_file: str | None = None,
    ) -> SearchFilters:
        """Filters from what a user typed, checked: the one place both front ends parse them. Empty values are
        dropped, countries resolved to ISO codes by code or by any name the gazetteer knows ("USA", "United
        States": US; `gazetteer_file` is the user's own, from the settings), technique names resolved
        (search.technique_names); a date that is not YYYY, YYYY-MM or YYYY-MM-DD or not in the calendar
        (2017-13), a since after the until, an unknown country, genre, language code or stance, or a stance
        without the country it is toward (or the other way round) raises UsageError naming the value: a filter
        that cannot match is said, never answered with 0 hits. A leader's name is taken with its spacing tidied,
        "any" in any case."""
        from propscope.choices import Stance, choose
        from propscope.errors import UsageError
        from propscope.gazetteer import resolve_countries  # the gazetteer reads the model: imported here
        from propscope.search import technique_names  # search.py reads the model: imported here, not above

        bounds: dict[str, str | None] = {}
        for name, value in (("since", since), ("until", until)):
            value = (value or "").strip() or None
            if value is not None:
                _check_date(name, value)
            bounds[name] = value
        if bounds["since"] and bounds["until"] and bounds["since"] > _latest(bounds["until"]):
            raise UsageError(f"since {bounds['since']} is after until {bounds['until']}: no date is in between")
        langs = tuple(v.lower() for v in _values(lang))
        for value in langs:
            if not _LANG.fullmatch(value):
                raise UsageError(f"language {value!r} is not a language code: use two or three letters (en, es)")
        genres = _values(genre)
        for value in genres:
            if value not in GENRES:
                raise UsageError(f"unknown genre {value!r}: use one of {', '.join(GENRES)}")
        techniques = _values(technique)
        chosen = (stance or "").strip().lower() or None
        countries = resolve_countries(_values(toward), "toward", gazetteer_file)
        if chosen is not None:
            chosen = choose(Stance, chosen, "stance").value
            if not countries:
                raise UsageError(f"stance {chosen} needs toward: the country it is taken toward (an ISO code, e.g. US)")
        elif countries:
            raise UsageError(f"toward {','.join(countries)} needs stance: {', '.join(Stance)}")
        return cls(
            since=bounds["since"],
            until=bounds["until"],
            genres=genres,
            countries=resolve_countries(_values(country), "country", gazetteer_file),
            outlets=_values(outlet),
            persons=_values(person),
            techniques=technique_names(",".join(techniques)) if techniques else (),
            targets=resolve_countries(_values(target), "target", gazetteer_file),
            stance=chosen,
            toward=countries,
            leader_appearance=_leader(leader_appearance),
            accompanied_by=tuple(dict.fromkeys(" ".join(v.split()) for v in _values(accompanied_by))),
            langs=langs,
            sources=_values(source),
        )


def _leader(value: str | None) -> str | None:
    """A leader_appearance filter as typed: "any" (any case) or a name, its spacing tidied; blank is none."""
    name = " ".join((value or "").split())
    if not name:
        return None
    return "any" if name.lower() == "any" else name
