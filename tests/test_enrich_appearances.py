"""The leader's appearances and the lists of officials (issue 16), on short dispatches written for these tests
in KCNA's manner, and on the leadership set's train part where the corpora are here."""

from __future__ import annotations

import gzip
import json

import pytest

from propscope.enrich import DEFAULT_STEPS, PARSE_STEPS, Pipeline
from propscope.ingest.jsonl import record_from_object
from propscope.model import Article, RawRecord

from .conftest import SEED, shared_path

PIPELINE = Pipeline(("appearances",))


def parsed(title: str, body: str, date: str | None = "2016-03-10") -> Article:
    record = record_from_object(
        {"id": "t", "source": "test", "title": title, "body": body, "date": date}, "t", b"", "line 1"
    )
    assert isinstance(record, RawRecord)
    return PIPELINE(record)


def test_an_inspection_with_titles_between_the_names_gives_the_names_in_order_and_the_titles() -> None:
    article = parsed(
        "Kim Jong Un Inspects Sea Products Station",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Un, chairman of the Workers' Party of Korea, inspected the "
        "Sinpho Sea Products Station.\n\nHe praised the workers for their feats.\n\nHe was accompanied by Choe "
        "Ryong Hae, member of the Presidium of the Political Bureau of the WPK Central Committee and "
        "vice-chairman of the State Affairs Commission, Vice Marshal Hwang Pyong So, director of the General "
        "Political Bureau of the KPA, and Kim Yo-jong, vice department director of the C.C., WPK.",
    )
    (appearance,) = article.appearances
    assert (appearance.leader, appearance.kind, appearance.place) == (
        "Kim Jong Un",
        "economy",
        "Sinpho Sea Products Station",
    )
    assert appearance.accompanied_by == ("Choe Ryong Hae", "Hwang Pyong So", "Kim Yo Jong")
    assert appearance.event_date is None  # no time word: the dispatch's date is not the event's
    titles = [(o.name, o.title, o.list, o.position, o.size, o.appearance) for o in article.officials]
    assert titles == [
        (
            "Choe Ryong Hae",
            "member of the Presidium of the Political Bureau of the WPK Central Committee and vice-chairman of "
            "the State Affairs Commission",
            "accompanied",
            1,
            3,
            0,
        ),
        ("Hwang Pyong So", "director of the General Political Bureau of the KPA", "accompanied", 2, 3, 0),
        ("Kim Yo Jong", "vice department director of the C.C., WPK", "accompanied", 3, 3, 0),
    ]
    mention = article.officials[2]
    assert article.text[mention.start : mention.end] == "Kim Yo-jong"


def test_titles_before_the_names_belong_to_the_name_after_them() -> None:
    article = parsed(
        "Kim Jong Il Inspects KPA Unit",
        "Pyongyang, May 19 (KCNA) -- General Secretary Kim Jong Il inspected KPA Unit 1017.\n\nHe was "
        "accompanied by director of the General Political Department of the KPA Jo Myong Rok, chief of the "
        "General Staff of the KPA Kim Yong Chun and KPA Generals Hyon Chol Hae and Ri Myong Su.",
        "2003-05-19",
    )
    (appearance,) = article.appearances
    assert appearance.kind == "military"
    assert [(o.name, o.title) for o in article.officials] == [
        ("Jo Myong Rok", "director of the General Political Department of the KPA"),
        ("Kim Yong Chun", "chief of the General Staff of the KPA"),
        ("Hyon Chol Hae", "KPA Generals"),
        ("Ri Myong Su", "KPA Generals"),
    ]


def test_his_wife_accompanying_him_comes_first() -> None:
    article = parsed(
        "Kim Jong Un Visits Children's Hospital",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Un, together with his wife Ri Sol Ju, gave field guidance to "
        "the Okryu Children's Hospital yesterday.\n\nHe was accompanied by Pak Pong Ju and Ri Pyong Chol.",
    )
    (appearance,) = article.appearances
    assert appearance.accompanied_by == ("Ri Sol Ju", "Pak Pong Ju", "Ri Pyong Chol")
    assert appearance.event_date == "2016-03-09"
    assert appearance.kind == "economy"


def test_two_sites_in_one_dispatch_are_two_appearances_sharing_the_list_and_the_day() -> None:
    article = parsed(
        "Kim Jong Il Gives Field Guidance",
        "Pyongyang, June 12 (KCNA) -- General Secretary Kim Jong Il gave field guidance to the Ryongsong "
        "Machine Complex on Tuesday.\n\nHe looked round the workshops of the complex.\n\nThe next leg of his "
        "guidance was the Kangdong Greenhouse Farm.\n\nHe was accompanied by Kim Ki Nam and Pak Nam Gi.",
        "2008-06-12",
    )
    assert [(a.place, a.kind, a.event_date) for a in article.appearances] == [
        ("Ryongsong Machine Complex", "economy", "2008-06-10"),
        ("Kangdong Greenhouse Farm", "economy", "2008-06-10"),
    ]
    assert all(a.accompanied_by == ("Kim Ki Nam", "Pak Nam Gi") for a in article.appearances)
    assert {o.appearance for o in article.officials} == {0}


def test_a_wreath_sent_in_his_name_is_no_appearance_but_its_list_is_kept() -> None:
    article = parsed(
        "Kim Jong Un Sends Wreath to Bier of Veteran",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Un sent a wreath to the bier of the late veteran Ri Ul Sol on "
        "Wednesday.\n\nPresent there were Choe Ryong Hae, Pak Pong Ju and other senior officials.",
    )
    assert article.appearances == []
    assert [(o.name, o.list, o.appearance) for o in article.officials] == [
        ("Choe Ryong Hae", "present", -1),
        ("Pak Pong Ju", "present", -1),
    ]


def test_messages_received_and_praise_are_no_appearance() -> None:
    for title, body in (
        (
            "Kim Jong Un Receives Greetings",
            "Pyongyang, March 10 (KCNA) -- Kim Jong Un received congratulatory messages and letters from "
            "organizations of Koreans in Japan.",
        ),
        (
            "Kim Jong Il Praised",
            "Pyongyang, March 10 (KCNA) -- A Nepalese newspaper praised Kim Jong Il, who visited many units.",
        ),
        (
            "Kim Jong Un's Field Guidance Reported by Foreign Media",
            "Pyongyang, March 10 (KCNA) -- Kim Jong Un gave field guidance to the Sinpho Sea Products Station.",
        ),
    ):
        assert parsed(title, body).appearances == [], title


def test_a_recollection_of_a_visit_years_ago_is_no_appearance() -> None:
    article = parsed(
        "Chairman Kim Jong Il's Care for Workers",
        "One day in June Juche 88 (1999), Chairman Kim Jong Il gave field guidance at the Sinuiju Cosmetics "
        "Factory.\n\nIn 1998 Kim Jong Il visited the Kangso Farm.",
        "2024-05-28",
    )
    assert article.appearances == []


