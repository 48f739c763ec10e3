"""Stance toward each country: hostile from attacks aimed at it, friendly from greetings and support, else
neutral; the evidence as spans; hostility scored from the hostile evidence only."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.enrich import Pipeline
from propscope.enrich.epithets import load_lexicon
from propscope.enrich.stance import StanceStep
from propscope.enrich.stance_model import load_stance_model
from propscope.gazetteer import load_gazetteer
from propscope.model import Technique
from tests.test_enrich_epithets import analyze  # a dispatch through the default pipeline


def _stance_step() -> StanceStep:
    return next(step for step in Pipeline().steps if isinstance(step, StanceStep))


def test_epithets_aimed_at_a_leader_count_toward_his_country() -> None:
    article = analyze(
        "Pyongyang, September 23 (KCNA) -- The Korean people vowed to tame the mentally deranged U.S. dotard "
        "Trump with fire. The lunatic Trump will pay dearly.",
        "DPRK People Vow to Tame Trump with Fire",
    )
    assert article.stance == {"US": "hostile"}
    epithets = [e.text_in(article.text) for e in article.stance_evidence if e.kind == "epithet"]
    assert any("dotard" in e for e in epithets) and "lunatic" in epithets
    assert article.hostility["US"] > 1.0  # three epithets and two sentences of attack, not 0.01


def test_greetings_are_friendly_never_hostile() -> None:
    article = analyze(
        "Pyongyang, October 18 (KCNA) -- Kim Jong Un sent a message of greeting to Xi Jinping, general "
        "secretary of the Central Committee of the Communist Party of China, warmly congratulating the 19th "
        "Congress of the Communist Party of China on its great success.",
        "Greetings to 19th Congress of Communist Party of China",
    )
    start = article.text.index("warmly congratulating")
    article.techniques = [Technique(start, start + 21, "Loaded_Language", 0.9)]
    assert article.stance == {"CN": "friendly"}
    assert article.hostility == {}
    friendly = [e for e in article.stance_evidence if e.stance == "friendly"]
    assert friendly and all(e.country == "CN" for e in friendly)


def test_a_country_merely_named_is_neutral() -> None:
    article = analyze("Pyongyang, May 3 (KCNA) -- A delegation of the Ministry of Railways left here for Russia.")
    assert article.stance == {"RU": "neutral"}
    assert article.stance_evidence == [] and article.hostility == {}


def test_attack_sentences_are_evidence_and_techniques_weigh_only_inside_them() -> None:
    article = analyze("Pyongyang, May 3 (KCNA) -- Japan is a rogue state. Japan held an election.")
    assert article.stance == {"JP": "hostile"}
    sentence = [e for e in article.stance_evidence if e.kind == "sentence"]
    assert [e.text_in(article.text) for e in sentence] == [" Japan is a rogue state."] or [
        e.text_in(article.text).strip() for e in sentence
    ] == ["Pyongyang, May 3 (KCNA) -- Japan is a rogue state."]
    assert article.hostility["JP"] == pytest.approx(0.25)  # one plain attack (0.5) over two sentences naming Japan


def test_both_praise_and_attack_make_the_country_hostile() -> None:
    article = analyze(
        "Pyongyang, May 3 (KCNA) -- The speakers wished the American people happiness. "
        "The U.S. imperialists are the sworn enemy of the Korean people."
    )
    assert article.stance["US"] == "hostile"


def test_a_support_claim_makes_its_country_friendly() -> None:
    article = analyze(
        "Pyongyang, May 3 (KCNA) -- The Nigerian National Committee for the Study of the Juche Idea issued a "
        "statement in Abuja praising the DPRK's line of independence."
    )
    assert article.foreign_support and article.support_events[0].country == "NG"
    assert article.stance.get("NG") == "friendly"


def test_an_abbreviation_does_not_end_the_sentence_it_names() -> None:
    article = analyze("Pyongyang, May 3 (KCNA) -- The U.S. imperialists staged war drills again.")
    evidence = [e.text_in(article.text) for e in article.stance_evidence if e.kind == "sentence"]
    assert evidence and all("war drills" in text for text in evidence)


def test_greetings_to_a_foreign_leader_are_not_hostility_toward_his_country() -> None:
    article = analyze(
        "Pyongyang, June 2 (KCNA) -- Kim Jong Un sent a message of greeting to the Macedonian Prime Minister "
        "on his election. The message wished the Macedonian people success in their struggle against the "
        "imperialists' interference and aggression and for the building of an independent country.",
        "Greetings to Macedonian PM",
    )
    assert article.stance.get("MK") == "friendly"
    assert not [e for e in article.stance_evidence if e.stance == "hostile"] and article.hostility == {}


def test_a_cuban_party_denouncing_the_us_gives_us_hostile_and_cuba_friendly() -> None:
    article = analyze(
        "Pyongyang, March 4 (KCNA) -- The Central Committee of the Communist Party of Cuba sent a message to "
        "Kim Jong Un expressing full support for the Korean people's struggle. The message bitterly denounced "
        "the U.S. imperialists' hostile policy and vicious sanctions against the DPRK and Cuba as a criminal act.",
        "Cuban Party Supports Korean People's Struggle",
    )
    assert article.stance.get("US") == "hostile"
    assert article.stance.get("CU") == "friendly"
    assert {e.country for e in article.stance_evidence if e.stance == "hostile"} == {"US"}


def test_chongryon_meeting_in_tokyo_says_nothing_of_japan() -> None:
    article = analyze(
        "Pyongyang, April 14 (KCNA) -- The General Association of Korean Residents in Japan held a meeting in "
        "Tokyo on April 12 to warmly congratulate Kim Jong Un on the Day of the Sun and extend greetings to him."
    )
    assert article.compatriot_support
    assert article.stance.get("JP", "neutral") == "neutral"


def test_a_puppet_clique_in_kiev_is_not_south_korea() -> None:
    article = analyze(
        "Pyongyang, August 18 (KCNA) -- The Zelenskiy puppet clique of Ukraine committed a terrorist crime "
        "against Russian civilians in Kursk under the manipulation of the U.S. The reckless provocations of the "
        "puppet authorities will invite merciless retaliation."
    )
    assert "KR" not in article.stance
    analysis = _stance_step().analyse(article)
    assert analysis.pairs["UA"].nearest_epithets == 1  # "puppet clique" goes to the country it names


def test_south_korean_groups_attacking_their_rulers_leave_south_korea_hostile() -> None:
    article = analyze(
        "Pyongyang, May 25 (KCNA) -- The Korean Confederation of Trade Unions in south Korea held a rally in "
        "Seoul praising the DPRK's proposal for reunification. Speakers denounced the hideous moves of "
        "the conservative south Korean authorities to suppress the unionists."
    )
    assert article.compatriot_support
    assert article.stance.get("KR") == "hostile"


def test_without_a_shipped_model_the_rules_decide(tmp_path: Path) -> None:
    assert load_stance_model(tmp_path / "absent.json") is None
    article = analyze("Pyongyang, May 3 (KCNA) -- Japan is a rogue state. Japan held an election.")
    rules = StanceStep(load_lexicon(None), load_gazetteer(None), None)
    assert rules(article).stance == {"JP": "hostile"}


def test_surnames_are_found_as_the_regex_alternation_found_them() -> None:
    """Leaders by surname come from one automaton pass now: whole words, leftmost-longest, none overlapping,
    the search's bounds kept, exactly as `\\b(?:longest|...|shortest)\\b` over the same bounds."""
    import random
    import re

    from propscope.enrich.matcher import build_automaton
    from propscope.enrich.stance import _whole_words

    keys = ["Abe", "Aba", "Abeab", "Thomas-Greenfield", "Greenfield", "_Kan", "Kan", "Kana", "é-Kan"]
    pattern = re.compile(rf"\b(?:{'|'.join(sorted(map(re.escape, keys), key=len, reverse=True))})\b")
    automaton = build_automaton({key: key for key in keys})
    pieces = [*keys, " ", "-", "_", "'s", "x", "é", "Ab", "e", ".", "\n", "Thomas", "2"]
    rng = random.Random(13)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        begin = rng.randint(0, len(text))
        end = rng.randint(begin, len(text))
        expected = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text, begin, end)]
        assert list(_whole_words(automaton, text, begin, end)) == expected, (text, begin, end)


def test_the_cheap_test_before_the_against_pattern_keeps_every_match() -> None:
    """A mention right after "anti-" or "against (the)" counts as a target; the cheap ending test before the
    pattern must let through everything the pattern finds, a match before a final newline included."""
    import random

    from propscope.enrich.stance import _AGAINST, _against

    pieces = ["anti-", "against ", "the ", "\n", "xanti-", "against the ", "ant", " ", "-", "us"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        for start in range(len(text) + 1):
            expected = _AGAINST.search(text, max(0, start - 9), start) is not None
            assert _against(text, start) == expected, (text, start)
