"""The leader's appearances (docs/labeling.md, "The leadership set"): each public activity a dispatch reports
him at in person, with its kind, place, day, and who accompanied or greeted him; and every list of officials
the dispatch gives (enrich/officials.py reads the names and titles).

Rules, not a model: KCNA reports an activity in a few fixed forms ("Kim Jong Un ... inspected X", "The next
leg of his field guidance was Y", "He was accompanied by ..."). A text that names no leader costs one
substring test; in the others, anchored patterns run from each mention of a leader's name.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import ahocorasick

from propscope.enrich.appearance_model import TASK as MODEL_TASK
from propscope.enrich.appearance_model import Candidate, candidate_document, find_candidates, load_appearance_model
from propscope.enrich.case_view import case_view, shouting
from propscope.enrich.officials import ListedName, korean_people, read_list
from propscope.gazetteer import Gazetteer, load_gazetteer
from propscope.model import Appearance, Article, OfficialMention
from propscope.parse.dateline import MONTHS
from propscope.parse.relative_dates import resolve_relative_dates

if TYPE_CHECKING:
    from propscope.enrich.support_model import SupportModel

KIM_JONG_IL, KIM_JONG_UN = "Kim Jong Il", "Kim Jong Un"
KJI_LAST_DAY = "2011-12-18"  # Kim Jong Il died on 17 December 2011, announced on the 19th
KJU_SUCCESSION = "2011-12-19"  # from then on the activities are Kim Jong Un's

_LOWER_LEADER = re.compile(
    r"\b(?:kim\s+jong|Kim\s+jong|KIM\s+JONG)\s+(?:il|un|Il|Un|IL|UN)\b|\bKim\s+Jong\s+(?:IL|UN)\b"
)
# What every match of _LOWER_LEADER holds: substring tests (and a search from a fixed word, which the regex
# engine runs in C) before that pattern, which opens with no fixed letter and so is tried at every position.
_CAPITAL_GIVEN = re.compile(r"Jong\s+(?:IL|UN)")


def _may_miscase(text: str) -> bool:
    """Whether _LOWER_LEADER can match: it needs "jong", "JONG" or "Jong" before "IL" or "UN"."""
    return "jong" in text or "JONG" in text or _CAPITAL_GIVEN.search(text) is not None


# "Kim Jong Un", also glued by kcna.kp's markup ("ComradeKim Jong Unwas"); not "Kim Jong Il's".
_LEADER = re.compile(r"Kim Jong[ -](?P<which>Il|Un|il|un)(?!['’]s)")
_ADVERBS = (
    r"(?:(?:also|recently|personally|again|then|yesterday|today|once\s+again|first|warmly|this\s+morning|"
    r"on\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"on\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s+\d{1,2}(?:,\s+\d{4})?)\s*,?\s*)*"
)
# Verbs of an activity in person, by what follows them: a site, an event, or the people he met.
_SITE_VERBS = (
    r"(?:gave|provided|offered|conducted)\s+(?:(?:a|his)\s+)?(?:(?:field|on-the-spot|on-site|on-the-site|personal)\s+)?"
    r"guidance(?:\s+(?:to|at|over|on|in))?|entered"
    r"|inspected|visited|toured|went\s+round|looked\s+round|went\s+around|looked\s+around|dropped\s+in\s+at"
    r"|called\s+at|went\s+(?:first\s+)?to|came\s+to|moved\s+(?:on\s+)?to|proceeded\s+to|headed\s+for|arrived\s+(?:at|in)|made\s+a\s+(?:field\s+)?survey\s+(?:of|for)|climbed|directed|paid\s+(?:a\s+)?visit\s+to"
)
_EVENT_VERBS = (
    r"watched|saw(?!\s+to\b|\s+that\b)|enjoyed|attended|appeared\s+(?:on|in|at)\s+the\s+(?:platform|tribune|grandstand|auditorium|stand|rostrum|"
    r"stage|venue|hall|ceremony|meeting|reviewing)\b|gave\s+guidance\s+to"
    r"|appreciated(?=[^.]{0,90}?\b(?:performances?|concerts?|drama|opera|films?|shows?|games?|match|circus|"
    r"gymnastic|exhibition|art|comed(?:y|ies)|plays?|operas?|ballets?|musicals?|acrobatics)\b)|(?:was|were)\s+present\s+(?:at|on)|took\s+part\s+in"
    r"|participated\s+in|presided\s+over|guided(?!\s+by)|oversaw|observed(?!\s+that\b)|supervised"
    r"|paid\s+(?:a\s+)?(?:high\s+|silent\s+)?(?:tribute|homage)|laid\s+(?:a\s+)?(?:wreath|flower|floral)"
    r"|cut\s+the\s+(?:tape|ribbon)|made\s+(?:a\s+|an\s+|the\s+following\s+)?(?:\w+\s+)?(?:speech|address)"
    r"|made\s+(?:a|the)\s+(?:report|conclusion)"
    r"|delivered\s+(?:a\s+|an\s+)?(?:\w+\s+)?(?:speech|address|report)|stood\s+guard"
    r"|made\s+a\s+bow|hosted|convened|convoked|gave\s+(?:an?\s+)?(?:[\w-]+\s+)?(?i:banquet|luncheon|dinner|reception)"
)
_MEET_VERBS = (
    r"received(?!\s+from\b)(?!(?:\s+[\w'’-]+){0,5}?\s+(?:messages?|letters?|gifts?|floral|baskets?|bouquets?|bunch(?:es)?|"
    r"flowers|papers?|documents?|petitions?|certificates?|keys?|greetings?|"
    r"congratulations|repl(?:y|ies)|cards?|telegrams?|cables?|reports?|presents?|wreaths?|credentials|"
    r"citizenship|titles?|degrees?|diplomas?)\b)"
    r"(?![^.]{0,40}?\b(?i:prizes?|awards?|orders?|medals?|animals|grand\s+cross|as\s+(?:a\s+)?gifts?)\b)"
    r"|met(?:\s+with)?|had\s+(?:a\s+)?(?:\w+\s+)?talks?\s+with|held\s+(?:\w+\s+)?talks\s+with"
    r"|had\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:meeting|conversation|interview)\s+with|saw\s+off|bade\s+farewell\s+to"
    r"|called(?=[^.]{0,300}?\b(?:to|and)\s+(?:have|had|pose|posed|take|took)\s+(?:a\s+)?(?:photo|picture|souvenir))"
    r"|had\s+(?:a\s+)?(?:photo\s+session|photographs?\s+taken|photos?\s+taken)\s+with|posed\s+for\s+a\s+(?:photo|picture)"
    r"|invited(?=[^.]{0,250}?\band\s+(?:had|met|made|congratulated|gave|posed))"
)
_VERB = re.compile(rf"{_ADVERBS}(?:(?P<site>{_SITE_VERBS})|(?P<event>{_EVENT_VERBS})|(?P<meet>{_MEET_VERBS}))(?![\w-])")
# The learned layer's reading of a sentence the rules found nothing in: any activity verb, on a word boundary
_VERB_ANY = re.compile(
    rf"(?<![\w-])(?:(?P<site>{_SITE_VERBS})|(?P<event>{_EVENT_VERBS})|(?P<meet>{_MEET_VERBS}))(?![\w-])"
)
# "received a letter and a gift from ...", "sent a wreath to ...": a thing sent or received, not an activity
_GOT_THING = re.compile(
    r"\b(?:received|sent|conveyed|forwarded)\s+(?:[\w'’-]+\s+){0,5}?(?:messages?|letters?|gifts?|floral|baskets?|"
    r"wreaths?|greetings?|congratulations|repl(?:y|ies)|cards?|telegrams?|cables?|presents?)\b"
)
_SUBJECT_HE = re.compile(r"\b[Hh]e\b")
_CANDIDATES_READ = 60  # of a dispatch's candidate sentences, those the learned layer reads
# What may stand between a leader's name and his verb: an apposition of titles, "together with his wife Ri
# Sol Ju", adverbs; never a clause of its own.
_BETWEEN_BAD = re.compile(
    r"\b(?:who|whom|whose|which|that|when|said|says|sent|is|are|has|have|had|was|were|will|would)\b|[.;:!?\"“”]"
)
# "Gifts leader Kim Jong Il received ...", "the photos showing Kim Jong Un ...": a thing of his is the subject
_THINGS_OF_HIS = (
    r"said|says|writes|wrote|recalled|recalls|reported|reports|posted|carried|showing|shows|depicting|"
    r"photos?|pictures?|portraits?|film|documentary|article|book|recollections?|gifts?|presents?|letters?|messages?"
)
_THING_OF_HIS = re.compile(rf"\b(?:{_THINGS_OF_HIS})\b", re.I)
_SUBORDINATE = re.compile(
    rf"\b(?:when|where|that|since|after|before|while|which|who|how|until|once|if|whenever|day|days|ago|{_THINGS_OF_HIS})\b",
    re.I,
)
# "The Supreme Commander went to the airfield to guide the flight drill": him, by his title alone
_TITLE_SUBJECT = (
    r"The\s+(?:Supreme\s+(?:Commander|Leader)|General\s+Secretary|Marshal|General|Chairman|"
    r"(?:respected\s+|great\s+)?leader)"
)
_TITLED = re.compile(rf"(?:Then\s+|And\s+)?{_TITLE_SUBJECT}\s+")
# "He then inspected the Hero Defence Detachment ..." after a first activity: a new site, if it is named.
_HE = re.compile(
    r"(?:(?:then|next|later|after\s+that|afterwards|and|(?:on\s+)?(?:that|the\s+same)\s+day|"
    r"in\s+the\s+(?:afternoon|morning|evening)|(?:during|in\s+the\s+course\s+of)\s+(?:the|his)\s+"
    r"(?:[\w-]+\s+){0,2}?(?:guidance|inspection|visit|tour))\s*,?\s+)?"
    rf"(?:he|He|{_TITLE_SUBJECT})\s+",
    re.I,
)
# "The citation of General Secretary Kim Jong Il went to ...": his name is another noun's complement
_GENITIVE = re.compile(
    r"\b(?:of|by|to|from|for|with)\s+(?:the\s+)?(?:(?:great|dear|respected|beloved|leader|general|secretary|supreme|"
    r"comrade|marshal|chairman|president|commander|generalissimo|first)\s+){0,5}$",
    re.I,
)
# "According to the website, Kim Jong Un inspected ...": another's account of it
_ACCORDING = re.compile(r"\s*(?:According\s+to|As\s+(?:reported|carried|written)\s+(?:by|in))\b")
# "Papers here today report that Secretary Kim Jong Il ... visited": the home press's report is the news itself
_PAPERS_REPORT = re.compile(
    r"^.{0,60}?\b(?:papers|newspapers|dailies|Rodong\s+Sinmun|Minju\s+Joson|Joson\s+Inmingun)\b[^.]{0,60}?"
    r"\b(?:reports?|(?:carr(?:y|ies)|frontpages?|runs?)\s+(?:an?\s+)?(?:[\w-]+\s+)?reports?)\s+that\s+",
    re.I,
)
# "A mobile drill ... was conducted by a combat order of Marshal Kim Jong Un. He watched the drill.": the
# sentence after one that ties an event to him may report him there with "He".
_ORDERED = re.compile(r"\b(?:order|orders|guidance|presence|supervision|direction|initiative)\s+of\b")
# "He watched the drill", "The Supreme Commander went to the airfield to guide the flight drill"
_PRONOUN = re.compile(
    rf"(?:Then\s+|And\s+)?(?:[Hh]e|{_TITLE_SUBJECT})\s+(?:(?:organized|organised|planned|arranged)\s+and\s+)?"
)
_DAYS_AGO = re.compile(r"^\s*(?:A\s+few|Some|Several|Two|Three|Four|Five|\d)\s+days\s+ago\s*")
_SETTLEMENT = re.compile(r"\b(?:City|County|Town|District|Street|Province)\b")
_AFTER_TOURING = re.compile(
    r"(?:After|Following)\s+(?:touring|visiting|inspecting|going\s+round|looking\s+round|a\s+tour\s+of|"
    r"his\s+visit\s+to|his\s+inspection\s+of)\s+(?:the\s+)?(?=[A-Z])"
)
_AFTER_HE = re.compile(r"(?:After|Following)\s+[^,.]{0,80},\s+he\s+")
_PART_OF = re.compile(
    r"\b(?:of|under|in|(?:built|run|managed)\s+by)\s+(?:the|its|this)\s+(?:[a-z-]+\s+){0,3}(?:farm|factory|complex|unit|plant|mill|station|"
    r"works|mine|company|university|hospital|institute|base|enterprise|battery|regiment|battalion|division|"
    r"school|detachment|post|ship)\b(?!\s+(?:[Nn]os?\.\s*)?\d)"
)
_UNIT_NUMBER = re.compile(r"\b[Uu]nit\s+(?:[Nn]o\.\s*)?(\d+)")
_LEG = re.compile(
    r"(?:the\s+)?(?:first|second|third|fourth|fifth|next|last|final|other)\s+(?:leg|stop|place|site)\s+of\s+"
    r"(?:his|the)\s+[\w\s-]{0,40}?\s+(?:was|were)\s+",
    re.I,
)
_WERE_HELD = re.compile(r"\b(?:were|was)\s+held\b")
_PRESENCE = re.compile(
    r"(?P<held>\b(?:took\s+place|was\s+held|were\s+held|was\s+given|opened|was\s+launched|(?:was|were)\s+"
    r"(?:successfully\s+)?(?:conducted|carried\s+out|staged|made))\s+(?:here\s+|there\s+)?(?:successfully\s+)?"
    r"(?:\w+\s+)?(?:under|in)\s+the\s+(?:presence|guidance|direct\s+guidance|supervision)\s+of\s+)?"
    r"(?P<present>\b(?:[Aa]lso\s+)?[Pp]resent\s+(?:there\s+|here\s+|at\s+[^.]{0,60}?\s+)?(?:on\s+invitation\s+)?"
    r"(?:was|were)\s+)?"
    r"(?P<between>\b[Tt]here\s+(?:was|were|took\s+place)\s+(?:an?\s+)?(?:[\w-]+\s+)?(?:meeting|talks)\s+between\s+"
    r"|\b(?:The\s+)?(?:[\w-]+\s+)?(?:[Tt]alks|[Ss]ummit|[Mm]eeting)\s+between\s+)?"
    r"(?(held)|(?(present)|(?(between)|(?!))))(?:the\s+)?(?:[\w'’()-]+\s+){0,16}?(?:Comrade)?(?=Kim Jong)"
)
# A title that says the dispatch relays what others wrote of him ("Kim Jong Un's Activities Reported by Media
# of Russia", "Sci-Tech Complex Introduced in UK") or looks back on a year ("2001 witnesses ...", "... in
# Retrospect"): a recap of visits reported already.
_RELAYED_TITLE = re.compile(
    r"\b(?:[Rr]eported|[Cc]arried|[Ii]ntroduced|[Cc]overed|[Pp]osted|[Pp]ublished|[Pp]raised|[Ll]auded|"
    r"[Hh]ighlighted|[Ss]potlighted|[Bb]eamed|[Aa]ired|[Ss]upported|[Ii]ssued|[Hh]ailed|[Ee]xtolled)\s+"
    r"(?i:by|in|on|abroad)\b|^(?:Story|Stories|Anecdotes?|Episodes?)\b|\bStory\s+of\b"
    r"|\b(?:[Ww]ebsites?|[Pp]apers?|[Nn]ewspapers?|[Mm]edia|[Mm]agazines?|[Jj]ournals?|TV|[Rr]adio|[Bb]ooks?|[Bb]ulletins?)\s+"
    r"(?:[Ii]ntroduces|[Rr]eports|[Cc]arries|[Pp]raises|[Ll]auds|[Hh]ighlights|[Ss]potlights|[Pp]osts)\b"
    r"|^(?:[Tt]he\s+)?(?:[Yy]ear\s+)?(?:19|20)\d\d\b(?![\d,.])|\b(?:[Ii]n\s+[Rr]etrospect|[Ll]ooking\s+[Bb]ack|"
    r"[Yy]ear\s+in\s+[Rr]eview)\b"
    r"|Kim\s+Jong\s+(?:Il|Un)['’]s\s+(?:Noble|Loving|Warm|Great|Deep|Profound|Benevolent|Love|Care|Outlook)"
    r"|\b(?:Paternal|Fatherly|Parental|Warm|Loving|Benevolent)\s+(?:Love|Care|Affection|Solicitude)\b"
    r"|:\s*(?:[A-Z][\w-]*\s+){0,3}(?:Paper|Newspaper|Daily|Website|Magazine|Media|Journal|TV|Radio|Bulletin)s?\s*$"
)
_PLACE_END = re.compile(
    r",|;|(?<!\bNo)(?<!\bno)(?<!\bNos)(?<!\bnos)(?<!\bMt)(?<!\bSt)\.(?:\s|$)|\s+(?:on|in)\s+(?:the\s+)?(?:occasion|eve|day|afternoon|morning|evening|night|days)\b"
    r"|\s+on\s+the\s+(?:fore)?front(?:[- ]?line)?\b|\s+on\s+the\s+spot\b"
    r"|\s+(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b|\s+(?:yesterday|today|recently)\b"
    r"|\s+(?:on|from|between)\s+(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
    r"|\s+(?:in|last)\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
    r"|\s+last\s+(?:year|month|week)\b"
    r"|\s+and\s+[a-z]+ed\b"
    r"|\s+(?:newly|just|recently)[- ](?:built|completed|commissioned)\b|\s+under\s+construction\b"
    r"|\s+(?:some|a\s+few|several|two|three|four|five)\s+days\s+ago\b|\s+at\s+dawn\b|\s+again\b|\s+this\s+(?:morning|afternoon|evening)\b|\s+at\s+\d"
    r"|\s+on\s+(?:the\s+)?(?:[A-Z][\w'’]*\s+){0,4}Day\b|\s+and\s+(?:then|later|also)\s+[a-z]+ed\b"
    r"|\s+(?:to|into|for|together|along|and\s+(?:had|made|gave|learned|looked|went|acquainted|set|watched|saw|was|"
    r"congratulated|expressed|visited|inspected|met|enjoyed|said|told|spoke|took|heard|felt|showed|left)|while|when|where|who|which|that|nearing|near|"
    r"built|honored|honoured|close|after|before|with|amid|as|at\s+the\s+(?:age|request|invitation)|"
    r"marking|celebrating|given\s+by|entitled|titled|associated|performed\s+by|organized|organised|held|being|now|run|managed|"
    r"equipped|located|situated|famous|known|completed|alive|seething|humming|bustling|brimming|teeming)\b|\n"
)
_ARTICLE = re.compile(
    r"^(?:the|a|an|again|newly[- ]\w+|just[- ]completed|recently[- ]built|commissioned|completed|new|its|his|"
    r"renovated|updated|refurbished|reconstructed|remodelled|remodeled|"
    r"modernized|modernised|expanded|rebuilt)\s+",
    re.I,
)
_GIVEN_BY = re.compile(
    r"\b(?:given|performed|staged|presented|organized|organised|conducted)\s+by\s+(?:the\s+|an?\s+)?", re.I
)
_QUOTED_TITLE = re.compile(r"\s*(?:entitled\s+|titled\s+)?[\"“][^\"”]{0,200}[\"”]")
_INVITED_TO = re.compile(r"\s(?:to|at)\s+(?:the\s+)?(?=(?:[a-z]+\s+){0,2}(?:of\s+the\s+)?[A-Z])")
_AT_PLACE = re.compile(r"\s(?:at|in)\s+(?:the\s+)?(?=[A-Z])")


@dataclass
class _Activity:
    leader: str
    kind: str
    place: str | None
    event_date: str | None
    start: int
    end: int
    named: bool  # the text names the site (a capitalised name): a later mention of it is the same activity
    group: str = "site"  # site, event, meet: what the verb's object is
    further: bool = False  # a further site of the outing, judged so by _continued
    accompanied: list[str] = field(default_factory=list)
    greeted: list[str] = field(default_factory=list)
    anchor: int = -1  # where its own report begins, if later than its sentence (one of several sites named there)
    first_leg: bool = False  # "The first leg of his guidance was X": X names the lead's site more exactly

    @property
    def at(self) -> int:
        return self.anchor if self.anchor >= 0 else self.start


class AppearanceStep:
    """Fills `appearances` and `officials`."""

    name = "appearances"

    def __init__(self, gazetteer: Gazetteer | None = None, model: SupportModel | None | bool = True) -> None:
        """`model`: the learned layer (enrich/appearance_model.py); True loads the shipped one, None or False
        leaves the rules alone."""
        gazetteer = gazetteer or load_gazetteer()
        self.people = korean_people(gazetteer)
        self.abroad = _visit_abroad(gazetteer)
        self.foreign = _foreign(gazetteer)
        self.visited_abroad = re.compile(_VISITED_IN + f"(?:{self.foreign.pattern})")
        self.model = load_appearance_model() if model is True else (model or None)
        self._title = ""

    def view(self, article: Article) -> tuple[str, int, int]:
        """The text the rules read (an ordinary-case view of a wire in capitals, the leader's name as written
        elsewhere; same length, so spans stay offsets into the input), and the body's start and end."""
        text = article.text
        end = min((f.start for f in article.furniture), default=len(text))
        body_start = article.dateline.end if article.dateline else article.body_start
        if shouting(text, body_start, end):
            text = case_view(text, body_start, end)
        if _may_miscase(text) and _LOWER_LEADER.search(text):  # "Leader kim jong il today enjoyed ...": the name
            text = _LOWER_LEADER.sub(lambda m: m.group(0).title(), text)  # as written elsewhere (same length)
        return text, body_start, end

    def gate(self, article: Article, text: str, body_start: int, end: int) -> bool:
        """Whether the dispatch may report an activity at all: most name no leader, or name him without an
        activity word beside his name (his works, his praise), or relay another outlet's account. Neither the
        rules nor the learned layer read the others (their lists of officials present are still read)."""
        return "Kim Jong" in text and not _RELAYED_TITLE.search(article.title) and _may_act(text, body_start, end)

    def rules(self, article: Article, text: str, body_start: int, end: int) -> list[_Activity]:
        """The activities the rules find, before the learned layer."""
        if not self.gate(article, text, body_start, end):
            return []
        return self._rules(article, text, split_sentences(text, body_start, end))

    def _rules(self, article: Article, text: str, sentences: list[tuple[int, int]]) -> list[_Activity]:
        activities = self._activities(article, text, sentences)
        if not _LEADER_TITLE.search(article.title):  # a feature on a farm, a policy, an orchestra: only what it
            activities = [a for a in activities if _timed(text, a) and (a.named or a.group != "site")]  # dates
            # at a site it names is news; "visited the factory on September 5" (the title's) looks back
        return activities

    def __call__(self, article: Article) -> Article:
        text, body_start, end = self.view(article)
        activities: list[_Activity] = []
        if self.gate(article, text, body_start, end):
            sentences = split_sentences(text, body_start, end)  # the rules and the layer read the same split
            activities = self._rules(article, text, sentences)
            if self.model is not None:
                activities = self._learned(article, text, sentences, activities, self.model)
        return self.finish(article, text, body_start, end, activities)

    def _learned(
        self,
        article: Article,
        text: str,
        sentences: list[tuple[int, int]],
        activities: list[_Activity],
        model: SupportModel,
    ) -> list[_Activity]:
        task = model.tasks[MODEL_TASK]
        candidates, documents = self.proposals(article, text, sentences, activities)
        scores = [task.score(document) for document in documents]
        return self.decide(
            article, text, activities, candidates, scores, task.threshold_with_rule, task.threshold_without_rule
        )

    def proposals(
        self, article: Article, text: str, sentences: list[tuple[int, int]], activities: list[_Activity]
    ) -> tuple[list[Candidate], list[str]]:
        """The candidate sentences of the learned layer and the documents the model reads for them
        (`sentences`: the body's, as split_sentences gives them)."""
        candidates = find_candidates(text, sentences, [(a.leader, a.start, a.end) for a in activities])
        candidates = candidates[:_CANDIDATES_READ]  # bounded work on a page naming him hundreds of times
        relay = next((start for start, stop in sentences if _RELAY.match(text[start:stop])), None)
        if relay is not None:  # "The paper said:": what follows is another outlet's account
            for candidate in candidates:
                candidate.relayed = candidate.start > relay
        position = {start: index for index, (start, _) in enumerate(sentences)}
        ruled = [(a.place, a.event_date, a.kind) for a in activities]
        documents = [
            candidate_document(
                text, candidate, position.get(candidate.start, 99), index, article.title, article.genre, ruled
            )
            for index, candidate in enumerate(candidates)
        ]
        return candidates, documents

    def decide(
        self,
        article: Article,
        text: str,
        activities: list[_Activity],
        candidates: list[Candidate],
        scores: list[float],
        with_rule: float,
        without_rule: float,
    ) -> list[_Activity]:
        """The rules' activities of a candidate the model scores below `with_rule` are dropped; a candidate
        the rules found nothing in is added at `without_rule` and above, read as the rules read a sentence."""
        dropped: set[int] = set()
        self._title = article.title
        for candidate, score in zip(candidates, scores, strict=True):
            if candidate.rules and score < with_rule:
                dropped.update(candidate.rules)
        kept = [a for i, a in enumerate(activities) if i not in dropped]
        added: list[_Activity] = []  # (a relayed title never gets here: the gate stops it)
        feature = not _LEADER_TITLE.search(article.title)
        for candidate, score in zip(candidates, scores, strict=True):
            if candidate.rules or candidate.relayed or score < without_rule:
                continue
            sentence = text[candidate.start : candidate.end]
            if _recollection(sentence, article.date):
                continue  # "visited the complex last December", "in 1998": the rules' time gates hold
            if _ACCORDING.match(sentence) or _OUTLET_SAID.search(sentence[:_PREFIX_READ]):
                continue  # "According to the website, Kim Jong Un inspected ...": another's account
            activity = self._proposed(text, candidate, article.date)
            if (
                activity is not None
                and not _stale(activity.event_date, article.date)
                and _new_activity(activity, kept + added, text)
                and (not feature or _timed(text, activity) and (activity.named or activity.group != "site"))
            ):
                added.append(activity)
        if not added:
            return kept
        out = sorted(kept + added, key=lambda a: a.start)
        for activity in added:  # "That day he gave on-site guidance to the farm of KPA unit no. 549": the day of
            sentence = text[activity.start : activity.end]  # the lead, as the rules date a later activity
            later = activity is not out[0] and activity.event_date is None and not _bullet(text, activity.start)
            if later and not _has_day_word(sentence):
                activity.event_date = out[0].event_date
        return out

    def _proposed(self, text: str, candidate: Candidate, date: str | None) -> _Activity | None:
        """The activity of a sentence the rules found none in: "The next leg of his guidance was X", "After
        touring X, he ...", else the first activity verb after the leader's name (or "he") and its object."""
        start, end = candidate.start, candidate.end
        if not _in_office(candidate.leader, date, text, start, end):
            return None
        leg = _LEG.match(text, start, end)
        if leg is not None:
            place = _place_after(text, leg.end(), end, "site")
            return self._activity(candidate.leader, "site", place, text, start, end, date, text[leg.end() : end])
        toured = _AFTER_TOURING.match(text, start, end)
        if toured is not None:
            place = _clean_place(text[toured.end() : _place_stop(text, toured.end(), end)])
            return self._activity(candidate.leader, "site", place, text, start, end, date, text[toured.end() : end])
        # the leader (or "he") as the verb's subject: not "a meeting ... to congratulate Kim Jong Il"
        mention = _LEADER.search(text, start, end) if candidate.named else _SUBJECT_HE.search(text, start, end)
        if mention is None or _GENITIVE.search(text[max(start, mention.start() - 80) : mention.start()]):
            return None
        prefix = text[start : mention.start()]
        if _THING_OF_HIS.search(prefix[prefix.rfind(",") + 1 :]):
            return None  # "Gifts leader Kim Jong Il received ... were displayed": his name in a clause of another's
        verb = _VERB_ANY.search(text, mention.end(), min(end, mention.end() + _PREFIX_READ))
        if verb is None or _GOT_THING.search(text, mention.end(), verb.start()):
            return None  # "received a letter of thanks from X, who visited ...": the verb is another's
        group = next(name for name in ("site", "event", "meet") if verb.group(name))
        place = _place_after(text, verb.end(), end, group)
        return self._activity(candidate.leader, group, place, text, start, end, date, text[verb.start() : end])

    def finish(self, article: Article, text: str, body_start: int, end: int, activities: list[_Activity]) -> Article:
        """Kinds abroad, the lists of officials, and the appearances assembled from the activities."""
        if activities and (self.abroad.search(article.title) or self._abroad_lead(text, activities[0])):
            for activity in activities:  # "Kim Jong Il's Visit to Northeast China": every site is diplomacy
                activity.kind = "diplomacy"
        lists = find_lists(text, body_start, end, self.people, activities, "Kim Jong" in text)
        article.appearances, article.officials = _assemble(activities, lists)
        return article

    def _abroad_lead(self, text: str, lead: _Activity) -> bool:
        """ "Kim Jong Il visited Komsomolsk-on-Amur, a major industrial city in the Far Eastern region of the
        Russian Federation": the first site is abroad, so the outing is (the title need not say so)."""
        if lead.group != "site":
            return False
        return self.visited_abroad.match(text, lead.start, lead.end) is not None

    def _activities(self, article: Article, text: str, sentences: list[tuple[int, int]]) -> list[_Activity]:
        date = article.date
        self._title = article.title  # the last resort of classify
        found: list[_Activity] = []
        lead_date: str | None = None
        previous: tuple[int, int] | None = None
        mentioned: str | None = None  # the leader the sentence before named
        last_named: str | None = None  # the leader named last
        recalled = False  # the sentence before told of another year: "... in September Juche 94 (2005)."
        undated: list[_Activity] = []  # the activities of the sentence before, if it gave no day
        for index, (s_start, s_end) in enumerate(sentences):
            sentence = text[s_start:s_end]
            new: list[_Activity] = []
            if not found and _RELAY.match(sentence):
                break  # "The paper conveyed news of ... It said:": what follows is another outlet's report
            if sentence.lstrip().startswith(('"', "“")):
                pass  # a quotation: someone's words about him, not the report
            elif _LEADER.search(text, s_start, s_end):  # not "Kim Jong Suk Sanatorium"
                new = self._named(text, s_start, s_end, date)
                if recalled and not found and not _has_day_word(sentence):
                    new = []  # "... in September 2005. Leader Kim Jong Il visited the farm": the story goes on
                if previous is not None and not found:
                    for activity in new:
                        _from_announcement(activity, text, previous, date)
            elif found:
                new = self._continued(text, s_start, s_end, found, date)
            elif mentioned is not None and index < 6:  # "... a combat order of Marshal Kim Jong Un. He watched"
                new = self._pronoun(text, s_start, s_end, mentioned, date)
            elif last_named is not None and _TITLED.match(sentence):  # "The Supreme Commander went to ..."
                new = self._pronoun(text, s_start, s_end, last_named, date)
            mention = _LEADER.search(text, s_start, s_end)
            if mention is not None:
                last_named = KIM_JONG_IL if mention.group("which").lower() == "il" else KIM_JONG_UN
            if mention is not None:  # the leader an event of the opening was tied to, until another is named
                ordered = _ORDERED.search(text, s_start, s_end)
                mentioned = (
                    (KIM_JONG_IL if mention.group("which").lower() == "il" else KIM_JONG_UN) if ordered else None
                )
            new = [activity for activity in new if not _stale(activity.event_date, date)]
            if not new and undated and _HELD_ON.match(sentence):  # "He guided a drill. The drill was staged
                day = event_day(text, s_start, s_end, date)  # on July 26.": the next sentence dates it
                if day is not None and not _stale(day, date):
                    for activity in undated:
                        activity.event_date = day
                    if found and found[0] is undated[0]:
                        lead_date = day
            undated = []
            recalled = not found and _other_year(sentence, date)
            bullet = bool(new) and _bullet(text, s_start)  # a press review's item is news of its own
            for activity in new:
                if activity.event_date is None and found and not bullet and not _has_day_word(sentence):
                    activity.event_date = lead_date
                if activity.first_leg and len(found) == 1 and place_similarity(found[0].place, activity.place) >= 0.5:
                    found[0].kind = activity.kind  # its kind too: "various units" named no army unit
                    found[0].place, found[0].named = activity.place, True  # "the construction site of the Huichon
                    continue  # Power Station ... The first leg of his guidance was the dam ... of Station No. 1"
                if (activity.place is not None or not bullet) and _same_as_earlier(activity, found):
                    continue
                if found and activity.group == "site" and _listed_part(text, found[0].end, activity):
                    continue  # "going round different gymnasiums, restaurants and hotels. ... the Basketball Gymnasium"
                if found and _performance_of_its_own(activity, found, text):
                    activity.further = True  # "After inspecting the unit, Kim Jong Il saw the performances given
                    # by the art propaganda squad of the large combined unit no. 324"
                if found and not bullet and not activity.further and (not activity.named or activity.group != "site"):
                    continue  # "He looked round the cemetery", "He met the officers there": counted already
                if not found:
                    lead_date = activity.event_date
                found.append(activity)
                if activity.event_date is None:
                    undated.append(activity)
            previous = (s_start, s_end)
        return _without_umbrella(found)

    def _named(self, text: str, s_start: int, s_end: int, date: str | None) -> list[_Activity]:
        """Activities whose subject is the leader, named in this sentence."""
        out: list[_Activity] = []
        for count, mention in enumerate(_LEADER.finditer(text, s_start, s_end)):
            if count == _MENTIONS_READ:
                break
            leader = KIM_JONG_IL if mention.group("which").lower() == "il" else KIM_JONG_UN
            if not _in_office(leader, date, text, s_start, s_end):
                continue
            near = max(s_start, mention.start() - _PREFIX_READ)  # bounded: a sentence can be a whole page
            prefix = text[near : mention.start()]
            presence = _PRESENCE.search(text, near, mention.end())
            if (
                presence is not None
                and presence.group("between")
                and not presence.group("between").startswith(("There", "there"))
            ):  # "Talks between Kim Jong Il ... and Hu Jintao ... were held": only as the sentence's subject
                opens = not text[s_start : presence.start()].strip()
                presence = presence if opens and _WERE_HELD.search(text, presence.end(), s_end) else None
            if presence is not None and presence.end() == mention.start():
                place = None
                if presence.group("held"):  # "A departure ceremony ... took place under the presence of ..."
                    place = _clean_place(re.sub(r"^[\s\-–]*(?:A|An|The)\s+", "", text[s_start : presence.start()]))
                if presence.group("between"):  # "There was a meeting between ... Kim Jong Il and ... in Moscow"
                    place = _place_after(text, mention.end(), s_end, "meet")
                    out.append(self._activity(leader, "meet", place, text, s_start, s_end, date, text[s_start:s_end]))
                    continue
                out.append(self._activity(leader, "event", place, text, s_start, s_end, date, prefix))
                continue
            prefix = _PAPERS_REPORT.sub("", prefix)
            # "In order to ..., which has set it ..., the respected Comrade Kim Jong Un made": the clause is his
            clause = prefix[prefix.rfind(",") + 1 :]
            if near == s_start and clause == prefix:  # "A few days ago Kim Jong Un visited": a time, not a clause
                clause = _DAYS_AGO.sub("", clause)
            if (
                _SUBORDINATE.search(clause)
                or _GENITIVE.search(prefix)
                or _ACCORDING.match(text, s_start, s_end)
                or _OUTLET_SAID.search(prefix)
            ):
                continue
            verb = _find_verb(text, mention.end(), s_end)
            if verb is None or _recollection(_main_clause(text, s_start, verb.end(), s_end), date):
                continue
            group = verb.lastgroup or "event"
            place = _place_after(text, verb.end(), s_end, group)
            out.append(self._activity(leader, group, place, text, s_start, s_end, date, text[verb.start() : s_end]))
            if group == "site":
                listed = _listed_sites(text, verb.end(), s_end)
                if listed:
                    out = [_with_place(out[0], site) for site in listed]
            then = _AND_THEN.match(text, _place_stop(text, verb.end(), s_end), s_end) if group == "site" else None
            if then is not None and len(out) == 1:  # "inspected the A Farm and then visited the B Factory"
                second = _place_after(text, then.end(), s_end, "site")
                if second and _new_establishment(second, out):
                    out.append(_with_place(out[0], second))
            break  # one activity per sentence from the named subject; more sites come from the object
        if len(out) == 1 and out[0].place and out[0].group == "site":
            sites = _split_sites(out[0].place)
            if len(sites) > 1:
                out = [_with_place(out[0], place) for place in sites]
        return out

    def _pronoun(self, text: str, s_start: int, s_end: int, leader: str, date: str | None) -> list[_Activity]:
        """ "He watched the ballistic rocket launch drill", right after a sentence naming the leader."""
        match = _PRONOUN.match(text[s_start:s_end])
        if match is None or not _in_office(leader, date, text, s_start, s_end):
            return []
        verb = _VERB.match(text, s_start + match.end())
        if verb is None or _recollection(_main_clause(text, s_start, verb.end(), s_end), date):
            return []
        group = verb.lastgroup or "event"
        place = _place_after(text, verb.end(), s_end, group)
        return [self._activity(leader, group, place, text, s_start, s_end, date, text[verb.start() : s_end])]

    def _continued(
        self, text: str, s_start: int, s_end: int, found: list[_Activity], date: str | None
    ) -> list[_Activity]:
        """ "The next leg of his inspection was X", "Then he visited X": a further site of the same outing, if it
        is named (a capitalised site, not "the barracks"); "He also looked round a field of KPA combined unit no.
        549", "After ..., he appreciated a performance given by ... unit no. 549": another unit than those
        counted. A part of the site ("of the combined stock farm") is the same appearance."""
        leader = found[-1].leader
        toured = _AFTER_TOURING.match(text, s_start, s_end)
        if toured is not None:  # "After touring Hamhung City, he examined ...": a named site toured first
            place = _clean_place(text[toured.end() : _place_stop(text, toured.end(), s_end)])
            if (
                place
                and place[0].isupper()
                and (_ESTABLISHMENT.search(place) or _SETTLEMENT.search(place))
                and not _PART_OF.search(text, toured.end(), s_end)
            ):
                activity = self._activity(leader, "site", place, text, s_start, s_end, date, text[toured.end() : s_end])
                activity.further = True
                return [activity]
        leg = _LEG.match(text, s_start, s_end)
        he = None if leg else _HE.match(text, s_start, s_end) or _AFTER_HE.match(text, s_start, s_end)
        verb = _VERB.match(text, he.end()) if he else None
        if (
            verb is not None
            and he is not None
            and he.group(0)[:1] in "AaFf"
            and verb.lastgroup != "event"
            and not _new_establishment(_clean_place(text[verb.end() : _place_stop(text, verb.end(), s_end)]), found)
        ):
            return []  # "After going round the golf course, he went to the pool": more of the same site
        if leg is None and verb is None:
            return []
        start = leg.end() if leg else verb.end()  # type: ignore[union-attr]
        if (
            _recollection(_main_clause(text, s_start, start, s_end), date)
            or _PART_OF.search(text, start, s_end)
            or _OWN_PART.match(text, start, s_end)
            or _refers_to_found(text, start, s_end, found)
        ):
            return []  # "the education room of the battery", "the Unit's Defence Theatre": the same site
        group = "site" if leg else verb.lastgroup or "event"  # type: ignore[union-attr]
        place = _place_after(text, start, s_end, group)
        if _FAMILY.match(place or "") or _GIVEN_BY_ITS.search(text, start, min(s_end, start + 120)):
            return []  # "He visited the family of ex-soldier Ri Chol", "a performance given by its soldiers"
        named = bool(place) and (
            place[0].isupper()  # type: ignore[index]
            or place[0].isdigit()  # type: ignore[index]
            or bool(_NAMED_INSIDE.search(place))  # type: ignore[arg-type]
            or bool(verb and _STRONG_VERB.match(verb.group(0)) and _ESTABLISHMENT.search(place.split(" of ")[0]))  # type: ignore[union-attr]
        )
        round_verb = verb is not None and "round" in verb.group(0).lower()
        performance = group in ("event", "site") and bool(_OVERRIDES[1][0].search(text, start, min(s_end, start + 60)))
        if performance and not any(a.kind == "culture" for a in found):
            pass  # "After concluding the inspection, he appreciated a performance given by ...": an event of its own
        elif not (leg or group == "site") or not named or (round_verb and not _SITE_HEAD.search(place or "")):
            unit = _UNIT_NUMBER.search(text, start, s_end)
            if unit is None or any(unit.group(1) in (a.place or "") for a in found):
                return []
            place = place or _clean_place(text[unit.start() : _place_stop(text, unit.start(), s_end)])
        activity = self._activity(leader, group, place, text, s_start, s_end, date, text[start:s_end])
        activity.further = True
        activity.first_leg = bool(leg) and leg.group(0).lstrip().lower().startswith(("the first", "first"))  # type: ignore[union-attr]
        listed = _listed_sites(text, start, s_end) if group == "site" and named else []
        if listed:  # "He then inspected the potato institute ..., Taehongdan power stations nos. 2 and 5 and ..."
            out = [_with_place(activity, site) for site in listed]
            for each in out:
                each.further, each.group = True, "site"
            return out
        return [activity]

    def _activity(
        self, leader: str, group: str, place: str | None, text: str, start: int, end: int, date: str | None, clause: str
    ) -> _Activity:
        kind = classify(clause, place, group, self._title)
        foreign = group == "meet" and kind != "diplomacy" and self.foreign.search(clause[:300]) is not None
        if foreign and not _COMPATRIOTS.search(clause[:300]):
            kind = "diplomacy"  # "received ... minister of National Defence ... of the People's Republic of China"
        day = event_day(text, start, end, date)
        return _Activity(leader, kind, place, day, start, end, _is_named(place), group=group)


