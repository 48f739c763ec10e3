from propscope.model import Dateline
from propscope.parse.dates import date_from_url, resolve_date


def line(month: int, day: int, year: int | None = None) -> Dateline:
    return Dateline("Pyongyang", month, day, year, "KCNA", 0, 10)


def test_no_year_is_invented() -> None:
    assert resolve_date(line(7, 14), None, None, None) == (None, None)


def test_year_from_record_and_day_from_dateline() -> None:
    assert resolve_date(line(7, 14), "2006-07-15", "record", None) == ("2006-07-14", "dateline+record")


def test_december_dateline_listed_in_january() -> None:
    assert resolve_date(line(12, 31), "2007-01-01", "record", None) == ("2006-12-31", "dateline+record")


def test_year_from_url() -> None:
    url = "http://kcna.co.jp/item/2006/200607/news15/20060715-06ee.html"
    assert date_from_url(url) == "2006-07-15"
    assert resolve_date(line(7, 14), None, None, url) == ("2006-07-14", "dateline+url")


def test_dateline_year_wins() -> None:
    assert resolve_date(line(7, 14, 2006), "2010-01-01", "record", None) == ("2006-07-14", "dateline")


def test_metadata_alone() -> None:
    assert resolve_date(None, "2021-07-12", "record", None) == ("2021-07-12", "record")


def test_a_metadata_date_that_is_no_day_is_not_used() -> None:
    """Once `2024-13-45` beside a dateline without a year raised (the record was lost as a parser error)."""
    for no_day in ("2024-13-45", "2024-02-30", "0000-00-00", "2024-W01-1", "20240501"):
        assert resolve_date(line(5, 1), no_day, "record", None) == (None, None), no_day
        assert resolve_date(None, no_day, "record", None) == (None, None), no_day
    assert resolve_date(line(5, 1), "2024-13-45", "record", "http://x/2024-05-02/a") == ("2024-05-01", "dateline+url")
