"""The lists of officials a leader dispatch gives: who accompanied him, who greeted him or was present, who
sits on a funeral or state committee; each name canonical, with the title written beside it.

KCNA writes titles on either side of the names ("secretary Kim Kuk Thae and first vice department directors
Pak Song Bong, Ri Yong Chol ...", "Choe Ryong Hae, member of the Presidium of the Political Bureau ... and
vice-chairman of the State Affairs Commission, ..."), so a list is read as names found by their Korean shape
(or the gazetteer) and the gaps between them, each gap a title after one name and/or before the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from propscope.enrich.persons import _SYLLABLE, KOREAN_SURNAMES, canonical_person, is_thing_name
from propscope.gazetteer import Gazetteer

LEADER_NAMES = frozenset({"Kim Il Sung", "Kim Jong Il", "Kim Jong Un", "Kim Jong Suk"})
_SURNAMES = "|".join(
    sorted({*KOREAN_SURNAMES, "U", "Ro", "No", "Sok", "Tae", "Yon", "Kye", "Phyo", "Jo", "Ryo"}, key=len, reverse=True)
)
# Surname and two given syllables ("Ri Sol Ju", "Kim Yong-nam", "Kim Yong-Nam"), or two words where the
# gazetteer knows the name ("Choe Hwi"); the automaton of leader names glued by scrapes is not needed here.
_NAME = re.compile(
    rf"(?<![\w.])(?P<name>(?:{_SURNAMES})\s(?P<g1>[A-Z][a-z]{{0,5}})(?:(?:\s|-)(?P<g2>[A-Z][a-z]{{0,5}})|-(?P<g2l>[a-z]{{1,6}}))?)"
    r"(?![\w'’-])"
)


@dataclass(frozen=True, slots=True)
class ListedName:
    name: str  # canonical
    title: str | None
    start: int
    end: int


@cache
def korean_people(gazetteer: Gazetteer) -> dict[str, str]:
    """Alias (spaces, case folded) -> canonical, for the gazetteer's people of both Koreas."""
    out: dict[str, str] = {}
    for entry in gazetteer.names:
        if entry.type == "person" and entry.country in ("KP", "KR", None):
            for alias in entry.aliases:
                out[_key(alias)] = entry.canonical
    return out


def _key(name: str) -> str:
    return " ".join(name.replace("-", " ").casefold().split())


def canonical_korean(surface: str, people: dict[str, str]) -> str:
    """The gazetteer's canonical name, else the Korean name shape's: single spaces, hyphen split, title case."""
    known = people.get(_key(surface))
    if known:
        return known
    words = surface.replace("-", " ").split()
    return canonical_person(" ".join(w if w[0].isupper() else w.capitalize() for w in words))


