import pytest

from propscope.parse.relative_dates import resolve_relative_dates


@pytest.mark.parametrize(
    ("phrase", "dispatch", "expected"),
    [
        ("held in Mexico City last March", "2006-07-15", "2006-03"),
        ("held last November", "2006-07-15", "2005-11"),
        ("met on Monday", "2015-01-08", "2015-01-05"),  # a Thursday
        ("arrived yesterday", "2015-01-01", "2014-12-31"),
        ("this year marks", "2012-04-02", "2012"),
        ("on July 10 a rally", "2012-07-14", "2012-07-10"),
        ("on December 28 a rally", "2013-01-04", "2012-12-28"),
    ],
)
def test_resolved_against_the_dispatch(phrase: str, dispatch: str, expected: str) -> None:
    (found,) = resolve_relative_dates(phrase, 0, len(phrase), dispatch)
    assert found.date == expected


def test_no_dispatch_date_no_year() -> None:
    assert resolve_relative_dates("held last March", 0, 15, None) == []
