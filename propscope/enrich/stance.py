"""Stance toward each country a dispatch names: hostile, friendly or neutral, with the spans that say so.

A country is hostile when the dispatch, in its own voice or one it relays approvingly, attacks that
country's state, government, leaders, forces or policies: a hostile epithet aimed at it (an epithet aimed at
a person counts toward the person's country: "dotard" at Trump gives US), or a sentence that names it (or
one of its leaders or bodies) beside KCNA's words of attack. Friendly is greeting, congratulating, praising
or stressing friendship with it, or a support claim from it, with no attack. Anything else is neutral: a
country merely named, or criticised only by someone the DPRK itself opposes.

The rules below aim every word of attack and every epithet at a country and collect, per country, what they
found (a `Pair`). Where they stop (a friend struggling "against imperialism", a supporter quoted denouncing a
third country, compatriots attacking their own rulers), a learned model (enrich/stance_model.py) reads each
pair and decides whether the dispatch is hostile to that country; only the evidence of hostile countries is
kept. Compatriot bodies abroad (Chongryon) name their host country but speak for none: only foreign
supporters shield their country or make it friendly.

`hostility` keeps its numeric score for trends, now from the hostile evidence only: technique spans count
only inside the sentences that attack the country (a Loaded_Language span in a congratulation is praise).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import ahocorasick

from propscope.enrich.hostility import TECHNIQUE_WEIGHTS, sentences
from propscope.enrich.matcher import build_automaton, fold, scan
from propscope.enrich.stance_model import STANCE_TASK, pair_document
from propscope.enrich.word_starts import WordStartPattern
from propscope.model import Article, Entity, StanceEvidence

if TYPE_CHECKING:
    from propscope.enrich.epithets import EpithetLexicon
    from propscope.enrich.support_model import SupportModel
    from propscope.gazetteer import Gazetteer

HOSTILE, FRIENDLY, NEUTRAL = "hostile", "friendly", "neutral"
_NAMING_TYPES = ("country", "person", "organization", "outlet")  # places name no country (dev-set rule)
SENTENCE_WEIGHT = 0.5  # what a sentence of attack with no epithet in it adds to hostility
_ADJACENT = 15  # a word of attack this close to a mention is aimed at it whatever else the sentence says
_REACH = 90  # characters between a mention of the country and a word of attack aimed at it

# KCNA's words of attack: pejoratives, accusations, threats. Matched on lower-cased text.
_ATTACK = re.compile(
    r"\b(?:aggress\w*|imperialis\w*|warmonger\w*|war-?monger\w*|puppet\w*|traitor\w*|treacher\w*|reactionar\w*|"
    r"militaris\w*|hostile|hostility|provocat\w*|reckless\w*|crimin\w*|crimes?|hideous|vicious|arrogan\w*|"
    r"shameless\w*|brigand\w*|despicab\w*|sinister|slander\w*|smear\w*|vilif\w*|denounc\w*|condemn\w*|"
    r"accus\w*|censur\w*|blast\w*|lambast\w*|rebuk\w*|ridicul\w*|tirade|sophism\w*|malicious\w*|wicked\w*|"
    r"ferocious\w*|hysteri\w*|racket\w*|sinister|plot\w*|threat\w*|blackmail\w*|sanctions?|invasion|"
    r"invad\w*|occupation|occupiers?|massacre\w*|atrocit\w*|war\s+(?:drills?|games?|exercises?|maneuvers?)|"
    r"nuclear\s+war|preemptive|pre-emptive|dotard|lunatic\w*|gangster\w*|punish\w*|retaliat\w*|annihilat\w*|"
    r"wipe\s+out|crush\w*|doom\w*|confrontation\w*|anti-dprk|interferenc\w*|meddl\w*|subjugat\w*|"
    r"colonial\w*|hegemon\w*|fascis\w*|dictator\w*|fraud\w*|lies|deceptive|deception|hypocri\w*|"
    r"double\s+standards?|stooges?|lackeys?|sycophan\w*|flunkey\w*|minions?|bellicose|belligerent|madcap|"
    r"frantic\w*|foolish\w*|stupid\w*|absurd\w*|impudent\w*|outrageous\w*|insult\w*|clique|regime|"
    r"gang\b|villain\w*|enem(?:y|ies)|rogue\w*|plunder\w*|kill(?:ed|ing|ings|er|ers)?|murder\w*|"
    r"war\s+criminals?|war\s+of\s+aggression|nuclear\s+blackmail|hostile\s+policy|scum|rubbish|"
    r"agresi\w*|imperialist\w*|t[ií]teres?|traidor\w*|reaccionari\w*|hostil\w*|denunci\w*|conden\w*)"
)
# Verbs of attack have a speaker before them and a target after: "the Benin party denounced the Japanese
# reactionaries" attacks Japan, not Benin. Only mentions after such a verb are its targets.
_SPEAKER_VERB = re.compile(
    r"(?:denounc|condemn|accus|censur|blast|lambast|rebuk|ridicul|slam|reject|criticiz|criticis|den[uú]nci|"
    r"conden|rechaz)"
)
# Softer words of opposition: too loose for the rules to aim, enough for the model to read the sentence
# ("the struggle against the U.S.", "repulsing the U.S. pressure", "warhawks of the United States").
_OPPOSE = re.compile(
    r"\b(?:against|anti-\w*|defeat\w*|pressure|high-?handed\w*|warhawks?|hawks?|violat\w*|suppress\w*|"
    r"repress\w*|tortur\w*|unpopular|arbitrar\w*|moves?|drills?|exercises?|attack\w*|terror\w*|"
    r"confront\w*|government\W|authorities|rulers?|conservative\w*|demand\w*|protest\w*|struggle\w*|"
    r"oppos\w*|resist\w*|repuls\w*|compensat\w*|apolog\w*|wartime|colonial|liberat\w*)"
)
# "the anti-U.S. struggle", "the anti-Russia confrontation": a country after it is someone's target.
_AGAINST = re.compile(r"(?:\banti-|\bagainst (?:the )?)$")
# What a match of _AGAINST ends with ($ also matches before a final newline): a cheap test before the search.
_AGAINST_ENDS = ("anti-", "against ", "the ", "anti-\n", "against \n", "the \n")


_FRIENDLY = re.compile(
    r"\b(?:greet\w*|congratulat\w*|friendship|friendly|fraternal|cooperat\w*|solidarity|thank\w*|"
    r"gratitude|prais\w*|admir\w*|(?:good|best|warm)\s+wishes|wish(?:ed|es)?\s+|warm(?:ly|est)?|cordial\w*|"
    r"comrade\w*|amity|condolence\w*|sympathy|wreath|floral\s+baskets?|gifts?|salud\w*|felicit\w*|amistad|"
    r"cooperaci\w*|solidaridad|agradec\w*)"
)

# The words of attack, tried only where one of them begins (enrich/word_starts.py): the same matches in half
# the time. The friendly and opposing words are not: their first letters start too many common words, and
# a plain search stops at the first match anyway.
_ATTACKS = WordStartPattern(_ATTACK)
# The friendly and opposing words, likewise, from the same fold of the sentence as the words of attack: a
# plain search tried every alternative at every word of a sentence that mostly holds none of them.
_FRIENDLIES = WordStartPattern(_FRIENDLY)
_OPPOSES = WordStartPattern(_OPPOSE)


@dataclass(slots=True)
class Pair:
    """What the rules found about one country in one dispatch: the model's input, and the rule's verdict
    (`attacked`) where no model is shipped."""

    code: str
    named: int = 0  # sentences naming it
    attacked: set[int] = field(default_factory=set)  # sentences whose words of attack the rules aim at it
    friendly: list[int] = field(default_factory=list)  # sentences naming it that greet or praise
    near_attack: list[int] = field(default_factory=list)  # sentences naming it with any word of attack
    targeted_epithets: int = 0  # epithets whose lexicon entry names this country
    nearest_epithets: int = 0  # targetless epithets ("imperialists") given to the nearest mention
    close: int = 0  # sentences with a word of attack right at a mention of it
    subject: int = 0  # sentences whose adversary subject is what the pejoratives describe
    against: int = 0  # mentions after "anti-" or "against" (the anti-U.S. struggle, others' anti-Russia policy)
    supporter: bool = False  # a foreign support event from it
    compatriot: bool = False  # a compatriot support event located there (Chongryon in Japan)
    in_title: bool = False
    sentences: list[int] = field(default_factory=list)  # every sentence naming it


@dataclass(slots=True)
class Analysis:
    """A dispatch's sentences, the pairs, and the epithet evidence, before the verdicts."""

    spans: list[tuple[int, int]]
    mentions: dict[int, list[tuple[int, int, str]]]  # sentence -> where each mention is and its country
    pairs: dict[str, Pair]
    epithets: list[tuple[StanceEvidence, float]]  # evidence and its lexicon weight
    title_attack: bool
    title_friendly: bool


