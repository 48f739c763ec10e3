"""A word-list pattern tried only where one of its words can begin: the same matches, far fewer attempts.

The stance step's words of attack are a pattern `\\b(?:aggress\\w*|imperialis\\w*|...|scum)` of about a
hundred alternatives; the regex engine tries every alternative at every word of every sentence naming a
country. Each alternative begins with a few fixed letters (read from the compiled pattern's own parse, so
the list cannot drift from the pattern): one Aho-Corasick pass finds the word starts where such letters
stand, and the pattern is tried there only, in order, resuming after each match as `finditer` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

try:  # the regex module's own parser (Python 3.11+); without it every pattern keeps its plain search
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - a Python whose re is laid out otherwise
    sre = _parser = None

from propscope.enrich.matcher import build_automaton, fold, scan

_LONGEST = 4  # letters of an alternative's start looked for: enough to be rare, few keys
_FOLDED_AWAY = re.compile(r"[^\w ]|_")  # what matcher.fold makes a space: letters past it are not looked for
_MOST = 4000  # more starts than this (a class of letters multiplied out) and the plain search is kept


def word_prefixes(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The fixed letters every match of `\\b(?:alternatives)` begins with, one set entry per alternative (up to
    _LONGEST letters); None where the pattern is not of that shape, or an alternative starts with no letter
    or digit, or with a capital (the word starts are found on lower-cased text)."""
    if _parser is None or pattern.flags & (re.IGNORECASE | re.LOCALE) or not isinstance(pattern.pattern, str):
        return None
    try:
        parsed = list(_parser.parse(pattern.pattern, pattern.flags))
        if not parsed or parsed[0] != (sre.AT, sre.AT_BOUNDARY):
            return None
        found = _prefixes(parsed[1:], _LONGEST)
    except Exception:  # noqa: BLE001 - a parse tree of another shape: the plain search is always right
        return None
    if found is None:
        return None
    stems = frozenset(_FOLDED_AWAY.split(prefix, 1)[0] for prefix, _ in found)  # "pre-" is looked for as "pre"
    if not stems or len(stems) > _MOST or any(not stem[:1].isalnum() or stem != stem.lower() for stem in stems):
        return None
    return stems


def _prefixes(ops: list[Any], room: int) -> list[tuple[str, bool]] | None:
    """(letters, whether more may follow) for each way through `ops`, up to `room` letters."""
    out: list[tuple[str, bool]] = [("", True)]
    for op, av in ops:
        following: list[tuple[str, bool]] = []
        for prefix, open_ in out:
            if not open_ or len(prefix) >= room:
                following.append((prefix, False))
            elif op is sre.LITERAL:
                following.append((prefix + chr(av), True))
            elif op is sre.IN and av and all(kind is sre.LITERAL for kind, _ in av):
                following.extend((prefix + chr(code), True) for _, code in av)
            elif op is sre.BRANCH:
                for branch in av[1]:
                    inner = _prefixes(list(branch), room - len(prefix))
                    if inner is None:
                        return None
                    following.extend((prefix + letters, more) for letters, more in inner)
            elif op is sre.SUBPATTERN and not av[1] and not av[2]:  # a group without inline flags
                inner = _prefixes(list(av[3]), room - len(prefix))
                if inner is None:
                    return None
                following.extend((prefix + letters, more) for letters, more in inner)
            else:
                following.append((prefix, False))
        out = list(dict.fromkeys(following))
        if len(out) > _MOST:
            return None
    return out


class WordStartPattern:
    """`pattern`, searched only at the word starts where one of its alternatives' first letters stand; where
    the pattern's shape allows no such list, its own search."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        stems = word_prefixes(pattern)
        self.automaton = None if stems is None else build_automaton({f" {stem}": len(stem) for stem in stems})

    def starts(self, text: str, spaced: str | None = None) -> list[int]:
        """Where a match may begin: after a character that is no letter or digit (or at the start), where an
        alternative's first letters follow (the pattern itself still tests the word boundary). `spaced`, where
        given, is " " + fold(text): several patterns searched in one text fold it once."""
        assert self.automaton is not None
        return sorted({end - length for end, length in scan(self.automaton, spaced or " " + fold(text))})

    def finditer(self, text: str, spaced: str | None = None) -> Iterator[re.Match[str]]:
        """What `pattern.finditer(text)` yields (`spaced`: see starts)."""
        if self.automaton is None:
            yield from self.pattern.finditer(text)
            return
        resume = 0
        for start in self.starts(text, spaced):
            if start < resume:
                continue
            match = self.pattern.match(text, start)
            if match is not None:
                resume = match.end()
                yield match

    def search(self, text: str, spaced: str | None = None) -> re.Match[str] | None:
        """What `pattern.search(text)` finds (`spaced`: see starts)."""
        return next(self.finditer(text, spaced), None)


__all__ = ["WordStartPattern", "word_prefixes"]
