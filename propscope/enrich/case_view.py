"""A case-normalised view of a dispatch written in capitals (kcna.co.jp's 1997-1999 wires: "SECRETARY KIM JONG IL
... ON MONDAY INSPECTED UNIT 212 ..."), so the sentence rules, written for KCNA's ordinary case, read it too.

The view has exactly the text's length and each character stays at its offset (only its case changes), so every
span the rules find in the view is an offset into the input. Lower case throughout, with capitals restored where
the rules look for them: sentence starts, Korean personal names (surname and given syllables), the honorific
before a name, months and weekdays, and KCNA's usual acronyms.
"""

from __future__ import annotations

import re

from propscope.enrich.persons import _SYLLABLE, KOREAN_SURNAMES

_MIN_LETTERS = 40  # a short all-capitals title or slogan is no shouted body
_UPPER_SHARE = 0.9
_OPENING = 400  # characters of the body read first

# surnames that are also common English words ("AN", "SO", "NO ONE") would make names of ordinary words
_ENGLISH_SURNAMES = frozenset({"o", "u", "no", "an", "so", "son", "ma", "ho", "do", "to"})
_SURNAME_SET = frozenset(s.lower() for s in (*KOREAN_SURNAMES, "Ro", "Sok", "Tae", "Yon", "Kye", "Phyo", "Jo", "Ryo"))
_SURNAME_SET = _SURNAME_SET - _ENGLISH_SURNAMES
# given-name syllables that are far more often the English word right after a name ("KIM JONG IL ON MONDAY")
_NOT_GIVEN = frozenset({"the", "a", "and", "at", "as", "is", "it", "he", "we", "be", "by", "or", "of", "on", "was"})
_HONORIFICS = frozenset({"secretary", "general", "comrade", "marshal", "leader", "chairman", "president"})
_CAPITALISED = frozenset(
    {
        *("january february march april may june july august september october november december".split()),
        *("monday tuesday wednesday thursday friday saturday sunday".split()),
        "korea", "korean", "koreans", "pyongyang", "juche", "songun", "party", "workers",
    }
)  # fmt: skip
_ACRONYMS = frozenset({"kpa", "dprk", "wpk", "kcna", "rok", "un", "us", "usa", "ndc", "spa", "kwp", "ksdp", "cpv"})
_WORD = re.compile(r"[A-Za-z]+")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*|[\"“(]\s*)([a-z])")


def shouting(text: str, start: int, end: int) -> bool:
    """Whether the body is written in capitals (most of its letters upper case). Its opening decides for
    ordinary text, so the whole body is read only for a wire that opens in capitals (the step runs on every
    dispatch)."""
    if end - start > _OPENING and not _shouted(text, start, start + _OPENING):
        return False
    return _shouted(text, start, end)


def _shouted(text: str, start: int, end: int) -> bool:
    segment = text[start:end]
    if segment.isascii():  # nearly every dispatch: its letters are A-Z and a-z, counted in C
        raw = segment.encode("ascii")
        upper = len(raw) - len(raw.translate(None, _UPPER))
        letters = upper + len(raw) - len(raw.translate(None, _LOWER))
    else:
        alphabetic = [c for c in segment if c.isalpha()]
        upper, letters = sum(c.isupper() for c in alphabetic), len(alphabetic)
    if letters < _MIN_LETTERS:
        return False
    return upper >= _UPPER_SHARE * letters


_UPPER = bytes(range(ord("A"), ord("Z") + 1))
_LOWER = bytes(range(ord("a"), ord("z") + 1))


def case_view(text: str, start: int, end: int) -> str:
    """The text with [start, end) in ordinary case; same length, same offsets."""
    chars = list(text[:start] + text[start:end].lower() + text[end:])
    words = [(m.start(), m.end(), m.group(0).lower()) for m in _WORD.finditer(text, start, end)]

    def capitalise(at: int) -> None:
        chars[at] = chars[at].upper()

    for w_start, w_end, word in words:
        if word in _ACRONYMS:
            chars[w_start:w_end] = list(text[w_start:w_end].upper())
        elif word in _CAPITALISED:
            capitalise(w_start)
    for index, (_w_start, _w_end, word) in enumerate(words):  # after the acronyms, which a name overrides
        if word in _SURNAME_SET:
            given = _given(words, index, text)
            if given:  # a name wins over an acronym: "JO MYONG ROK" is no ROK
                for g_start, g_end, _ in (words[index], *given):
                    chars[g_start:g_end] = list(text[g_start:g_end].capitalize())
                if index > 0 and words[index - 1][2] in _HONORIFICS:
                    capitalise(words[index - 1][0])
    segment = "".join(chars[start:end])
    for match in _SENTENCE_START.finditer(segment):
        chars[start + match.start(1)] = chars[start + match.start(1)].upper()
    return "".join(chars)


def _given(words: list[tuple[int, int, str]], index: int, text: str) -> list[tuple[int, int, str]]:
    """The one or two given-name syllables after a surname, each joined to the one before by a space or hyphen."""
    out: list[tuple[int, int, str]] = []
    previous_end = words[index][1]
    for w_start, w_end, word in words[index + 1 : index + 3]:
        if text[previous_end:w_start] not in (" ", "-") or word in _NOT_GIVEN or not _SYLLABLE.match(word):
            break
        out.append((w_start, w_end, word))
        previous_end = w_end
    return out