class StanceStep:
    """Fills `stance`, `stance_evidence` and `hostility` (requires entities and epithets; reads support
    events and techniques where those steps ran first). With a stance model (enrich/stance_model.py) the
    model decides, per country, whether the dispatch is hostile to it; the rules find the evidence."""

    name = "stance"

    def __init__(self, lexicon: EpithetLexicon, gazetteer: Gazetteer, model: SupportModel | None = None) -> None:
        self.lexicon = lexicon
        self.model = model
        self.surname_country = _surnames(gazetteer)
        self.adversaries = frozenset(n.canonical for n in gazetteer.names if n.role == "adversary")
        self.compatriots = frozenset(n.canonical for n in gazetteer.names if n.role == "compatriot")
        self.surnames = build_automaton({surname: surname for surname in self.surname_country})

    def analyse(self, article: Article) -> Analysis:
        """Aim every word of attack and every epithet at a country, sentence by sentence."""
        text = article.text
        end = min((f.start for f in article.furniture), default=len(text))
        spans = sentences(text, article.title_start, end)
        starts = [s for s, _ in spans]
        lowered = text.lower()
        mentions: dict[int, list[Entity]] = defaultdict(list)  # sentence -> the mentions naming a country
        abroad: dict[int, list[Entity]] = defaultdict(list)  # sentence -> compatriot bodies abroad
        for entity in article.entities:
            if entity.type in _NAMING_TYPES and entity.country and entity.country != "KP" and entity.start < end:
                index = bisect_right(starts, entity.start) - 1
                # Chongryon, Koreans in China: a compatriot body abroad names its host country, but neither
                # its meetings nor its words are that country's (south Koreans' are about their rulers).
                bystander = entity.canonical in self.compatriots and entity.country != "KR"
                (abroad if bystander else mentions)[index].append(entity)
        for start, stop, surname in _whole_words(self.surnames, text, article.title_start, end):
            # "dotard Trump", "the Abe group": leaders by surname alone
            country = self.surname_country[surname]
            mentions[bisect_right(starts, start) - 1].append(
                Entity(start, stop, "person", surname, country, 0.5, "surname")
            )
        pairs: dict[str, Pair] = {}

        def pair(code: str) -> Pair:
            found = pairs.get(code)  # a Pair made only when new: most calls find one
            return found if found is not None else pairs.setdefault(code, Pair(code))

        for index in sorted(set(mentions) | set(abroad)):
            for code in sorted({e.country for e in (*mentions.get(index, ()), *abroad.get(index, ())) if e.country}):
                pair(code).named += 1
                pair(code).sentences.append(index)
        # Only a foreign supporter shields its country: south Korean groups attacking their own rulers and
        # Chongryon meeting in Tokyo say nothing of the stance toward the south Korean or Japanese state.
        supporters = {e.country for e in article.support_events if e.country and e.role == "foreign"}
        for event in article.support_events:
            if event.country and event.role != "foreign" and event.country in pairs:
                pair(event.country).compatriot = True
        for code in supporters & set(pairs):
            pair(code).supporter = True
        title = lowered[article.title_start : article.title_end]
        for entity in article.entities:
            if entity.country in pairs and entity.start < article.title_end and entity.end > article.title_start:
                pair(entity.country).in_title = True
            if entity.country in pairs and _against(lowered, entity.start):
                pair(entity.country).against += 1
        epithets: list[tuple[StanceEvidence, float]] = []
        for epithet in article.epithets:
            if epithet.kind != "hostile" or epithet.start >= end:
                continue
            index = bisect_right(starts, epithet.start) - 1
            lexicon_target = epithet.target_country
            if lexicon_target == "KR" and "KR" not in pairs and "korea" not in epithet.text.lower():
                lexicon_target = None  # "the Zelenskiy puppet clique" in a dispatch that never names south Korea
            target = lexicon_target or _nearest_country(
                [e for e in mentions.get(index, ()) if e.country not in supporters], epithet.start
            )
            if target and target != "KP":
                aimed = StanceEvidence(epithet.start, epithet.end, target, HOSTILE, "epithet")
                epithets.append((aimed, self.lexicon.weight(epithet)))
                found_pair = pair(target)
                found_pair.attacked.add(index)
                if lexicon_target:
                    found_pair.targeted_epithets += 1
                else:
                    found_pair.nearest_epithets += 1
        for index, found in mentions.items():
            s_start, s_end = spans[index]
            sentence = lowered[s_start:s_end]
            spaced = " " + fold(sentence)  # where the three word lists' words may start (enrich/word_starts.py)
            attacks = [(m.start() + s_start, _direction(m, sentence)) for m in _ATTACKS.finditer(sentence, spaced)]
            friendly = _FRIENDLIES.search(sentence, spaced) is not None
            aims = _aims(found, attacks)
            targets = {code for _, codes in aims for code in codes}
            close = {code for nearest, codes in aims if nearest <= _ADJACENT for code in codes}
            subjects: set[str] = set()
            if attacks and any(direction == 0 for _, direction in attacks):
                # An adversary leader or body as the sentence's subject is what its pejoratives describe
                # too ("the Park Geun Hye group's support for the U.S. hostile policy is a criminal act").
                subject = min(found, key=lambda e: e.start)
                if subject.country and (subject.source == "surname" or subject.canonical in self.adversaries):
                    subjects.add(subject.country)
            targets |= subjects
            opposed = bool(attacks) or _OPPOSES.search(sentence, spaced) is not None
            for code in sorted({e.country for e in found if e.country}):
                found_pair = pair(code)
                if opposed:
                    found_pair.near_attack.append(index)
                found_pair.close += code in close
                found_pair.subject += code in subjects
                if friendly:
                    found_pair.friendly.append(index)
                # A supporter's country, or one the sentence greets, is attacked only by a word right at it.
                if code in (close if (code in supporters or friendly) else targets):
                    if code in supporters and friendly:
                        continue  # a supporter from that country, quoted attacking someone else
                    found_pair.attacked.add(index)
        located = {i: sorted((e.start, e.end, e.country or "") for e in found) for i, found in mentions.items()}
        return Analysis(
            spans, located, pairs, epithets, _ATTACK.search(title) is not None, _FRIENDLY.search(title) is not None
        )

    def hostile(self, analysis: Analysis, pair: Pair, article: Article) -> bool:
        """The model's verdict where one is shipped (a country no word of attack comes near stays unattacked),
        else the rules'."""
        if self.model is None:
            return bool(pair.attacked)
        if not pair.attacked and not pair.near_attack:
            return False
        document = pair_document(pair, analysis, article)
        return self.model.decide(STANCE_TASK, document, bool(pair.attacked))

    def __call__(self, article: Article) -> Article:
        analysis = self.analyse(article)
        spans, pairs = analysis.spans, analysis.pairs
        starts = [s for s, _ in spans]
        hostile = {code for code, pair in pairs.items() if self.hostile(analysis, pair, article)}
        evidence: list[StanceEvidence] = []
        weight: dict[str, float] = defaultdict(float)
        attacked: dict[str, set[int]] = {}
        for item, epithet_weight in analysis.epithets:
            if item.country in hostile:
                evidence.append(item)
                weight[item.country] += epithet_weight
        by_epithet = {(e.country, bisect_right(starts, e.start) - 1) for e in evidence}
        stance: dict[str, str] = {}
        for code in sorted(pairs):
            pair = pairs[code]
            if code in hostile:
                stance[code] = HOSTILE
                # The sentences the rules aim at it; where only the model saw the attack, the sentences naming
                # it beside a word of attack.
                attacked[code] = pair.attacked or set(pair.near_attack)
                for index in sorted(attacked[code]):
                    s_start, s_end = spans[index]
                    evidence.append(StanceEvidence(s_start, s_end, code, HOSTILE, "sentence"))
                    if (code, index) not in by_epithet:
                        weight[code] += SENTENCE_WEIGHT  # an attack in plain words, no epithet to weigh
            elif pair.friendly or pair.supporter:
                stance[code] = FRIENDLY
                for index in pair.friendly[:3]:
                    s_start, s_end = spans[index]
                    evidence.append(StanceEvidence(s_start, s_end, code, FRIENDLY, "sentence"))
            elif pair.named:
                stance[code] = NEUTRAL
        # Technique spans weigh only inside the sentences that attack a country, and only where no epithet
        # already counted the same words.
        epithet_spans = [(e.start, e.end) for e in evidence if e.kind == "epithet"]
        for technique in article.techniques:
            share = TECHNIQUE_WEIGHTS.get(technique.technique)
            if not share or any(s < technique.end and technique.start < e for s, e in epithet_spans):
                continue
            index = bisect_right(starts, technique.start) - 1
            for code, indexes in attacked.items():
                if index in indexes:
                    weight[code] += share * technique.score
        article.stance = stance
        article.stance_evidence = sorted(evidence, key=lambda e: (e.start, e.end, e.country))
        article.hostility = {
            code: round(total / max(1, pairs[code].named), 4)
            for code, total in sorted(weight.items())
            if total > 0 and stance.get(code) == HOSTILE
        }
        return article


