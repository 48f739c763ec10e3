"""Relayed text: which outlet's piece a dispatch carries ("says Rodong Sinmun today in a signed article.
It goes on:"), in what form, and where the relayed words begin."""

from __future__ import annotations

import re

import ahocorasick

from propscope.model import Quote, Relay

# The DPRK (and Chongryon) publications whose pieces KCNA relays, by every spelling the corpus uses.
OUTLETS: dict[str, tuple[str, ...]] = {
    "Rodong Sinmun": ("rodong sinmun", "nodong sinmun", "rodongsinmun", "rodong simmun"),
    "Minju Joson": ("minju joson", "minjujoson", "minju choson"),
    "Joson Inmingun": ("joson inmingun", "josoninmingun", "choson inmingun", "korean people's army newspaper"),
    "Chongnyon Jonwi": ("chongnyon jonwi", "chongnyonjonwi", "chongnyon chonwi"),
    "Tongil Sinbo": ("tongil sinbo", "tongilsinbo", "thongil sinbo", "thongilsinbo"),
    "Uriminzokkiri": ("uriminzokkiri", "uriminjokkiri"),
    "Choson Sinbo": ("choson sinbo", "chosun sinbo", "choson shinbo", "chosonsinbo"),
    "Kyulsim": ("kyulsim",),
    "Minjok 21": ("minjok 21",),
    "Arirang Meari": ("arirang meari",),
    "Meari": ("meari",),
    "Tongil Voice": ("tongil voice",),
    "Korea Today": ("korea today",),
    "Pyongyang Times": ("pyongyang times",),
    "Kulloja": ("kulloja",),
    "Rodong Chongnyon": ("rodong chongnyon", "rodongchongnyon"),
    "Minjok Sibo": ("minjok sibo",),
}
_ALIAS_TO_OUTLET = {alias: name for name, aliases in OUTLETS.items() for alias in aliases}
_QUICK = ahocorasick.Automaton()
for _alias in [*_ALIAS_TO_OUTLET, "editorial"]:
    _QUICK.add_word(_alias, _alias)
