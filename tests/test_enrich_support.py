"""Foreign-support events on the seed and on short dispatches written for these tests."""

from __future__ import annotations

import json

from propscope.enrich import Pipeline
from propscope.ingest.jsonl import record_from_object
from propscope.model import Article, RawRecord

from .conftest import SEED


def analyze_record(title: str, body: str, date: str | None) -> Article:
    record = record_from_object(
        {"id": "t", "source": "test", "title": title, "body": body, "date": date}, "t", b"", "line 1"
    )
    assert isinstance(record, RawRecord)
    return Pipeline()(record)


def test_seed_event_without_a_year() -> None:
    text = SEED.read_text(encoding="utf-8")
    article = Pipeline()(RawRecord(origin=str(SEED), kind="text", text=text, raw=text.encode()))
    assert article.foreign_support
    (event,) = article.support_events
    assert event.actor == "tenth seminar of world political parties for building a new society"
    assert (event.actor_type, event.country, event.action, event.place, event.date) == (
        "gathering",
        "MX",
        "seminar",
        "Mexico City",
        None,
    )
    assert text[event.start : event.end] == event.actor


def test_seed_event_dated_when_the_year_is_known() -> None:
    text = SEED.read_text(encoding="utf-8")
    title, body = text.split("\n\n", 1)
    article = analyze_record(title, body, "2006-07-15")
    assert [e.date for e in article.support_events] == ["2006-03"]


def test_parties_and_people_abroad() -> None:
    article = analyze_record(
        "Kim Jong Un's Address Supported by Peruvian Party",
        "Pyongyang, January 9 (KCNA) -- The Socialist Party of Benin issued a statement on Monday supporting "
        "the New Year address. Daniel Ortega, president of Nicaragua, sent a letter praising the DPRK.",
        "2015-01-09",
    )
    events = {(e.actor, e.actor_type, e.country, e.action) for e in article.support_events}
    assert ("Socialist Party of Benin", "party", "BJ", "statement") in events
    assert any(actor.endswith("Ortega") and country == "NI" for actor, _, country, _ in events)
    assert [e.date for e in article.support_events if e.actor == "Socialist Party of Benin"] == ["2015-01-05"]


def test_dprk_bodies_are_not_foreign_support() -> None:
    article = analyze_record(
        "Meeting Held",
        "Pyongyang, May 3 (KCNA) -- The Workers' Party of Korea hailed the farmers. A national meeting was held "
        "in Pyongyang to support the Party.",
        "2015-05-03",
    )
    assert not article.foreign_support and article.support_events == []


def test_condemning_the_dprks_adversaries_is_support() -> None:
    article = analyze_record(
        'S. Korean Organizations Demand Abolition of "Security Law"',
        "Pyongyang, June 4 (KCNA) -- Officials of the Lake District Bus Drivers Union of south Korea demanded the "
        'abolition of the "Security Law" at a press conference in Seoul on May 31.',
        "2004-06-04",
    )
    (event,) = article.support_events
    assert (event.actor, event.actor_type, event.country, event.place) == (
        "Lake District Bus Drivers Union",
        "organization",
        "KR",
        "Seoul",
    )


def test_the_same_verbs_aimed_at_the_dprk_are_not_support() -> None:
    article = analyze_record(
        "Launch Condemned",
        "Tokyo, March 2 (KCNA) -- The Freedom Party of Ruritania condemned the DPRK's satellite launch. "
        "The Kirgyz President demanded the U.S. troops pull out from his country.",
        "2012-03-02",
    )
    assert not article.foreign_support


def test_events_in_parse_output_are_json() -> None:
    article = analyze_record(
        "T",
        "Pyongyang, May 3 (KCNA) -- The Socialist Party of Benin praised the DPRK for its Songun politics and "
        "expressed full support for the Korean people.",
        None,
    )
    out = json.loads(json.dumps(article.to_dict()))
    assert out["foreign_support"] is True and out["support_events"][0]["country"] == "BJ"


def test_every_celebration_of_a_list_abroad_is_an_event() -> None:
    article = analyze_record(
        "Birthday of Kim Jong Il Celebrated Abroad",
        "Pyongyang, February 20 (KCNA) -- Celebration meetings were held in Venezuela, Britain and Barbados "
        "from Feb. 15 to 18 on the occasion of the birthday of leader Kim Jong Il. The speakers praised the "
        "feats Kim Jong Il has performed for the independence of the world.",
        "2007-02-20",
    )
    events = {(e.actor, e.country) for e in article.support_events if e.role == "foreign"}
    assert {("celebration meeting in Britain", "GB"), ("celebration meeting in Barbados", "BB")} <= events