def test_kim_jong_un_accompanying_his_father_is_his_fathers_appearance() -> None:
    article = parsed(
        "Kim Jong Il Inspects KPA Unit 1969",
        "Pyongyang, November 20 (KCNA) -- Kim Jong Il, general secretary of the Workers' Party of Korea, "
        "inspected KPA Unit 1969 on Saturday.\n\nAccompanying him were Kim Jong Un, vice-chairman of the "
        "Central Military Commission of the WPK, Jang Song Thaek, alternate member of the Political Bureau of "
        "the C.C., the WPK, and KPA Generals Hyon Chol Hae and Ri Myong Su.",
        "2010-11-20",
    )
    (appearance,) = article.appearances
    assert appearance.leader == "Kim Jong Il"
    assert appearance.event_date == "2010-11-20"
    assert appearance.accompanied_by == ("Kim Jong Un", "Jang Song Thaek", "Hyon Chol Hae", "Ri Myong Su")


def test_after_december_2011_kim_jong_il_appears_no_more() -> None:
    article = parsed(
        "Story",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il visited the Kangso Farm, the farmers recall.",
        "2013-03-10",
    )
    assert article.appearances == []


def test_a_dated_meeting_with_foreigners_is_diplomacy_and_the_present_at_a_meeting_greeted_him() -> None:
    article = parsed(
        "Kim Jong Un Meets Russian Delegation",
        "Pyongyang, September 14 (KCNA) -- Kim Jong Un received the delegation of the Security Council of "
        "Russia on September 13.\n\nPresent there was Kim Song Nam, department director of the C.C., WPK.",
        "2024-09-14",
    )
    (appearance,) = article.appearances
    assert (appearance.kind, appearance.event_date, appearance.greeted_by) == (
        "diplomacy",
        "2024-09-13",
        ("Kim Song Nam",),
    )


def test_glued_names_of_kcna_kp_and_a_ceremony_held_in_his_presence() -> None:
    article = parsed(
        "Press Review",
        "Pyongyang, August 7 (KCNA) -- Following are major news items:\n- A departure ceremony of the youth "
        "shock brigade took place under the presence of the respected ComradeKim Jong Un.\n",
        "2024-08-07",
    )
    (appearance,) = article.appearances
    assert (appearance.kind, appearance.place) == ("politics", "departure ceremony of the youth shock brigade")


def test_a_text_without_a_leader_costs_nothing_and_gives_nothing() -> None:
    article = parsed("Farm Work", "Pyongyang, March 10 (KCNA) -- Farmers are busy.")
    assert article.appearances == [] and article.officials == []


def test_the_step_runs_by_default_and_prints_on_the_seed() -> None:
    assert "appearances" in DEFAULT_STEPS and "appearances" in PARSE_STEPS
    text = SEED.read_text(encoding="utf-8")
    article = Pipeline()(RawRecord(origin=str(SEED), kind="text", text=text, raw=text.encode()))
    out = json.loads(json.dumps(article.to_dict()))
    assert out["appearances"] == [] and out["officials"] == []


def test_the_layers_print_their_fields() -> None:
    article = parsed(
        "Kim Jong Un Inspects KPA Unit 851",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Un inspected KPA Unit 851.\n\nHe was accompanied by Pak "
        "Jong Chon, vice-chairman of the Central Military Commission.",
    )
    out = article.to_dict()
    assert out["appearances"][0]["accompanied_by"] == ("Pak Jong Chon",)
    assert out["appearances"][0]["text"].startswith("Kim Jong Un inspected KPA Unit 851")
    assert out["officials"][0]["title"] == "vice-chairman of the Central Military Commission"
    assert out["officials"][0]["text"] == "Pak Jong Chon"


TRAIN_FLOOR = {
    "appearance_f1": 0.90,
    "kind_accuracy": 0.85,
    "companions_f1": 0.90,
    "order_exact": 0.90,
    "event_date_right": 0.85,
}


def test_the_leadership_sets_train_part_stays_above_its_floor() -> None:
    """The train part guards against regressions; the held-out third is reported by `python -m
    tests.devset.score_leader --heldout`, never asserted or tuned on here."""
    shared_path("corpora")
    from tests.devset.score_leader import LABELS, score

    if not LABELS.exists():
        pytest.skip(f"{LABELS} is not merged yet")
    report = score("train", [LABELS])
    scores = report.scores()
    assert report.n >= 50
    for metric, floor in TRAIN_FLOOR.items():
        assert scores[metric] >= floor, f"{metric} {scores[metric]:.3f} < {floor}"


def test_two_items_of_a_press_review_are_two_appearances_each_with_its_own_day() -> None:
    article = parsed(
        "Press Review",
        "Pyongyang, October 18 (KCNA) -- Following are major news items in the papers on Friday:\n"
        "- The respected ComradeKim Jong Uninspected the headquarters of the 2nd Corps of the KPA.\n"
        "- A poem was published.\n"
        "- The respected ComradeKim Jong Unmet the players who won the championship.\n",
        "2024-10-18",
    )
    assert [(a.kind, a.place) for a in article.appearances] == [
        ("military", "headquarters of the 2nd Corps of the KPA"),
        ("politics", None),
    ]


def test_the_audience_of_a_performance_greeted_him_and_a_funeral_committee_is_a_list_of_its_own() -> None:
    article = parsed(
        "Kim Jong Il Appreciates Performance",
        "Pyongyang, February 6 (KCNA) -- General Secretary Kim Jong Il appreciated a performance given by the "
        "art squad of KPA Large Combined Unit 324.\n\nAmong the audience were Kim Ki Nam, secretary of the "
        "C.C., the WPK, and KPA Generals Hyon Chol Hae and Ri Myong Su.",
        "2009-02-06",
    )
    (appearance,) = article.appearances
    assert appearance.kind == "culture"
    assert appearance.greeted_by == ("Kim Ki Nam", "Hyon Chol Hae", "Ri Myong Su")
    committee = parsed(
        "National Funeral Committee Formed",
        "Pyongyang, December 19 (KCNA) -- National funeral committee will be made up of following persons:\n\n"
        "Kim Jong Un, Kim Yong Nam, Choe Yong Rim, U Tong Chuk, Ro Tu Chol.",
        "2011-12-19",
    )
    assert committee.appearances == []
    assert [(o.name, o.list, o.position, o.size, o.appearance) for o in committee.officials] == [
        ("Kim Jong Un", "committee", 1, 5, -1),
        ("Kim Yong Nam", "committee", 2, 5, -1),
        ("Choe Yong Rim", "committee", 3, 5, -1),
        ("U Tong Chuk", "committee", 4, 5, -1),
        ("Ro Tu Chol", "committee", 5, 5, -1),
    ]


