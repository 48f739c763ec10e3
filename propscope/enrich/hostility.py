"""Hostility's weights and sentences, shared by the stance step (enrich/stance.py), which scores it.

The score toward a country is the weight of the hostile evidence aimed at it, per sentence that names it:
dividing by the sentences keeps long and short dispatches comparable (1.0 means one hostile span for every
sentence about that country). The DPRK itself is left out: its own media praise it.
"""

from __future__ import annotations

import re

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
# `[.!?]["”’']?(?=\s)|\n`, written to open with one set of characters, which the regex engine scans for in C
# before it tries the rest (twice as fast as the alternation it matches the same as).
_SENTENCE_END = re.compile(r"[.!?\n](?:(?<=\n)|(?<=[.!?])[\"”’']?(?=\s))")
# "U.S. imperialists", "S. Korean", "Mr. Kim", "Jan. 1": a period after an initial or an abbreviation ends no
# sentence (splitting there cut "The U.S." from what the sentence says about it).
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|No|Nos|Gen|Lt|Col|Sgt|Capt|Prof|Rev|Jr|Sr|Co|Corp|Inc|Ltd|Vol|vs|etc|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))$"
)


# The last characters an abbreviation's match can end with (an initial, a word of _ABBREVIATION, or a letter
# before a final newline, which $ also matches before): after any other the costly search cannot match.
_ABBREVIATION_ENDS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZbcdfglnoprstv\n")


def sentences(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = begin
    for match in _SENTENCE_END.finditer(text, begin, end):
        at, stop = match.span()
        if (
            stop - at == 1
            and text[at] == "."
            and at > begin
            and text[at - 1] in _ABBREVIATION_ENDS
            and _ABBREVIATION.search(text, max(begin, at - 5), at)
        ):
            continue
        if stop > start:
            out.append((start, stop))
        start = stop
    if start < end:
        out.append((start, end))
    return out


__all__ = ["TECHNIQUE_WEIGHTS", "sentences"]