# "He specified tasks for remodeling the village, going round different gymnasiums, restaurants and hotels": the
# kinds of parts the site has, so a later "Weightlifting Gymnasium" is one of them, not a further site
_PARTS_LISTED = re.compile(
    r"\b(?:round|rounds\s+of|having|has)\s+(?:the\s+)?(?:different|various|several|its)\s+"
    r"(?P<heads>[a-z]+s(?:,\s+(?:[a-z'’]+\s+)?[a-z]+s)*(?:,?\s+and\s+(?:[a-z'’]+\s+)?[a-z]+s)?)\b"
)


def _listed_part(text: str, start: int, activity: _Activity) -> bool:
    place, end = activity.place, activity.start
    if not place or start >= end:
        return False
    head = place.split()[-1].lower()
    for match in _PARTS_LISTED.finditer(text, start, end):
        heads = {word.rstrip(",") for word in match.group("heads").split()}
        if head + "s" in heads or head + "es" in heads:
            return True
    return False


def _new_activity(activity: _Activity, found: list[_Activity], text: str) -> bool:
    """Whether a sentence the model adds reports an activity not counted yet: the first of the dispatch, or
    one more that names a site or event of its own (the rules' rule for a later sentence: "He met the officers
    there", "he went round production processes", "The first leg of his guidance was" a site counted, "the
    Unit's Defence Theatre", "the education room of the battery": parts of one)."""
    if not found:
        return True
    place = activity.place
    if not place or not activity.named or _UMBRELLA.match(place):
        return False
    if _OWN_PART.match(" " + place) or _PART_OF.search(place):
        return False
    if activity.group == "site" and _listed_part(text, found[0].end, activity):
        return False  # "going round different gymnasiums, restaurants and hotels", then "Ryanggang Hotel"
    at = text.find(place, activity.start, activity.end)
    if at >= 0 and (_PART_OF.search(text, at, activity.end) or _refers_to_found(text, at, activity.end, found)):
        return False
    return all(
        a.leader != activity.leader or place_similarity(a.place, place) < 0.5 or _told_apart(a.place, place)
        for a in found
    )