# Surnames that are also English words or shared by too many people to name one country.
_COMMON_SURNAMES = frozenset(
    "rice power hill king bell kelly sharp brooks davies harris perry cohen gates carter kim lee park moon "
    "yun han kang jong ri pak choe cho kwon hong nam song shin sin paek ro mun hwang hyon sim suh yoon".split()
)


def _surnames(gazetteer: Gazetteer) -> dict[str, str]:
    """Surname -> country, for the U.S. and Japanese leaders and officials the gazetteer marks adversary:
    KCNA calls them by surname alone ("Trump", "Abe"), which names no entity."""
    found: dict[str, set[str]] = defaultdict(set)
    for name in gazetteer.names:
        if name.type == "person" and name.role == "adversary" and name.country in ("US", "JP"):
            surname = name.canonical.split()[-1]
            if len(surname) > 2 and surname.lower() not in _COMMON_SURNAMES:
                found[surname].add(name.country)
    return {surname: next(iter(codes)) for surname, codes in found.items() if len(codes) == 1}


def _against(lowered: str, start: int) -> bool:
    """The mention at `start` comes right after "anti-" or "against (the)"."""
    begin = max(0, start - 9)
    return lowered.endswith(_AGAINST_ENDS, begin, start) and _AGAINST.search(lowered, begin, start) is not None


