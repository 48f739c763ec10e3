"""Which foreign names in a dispatch are its supporters: a learned choice among candidate actors.

The cue rules (enrich/support.py) find the actor beside a support word; KCNA's claims name many more: every
speaker at a gathering ("Andy Brooks, general secretary of ..., Dermot Hudson, chairman of ..., and other
speakers said"), every celebration in a list ("Celebration meetings were held in Venezuela, Britain and
Barbados"). Here every foreign name of the body is a candidate (gazetteer and pattern entities, media,
gatherings, list items), described by the words around it, its place in the sentence and the dispatch, its
type and whether the rules chose it; a logistic regression fit on the stance set's train part
(tests/devset/train_actors.py, 5-fold cross-validation by dispatch) decides. The weights ship as JSON
(feature name to weight) and apply in plain Python: no scikit-learn at ingest.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from propscope.enrich.matcher import fold
from propscope.model import Entity

MODEL_PATH = Path(__file__).resolve().parent / "data" / "support-actors-model.json"
FORMAT = "propscope-support-actors/1"

_WORD = re.compile(r"[a-z][a-z'-]*|\d+")
_KINDS = (
    r"meetings?|seminars?|symposi(?:um|ums|a)|conferences?|forums?|rall(?:y|ies)|gatherings?|festivals?|"
    r"exhibitions?|film\s+shows?|lectures?|receptions?|events?|round-?table\s+talks|celebrations?"
)
# What every match of _KINDS holds, lower-cased: a sentence with none of them is no list of gatherings.
_KIND_STEMS = (
    "meeting seminar symposi conference forum rall gathering festival exhibition film lecture reception event "
    "talks celebration"
).split()
# Characters that re.IGNORECASE matches to an ASCII letter but str.lower() does not turn into one (dotless i,
# long s, and the dot İ leaves behind): where one is present, a lower-cased substring test proves nothing.
_FOLDS = re.compile("[\u0131\u017f\u0307]")


def may_contain(lowered: str, stems: Iterable[str]) -> bool:
    """Whether a case-insensitive pattern needing one of these lower-case stems can match the lower-cased
    text: a cheap test before a costly pattern."""
    return any(stem in lowered for stem in stems) or _FOLDS.search(lowered) is not None


# "Celebration meetings were held in Venezuela, Britain and Barbados and seminars in Nigeria and Costa Rica":
# one gathering per place of the list.
_LIST_HEAD = re.compile(
    rf"\b(?P<kind>(?:(?!(?:the|a|an|and|of|were|was|in|at|on|by)\b)[a-z][\w-]*\s+){{0,2}}(?:{_KINDS}))"
    r"(?:\s+(?:on|of|for|under)\s+[^.,;]{0,80}?)?"  # "Seminars on the exploits of ... took place in"
    r"(?:\s+(?:were|was|have\s+been|has\s+been))?(?:\s+(?:held|staged|organized|organised|opened|hosted|"
    r"took\s+place|arranged|sponsored))?\s+in\s+",
    re.IGNORECASE,
)
_LIST_GLUE = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)")
_APPOSITION_TITLE = re.compile(
    r"^,\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}?(?:chairman|chairwoman|chairperson|president|secretary|leader|"
    r"director|head|member|editor|chief|professor|ambassador|minister|deputy|vice|founder|coordinator|"
    r"general|spokesman|representative|prime|premier)",
    re.IGNORECASE,
)
_TITLE_OF_BEFORE = re.compile(
    r"(?:chairman|chairwoman|chairperson|president|secretary|leader|director|head|member|editor|chief|"
    r"coordinator|general|representative)\s+of\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Dermot Hudson, chairman of the British Association for ...": a body in a named person's apposition.
_NAMED_APPOSITION_BEFORE = re.compile(r"[A-Z][\w.'’-]+,\s+(?:the\s+)?(?:[\w'’-]+\s+){0,6}?(?:of|at)\s+(?:the\s+)?$")
_PROTOCOL = re.compile(
    r"\b(?:met|meets|talks|received|receives|arrived|left|departed|delegations?|credentials|banquet|"
    r"reception|called\s+on|courtesy)\b",
    re.IGNORECASE,
)
_SPEECH_AFTER = re.compile(r"^[^.;]{0,200}?\b(?:said|noted|stressed|declared|pointed\s+out|added|praised|hailed)\b")
_TO_BEFORE = re.compile(r"\b(?:to|for|with)\s+(?:the\s+)?$", re.IGNORECASE)
_BY_BEFORE = re.compile(r"\b(?:by|from|of)\s+(?:the\s+)?$", re.IGNORECASE)
_HEAD_WORDS = {
    "party": r"\b(?:party|partido)\b",
    "juche": r"juche|songun|kimilsungism|kimjongilism",
    "friendship": r"friendship|solidarity|korea\b",
    "study": r"\bstud(?:y|ies)\b",
    "media": r"\b(?:news|times|post|daily|journal|newspaper|radio|television|tv|agency|press)\b",
    "state": r"\b(?:government|ministry|parliament|president|council|embassy|state)\b",
    "committee": r"\bcommittee\b",
}
_HEAD_RE = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in _HEAD_WORDS.items()}


_CAP = r"[A-Z][\w'’.-]*"
_PERSON_APPOSITION = re.compile(
    r"(?<![\w.'’-])(?P<name>[A-Z](?:\.|[a-z'’-]+)(?:\s+(?:[A-Z](?:\.|[a-z'’-]+)|de|da|del|van|von|bin|al)){1,4})"
    r",\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?(?i:chairman|chairwoman|chairperson|president|secretary|leader|director|"
    r"head|member|editor|chief|professor|ambassador|minister|deputy|vice|founder|coordinator|spokesman|"
    r"representative|premier|chancellor|councillor|councilor|journalist|writer|lawyer|scholar|activist)\b"
)
# "A Cuban poet Maria Julia Guerra", "Lao President Thongloun Sisoulith", "Cuban Ambassador to the DPRK Esteban
# Lobaina Romero", "his Cambodian counterpart Hor Nam Hong": an occupation or office, then the name.
_NAME_WORD = r"(?:[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+)?|[Aa]l-[A-Z][a-z'’]+|[Ee]l-[A-Z][a-z'’]+)"
_PERSON_AFTER_OCCUPATION = re.compile(
    r"\b(?i:poet|writer|professor|journalist|scholar|artist|singer|conductor|composer|painter|photographer|"
    r"lawyer|politician|activist|personage|economist|historian|philosopher|researcher|figure|novelist|"
    r"author|publicist|commentator|analyst|columnist|doctor|musician|film\s+director|priest|pastor|"
    r"editor-in-chief|editor|director|rector|ambassador|chairman|chairperson|president|vice-president|"
    r"premier|prime\s+minister|secretary[- ]general|general\s+secretary|mayor|governor|speaker|minister|"
    r"counterpart|parliamentarian|senator|deputy|chief|leader|envoy|charg[eé]\s+d'affaires(?:\s+ad\s+interim)?|"
    r"prof\.|dr\.)"
    r"(?:\s+(?:to|in)\s+(?:the\s+)?(?:DPRK|Korea|Pyongyang))?\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|de|da|del|bin|van|von|al|el)){{1,3}})\b"
)
_ORG_RUN = re.compile(rf"{_CAP}(?:\s+(?:(?:of|for|the|and|on|in|with|to|de|del|la|los|y)\s+){{0,3}}{_CAP})*")
_ORG_HEADS = (
    r"Association|Committee|Party|House|Union|Group|Institute|Society|Federation|Council|League|Front|"
    r"Movement|Organi[sz]ation|Cent(?:re|er)|Foundation|Club|Alliance|Circle|Network|Academy|University|Agency|"
    r"Newspaper|Ministry|Government|Assembly|Congress|Parliament|Confederation|Branch|Board|Bureau|Forum|"
    r"Partido|Asociaci[oó]n|Comit[eé]|Frente|Movimiento"
)
_ORG_HEAD = re.compile(rf"\b(?:{_ORG_HEADS})\b")
_ORG_HEAD_LETTERS = re.compile(_ORG_HEADS)  # found wherever _ORG_HEAD is found inside any part of the text
_LEADING_NOISE = re.compile(
    r"^(?:(?:The|A|An|In|On|At|As|By|For|From|Meanwhile|Also|Then|Later|Members?|Chairman|President|Secretary|"
    r"General|Speakers?|Speaking|Participants?|Present|Attending|When|While|It|He|She|They|This|That|These|"
    r"Those|Messages?|Letters?|Greetings?)\s+(?:(?:of|the|and|at|to)\s+)*)+"
)
_TRAILING_CONNECTOR = re.compile(r"(?:\s+(?:of|for|the|and|on|in|with|to|de|del|la|los|y))+$")
_NOT_PERSON_START = re.compile(
    r"^(?:The|In|On|At|As|By|For|Meanwhile|Also|Then|Later|When|While|Speaking|Next|Generalissimo|Marshal|"
    r"General|Vice|Comrade|People's|Premier|President|Chairman|Secretary|Minister|Manager|Deputy|Director|Chief)\b"
)
# The DPRK's own bodies by name: "Workers' Party of Korea", "General Federation of Trade Unions of Korea".
_DPRK_BODY = re.compile(
    r"\bof\s+Korea$|\bof\s+the\s+DPRK$|\bParty\s+of\s+Korea\b|\bWPK\b|Korean\s+People's\s+Army|"
    r"\bDPRK\b(?![-–])|^Korean\s|\bKim\s+(?:Il|Jong)\s+(?:Sung|Il|Un)\b(?!\s+(?:Juche|Idea|Prize|Foundation))"
)
_TRAILING_DATE = re.compile(
    r"(?:\s+(?:on|in|at|from|last|this|since)\s+(?:January|February|March|April|May|June|July|August|September|"
    r"October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b.*)$|[.,]+$"
)
# "Ju Yong Il", "Pak Kyong Ho": a Korean surname and two syllables, most often a DPRK official.
_KOREAN_NAME = re.compile(
    r"^(?:Kim|Ri|Rim|Pak|Choe|Jong|Ju|Chae|O|Han|Jang|Kang|Yun|Ryu|Hwang|Jo|Sin|Song|Mun|Yang|Ko|Ryang|Paek|"
    r"Hong|Ho|Chon|Cha|Ra|So|An|Min|Om|Jon|Hyon|Thae|Kye|Ro|Nam|Pae|Tong|Im|Yu|Sim|Ju|Chang|Cho|Lee|Park|Choi|"
    r"Jung|Moon|Yoon|Phyo|Kil|Myong|Wi|Tak|Sok|Pyon|Maeng|Ok|Chu|Pong|Ki|Sol|Ryom|Won|Yom|Pang|Kwon|Ha|No|Ryo|"
    r"Kwak|Ma|Pyo|Kye|Son|Chi|Jin)\s+[A-Z][a-z]{1,5}\s+[A-Z][a-z]{1,5}$"
)


def korean_name(name: str) -> bool:
    return bool(_KOREAN_NAME.match(name.strip()))


def _country_between(start: int, end: int, countries: list[Entity]) -> str | None:
    for entity in countries:
        if start <= entity.start < end and entity.country and entity.country != "KP":
            return entity.country
    return None


# The states KCNA attacks: a sentence that names one of them besides a foreign name most often denounces it
# ("Thomas Losh ... noted that the U.S. ..."), so it never lends its country to a name nearby.
ADVERSARY_COUNTRIES = frozenset({"US", "KR", "JP"})
_KNOWN_TYPES = ("country", "organization", "outlet", "place")


def friendly_countries(entities: Iterable[Entity]) -> set[str]:
    """The countries named, less the DPRK and its adversaries: where one is left, a name of no country is its."""
    return {
        e.country for e in entities if e.type == "country" and e.country and e.country not in ADVERSARY_COUNTRIES
    } - {"KP"}


def span_country(start: int, end: int, entities: list[Entity]) -> str | None:
    """The country a name itself gives: a country named inside it ("Party for Socialist Choice of Romania"),
    else a known body or a place inside it ("People's Socialist Party of Mexico", "... in Vienna")."""
    inside = [e for e in entities if start <= e.start and e.end <= end and e.type in _KNOWN_TYPES]
    for kind in ("country", "organization", "outlet", "place"):
        found = _country_between(start, end, [e for e in inside if e.type == kind])
        if found:
            return found
    return None


# "International Institute of the Juche Idea", "Asian Regional Committee for ...", "World Peace Council": a body
# of many countries has none of its own (docs/labeling.md, "support_events"), wherever its seat is.
_SUPRANATIONAL = re.compile(
    r"\b(?:International|Int'l|World|Worldwide|Global|Asian|African|European|Arab|Regional|Continental|"
    r"Latin\s+American|Non-Aligned|non-aligned|United\s+Nations|UN[A-Z]*)\b"
)


def supranational(name: str) -> bool:
    """Whether the name is an international or regional body's (the caller checks it holds no country)."""
    return bool(_SUPRANATIONAL.search(name))