def test_the_issues_own_example_from_the_corpus() -> None:
    """kcna.co.jp, 11 January 2016 (outside the labelled sample): the photo session with the H-bomb test's
    contributors, and the accompaniment list the issue quotes."""
    path = shared_path("corpora", "kcna-co-jp-1997-2018", "kcna_co_jp_2016.jsonl.gz")
    with gzip.open(path, "rb") as handle:
        line = next(raw for raw in handle if b'"kcnajp-20160111-001"' in raw)
    record = record_from_object(json.loads(line), str(path), line, "line 1")
    assert isinstance(record, RawRecord)
    (appearance,) = PIPELINE(record).appearances
    assert (appearance.leader, appearance.kind) == ("Kim Jong Un", "military")
    assert appearance.place == "building of the Central Committee of the Workers' Party of Korea (WPK)"
    assert appearance.accompanied_by == ("Ri Man Gon", "Ri Pyong Chol", "Pak To Chun")
    assert appearance.event_date is None


def test_a_site_named_for_a_day_gives_no_date_and_a_visit_weeks_before_is_a_recollection() -> None:
    named = parsed(
        "Kim Jong Il Provides Field Guidance to July 7 Complex",
        "Pyongyang, February 22 (KCNA) -- General Secretary Kim Jong Il provided field guidance to the July 7 Complex.",
        "2009-02-22",
    )
    (appearance,) = named.appearances
    assert (appearance.place, appearance.event_date) == ("July 7 Complex", None)
    recalled = parsed(
        "Kim Jong Un Sends Gifts to Theatre",
        "Pyongyang, June 25 (KCNA) -- Kim Jong Un sent gifts to the builders.\n\nKim Jong Un visited the theatre "
        "on Apr. 10 and praised the builders.",
        "2012-06-25",
    )
    assert recalled.appearances == []


def test_a_1990s_wire_in_capitals_gives_the_appearance_with_spans_into_the_original() -> None:
    body = (
        "PYONGYANG, MARCH 5 (KCNA) -- SECRETARY KIM JONG IL, SUPREME COMMANDER OF THE KOREAN PEOPLE'S ARMY (KPA), "
        "ON MONDAY INSPECTED UNIT 212 OF THE KPA, WHICH DEFENDS THE FOREFRONT. HE WAS ACCOMPANIED BY KPA VICE "
        "MARSHAL JO MYONG ROK, DIRECTOR OF THE KPA GENERAL POLITICAL DEPARTMENT= KPA VICE MARSHAL KIM YONG CHUN, "
        "CHIEF OF THE KPA GENERAL STAFF= AND STAFF MEMBERS OF THE KPA SUPREME COMMAND."
    )
    article = parsed("Secy. Kim Jong Il inspects KPA unit", body, "1997-03-05")
    (appearance,) = article.appearances
    assert (appearance.leader, appearance.kind, appearance.event_date) == ("Kim Jong Il", "military", "1997-03-03")
    assert appearance.accompanied_by == ("Jo Myong Rok", "Kim Yong Chun")
    assert article.text[appearance.start : appearance.end].startswith("SECRETARY KIM JONG IL")
    assert [article.text[o.start : o.end] for o in article.officials] == ["JO MYONG ROK", "KIM YONG CHUN"]


def test_the_case_view_keeps_every_offset_and_leaves_ordinary_text_alone() -> None:
    from propscope.enrich.case_view import case_view, shouting

    text = "HE WAS MET BY KPA GENERAL JU SANG SONG ON TUESDAY IN PYONGYANG AND OTHER GENERALS AND OFFICERS."
    view = case_view(text, 0, len(text))
    assert len(view) == len(text) and view.upper() == text.upper()
    assert view.startswith("He was met by KPA General Ju Sang Song on Tuesday in Pyongyang")
    assert shouting(text, 0, len(text)) and not shouting("Kim Jong Un inspected the Sinpho Sea Products Station", 0, 50)


def test_a_date_between_his_name_and_his_verb_and_a_factory_named_for_a_day_leave_the_days_right() -> None:
    article = parsed(
        "Kim Jong Il Inspects KPA Unit",
        "Pyongyang, May 24 (KCNA) -- General Secretary Kim Jong Il on May 22 inspected KPA guard unit no. 207 "
        "on the front.\n\nHe toured its barracks.\n\nThe next leg of his guidance was the June 9 Machine "
        "Factory.",
        "2004-05-24",
    )
    assert [(a.place, a.event_date) for a in article.appearances] == [
        ("KPA guard unit no. 207", "2004-05-22"),
        ("June 9 Machine Factory", "2004-05-22"),
    ]


def test_a_span_of_days_gives_no_one_day_and_the_sentence_after_may_give_the_day() -> None:
    span = parsed(
        "Kim Jong Il Tours Province",
        "Pyongyang, April 20 (KCNA) -- Kim Jong Il gave field guidance to the Hamhung Wool Mill from Apr. 17 to 18.",
        "2003-04-20",
    )
    assert [(a.place, a.event_date) for a in span.appearances] == [("Hamhung Wool Mill", None)]
    next_day = parsed(
        "Kim Jong Un Guides Firing Drill",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Un guided a firing drill of artillery units on the spot.\n\n"
        "The drill was staged on March 8 in the western sector.\n\nHe was pleased with it.",
    )
    assert [(a.kind, a.event_date) for a in next_day.appearances] == [("military", "2016-03-08")]


def test_a_foreign_papers_report_and_a_story_of_another_year_are_no_appearance() -> None:
    relayed = parsed(
        "Birthday Observed in Mongolia",
        "Pyongyang, March 10 (KCNA) -- A Mongolian paper carried an article on Kim Jong Un's activities.\n\n"
        "It said:\n\nKim Jong Un inspected KPA Unit 525 and watched a drill.",
    )
    assert relayed.appearances == []
    story = parsed(
        "Life under Care of Leader (3)",
        "Pyongyang, March 10 (KCNA) -- Joy filled the Sogam Farm in August Juche 93 (2004).\n\nLeader Kim Jong "
        "Il visited the farm.",
    )
    assert story.appearances == []
    last_month = parsed(
        "Leader's Guidance",
        "Pyongyang, January 20 (KCNA) -- Kim Jong Il visited the Sunchon Cement Complex last December.",
        "2009-01-20",
    )
    assert last_month.appearances == []


def test_each_site_of_a_tour_counts_however_the_text_names_it() -> None:
    article = parsed(
        "Kim Jong Il Inspects Province",
        "Pyongyang, October 18 (KCNA) -- Kim Jong Il gave field guidance to industrial establishments in North "
        "Hamgyong Province on Thursday.\n\nHe first visited the commissioned Orang Power Station and learned "
        "about its operation.\n\nThen, he moved to the dam construction site of the Kyongsong Power Station."
        "\n\nHe then inspected the seed institute of the academy of agricultural science, Chongjin fish farms "
        "nos. 3 and 4 and other units before leaving.\n\nHe enjoyed a performance given by the art squad of the "
        "farm.",
        "2002-10-18",
    )
    assert [(a.place, a.event_date) for a in article.appearances] == [
        ("Orang Power Station", "2002-10-17"),
        ("dam construction site of the Kyongsong Power Station", "2002-10-17"),
        ("seed institute of the academy of agricultural science", "2002-10-17"),
        ("Chongjin fish farms nos. 3 and 4", "2002-10-17"),
    ]