def _whole_words(automaton: ahocorasick.Automaton, text: str, begin: int, end: int) -> Iterator[tuple[int, int, str]]:
    """Each key of the automaton found in text[begin:end] as a whole word, leftmost and longest first, none
    overlapping: what `re.finditer(r"\b(?:longest|...|shortest)\b", text, begin, end)` finds, in one C pass
    instead of trying every surname at every position (a tenth of a millisecond a dispatch)."""
    hits = sorted((begin + last - len(key) + 1, -len(key), key) for last, key in scan(automaton, text[begin:end]))
    resume = begin
    for start, minus, key in hits:
        stop = start - minus
        if start >= resume and _boundary(text, start, end) and _boundary(text, stop, end):
            resume = stop
            yield start, stop, key


def _boundary(text: str, position: int, end: int) -> bool:
    """The regex \b at `position` of a search ending at `end` (the text before the search's start counts)."""
    before = position > 0 and (text[position - 1].isalnum() or text[position - 1] == "_")
    after = position < end and (text[position].isalnum() or text[position] == "_")
    return before != after


def _direction(match: re.Match[str], sentence: str) -> int:
    """Where a word of attack looks for its target: 0 both sides (a pejorative), 1 after it (a verb:
    "X denounced Y"), -1 before it (a passive: "Y was denounced by X")."""
    if not _SPEAKER_VERB.match(match.group()):
        return 0
    after = sentence[match.end() : match.end() + 4]
    return -1 if after in (" by ", " in ") else 1  # "denounced by X", "denounced in Britain": X speaks