_ATTACHED = re.compile(r",?\s+(?:of|in|from)\s+(?:the\s+)?")


def attached_country(text: str, end: int, countries: list[Entity]) -> str | None:
    """A country joined to the name just before it ("... Bus Drivers Union of south Korea"), adversaries'
    included: further on, a sentence's U.S. or Japan is what the speaker denounces, not where he is from."""
    glue = _ATTACHED.match(text, end)
    if glue is None:
        return None
    return next((e.country for e in countries if e.start == glue.end() and e.country != "KP"), None)


def apposition_country(text: str, end: int, s_end: int, entities: list[Entity]) -> str | None:
    """A person's country from the apposition after the name ("David Denny, chairman of the July 26 Movement
    of Barbados,"; "..., chief of the Group ... in Vienna,"): the first foreign country, known body or place
    of a country before its closing comma."""
    if not text.startswith(",", end):
        return None
    close = text.find(",", end + 1, s_end)
    known = [e for e in entities if e.type in _KNOWN_TYPES]
    return _country_between(end, close if close != -1 else s_end, known)


def shaped_names(text: str, start: int, end: int, entities: list[Entity]) -> list[Candidate]:
    """Persons named before an apposition and organisations named by their head word, in one sentence; a
    name that is a DPRK entity, or a DPRK-side friendship body, is no candidate."""
    countries = [e for e in entities if e.type == "country"]
    dprk = [e for e in entities if e.country == "KP" and e.type != "country"]
    foreign = friendly_countries(countries)
    sole = next(iter(foreign)) if len(foreign) == 1 else None
    found: list[Candidate] = []

    def dprk_name(a: int, b: int) -> bool:
        return any(e.start <= a + 2 and b - 2 <= e.end for e in dprk)

    appositions = _PERSON_APPOSITION.finditer(text, start, end) if text.find(",", start, end) != -1 else ()
    for match in appositions:  # the pattern needs a comma after the name
        name = match.group("name")
        a, b = match.start("name"), match.end("name")
        if _NOT_PERSON_START.match(name) or any(e.start < b and a < e.end for e in dprk) or _ORG_HEAD.search(name):
            continue
        country = apposition_country(text, b, end, entities) or sole
        found.append(Candidate(name, a, b, "person", country, "shape", (start, end)))
    for match in _PERSON_AFTER_OCCUPATION.finditer(text, start, end):
        a, b = match.start("name"), match.end("name")
        if (
            any(e.start < b and a < e.end for e in dprk)
            or _ORG_HEAD.search(match.group("name"))
            or _NOT_PERSON_START.match(match.group("name"))  # "Deputy Manager Ri Kil": a title, not a name
        ):
            continue
        # "Nigerian Ambassador ...", "a former parliamentarian of India ...": before the office or after it.
        country = _country_between(max(start, match.start() - 30), a, countries) or sole
        found.append(Candidate(match.group("name"), a, b, "person", country, "shape", (start, end)))
    # A name needs a head word, so a sentence or capitalised run with none of them (as letters, word
    # boundaries aside) has no organisation to cut out of it.
    runs = _ORG_RUN.finditer(text, start, end) if _ORG_HEAD_LETTERS.search(text, start, end) else ()
    for match in runs:
        if not _ORG_HEAD_LETTERS.search(match.group()):
            continue
        for a, b in _org_parts(match.group(), match.start()):
            name = text[a:b]
            if not _ORG_HEAD.search(name) or len(name.split()) < 2 or dprk_name(a, b) or _DPRK_BODY.search(name):
                continue
            if re.match(r"(?:Korea|Korean|DPRK)[-–](?!\s)", name):
                continue
            after = [e for e in countries if e.country not in ADVERSARY_COUNTRIES]
            country = (
                span_country(a, b, entities)
                or attached_country(text, b, countries)
                or _country_between(b, b + 25, after)
                or sole
            )
            found.append(Candidate(name, a, b, "organization", country, "shape", (start, end)))
    return found


