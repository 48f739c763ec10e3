"""Genre of a dispatch, from its title and lead: the cues KCNA itself uses to label what it carries.

Order of precedence (docs/labeling.md): relayed_article, commentary, statement, speech, message, news_report.
A report *about* a statement, speech or message (a foreign ministry's concern, a speech made at a reception,
a wreath laid) stays a news report: the lead must say the dispatch carries the text itself.
"""

from __future__ import annotations

import re

from propscope.model import Genre, Relay

_COMMENTARY = re.compile(
    r"\bkcna\s+commentary\b|\bcomentario\s+de\s+(la\s+)?(atcc|acnc)\b|"
    r"^commentary\b|^(acnc|atcc)\s+(critica|denuncia|condena|censura|rechaza|fustiga|"
    r"ridiculiza|acusa|advierte)\b",
)
_STATEMENT_TITLE = re.compile(
    r"\b(statement|spokes(man|woman|person)|press\s+release|memorandum|white\s+paper|indictment|"
    r"notice|communiqu[eé]|open\s+letter|open\s+questionnaire|answers?\s+(to\s+)?(a\s+)?question|"
    r"declaraci[oó]n|portavoz|comunicado|memor[aá]ndum|denuncia|information\s+bulletin|ultimatum|"
    r"report\s+of\s+(the\s+)?[a-z][\w ]*(committee|institute|association|council)|detailed\s+report)\b",
)
# "Statement ... Distributed as UN Document", "Statement Supported": news about a statement.
_ABOUT_A_TEXT = re.compile(
    r"\b(distributed|supported|backed|hailed|welcomed|circulated|reported|"
    r"publicized|issued\s+in|published\s+in|carried\s+by|voiced\s+support)\b",
)
_STATEMENT_LEAD = re.compile(
    r"\b((gave|made|give|gives|makes)\s+the\s+following\s+(answer|statement|press\s+statement)|"
    r"(issued|released|issues|releases|published|publishes|made\s+public|makes\s+public)\s+(a|an|the\s+following)"
    r"\s+(press\s+)?(statement|memorandum|white\s+paper|indictment|notice|communiqu[eé]|report|declaration|"
    r"open\s+letter|information\s+bulletin)|in\s+a\s+(press\s+)?statement|the\s+full\s+text\s+of\s+the\s+statement|"
    r"emiti[oó]\s+(una|el\s+siguiente)\s+(declaraci[oó]n|comunicado)|dio\s+la\s+siguiente\s+respuesta)",
)
_SPEECH_TITLE = re.compile(
    r"\b((new\s+year|new-year)\s+address|speech(es)?|address(es)?\s+(at|to|of)|discurso|"
    r"(report|concluding\s+speech|keynote\s+speech)\s+(at|to)\s+(the\s+)?\w+|"
    r"(speech|address)\s+(by|of)\s+)",
)
_SPEECH_LEAD = re.compile(
    r"\b((made|delivered|makes|delivers)\s+the\s+following\s+(speech|address|report)|"
    r"full\s+text\s+of\s+the\s+(speech|address|report)|pronunci[oó]\s+el\s+siguiente\s+discurso)",
)
_MESSAGE_TITLE = re.compile(
    r"\b(greetings|message|letter|repl(y|ies)|condolences?|sympath(y|ies)|congratulat\w*|telegram|"
    r"thanks|mensaje|felicit\w*|carta|p[eé]same|condolencia\w*|saludos?|telegrama|"
    r"(sends?|sent|envia|envi[oó])\s+(floral\s+basket|wreath|gift|birthday\s+spread|corona|cesta|canasta))\b",
)
_MESSAGE_LEAD = re.compile(
    r"\b(sent|sends|forwarded|dispatched|envi[oó]|envia)\s+(a\s+|an\s+|the\s+following\s+|el\s+|un\s+|una\s+)?"
    r"(\w+\s+){0,3}(message|greetings|letter|reply|telegram|congratulatory|condolence|wreath|floral\s+basket|"
    r"mensaje|carta|telegrama|corona|cesta|canasta)",
)


def classify_genre(title: str, lead: str, relays: list[Relay]) -> Genre:
    if relays:
        return "relayed_article"
    # Patterns are lower case and matched on lower-cased text: re.IGNORECASE is ~3x slower here.
    title = title.lower()
    lead = lead.lower()
    head = f"{title}\n{lead[:300]}"
    opening = lead[:400]
    if _COMMENTARY.search(head):
        return "commentary"
    if (_STATEMENT_TITLE.search(title) and not _ABOUT_A_TEXT.search(title)) or _STATEMENT_LEAD.search(opening):
        return "statement"
    if _SPEECH_TITLE.search(title) or _SPEECH_LEAD.search(opening):
        return "speech"
    if _MESSAGE_TITLE.search(title) or _MESSAGE_LEAD.search(_first_sentence(lead)):
        return "message"
    return "news_report"


def _first_sentence(lead: str) -> str:
    return lead[:400].split(". ", 1)[0]
