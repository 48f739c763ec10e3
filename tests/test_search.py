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