def _org_parts(run: str, offset: int) -> list[tuple[int, int]]:
    """The organisations of one capitalised run: two bodies joined by "and the" are two; leading sentence
    words and a trailing date are no part of a name."""
    parts: list[tuple[int, int]] = []
    position = 0
    for piece in re.split(r"(\s+and\s+the\s+)", run) + [""]:
        if piece and not re.fullmatch(r"\s+and\s+the\s+", piece):
            lead = _LEADING_NOISE.match(piece)
            skip = lead.end() if lead else 0
            name = _TRAILING_CONNECTOR.sub("", _TRAILING_DATE.sub("", piece[skip:]))
            if name:
                parts.append((offset + position + skip, offset + position + skip + len(name)))
        position += len(piece)
    return parts


@dataclass(frozen=True, slots=True)
class Candidate:
    """One foreign name of the body that might be a supporter, with what the model reads about it."""

    name: str
    start: int
    end: int
    actor_type: str
    country: str | None
    source: str  # entity, media, gathering, list
    sentence: tuple[int, int]


# A body or gathering of no country that has no international name is most often the DPRK's own ("Ministry of
# Foreign Trade", "Taedonggang Club for the Diplomatic Corps") or no actor at all ("Sun's Day", "Seventh
# Congress", "national meeting"); an international body names itself so ("World Peace Council", "Asian
# Regional Institute of the Juche Idea", "International Union of Students").
_INTERNATIONAL = re.compile(
    r"\b(?:International|Int'l|Inter-|World|Worldwide|Global|Asian?|Africa|African|Latin\s+America|Latin\s+American|"
    r"Europe|European|Arab|Regional|Continental|Mediterranean|Caribbean|Pacific|Peoples|Non-Aligned|Juche|"
    r"Kimilsungism|Songun|Friendship\s+Association|United\s+Nations|UN[A-Z]*|FAO|WFP|WHO|ASEAN|BRICS)\b"
)
# Places and bodies in Pyongyang are the DPRK's, whoever visits them.
_DPRK_PLACE = re.compile(r"\bPyongyang\b|\bRevolutionary\s+Museum\b|\bKorean\s+Revolution\b")


