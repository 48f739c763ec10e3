"""Organisations the gazetteer does not know, found by the shape of their names.

KCNA names hundreds of small foreign bodies once or twice ("Nicaraguan Group for the Study of the Juche
Idea", "National Part-time Professors Union"): no list keeps up with them, but their names end in a head
word (Party, Association, Committee, ...) after capitalised words, optionally with an "of ..." tail.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Capitalised words (with the small words names carry) ending in an organisation's head word, then an
# optional "of/for/in ..." tail of capitalised words.
_TAIL_WORD = r"(?:[A-Z](?:\.[A-Z])+\.?|[A-Z][\w'’-]*|\d+)"  # "U.S.", "Juche", "15"
_ORG_NAME = re.compile(
    r"\b(?:[A-Z][\w'’.-]*\s+(?:(?:of|for|the|and|on|in|de|del|la|y)\s+)*){0,9}?"
    r"(?:Party|Association|Committee|Group|Society|Institute|Union|Federation|Council|Front|Movement|League|"
    r"Organi[sz]ation|Cent(?:re|er)|Club|Circle|Forum|Foundation|Government|Ministry|Parliament|Assembly|"
    r"Congress|Alliance|Coalition|Network|Academy|Partido|Asociaci[oó]n|Comit[eé]|Grupo|Sociedad|Instituto|"
    r"Uni[oó]n|Federaci[oó]n|Frente|Movimiento|Centro|Gobierno)\b"
    # Up to three tails: "... Group for the Study of the Juche Idea", "Comite Central del Partido del Trabajo".
    r"(?:\s+(?:of|for|in|on|de|del|para)\s+(?:the\s+|la\s+|el\s+)?"
    + _TAIL_WORD
    + r"(?:\s+(?:the\s+|and\s+|y\s+)?"
    + _TAIL_WORD
    + r"){0,5}){0,3}"
)
# Cheap test on the lower-cased text before the costly pattern runs at all.
_ORG_HEADS = re.compile(
    r"party|association|committee|group|society|institute|union|federation|council|front|movement|league|"
    r"organi[sz]ation|cent(?:re|er)|club|circle|forum|foundation|government|ministry|parliament|assembly|"
    r"congress|alliance|coalition|network|academy|partido|asociaci|comit|grupo|sociedad|instituto|federaci|"
    r"frente|movimiento|centro|gobierno"
)
# Words a name may not begin with: a sentence's first word, or the people of a body rather than the body
# ("Officials of the National Professors Union", "Chairman of the Peruvian Front").
_NOT_A_NAME_START = re.compile(
    r"^(?:(?:The|A|An|El|La|Los|Las|In|At|On|By|From|With|To|And|Or|But|As|When|While|After|Before|This|That|"
    r"These|Those|It|He|She|They|We|Its|His|Her|Their|Our|Also|Meanwhile|Present|Speakers?|Participants|"
    r"Officials?|Members?|Chairm[ae]n|Chairwom[ae]n|Chairpersons?|Heads?|Leaders?|Secretar(?:y|ies)|"
    r"General|Presidents?|Vice|Spokes(?:man|woman|person)|Representatives?|Delegations?|Directors?|"
    r"Ambassadors?|Minister|Premier|Comrade|Dear|Respected|Great|Scientists|Researchers|Workers|Teachers|"
    r"Students|Employees|Staff|Embrace|Era|Leadership|Guidance|Line|Policy|Banner|Cause|Idea)\s+(?:(?:of|the|and|de|del|la)\s+)*)+"
)
# A name of one capitalised word and its head ("Central Committee", "Preparatory Committee") is a part of
# a body named elsewhere, not a body: keep names of three or more words, or two with a proper first word.
_GENERIC_FIRST = re.compile(
    r"^(?:Central|Preparatory|Organizing|Organising|Standing|Executive|National|International|Political|"
    r"Military|Joint|Special|Permanent|Steering|Supreme|Working|Youth|World|State|Local|Provincial|City|"
    r"Party|Juche|Study|Friendship|Solidarity|Foreign|Democratic|Socialist|People's|Workers'|Labour|Labor|"
    r"Trade|Research|Students?|Human)\s"
)


# Spanish puts the head first ("Comite Central del Partido del Trabajo"): a head word just before a found
# name belongs to it.
_SPANISH_HEAD_BEFORE = re.compile(
    r"\b(?:Comit[eé]|Partido|Asociaci[oó]n|Grupo|Sociedad|Instituto|Uni[oó]n|Federaci[oó]n|Frente|Movimiento|"
    r"Centro)\s+$"
)


@dataclass(frozen=True, slots=True)
class OrganizationMention:
    start: int
    end: int
    name: str
    confidence: float


def find_pattern_organizations(shaped: str, begin: int = 0) -> Iterator[OrganizationMention]:
    """Names of bodies in `shaped` (the text, title-cased where it was all capitals) from `begin` on."""
    if not _ORG_HEADS.search(shaped.lower(), begin):
        return
    for match in _ORG_NAME.finditer(shaped, begin):
        raw = match.group(0).rstrip()
        lead = _NOT_A_NAME_START.match(raw)
        name = raw[lead.end() :] if lead else raw
        words = name.split()
        if len(words) < 2 or (len(words) == 2 and _GENERIC_FIRST.match(name)):
            continue
        end = match.start() + len(raw)
        start = end - len(name)
        head = _SPANISH_HEAD_BEFORE.search(shaped, max(0, start - 16), start)
        if head:
            start = head.start()
            name = shaped[start:end]
            words = name.split()
        # Longer names are rarer by chance: a five-word name ending in "Association" is surely a body.
        yield OrganizationMention(start, end, name, min(0.9, 0.55 + 0.08 * len(words)))


__all__ = ["OrganizationMention", "find_pattern_organizations"]
