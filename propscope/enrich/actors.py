"""Who an actor in a support claim is: foreign, a compatriot, or an adversary, and the body it counts as.

KCNA's support claims name three kinds of actor beside the same words. Foreigners (parties, groups, media,
governments of countries other than the two Koreas) are what "support abroad" means. Compatriots (south
Koreans, Chongryon and other Koreans abroad) are the DPRK's own nation in its telling, counted apart. And
adversaries (the U.S., south Korean and Japanese governments, leaders, forces, conservative parties) stand
beside support words as what is opposed ("the Park Geun Hye group's support for ..."): never supporters.
The gazetteer marks known names (`role`), the shape of a name does the rest.

Counting wants one row per body: an organ counts as its party ("Central Committee of the Communist Party of
China", "CPC Central Committee" and "CPC" are one actor, the Communist Party of China). The gazetteer's
`parent` says so for known organs, the organ's name shape for the others.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from propscope.enrich.matcher import fold
from propscope.gazetteer import Gazetteer

FOREIGN, COMPATRIOT, ADVERSARY = "foreign", "compatriot", "adversary"
_ADVERSARY_COUNTRIES = frozenset({"US", "KR", "JP"})

# Koreans abroad and south Koreans, named as such.
_COMPATRIOT_NAME = re.compile(
    r"\b(?:Chongryon|Chongnyon|Chosen Soren|Korean Residents?|Koreans?\s+(?:in|residing|resident|living)\b|"
    r"overseas\s+Koreans?|Koreans?\s+abroad|compatriots?|Pomminryon|Hanchongryon|Korean[- ]Americans?|"
    r"ethnic\s+Koreans?|Korean\s+Nationality|Korean\s+nationality|south\s+Korean|S\.\s*Korean|South\s+Korean|"
    r"(?:Con)?federation\s+of\s+Koreans|(?:Association|Union|League)\s+of\s+Koreans|"
    r"Coreanos?\s+(?:residentes|en)|surcoreano\w*|Anti-Imperialist\s+National\s+Democratic\s+Front|"
    r"National\s+Democratic\s+Front\s+of\s+South\s+Korea|AINDF|NDFSK)",
    re.IGNORECASE,
)


def compatriot_name(name: str) -> bool:
    """Whether a name is one of Koreans abroad or south Koreans ("Korean Nationality Federation in China",
    "General Association of Koreans in China"): compatriots, never foreign, never the DPRK's own bodies."""
    return bool(_COMPATRIOT_NAME.search(name))


# What the U.S., south Korean and Japanese state and its rulers are called.
_ADVERSARY_NAME = re.compile(
    r"\b(?:government|authorities|ministry|minister|administration|forces|army|navy|air\s+force|military|"
    r"Pentagon|White\s+House|Congress|Senate|Diet|puppets?|regime|group|clique|conservative\w*|"
    r"National\s+Party|Saenuri|Liberty\s+Korea|People\s+Power|Liberal\s+Democratic|Cabinet|president|"
    r"Chongwadae|Blue\s+House|command|prosecut\w*|police|intelligence|embassy|consulate|"
    r"gobierno|autoridades|ej[eé]rcito|t[ií]teres?)\b",
    re.IGNORECASE,
)
# The office before a person's name ("U.S. President Trump", "Japanese Prime Minister Abe").
_OFFICE_BEFORE = re.compile(
    r"\b(?:president|prime\s+minister|premier|secretary|minister|ambassador|envoy|general|commander|"
    r"official|spokes(?:man|woman|person)|senator|congress(?:man|woman)|lawmaker|governor|chief|emperor|"
    r"chairman\s+of\s+the\s+(?:ruling|conservative))\s+(?:[A-Z][\w.'-]*\s+){0,2}$",
    re.IGNORECASE,
)
# An organ of a party or body: the body it belongs to follows "of" or precedes "Central Committee".
_ORGAN_OF = re.compile(
    r"^(?:the\s+)?(?:(?:Presidium\s+of\s+the\s+)?Political\s+Bureau|Politburo|Presidium|Secretariat|"
    r"(?:Central|National|Standing|Executive|Political)(?:\s+(?:Executive|Standing|Political|Control))?"
    r"\s+(?:Committee|Council|Board)|International(?:\s+Liaison)?\s+Department|"
    r"(?:Central\s+)?Committee)\s+of\s+(?:the\s+)?(?P<body>.+)$",
    re.IGNORECASE,
)
_ORGAN_TAIL = re.compile(
    r"^(?:the\s+)?(?P<body>.+?)\s+(?:Central|National|Executive|Standing)\s+(?:Executive\s+)?Committee$", re.I
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|el|la|los|las)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Known:
    canonical: str
    role: str | None
    parent: str | None