# "the family of ex-serviceman Ri Chol", "servicemen's family whose father is ...": a home visited on the outing
_FAMILY = re.compile(
    r"^(?:[\w'’-]+\s+){0,2}?famil(?:y|ies)\b|^(?:(?:new|newly[- ]built)\s+)?(?:home|house|dwelling\s+house)s?\s+of\s+"
    r"(?:[a-z'’-]+\s+){0,3}[A-Z]"
)
_GIVEN_BY_ITS = re.compile(r"\b(?:given|performed|staged|presented)\s+by\s+(?:its|their)\s")

_AND_THEN = re.compile(
    r"\s+and\s+(?:then\s+|later\s+|also\s+)?(?:visited|inspected|toured|went\s+to|dropped\s+in\s+at|"
    r"gave\s+(?:field|on-the-spot|on-site)\s+guidance\s+to)\s+"
)


def _new_establishment(place: str | None, found: list[_Activity]) -> bool:
    """ "After inspecting the farm, he visited the Sinpho Shipyard": a named establishment told apart from every
    site counted is a further site."""
    return (
        bool(place)
        and place[0].isupper()  # type: ignore[index]
        and bool(_ESTABLISHMENT.search(place))  # type: ignore[arg-type]
        and all(_told_apart(place, a.place) for a in found if a.place)
    )


