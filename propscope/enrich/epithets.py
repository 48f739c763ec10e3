"""Epithets: the DPRK's fixed formulas of abuse and praise, found as spans with whom they are aimed at.

State media name their enemies with a small, stable vocabulary ("U.S. imperialists", "Japanese
reactionaries", "puppet traitors") and praise with another ("great prosperous powerful socialist nation").
The lexicon (`enrich/data/epithets.json`, versioned, extended with PROPSCOPE_EPITHETS) lists the forms; one
automaton finds them all. A form aimed by context takes the country or person named right before it
("Japanese" + "reactionaries" gives JP, and the span covers both).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import ahocorasick

from propscope.enrich.matcher import build_automaton, fold, scan
from propscope.errors import InputError
from propscope.model import Article, Entity, Epithet

KINDS = ("hostile", "praise", "slogan")
CONTEXT = "context"


@dataclass(frozen=True, slots=True)
class EpithetEntry:
    kind: str
    target: str | None  # an ISO code, CONTEXT, or None
    default_target: str | None
    weight: float


@dataclass(frozen=True, slots=True)
class EpithetLexicon:
    version: str
    forms: dict[str, EpithetEntry]  # folded form -> entry
    automaton: ahocorasick.Automaton

    def weight(self, epithet: Epithet) -> float:
        """The weight of the form an epithet ends in ("Japanese reactionaries" weighs as "reactionaries")."""
        folded = fold(epithet.text).strip()
        for word in re.finditer(r"(?:^| )(?=\S)", folded):
            entry = self.forms.get(folded[word.end() :])
            if entry:
                return entry.weight
        return 1.0


def _entries(data: Any, origin: str) -> dict[str, EpithetEntry]:
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise InputError("an epithet lexicon is a JSON object with a list of entries", origin)
    forms: dict[str, EpithetEntry] = {}
    for number, item in enumerate(data["entries"], 1):
        try:
            kind, target = item["kind"], item.get("target")
            entry = EpithetEntry(kind, target, item.get("default_target"), float(item.get("weight", 1.0)))
            names = [str(form) for form in item["forms"]]
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"entry {number} is malformed ({exc}); see enrich/data/epithets.json", origin) from exc
        if kind not in KINDS:
            raise InputError(f"entry {number} has kind {kind!r}; use one of {', '.join(KINDS)}", origin)
        for form in names:
            key = fold(form).strip()  # not collapsed: "U.S." folds to "u s " in the text too
            if key:
                forms[key] = entry
    return forms


def load_lexicon_file(path: Path) -> tuple[str, dict[str, EpithetEntry]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the epithet lexicon ({exc}); check the file is JSON", str(path)) from exc
    version = str(data.get("version", "user")) if isinstance(data, dict) else "user"
    return version, _entries(data, str(path))


@cache
def load_lexicon(user_file: str | None = None) -> EpithetLexicon:
    """The shipped lexicon, extended by the user's file (Settings.epithets_file, passed from the edge); a
    user's form replaces the shipped one."""
    shipped = resources.files("propscope.enrich") / "data" / "epithets.json"
    with resources.as_file(shipped) as path:
        version, forms = load_lexicon_file(path)
    if user_file:
        user_version, user_forms = load_lexicon_file(Path(user_file))
        forms = {**forms, **user_forms}
        version = f"{version}+{user_version}"
    automaton = build_automaton({f" {form} ": (form, entry) for form, entry in forms.items()})
    return EpithetLexicon(version, forms, automaton)


# Between a country or person and the form aimed at it: at most two lower-case words ("south Korean military
# warmongers", "U.S.-led imperialists", "Lee Myung Bak group of traitors").
_GAP = re.compile(r"(?:['’]s)?[\s-]*(?:[a-z][a-z-]*\s+){0,2}$")
_TARGET_TYPES = ("country", "person", "organization")


def find_epithets(
    text: str, entities: list[Entity], end: int | None = None, lexicon: EpithetLexicon | None = None
) -> list[Epithet]:
    """Every lexicon form in text[:end], leftmost-longest, with its target."""
    lexicon = lexicon or load_lexicon()
    scope = text[:end] if end is not None else text
    padded = f" {fold(scope)} "
    hits: list[tuple[int, int, EpithetEntry]] = []
    for end_index, (form, entry) in scan(lexicon.automaton, padded):
        # The key " form " ends at end_index in the padded text: the form ends at end_index - 1 in the text.
        stop = end_index - 1
        hits.append((stop - len(form), stop, entry))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    chosen: list[tuple[int, int, EpithetEntry]] = []
    last_end = -1
    for hit in hits:
        if hit[0] >= last_end:
            chosen.append(hit)
            last_end = hit[1]
    targets = sorted((e for e in entities if e.type in _TARGET_TYPES and e.country), key=lambda e: e.end)
    found: list[Epithet] = []
    for start, stop, entry in chosen:
        target = entry.target
        if target == CONTEXT:
            before = _named_before(text, start, targets)
            if before is not None and before.country != "KP":
                start, target = before.start, before.country
            else:
                target = entry.default_target
        found.append(Epithet(start, stop, text[start:stop], target, entry.kind))
    return found


def _named_before(text: str, start: int, targets: list[Entity]) -> Entity | None:
    """The country, person or body named just before `start`, with only a short gap between."""
    for entity in reversed(targets):
        if entity.end > start:
            continue
        if start - entity.end > 30:
            return None
        return entity if _GAP.match(text, entity.end, start) else None
    return None


class EpithetStep:
    """Fills `epithets` (requires entities); the stance step weighs them into stance and hostility."""

    name = "epithets"

    def __init__(self, lexicon: EpithetLexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()

    def __call__(self, article: Article) -> Article:
        end = min((f.start for f in article.furniture), default=len(article.text))
        epithets = find_epithets(article.text, article.entities, end, self.lexicon)
        begin = article.dateline.end if article.dateline else 0  # the dateline's place is no epithet
        article.epithets = [e for e in epithets if e.start >= begin or e.end <= article.title_end]
        return article


__all__ = ["EpithetStep", "find_epithets", "load_lexicon"]
