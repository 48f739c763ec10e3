"""Forms of naming a supporter that the candidates must cover: short dispatches written for these tests."""

from __future__ import annotations

from propscope.enrich import Pipeline
from propscope.enrich.support import SupportStep
from propscope.ingest.jsonl import record_from_object
from propscope.model import Article, RawRecord

PIPELINE = Pipeline()
STEP = next(s for s in PIPELINE.steps if isinstance(s, SupportStep))


def analyze(body: str) -> Article:
    record = record_from_object(
        {
            "id": "t",
            "source": "test",
            "title": "Greetings",
            "body": "Pyongyang, May 3 (KCNA) -- " + body,
            "date": "2024-05-03",
        },
        "t",
        b"",
        "line 1",
    )
    assert isinstance(record, RawRecord)
    return PIPELINE(record)


def candidates(article: Article) -> dict[str, str | None]:
    events, cues = STEP.rule_events(article)
    return {c.name: c.country for c, _, _ in STEP.candidates(article, cues, events)}


def ruled(article: Article) -> dict[str, tuple[str | None, str]]:
    events, _ = STEP.rule_events(article)
    return {e.actor: (e.country, e.role) for e in events}


def test_an_office_and_its_country_before_a_name_give_the_person() -> None:
    found = candidates(
        analyze(
            "Cuban Ambassador to the DPRK Ramon Lopez Garcia in his speech praised the Workers' Party of Korea. "
            "Syrian President Bashir al-Hamdan also hailed the successes of the DPRK."
        )
    )
    assert found["Ramon Lopez Garcia"] == "CU"
    assert found["Bashir al-Hamdan"] == "SY"
    assert "Cuban Ambassador" not in found


def test_a_meeting_of_a_body_is_the_bodys_and_a_meeting_in_a_country_is_named_by_it() -> None:
    organised = ruled(
        analyze("A meeting of the Nepal-Korea Friendship Association was held in Kathmandu to hail the Day of the Sun.")
    )
    assert organised == {"Nepal-Korea Friendship Association": ("NP", "foreign")}
    found = candidates(
        analyze("A seminar on the Juche idea was held in Peru. Speakers praised the exploits of Kim Il Sung.")
    )
    assert found == {"seminar in Peru": "PE"}


def test_country_names_shaped_like_demonyms_keep_a_title_list_going() -> None:
    found = candidates(analyze("Media of Germany, Pakistan, Iran and Oman carried articles praising Kim Jong Il."))
    assert found == {"Media of Germany": "DE", "Media of Pakistan": "PK", "Media of Iran": "IR", "Media of Oman": "OM"}


def test_a_list_of_demonyms_before_one_title_gives_one_actor_each() -> None:
    found = candidates(
        analyze("Kim Jong Un received floral baskets from the Cambodian, Lao and Libyan diplomatic envoys here.")
    )
    assert found["Cambodian diplomatic envoy"] == "KH"
    assert found["Lao diplomatic envoy"] == "LA"
    assert found["Libyan diplomatic envoy"] == "LY"


def test_senders_after_by_are_no_recipients() -> None:
    found = candidates(
        analyze(
            "Floral baskets were sent to Kim Jong Un by the Vietnamese and Lao diplomatic envoys and the "
            "diplomatic representatives and embassies of Iran and Mali."
        )
    )
    assert found["Vietnamese diplomatic envoy"] == "VN" and found["Lao diplomatic envoy"] == "LA"
    assert found["diplomatic representative and embassy of Iran"] == "IR"
    assert found["diplomatic representative and embassy of Mali"] == "ML"
    message = candidates(analyze("Kim Jong Un sent a message of greeting to Lao President Thongsing Vilaykham."))
    assert "Thongsing Vilaykham" not in message


def test_among_them_were_lists_share_the_cue_before() -> None:
    article = analyze(
        "Kim Jong Un received congratulatory messages from party leaders on the anniversary. Among them were "
        "the Socialist Workers' Party of Panama and the Party for Socialism and Liberation of Uruguay."
    )
    found = ruled(article)
    assert found["Socialist Workers' Party of Panama"] == ("PA", "foreign")
    assert found["Party for Socialism and Liberation of Uruguay"] == ("UY", "foreign")
    unrelated = ruled(
        analyze("The delegation toured Pyongyang. Among them were members of the Socialist Party of Chile.")
    )
    assert not unrelated


def test_korean_nationality_bodies_are_compatriots() -> None:
    article = analyze("The Korean Nationality Federation in China held a meeting to praise the feats of Kim Jong Il.")
    assert ruled(article) == {"Korean Nationality Federation in China": ("CN", "compatriot")}
    assert not [e for e in article.support_events if e.role == "foreign"]
