"""Support events: who abroad (or among the compatriots) is claimed to support the DPRK, how, where and when.

KCNA reports such claims nearly every day ("The tenth seminar of world political parties ... held in Mexico
City last March issued a joint statement calling for positive support to ..."). A sentence that carries a
support cue is searched for its foreign actor: a gazetteer body or person not of the DPRK, a named
organisation or party found by the shape of its name, or a gathering ("seminar ... held in Mexico City").
The action comes from the kind of gathering or text, the place and date from the same sentence. Each actor
then gets its role (enrich/actors.py): foreign and compatriot actors are events, adversaries never are, and
neither is the recipient of a message the DPRK sends.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

import ahocorasick

from propscope.enrich.actors import ADVERSARY, COMPATRIOT, FOREIGN, Actors, compatriot_name
from propscope.enrich.matcher import build_automaton, scan
from propscope.enrich.support_actors import (
    ADVERSARY_COUNTRIES,
    ActorModel,
    Candidate,
    apposition_country,
    attached_country,
    features,
    friendly_countries,
    korean_name,
    list_gatherings,
    no_actor,
    shaped_names,
    span_country,
    supranational,
    titled_actors,
)
from propscope.enrich.support_model import SupportModel
from propscope.model import Article, Entity, SupportEvent
from propscope.parse.relative_dates import resolve_relative_dates

_SUPPORT_CUE = re.compile(
    r"\b(support(?:s|ed|ing)?|solidarity|prais(?:e|es|ed|ing)|hail(?:s|ed|ing)?|extoll?(?:s|ed|ing)?|"
    r"admir(?:e|es|ed|ation)|congratulat\w*|greetings|tribute|laud(?:s|ed)?|applaud\w*|acclaim\w*|"
    r"eulogi[sz]\w*|favou?r\s+of|sympathy|wish(?:ed|es)\s+|celebrat\w*|commemorat\w*|exploits|feats|"
    r"carried|featured|ran\s+an?|aired|posted|observe[sd]?|(?:re)?publish\w*|reprint\w*|bulletins?|"
    r"presented|gifts?|floral\s+baskets?|bouquets?|"
    r"apoyo|apoya\w*|solidaridad|elogi\w*|salud\w*|felicit\w*|respald\w*|obsequi\w*|regal\w*)\b"
)  # matched on lower-cased text: re.IGNORECASE is several times slower
# Condemning the DPRK's adversaries in its favour is support too ("demanded the U.S. stop the war drills"),
# but the same verbs aimed at the DPRK are the opposite: the words after the verb decide.
_CONDEMN_CUE = re.compile(
    r"\b(demand(?:s|ed|ing)?|urg(?:e|es|ed|ing)|accus(?:e|es|ed|ing)|denounc\w*|condemn\w*|slam(?:s|med)?|"
    r"flail\w*|censur\w*|blast(?:s|ed)?|protest\w*|reject\w*|call(?:s|ed|ing)?\s+for|"
    r"den[uú]nci\w*|conden\w*|exig\w*|rechaz\w*)\b"
)
# Only Korea's adversaries count: a foreign president demanding U.S. troops leave his own country is not
# speaking for the DPRK.
_ADVERSARY = re.compile(
    r"\b(puppet\w*|south korea\w*|s\.\s?korea\w*|korea\w*|seoul|security\s+law|imperialis\w*|warmonger\w*|"
    r"war\s+(?:drills?|games?|maneuvers?|exercises?)|joint\s+military|hostile\s+policy|japanese\s+reactionar\w*|"
    r"t[ií]teres?|surcoreano\w*|imperialist\w*)"
)
_DPRK_OBJECT = re.compile(r"\b(dprk|north korea\w*|pyongyang|kim jong|kim il|rpdc|corea del norte)")
_GATHERING_KINDS = (
    r"seminars?|symposi(?:um|a)|conferences?|forums?|rall(?:y|ies)|meetings?|gatherings?|festivals?|exhibitions?|"
    r"photo\s+exhibitions?|film\s+shows?|lectures?|receptions?|round-?table|talks|seminario|simposio|conferencia|"
    r"mitin|acto|reuni[oó]n|exposici[oó]n"
)
_GATHERING = re.compile(
    rf"\b(?:(?:an?|the)\s+)?(?P<name>(?:[\w'’-]+\s+){{0,10}}?(?P<kind>{_GATHERING_KINDS})"
    r"(?:\s+(?:of|on|for|by|de|sobre)\s+(?:[\w'’-]+\s+){0,8}?)?)\s*(?=(?:was|were|took\s+place|opened|fue|se)?\s*"
    r"(?:held|hosted|organi[sz]ed|celebrad|realizad|efectuad|took\s+place|opened|in\s+[A-Z]))",
    re.IGNORECASE,
)
# A gathering's match and what its lookahead reads are words and spaces only ([\w'’-] and \s): each lies in
# one run of such characters holding a kind of gathering, so only those runs are searched (see _gatherings).
_GATHERING_KIND = re.compile(_GATHERING_KINDS, re.IGNORECASE)
_NOT_IN_RUN = re.compile(r"[^\w'’\s-]")


# "The Lao newspaper Pasason said in an article", "the Nepalese paper Arpan featured ...".
_MEDIA = re.compile(
    r"\b(?:news)?(?:papers?|daily|weekly|magazine|journal|website|web\s+site|radio|TV|television|news\s+agency|"
    r"peri[oó]dico|diario|revista|semanario)\s+(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z0-9][\w'’.-]*){0,3})"
)
# Where a cue may start: an automaton of the cues' first letters, each after a space or line end, finds
# candidates at word starts of the lower-cased text in one C pass, and the cue's pattern is tried only there
# (scanning each pattern over every text cost more than the rest of the step).
_CUE_STEMS = build_automaton(
    {
        before + stem: stem
        for stem in (
            "support solidarity prais hail extol admir congratulat greetings tribute laud applaud acclaim eulogi "
            "favo sympathy wish celebrat commemorat exploits feats carried featured ran aired posted observe "
            "publish republish reprint bulletin presented gift floral bouquet apoy solidaridad elogi salud felicit "
            "respald obsequi regal"
        ).split()
        for before in " \n"
    }
)
_CONDEMN_STEMS = build_automaton(
    {
        before + stem: stem
        for stem in (
            "demand urg accus denounc condemn slam flail censur blast protest reject call den conden exig rechaz"
        ).split()
        for before in " \n"
    }
)
_MEDIA_STEMS = build_automaton(
    {
        before + stem: stem
        for stem in "paper newspaper daily weekly magazine journal website web radio tv television news peri diario "
        "revista semanario".split()
        for before in " \n"
    }
)
_MEDIA_ACT = re.compile(
    _MEDIA.pattern + r"[\s\w.,]{0,40}?\s(?P<act>said|carried|featured|published|ran|wrote|introduced|posted|"
    r"aired|dedicated|released|devoted|printed|put\s+out|inform[oó]|public[oó]|dijo|se[nñ]al[oó])\b"
)
# Cheap test on the lower-cased sentence before the costly gathering pattern runs at all.
_GATHERING_HEADS = re.compile(
    r"seminar|symposi|conference|forum|rall|meeting|gathering|festival|exhibition|film show|lecture|reception|"
    r"round|talks|seminario|simposio|conferencia|mitin|acto|reuni|exposici"
)
_ACTIONS = (
    ("seminar", r"seminar|symposi|conference|forum|round-?table|seminario|simposio|conferencia"),
    ("rally", r"rall(?:y|ies)|mitin|demonstrat|march(?:ed)?\s+(?:in|through)"),
    ("meeting", r"meeting|gathering|reuni[oó]n|acto\b|reception|lecture|film\s+show|festival"),
    ("statement", r"statement|declaration|resolution|appeal|communiqu|declaraci|comunicado|said|stressed|noted"),
    ("letter", r"letter|message|telegram|carta|mensaje"),
    ("greetings", r"greeting|congratulat|felicit|saludo|floral\s+basket|birthday"),
    (
        "publication",
        r"article|newspaper|magazine|journal|book|website|web\s+site|carried|published|broadcast|"
        r"television|radio|bulletin|peri[oó]dico|revista|publica|art[ií]culo",
    ),
    ("gift", r"\bgift|present(?:ed)?\s+(?:a|an)|donat|regalo|obsequio"),
    ("visit", r"visit|toured|visita"),
)
_ACTION_RE = [(action, re.compile(pattern, re.IGNORECASE)) for action, pattern in _ACTIONS]
# The same patterns (all lower case) without re.IGNORECASE, tried on a lower-cased ASCII sentence: there they
# match the same (no character folds to an ASCII letter only under IGNORECASE), and several times faster.
_ACTION_LOWER = [(action, re.compile(pattern)) for action, pattern in _ACTIONS]
# `[.!?](?=\s)|\n`, opening with one set of characters so the regex engine scans for it in C (see
# enrich/hostility.py).
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?=\s))")
_FOREIGN_TYPES = ("organization", "person", "outlet")
_GROUP_HEADS = re.compile(r"study|studies|juche|kimilsungism|kimjongilism|friendship|solidarity|estudio", re.I)
_PARTY_HEAD = re.compile(r"\b(party|partido)\b", re.I)
_MEDIA_HEAD = re.compile(r"\b(news|times|post|daily|journal|newspaper|radio|television|tv|agency|press)\b", re.I)
_GOVERNMENT_HEAD = re.compile(r"\b(government|ministry|gobierno|parliament|president)\b", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|el|la|los|las)\s+", re.I)
# "Korea-China Friendship Association" is the DPRK side of a friendship; the foreign side is "China-Korea ...".
_DPRK_SIDE = re.compile(r"(?:Korea|Korean|DPRK)[-–](?!\s)", re.I)
_GATHERING_VERB = re.compile(
    r"\b(?:held|hosted|organi[sz]ed|staged|opened|sponsored|arranged|convened|had|has|have|was|were|is|are|"
    r"took\s+part\s+in|attended|participated\s+in|celebr[oó]|realiz[oó]|efectu[oó])\b",
    re.IGNORECASE,
)
_AMONG = re.compile(
    r"(?:Among\s+(?:them|those|the\s+(?:senders|participants|attendants|guests|donors|signatories))|"
    r"They\s+included|Included\s+were)\s+(?:were|are|was|is)?\b"
)
_LEADING_CONJUNCTION = re.compile(r"^(?:and|or|y|e)\s+", re.I)


@dataclass(frozen=True, slots=True)
class _Actor:
    name: str
    start: int
    end: int
    actor_type: str
    country: str | None


class SupportStep:
    """Fills `support_events`, `foreign_support` and `compatriot_support` (requires entities)."""

    name = "support"

    def __init__(
        self, actors: Actors, model: SupportModel | None = None, actor_model: ActorModel | None = None
    ) -> None:
        self.actors = actors
        self.model = model
        self.actor_model = actor_model

    def __call__(self, article: Article) -> Article:
        events, cues = self.rule_events(article)
        # The support model's thresholds were chosen on whether the cue rules found an actor of the role.
        ruled_foreign = any(e.role == FOREIGN for e in events)
        ruled_compatriot = any(e.role == COMPATRIOT for e in events)
        english = (article.lang or "en").startswith("en")
        # The model decides whether the dispatch claims support; the rules and the actor model name who. An
        # actor found in a dispatch the model reads as no such claim is dropped with it, so where the model
        # reads no foreign claim the candidates (the step's costliest part) are never looked for.
        decided = self.model is not None and english
        claims_foreign = claims_compatriot = False
        if self.model is not None and decided:
            claims_foreign = self.model.decide("foreign_support", article.text, ruled_foreign)
            claims_compatriot = self.model.decide("compatriot_support", article.text, ruled_compatriot)
        if self.actor_model is not None and english and (claims_foreign if decided else True):
            # The cue rules name the actor beside a cue; the actor model chooses the foreign supporters among
            # every foreign name of the body (the rules' choice is one of its features). Compatriots stay
            # with the rules.
            candidates = self.candidates(article, cues, events)
            chosen = self.actor_model.chosen(f for _, _, f in candidates)
            events = [e for e in events if e.role != FOREIGN]
            seen = {e.canonical.lower() for e in events}
            for (candidate, canonical, _), keep in zip(candidates, chosen, strict=True):
                if not keep or canonical.lower() in seen:
                    continue
                seen.add(canonical.lower())
                events.append(self._candidate_event(article, candidate, canonical))
            events.sort(key=lambda e: e.start)
        foreign = any(e.role == FOREIGN for e in events)
        compatriot = any(e.role == COMPATRIOT for e in events)
        if decided:
            foreign, compatriot = claims_foreign, claims_compatriot
            events = [e for e in events if (foreign if e.role == FOREIGN else compatriot)]
        article.support_events = events
        article.foreign_support = foreign
        article.compatriot_support = compatriot
        return article

    def _candidate_event(self, article: Article, candidate: Candidate, canonical: str) -> SupportEvent:
        s_start, s_end = candidate.sentence
        entities = [e for e in article.entities if s_start <= e.start and e.end <= s_end]
        actor = _Actor(candidate.name, candidate.start, candidate.end, candidate.actor_type, candidate.country)
        return self._event(article, actor, FOREIGN, canonical, s_start, s_end, entities)

    def candidates(
        self, article: Article, cues: list[int], ruled: list[SupportEvent]
    ) -> list[tuple[Candidate, str, dict[str, float]]]:
        """Every foreign name of the body that may be a supporter, with its canonical body and its features for
        the actor model."""
        text = article.text
        d = article.dateline
        begin = d.end if d else article.body_start
        stop = min((f.start for f in article.furniture), default=len(text))
        ruled_spans = {(e.start, e.end) for e in ruled if e.role == FOREIGN}
        # Where the whole dispatch names one foreign country only, a name of no known country belongs to it.
        foreign_countries = friendly_countries(article.entities)
        sole_country = next(iter(foreign_countries)) if len(foreign_countries) == 1 else None
        found: list[tuple[Candidate, int, str, bool]] = []
        for index, (s_start, s_end) in enumerate(_sentences(text, begin, stop)):
            entities = [e for e in article.entities if s_start <= e.start and e.end <= s_end]
            countries = [e for e in entities if e.type == "country"]
            sentence: list[Candidate] = []
            for actor in _actors(text, s_start, s_end, entities, unknown=True):
                source = actor.actor_type if actor.actor_type in ("gathering", "media") else "entity"
                country = actor.country
                if country is None and actor.actor_type == "person":
                    country = apposition_country(text, actor.end, s_end, entities)
                sentence.append(
                    Candidate(actor.name, actor.start, actor.end, actor.actor_type, country, source, (s_start, s_end))
                )
            for shaped in shaped_names(text, s_start, s_end, entities):
                # A name by shape adds to the entities where it is longer than any it overlaps ("Omar Lopez
                # Perez" for the gazetteer's "Omar Lopez"), and keeps their country where it has none.
                overlapping = [c for c in sentence if c.start < shaped.end and shaped.start < c.end]
                if all(
                    shaped.start <= c.start and c.end <= shaped.end and c.end - c.start < shaped.end - shaped.start
                    for c in overlapping
                ):
                    country = shaped.country or next((c.country for c in overlapping if c.country), None)
                    sentence = [c for c in sentence if c not in overlapping] + [replace(shaped, country=country)]
            listed = list_gatherings(text, s_start, s_end, countries)
            # "A seminar on the Juche idea was held in Peru": one gathering, named as its list form ("seminar in
            # Peru") gives it, with its country.
            sentence = [
                c
                for c in sentence
                if c.actor_type != "gathering"
                or not any(g.country == c.country and 0 <= g.start - c.end <= 60 for g in listed)
            ]
            sentence.extend(listed)
            for titled in titled_actors(text, s_start, s_end, countries):
                # A title names an actor where no other name covers it ("the speaker of the Congress of Peru" is
                # the Congress's; "Bashar Al-Assad, president of the Syrian Arab Republic" is Assad).
                covered = any(c.start < titled.end and titled.start < c.end for c in sentence if c.source != "list")
                if not covered and not any(_apposed(text, c, titled) for c in sentence):
                    sentence.append(titled)
            for candidate in sentence:
                if candidate.actor_type == "person" and korean_name(candidate.name):
                    continue  # a DPRK official or a compatriot, never a foreign supporter
                if no_actor(candidate):
                    continue
                if (
                    candidate.actor_type != "gathering"
                    and supranational(candidate.name)
                    and _country_in(candidate.start, candidate.end, countries) is None
                ):
                    candidate = replace(candidate, country=None)  # wherever it sits, it is no one country's
                elif candidate.country is None and sole_country is not None and candidate.source != "corps":
                    candidate = replace(candidate, country=sole_country)
                before = text[max(s_start, candidate.start - 60) : candidate.start]
                role = self.actors.role(candidate.name, candidate.country, candidate.actor_type, before)
                if role != FOREIGN:
                    continue
                addressed = _addressed(text, s_start, _Actor(candidate.name, candidate.start, candidate.end, "", None))
                reply = addressed and bool(_REPLY.search(text, s_start, candidate.start))
                if addressed and not reply:
                    continue  # the recipient of a message the DPRK sends, as the rules hold it
                found.append((candidate, index, role, reply))
        canonicals = [self.actors.canonical(candidate.name) for candidate, *_ in found]
        counts = Counter(canonical.lower() for canonical in canonicals)
        scored = []
        for rank, ((candidate, index, role, reply), canonical) in enumerate(zip(found, canonicals, strict=True)):
            values = features(
                text,
                candidate,
                index,
                cues,
                (candidate.start, candidate.end) in ruled_spans,
                role,
                counts[canonical.lower()],
            )
            values["rank"] = min(rank, 10) / 10.0  # the first names of a claim are its main actors
            values["candidates"] = min(len(found), 20) / 20.0
            values["ruled_any"] = float(bool(ruled_spans))
            if reply:
                values["reply_addressee"] = 1.0
            scored.append((candidate, canonical, values))
        return scored

    def rule_events(self, article: Article) -> tuple[list[SupportEvent], list[int]]:
        """The actors beside a support cue, and where the cues start."""
        text = article.text
        d = article.dateline
        begin = d.end if d else article.body_start
        stop = min((f.start for f in article.furniture), default=len(text))
        events: list[SupportEvent] = []
        seen: set[str] = set()  # one event per actor name and article
        # Cues first, over the whole text at once (most sentences have none), then each cue's sentence.
        sentences: dict[tuple[int, int], list[int]] = {}
        lowered = text.lower()
        spaced = " " + lowered[begin:stop]  # the cue automata find word starts after a space or line end
        for cue in _cues(_CUE_STEMS, _SUPPORT_CUE, spaced, lowered, begin, stop):
            sentences.setdefault(_sentence_around(text, cue.start(), begin, stop), []).append(cue.start())
        for cue in _cues(_CONDEMN_STEMS, _CONDEMN_CUE, spaced, lowered, begin, stop):
            if _condemns_adversary(lowered, cue.end()):
                sentences.setdefault(_sentence_around(text, cue.start(), begin, stop), []).append(cue.start())
        # A foreign leader's speech that KCNA carries in full ("Following is the speech of ...") is its claim of
        # support: the lead names the speaker.
        if article.genre == "speech" and begin < stop:
            lead = _sentence_around(text, begin, begin, stop)
            sentences.setdefault(lead, []).append(lead[1] - 1)
        # A foreign paper that "carried" or "said in an article" is KCNA's claim of support in itself.
        for act in _cues(_MEDIA_STEMS, _MEDIA_ACT, spaced, text, begin, stop):
            sentences.setdefault(_sentence_around(text, act.start(), begin, stop), []).append(act.start("act"))
        # "... received messages of greeting. Among them were A, B and C": a list that names who did what the
        # sentence before says, whose cue it shares.
        listed: set[tuple[int, int]] = set()
        for opener in _AMONG.finditer(text, begin, stop):
            here = _sentence_around(text, opener.start(), begin, stop)
            if here[0] != opener.start() or here[0] - 2 < begin:
                continue
            previous = _sentence_around(text, here[0] - 2, begin, stop)
            if previous in sentences and previous != here:
                sentences.setdefault(here, []).append(here[0])
                listed.add(here)
        for (s_start, s_end), cues in sentences.items():
            entities = [e for e in article.entities if s_start <= e.start and e.end <= s_end]
            for actor in _actors(text, s_start, s_end, entities):
                voiced = (s_start, s_end) in listed or any(_voices_support(text, actor, cue) for cue in cues)
                if not voiced or _addressed(text, s_start, actor):
                    continue
                before = text[max(s_start, actor.start - 60) : actor.start]
                role = self.actors.role(actor.name, actor.country, actor.actor_type, before)
                if role == ADVERSARY:
                    continue
                canonical = self.actors.canonical(actor.name)
                if canonical.lower() in seen:
                    continue
                seen.add(canonical.lower())
                events.append(self._event(article, actor, role, canonical, s_start, s_end, entities))
        cue_starts = sorted(c for cues in sentences.values() for c in cues)
        return events, cue_starts

    def _event(
        self,
        article: Article,
        actor: _Actor,
        role: str,
        canonical: str,
        s_start: int,
        s_end: int,
        entities: list[Entity],
    ) -> SupportEvent:
        action, date = _sentence_facts(article.text, s_start, s_end, article.date)
        places = [e for e in entities if e.type == "place" and e.canonical != "Pyongyang"]
        place = places[0].canonical if places else None
        # A place in the DPRK tells where a foreigner acted, not whose the foreigner is.
        country = actor.country or next((p.country for p in places if p.country and p.country != "KP"), None)
        return SupportEvent(
            actor=actor.name,
            actor_type=actor.actor_type,
            country=country,
            action=action,
            place=place,
            date=date,
            start=actor.start,
            end=actor.end,
            role=role,
            canonical=canonical,
        )


@lru_cache(maxsize=64)
def _sentence_facts(text: str, s_start: int, s_end: int, dispatch_date: str | None) -> tuple[str, str | None]:
    """A sentence's action and first resolved date, worked out once for all the actors it names."""
    sentence = text[s_start:s_end]
    if sentence.isascii():
        lowered = sentence.lower()
        action = next((a for a, pattern in _ACTION_LOWER if pattern.search(lowered)), "other")
    else:
        action = next((a for a, pattern in _ACTION_RE if pattern.search(sentence)), "other")
    dates = resolve_relative_dates(text, s_start, s_end, dispatch_date)
    return action, dates[0].date if dates else None


