import pytest

from propscope.errors import QueryError
from propscope.search import parse_query
from propscope.store.sqlite import to_fts5


@pytest.mark.parametrize(
    ("query", "fts5"),
    [
        ("nuclear", '"nuclear"'),
        ('"great prosperous powerful"', '"great prosperous powerful"'),
        ("U.S. imperialists", '"U S" "imperialists"'),
        ("Japan OR Japanese", '"Japan" OR "Japanese"'),
        ("imperial*", '"imperial"*'),
        ("Japan AND NOT China", '"Japan" NOT "China"'),
        ("(Japan OR China) AND nuclear", '( "Japan" OR "China" ) AND "nuclear"'),
        ("anti-DPRK", '"anti DPRK"'),
    ],
)
def test_query_language(query: str, fts5: str) -> None:
    assert to_fts5(parse_query(query)) == fts5


@pytest.mark.parametrize("query", ["", "   ", '"unclosed', "(a", "a)", "AND a", "a OR", "NOT a", "..."])
def test_bad_queries_raise_one_line(query: str) -> None:
    with pytest.raises(QueryError) as info:
        parse_query(query)
    assert "\n" not in str(info.value)


def test_keyword_in_context_marks_every_match() -> None:
    from propscope.search import keyword_in_context, keyword_pattern

    text = "The U.S. imperialists and their allies. " + "filler " * 40 + "Imperialism will fall."
    pattern = keyword_pattern(parse_query('"U.S. imperialists" OR imperial*'))
    snippet = keyword_in_context(text, pattern, words=10)
    assert snippet.startswith("The [[U.S. imperialists]]") and snippet.endswith("…")
    assert keyword_in_context("nothing here", pattern) == "nothing here"


def test_queries_past_the_limits_are_refused_in_one_line() -> None:
    """The attack: 400 ORed words (2.9 KB) took 96 s of CPU; it is refused before it reaches the engine."""
    for query, said in [
        (" OR ".join(["korea"] * 400), "over the limit of 1,000"),
        (" OR ".join(f"w{i}" for i in range(65)), "over the limit of 64"),
        ("(" * 17 + "korea" + ")" * 17, "over 16 deep"),
    ]:
        with pytest.raises(QueryError) as info:
            parse_query(query)
        assert said in str(info.value) and "\n" not in str(info.value)
    assert parse_query(" OR ".join(f"w{i}" for i in range(64)))  # at the limit: taken
    assert parse_query("(" * 16 + "korea" + ")" * 16)


def test_query_limits_come_from_the_settings() -> None:
    from propscope.errors import UsageError
    from propscope.search import QueryLimits
    from propscope.settings import Settings

    settings = Settings.from_env({"PROPSCOPE_QUERY_MAX_CHARS": "20", "PROPSCOPE_QUERY_MAX_TERMS": "2"})
    limits = QueryLimits(settings.query_max_chars, settings.query_max_terms)
    with pytest.raises(QueryError, match="over the limit of 2"):
        parse_query("a OR b OR c", limits)
    with pytest.raises(QueryError, match="over the limit of 20"):
        parse_query("a" * 21, limits)
    with pytest.raises(UsageError, match="PROPSCOPE_QUERY_MAX_TERMS"):
        Settings.from_env({"PROPSCOPE_QUERY_MAX_TERMS": "many"})