# A title about him or an event in his presence: "Kim Jong Un Inspects ...", "... Held in Presence of ...".
_LEADER_TITLE = re.compile(
    r"(?i:Kim\s*Jong|leader|supreme|marshal|general\s+secretary|chairman|comrade|presence|commander|secy|secretary|"
    r"president|press\s+review|review\s+of)"
)
_THIS_YEAR = re.compile(r"\bthis\s+year\b", re.I)
_RECENT = re.compile(
    r"\b(?:recently|(?:a\s+few|some|several|two|three|four|five)\s+days\s+ago|the\s+other\s+day)\b", re.I
)


def _timed(text: str, activity: _Activity) -> bool:
    """Whether the activity's sentence dates it as news: a day, "today", "recently", "a few days ago", "in May"
    (older months are recollections, dropped already)."""
    sentence = text[activity.start : activity.end]
    if _THIS_YEAR.search(sentence):  # "visited the factory on September 13 this year": a feature looking back
        return False
    return (
        activity.event_date is not None
        or _has_day_word(sentence)
        or bool(_RECENT.search(sentence) or _LAST_MONTH.search(sentence))  # "In May General Kim Jong Il visited"
    )


def _performance_of_its_own(activity: _Activity, found: list[_Activity], text: str) -> bool:
    """A performance he saw after a visit, given by others than the site's own people, is an event of its own."""
    return (
        activity.kind == "culture"
        and activity.group == "event"
        and not any(a.kind == "culture" for a in found)
        and bool(_OVERRIDES[1][0].search(text, activity.start, activity.end))
        and not _PART_OF.search(text, activity.start, activity.end)
        and not _refers_to_found(text, activity.start, activity.end, found)
    )


# "He then looked round the Unit's Defence Theatre": a part of the site, by its possessive
_OWN_PART = re.compile(
    r"\s*its\s|\s*(?:the\s+)?(?i:unit|factory|farm|complex|plant|mill|station|works|mine|company|university|school|"
    r"hospital|institute|base|enterprise|battery|regiment|battalion|division|detachment|ship)['’]s\b"
)
_OF_NAMED = re.compile(
    r"\b(?:of|under|in)\s+(?:the|its|this)\s+(?P<name>(?:[A-Z][\w'’-]*\s+){0,3}(?:Unit|Factory|Farm|Complex|Plant|"
    r"Mill|Station|Works|Mine|Company|University|School|Hospital|Institute|Base|Enterprise|Battery|Regiment|"
    r"Battalion|Division|Detachment))\b(?!\s+(?:[Nn]os?\.\s*)?\d)"
)


def _refers_to_found(text: str, start: int, end: int, found: list[_Activity]) -> bool:
    """ "a performance of the art propaganda troupe of the Combined Unit": "the Combined Unit" is a site
    counted already (its distinctive words are among that site's)."""
    for match in _OF_NAMED.finditer(text, start, end):
        words = _proper_words(match.group("name"))
        for activity in found:
            if (
                activity.place
                and place_similarity(match.group("name"), activity.place) >= 0.5
                and (words == {"*"} or words <= _proper_words(activity.place))
            ):
                return True
    return False


# "the dam construction site of the Hungbong Power Station": a description of a named site
_NAMED_INSIDE = re.compile(
    r"\bof\s+(?:the\s+)?(?:[A-Z][\w'’-]*\s+)+(?:Stations?|Factory|Complex|Farm|Mine|Works|Plant|Mill|Institute|"
    r"University|School|Hospital|Project|Dam|Shipyard|Enterprise|Company|Reservoir|Canal|Street)\b"
)
# "He then inspected the potato institute of the academy ...": a verb of a visit and an establishment's head
# name a further site even where the 1990s wires write it in lower case
_STRONG_VERB = re.compile(r"(?:[a-z]+\s+)*(?:inspected|visited|gave|provided|offered|paid)\b")
_ESTABLISHMENT = re.compile(
    r"\b(?:factory|complex|mine|farm|stations?|plant|works|institute|university|school|college|hospital|mill|"
    r"shipyard|enterprise|cooperative|academy|kindergarten|nursery|saltern)\b",
    re.I,
)

# "It said:", "The paper wrote:": the rest of the dispatch quotes another outlet
_RELAY = re.compile(
    r"^(?:It|The\s+(?:paper|newspaper|article|magazine|journal|website|web\s+site|daily|weekly|book|report|"
    r"programme|program|broadcast|bulletin|agency|news\s+agency|write-up|editorial))"
    r"(?:\s+(?:titled|entitled|headlined)\s+[\"“][^\"”]{0,200}[\"”])?\s+(?:said|says|wrote|writes|"
    r"reads?|went\s+on|continued|continues|added|noted|stressed)(?:\s+in\s+part)?\s*:"
)
# "In an article titled ... the paper said drawing world attention, Kim Jong Un inspected ...": its account
_OUTLET_SAID = re.compile(
    r"\b(?:the|a|an|its)\s+(?:paper|newspaper|article|magazine|journal|website|daily|weekly|book|bulletin|"
    r"agency|report|editorial|media)\s+(?:said|says|wrote|writes|reported|reports|noted|stressed|added)\b",
    re.I,
)
# "The drill was staged on July 26.": the sentence after an undated activity that gives its day
_HELD_ON = re.compile(
    r"^(?:The|This|It)\b[^.,;]{0,60}?\b(?:was|were)\s+(?:successfully\s+)?(?:staged|held|conducted|carried\s+out|"
    r"made|given|performed|launched|opened|done)\s+(?:[^.,;]{0,40}?\s)?(?:on|yesterday|today)\b"
)