def no_actor(candidate: Candidate) -> bool:
    """A name the actor model never weighs: a DPRK place, or a countryless non-international body."""
    if _DPRK_PLACE.search(candidate.name):
        return True
    if candidate.source == "corps":
        return False
    return candidate.country is None and candidate.actor_type != "person" and not _INTERNATIONAL.search(candidate.name)


# Officials and bodies named by title and country: "the King of Cambodia", "presidents of Guinea, Madagascar and
# Democratic Congo", "diplomatic envoys and embassies of China, Laos, ...", "the Vietnamese ambassador", "the
# Brazilian embassy here": one actor per country, its title in the singular (docs/labeling.md, "support_events").
_TITLE_WORDS = (
    r"(?:acting\s+|first\s+)?(?:vice-|deputy\s+|senior\s+)?(?:presidents?|kings?|queens?|emperors?|emirs?|sultans?|"
    r"prime\s+ministers?|premiers?|chancellors?|speakers?|ambassadors?|envoys?|diplomatic\s+envoys?|"
    r"embass(?:y|ies)|missions?|(?:diplomatic\s+)?representatives?|military\s+attach[eé]s?|charg[eé]s?\s+d'affaires|consuls?(?:\s+general)?|"
    r"governments?|parliaments?|media|press|heads?\s+of\s+state|ministers?(?:\s+of\s+[A-Z][\w-]*"
    r"(?:(?:,\s+|\s+and\s+)[A-Z][\w-]*)*)?)"
)
_TITLE_OF = re.compile(
    rf"(?<![\w-])(?P<title>(?i:{_TITLE_WORDS})(?:\s+and\s+(?:the\s+)?(?i:{_TITLE_WORDS}))?)\s+of\s+(?:the\s+)?"
    r"(?:(?:Republic|State|Kingdom|Federation|Sultanate|Emirate|Union)\s+of\s+(?:the\s+)?)?(?=[A-Z])"
)
_DEMONYM_TITLE = re.compile(
    rf"\s+(?P<title>(?i:{_TITLE_WORDS}|side|delegation|state\s+delegation|party\s+and\s+government))\b"
)
# "Ugandan President Yoweri Museveni", "Cuban Ambassador to the DPRK Esteban Romero": the title is the person's.
_NAME_AFTER = re.compile(r"(?:\s+to\s+(?:the\s+)?(?:DPRK|Korea))?\s+(?:[A-Z]\.\s*)*[A-Z][a-z]")
_DEMONYM_SHAPE = re.compile(r"[A-Z][a-z]+(?:an|ian|ese|ish|i|ic|ch)$|^Lao$|^Thai$")