def test_a_group_of_units_including_named_sites_gives_the_sites_and_an_apposition_is_no_site() -> None:
    article = parsed(
        "Kim Jong Il Tours Province",
        "Pyongyang, September 17 (KCNA) -- Kim Jong Il visited different units in the province including the "
        "Hamhung Knitwear Factory, the Sinhung Pump Plant and the Tongbong Cooperative Farm.\n\nThe first leg "
        "of his visit was the Hamhung Knitwear Factory, a leading light industry base.\n\nHe was accompanied "
        "by Kim Ki Nam.",
        "2001-09-17",
    )
    assert [a.place for a in article.appearances] == [
        "Hamhung Knitwear Factory",
        "Sinhung Pump Plant",
        "Tongbong Cooperative Farm",
    ]
    assert all(a.accompanied_by == ("Kim Ki Nam",) for a in article.appearances)


def test_an_accompaniment_in_a_participle_and_a_rank_abbreviated_keep_the_whole_list() -> None:
    article = parsed(
        "Kim Jong Il Pays Tribute",
        "Pyongyang, July 8 (KCNA) -- Kim Jong Il visited the Kumsusan Memorial Palace on July 8.\n\nHe entered "
        "the hall, accompanied by senior officials Ri Jong Ok and Pak Song Chol.\n\nHe was greeted there by KPA "
        "Lieut. General Ri Tu Song and Col. General Kim Myong Guk.",
        "1998-07-08",
    )
    (appearance,) = article.appearances
    assert (appearance.kind, appearance.event_date) == ("politics", "1998-07-08")
    assert appearance.accompanied_by == ("Ri Jong Ok", "Pak Song Chol")
    assert appearance.greeted_by == ("Ri Tu Song", "Kim Myong Guk")


def test_a_performance_by_another_unit_and_a_city_toured_after_a_site_are_appearances_of_their_own() -> None:
    article = parsed(
        "Kim Jong Il Inspects KPA Unit",
        "Pyongyang, November 23 (KCNA) -- Kim Jong Il yesterday inspected KPA unit no. 611.\n\nHe watched the "
        "training of its servicemen.\n\nAfter inspecting the unit, Kim Jong Il saw the performances given by "
        "the art propaganda squad of the large combined unit no. 287.\n\nAfter touring Kanggye City, he "
        "examined a layout plan of the city.",
        "2000-11-23",
    )
    assert [(a.kind, a.place, a.event_date) for a in article.appearances] == [
        ("military", "KPA unit no. 611", "2000-11-22"),
        ("culture", "art propaganda squad of the large combined unit no. 287", "2000-11-22"),
        ("economy", "Kanggye City", "2000-11-22"),
    ]


def test_a_visit_a_few_days_ago_is_one_without_a_day() -> None:
    article = parsed(
        "Policy on Youth",
        "Pyongyang, January 21 (KCNA) -- A few days ago Kim Jong Un visited the newly-built Youth Movement "
        "Museum and said that it is good.",
    )
    assert [(a.kind, a.place, a.event_date) for a in article.appearances] == [
        ("culture", "Youth Movement Museum", None)
    ]


def test_a_factory_is_economy_whatever_it_makes_a_tower_is_politics_and_a_south_korean_visitor_diplomacy() -> None:
    def kinds(title: str, body: str, date: str = "2016-06-02") -> list[str]:
        return [a.kind for a in parsed(title, body, date).appearances]

    assert kinds(
        "Kim Jong Un Visits Factory",
        "Pyongyang, June 2 (KCNA) -- Kim Jong Un gave field guidance to the newly built Pyongyang Musical "
        "Instruments and Sports Goods Factory.",
    ) == ["economy"]
    assert kinds(
        "Kim Jong Un Visits Munitions Factory",
        "Pyongyang, June 2 (KCNA) -- Kim Jong Un inspected the Kanggye Tank Factory.",
    ) == ["military"]
    assert kinds(
        "Kim Jong Un Visits Tower",
        "Pyongyang, July 27 (KCNA) -- Kim Jong Un visited the Friendship Tower on July 26.",
        "2024-07-27",
    ) == ["politics"]
    assert kinds(
        "Kim Jong Il Receives Visitor",
        "Pyongyang, October 31 (KCNA) -- Kim Jong Il received the honorary chairman of the Hyundai Group of "
        "south Korea and his family on Friday.",
        "1998-10-31",
    ) == ["diplomacy"]


def test_units_in_two_towns_are_a_group_and_its_legs_are_the_appearances() -> None:
    article = parsed(
        "Kim Jong Il Guides Units",
        "Pyongyang, May 13 (KCNA) -- Kim Jong Il gave on-the-spot guidance to various units in Kilju County and "
        "Kim Chaek City.\n\nThe first leg of his guidance was the Kilju Farm.\n\nThe next leg of his guidance "
        "was the Kim Chaek Fishery Enterprise.",
        "2008-05-13",
    )
    assert [a.place for a in article.appearances] == ["Kilju Farm", "Kim Chaek Fishery Enterprise"]


def test_a_comedy_is_culture_with_its_audience_and_a_site_alive_with_work_keeps_its_name() -> None:
    comedy = parsed(
        "Kim Jong Il Enjoys Light Comedy",
        'Pyongyang, April 26 (KCNA) -- Kim Jong Il enjoyed light comedy "Echo of Valley" newly created by the '
        "State Theatrical Troupe.\n\nAmong the audience were Kim Yong Chun and Choe Thae Bok.",
        "2010-04-26",
    )
    assert [(a.kind, a.greeted_by) for a in comedy.appearances] == [("culture", ("Kim Yong Chun", "Choe Thae Bok"))]
    factory = parsed(
        "Kim Jong Il Inspects Factory",
        "Pyongyang, September 12 (KCNA) -- Kim Jong Il provided field guidance to the Manpho Chemical Factory "
        "alive with the drive for new technology.",
        "2010-09-12",
    )
    assert [a.place for a in factory.appearances] == ["Manpho Chemical Factory"]


def test_those_who_met_him_at_one_site_of_two_are_that_sites_and_its_own_parts_are_no_site() -> None:
    article = parsed(
        "Kim Jong Il Visits Naval School and Unit",
        "Pyongyang, June 6 (KCNA) -- Kim Jong Il visited Kim Chaek Naval College and KPA Naval Unit No. 380 on "
        "Thursday.\n\nHe was accompanied by Jo Myong Rok.\n\nThe visiting group included Kim Ki Nam.\n\nKim Jong "
        "Il arrived at Kim Chaek Naval College.\n\nHe was met by Vice Admiral Kim Yun Sim.\n\nKim Jong Il "
        "visited KPA Naval Unit No. 380.\n\nHe then looked round the Unit's Defence Theatre.\n\nHe saw a "
        "performance of the art propaganda troupe of the Naval Unit.",
        "1997-06-06",
    )
    assert [(a.place, a.accompanied_by, a.greeted_by) for a in article.appearances] == [
        ("Kim Chaek Naval College", ("Jo Myong Rok", "Kim Ki Nam"), ("Kim Yun Sim",)),
        ("KPA Naval Unit No. 380", ("Jo Myong Rok", "Kim Ki Nam"), ()),
    ]