def _other_year(sentence: str, date: str | None) -> bool:
    """ "Great emotion pervaded the farm in September Juche 94 (2005).": the sentence tells of another year."""
    if date is None:
        return False
    year = int(date[:4])
    return any(int(match.group(1)) not in (year, year - 1) for match in _YEAR.finditer(sentence))


_HELD = re.compile(r"\b(?:was|were)\s+(?:held|opened|given|staged|performed)\b|\btook\s+place\b|\bopened\b")


def _stale(day: str | None, date: str | None) -> bool:
    """ "visited the theater on Apr. 10" in a June dispatch: a past visit recalled, not this dispatch's news."""
    if day is None or date is None:
        return False
    return (dt.date.fromisoformat(date) - dt.date.fromisoformat(day)).days > 45


def _bullet(text: str, start: int) -> bool:
    """An item of a press review ("- The respected Comrade Kim Jong Un inspected ..."): news of its own."""
    line = text.rfind("\n", 0, start) + 1
    return text[line:start].strip() in ("-", "–", "—", "•")


def _from_announcement(activity: _Activity, text: str, previous: tuple[int, int], date: str | None) -> None:
    """ "A national meeting was held at the Pyongyang Indoor Stadium today ... Leader Kim Jong Il was present
    at the meeting.": the event's day and place are the sentence before's."""
    if activity.group != "event" or (activity.place and activity.event_date):
        return
    start, end = previous
    if not _HELD.search(text, start, end):
        return
    if activity.event_date is None:
        activity.event_date = event_day(text, start, end, date)
    if activity.place is None:
        at = re.search(r"\b(?:at|in)\s+(?:the\s+)?(?=[A-Z])", text[start:end])
        if at:
            p_start = start + at.end()
            activity.place = _clean_place(text[p_start : _place_stop(text, p_start, end)])


_UMBRELLA = re.compile(
    r"^(?:several|some|many|various|different|a\s+number\s+of\s+)?\s*(?:[a-z-]+\s+){0,2}"
    r"(?:establishments|units|places|sites|factories|farms|enterprises|works|objects|projects|companies|"
    r"detachments|posts|stations|bases|complexes|fields?|sectors|domains)\b"
    r"|^(?:the\s+)?work\s+(?:in|of)\s+(?:various|different|several|many|all)\b"
    r"|^(?:the\s+)?(?:construction|building)\s+(?:sites?\s+)?of\s+(?:[a-z-]+\s+){0,2}(?:stations|factories|"
    r"plants|farms|houses|dwelling\s+houses|projects|bases|facilities)\b"
)


# "visited X, a city in the Far Eastern region of the Russian Federation", "arrived in Vladivostok, Russia"
_VISITED_IN = (
    r"[^.;]{0,300}?\b(?:visited|toured|arrived\s+in|went\s+to|inspected)\s+[^;.]{0,120}?"
    r"(?:(?<!aid\s)(?<!help\s)(?<!assistance\s)(?<!support\s)(?<!cooperation\s)(?<!friendship\s)\b(?:in|of)\s+(?:the\s+)?(?:(?:[Ff]ar\s+)?(?:[Ee]astern|[Nn]orth(?:ern|east(?:ern)?)?|[Ss]outh(?:ern)?|[Ww]estern)\s+"
    r"(?:region|part|area)\s+of\s+(?:the\s+)?)?|,\s+)"
)


def _foreign(gazetteer: Gazetteer) -> re.Pattern[str]:
    """A foreign country or its people's name ("People's Republic of China", "Russian"): not Korea's."""
    names = sorted(
        {a for n in gazetteer.names if n.type == "country" and n.country not in ("KP", "KR") for a in n.aliases},
        key=len,
        reverse=True,
    )
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in names if len(name) > 3) + r")\b")


def _visit_abroad(gazetteer: Gazetteer) -> re.Pattern[str]:
    """A title that says the outing is abroad: "Kim Jong Il Visits Russia", "... Visit to Northeast China"."""
    names = sorted(
        {a for n in gazetteer.names if n.type == "country" and n.country not in ("KP", "KR") for a in n.aliases},
        key=len,
        reverse=True,
    )
    countries = "|".join(re.escape(name) for name in names if len(name) > 3)
    return re.compile(
        rf"\b(?:[Vv]isits?|[Tt]our|[Tt]rip|[Tt]ransit|[Aa]rrives?\s+in|[Ll]eaves?\s+for)\b[^.]{{0,25}}?"
        rf"(?:\bto\s+|\bof\s+|\bin\s+|\bthrough\s+|\s)(?:the\s+)?(?:[Nn]ortheast(?:ern)?\s+|[Ff]ar\s+[Ee]ast\s+of\s+)?"
        rf"(?:{countries})\b"
    )


def _without_umbrella(found: list[_Activity]) -> list[_Activity]:
    """ "gave field guidance to industrial establishments in Hamhung ... The first leg of his guidance was the
    Hungnam Fertilizer Complex": the sites named after are the appearances, not the group before them."""
    first = found[0].place if found else None
    if len(found) > 1 and first and not _UNIT_NUMBER.search(first) and (_UMBRELLA.match(first) or not _is_named(first)):
        found = found[1:]
    # "Accompanying him were ... Leader Kim Jong Il visited different units in the province including the
    # July 6 Railway Factory, ...": a later group is no appearance either, when named sites follow it
    return [
        a
        for i, a in enumerate(found)
        if not (a.place and _UMBRELLA.match(a.place) and not _UNIT_NUMBER.search(a.place))
        or not any(b.named and b.group == "site" for b in found[i + 1 :])
    ]


_ROUGH_END = re.compile(r"\n|(?<![A-Z]\.[A-Z])(?<!\b(?:No|no|Mt|Co|St))(?<!\bCol|\bnos)\.\s")


_MENTIONS_READ = 200  # of a dispatch's mentions of a leader, those read for his verb (KCNA: a few dozen)
_PREFIX_READ = 400  # characters before a leader's name read for what governs it
_HE_NEXT = re.compile(r"\s*He\s")
_PRESENCE_CUES = ("resen", "guidance of", "supervision of", "initiative of", "meeting between", "talks between")


def _may_act(text: str, start: int, end: int) -> bool:
    """Whether some mention of a leader has an activity verb near it, or follows "presence of"/"Present
    ... was": else the dispatch only names him (his works, his praise), and no sentence is split."""
    for count, mention in enumerate(_LEADER.finditer(text, start, end)):
        if count == _MENTIONS_READ:
            break  # a page naming him hundreds of times without his verb is no report of an activity
        stop = _ROUGH_END.search(text, mention.end(), min(end, mention.end() + 500))
        if _find_verb(text, mention.end(), stop.start() if stop else min(end, mention.end() + 500)) is not None:
            return True
        if stop is not None and _HE_NEXT.match(text, stop.end()):
            return True  # "... by a combat order of Marshal Kim Jong Un. He watched the drill"
        before = text[max(start, mention.start() - 200) : mention.start()].lower()  # "Talks between ..."
        if any(cue in before for cue in _PRESENCE_CUES):
            return True
    return False


def _in_office(leader: str, date: str | None, text: str, start: int, end: int) -> bool:
    """Kim Jong Il's activities end with his death; before it, Kim Jong Un only accompanied him."""
    if date is None:
        return True
    if leader == KIM_JONG_IL:
        return date <= KJI_LAST_DAY
    return date >= KJU_SUCCESSION or "Kim Jong Il" not in text[start:end]


def _find_verb(text: str, pos: int, end: int) -> re.Match[str] | None:
    """The leader's own verb: the first activity verb after his name, with only an apposition between."""
    window_end = min(end, pos + 500)
    if pos < len(text) and text[pos].islower():  # kcna.kp's glued markup: "ComradeKim Jong Unmade a speech"
        return _VERB.match(text, pos, window_end)
    for match in _VERB_SEARCH.finditer(text, pos, window_end):
        verb = _VERB.match(text, match.start())
        if verb is None:
            continue
        between = _WHO_IS.sub(",", text[pos : match.start()])
        if _BETWEEN_BAD.search(between):
            return None
        if (
            between.strip()
            and not between.lstrip().startswith((",", "together", "and his wife", "and Ri", "with", "of the "))
            and not re.fullmatch(r"\s*(?:\w+\s*){0,2}", between)
            and not _FIRST_DEED.fullmatch(between)
        ):
            return None
        return verb
    return None


# "Kim Jong Un learned about the specifications of the missile and watched its test-fire", "Kim Jong Il came out
# to the airport and saw off ...": a deed of his own, then the activity
_FIRST_DEED = re.compile(
    r"\s*(?:learned|learnt|acquainted\s+himself|came\s+out|went\s+out|was\s+briefed)\b[^,;.]{0,160}\s+and\s+"
)
_WHO_IS = re.compile(r"^\s*,?\s*who\s+(?:is|was)\s+(?:also\s+)?")  # "Kim Jong Un, who is also first secretary ..."
_VERB_SEARCH = re.compile(
    r"(?<![\w-])(?:gave|provided|offered|conducted|inspected|visited|toured|went|looked|dropped|called|arrived|"
    r"climbed|directed|paid|watched|saw|enjoyed|attended|was|were|took|participated|presided|guided|oversaw|entered|"
    r"observed|supervised|laid|cut|made|delivered|stood|hosted|received|met|had|held|posed|also|recently|"
    r"convened|convoked|"
    r"appeared|appreciated|invited|field|on-the-spot|on-site|came|moved|proceeded|headed|"
    r"personally|again|then|yesterday|today|on|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"first|warmly|once|this)(?![\w-])"
)


def _place_stop(text: str, start: int, end: int) -> int:
    """Where the place that starts at start ends; its leading modifiers ("the newly built") are no end."""
    lead = _LEAD_MODIFIERS.match(text, start, end)
    stop = _PLACE_END.search(text, lead.end() if lead else start, end)
    return stop.start() if stop else end


_LEAD_MODIFIERS = re.compile(
    r"\s*(?:(?:the|a|an|newly|just|recently)[- ](?:built|completed|commissioned|renovated|reconstructed|"
    r"remodell?ed|modernized|modernised|expanded)?\s*)+"
)


def _place_after(text: str, start: int, end: int, group: str) -> str | None:
    """The site or event the verb's object names: a site's name; for an event, who gave it ("a performance
    given by X") or where ("... at the X"); for a meeting, where it was, if said."""
    stop = _place_stop(text, start, end)
    obj = text[start:stop]
    if group == "site":
        place = _clean_place(obj)
        return place if place and not _is_pronoun(place) else None
    title = _QUOTED_TITLE.match(text, start, end)
    if title:  # made a speech "Let Us Further Strive ...": the speech's title is no place
        start = title.end()
        stop = _place_stop(text, start, end)
        obj = ""
    window = text[start:end]
    if group == "meet" and text[:start].endswith(
        ("invited", "called")
    ):  # "invited the scientists to the building of ..."
        invited = _INVITED_TO.search(window)
        if invited:
            i_start = start + invited.end()
            return _clean_place(text[i_start : _place_stop(text, i_start, end)])
    given = _GIVEN_BY.search(window)
    if given:
        g_start = start + given.end()
        return _clean_place(text[g_start : _place_stop(text, g_start, end)])
    at = _AT_PLACE.search(window)
    if at:
        a_start = start + at.end()
        return _clean_place(text[a_start : _place_stop(text, a_start, end)])
    if group == "event":
        place = _clean_place(obj)
        return place if place and _is_named(place) else None
    return None


def _clean_place(raw: str) -> str | None:
    place = " ".join(raw.split()).strip(" -–—\"“”'")
    while True:
        stripped = _ARTICLE.sub("", place)
        if stripped == place:
            break
        place = stripped
    return place or None


def _is_pronoun(place: str) -> bool:
    return place.lower() in {"it", "them", "there", "here", "him", "her", "the place", "the site"}


def _is_named(place: str | None) -> bool:
    """A site the text names ("Kangdong Greenhouse Farm", "KPA Unit 851"), not a description ("a company")."""
    return bool(place) and bool(re.search(r"(?:^|\s)(?:[A-Z][\w'’.-]*|\d+)", place or ""))


def _with_place(activity: _Activity, place: str) -> _Activity:
    return _Activity(
        activity.leader,
        classify(place, place, "site") if place != activity.place else activity.kind,
        place,
        activity.event_date,
        activity.start,
        activity.end,
        True,  # one of several sites the sentence names
    )


