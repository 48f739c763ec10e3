"""Entities: gazetteer names first (exact, normalised), then people found by pattern, then the article's
countries and persons lists derived from them (rules in docs/labeling.md)."""

from __future__ import annotations

import re
from functools import cache

import ahocorasick

from propscope.enrich.matcher import Hit, NameMatcher, build_automaton, is_all_caps, scan, select_longest
from propscope.enrich.organizations import find_pattern_organizations
from propscope.enrich.persons import find_pattern_persons, is_thing_name
from propscope.gazetteer import Gazetteer, load_gazetteer
from propscope.model import Article, Entity


@cache
def matcher_for(gazetteer: Gazetteer) -> NameMatcher:
    return NameMatcher(gazetteer)


class EntityStep:
    """Fills `entities`, `countries` and `persons`."""

    name = "entities"

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or load_gazetteer()
        self.matcher = matcher_for(self.gazetteer)
        self.named_after_country = named_after_country(self.gazetteer, self.matcher)
        self.surnames = known_surnames(self.gazetteer)

    def __call__(self, article: Article) -> Article:
        text = article.text
        end = min((f.start for f in article.furniture), default=len(text))
        scope = text[:end]
        caps = is_all_caps(scope)
        hits = self.matcher.all_hits(scope, caps)
        chosen = [h for h in select_longest(hits) if not _person_in_thing(h, scope)]
        entities = [Entity(h.start, h.end, h.name.type, h.name.canonical, h.name.country) for h in chosen]
        taken = bytearray(len(scope))  # 1 where a name was already found: later finds may not overlap
        for h in chosen:
            _claim(taken, h.start, h.end)
        # The wire copy of the 1990s is all capitals: patterns need the capitalisation of names back.
        shaped = _title_case_words(scope) if caps else scope
        entities.extend(_pattern_organizations(shaped, article.body_start, entities, taken))
        entities.extend(self._pattern_persons(shaped, article.body_start, caps, taken))
        entities.extend(self._bare_surnames(scope, taken))
        entities.sort(key=lambda e: (e.start, e.end))
        entities = _resolve_surnames(entities)
        article.entities = entities
        # The agency in the dateline ("(KCNA)") is not a reference to a country.
        d = article.dateline
        in_text = [h for h in chosen if d is None or not (d.start <= h.start and h.end <= d.end)]
        article.countries = sorted(_countries(in_text, hits, self.named_after_country))
        article.persons = sorted({e.canonical for e in entities if e.type == "person"})
        return article

    def _bare_surnames(self, scope: str, taken: bytearray) -> list[Entity]:
        """ "the Bush administration", "the Abe group", "Lee's clique": a known person by surname alone."""
        found: list[Entity] = []
        for end_index, surname in scan(self.surnames, scope):
            start, end = end_index - len(surname) + 1, end_index + 1
            if (start > 0 and scope[start - 1].isalnum()) or not _SURNAME_CONTEXT.match(scope, end):
                continue
            if not _claim(taken, start, end):
                continue
            found.append(Entity(start, end, "person", surname, None, 0.6, "pattern"))
        return found

    def _pattern_persons(self, shaped: str, body_start: int, caps: bool, taken: bytearray) -> list[Entity]:
        found: list[Entity] = []
        for mention in find_pattern_persons(shaped, body_start, caps):
            if not _claim(taken, mention.start, mention.end):
                continue
            found.append(
                Entity(mention.start, mention.end, "person", mention.canonical, None, mention.confidence, "pattern")
            )
        return found


def _pattern_organizations(shaped: str, begin: int, known: list[Entity], taken: bytearray) -> list[Entity]:
    """Bodies by name shape. One may hold a known country or place ("Nicaraguan Group for the Study of the
    Juche Idea"), which gives its country, but not overlap a known person or body."""
    found: list[Entity] = []
    for mention in find_pattern_organizations(shaped, begin):
        inside = [e for e in known if e.start < mention.end and mention.start < e.end]
        if any(e.type not in ("country", "place") or e.start < mention.start or e.end > mention.end for e in inside):
            continue
        if 1 in taken[mention.start : mention.end] and not inside:
            continue
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
        country = next((e.country for e in inside if e.country), None)
        found.append(
            Entity(mention.start, mention.end, "organization", mention.name, country, mention.confidence, "pattern")
        )
    return found