def demonym(entity: Entity, written: str) -> bool:
    """Whether a country is named by its adjective ("Cuban", "Lao"); a name of that shape that is the
    country's own ("Pakistan", "Iran", "Mali", "Oman") is none."""
    return bool(_DEMONYM_SHAPE.search(written)) and fold(written).strip() != fold(entity.canonical).strip()


_PLURAL_IES = re.compile(r"(?<=[a-z])ies\b")
_PLURAL_S = re.compile(r"(?<=[a-rt-z])s\b(?!\s+d')")
# "the diplomatic corps", "the military attaches' corps here": bodies of foreigners in Pyongyang, of no one
# country.
_CORPS = re.compile(
    r"\b(?:diplomatic\s+corps|military\s+attach[eé]s['’]?\s+corps|economic\s+and\s+commercial\s+"
    r"(?:councillors|counsellors)['’]?\s+corps|missions\s+of\s+(?:the\s+)?international\s+organi[sz]ations)\b",
    re.IGNORECASE,
)


def singular(words: str) -> str:
    """ "diplomatic envoys and embassies" gives "diplomatic envoy and embassy"; "media" and "press" stay."""
    return _PLURAL_S.sub("", _PLURAL_IES.sub("y", words))


def titled_actors(text: str, start: int, end: int, countries: list[Entity]) -> list[Candidate]:
    """Officials, embassies and media named by their title and country inside text[start:end], one per
    country of a list; a country of the DPRK or its adversaries gives none (their officials are what KCNA
    opposes)."""
    found: list[Candidate] = []
    by_start = {e.start: e for e in countries if e.country}
    for match in _TITLE_OF.finditer(text, start, end):
        title = singular(" ".join(match.group("title").split()))
        position = match.end()
        while (entity := by_start.get(position)) is not None:
            if demonym(entity, text[entity.start : entity.end]):
                break  # "minister of ... of the Nepalese government": the title belongs to a body
            if entity.country not in ADVERSARY_COUNTRIES and entity.country != "KP":
                name = f"{title} of {text[entity.start : entity.end]}"
                first = position == match.end()  # the first of a list spans its title; the rest, their country
                found.append(
                    Candidate(
                        name,
                        match.start() if first else entity.start,
                        entity.end,
                        _title_type(title),
                        entity.country,
                        "title",
                        (start, end),
                    )
                )
            glue = _LIST_GLUE.match(text, entity.end, end)
            if glue is None:
                break
            position = glue.end()
    pending: list[Entity] = []  # "the Cambodian, Lao and Libyan diplomatic envoys": one title for the list
    for entity in sorted(by_start.values(), key=lambda e: e.start):
        if not start <= entity.start < end or entity.country == "KP":
            pending = []
            continue
        written = text[entity.start : entity.end]
        if not demonym(entity, written):
            pending = []
            continue
        titled = _DEMONYM_TITLE.match(text, entity.end, end)
        if titled is None:
            glue = _LIST_GLUE.match(text, entity.end, end)
            following = by_start.get(glue.end()) if glue else None
            pending = [*pending, entity] if following is not None else []
            continue
        if not _NAME_AFTER.match(text, titled.end(), end):  # "Ugandan President Yoweri Museveni" is the person
            title = " ".join(titled.group("title").split())
            for listed in (*pending, entity):
                if listed.country in ADVERSARY_COUNTRIES:
                    continue
                name = f"{text[listed.start : listed.end]} {singular(title)}"
                a, b = (listed.start, titled.end()) if listed is entity else (listed.start, listed.end)
                found.append(Candidate(name, a, b, _title_type(name), listed.country, "title", (start, end)))
        pending = []
    for corps in _CORPS.finditer(text, start, end):
        found.append(Candidate(corps.group(), corps.start(), corps.end(), "other", None, "corps", (start, end)))
    return found