def _aims(found: list[Entity], attacks: list[tuple[int, int]]) -> list[tuple[int, set[str]]]:
    """Whom each of a sentence's words of attack aims at, with how far: the mention nearest to it ("the Benin
    party denounced the Japanese reactionaries" aims at Japan), ties within a few characters shared."""
    aims: list[tuple[int, set[str]]] = []
    for position, direction in attacks:
        gaps = [(abs(_gap(e, position)), e.country) for e in found if e.country and _aimed(e, position, direction)]
        if gaps:
            nearest = min(gap for gap, _ in gaps)
            aims.append((nearest, {code for gap, code in gaps if gap <= nearest + 12 and code}))
    return aims


def _aimed(entity: Entity, position: int, direction: int) -> bool:
    """A word of attack aims at a mention near it; a verb of attack only at a mention on its target's side."""
    if (direction > 0 and entity.start < position) or (direction < 0 and entity.start > position):
        return False
    return abs(_gap(entity, position)) <= _REACH


def _gap(entity: Entity, position: int) -> int:
    """Characters between a mention and a word (0 when the word is inside the mention)."""
    if entity.start <= position < entity.end:
        return 0
    return position - entity.end if position >= entity.end else entity.start - position


def _nearest_country(found: list[Entity] | tuple[()], position: int) -> str | None:
    """An epithet with no target of its own ("dotard", "lunatic") is aimed at the country of the person or
    body named nearest to it in its sentence."""
    best: tuple[int, str] | None = None
    for entity in found:
        if entity.country:
            distance = abs(_gap(entity, position))
            if best is None or distance < best[0]:
                best = (distance, entity.country)
    return best[1] if best else None


__all__ = ["FRIENDLY", "HOSTILE", "NEUTRAL", "Analysis", "Pair", "StanceStep"]