_QUICK.make_automaton()
_OUTLET_RE = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _ALIAS_TO_OUTLET), key=len, reverse=True)) + r")\b", re.I
)
# Longer forms first: "joint editorial" before "editorial", "signed article" before "article".
_FORMS = (
    ("joint editorial", r"joint\s+editorials?|editorial\s+conjunto"),
    ("editorial", r"editorials?|editorially|editorial"),
    ("signed article", r"signed\s+articles?|art[ií]culos?\s+(?:firmados?|individual(?:es)?)|by-?lined\s+article"),
    ("analytical article", r"analytical\s+articles?|article\s+of\s+analysis"),
    ("commentary", r"commentar(?:y|ies)|comentario"),
    ("article", r"articles?|art[ií]culo|essay|column"),
)
_FORM_RE = re.compile("|".join(f"(?P<f{i}>\\b(?:{pattern})\\b)" for i, (_, pattern) in enumerate(_FORMS)), re.I)
_VERB_RE = re.compile(
    r"\b(says?|said|notes?|noted|writes?|wrote|observes?|observed|stresses|stressed|asserts?|carr(?:y|ies|ied)|"
    r"publish(?:es|ed)?|comments?|commented|points? out|pointed out|goes on|went on|claims?|dedicated|titled|"
    r"runs?|highlights?|highlighted|features?|featured|devotes?|devoted|prints?|printed|according\s+to|"
    r"informs?|informed|reports?|reported|denounces?|denounced|slams?|blasts?|brands?|branded|ridicules?|"
    r"headlined|issued|calls?|called|urges?|urged|warns?|warned|analy[sz]es|reads?|dice|señala|publica|"
    r"destaca|subraya|afirma|indica|expresa|public[oó]|critica|denuncia|in\s+an?)\b",
    re.I,
)
# "editor-in-chief of Rodong Sinmun", "a reporter of Minju Joson": the outlet's people, not its text.
_STAFF_RE = re.compile(
    r"(editor|reporter|journalist|correspondent|staff|delegation|writer|newsman|"
    r"pressmen|officials?|editorial\s+board|office)\w*\s+(?:of|from)\s+(?:the\s+)?$",
    re.I,
)
_GOES_ON = re.compile(
    r"(It|The (?:article|editorial|commentary|paper|daily))\s+(goes on|further says|continues|"
    r"says in part|notes in part)\s*:|Sigue diciendo\s*:|Prosigue\s*:",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<![A-Z])(?<!\bU\.S)(?<!\bNo)[.!?](?=\s+[A-Z\"“]|\s*$)|\n")
# The relay is announced in the first paragraphs: "Rodong Sinmun Saturday says this in a signed article."
LEAD_PARAGRAPHS = 3
LEAD_CHARS = 1200
# Press reviews ("Papers here today carry ...") relay several papers anywhere in the text.
_PRESS_REVIEW = re.compile(
    r"press\s+review|press\s+round-?up|^(?:[\w-]+\s+)?papers\b|papers\s+(here\s+)?today|revista\s+de\s+prensa", re.I
)
# "the joint New Year editorial of the DPRK leading newspapers": the three papers that issued it, 1995-2012.
_JOINT_EDITORIAL = re.compile(r"\bjoint\s+(new\s+year\s+)?editorial\b|\beditorial\s+conjunto\b", re.I)
JOINT_EDITORIAL_PAPERS = ("Rodong Sinmun", "Joson Inmingun", "Chongnyon Jonwi")


def find_relays(text: str, lead_start: int, title: str = "") -> list[Relay]:
    """Outlets whose text the lead (the first paragraphs after the dateline) says the dispatch carries."""
    lead_end = _lead_end(text, lead_start)
    if _OUTLET_RE.search(title) or _PRESS_REVIEW.search(title) or _PRESS_REVIEW.match(text, lead_start):
        lead_end = len(text)  # the title names the outlet, or a press review: the relay can come later
    lead = text[lead_start:lead_end]
    if next(_QUICK.iter(lead.lower()), None) is None:
        return []  # most dispatches name no outlet: one automaton scan is ~20x cheaper than the outlet regex
    relays: list[Relay] = []
    seen: set[str] = set()
    for match in _OUTLET_RE.finditer(lead):
        outlet = _ALIAS_TO_OUTLET[match.group(1).lower()]
        if outlet in seen or _STAFF_RE.search(lead[max(0, match.start() - 60) : match.start()]):
            continue
        sentence_start, sentence_end = _sentence_bounds(lead, match.start(), match.end())
        sentence = lead[sentence_start:sentence_end]
        form = _form_near(sentence, match.start() - sentence_start)
        if form is None and not _VERB_RE.search(sentence):
            continue
        if form is None:
            following = lead[sentence_end : sentence_end + 200]
            form = _form_near(following, 0) if re.match(r"\s*(In\s+an?|The\s+(news)?paper)", following) else None
        if form is None:
            # "Papers here today run editorials ... Rodong Sinmun says": the form the opening gave all papers.
            opening = lead[: _sentence_bounds(lead, 0, 1)[1]]
            form = _form_near(opening, 0) if re.search(r"\bpapers\b", opening, re.I) else None
        seen.add(outlet)
        relays.append(Relay(outlet, form or "article", lead_start + match.start(), lead_start + match.end()))
    if not relays:
        in_lead = _JOINT_EDITORIAL.search(lead[:400])
        joint, offset = (in_lead, lead_start) if in_lead else (_JOINT_EDITORIAL.search(title), 0)
        if joint:
            span = (offset + joint.start(), offset + joint.end())
            relays = [Relay(paper, "joint editorial", *span) for paper in JOINT_EDITORIAL_PAPERS]
    return relays


def _lead_end(text: str, lead_start: int) -> int:
    """Where the lead ends: after LEAD_PARAGRAPHS paragraphs (blank-line separated, or single-line ones as
    kcna.kp writes them), and never past LEAD_CHARS."""
    lead_end = lead_start
    for _ in range(LEAD_PARAGRAPHS):
        found = text.find("\n\n", lead_end + 1)
        lead_end = len(text) if found == -1 else found
    if "\n\n" not in text[lead_start:lead_end]:
        lead_end = (
            text.find("\n", lead_start + 1) if "\n" in text[lead_start + 1 : lead_start + LEAD_CHARS] else lead_end
        )
        for _ in range(LEAD_PARAGRAPHS - 1):
            found = text.find("\n", lead_end + 1)
            lead_end = len(text) if found == -1 else found
    return min(lead_end, lead_start + LEAD_CHARS, len(text))


def find_relayed_quote(text: str, start: int, end: int, relays: list[Relay]) -> list[Quote]:
    """The relayed words: from "It goes on:" to the end of the article (before any page furniture)."""
    if not relays:
        return []
    match = _GOES_ON.search(text, start, end)
    if not match:
        return []
    begin = match.end()
    while begin < end and text[begin].isspace():
        begin += 1
    stop = len(text[:end].rstrip())
    return [Quote("relayed", begin, stop)] if begin < stop else []


def _sentence_bounds(lead: str, start: int, end: int) -> tuple[int, int]:
    before = 0
    for found in _SENTENCE_END.finditer(lead, 0, start):
        before = found.end()
    after = _SENTENCE_END.search(lead, end)
    return before, (after.end() if after else len(lead))


def _form_near(sentence: str, outlet_at: int) -> str | None:
    """The form word nearest the outlet's mention, in the same sentence."""
    best: tuple[int, str] | None = None
    for match in _FORM_RE.finditer(sentence):
        index = next(i for i, value in enumerate(match.groups()) if value is not None)
        form = _FORMS[index][0]
        distance = abs(match.start() - outlet_at)
        if best is None or distance < best[0]:
            best = (distance, form)
    return best[1] if best else None