def test_the_construction_of_power_stations_is_a_group_and_a_host_received_him() -> None:
    article = parsed(
        "Kim Jong Il Guides Power Station Construction",
        "Pyongyang, December 19 (KCNA) -- Kim Jong Il gave field guidance to the construction of power "
        "stations in North Phyongan Province.\n\nThe next leg of his visit was the Unhung Youth Power "
        "Station.\n\nThen he moved on to the construction site of Thaechon Power Station No. 4.\n\nHe was "
        "received on the spot by Kim Phyong Hae, chief secretary of the provincial committee.",
        "2003-12-19",
    )
    assert [(a.place, a.greeted_by) for a in article.appearances] == [
        ("Unhung Youth Power Station", ("Kim Phyong Hae",)),
        ("construction site of Thaechon Power Station No. 4", ("Kim Phyong Hae",)),
    ]


def test_two_farms_of_one_county_are_two_appearances() -> None:
    article = parsed(
        "Kim Jong Il Gives Field Guidance in Ryonghung County",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il gave field guidance to the Ryonghung Duck Farm.\n\n"
        "He praised the workers.\n\nHe gave field guidance to the Ryonghung Goat Breeding Farm.\n\n"
        "He went round the Ryonghung Duck Farm again before leaving.",
        date="2008-03-10",
    )
    assert [a.place for a in article.appearances] == ["Ryonghung Duck Farm", "Ryonghung Goat Breeding Farm"]


def test_sites_listed_during_the_guidance_are_each_an_appearance_and_the_field_is_none() -> None:
    article = parsed(
        "Kim Jong Il Visits North Phyongan Province",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il gave on-the-spot guidance to the industrial field of North "
        "Phyongan Province.\n\nDuring the guidance he looked round the Kusong Machine Plant, the Taegwan "
        "Glass Factory and other factories.\n\nHe was accompanied by Kim Ki Nam.",
        date="2005-03-10",
    )
    assert [a.place for a in article.appearances] == ["Kusong Machine Plant", "Taegwan Glass Factory"]
    assert all(a.accompanied_by == ("Kim Ki Nam",) for a in article.appearances)


def test_the_first_leg_names_the_lead_site_more_exactly() -> None:
    article = parsed(
        "Kim Jong Il Gives Field Guidance to Construction Site",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il gave field guidance to the construction site of the Orang "
        "Power Station.\n\nThe first leg of his guidance was the dam construction site of the Orang Power "
        "Station No. 1.\n\nHe praised the builders.\n\nThe next leg of his guidance was the dam construction "
        "site of the Orang Power Station No. 2.",
        date="2005-03-10",
    )
    assert [a.place for a in article.appearances] == [
        "dam construction site of the Orang Power Station No. 1",
        "dam construction site of the Orang Power Station No. 2",
    ]


def test_a_site_and_an_unnamed_farm_in_one_object_are_two_sites() -> None:
    article = parsed(
        "Kim Jong Il Inspects Dam and Farm",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il gave on-the-spot guidance to the dam construction site of "
        "the Kumya power station and a fish farm in Kumya county.",
        date="2005-03-10",
    )
    assert [a.place for a in article.appearances] == [
        "dam construction site of the Kumya power station",
        "fish farm in Kumya county",
    ]


def test_those_seeing_the_performance_with_him_are_present_and_the_party_included_accompanied() -> None:
    article = parsed(
        "Kim Jong Il Enjoys Art Performance",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il enjoyed an art performance given by the Mansudae Art "
        "Troupe. Seeing the performance together with him were Jo Myong Rok and Kim Yong Chun.",
        date="1999-03-10",
    )
    (appearance,) = article.appearances
    assert (appearance.accompanied_by, appearance.greeted_by) == ((), ("Jo Myong Rok", "Kim Yong Chun"))
    article = parsed(
        "Kim Jong Il Gives Guidance to Farm",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il gave on-site guidance to the Misan Cooperative Farm. He "
        "was accompanied by Ri Yong Mu. Included in the party were secretary Kim Yong Sun and first vice "
        "department director Jang Song Thaek.\n\nHe was met at the farm by Pak Ki So.",
        date="1999-03-10",
    )
    (appearance,) = article.appearances
    assert appearance.accompanied_by == ("Ri Yong Mu", "Kim Yong Sun", "Jang Song Thaek")
    assert appearance.greeted_by == ("Pak Ki So",)


def test_a_complex_built_by_the_unit_is_part_of_the_units_visit_and_a_title_ends_the_place() -> None:
    article = parsed(
        "Kim Jong Il Inspects KPA Unit",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il inspected KPA unit 811 entitled Kum Song lifeguard.\n\n"
        "Then he went round the Unsong Health Complex built by the unit itself.",
        date="2002-03-10",
    )
    assert [a.place for a in article.appearances] == ["KPA unit 811"]


def test_an_exhibition_looked_round_after_the_sites_is_an_appearance_of_its_own() -> None:
    article = parsed(
        "Kim Jong Il Gives Field Guidance",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Il gave field guidance to the Kanggye Tractor Factory.\n\n"
        "He praised the workers.\n\nHe looked round a photo exhibition now under way in Jagang Province.",
        date="2008-03-10",
    )
    assert [(a.kind, a.place) for a in article.appearances] == [
        ("economy", "Kanggye Tractor Factory"),
        ("culture", "photo exhibition"),
    ]


@pytest.mark.parametrize(
    ("sentence", "kind", "place"),
    [
        ("inspected the newly built model barracks.", "military", "model barracks"),
        ("went round the Pochon Revolutionary Site associated with the President.", "politics",
         "Pochon Revolutionary Site"),
        ("inspected the Kim Chaek Stadium to give tasks to remodel it.", "economy", "Kim Chaek Stadium"),
        ("gave field guidance to the Moranbong Theatre nearing its completion.", "economy", "Moranbong Theatre"),
        ("hosted a dinner in honor of the Chinese premier at the Paekhwawon State Guest House.", "diplomacy",
         "Paekhwawon State Guest House"),
    ],
)  # fmt: skip
def test_kinds_by_what_he_did_there(sentence: str, kind: str, place: str) -> None:
    body = f"Pyongyang, March 10 (KCNA) -- Kim Jong Il {sentence}"
    article = parsed("Kim Jong Il's Activity", body, date="2005-03-10")
    (appearance,) = article.appearances
    assert (appearance.kind, appearance.place) == (kind, place)


@pytest.mark.parametrize(
    ("title", "sentence"),
    [
        ("2005 witnesses DPRK's rising prestige", "Kim Jong Il also visited China and boosted the friendly relations."),
        ("Declaration Marked", "During his visits Kim Jong Il met and had talks with the Russian President."),
        ("Leader's Devotion", "Over the past year Kim Jong Il gave field guidance to many factories."),
        ("Leader's Devotion", "Kim Jong Il inspected dozens of KPA units last month."),
    ],
)  # fmt: skip
def test_a_recap_of_visits_is_no_appearance(title: str, sentence: str) -> None:
    article = parsed(title, f"Pyongyang, December 20 (KCNA) -- {sentence}", date="2005-12-20")
    assert article.appearances == []


