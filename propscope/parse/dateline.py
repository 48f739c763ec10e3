"""Datelines at the head of a dispatch: "Pyongyang, July 14 (KCNA) --" and the corpus' real variants.

Tolerant on purpose: upper-case years, Spanish months, a missing comma or closing parenthesis, a broken
dash ("?"), correspondents' datelines, scrape debris before the place and truncated places ("yongyang").
"""

from __future__ import annotations

import re

from propscope.model import Dateline

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "enero"),
            ("february", "feb", "febrero"),
            ("march", "mar", "marzo"),
            ("april", "apr", "abril"),
            ("may", "mayo"),
            ("june", "jun", "junio"),
            ("july", "jul", "julio"),
            ("august", "aug", "agosto"),
            ("september", "sept", "sep", "septiembre", "setiembre"),
            ("october", "oct", "octubre"),
            ("november", "nov", "noviembre"),
            ("december", "dec", "diciembre"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))

# Places KCNA files from whose names scrapes have cut short; a truncated place is repaired against these.
KNOWN_PLACES = ("Pyongyang", "Panmunjom", "Kaesong", "Beijing", "Moscow", "Tokyo", "Seoul")

_DATELINE = re.compile(
    rf"""
    (?P<lead>[^\w\n]{{0,4}}?(?:[a-z]{{1,2}};\s*)?)          # scrape debris: "l; ", ". ", "\ufffd@"
    (?:(?P<place>[A-Za-z][A-Za-z.'\- ]{{0,30}}?[A-Za-z.])\s*,?\s+)?
    (?:
        (?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})
      | (?P<day_es>\d{{1,2}})\s+de\s+(?P<month_es>{_MONTH})
      | (?P<day_first>\d{{1,2}})\s+(?P<month_after>{_MONTH})
    )
    (?:,?\s+(?P<year>1[89]\d\d|20\d\d))?
    (?:,?\s+\d{{1,2}}:\d{{2}}(?:\s*[A-Z]{{2,4}})?)?            # a time stamp: "22:13 KST"
    (?:
        \s*\(\s*(?P<agency>[^()\n]{{1,40}}?)\s*(?:\)|(?=\s*--)|(?<=[A-Za-z])\d)
        [ \t]*(?P<dash>--+|—|–|-|\?|:)?
      | [ \t]*(?P<bare_dash>--+|—|–)                       # no agency: "Pyongyang, August 21 --"
    )[ \t]*
    """,
    re.IGNORECASE | re.VERBOSE,
)
# No place or date, only the agency: "(KCNA) ?" or "(KCNA) --" at the very start.
_AGENCY_ONLY = re.compile(
    r"[^\w\n]{0,4}\(\s*(?P<agency>[A-Z][A-Za-z\- ]{1,30}?)\s*\)[ \t]*(?P<dash>--+|—|–|-|\?|:)[ \t]*"
)
_AGENCY_NAME = re.compile(r"(KNS-KCNA|KCNA|KCMA|ATCC|ACNC|KNS|XINHUA|[A-Z]{3,6})", re.IGNORECASE)
_SEARCH_WINDOW = 160


def find_dateline(text: str, start: int) -> Dateline | None:
    """The dateline at the head of the body, which begins at `start`; None when there is none."""
    pos = start
    while pos < len(text) and text[pos].isspace():
        pos += 1
    found = _match_at(text, pos)
    if found is None:
        # A subtitle line can stand between the title and the dateline.
        line_end = text.find("\n", pos)
        if 0 < line_end - pos <= _SUBTITLE_CHARS:
            next_pos = line_end
            while next_pos < len(text) and text[next_pos].isspace():
                next_pos += 1
            found = _match_at(text, next_pos)
    return found


_SUBTITLE_CHARS = 150


def _match_at(text: str, pos: int) -> Dateline | None:
    window = text[pos : pos + _SEARCH_WINDOW]
    match = _DATELINE.match(window)
    if match:
        agency = _agency(match.group("agency")) if match.group("agency") else None
        if agency is None and not match.group("bare_dash"):
            return None
        month_name = match.group("month") or match.group("month_es") or match.group("month_after")
        day = match.group("day") or match.group("day_es") or match.group("day_first")
        day_number = int(day)
        if not 1 <= day_number <= 31:
            return None
        year = match.group("year")
        place = match.group("place")
        return Dateline(
            place=normalise_place(place) if place else None,
            month=MONTHS[month_name.lower()],
            day=day_number,
            year=int(year) if year else None,
            agency=agency,
            start=pos + match.start("lead") + len(match.group("lead")),
            end=pos + len(match.group(0).rstrip()),
        )
    match = _AGENCY_ONLY.match(window)
    if match:
        agency = _agency(match.group("agency"))
        if agency is None:
            return None
        lead = match.group(0).index("(")
        return Dateline(None, None, None, None, agency, pos + lead, pos + len(match.group(0).rstrip()))
    return None


def _agency(raw: str | None) -> str | None:
    """The agency's name from what is inside the parentheses: "KCNA Correspondent", "Corresponsal de ACNC"."""
    if raw is None:
        return None
    words = raw.replace("Corresponsal de", " ").replace("corresponsal de", " ")
    match = _AGENCY_NAME.search(words)
    if not match:
        return None
    name = match.group(1).upper()
    if name.startswith("KCNA"):
        return "KCNA"
    if name in {"CORRESPONDENT", "CORRESPONSAL"}:
        return None
    return name


def normalise_place(place: str) -> str:
    cleaned = " ".join(place.replace(" ,", ",").split()).strip(" .,")
    titled = " ".join(
        word[:1].upper() + word[1:].lower() if word.isupper() or word.islower() else word for word in cleaned.split()
    )
    lowered = titled.lower()
    for known in KNOWN_PLACES:
        if lowered != known.lower() and len(lowered) >= 5 and known.lower().endswith(lowered):
            return known
    return titled