def _cues(
    stems: ahocorasick.Automaton, pattern: re.Pattern[str], spaced: str, text: str, begin: int, stop: int
) -> Iterator[re.Match[str]]:
    """Matches of `pattern` (tried on `text`) where one of `stems` starts a word; `spaced` is text[begin:stop]
    lower-cased, after one space."""
    last_end = begin
    for end_index, stem in scan(stems, spaced):
        start = begin + end_index - len(stem)  # the key's leading space stands for the text's begin - 1
        if start < last_end:
            continue
        match = pattern.match(text, start, stop)
        if match:
            last_end = match.end()
            yield match


def _condemns_adversary(lowered: str, after: int) -> bool:
    """The verb's object is an adversary of the DPRK named before the DPRK itself is."""
    window = lowered[after : after + 80]
    adversary = _ADVERSARY.search(window)
    dprk = _DPRK_OBJECT.search(window)
    return adversary is not None and (dprk is None or adversary.start() < dprk.start())


_INITIAL = re.compile(r"(?<![\w.])[A-Z]\.$")


def _sentences(text: str, begin: int, stop: int) -> list[tuple[int, int]]:
    """The body's sentences, cut where `_sentence_around` cuts them."""
    found: list[tuple[int, int]] = []
    start = begin
    for end in _SENTENCE_END.finditer(text, begin, stop):
        if _INITIAL.search(text, max(begin, end.start() - 3), end.end()):
            continue  # "N. Bold": an initial, not a sentence end
        if text[start : end.end()].strip():
            found.append((start, end.end()))
        start = end.end() + 1 if end.group() != "\n" else end.end()
    if text[start:stop].strip():
        found.append((start, stop))
    return found


