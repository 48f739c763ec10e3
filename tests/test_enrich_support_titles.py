"""Support actors by title, corps and reply, and the country a name gets: short dispatches written for these tests."""

from __future__ import annotations

from propscope.enrich import Pipeline
from propscope.enrich.support import SupportStep
from propscope.enrich.support_actors import singular, titled_actors
from propscope.ingest.jsonl import record_from_object
from propscope.model import Article, RawRecord


def analyze(body: str, title: str = "Greetings Received") -> Article:
    record = record_from_object(
        {"id": "t", "source": "test", "title": title, "body": body, "date": "2024-09-10"}, "t", b"", "line 1"
    )
    assert isinstance(record, RawRecord)
    return Pipeline()(record)


def candidates(article: Article) -> dict[str, str | None]:
    pipeline = Pipeline()
    step = next(s for s in pipeline.steps if isinstance(s, SupportStep))
    events, cues = step.rule_events(article)
    return {c.name: c.country for c, _, _ in step.candidates(article, cues, events)}


def test_singular_titles() -> None:
    assert singular("diplomatic envoys and embassies") == "diplomatic envoy and embassy"
    assert singular("presidents") == "president"
    assert singular("media") == "media"


def test_a_list_of_titles_gives_one_actor_per_country() -> None:
    article = analyze(
        "Pyongyang, September 10 (KCNA) -- Floral baskets were laid by the King of Cambodia, presidents of "
        "Guinea, Madagascar and Mongolia and the embassies of Laos and Cuba here."
    )
    found = candidates(article)
    assert found["King of Cambodia"] == "KH"
    assert found["president of Guinea"] == "GN" and found["president of Mongolia"] == "MN"
    assert found["embassy of Laos"] == "LA" and found["embassy of Cuba"] == "CU"


def test_a_title_in_apposition_is_the_named_persons() -> None:
    article = analyze(
        "Pyongyang, September 10 (KCNA) -- Kim Jong Un received a message of greeting from Daniel Ortega, "
        "president of Nicaragua, on Monday."
    )
    found = candidates(article)
    assert "president of Nicaragua" not in found
    assert any(name.endswith("Ortega") for name in found)


def test_adversary_officials_by_title_are_no_candidates() -> None:
    article = analyze(
        "Pyongyang, September 10 (KCNA) -- The president of the United States and the Japanese prime minister "
        "praised the sanctions."
    )
    assert not [c for c in titled_actors(article.text, 0, len(article.text), article.entities)]


def test_the_corps_here_have_no_country() -> None:
    article = analyze(
        "Pyongyang, September 10 (KCNA) -- Kim Jong Un received floral baskets from the diplomatic corps and "
        "the military attaches corps here. The Vietnamese ambassador handed them over."
    )
    found = candidates(article)
    assert found["diplomatic corps"] is None and found["military attaches corps"] is None
    assert found["Vietnamese ambassador"] == "VN"


def test_the_addressee_of_a_reply_is_a_candidate_and_of_a_message_is_not() -> None:
    reply = analyze(
        "Pyongyang, September 10 (KCNA) -- Kim Jong Un sent a reply message to Thongloun Sisoulith, president "
        "of Laos. He thanked him for his warm congratulations."
    )
    assert "Thongloun Sisoulith" in candidates(reply)
    message = analyze(
        "Pyongyang, September 10 (KCNA) -- Kim Jong Un sent a message of greeting to Thongloun Sisoulith, "
        "president of Laos."
    )
    assert "Thongloun Sisoulith" not in candidates(message)


def test_the_denounced_us_lends_no_country_to_a_speaker() -> None:
    article = analyze(
        "Pyongyang, September 10 (KCNA) -- Thomas Gruber, chief of the Juche Idea Study Group in Vienna, said "
        "that the U.S. is the arch criminal. The general secretary of the Central Committee of the Socialist "
        "Party of Romania denounced the U.S. war drills in support of the DPRK."
    )
    found = candidates(article)
    assert found.get("Thomas Gruber") in ("AT", None)
    assert "US" not in found.values()
