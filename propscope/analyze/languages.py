"""English and Spanish versions of the same dispatch, linked.

From 2007 KCNA put out many dispatches in both languages on the same day, with different titles and the
Spanish often abridged, and no link between them. What survives translation are the names (people, bodies,
places, which the gazetteer normalises across languages), the countries and the numbers. Each dispatch is
reduced to those features; within a window of days, features are weighted by how rare they are among that
window's dispatches (the day's date is in every one of them), and a Spanish dispatch is linked to the English
one it is most similar to, one to one, when the similarity clears a threshold.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from propscope.model import Article

# Chosen before the labelled sample existed, by reading the best match of each of 56 Spanish dispatches of
# twelve days of April 2010: translations scored 0.2 to 0.67, wrong best matches 0.04 to 0.18. The labelled
# sample (tests/devset/LANGUAGE_LINKS.md) measures it.
THRESHOLD = 0.2
WINDOW_DAYS = 1  # the translation may come out the day before or after
_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# Capitalised words: a sentence's first word ("The", "El") is one too, but common words weigh little and never
# match across the languages; excluding them by look-behind cost more than the rest of the linking.
_PROPER = re.compile(r"\b[A-Z][a-z]{3,}")


@dataclass(frozen=True, slots=True)
class LinkDoc:
    id: int
    date: str  # YYYY-MM-DD
    lang: str  # en or es
    features: frozenset[str]


@dataclass(frozen=True, slots=True)
class Link:
    es_id: int
    en_id: int
    score: float


def features(text: str, entity_names: Iterable[tuple[str, str]]) -> frozenset[str]:
    """Names (type:canonical), numbers and capitalised words a translation keeps."""
    found = {f"{kind}:{name.lower()}" for kind, name in entity_names}
    for match in _NUMBER.finditer(text):
        number = match.group(0).replace(",", "").replace(".", "")
        if number.strip("0"):
            found.add(f"n:{number.lstrip('0')}")
    found.update(f"w:{word.lower()}" for word in _PROPER.findall(text))
    return frozenset(found)


def features_of(article: Article) -> frozenset[str]:
    begin = article.dateline.end if article.dateline else article.body_start
    names = [(e.type, e.canonical) for e in article.entities if e.type != "place" or e.canonical != "Pyongyang"]
    return features(article.text[begin:], names)


def link(docs: Sequence[LinkDoc], threshold: float = THRESHOLD) -> list[Link]:
    """One-to-one links between the Spanish and English documents given (those of a window of days)."""
    english = [d for d in docs if d.lang == "en"]
    spanish = [d for d in docs if d.lang == "es"]
    if not english or not spanish:
        return []
    frequency = Counter(f for d in docs for f in d.features)
    idf = {f: math.log((1 + len(docs)) / (1 + n)) + 1.0 for f, n in frequency.items()}
    norms = {d.id: math.sqrt(sum(idf[f] ** 2 for f in d.features)) or 1.0 for d in docs}
    day = {d.id: day_number(d.date) for d in docs}
    scored: list[tuple[float, int, int]] = []
    for es in spanish:
        for en in english:
            if abs(day[es.id] - day[en.id]) > WINDOW_DAYS:
                continue
            shared = es.features & en.features
            if not shared:
                continue
            score = sum(idf[f] ** 2 for f in shared) / (norms[es.id] * norms[en.id])
            if score >= threshold:
                scored.append((score, es.id, en.id))
    links: list[Link] = []
    used_es: set[int] = set()
    used_en: set[int] = set()
    for score, es_id, en_id in sorted(scored, reverse=True):
        if es_id in used_es or en_id in used_en:
            continue
        used_es.add(es_id)
        used_en.add(en_id)
        links.append(Link(es_id, en_id, round(score, 4)))
    return links


def link_by_windows(docs: Iterable[LinkDoc], threshold: float = THRESHOLD) -> list[Link]:
    """Links over a stream of documents sorted by date: each day with its neighbours."""
    by_day: dict[int, list[LinkDoc]] = {}
    for doc in docs:
        by_day.setdefault(day_number(doc.date), []).append(doc)
    links: dict[int, Link] = {}
    taken_en: dict[int, Link] = {}
    for day in sorted(by_day):
        spanish = [d for d in by_day[day] if d.lang == "es"]
        if not spanish:
            continue
        pool = [d for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1) for d in by_day.get(day + offset, ())]
        pool = [d for d in pool if d.lang == "en" or day_number(d.date) == day]
        for found in link(pool, threshold):
            rival = taken_en.get(found.en_id)
            if rival is not None and rival.score >= found.score:
                continue  # that English dispatch went to a better Spanish match of a neighbouring day
            if rival is not None:
                links.pop(rival.es_id, None)
            links[found.es_id] = found
            taken_en[found.en_id] = found
    return sorted(links.values(), key=lambda x: x.es_id)


def day_number(date: str) -> int:
    """Days since year 1 of an ISO date (windows of days are ranges of these); 0 for one that is not a date."""
    try:
        return dt.date.fromisoformat(date[:10]).toordinal()
    except ValueError:
        return 0


def day_date(number: int) -> str:
    return dt.date.fromordinal(max(1, number)).isoformat()


__all__ = [
    "THRESHOLD",
    "Link",
    "LinkDoc",
    "day_date",
    "day_number",
    "features",
    "features_of",
    "link",
    "link_by_windows",
]