def test_a_site_named_for_a_leader_is_a_further_site_and_a_quoted_date_is_a_name() -> None:
    article = parsed(
        "Kim Jong Il Provides Field Guidance",
        "Pyongyang, September 2 (KCNA) -- Kim Jong Il provided field guidance to the Kyongsong Insulator "
        "Factory.\n\nHe provided field guidance to the Kim Jong Suk Sanatorium.",
        date="2009-09-02",
    )
    assert [a.place for a in article.appearances] == ["Kyongsong Insulator Factory", "Kim Jong Suk Sanatorium"]
    article = parsed(
        "Kim Jong Il Watches Volleyball Match",
        'Pyongyang, January 28 (KCNA) -- Kim Jong Il watched the volleyball match held between the "April 25" '
        "Team of the KPA and a volleyball selection.",
        date="2009-01-28",
    )
    (appearance,) = article.appearances
    assert (appearance.kind, appearance.event_date) == ("culture", None)


def test_parts_of_a_site_named_by_kind_before_are_no_further_sites() -> None:
    article = parsed(
        "Kim Jong Un Goes Round Sports Village",
        "Pyongyang, March 8 (KCNA) -- Kim Jong Un went round the sports village in Kwangbok Street.\n\n"
        "He set tasks for remodeling the village, going round different gymnasiums, restaurants and hotels.\n\n"
        "The first leg of his tour was the Handball Gymnasium.\n\nHe visited Ryanggang Hotel.\n\n"
        "He was accompanied by Choe Ryong Hae.",
        date="2013-03-08",
    )
    (appearance,) = article.appearances
    assert (appearance.kind, appearance.place, appearance.accompanied_by) == (
        "economy",
        "sports village in Kwangbok Street",
        ("Choe Ryong Hae",),
    )


def test_a_home_paper_carrying_a_report_of_his_inspection_gives_the_appearance() -> None:
    article = parsed(
        "Review of Rodong Sinmun",
        "Pyongyang, June 30 (KCNA) -- Rodong Sinmun today carries a report that Kim Jong Il inspected KPA "
        "unit No. 671.\n\nThe paper runs an article on the army building.",
        date="1997-06-30",
    )
    assert [(a.kind, a.place) for a in article.appearances] == [("military", "KPA unit No. 671")]


@pytest.mark.parametrize(
    ("body", "accompanied", "greeted"),
    [
        ("Accompanied by Choe Ryong Hae and Pak Pong Ju, Kim Jong Un inspected the Sinpho Fish Farm.",
         ("Choe Ryong Hae", "Pak Pong Ju"), ()),
        ("Kim Jong Un inspected the Sinpho Fish Farm. He was warmly welcomed by Kim Jae Ryong.", (),
         ("Kim Jae Ryong",)),
        ("Kim Jong Un inspected the Sinpho Fish Farm. On hand to greet him there were Kim Jae Ryong and Pak Thae Song.",
         (), ("Kim Jae Ryong", "Pak Thae Song")),
    ],
)  # fmt: skip
def test_companion_and_greeting_lists_in_other_word_orders(
    body: str, accompanied: tuple[str, ...], greeted: tuple[str, ...]
) -> None:
    (appearance,) = parsed("Kim Jong Un Inspects Farm", f"Pyongyang, June 10 (KCNA) -- {body}").appearances
    assert (appearance.accompanied_by, appearance.greeted_by) == (accompanied, greeted)


def test_a_named_establishment_after_the_first_sites_tour_is_a_further_site() -> None:
    article = parsed(
        "Kim Jong Un Inspects Fish Farm",
        "Pyongyang, June 10 (KCNA) -- Kim Jong Un inspected the Sinpho Fish Farm.\n\nAfter inspecting the farm, "
        "he visited the Sinpho Shipyard.\n\nAfter going round the workshops, he went to the dining hall.",
    )
    assert [a.place for a in article.appearances] == ["Sinpho Fish Farm", "Sinpho Shipyard"]


def test_another_account_of_his_activity_is_no_appearance() -> None:
    body = "Pyongyang, June 10 (KCNA) -- According to the website, Kim Jong Un inspected a unit today."
    article = parsed("Kim Jong Un Inspects Unit", body)
    assert article.appearances == []


def test_a_second_verb_of_a_visit_in_the_lead_gives_a_second_site_and_a_holiday_ends_the_place() -> None:
    article = parsed(
        "Kim Jong Un Inspects Farm and Factory",
        "Pyongyang, June 10 (KCNA) -- Kim Jong Un inspected the Hwangju Chicken Farm and then visited the "
        "Pyongyang Cornstarch Factory.",
    )
    assert [a.place for a in article.appearances] == ["Hwangju Chicken Farm", "Pyongyang Cornstarch Factory"]
    article = parsed(
        "Kim Jong Un Visits Kumsusan Palace of the Sun",
        "Pyongyang, January 1 (KCNA) -- Kim Jong Un visited the Kumsusan Palace of the Sun on the New Year's Day.",
        date="2016-01-01",
    )
    assert [(a.kind, a.place) for a in article.appearances] == [("politics", "Kumsusan Palace of the Sun")]


@pytest.mark.parametrize(
    ("title", "sentence", "date"),
    [
        ("Potato Farming in DPRK", "Leader Kim Jong Il, with deep insight, gave field guidance to Taehongdan County.",
         "2004-01-29"),
        ("Kanggye Garment Factory", "Kim Jong Il visited the factory on September 13 this year and saw its products.",
         "1999-09-29"),
        ("Huichon Machine Tool Plant", "Kim Jong Il visited the plant in October, Juche 87 (1998) and praised it.",
         "1999-10-13"),
        ("Large Bunch of Flowers to Kim Jong Il", "Kim Jong Il received a large bunch of flowers from the President.",
         "2004-02-13"),
        ("Vietnamese Website Introduces Okryu Hospital", "Kim Jong Un recently visited the Okryu Children's Hospital.",
         "2014-02-17"),
    ],
)  # fmt: skip
def test_a_feature_or_a_gift_recalling_his_visits_is_no_appearance(title: str, sentence: str, date: str) -> None:
    article = parsed(title, f"Pyongyang, March 10 (KCNA) -- {sentence}", date=date)
    assert article.appearances == []