def _title_type(title: str) -> str:
    if re.search(r"embass|mission|government|parliament|side|delegation", title, re.IGNORECASE):
        return "government"
    if re.search(r"\bmedia|press", title, re.IGNORECASE):
        return "media"
    return "person"


# "celebration meetings, seminars, film shows and other events in ...", "Colorful events including meetings
# and lectures were held in ...": the first kind of the list names its gatherings (docs/labeling.md).
_KIND_BEFORE = re.compile(
    rf"(?:^|(?<=\s))(?P<kind>(?:[a-z][\w-]*\s+)?(?:{_KINDS}))(?:\s+including|,|,?\s+and)\s+$", re.IGNORECASE
)


def _first_kind(text: str, start: int, kind_start: int, kind: str) -> str:
    """The first kind of gathering in the list that ends with `kind` at kind_start."""
    position = kind_start
    for _ in range(8):
        window = max(start, position - 60)
        before = _KIND_BEFORE.search(text, window, position)
        if before is None:
            break
        kind, position = before.group("kind"), before.start("kind")
    return kind


def list_gatherings(text: str, start: int, end: int, countries: list[Entity]) -> list[Candidate]:
    """One gathering per country of "meetings were held in A, B and C" inside text[start:end]."""
    found: list[Candidate] = []
    if not may_contain(text[start:end].lower(), _KIND_STEMS):
        return found
    by_start = {e.start: e for e in countries if e.country and e.country != "KP"}
    for head in _LIST_HEAD.finditer(text, start, end):
        kind = " ".join(_first_kind(text, start, head.start("kind"), head.group("kind")).split()).lower()
        singular = re.sub(r"(?<=[a-z])(?:ies)$", "y", kind)
        singular = re.sub(r"(?<=[a-z])s$", "", singular) if not singular.endswith("talks") else singular
        position = head.end()
        while (entity := by_start.get(position)) is not None:
            country_text = text[entity.start : entity.end]
            name = f"{singular} in {country_text}"
            found.append(Candidate(name, entity.start, entity.end, "gathering", entity.country, "list", (start, end)))
            glue = _LIST_GLUE.match(text, entity.end, end)
            if glue is None:
                break
            position = glue.end()
    return found


