"""The conditions searches and analytics share: built through each engine's dialect, and a period that is not
one of the choices is a usage error (exit 2, HTTP 422), not a KeyError."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscope.archive import Archive
from propscope.choices import CoarsePeriod, CoPeriod, Period
from propscope.errors import UsageError
from propscope.model import SearchFilters
from propscope.store import open_store
from propscope.store.filters import event_filters, filter_sql, period_width
from propscope.store.postgres import PostgresDialect
from propscope.store.sqlite import SQLiteDialect

from .stance_fixtures import DISPATCHES, write_jsonl

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


def test_a_stance_toward_each_country_is_a_condition_of_its_own() -> None:
    filters = SearchFilters.parse(stance="hostile", toward=["US", "KR"])
    for dialect, mark in ((SQLiteDialect(), "?"), (PostgresDialect(), "%s")):
        where, params = filter_sql(dialect, filters)
        assert where.count("FROM article_stance f") == 2 and f"f.stance = {mark}" in where
        assert params == ["US", "hostile", "KR", "hostile"]


def test_event_filters_count_foreign_actors_unless_told() -> None:
    where, params = event_filters(SQLiteDialect(), None, None, (), ())
    assert "e.role IN (?)" in where and params == ["foreign"]
    where, params = event_filters(PostgresDialect(), None, None, (), (), ("foreign", "compatriot"))
    assert "e.role = ANY(%s)" in where and params == [["foreign", "compatriot"]]


@pytest.mark.engines
def test_search_by_stance_toward_a_country_and_its_facets(db: str, tmp_path: Path) -> None:
    with Archive(db) as archive:
        archive.ingest([write_jsonl(tmp_path / "d.jsonl", DISPATCHES)], workers=1)

        def titles(stance: str, *toward: str, query: str | None = None) -> list[str]:
            filters = SearchFilters.parse(stance=stance, toward=toward)
            return sorted(h.title for h in archive.search(query, filters, collapse=False))

        assert titles("hostile", "US") == ["Park Group Denounced"]
        assert titles("hostile", "US", "KR") == ["Park Group Denounced"]  # each must hold
        assert titles("hostile", "US", "CN") == []
        assert titles("friendly", "CN") == [
            "CPC Supports DPRK",
            "Greetings to Kim Jong Un from Communist Party of China",
        ]
        assert titles("friendly", "CN", query="statement") == ["CPC Supports DPRK"]
        assert titles("friendly", "CU") == ["Message to Cuban Leader"]
        assert archive.count(None, SearchFilters.parse(stance="friendly", toward=["US"])) == 0
        facets = archive.facets(None)
        assert dict(facets.get("hostile")) == {"KR": 1, "US": 1}
        assert {"CN": 2, "CU": 1}.items() <= dict(facets.get("friendly")).items()
        narrowed = archive.facets("treachery", names=("hostile", "friendly"))
        assert dict(narrowed.get("hostile")) == {"KR": 1, "US": 1} and narrowed.get("friendly") == ()