def test_a_feature_that_dates_his_visit_as_news_keeps_it() -> None:
    article = parsed(
        "Policy of Giving Importance to Youth",
        "Pyongyang, January 21 (KCNA) -- A few days ago Kim Jong Un visited the Museum of the Youth Movement.",
        date="2016-01-21",
    )
    assert [(a.kind, a.place) for a in article.appearances] == [("culture", "Museum of the Youth Movement")]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Songun Politics Praised: Nepali Paper",
         'In an article titled "Leader\'s declaration" the paper said drawing world attention, Kim Jong Un '
         "inspected a guard division of the Korean People's Army on Monday."),
        ("Bulgarian Organization Marks WPK Anniversary",
         'The article titled "Mass gymnastics" said:\n\nKim Jong Un enjoyed the performance on Sept. 16.'),
        ("Kim Jong Un Sends Autographs to Children",
         "Kim Jong Un received a paper on a girl student of Inphung Secondary School today."),
        ("Paternal Love of Kim Jong Il for Worker's Family",
         "Kim Jong Il dropped in at a new house into which a newly married couple had moved."),
    ],
)  # fmt: skip
def test_what_others_wrote_of_him_and_a_paper_received_are_no_appearances(title: str, body: str) -> None:
    article = parsed(title, f"Pyongyang, October 7 (KCNA) -- {body}", date="2012-10-07")
    assert article.appearances == []


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Papers Call for Redoubled Efforts",
         'Kim Jong Un made an important speech "Let Us Make Efforts" on the occasion of the national day.\n\n'
         "His speech is a programme, the papers stress editorially."),
        ("New Year's Cards to Kim Jong Un from Abroad",
         "Kim Jong Un received New Year's cards from state and party leaders of different countries."),
        ("Top Leader's Thanks to Soldiers",
         "Kim Jong Un visited Kangbuk-ri, which was recovered from natural disaster, one day in September and "
         "thanked the soldiers."),
    ],
)  # fmt: skip
def test_editorials_on_his_speech_cards_received_and_a_story_of_one_day_are_no_appearances(
    title: str, body: str
) -> None:
    article = parsed(title, f"Pyongyang, September 11 (KCNA) -- {body}", date="2024-09-11")
    assert article.appearances == []


@pytest.mark.parametrize(
    ("title", "body", "group_kind"),
    [
        ("Kim Jong Il Enjoys Performance", "Leader kim jong il today enjoyed an art performance of the Shanghai "
         "Symphony Orchestra.", "culture"),
        ("Leader Kim Jong Il Meets Putin", "There was a meeting between Chairman of the National Defence Commission "
         "of the Democratic People's Republic of Korea Kim Jong Il and President of the Russian Federation "
         "Vladimir Putin in Moscow today.", "diplomacy"),
        ("Kim Jong Il Meets Putin", "Kim Jong Il had an unofficial meeting with Vladimir Putin, President of the "
         "Russian Federation, today.", "diplomacy"),
        ("Kim Jong Il Gives Banquet", "Kim Jong Il gave a grand Banquet at the Moran House this evening in honor of "
         "the Chinese President.", "diplomacy"),
        ("Kim Jong Un Has Photo Session with Pilots", "Kim Jong Un called fighter pilots to the building of the "
         "WPK Central Committee to have a photo session with them.", "politics"),
        ("Kim Jong Il Sees Light Comedy", "Leader Kim Jong Il together with servicemen, appreciated a light comedy "
         '"May Youth Shine" at the Mansudae Art Theatre on Saturday.', "culture"),
        ("Kim Jong Un Watches Test-fire", "Kim Jong Un learned about the specifications of the newly developed "
         "ballistic missile and watched its test-fire.", "military"),
        ("Kim Jong Il Sees off Jiang Zemin", "Kim Jong Il came out the airport and saw off Jiang Zemin, President "
         "of the People's Republic of China.", None),
    ],
)  # fmt: skip
def test_more_forms_of_an_activity(title: str, body: str, group_kind: str | None) -> None:
    article = parsed(title, f"Pyongyang, April 29 (KCNA) -- {body}", date="2001-04-29")
    (appearance,) = article.appearances
    assert group_kind is None or appearance.kind == group_kind


def test_an_opening_tied_to_him_and_his_title_as_subject_give_the_drill() -> None:
    article = parsed(
        "Kim Jong Un Guides Drills",
        "Pyongyang, January 24 (KCNA) -- A flight drill of fighter groups of the KPA was staged at the initiative "
        "of Supreme Commander Kim Jong Un.\n\nPrior to the drill, Kim Jong Un called the commander to the building "
        "of the Central Committee.\n\nThe Supreme Commander went to the airfield to guide the flight drill, "
        "accompanied by Hwang Pyong So.",
        date="2015-01-24",
    )
    (appearance,) = article.appearances
    assert (appearance.kind, appearance.place, appearance.accompanied_by) == (
        "military",
        "airfield",
        ("Hwang Pyong So",),
    )
    article = parsed(
        "Kim Jong Un Guides Attack Drill",
        "Pyongyang, January 27 (KCNA) -- A river-crossing attack drill of the KPA was staged at the initiative of "
        "Supreme Commander Kim Jong Un.\n\nHe organized and guided the drill.",
        date="2015-01-27",
    )
    assert [a.kind for a in article.appearances] == ["military"]


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Certificate and Medal to Kim Jong Il from Ecuador",
         "Leader Kim Jong Il received a certificate of honorary citizen, key and medal from the Provincial Council."),
        ("Gifts to Kim Jong Il from Russia on Display",
         "Gifts leader Kim Jong Il received during his visit to Russia were displayed at the exhibition today."),
        ("September 27 Chicken Factory",
         "Leader Kim Jong Il gave on-site guidance to the factory on September 5 and praised the soldier-builders."),
    ],
)  # fmt: skip
def test_honours_and_gifts_received_and_a_factorys_feature_are_no_appearances(title: str, body: str) -> None:
    article = parsed(title, f"Pyongyang, September 11 (KCNA) -- {body}", date="2001-09-11")
    assert article.appearances == []


def test_a_preview_of_its_parts_is_no_site_and_went_first_to_is_a_visit() -> None:
    article = parsed(
        "Kim Jong Il Inspects Integrated Farm",
        "Pyongyang, March 27 (KCNA) -- Kim Jong Il gave guidance to the Paektu county integrated farm. He visited "
        "its power station, branch farm and village.\n\nHe went first to Paektu Power Station no. 1.\n\nHe then "
        "went to the Sinhung branch farm.",
        date="2000-03-27",
    )
    assert [a.place for a in article.appearances] == [
        "Paektu county integrated farm",
        "Paektu Power Station no. 1",
        "Sinhung branch farm",
    ]
    article = parsed(
        "Kim Jong Un Visits Kumsusan Palace of Sun",
        "Pyongyang, January 1 (KCNA) -- Kim Jong Un visited the Kumsusan Palace of the Sun at 00:00 on January 1.",
        date="2017-01-01",
    )
    assert [(a.place, a.event_date) for a in article.appearances] == [("Kumsusan Palace of the Sun", "2017-01-01")]


def test_an_exhibition_of_machines_or_goods_is_economy() -> None:
    article = parsed(
        "Kim Jong Un Visits Tractor Exhibition",
        "Pyongyang, March 10 (KCNA) -- Kim Jong Un, chairman of the Workers' Party of Korea, visited a tractor "
        "exhibition held at the Three-Revolution Exhibition House.\n\nHe looked round the new machines.",
    )
    assert [a.kind for a in article.appearances] == ["economy"]


