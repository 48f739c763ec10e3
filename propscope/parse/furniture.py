"""Page furniture: the lines a web page wraps around an article ("Image credit:", "Related posts:",
share and print links, navigation). Found per line so offsets stay exact; the article body skips them."""

from __future__ import annotations

import re

from propscope.model import Furniture

# (kind, pattern matched against one stripped line, whether everything after it is furniture too)
_LINE_RULES: list[tuple[str, re.Pattern[str], bool]] = [
    ("image_credit", re.compile(r"^(image|photo|picture)\s*(credit|source|courtesy)s?\s*[:\-]", re.I), False),
    (
        "related_posts",
        re.compile(
            r"^(related (posts|articles|stories|news)|see also|read (more|also)|"
            r"more (stories|news|from))\s*[:\-]?\s*$",
            re.I,
        ),
        True,
    ),
    ("related_posts", re.compile(r"^related (posts|articles|stories)\s*:", re.I), True),
    (
        "share",
        re.compile(
            r"^(share( this( article| story)?)?|tweet|email|e-mail|print|facebook|twitter|"
            r"whatsapp|telegram|linkedin|reddit|click to (share|print|email)[^\n]*|"
            r"like this:?|loading\.\.\.|share on [a-z]+)\s*:?$",
            re.I,
        ),
        False,
    ),
    ("tags", re.compile(r"^(tags|tagged|filed under|categories|category|posted in)\s*:", re.I), False),
    (
        "navigation",
        re.compile(
            r"^(previous|next) (post|article|story)\b|^(home|back to top|top)\s*$|"
            r"^(skip to (main )?content|menu|search for:?)$",
            re.I,
        ),
        False,
    ),
    ("copyright", re.compile(r"^(©|\(c\)|copyright\b|all rights reserved)", re.I), False),
    ("stamp", re.compile(r"^(-0-|\[juche\s*\d+(\.\d+)*\.?\])$", re.I), False),
]
# Lines that could be furniture start with one of these words; only they are tried against the rules.
_CANDIDATE_LINE = re.compile(
    r"^[ \t]*(?:image|photo|picture|related|see also|read|more|share|tweet|e-?mail|print|facebook|twitter|"
    r"whatsapp|telegram|linkedin|reddit|click|like this|loading|tags?|tagged|filed|categor|posted|previous|next|"
    r"home|back to top|top|skip|menu|search|©|\(c\)|copyright|all rights|-0-|\[juche)[^\n]*\n?",
    re.I | re.M,
)


def find_furniture(text: str, body_start: int) -> list[Furniture]:
    found: list[Furniture] = []
    for line_match in _CANDIDATE_LINE.finditer(text, body_start):
        line = line_match.group(0)
        stripped = line.strip()
        if not stripped or len(stripped) > 300:
            continue
        for kind, pattern, rest_too in _LINE_RULES:
            if pattern.search(stripped):
                lead = len(line) - len(line.lstrip())
                start = line_match.start() + lead
                if rest_too:
                    end = len(text.rstrip())
                    found.append(Furniture(kind, start, max(end, start + len(stripped))))
                    return found
                found.append(Furniture(kind, start, start + len(stripped)))
                break
    return found