_INCLUDING = re.compile(r"\s(?:including|such\s+as|namely)\s+")
_APPOSITION = re.compile(r"\s*(?:a|an|one|which|where|the\s+(?:[a-z-]+\s+)*(?:one|place|site))\b")
_LIST_JOIN = re.compile(r",\s*(?:and\s+)?")
_OTHERS = re.compile(r"\s+(?:and|as\s+well\s+as)\s+(?:many\s+|several\s+)?(?:other|others|so\s+on)\b.*$|,?\s+etc\.?$")


def _listed_sites(text: str, start: int, end: int) -> list[str]:
    """The sites an object lists: "inspected the potato institute ..., Taehongdan power stations nos. 2 and
    5 and other units", "visited different units including the A Factory, the B Plant and the C Farm": each
    one a site (two at least), in order; [] when the object is one site."""
    stop = _place_stop(text, start, end)
    including = _INCLUDING.search(text, start, stop)
    if including and (
        not _UMBRELLA.match(_clean_place(text[start : including.start()]) or "")
        or _PART_OF.search(text, start, including.start())
    ):
        including = None  # "looked round different places of the factory including ...": parts of one site
    pos = including.end() if including else start
    sites: list[str] = []
    while pos < end:
        stop = _place_stop(text, pos, end)
        if sites and _APPOSITION.match(text, pos, stop):
            break  # "the Ryongsong Machine Complex, a leading machine-building centre": the same site described
        part = _clean_place(_OTHERS.sub("", text[pos:stop]))
        if not part or not _SITE_HEAD.search(part) or len(part.split()) < 2:
            break
        sites.extend(_split_sites(part))
        joiner = _LIST_JOIN.match(text, stop, end)
        if joiner is None:
            break
        pos = joiner.end()
    if including and len(sites) == 1:
        return sites
    return sites if len(sites) > 1 else []


_SITE_SPLIT = re.compile(
    r",\s+(?:and\s+)?(?:the\s+)?(?=[A-Z])|\s+and\s+(?:the\s+|a\s+)?(?=[A-Z])|\s+and\s+(?:the|an?)\s+"
)
_UNITS = re.compile(r"^(?P<head>(?:[\w-]+\s+){0,3}?[Uu]nit)s\s+(?:[Nn]os?\.?\s*)?(?P<a>\d+)\s*(?:,|and)\s*(?P<b>\d+)$")


def _split_sites(place: str) -> list[str]:
    """ "Kusong Machine-Tool Factory and the Thaechon Power Station": two sites, two appearances; "KPA units
    nos. 179 and 779" too. A name with "and" inside ("Ministry of Land and Environment Protection") stays."""
    units = _UNITS.match(place)
    if units:
        head = units.group("head")
        return [f"{head} no. {units.group('a')}", f"{head} no. {units.group('b')}"]
    if _UMBRELLA.match(place):  # "various units in Kilju County and Kim Chaek City": one group
        return [place]
    parts = [p.strip() for p in _SITE_SPLIT.split(place) if p and p.strip()]
    if len(parts) < 2 or any(len(p.split()) < 2 or not _SITE_HEAD.search(p) for p in parts):
        return [place]
    return parts


_SITE_HEAD = re.compile(
    r"(?i)\b(?:factory|complex|mine|farm|station|plant|works|institute|university|school|college|hospital|"
    r"unit|units|detachment|base|company|battalion|regiment|division|post|farms?|shop|store|centre|center|"
    r"palace|hall|museum|park|street|site|mill|camp|home|house|academy|laboratory|restaurant|theatre|"
    r"theater|stadium|exhibition|zoo|bridge|dam|port|harbour|harbor|island|islet|bureau|headquarters|"
    r"command|corps|office|garden|nursery|resort|workshop|shipyard|enterprise|cooperative|base|kindergarten|"
    r"saltern|greenhouse|orchard|ranch|tower|monument|cemetery|ground|rink|pool|fair|"
    r"institution|laboratory|battery|brigade|squadron|fleet|airfield|outpost)(?:s|es)?\b"
)


def _same_as_earlier(activity: _Activity, found: list[_Activity]) -> bool:
    """The same site reported again later in the dispatch ("He arrived at KPA unit no. 179")."""
    if activity.place is None:
        return bool(found) and not activity.named
    for a in found:
        if (
            a.leader == activity.leader
            and not (a.place and _UMBRELLA.match(a.place))
            and (not activity.further or a.group == activity.group)  # a performance after the site's tour
            and place_similarity(a.place, activity.place) >= 0.6
            and not _proper_words(a.place).isdisjoint(_proper_words(activity.place) or _proper_words(a.place))
            and not _told_apart(a.place, activity.place)
        ):
            if any(b is not a and b.start == a.start for b in found):  # one of several sites of one sentence:
                a.anchor = activity.start  # its own report begins here ("Kim Jong Il visited KPA Naval Unit 597")
            return True
    return False


def _told_apart(a: str | None, b: str | None) -> bool:
    """ "Janggang Mushroom Farm" and "Janggang Rabbit Breeding Stock Farm", "Pukjung Machine Complex" and "Rakwon
    Machine Complex": each name has a word of its own, so two sites however much else they share."""
    left, right = _proper_words(a) - {"*"}, _proper_words(b) - {"*"}
    return bool(left - right) and bool(right - left)


def _proper_words(place: str | None) -> set[str]:
    """The words that tell one named site from another ("Mu" in "Hero Defence Detachment on Mu Islet"); a
    place without any is told by its other words (an empty set here never makes two places differ)."""
    words = set(re.findall(r"\b[A-Z][\w'’-]*", place or "")) - _GENERIC_WORDS
    return words or {"*"}


_GENERIC_WORDS = frozenset(
    "Hero Defence Defense Detachment Islet Island Unit KPA Korean People's Army Factory Complex Farm Works Plant "
    "Station Power Mine Company Battalion Regiment Division Corps Command Base Institute University School "
    "College Hospital Street Revolutionary Youth General Co-op Cooperative The Large Combined Sub-Unit".split()
)

_STOP_WORDS = frozenset("the a an of in on at and for to by with its his newly built".split())


def place_words(place: str | None) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", (place or "").lower()) if w not in _STOP_WORDS}


def place_similarity(a: str | None, b: str | None) -> float:
    """Overlap of the content words over the shorter name's: "KPA Unit 851" is "KPA Unit 851 of the ..."."""
    left, right = place_words(a), place_words(b)
    if not left or not right:
        return 1.0 if not left and not right else 0.0
    numbers_left, numbers_right = {w for w in left if w.isdigit()}, {w for w in right if w.isdigit()}
    if numbers_left and numbers_right and not numbers_left & numbers_right:
        return 0.0  # "KPA Unit 179" is not "KPA Unit 779"
    return len(left & right) / min(len(left), len(right))


_RELATIVE = re.compile(r"\s(?:which|that|who|honou?red|known|built|commissioned|completed)\s")


def _main_clause(text: str, start: int, verb_end: int, end: int) -> str:
    """The sentence up to a relative clause after the verb's object: "... Power Station No. 1 which was
    commissioned in October last year" dates the station, not the visit; "one day in September" anywhere in
    it dates the visit (a story told later)."""
    cut = _RELATIVE.search(text, verb_end, end)
    if cut and _ONE_DAY.search(text, cut.start(), end):
        return text[start:end]
    return text[start : cut.start() if cut else end]


_ONE_DAY = re.compile(r"\bone\s+(?:day|night|morning|evening)\s+(?:in|last|of)\b", re.I)


def _recollection(sentence: str, date: str | None) -> bool:
    """ "during his visit in 1998", "One day in June Juche 88 (1999)": a year other than the dispatch's."""
    if _PAST.search(sentence):
        return True
    if date is None:
        return False
    year = int(date[:4])
    last = _LAST_MONTH.search(sentence)
    if last is not None:  # "visited the plant last October": months before, not this dispatch's news
        back = (int(date[5:7]) - MONTHS[last.group(1).lower()]) % 12
        if back >= 2 or back >= 1 and last.group(0)[:4].lower() == "last":  # "last December" in January
            return True
    for dated in _MONTH_YEAR.finditer(sentence):  # "in October, Juche 87 (1998)" in an October 1999 dispatch
        back = (year - int(dated.group("y"))) * 12 + int(date[5:7]) - MONTHS[dated.group("m").lower()]
        if back > 2:
            return True
    return any(int(match.group(1)) not in (year, year - 1) for match in _YEAR.finditer(sentence))


