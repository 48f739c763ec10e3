"""SearchFilters.parse: the one place a front end's filter values are parsed and checked."""

from __future__ import annotations

import pytest

from propscope.errors import QueryError, UsageError
from propscope.model import SearchFilters


def test_values_are_cleaned_and_techniques_resolved() -> None:
    filters = SearchFilters.parse(
        since=" 2017 ",
        until="2018-02-03",
        genre=["commentary", ""],
        country=["us", " jp", "US"],
        outlet=["Rodong Sinmun"],
        person=[" Kim Yong Nam "],
        technique=["name_calling,labeling", "Doubt"],
        target=["kr"],
    )
    assert filters == SearchFilters(
        since="2017",
        until="2018-02-03",
        genres=("commentary",),
        countries=("US", "JP"),
        outlets=("Rodong Sinmun",),
        persons=("Kim Yong Nam",),
        techniques=("Name_Calling,Labeling", "Doubt"),
        targets=("KR",),
    )
    assert SearchFilters.parse() == SearchFilters() == SearchFilters.parse(since="", until=" ", country=[""])


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"since": "last year"}, "since 'last year' is not a date"),
        ({"until": "2017-1-1"}, "until '2017-1-1' is not a date"),
        ({"genre": ["poem"]}, "unknown genre 'poem'"),
    ],
)
def test_bad_values_are_usage_errors_naming_the_value(given: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        SearchFilters.parse(**given)  # type: ignore[arg-type]
    assert "--" not in str(raised.value)  # the library's words name no CLI option


def test_an_unknown_technique_is_a_query_error() -> None:
    with pytest.raises(QueryError, match="unknown technique 'Shouting'"):
        SearchFilters.parse(technique=["Shouting"])


def test_a_stance_is_taken_toward_countries() -> None:
    filters = SearchFilters.parse(stance=" Hostile ", toward=["us", "jp", ""])
    assert (filters.stance, filters.toward) == ("hostile", ("US", "JP"))
    assert SearchFilters.parse(stance="", toward=[]) == SearchFilters()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"stance": "hostile"}, "stance hostile needs toward"),
        ({"toward": ["US"]}, "toward US needs stance: hostile, friendly, neutral"),
        ({"stance": "angry", "toward": ["US"]}, "unknown stance 'angry': use hostile, friendly, neutral"),
    ],
)
def test_a_stance_without_its_country_or_the_other_way_round_is_a_usage_error(
    given: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        SearchFilters.parse(**given)  # type: ignore[arg-type]
    assert "--" not in str(raised.value) and "\n" not in str(raised.value)


def test_leader_appearance_and_companions_are_tidied() -> None:
    assert SearchFilters.parse(leader_appearance=" Any ").leader_appearance == "any"
    assert SearchFilters.parse(leader_appearance="  Kim  Jong Un ").leader_appearance == "Kim Jong Un"
    assert SearchFilters.parse(leader_appearance=" ") == SearchFilters()
    filters = SearchFilters.parse(accompanied_by=[" Choe  Ryong Hae", "", "Choe Ryong Hae", "Kim Yo Jong"])
    assert filters.accompanied_by == ("Choe Ryong Hae", "Kim Yo Jong")


def test_countries_by_code_or_any_name_the_gazetteer_knows() -> None:
    filters = SearchFilters.parse(
        country=["USA", "United States", " u.s. ", "japan"],
        target=["Estados Unidos"],
        stance="hostile",
        toward=["dprk"],
    )
    assert (filters.countries, filters.targets, filters.toward) == (("US", "JP"), ("US",), ("KP",))


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            {"country": ["Untied States"]},
            r"country 'Untied States' is not a country the gazetteer knows; did you mean United States \(US\)",
        ),
        ({"target": ["XX"]}, "target 'XX' is not a country the gazetteer knows"),
        ({"stance": "hostile", "toward": ["Mordor"]}, "toward 'Mordor' is not a country"),
        ({"since": "2017-13"}, r"since '2017-13' is not a date in the calendar \(month must be in 1..12\)"),
        ({"until": "2017-02-29"}, "until '2017-02-29' is not a date in the calendar"),
        ({"since": "2017-00"}, "since '2017-00' is not a date in the calendar"),
        ({"since": "2017-06-01", "until": "2017-05"}, "since 2017-06-01 is after until 2017-05"),
        ({"lang": ["English"]}, "language 'english' is not a language code"),
    ],
)
def test_a_filter_no_article_can_match_is_a_usage_error(given: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message) as raised:
        SearchFilters.parse(**given)  # type: ignore[arg-type]
    assert "\n" not in str(raised.value) and "--" not in str(raised.value)


def test_languages_and_sources_and_bounds_in_the_calendar_and_in_order() -> None:
    filters = SearchFilters.parse(lang=["ES", " en", ""], source=["rodong", " kcna "], since="2016-02-29")
    assert (filters.langs, filters.sources, filters.since) == (("es", "en"), ("rodong", "kcna"), "2016-02-29")
    assert SearchFilters.parse(since="2017-05", until="2017-05", lang=["es"]).until == "2017-05"  # the whole month
    assert SearchFilters.parse(since="2017-12-31", until="2017", lang=["es"]).until == "2017"