def test_speakers_at_a_rally_abroad_are_named_with_their_country() -> None:
    article = analyze_record(
        "Rally Held in Britain",
        "Pyongyang, July 4 (KCNA) -- Members of Juche idea study organizations in Britain held a rally in "
        "London on June 25 in support of the DPRK. Zbyszek Walton, chairman of the British Society for the "
        "Study of the Juche Idea, and other speakers said that the DPRK's Songun politics is just.",
        "2010-07-04",
    )
    events = {(e.actor, e.country) for e in article.support_events if e.role == "foreign"}
    assert ("Zbyszek Walton", "GB") in events


def test_an_adversary_named_by_surname_and_dprk_officials_are_never_foreign_supporters() -> None:
    article = analyze_record(
        "Indonesian Paper Backs DPRK",
        "Pyongyang, July 7 (KCNA) -- An article carried by the Indonesian newspaper Merdeka supported the "
        "DPRK's stand and laid bare the cunning trick of the Bush administration. Ju Yong Il, a DPRK official, "
        "was present at a meeting in Jakarta which praised the DPRK.",
        "2003-07-07",
    )
    actors = {e.actor for e in article.support_events}
    assert article.foreign_support
    assert "Bush" not in actors and "Ju Yong Il" not in actors


def test_bodies_the_dprk_opposes_and_its_own_bodies_are_never_foreign_supporters() -> None:
    article = analyze_record(
        "UNSC Resolution Denounced by Peruvian Body",
        "Pyongyang, March 20 (KCNA) -- The Peruvian Committee for Supporting the Reunification of Korea issued "
        'a statement on March 15 supporting the DPRK and denouncing the UN Security Council\'s "resolution" '
        "and NATO. The statement was handed to the Ministry of Foreign Trade at a ceremony held at the "
        "Pyongyang International House of Culture, where Sun's Day was praised.",
        "2013-03-20",
    )
    foreign = {e.actor for e in article.support_events if e.role == "foreign"}
    assert article.foreign_support
    assert not foreign & {
        "UN Security Council's",
        "UN Security Council",
        "NATO",
        "Ministry of Foreign Trade",
        "Pyongyang International House of Culture",
    }, foreign


def test_the_cheap_test_before_the_list_pattern_lets_through_what_ignorecase_matches() -> None:
    """list_gatherings skips sentences with no kind of gathering in them, tested on the lower-cased text; the
    pattern matches case-insensitively, so a long s, a dotless i or a capital dotted I (which str.lower()
    turns into two characters) must still reach it."""
    from propscope.enrich.support_actors import list_gatherings
    from propscope.model import Entity

    for kind in ("Seminars", "SEMINARS", "\u017feminars", "Meet\u0131ngs", "MEET\u0130NGS", "Celebrations"):
        text = f"{kind} were held in Nigeria and Peru."
        countries = [
            Entity(text.index("Nigeria"), text.index("Nigeria") + 7, "country", "Nigeria", "NG", 1.0, "gazetteer"),
            Entity(text.index("Peru"), text.index("Peru") + 4, "country", "Peru", "PE", 1.0, "gazetteer"),
        ]
        found = list_gatherings(text, 0, len(text), countries)
        assert [c.country for c in found] == ["NG", "PE"], kind
    assert list_gatherings("Talks were held in Peru.", 0, 6, []) == []


def test_gatherings_searched_run_by_run_are_what_the_whole_sentence_search_found() -> None:
    """_gatherings searches only the runs of words and spaces that hold a kind of gathering; it must find
    exactly what _GATHERING.finditer over the whole range found, whatever the punctuation, case and bounds."""
    import random

    from propscope.enrich.support import _GATHERING, _gatherings

    pieces = [
        "a ",
        "the ",
        "seminar ",
        "Seminars ",
        "photo exhibition ",
        "film  show ",
        "round-table ",
        "talks ",
        "acto ",
        "reunión ",
        "was ",
        "were ",
        "held ",
        "opened ",
        "took place ",
        "in ",
        "Mexico",
        "of ",
        "on ",
        "Juche idea ",
        "Korea's ",
        "’s ",
        "-",
        ", ",
        ". ",
        "(",
        ")",
        "\n",
        "x",
        "\u017fEMINAR ",
        "2016 ",
    ]
    rng = random.Random(7)
    found = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 16)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        expected = [(m.span(), m.group("name")) for m in _GATHERING.finditer(text, start, end)]
        assert [(m.span(), m.group("name")) for m in _gatherings(text, start, end)] == expected, (text, start, end)
        found += bool(expected)
    assert found > 100  # the draw makes many gatherings, not only misses