def _sentence_around(text: str, position: int, begin: int, stop: int) -> tuple[int, int]:
    """The sentence holding `position`: from after the last sentence end before it to the next one."""
    start = begin
    for terminator in (". ", "! ", "? ", ".\n", "\n"):
        found = text.rfind(terminator, begin, position)
        if found != -1:
            start = max(start, found + len(terminator))
    after = _SENTENCE_END.search(text, position, stop)
    return start, (after.end() if after else stop)


def _actors(text: str, start: int, end: int, entities: list[Entity], unknown: bool = False) -> list[_Actor]:
    """Foreign actors of one sentence: gazetteer bodies and people first, then names by shape, then
    gatherings; a later find inside an earlier one is dropped. `unknown` keeps names of no known country."""
    found: list[_Actor] = []

    def add(actor: _Actor) -> None:
        # Foreign means a known foreign country: a name with none (or the DPRK's) is no foreign actor.
        if not actor.name or actor.country == "KP" or _DPRK_SIDE.match(actor.name):
            return
        if actor.country is None and not unknown:
            return
        if any(e.country == "KP" and e.start < actor.end and actor.start < e.end for e in known):
            return
        if any(a.start <= actor.start and actor.end <= a.end for a in found):
            return
        found[:] = [a for a in found if not (actor.start <= a.start and a.end <= actor.end)]
        found.append(actor)

    countries = [e for e in entities if e.type == "country"]
    # "Korean Nationality Federation in China": a body of Koreans abroad that the entities give the DPRK is
    # the compatriots' of the country it names (enrich/actors.py gives it its role).
    abroad = {
        id(e): _country_in(e.start, e.end, countries)
        for e in entities
        if e.country == "KP" and e.type == "organization" and compatriot_name(text[e.start : e.end])
    }
    known = [e for e in entities if e.type in _FOREIGN_TYPES and id(e) not in abroad]
    # Where a sentence names one foreign country only, a body or person found by shape belongs to it.
    foreign = friendly_countries(countries)
    sole_country = next(iter(foreign)) if len(foreign) == 1 else None
    friendly = [e for e in countries if e.country not in ADVERSARY_COUNTRIES]
    # A person's country may follow in a body's name ("Alberto Moreno, general secretary of the C.C., Communist
    # Party of Peru"); a body's, only in a country's.
    friendly_bodies = [e for e in entities if e.type in _FOREIGN_TYPES and e.country not in ADVERSARY_COUNTRIES]
    for entity in entities:
        if entity.type not in _FOREIGN_TYPES or (entity.country == "KP" and id(entity) not in abroad):
            continue
        country = abroad.get(id(entity), entity.country)
        if country is None and entity.source == "pattern":
            # A name found by its shape has no country: "Nepali President Ram Baran Yadav" gives NP.
            country = (
                span_country(entity.start, entity.end, entities)  # "People's Socialist Party of Mexico"
                or (apposition_country(text, entity.end, end, entities) if entity.type == "person" else None)
                or _country_in(entity.start - 40, entity.start, countries)
                or attached_country(text, entity.end, countries)  # "... Union of south Korea"
                or _country_in(
                    entity.end, entity.end + 60, friendly + friendly_bodies if entity.type == "person" else friendly
                )
                or sole_country
            )
        kind = "media" if entity.type == "outlet" else _org_type(entity.canonical, entity.type)
        written = text[entity.start : entity.end]  # as the text gives it; the canonical body comes later
        add(_Actor(written, entity.start, entity.end, kind, country))
    for match in _MEDIA.finditer(text, start, end):
        country = _country_in(match.start() - 30, match.start("name"), countries)  # "The Lao newspaper ..."
        name = _LEADING_ARTICLE.sub("", match.group("name"))
        add(_Actor(name, match.end("name") - len(name), match.end("name"), "media", country))
    sentence = text[start:end].lower()
    places = [e for e in entities if e.type == "place" and e.country]
    gatherings = _gatherings(text, start, end) if _GATHERING_HEADS.search(sentence) else ()
    for match in gatherings:
        name_end = match.start("name") + len(match.group("name").rstrip())
        name = _LEADING_ARTICLE.sub("", _LEADING_CONJUNCTION.sub("", match.group("name").strip()))
        acted = list(_GATHERING_VERB.finditer(name))
        if acted:  # "Chongryon held a meeting": the body that held it is the actor, found above
            name = _LEADING_ARTICLE.sub("", name[acted[-1].end() :].strip())
            if len(name.split()) <= 2:
                continue
        if any(
            name_end - len(name) <= a.start and a.end <= name_end and a.actor_type not in ("person", "media")
            for a in found
        ):
            continue  # "a meeting of the Nepal-Korea Friendship Association": the body that held it acts
        country = _country_in(match.start(), match.end() + 40, countries) or _place_country(match.end(), places)
        add(_Actor(name, name_end - len(name), name_end, "gathering", country))
    return sorted(found, key=lambda a: a.start)