def features(
    text: str,
    candidate: Candidate,
    sentence_index: int,
    cues: list[int],
    ruled: bool,
    role: str,
    mentions: int,
) -> dict[str, float]:
    """What the model reads about one candidate: its type and source, the words around it, where it stands,
    the support cues near it, and whether the cue rules chose it."""
    s_start, s_end = candidate.sentence
    before = text[max(s_start, candidate.start - 60) : candidate.start]
    after = text[candidate.end : min(s_end, candidate.end + 60)]
    f: dict[str, float] = {
        "bias_type:" + candidate.actor_type: 1.0,
        "source:" + candidate.source: 1.0,
        f"source_type:{candidate.source}:{candidate.actor_type}": 1.0,
        "role:" + role: 1.0,
        "ruled": float(ruled),
        "country_known": float(candidate.country is not None),
        "lead_sentence": float(sentence_index == 0),
        "sentence_index": min(sentence_index, 10) / 10.0,
        "at_sentence_start": float(candidate.start - s_start <= 4),
        "apposition_title": float(bool(_APPOSITION_TITLE.match(after))),
        "title_of_before": float(bool(_TITLE_OF_BEFORE.search(before))),
        "protocol": _protocol(text, s_start, s_end),
        "received_from": _received_from(text, s_start, s_end),
        "named_apposition": float(bool(_NAMED_APPOSITION_BEFORE.search(before))),
        "speech_after": float(bool(_SPEECH_AFTER.match(text, candidate.end, s_end))),
        "to_before": float(bool(_TO_BEFORE.search(before))),
        "by_before": float(bool(_BY_BEFORE.search(before))),
        "mentions": min(mentions, 5) / 5.0,
        "words": min(len(candidate.name.split()), 12) / 12.0,
        "korean_name": float(bool(_KOREAN_NAME.match(candidate.name))),
        "korea_in_name": float("Korea" in candidate.name),
        "among_list": float(bool(_AMONG_LIST.match(text, s_start, s_end))),
    }
    for name in _heads(candidate.name):
        f["head:" + name] = 1.0
    in_sentence = [c for c in cues if s_start <= c < s_end]
    f["cues_in_sentence"] = min(len(in_sentence), 3) / 3.0
    if in_sentence:
        after_cues = [c - candidate.end for c in in_sentence if c >= candidate.end]
        before_cues = [candidate.start - c for c in in_sentence if c < candidate.start]
        if after_cues:
            f["cue_after"] = 1.0
            f["cue_after_near"] = float(min(after_cues) <= 150)
        if before_cues:
            f["cue_before"] = 1.0
            f["cue_before_near"] = float(min(before_cues) <= 80)
    for i, word in enumerate(reversed(_WORD.findall(before.lower())[-3:])):
        f[f"b{i + 1}:{word}"] = 1.0
        f["b:" + word] = 1.0
    for i, word in enumerate(_WORD.findall(after.lower())[:3]):
        f[f"a{i + 1}:{word}"] = 1.0
        f["a:" + word] = 1.0
    return f