_MONTH_YEAR = re.compile(
    r"\b(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?:\s+\d{1,2})?,?\s+(?:Juche\s+\d+\s+)?\(?(?P<y>(?:19|20)\d\d)\b"
)
_PAST = re.compile(
    r"\b(?:(?:19|20)\d0s|after\s+the\s+liberation|during\s+the\s+war|in\s+his\s+(?:childhood|boyhood|youth|days)|"
    r"years?\s+ago|one\s+day|in\s+those\s+days|long\s+ago|in\s+the\s+past|once\s+visited|last\s+year|"
    r"in\s+his\s+lifetime|(?:on|more\s+than)\s+[\d,]+\s+(?:occasions|times)|every\s+time|each\s+time|"
    r"(?-i:twice|thrice)(?!\s+[A-Z])|(?:two|three|four|five|six|several|many|dozens\s+of|hundreds\s+of|\d+)\s+"
    r"times|in\s+recent\s+years|in\s+the\s+year|this\s+(?:year|month)\s+alone|(?:in|over)\s+the\s+(?:past|last)\s+"
    r"(?:year|\w+\s+years|\w+\s+months)|last\s+month|(?:during|in|on)\s+his\s+(?:visits|trips|tours)|"
    r"(?:dozens|scores|hundreds|tens)\s+of\s+(?:[a-z-]+\s+)?(?:units|factories|farms|sites|places|enterprises)|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+last|"
    r"(?:he|she|they)\s+(?:said|stressed|noted|added|recalled|pointed\s+out|underscored|emphasi[sz]ed)|"
    r"(?:the|its)\s+(?:letter|message|article|speech|book|report)\s+(?:said|says|noted|stressed))\b",
    re.I,
)
_LAST_MONTH = re.compile(
    r"\b(?:[Ll]ast|[Ii]n)\s+(January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
# A year as a date ("in 1998", "in June Juche 88 (1999)", "January 5, 1998"), not a unit's number ("KPA Unit 1969")
_YEAR = re.compile(
    r"(?:\b(?:[Ii]n|[Ss]ince|[Dd]uring|of|[Yy]ear)\s+(?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2},?\s+)?(?:Juche\s+\d+\s+)?\(?|\(|\d,\s)"
    r"(19[4-9]\d|20[0-4]\d)(?![\d-])"
)
_DAY_WORD = re.compile(
    r"\b(?:yesterday|today|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Mar\.|Apr\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s+\d{1,2}(?!\d))"
)
_ABBREVIATED = re.compile(
    r"\b(?P<m>Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.\s+(?P<d>\d{1,2})(?!\d)(?:,?\s+(?P<y>\d{4}))?"
)
_FULL = re.compile(
    r"\b(?P<m>January|February|March|April|May|June|July|August|September|October|November|December)\s+"
    r"(?P<d>\d{1,2}),?\s+(?P<y>(?:19|20)\d{2})\b"
)
_MONTH_ABBR = {"sep": 9, "sept": 9}


def _has_day_word(sentence: str) -> bool:
    """Whether the sentence gives a day of its own ("the June 1 Youth Electric Appliance Factory" does not)."""
    return bool(_DAY_WORD.search(_without_named_days(sentence)))


def _without_named_days(sentence: str) -> str:
    """The sentence with its days that are no event's day blanked out (same length): "the occasion of the Day
    of the Sun (April 15)", "the July 7 Complex"."""
    if _MARK_DATE.search(sentence):
        sentence = _MARK_DATE.sub(lambda m: " " * len(m.group(0)), sentence)
    if _NAMED_FOR_DAY.search(sentence):
        sentence = _NAMED_FOR_DAY.sub(lambda m: " " * len(m.group(0)), sentence)
    return sentence


def event_day(text: str, start: int, end: int, date: str | None) -> str | None:
    """The day the sentence dates its activity: "yesterday", "on Monday", "on July 14" against the dispatch's
    date, "July 14, 2016" as written; None for "recently" or no day at all (never the dispatch's own date)."""
    sentence = _without_named_days(text[start:end])  # "the July 7 Complex", "April 25 Team": names, not days
    if _DATE_RANGE.search(sentence):  # "from Sept. 14 to 15": a span gives no one day
        return None
    full = _FULL.search(sentence)
    if full:
        return _day(int(full.group("y")), MONTHS[full.group("m").lower()], int(full.group("d")))
    abbreviated = _ABBREVIATED.search(sentence)
    if abbreviated and date:
        month_key = abbreviated.group("m").lower()
        month = _MONTH_ABBR.get(month_key) or MONTHS.get(month_key) or _month_number(month_key)
        if abbreviated.group("y"):
            return _day(int(abbreviated.group("y")), month, int(abbreviated.group("d")))
        anchor = dt.date.fromisoformat(date)
        year = anchor.year if month <= anchor.month + 1 else anchor.year - 1
        return _day(year, month, int(abbreviated.group("d")))
    for expression in resolve_relative_dates(sentence, 0, len(sentence), date):
        if len(expression.date) == 10:
            return expression.date
    return None


# "on the occasion of the Day of the Sun (April 15)", "the anniversary of ... July 27": not the event's day
_MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
_NAMED_FOR_DAY = re.compile(
    rf"\b(?:the|The)\s+(?:{_MONTH_NAMES})\s+\d{{1,2}}\b"
    rf"|(?<!\bon\s)(?<!\bOn\s)(?<!\bof\s)(?<!,\s)(?<!\bsince\s)(?<!\bfrom\s)\b(?:{_MONTH_NAMES})\s+\d{{1,2}}"
    r"(?=\s+[A-Z][a-z])(?!\s+(?:Kim|General|Supreme|Marshal|Leader|Respected|Comrade|Chairman|President|He)\b)"
)
_DATE_RANGE = re.compile(
    rf"\b(?:from|between)\s+(?:(?:{_MONTH_NAMES}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?\s+)?\d{{1,2}}"
    rf"(?:,?\s+\d{{4}})?\s+(?:to|till|until|through|and)\s+(?:(?:{_MONTH_NAMES}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|"
    rf"Oct|Nov|Dec)\.?\s+)?\d{{1,2}}(?!\d)"
    rf"|\b(?:{_MONTH_NAMES})\s+\d{{1,2}}\s*[-–]\s*\d{{1,2}}(?!\d)"
)
_MARK_DATE = re.compile(  # "(April 15)", the '"April 25" Team', "the Day of ..."
    r"\([A-Z][a-z]+\.? \d{1,2}\)|[\"“'‘][A-Z][a-z]+\.? \d{1,2}[\"”'’]|\b(?:anniversary|birthday|Day)\s+of\b[^,.]{0,80}"
)


def _month_number(key: str) -> int:
    names = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    return names.index(key[:3]) + 1


def _day(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# The kind, by the first word of a kind in the activity's clause (English names the head first: "women's
# battery of KPA Unit 821" is military, "Undok Power Station built by KPA Unit 549" economy).
_KIND_WORDS = {
    "diplomacy": r"delegations?|ambassadors?|envoys?|President\s+of\s+the\s+(?!Presidium)|Prime\s+Minister|"
    r"foreign|talks|summit|guests?|premier\s+of|state\s+council|Chinese|Russian|Cuban|Vietnamese|"
    r"Lao|Mongolian|Indonesian|Syrian|U\.S\.|south\s+Korean\s+president",
    "culture": r"performances?(?!\s+tests?)|cinema|concerts?|films?|movies?|plays?|opera|operas|games?|match|matches|"
    r"exhibitions?|"
    r"museums?|art\s+troupe|ensembles?|band|chorus|circus|gymnastic|mass\s+games|show|art\s+squad|"
    r"art\s+agitation|artistes|sports|contest|theatre|theater|paintings?|studio|art\s+works?|comed(?:y|ies)|"
    r"dramas?|musicals?|ballets?|symphon(?:y|ies)|acrobatics|revues?|recitals?|choirs?|dances?",
    "politics": r"revolutionary\s+(?:sites?|battle\s+sites?|old\s+sites?)|"
    r"meetings?|congress|plenary|conference|sessions?|Kumsusan|cemetery|ceremony|elections?|"
    r"parade|rally|commemorat\w*|funeral|bier|memorial|Central\s+Committee|headquarters\s+building|"
    r"statues?|mausoleum|tribute|homage|wreath|mourn\w*|banquet|celebrations?|reception|towers?|monuments?",
    "military": r"KPA|Unit|units|army|drills?|(?<!physical )exercises?|test-fire|test-firing|test\s+fire|launch\w*|"
    r"missiles?|"
    r"rockets?|artillery|air\s+force|navy|naval|navy|defence\s+detachment|detachment|battery|outposts?|"
    r"(?<!branch\s)(?<!trading\s)(?<!group\s)(?<!joint\s)company|"
    r"battalion|regiment|division|corps|military|munitions|weapons?|firing|front-line|frontline|posts?|warships?|"
    r"submarines?|tanks?|guns?|servicepersons|soldiers|Academy\s+of\s+Defence|drones?|nuclear|"
    r"troops|barracks|combat|command|bombers?|fighters?|flight|airfield|border\s+guard|(?:national\s+)?defence|defense",
    "economy": r"factory|complex|mine|farms?|construction|power\s+station|plant|works|shops?|stores?|hospital|"
    r"schools?|universit\w+|institute|restaurant|camp|greenhouse|housing|houses|streets?|mill|enterprise|"
    r"cooperative|land\s+realignment|project|laboratory|centre|center|shipyard|station|dam|orchard|"
    r"nursery|resort|hotel|department\s+store|market|dairy|co\.|corporation|group|saltern|kindergarten|"
    r"cultivation|crops?|orchards?|city|county|town|district|(?:rest|old\s+people's|children's|baby)\s+homes?|"
    r"sanatorium|spa|motorway|highway|railway|bridge|port|harbou?r|tourist\s+area",
}
_KIND = re.compile("|".join(f"(?P<{kind}>\\b(?:{words})\\b)" for kind, words in _KIND_WORDS.items()), re.I)
_OVERRIDES = (  # a site named for a purpose is that purpose, whatever else the clause says
    (re.compile(r"\b(?:Kumsusan|Revolutionary\s+Martyrs\s+Cemetery|Patriotic\s+Martyrs)", re.I), "politics"),
    (re.compile(r"\b(?:performances?(?!\s+tests?)|concerts?|art\s+squads?|art\s+agitation|films?|operas?|exhibitions?|"
                r"museums?|games?|match(?:es)?|comed(?:y|ies)|dramas?|musicals?|ballets?|symphon(?:y|ies)|"
                r"acrobatics|revues?|recitals?)\b", re.I), "culture"),
)  # fmt: skip


def classify(clause: str, place: str | None, group: str, title: str = "") -> str:
    """economy, military, culture, politics or diplomacy: what he did and where (docs/labeling.md). An event
    is what it is ("enjoyed a performance given by the merited choir of the KPA" is culture); a site is what
    its name's head says; where neither says, the dispatch's title, else politics for an event or a
    meeting, economy for a site."""
    if group in ("event", "meet") and _MILITARY_EVENT.search(clause[:250]):
        return "military"  # "oversaw a test-fire for verifying the performance of ..."
    if group in ("event", "meet") and _MILITARY_EVENT.search(title) and _HONOURS_EVENT.search(clause[:150]):
        return "military"  # "Commendations Awarded to Contributors to ICBM Test-launch": "attended the ceremony"
    if group == "meet" and _KIND_DIPLOMACY.search(clause) and not _COMPATRIOTS.search(clause):
        return "diplomacy"
    if _WITH_FOREIGN.search(clause[:200]):  # "attended the ceremony together with Russian President V.V. Putin"
        return "diplomacy"
    if group in ("event", "meet") and _DEFENCE_MEETING.search(clause[:150]):
        return "military"  # "convened a consultative meeting on national defence and security"
    if group == "event" and _HOSTED_FOR.search(clause[:150]) and _KIND_FOREIGN.search(clause[:300]):
        return "diplomacy"  # "hosted a dinner in honor of Wen Jiabao, ... premier of the State Council of China"
    if _GOODS_EXHIBITION.search(place or "") or group != "meet" and _GOODS_EXHIBITION.search(clause[:150]):
        return "economy"  # "a farm machine exhibition", "the commodity exhibition of the department store"
    if (
        group == "site"
        and place
        and _VENUE.search(place)
        and (_SPORTS_GROUND.search(place) or _BEING_BUILT.search(clause[:150]))
    ):
        return "economy"  # "inspected the May Day Stadium to give tasks to remodel it": a building, no game or show
    if place:  # "construction of a modern naval base" is what is built
        place = _BUILDING_OF.sub("", place) or place
        head = _HEAD_SEGMENT.split(place, maxsplit=1)[0]
        if group == "site" and _PRODUCTION_HEAD.search(head) and not _MUNITIONS.search(head):
            return "economy"  # "Pyongyang Sports Apparatus Factory": a factory, whatever it makes
    subjects = (clause[:150], place, clause[:300], title) if group == "event" else (place, clause[:300], title)
    for subject in subjects:
        if not subject:
            continue
        found = next((kind for pattern, kind in _OVERRIDES if pattern.search(subject[:120])), None)
        if found is None:
            match = _KIND.search(subject)
            if not match or not match.lastgroup:
                continue
            if match.lastgroup == "diplomacy" and _COMPATRIOTS.search(subject):
                return "politics"
            found = match.lastgroup
        if found == "culture" and group == "meet" and not _WATCHED.search(clause[:300]):
            return "politics"  # "received the makers of the feature film": model citizens met, no film seen
        return found
    return "economy" if group == "site" else "politics"


# "a ceremony", "a reception", "a photo session": an event whose kind is what it honours
_HONOURS_EVENT = re.compile(
    r"\b(?:ceremony|meeting|reception|banquet|photo|photographs?|commendations?|awards?|contributors?|"
    r"scientists|technicians|conferr\w*|congratulat\w*)\b",
    re.I,
)
_GOODS_EXHIBITION = re.compile(
    r"\b(?:machines?|machinery|goods|commodit(?:y|ies)|products?|industrial|consumer|equipment|tractors?|"
    r"trucks?|light[- ]industry|foodstuffs?|textiles?)\s+(?:exhibitions?|shows?|fairs?)\b"
    r"|\b(?:exhibitions?|shows?|fairs?)\s+of\s+(?:[\w-]+\s+){0,3}?(?:machines|machinery|goods|commodities|products|"
    r"equipment|tractors|trucks|foodstuffs|textiles)\b",
    re.I,
)
_WATCHED = re.compile(
    r"\b(?:watch\w*|saw|seeing|enjoy\w*|appreciat\w*|performances?|concerts?|shows?|screening|games?|match)\b", re.I
)


_HOSTED_FOR = re.compile(r"\b(?:banquet|dinner|luncheon|reception)\b[^.]{0,80}?\b(?:in\s+hono(?:u)?r\s+of|for)\b", re.I)
_SPORTS_GROUND = re.compile(
    r"\b(?:stadium|gymnasium|sports\s+(?:village|complex|centre|center)|skating\s+rink)s?\b", re.I
)
_VENUE = re.compile(r"\b(?:stadium|gymnasium|sports|skating|theat(?:re|er)|cinema|circus)", re.I)
_BEING_BUILT = re.compile(r"\b(?:nearing\s+(?:its\s+)?completion|under\s+construction)\b", re.I)
_HEAD_SEGMENT = re.compile(r"\s+(?:of|under|by|in|at|on|for|with)\s+")
_PRODUCTION_HEAD = re.compile(r"\b(?:Factory|Plant|Mill|Works|Mine|Farm|Shipyard|Saltern)s?\s*$", re.I)
_MUNITIONS = re.compile(
    r"\b(?:munitions|weapons?|arms|ammunition|tanks?|military|guns?|missiles?|rockets?|shells?|ordnance|"
    r"explosives?|artillery|warships?|submarines?)\b",
    re.I,
)
_MILITARY_EVENT = re.compile(
    r"\b(?:test-fir\w*|test\s+fir\w*|firing|launch\w*|drills?|missiles?|rockets?|weapons?|artillery|H-bomb|"
    r"nuclear\s+(?:test|weapons?|warheads?)|"
    r"(?:military|tactical|combat)\s+(?:training|exercises?|demonstration))\b",
    re.I,
)
_DEFENCE_MEETING = re.compile(
    r"\b(?:meeting|conference|session)\s+(?:on|of)\s+(?:the\s+)?(?:national\s+)?(?:defence|defense|military|munitions)",
    re.I,
)
_BUILDING_OF = re.compile(
    r"^(?:construction|building)\s+(?:site\s+)?(?:of|for)\s+(?:the\s+|a\s+)?(?:modern\s+|new\s+)?", re.I
)
_WITH_FOREIGN = re.compile(
    r"\bwith\s+(?:the\s+)?(?:visiting\s+)?(?:[A-Z][a-z]+(?:an|ese|ish|i|ch)\s+)(?:President|Prime\s+Minister|"
    r"Premier|delegation|leader|guests|Chairman|General\s+Secretary|King|Secretary)"
)
_KIND_FOREIGN = re.compile(rf"\b(?i:{_KIND_WORDS['diplomacy']})\b")
_COMPATRIOTS = re.compile(r"\b(?:Chongryon|Koreans\s+in|overseas\s+Koreans|compatriots|Korean\s+residents)\b", re.I)
_KIND_DIPLOMACY = re.compile(
    rf"\b(?i:{_KIND_WORDS['diplomacy']}|visiting|vice-president|federation|(?:of|from)\s+south\s+Korea)\b"
    r"|\b[A-Z][a-z]+\s+[A-Z][a-z]+ov\b"
)

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:C\.C|Col|Gen|Lt|Lieut|Brig|Maj|Mt|No|no|nos|Nos|e\.p|Mr|Mrs|Ms|Dr|Secy|St|Jr|Sr|U\.S|U\.N|Prof|Vol|vs|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Rep|Gov|Sen|Adm|Capt|Cmdr|etc)|\b[A-Z])\.$"
)
_SHORT_WORDS = frozenset({" Col", " Gen", "ieut", "Brig",
                          " Maj", " nos", " Nos", "Secy", " Mrs", "Prof", " Jan", " Feb", " Mar",
                          " Apr", " Jun", " Jul", " Aug", " Sep", "Sept", " Oct", " Nov", " Dec", " Rep", " Gov",
                          " Sen", " Adm", "Capt", "Cmdr", " etc"})  # fmt: skip
