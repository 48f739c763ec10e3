"""A word-list pattern tried only at the word starts where one of its alternatives can begin must find what
the pattern's own finditer and search find, on hostile text and on the stance step's real lexicons."""

from __future__ import annotations

import random
import re

import pytest

from propscope.enrich import stance
from propscope.enrich.matcher import fold
from propscope.enrich.word_starts import WordStartPattern, word_prefixes

_TRICKY = re.compile(r"\b(?:pre-?emptive|war\s+(?:drills?|games?)|t[ií]teres?|kill(?:ed|ing)?|(x)y+|gang\b|ab|abc\w*)")


def _same(pattern: re.Pattern[str], text: str) -> None:
    fast = WordStartPattern(pattern)
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)], text
    expected = pattern.search(text)
    found = fast.search(text)
    assert (found.span() if found else None) == (expected.span() if expected else None), text
    spaced = " " + fold(text)  # the fold a caller shares among several patterns
    assert [m.span() for m in fast.finditer(text, spaced)] == [m.span() for m in pattern.finditer(text)], text
    found = fast.search(text, spaced)
    assert (found.span() if found else None) == (expected.span() if expected else None), text


@pytest.mark.parametrize("pattern", [_TRICKY, stance._ATTACK, stance._OPPOSE, stance._FRIENDLY])
def test_word_starts_find_what_finditer_finds_on_hostile_text(pattern: re.Pattern[str]) -> None:
    assert WordStartPattern(pattern).automaton is not None  # the fast path is the one under test
    pieces = [
        "pre-emptive",
        "preemptive",
        "war  drills",
        "war\ngames",
        "títeres",
        "titere",
        "killed",
        "killing",
        "xyy",
        "xy",
        "gangs",
        "gang",
        "abc",
        "ab",
        "abd",
        "_ab",
        "-ab",
        "(ab",
        "“ab",
        "aab",
        "ab_",
        "2ab",
        "é",
        "imperialists",
        "the u.s. imperialists'",
        "puppet",
        "anti-dprk",
        "against",
        "warm wishes",
        "good  wishes",
        "government.",
        "governmental",
        " ",
        " ",
        ".",
        ",",
        "\n",
        "k",
        "s",
    ]
    rng = random.Random(3)
    for _ in range(3000):
        _same(pattern, "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12))))


def test_word_starts_find_what_finditer_finds_in_real_sentences() -> None:
    text = (
        "The U.S. imperialists and their puppets staged war drills, a pre-emptive attack plan (an aggression). "
        "He denounced-the warmongers' \"hostile policy\"; the_puppet regime's sanctions—a crime. Títeres! "
        "Kim Jong Un sent warm greetings and best wishes, stressing friendship and cooperation against the U.S."
    ).lower()
    for pattern in (stance._ATTACK, stance._OPPOSE, stance._FRIENDLY):
        _same(pattern, text)
        for start in range(0, len(text), 7):
            _same(pattern, text[start:])


def test_patterns_of_another_shape_keep_their_own_search() -> None:
    for pattern in (
        re.compile(r"\b(?:ab|cd)", re.IGNORECASE),  # word starts are found on lower-cased text
        re.compile(r"(?:ab|cd)"),  # no word boundary first
        re.compile(r"\b(?:Ab|cd)"),  # a capital
        re.compile(r"\b(?:ab|\w+)"),  # an alternative with no fixed letters
        re.compile(r"\b(?:ab|-cd)"),  # one that starts with no letter
    ):
        assert word_prefixes(pattern) is None
        _same(pattern, "ab cd Ab xx -cd")
