"""The conditions searches and analytics share: built through each engine's dialect, and a period that is not
one of the choices is a usage error (exit 2, HTTP 422), not a KeyError."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.choices import CoarsePeriod, CoPeriod, Period
from propscope.errors import UsageError
from propscope.model import SearchFilters
from propscope.store import open_store
from propscope.store.filters import filter_sql, period_width
from propscope.store.postgres import PostgresDialect
from propscope.store.sqlite import SQLiteDialect

FILTERS = SearchFilters(since="2010", until="2012-05", countries=("US",), genres=("commentary", "statement"))


def test_filters_in_sqlite_keep_their_indexes_out_of_a_text_search_only_when_asked() -> None:
    where, params = filter_sql(SQLiteDialect(), FILTERS, unplanned=True)
    assert "+a.date >= ?" in where and "+a.genre IN (?, ?)" in where and "f.country = ?" in where
    assert params == ["2010", "2012-05\uffff", "US", "commentary", "statement"]
    plain, _ = filter_sql(SQLiteDialect(), FILTERS)
    assert "+" not in plain


def test_filters_in_postgresql_take_one_array_and_no_sqlite_syntax() -> None:
    where, params = filter_sql(PostgresDialect(), FILTERS, unplanned=True)
    assert "a.genre = ANY(%s)" in where and "?" not in where and "+" not in where
    assert params == ["2010", "2012-05\uffff", "US", ["commentary", "statement"]]


def test_period_widths_come_from_the_choices() -> None:
    assert period_width(Period, "day") == 10 and period_width(CoPeriod, "all") == 0
    assert period_width(CoarsePeriod, CoarsePeriod.MONTH) == 7


def test_an_unknown_period_is_a_usage_error(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "a.sqlite"))
    try:
        for call in (
            lambda: store.facets(None, by="week"),
            lambda: store.phrase_usage("Juche", by="day"),
            lambda: store.support_counts(by="week"),
            lambda: store.trend("mentions", "week", country="US"),
            lambda: store.cooccurrences("Kim Jong Il", by="day"),
        ):
            with pytest.raises(UsageError, match="unknown period"):
                call()
    finally:
        store.close()