_BREAK = re.compile(r"\n+|(?<=[.!?])[\"”’]?\s+(?=[\"“‘(]?[A-Z\-])")


def _ends_abbreviation(text: str, start: int, stop: int) -> bool:
    """ "...the farm." ends a sentence; "Col.", "C.C." or "no." may not (checked only for short words)."""
    if text[stop - 4 : stop - 1].isalpha() and text[stop - 5 : stop - 1] not in _SHORT_WORDS:
        return False
    return bool(_ABBREVIATIONS.search(text, start, stop))


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of text[start:end]: at a line break, or a full stop before a capital that does not
    end an abbreviation ("C.C., WPK", "Col. General", "V.V. Putin")."""
    spans: list[tuple[int, int]] = []
    pos = start
    for match in _BREAK.finditer(text, start, end):
        stop = match.start()
        if text[stop - 1] == "." and _ends_abbreviation(text, max(pos, stop - 8), stop):
            continue
        if match.start() > pos:
            spans.append((pos, match.start()))
        pos = match.end()
    if end > pos:
        spans.append((pos, end))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        piece = text[s:e]
        stripped = piece.lstrip(" \t\r-–—")
        s += len(piece) - len(stripped)
        e -= len(stripped) - len(stripped.rstrip())
        if e > s:
            out.append((s, e))
    return out


# The lists: (cue, list kind). A list runs from the cue to the end of its sentence; a committee's is the
# paragraph that follows "made up of following persons:".
_LIST_CUES = re.compile(
    r"(?P<accompanied>(?:(?:was|were)\s+|,\s+|[Aa]lso\s+|^|(?<=\n)|(?<=[.!?]\s)|(?<=--\s))[Aa]ccompanied\s+(?:there\s+|on\s+the\s+[\w\s-]{0,30}?\s+)?by\s+"
    r"|(?:Also\s+|Those\s+|The\s+officials\s+)?[Aa]ccompanying\s+(?:him|them)\s+(?:there\s+)?(?:were|was)\s+"
    r"|Accompanying\s+(?:him|them|Kim\s+Jong\s+\w+)(?:\s+\w+){0,3}?\s+(?:were|was)\s+"
    r"|(?!(?:Seeing|Watching|Enjoying|Appreciating)\b)[A-Z][a-z]+ing\s+[^.,]{0,60}?\s+(?:together|along)\s+with\s+him\s+"
    r"(?:were|was)\s+"
    r"|(?:visiting|accompanying)\s+(?:party|group)\s+(?:also\s+)?included\s+"
    r"|Included\s+in\s+the\s+(?:visiting\s+)?(?:party|group|entourage|suite)\s+(?:were|was)\s+"
    r"|(?:together|along)\s+with\s+(?:his\s+wife\s+|wife\s+)?(?=Ri\s+Sol\s+Ju|Kim\s+Jong\s+Un)"
    r"|and\s+(?:his\s+wife\s+)(?=Ri\s+Sol\s+Ju))"
    r"|(?P<greeted>On\s+hand\s+(?:to\s+(?:greet|welcome)\s+him\s+)?(?:there\s+)?were\s+|(?:was|were)\s+(?:warmly\s+|enthusiastically\s+)?(?:greeted|welcomed|received|met)\s+(?:there\s+|on\s+the\s+spot\s+|at\s+[\w\s]{0,30}?)?by\s+)"
    r"|(?P<present>(?:Also\s+)?[Pp]resent\s+(?:there|at\s+[^.,]{0,80}?|on\s+the\s+[^.,]{0,40}?)?\s*(?:on\s+invitation\s+)?"
    r"(?:were|was)\s+|[Ss]pectators\s+included\s+|[Ss]eated\s+on\s+the\s+platform\s+were\s+"
    r"|(?:Also\s+)?[Aa]mong\s+the\s+(?:audience|spectators|viewers|participants|guests)\s+(?:were|was)\s+"
    r"|(?:Seeing|Watching|Enjoying|Appreciating)\s+[^.,]{0,60}?\s+(?:were|was)\s+|(?:tribune|platform|reviewing\s+stands?)[^.]{0,60}?\s+(?:were|was)\s+"
    r"taken\s+by\s+"
    r"|Among\s+[^.]{0,80}?\s+present\s+[^.]{0,60}?\s+were\s+|(?:watched|saw|enjoyed)\s+(?:it|the\s+\w+)\s+"
    r"together\s+with\s+)"
    r"|(?P<committee>committee\s+(?:will\s+be\s+|is\s+|was\s+)?(?:made\s+up|composed|formed)\s+of\s+"
    r"(?:the\s+)?following\s+(?:persons|members)?:?\s*)"
)
_DEAD = frozenset({"Kim Il Sung", "Kim Jong Suk"})


@dataclass(frozen=True, slots=True)
class _List:
    kind: str  # accompanied, greeted, present, committee
    names: list[ListedName]
    start: int


_LIST_READ = 20_000  # a national funeral committee of 232 names runs to about 4,000


def _keyword_automaton(words: tuple[str, ...]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


# Words every list cue contains: paragraphs without one are never read for a list.
_PROTOCOL_KEYS = (
    "Present", "present at", "present there", "present were", "present was", "present on", "On hand", "Seated on",
    "made up of", "composed of", "formed of", "mong the audience", "mong the spectators", "mong the viewers",
    "mong the participants", "mong the guests", "mong those present", "pectators included", "Watching",
    "were taken by", "was taken by",
)  # fmt: skip
_CUE_WORDS = _keyword_automaton(
    (*_PROTOCOL_KEYS, "accompanied", "Accompanied", "Accompanying", "accompanying him", "accompanying them",
     "with his wife", "with Ri Sol Ju", "with Kim Jong Un",
     "and his wife", "greeted by", "greeted on", "greeted there", "greeted at", "welcomed by", "welcomed on",
     "was received by", "was received on", "was received there", "was met by", "were met by", "group included",
     "group also included",
     "welcomed there", "welcomed at", "was met at", "were met at", "was met there", "ncluded in the",
     "with him were", "with him was", "party included", "party also included")
)  # fmt: skip
# Without the leader only the protocol lists are read: those present, presidiums, committees.
_PROTOCOL_WORDS = _keyword_automaton(_PROTOCOL_KEYS)


def _paragraph(text: str, pos: int, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("\n", start, pos)
    right = text.find("\n", pos, end)
    return (start if left < 0 else left + 1), (end if right < 0 else right)


def find_lists(
    text: str, start: int, end: int, people: dict[str, str], activities: list[_Activity], leader_named: bool = True
) -> list[_List]:
    """Every named list in the dispatch, in text order: one automaton pass finds the cues' words, and the cue
    patterns run only around them, within their sentence."""
    lists: list[_List] = []
    automaton = _CUE_WORDS if leader_named else _PROTOCOL_WORDS
    hits = [hit_end - length + 1 for hit_end, length in automaton.iter(text, start, end)]
    if not hits:
        return lists
    leaders = {a.leader for a in activities}  # Kim Jong Un in a list of 2010-2011 is one of his father's officials
    plain = text.replace("=", ",") if "=" in text else text  # the 1990s wires separate the names with "="
    sentences: list[tuple[int, int]] = []
    seen: set[int] = set()
    for pos in hits:
        if not sentences or not sentences[0][0] <= pos < sentences[-1][1]:
            sentences = split_sentences(text, *_paragraph(text, pos, start, end))
        s_start, s_end = next(((a, b) for a, b in sentences if a <= pos < b), (pos, pos))
        for cue in _LIST_CUES.finditer(text, max(s_start, pos - 100), min(s_end, pos + 120)):
            if cue.start() in seen or not cue.start() <= pos < cue.end():
                continue
            seen.add(cue.start())
            kind = cue.lastgroup or "present"
            # a list runs to its sentence's end, the next cue's word, or _LIST_READ characters (bounded work)
            later = bisect.bisect_right(hits, cue.end())
            list_end = min(s_end, hits[later] if later < len(hits) else s_end, cue.end() + _LIST_READ)
            if kind == "committee":
                if cue.end() >= s_end - 2:  # "... made up of following persons:" and the names below
                    list_end = _paragraph(text, min(s_end + 2, end), start, end)[1]
                skip = frozenset(_DEAD | {KIM_JONG_IL})
            else:
                skip = frozenset(_DEAD | leaders | {KIM_JONG_IL})
            if kind == "accompanied" and cue.group(0).startswith(("together", "along", "and")):
                list_end = min(list_end, _end_of_wife(text, cue.end(), s_end))
            names = read_list(plain, cue.end(), list_end, people, skip)
            if names:
                lists.append(_List(kind, names, cue.start()))
    lists.sort(key=lambda item: item.start)
    return lists


def _end_of_wife(text: str, start: int, end: int) -> int:
    stop = re.compile(r",|\s+(?:gave|visited|inspected|enjoyed|watched|saw|toured|attended|were|was|and)\b")
    match = stop.search(text, start, end)
    return match.start() if match else end


def _assemble(activities: list[_Activity], lists: list[_List]) -> tuple[list[Appearance], list[OfficialMention]]:
    """Lists go to the activities they name people for: a single list to every activity (it is "given once
    for several activities"), else each list to the last activity before it (the first, for one before all)."""
    by_kind: dict[str, list[_List]] = {}
    for item in lists:
        by_kind.setdefault(item.kind, []).append(item)
    owner: dict[int, list[int]] = {}
    for kind_lists in by_kind.values():
        for item in kind_lists:
            if not activities:
                owner[id(item)] = []
            elif item.kind in ("greeted", "present") and len(activities) > 1 and item.start < activities[-1].at:
                # "He arrived at the university. He was met by ...": those on the spot of one site of the tour
                before = [i for i, a in enumerate(activities) if a.at <= item.start]
                owner[id(item)] = [before[-1] if before else 0]
            elif len(kind_lists) == 1 or item.kind == "accompanied" and _all_before(activities, kind_lists):
                owner[id(item)] = list(range(len(activities)))
            else:
                before = [i for i, a in enumerate(activities) if a.start <= item.start]
                owner[id(item)] = [before[-1] if before else 0]
    for item in lists:
        for index in owner[id(item)]:
            activity = activities[index]
            target = activity.accompanied if item.kind == "accompanied" else activity.greeted
            for listed in item.names:
                if listed.name not in target and item.kind != "committee":
                    target.append(listed.name)
    appearances: list[Appearance] = []
    for activity in activities:
        greeted = tuple(name for name in activity.greeted if name not in activity.accompanied)
        appearances.append(
            Appearance(
                activity.leader,
                activity.kind,
                activity.place,
                activity.event_date,
                tuple(activity.accompanied),
                greeted,
                activity.start,
                activity.end,
            )
        )
    officials: list[OfficialMention] = []
    for item in lists:
        owners = owner[id(item)]
        for position, listed in enumerate(item.names, 1):
            officials.append(
                OfficialMention(
                    listed.name,
                    listed.title,
                    item.kind,
                    position,
                    len(item.names),
                    owners[0] if owners and item.kind != "committee" else -1,
                    listed.start,
                    listed.end,
                )
            )
    return appearances, officials


def _all_before(activities: list[_Activity], lists: list[_List]) -> bool:
    """Several accompaniment lists all after the last activity (a repeated list): still everyone's."""
    return all(item.start > activities[-1].start for item in lists)
