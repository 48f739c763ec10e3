"""Hostility toward each country: the weight of the hostile spans aimed at it, per sentence that names it.

A span is aimed at a country when it is a hostile epithet whose target is that country, or a propaganda
technique span (where that step ran) in a sentence naming the country and no epithet already covers it.
Dividing by the sentences that name the country keeps long and short dispatches comparable: 1.0 means one
hostile span for every sentence about that country. The DPRK itself is left out: its own media praise it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from typing import TYPE_CHECKING

from propscope.model import Article

if TYPE_CHECKING:
    from propscope.enrich.epithets import EpithetLexicon

# How much a technique span adds: name-calling is hostile by definition; loaded words, fear and doubt
# mostly are in this genre, though also used in praise; the rest are argument forms, not abuse.
TECHNIQUE_WEIGHTS: dict[str, float] = {
    "Name_Calling,Labeling": 1.0,
    "Loaded_Language": 0.5,
    "Appeal_to_fear-prejudice": 0.5,
    "Doubt": 0.5,
    "Exaggeration,Minimisation": 0.25,
    "Bandwagon,Reductio_ad_hitlerum": 0.5,
    "Whataboutism,Straw_Men,Red_Herring": 0.25,
    "Black-and-White_Fallacy": 0.25,
    "Causal_Oversimplification": 0.25,
}
_SENTENCE_END = re.compile(r"[.!?][\"”’']?(?=\s)|\n")


def sentences(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = begin
    for match in _SENTENCE_END.finditer(text, begin, end):
        if match.end() > start:
            out.append((start, match.end()))
        start = match.end()
    if start < end:
        out.append((start, end))
    return out


def hostility_by_country(article: Article, lexicon: EpithetLexicon) -> dict[str, float]:
    """ISO code -> hostility score, for every country that has at least one hostile span aimed at it."""
    hostile = [e for e in article.epithets if e.kind == "hostile"]
    scored = [t for t in article.techniques if TECHNIQUE_WEIGHTS.get(t.technique)]
    if not hostile and not scored:
        return {}  # most dispatches: nothing to count, no sentences to split
    weight: dict[str, float] = defaultdict(float)
    for epithet in hostile:
        if epithet.target_country and epithet.target_country != "KP":
            weight[epithet.target_country] += lexicon.weight(epithet)
    end = min((f.start for f in article.furniture), default=len(article.text))
    starts = [start for start, _ in sentences(article.text, article.title_start, end)]
    naming: dict[int, set[str]] = defaultdict(set)  # sentence index -> countries it names
    for entity in article.entities:
        if entity.type == "country" and entity.country and entity.country != "KP" and entity.start < end:
            naming[bisect_right(starts, entity.start) - 1].add(entity.country)
    named: dict[str, int] = defaultdict(int)  # country -> sentences naming it
    for codes in naming.values():
        for code in codes:
            named[code] += 1
    for technique in scored:
        if any(e.start < technique.end and technique.start < e.end for e in hostile):
            continue  # an epithet already counted it
        added = TECHNIQUE_WEIGHTS[technique.technique] * technique.score
        for code in naming.get(bisect_right(starts, technique.start) - 1, ()):
            weight[code] += added
    return {code: round(total / max(1, named.get(code, 0)), 4) for code, total in sorted(weight.items()) if total > 0}


__all__ = ["TECHNIQUE_WEIGHTS", "hostility_by_country", "sentences"]