@lru_cache(maxsize=64)  # the cue rules and the candidates read the same sentence: the costliest pattern, once
def _gatherings(text: str, start: int, end: int) -> tuple[re.Match[str], ...]:
    """What `_GATHERING.finditer(text, start, end)` finds, searched only in the runs of words and spaces that
    hold a kind of gathering: the pattern tries ten words ahead at every word, so scanning the rest of a long
    sentence cost more than the support step's other patterns together."""
    return tuple(_gathering_runs(text, start, end))


def _gathering_runs(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    resume = start
    for kind in _GATHERING_KIND.finditer(text, start, end):
        if kind.start() < resume:
            continue
        run_start = kind.start()
        while run_start > resume and _in_run(text[run_start - 1]):
            run_start -= 1
        stop = _NOT_IN_RUN.search(text, kind.end(), end)
        run_end = stop.start() if stop else end
        yield from _GATHERING.finditer(text, _reach(text, run_start, kind.start()), run_end)
        resume = run_end


# A gathering's match holds at most 11 words before its kind ("the" and {0,10} more), and the run's first kind
# is the first one of the run (see _gathering_runs); a match can start no earlier than this many words before it.
_WORDS_BEFORE_KIND = 11 + 2  # two to spare
_CHUNK = re.compile(r"\S+")


def _reach(text: str, run_start: int, kind_start: int) -> int:
    r"""Where in a run a gathering's match can start at the earliest: every word of a run is one of the pattern's
    [\w'’-]+ (and a match may start inside one), so the words further back than a match can hold before its
    kind are never searched (each word start cost a try of ten words ahead)."""
    words = [match.start() for match in _CHUNK.finditer(text, run_start, kind_start)]
    return words[-_WORDS_BEFORE_KIND] if len(words) > _WORDS_BEFORE_KIND else run_start


def _in_run(char: str) -> bool:
    return char.isalnum() or char in "_'’-" or char.isspace()


# "supported by X", "greetings from X", "X's support": the actor is who supports. An actor named after the
# cue without such a word is mostly its object ("... support ... denounced Park Geun Hye").
_BY_WORDS = re.compile(
    r"\b(?:by|from|of|among|por|de)\s+(?:the\s+|la\s+|el\s+)?(?:[A-Z][\w.-]*\s+){0,3}$"  # "from Nepali President"
)


# KCNA's words for enemies: an actor named with them is denounced, never a supporter.
_HOSTILE = re.compile(
    r"\b(traitors?|traitorous|puppets?|group|regime|clique|gang|dictator\w*|warmongers?|villains?|lackeys?|"
    r"stooges?|reactionar\w*|fascist\w*|sycophant\w*|confrontation\w*|anti-DPRK|traidor\w*|t[ií]tere\w*|"
    r"camarilla|pandilla)\b",
    re.IGNORECASE,
)


_SUBJECT_REACH = 150
# "Kim Jong Un sent a message of greeting to Xi Jinping, general secretary of the Central Committee of the
# CPC": whoever a message is sent to is its recipient, not a supporter, unless named as its sender ("a
# floral basket sent to Kim Jong Il by the Central Committee of ...").
_SENT_TO = re.compile(
    r"\b(?:sent|sends|send|addressed|dispatched|conveyed|forwarded|extended|envi[oó]|dirigi[oó])\b[^.;]*?"
    r"\b(?P<to>to|a)\s+(?:the\s+)?(?:[\w'’.,-]+\s+){0,14}$",
    re.IGNORECASE,
)
_SENT_BY = re.compile(r"\b(?:by|from|por)\s+(?:the\s+|la\s+|el\s+)?(?:[A-Z][\w.-]*\s+){0,3}$")
# "sent to Kim Jong Un by the Cambodian, Lao and Libyan envoys": a sender named after the recipient, however
# far into a list.
_BY_AFTER_RECIPIENT = re.compile(r"\b(?:by|from|por)\b")


def _addressed(text: str, s_start: int, actor: _Actor) -> bool:
    before = text[max(s_start, actor.start - 200) : actor.start]
    sent = _SENT_TO.search(before)
    if sent is None or _SENT_BY.search(before[-60:]):
        return False
    return not _BY_AFTER_RECIPIENT.search(before, sent.end("to"))


def _voices_support(text: str, actor: _Actor, cue_start: int) -> bool:
    around = text[max(0, actor.start - 30) : actor.end + 25]
    if _HOSTILE.search(around):
        return False
    if _BY_WORDS.search(text[max(0, actor.start - 50) : actor.start]):
        return True
    # The actor is the subject: named before the cue, close enough to be the one who acts.
    return actor.start < cue_start and cue_start - actor.end <= _SUBJECT_REACH


@lru_cache(maxsize=4096)  # the same bodies recur in dispatch after dispatch
def _org_type(name: str, entity_type: str) -> str:
    if entity_type == "person":
        return "person"
    if _PARTY_HEAD.search(name):
        return "party"
    if _GROUP_HEADS.search(name):
        return "group"
    if _GOVERNMENT_HEAD.search(name):
        return "government"
    if _MEDIA_HEAD.search(name):
        return "media"
    return "organization"


def _place_country(after: int, places: list[Entity]) -> str | None:
    """Where a gathering was held: the first place named within 80 characters after it."""
    for entity in places:
        if after <= entity.start < after + 80 and entity.country != "KP":
            return entity.country
    return None


# "Kim Jong Un sent a reply message to Thongloun Sisoulith ...": a reply thanks its addressee for greetings
# he sent first, so the addressee of a reply is a supporter (docs/labeling.md, "Acts that are and are not
# support").
_REPLY = re.compile(r"\b(?:reply|replies|answer(?:ing)?)\b", re.IGNORECASE)
_APPOSED = re.compile(r",\s+(?:the\s+)?")


def _apposed(text: str, named: Candidate, titled: Candidate) -> bool:
    """ "Bashar Al-Assad, president of the Syrian Arab Republic", "Thongloun Sisoulith, general secretary of ...
    and president of the Lao People's Democratic Republic": a title in a named person's apposition is his."""
    if named.actor_type != "person" or named.source == "title" or named.end > titled.start:
        return False
    between = text[named.end : titled.start]
    return bool(_APPOSED.match(between)) and len(between) <= 160 and not _APPOSITION_ENDS.search(between)


_APPOSITION_ENDS = re.compile(r"[;:()]|,\s+and\b|\band\s+the\b|\b(?:said|sent|received|met|and\s+(?:his|her))\b")


def _country_in(start: int, end: int, countries: list[Entity]) -> str | None:
    """The first non-DPRK country named inside (or right after) a found name."""
    for entity in countries:
        if start <= entity.start < end and entity.country and entity.country != "KP":
            return entity.country
    return None