def find_names(text: str, start: int, end: int, people: dict[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, canonical) of each Korean personal name in text[start:end], leaders' names and names of
    things ("Kim Il Sung University") left out."""
    found: list[tuple[int, int, str]] = []
    for match in _NAME.finditer(text, start, end):
        g1, g2 = match.group("g1"), match.group("g2") or match.group("g2l")
        surface = match.group("name")
        if g2 is None:
            if _key(surface) not in people:
                continue
        elif not (_SYLLABLE.match(g1) and _SYLLABLE.match(g2)):
            continue
        if g2 is not None and g2[0].isupper() and g2 in _NOT_GIVEN:
            continue
        if is_thing_name(text, match.end()):
            continue
        name = canonical_korean(surface, people)
        found.append((match.start(), match.end(), name))
    return found


_NOT_GIVEN = frozenset({"The", "And", "Of", "In", "On", "At", "For", "By", "To"})
_JOINER = re.compile(r"^[\s,;]*(?:and\s+|as\s+well\s+as\s+)?$")
_LEAD_IN = re.compile(r"^[\s,;]*(?:and\s+)?(?:the\s+)?")
# A chunk that ends right before a name and reads as a rank or title put before it ("KPA Vice Marshal",
# "Army General", "secretaries of the WPK Central Committee").
_TITLE_TAIL = re.compile(r"[,;]\s*(?:and\s+)?(?P<before>[^,;]*)$")


def read_list(text: str, start: int, end: int, people: dict[str, str], skip: frozenset[str]) -> list[ListedName]:
    """The named people of the list in text[start:end] in order, each with its title (None where the text
    writes none beside it). A plural title before names ("KPA Generals Hyon Chol Hae and Ri Myong Su") is
    each one's; a title after a name runs to the next name or the list's end."""
    names = [n for n in find_names(text, start, end, people) if n[2] not in skip]
    before: list[str | None] = [None] * len(names)
    after: list[str | None] = [None] * len(names)
    joined = [False] * len(names)  # only "," or "and" between this name and the one before
    first = _clean(text[start : names[0][0]]) if names else None
    # "director of the KPA General Political Department Jo Myong Rok, chief of ... Kim Yong Chun": positions
    # before the names; "KPA Vice Marshal Hwang Pyong So, director of ...": ranks before, positions after.
    positions_first = first is not None and (first[0].islower() or " of " in first)
    for i, (n_start, _, _) in enumerate(names):
        gap_start = names[i - 1][1] if i else start
        gap = text[gap_start:n_start]
        if _JOINER.match(gap):
            joined[i] = i > 0
            continue
        if i == 0 or positions_first:
            before[i] = _clean(gap)
            continue
        if re.match(r"\s*,", gap):  # "Name, title of ..., [Rank ]Name"
            tail = _TITLE_TAIL.search(gap[gap.index(",") + 1 :])
            lead = tail.group("before").strip() if tail else ""
            if lead and lead[0].isupper():
                after[i - 1] = _clean(gap[: gap.rindex(lead)])
                before[i] = _clean(lead)
            else:
                after[i - 1] = _clean(gap)
        else:  # " and first vice department director "
            before[i] = _clean(gap)
    # the last name's title runs to the end of the list: "..., Kim Yo Jong, vice department director of ..."
    if names and not positions_first:
        rest = text[names[-1][1] : end]
        if re.match(r"\s*,\s*[a-zA-Z]", rest) and not re.match(r"\s*,\s*(?:and\s+)?(?:other|officials|senior)", rest):
            after[-1] = _clean(_cut_at_group(rest))
    # a plural title is each one's of the names it stands beside: "KPA Generals Hyon Chol Hae and Ri Myong
    # Su", "Choe Thae Bok and Kim Ki Nam, secretaries of the C.C."
    for i in range(1, len(names)):
        shared = before[i - 1]
        if joined[i] and not before[i] and shared and _plural(shared):
            before[i] = shared
    for i in range(len(names) - 1, 0, -1):
        shared = after[i]
        if joined[i] and shared and not after[i - 1] and not before[i - 1] and _plural(shared):
            after[i - 1] = shared
    return [
        ListedName(name, after[i] or before[i] or None, n_start, n_end)
        for i, (n_start, n_end, name) in enumerate(names)
    ]


def _cut_at_group(rest: str) -> str:
    """The trailing title of a list's last name, cut before the unnamed group that ends many lists."""
    cut = re.search(r",?\s*(?:and\s+)?(?:others?|officials|senior|leading|members|commanding|those|its)\b", rest)
    return rest[: cut.start()] if cut else rest


def _plural(title: str) -> bool:
    head = title.split(" of ")[0].split()
    return bool(head) and head[-1].lower().rstrip(",") in _PLURALS


_PLURALS = frozenset(
    "secretaries generals directors vice-premiers vice-chairmen members ministers marshals officials "
    "vice-marshals admirals commanders chairmen deputies premiers".split()
)


def _clean(piece: str) -> str | None:
    piece = re.sub(r"^[\s,;=]*(?:and\s+)?(?:by\s+)?", "", piece)
    piece = re.sub(r"[\s,;=.]*(?:and)?[\s,;=.]*$", "", piece).strip()
    if piece.endswith(" C.C") or piece.endswith("C. C"):
        piece += "."
    piece = re.sub(r"\s+", " ", piece)
    if not piece or not re.search(r"[A-Za-z]{2}", piece):
        return None
    return piece