# "Among them were ...": a list of who did what the sentence before tells (enrich/support.py shares its cue).
_AMONG_LIST = re.compile(r"\s*(?:Among\s+(?:them|those|the\s+\w+)|They\s+included|Included\s+were)\b")


@lru_cache(maxsize=4096)  # names recur across dispatches
def _heads(name: str) -> tuple[str, ...]:
    """The kinds of head word a candidate's name holds."""
    return tuple(head for head, pattern in _HEAD_RE.items() if pattern.search(name))


@lru_cache(maxsize=64)  # one sentence, every candidate in it
def _protocol(text: str, s_start: int, s_end: int) -> float:
    return float(bool(_PROTOCOL.search(text, s_start, s_end)))


_RECEIVED_FROM = re.compile(
    r"\b(?:messages?|letters?|greetings?|congratulations|telegrams?|floral\s+baskets?|gifts?|bouquets?)\b"
    r"[^.;]{0,60}?\bfrom\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=64)
def _received_from(text: str, s_start: int, s_end: int) -> float:
    """ "received a message of greeting from ...": a message from abroad, which "received" does not make protocol."""
    return float(bool(_RECEIVED_FROM.search(text, s_start, s_end)))


def eligible(values: dict[str, float]) -> bool:
    """A name in a sentence of protocol alone (a delegation met, talks held, credentials presented) with no
    support cue is no supporter, whatever the rest of the dispatch says (docs/labeling.md, "The stance set");
    a message, letter or gift received from abroad is no protocol."""
    if not values.get("protocol") or values.get("received_from") or values.get("reply_addressee"):
        return True
    return bool(values.get("cues_in_sentence") or values.get("ruled"))


class ActorModel:
    """A logistic regression over named features, read from JSON."""

    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: {payload.get('format')!r}")
        self.version = str(payload.get("version", ""))
        self.weights: dict[str, float] = {k: float(v) for k, v in payload["weights"].items()}
        self.bias = float(payload["bias"])
        self.threshold = float(payload.get("threshold", 0.5))

    def probability(self, feature_values: dict[str, float]) -> float:
        logit = self.bias + sum(self.weights.get(k, 0.0) * v for k, v in feature_values.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))

    def chosen(self, feature_values: Iterable[dict[str, float]]) -> list[bool]:
        return [eligible(f) and self.probability(f) >= self.threshold for f in feature_values]


@cache
def load_actor_model(path: Path = MODEL_PATH) -> ActorModel | None:
    """The shipped model; None where it is absent (the cue rules alone name the actors then)."""
    if not path.exists():
        return None
    return ActorModel(json.loads(path.read_text(encoding="utf-8")))


__all__ = [
    "FORMAT",
    "MODEL_PATH",
    "ActorModel",
    "Candidate",
    "ADVERSARY_COUNTRIES",
    "apposition_country",
    "attached_country",
    "friendly_countries",
    "span_country",
    "supranational",
    "eligible",
    "features",
    "korean_name",
    "list_gatherings",
    "singular",
    "titled_actors",
    "load_actor_model",
    "shaped_names",
]