def test_receiving_the_makers_of_a_film_is_politics_not_culture() -> None:
    article = parsed(
        "Kim Jong Il Receives Film Creators",
        "Pyongyang, March 10 (KCNA) -- General Secretary Kim Jong Il on Tuesday received the creators of the "
        'feature film "Songs of the Orchard".',
        "1999-03-10",
    )
    assert [(a.kind, a.event_date) for a in article.appearances] == [("politics", "1999-03-09")]


def test_a_ceremony_honouring_a_weapons_test_is_military_by_the_title() -> None:
    article = parsed(
        "Medals Conferred on Contributors to Missile Test-fire in Presence of Kim Jong Un",
        "Pyongyang, March 10 (KCNA) -- Medals were conferred on the scientists of the defence sector.\n\n"
        "Respected Supreme Leader Kim Jong Un attended the ceremony.",
    )
    assert [a.kind for a in article.appearances] == ["military"]


def test_receiving_a_foreign_minister_is_diplomacy_whatever_his_portfolio() -> None:
    article = parsed(
        "Kim Jong Il Receives Visitor",
        "Pyongyang, March 10 (KCNA) -- General Secretary Kim Jong Il received Sergei Ivanov, minister of Defence "
        "of the Russian Federation, and his party.",
        "2004-03-10",
    )
    assert [a.kind for a in article.appearances] == ["diplomacy"]


def test_a_first_site_abroad_makes_the_outing_diplomacy_though_the_title_names_no_country() -> None:
    article = parsed(
        "Kim Jong Il Tours Khabarovsk",
        "Pyongyang, August 5 (KCNA) -- Kim Jong Il, chairman of the DPRK National Defence Commission, visited "
        "Khabarovsk, a large city in the Far Eastern region of the Russian Federation, on August 4.\n\n"
        "In the afternoon Kim Jong Il visited the Dalenergomash Machine Plant.",
        "2002-08-05",
    )
    assert [a.kind for a in article.appearances] == ["diplomacy", "diplomacy"]


def test_a_factory_built_with_foreign_aid_is_no_outing_abroad() -> None:
    article = parsed(
        "Kim Jong Il Inspects Plant",
        "Pyongyang, August 5 (KCNA) -- Kim Jong Il inspected the Sungni Chemical Plant, built with the assistance "
        "of the Soviet Union.",
        "2002-08-05",
    )
    assert [a.kind for a in article.appearances] == ["economy"]


def test_the_first_leg_naming_a_farm_gives_the_lead_its_kind() -> None:
    article = parsed(
        "Kim Jong Il Gives Field Guidance to Units in Onsong County",
        "Pyongyang, May 13 (KCNA) -- General Secretary Kim Jong Il gave field guidance to various units in "
        "Onsong County.\n\nThe first leg of his guidance was the Onsong Farm.\n\nHe went round its fields.",
        "2008-05-13",
    )
    assert [(a.kind, a.place) for a in article.appearances] == [("economy", "Onsong Farm")]


RULES_ONLY = Pipeline(("appearances",))
RULES_ONLY.steps[0].model = None  # type: ignore[attr-defined]


def rules_parsed(title: str, body: str, date: str | None = "2016-03-10") -> Article:
    record = record_from_object(
        {"id": "t", "source": "test", "title": title, "body": body, "date": date}, "t", b"", "line 1"
    )
    assert isinstance(record, RawRecord)
    return RULES_ONLY(record)


def test_talks_between_him_and_a_guest_opening_the_sentence_are_an_appearance_dated_by_its_weekday() -> None:
    article = rules_parsed(
        "Talks Held between Kim Jong Il and Visiting President",
        "Pyongyang, May 14 (KCNA) -- Talks between Kim Jong Il, chairman of the National Defence Commission, and "
        "Nguyen Van An, president of the Socialist Republic of Vietnam, were held in Pyongyang Friday.\n\n"
        "Present at the talks from the DPRK side were Kang Sok Ju, first vice-minister of Foreign Affairs.",
        "2004-05-14",
    )
    assert [(a.kind, a.place, a.event_date, a.greeted_by) for a in article.appearances] == [
        ("diplomacy", "Pyongyang", "2004-05-14", ("Kang Sok Ju",))
    ]


def test_talks_between_him_and_a_guest_recalled_inside_a_sentence_are_no_appearance() -> None:
    article = rules_parsed(
        "Anniversary of Joint Declaration Marked",
        "Pyongyang, June 15 (KCNA) -- A meeting marked the day when the historic talks between Kim Jong Il and "
        "the south Korean president were held.",
        "2004-06-15",
    )
    assert article.appearances == []


def test_a_family_visited_on_the_outing_and_the_units_own_performance_are_parts_of_the_visit() -> None:
    article = rules_parsed(
        "Kim Jong Il Inspects KPA Unit",
        "Pyongyang, May 14 (KCNA) -- Kim Jong Il inspected KPA Unit 1024.\n\nHe looked round its barracks.\n\n"
        "He visited the family of retired officer Pak Song Il who lives near the unit.\n\n"
        "Then he watched an art performance given by its soldiers.\n\n"
        "He was accompanied by Hyon Chol Hae and Ri Myong Su.",
        "2005-05-14",
    )
    assert [(a.place, a.accompanied_by) for a in article.appearances] == [
        ("KPA Unit 1024", ("Hyon Chol Hae", "Ri Myong Su"))
    ]


def test_that_day_a_further_site_takes_the_lead_day() -> None:
    article = rules_parsed(
        "Kim Jong Il Inspects KPA Unit",
        "Pyongyang, October 23 (KCNA) -- Kim Jong Il yesterday inspected unit no. 312 of the KPA.\n\n"
        "That day he gave on-site guidance to the Sohung Duck Farm.",
        "2002-10-23",
    )
    assert [(a.kind, a.place, a.event_date) for a in article.appearances] == [
        ("military", "unit no. 312 of the KPA", "2002-10-22"),
        ("economy", "Sohung Duck Farm", "2002-10-22"),
    ]


def test_a_letter_he_received_from_someone_who_visited_is_no_sentence_the_layer_reads_as_his_visit() -> None:
    from propscope.enrich.appearance_model import Candidate
    from propscope.enrich.appearances import AppearanceStep

    text = (
        "General Secretary Kim Jong Il received a letter of thanks from Taro Yamada in Osaka, who visited the "
        "Mangyongdae Schoolchildren's Palace."
    )
    step = AppearanceStep(model=None)
    assert step._proposed(text, Candidate(0, len(text), "Kim Jong Il", True), "1998-01-03") is None
    visited = "General Secretary Kim Jong Il visited the Mangyongdae Schoolchildren's Palace."
    proposed = step._proposed(visited, Candidate(0, len(visited), "Kim Jong Il", True), "1998-01-03")
    assert proposed is not None and proposed.place == "Mangyongdae Schoolchildren's Palace"
