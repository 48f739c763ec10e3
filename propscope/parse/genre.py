"""Genre of a dispatch, from its title and lead: the cues KCNA itself uses to label what it carries.

Order of precedence (docs/labeling.md): relayed_article, commentary, statement, speech, message, news_report.
"""

from __future__ import annotations

import re

from propscope.model import Genre, Relay

_COMMENTARY = re.compile(r"\bKCNA\s+commentary\b|\bcomentario\s+de\s+(la\s+)?(ATCC|ACNC)\b|"
                         r"^commentary\b|\bKCNA\s+Commentary\b", re.I)
_STATEMENT = re.compile(
    r"\b(statement|spokes(man|woman|person)|press\s+release|memorandum|white\s+paper|indictment|"
    r"notice|communiqu[eé]|open\s+letter|open\s+questionnaire|answers?\s+(to\s+)?(a\s+)?question|"
    r"declaration|declaraci[oó]n|portavoz|comunicado|memor[aá]ndum|denuncia|"
    r"report\s+of\s+(the\s+)?[A-Z][\w ]*(committee|institute|association|council)|"
    r"(committee|institute|association|council)\s+(issues|publishes|releases)\s+(a\s+)?report|"
    r"information\s+bulletin|ultimatum|warning\s+of\s+the|detailed\s+report|"
    r"(issues|releases|publishes)\s+(a\s+)?(statement|report|memorandum|white\s+paper))\b",
    re.I,
)
_SPEECH = re.compile(
    r"\b((new\s+year|new-year)\s+address|speech(es)?|address(es)?\s+(at|to|of)|discurso|"
    r"(report|concluding\s+speech|keynote\s+speech)\s+(at|to)\s+(the\s+)?\w+|"
    r"(makes|delivers|gave|delivered|made)\s+(a\s+)?(speech|address|report)\s+at|"
    r"(speech|address)\s+(by|of)\s+)",
    re.I,
)
_MESSAGE = re.compile(
    r"\b(greetings?|congratulat\w*|message|letter|repl(y|ies)|condolences?|sympath(y|ies)|"
    r"wreath|floral\s+basket|birthday\s+spread|thanks?\s+(to|for)|mensaje|felicita\w*|carta|"
    r"p[eé]same|condolencia\w*|saludo\w*|corona|canasta\s+de\s+flores|cesta\s+de\s+flores|"
    r"sends?\s+(gift|present)|gift)\b",
    re.I,
)
# Reports *about* a statement or speech keep their own genre: the title names the event, not the text.
_MESSAGE_EVENT = re.compile(r"\b(receives?|received|recibe|handed|conveyed|delivered\s+to|presented)\b", re.I)


def classify_genre(title: str, lead: str, relays: list[Relay]) -> Genre:
    if relays:
        return "relayed_article"
    head = f"{title}\n{lead[:300]}"
    if _COMMENTARY.search(head):
        return "commentary"
    if _STATEMENT.search(title) or _lead_is(_STATEMENT, lead):
        return "statement"
    if _SPEECH.search(title) or _lead_is(_SPEECH, lead):
        return "speech"
    if _MESSAGE.search(title) or _lead_is(_MESSAGE, lead):
        return "message"
    return "news_report"


def _lead_is(pattern: re.Pattern[str], lead: str) -> bool:
    """The lead's first sentence names the form (not a later mention of it)."""
    first = lead[:240].split(". ", 1)[0]
    return bool(pattern.search(first))