def _claim(taken: bytearray, start: int, end: int) -> bool:
    """Mark [start, end) as found unless part of it already is."""
    if 1 in taken[start:end]:
        return False
    taken[start:end] = b"\x01" * (end - start)
    return True


def _person_in_thing(hit: Hit, text: str) -> bool:
    return hit.name.type == "person" and is_thing_name(text, hit.end)


# Known surnames are found by an automaton; this says whether the words after one make it a person.
_SURNAME_CONTEXT = re.compile(
    r"(?:\s+(?:administration|group|regime|government|clique|cabinet|camp|team|junta|gang|era|"
    r"doctrine|ring|puppets?|faction|line)\b|['’]s\s)"
)


@cache
def known_surnames(gazetteer: Gazetteer) -> ahocorasick.Automaton:
    """Surnames of known foreign politicians (and South Korea's presidents, whose surname comes first) in
    the contexts where KCNA names a person by surname alone."""
    surnames: set[str] = set()
    for name in gazetteer.names:
        words = name.canonical.split()
        if name.type != "person" or len(words) < 2 or name.country == "KP":
            continue
        surname = words[0] if name.country == "KR" else words[-1]
        if len(surname) >= 3 and surname[0].isupper() and surname.isalpha():
            surnames.add(surname)
    return build_automaton({surname: surname for surname in surnames})


@cache
def named_after_country(gazetteer: Gazetteer, matcher: NameMatcher) -> frozenset[str]:
    """Bodies whose full name names their country ("Korean People's Army"): even written "KPA" they
    refer to it (docs/labeling.md)."""
    found = set()
    for name in gazetteer.names:
        if name.type in ("organization", "outlet") and name.country:
            hits = matcher.all_hits(name.canonical, all_caps=False)
            if any(h.name.type == "country" and h.name.country == name.country for h in hits):
                found.add(name.canonical)
    return frozenset(found)


def _countries(chosen: list[Hit], hits: list[Hit], named_after: frozenset[str]) -> set[str]:
    """Countries named directly, and those named inside the name of a body or place of a country
    ("Korea-Mexico Friendship Association", "Mexico City", "KPA"), but not the dateline's place alone."""
    codes = {h.name.country for h in chosen if h.name.type == "country" and h.name.country}
    for outer in chosen:
        if outer.name.country and outer.name.canonical in named_after:
            codes.add(outer.name.country)
        if outer.name.type in ("organization", "outlet", "place") and outer.name.country:
            codes.update(
                h.name.country
                for h in hits
                if h.name.type == "country" and h.name.country and outer.start <= h.start and h.end <= outer.end
            )
    return codes


def _resolve_surnames(entities: list[Entity]) -> list[Entity]:
    """A bare surname ("President Bush") takes the full name written elsewhere in the same text."""
    full = [e.canonical for e in entities if e.type == "person" and " " in e.canonical]
    out: list[Entity] = []
    for entity in entities:
        if entity.type == "person" and " " not in entity.canonical:
            longer = [
                name for name in full if name.split()[-1] == entity.canonical or name.split()[0] == entity.canonical
            ]
            if longer:
                entity = Entity(
                    entity.start,
                    entity.end,
                    "person",
                    max(longer, key=len),
                    entity.country,
                    entity.confidence,
                    entity.source,
                )
        out.append(entity)
    return out


def _title_case_words(text: str) -> str:
    """'KIM YONG NAM SAID' -> 'Kim Yong Nam Said', keeping every offset (str.title runs in C; where a
    character would change length, the word-by-word path keeps offsets)."""
    titled = text.title()
    if len(titled) == len(text):
        return titled
    return _WORD.sub(lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(), text)


_WORD = re.compile(r"[^\W\d_]+")


__all__ = ["EntityStep"]