class Actors:
    """Roles and canonical bodies, from the gazetteer's names (canonical names and aliases alike)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.known: dict[str, Known] = {}
        # "the Bush administration", "Trump": an adversary leader named by surname alone.
        self.adversary_surnames: set[str] = set()
        for name in gazetteer.names:
            if name.type in ("person", "organization", "outlet"):
                entry = Known(name.canonical, name.role, name.parent)
                for alias in (name.canonical, *name.aliases):
                    self.known.setdefault(fold(alias).strip(), entry)
                    if name.type == "person" and name.role == ADVERSARY and len(alias.split()) > 1:
                        self.adversary_surnames.add(fold(alias.split()[-1]).strip())

    def lookup(self, name: str) -> Known | None:
        return self.known.get(fold(_LEADING_ARTICLE.sub("", name.strip())).strip())

    def canonical(self, name: str, depth: int = 0) -> str:
        """The body an actor counts as: a known name's parent or canonical form; an organ's party."""
        name = _LEADING_ARTICLE.sub("", name.strip())
        known = self.lookup(name)
        if known is not None:
            return known.parent or known.canonical
        if depth < 3:
            organ = _ORGAN_OF.match(name) or _ORGAN_TAIL.match(name)
            if organ:
                return self.canonical(organ.group("body"), depth + 1)
        return name

    def role(self, name: str, country: str | None, actor_type: str, before: str) -> str:
        """foreign, compatriot or adversary; `before` is the text just before the actor (an office there
        makes a U.S., south Korean or Japanese person an adversary)."""
        name = re.sub(r"['’]s$", "", name.strip())  # "UN Security Council's" is the Council
        known = self.lookup(name)
        if known is None and (organ := _ORGAN_OF.match(_LEADING_ARTICLE.sub("", name.strip()))):
            known = self.lookup(organ.group("body"))  # an organ has its body's role
        if known is not None and known.role:
            return known.role
        if known is None and fold(name.strip()).strip() in self.adversary_surnames:
            return ADVERSARY
        compatriot = bool(_COMPATRIOT_NAME.search(name)) or country == "KR"
        if country in _ADVERSARY_COUNTRIES or compatriot:
            if _ADVERSARY_NAME.search(name) and not _civic(name):
                return ADVERSARY
            if actor_type == "person" and _OFFICE_BEFORE.search(before):
                return ADVERSARY
            if actor_type == "government":
                return ADVERSARY
        return COMPATRIOT if compatriot else FOREIGN


# "South Korean Federation of University Student Councils", "Korean Residents' Union": civic bodies whose
# names hold a state word by accident ("Solidarity group", "People's Solidarity").
_CIVIC = re.compile(
    r"\b(?:students?|youth|women|workers?|trade\s+unions?|labou?r|farmers?|peasants?|civic|citizens?|"
    r"religious|Christians?|Buddhists?|Catholic|solidarity|alliance|federation|association|union|"
    r"movement|council|league|front|headquarters)\b",
    re.IGNORECASE,
)


def _civic(name: str) -> bool:
    return bool(_CIVIC.search(name)) and not re.search(r"\b(?:puppet|conservative|government|ministry)", name, re.I)


__all__ = ["ADVERSARY", "COMPATRIOT", "FOREIGN", "Actors", "Known", "compatriot_name"]
