"""Typed results: what the Archive's reads return, each JSON-ready through its one to_json()."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive
from propscope.errors import NotFoundError, QueryError, UsageError
from propscope.model import SearchFilters
from propscope.results import (
    ArticleDetail,
    Diff,
    Facets,
    History,
    Network,
    PhraseUsage,
    Reuse,
    SavedSearch,
    Stats,
    SupportCounts,
    Totals,
    Trend,
)

pytestmark = pytest.mark.engines

BODY = (
    "Pyongyang, May {day} (KCNA) -- The Socialist Party of Benin issued a statement supporting the DPRK and"
    " denounced the Japanese reactionaries. Kim Yong Nam met the Communist Party of Cuba delegation in talks {day}."
)
RECORDS = [
    {
        "id": f"r{i}",
        "source": "test",
        "date": f"201{5 + i % 2}-05-0{i + 1}",
        "title": f"Report {i}",
        "body": BODY.format(day=i + 1),
    }
    for i in range(4)
]


def round_trip(value: Any) -> dict[str, Any] | list[Any]:
    """to_json() survives JSON unchanged: nothing in it that json cannot write or that reads back different."""
    data = value.to_json()
    assert json.loads(json.dumps(data)) == data
    return data  # type: ignore[no-any-return]


@pytest.fixture
def archive(db: str, tmp_path: Path) -> Any:
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    edited = dict(RECORDS[0], body=BODY.format(day=1).replace("talks 1", "talks one"))
    (tmp_path / "edited.jsonl").write_text(json.dumps(edited) + "\n", encoding="utf-8")
    with Archive(db) as opened:
        opened.ingest([tmp_path / "r.jsonl"], workers=1)
        opened.ingest([tmp_path / "edited.jsonl"], workers=1)
        yield opened


def test_article_detail_history_and_diff(archive: Archive) -> None:
    detail = archive.article_detail(1)
    assert isinstance(detail, ArticleDetail)
    data = round_trip(detail)
    assert isinstance(data, dict)
    assert data["id"] == 1 and data["version"] == 2 and data["title"] == "Report 0"
    assert list(data)[:7] == [
        "id",
        "article_key",
        "version",
        "ingested_at",
        "updated_at",
        "parser_version",
        "deleted_at",
    ]
    assert data["translations"] == [] and "text" in data
    assert data["copies"][0] == {"id": 2, "date": "2016-05-02", "title": "Report 1", "source": "test"}  # near copies
    history = archive.history(1)
    assert isinstance(history, History) and [v.version for v in history.versions] == [1, 2]
    rows = round_trip(history)["versions"]  # type: ignore[call-overload]
    assert rows[0]["change"] is None and rows[1]["change"] == "minor"
    assert [op["op"] for op in rows[1]["diff"]] == ["replace"]  # a history lists the changes only
    diff = archive.diff(1)
    assert isinstance(diff, Diff) and (diff.old, diff.new) == (1, 2)
    body = round_trip(diff)
    assert isinstance(body, dict) and body["from"] == 1 and body["to"] == 2 and body["change"] == "minor"
    assert {"equal", "replace"} <= {op["op"] for op in body["ops"]}  # a diff has every run
    summary = ("version", "seen_at", "title", "content_sha1")
    assert [v.to_json() for v in archive.versions(1)] == [{k: r[k] for k in summary} for r in rows]
    with pytest.raises(NotFoundError):
        archive.diff(1, 1, 7)
    with pytest.raises(NotFoundError):
        archive.article_detail(999)


def test_search_facets_and_counts(archive: Archive) -> None:
    hit = archive.search("reactionaries", limit=1)[0]
    assert hit.to_json()["snippet"].count("[[") == 1 and "[[" not in hit.to_json(marked=False)["snippet"]
    since = SearchFilters.parse(since="2016")
    facets = archive.facets("reactionaries", since)  # two copies of one story: counted as the total counts it
    assert archive.count("reactionaries", since) == 1 and archive.count("reactionaries", since, collapse=False) == 2
    assert isinstance(facets, Facets) and facets.get("date") == (("2016", 1),)
    assert round_trip(facets)["target"] == [{"value": "JP", "count": 1}]  # type: ignore[call-overload]
    articles = archive.facets("reactionaries", since, collapse=False)
    assert articles.get("date") == (("2016", 2),) and articles.get("target") == (("JP", 2),)
    assert list(archive.facets(None, names=("genre",)).counts) == ["genre"]
    totals = archive.totals()
    assert isinstance(totals, Totals) and round_trip(totals) == {"articles": 4, "versions": 1, "quarantined": 0}
    stats = archive.stats()
    assert isinstance(stats, Stats) and {"value": "test", "articles": 4} in round_trip(stats)["source"]  # type: ignore[call-overload]


def test_who_and_when(archive: Archive) -> None:
    actors = archive.actors()
    assert actors[0].actor == "Socialist Party of Benin" and actors[0].events == 4
    assert round_trip(actors[0])["country"] == "BJ"  # type: ignore[call-overload]
    support = archive.support_counts("year")
    assert isinstance(support, SupportCounts) and support.by_country()[0] == ("BJ", 4, 4)
    assert {"period": "2015", "country": "BJ", "events": 2, "articles": 2} in round_trip(support)["rows"]  # type: ignore[call-overload]
    rows = archive.cooccurrences("Kim Yong Nam", "all")
    assert "Communist Party of Cuba" in {r.canonical for r in rows} and round_trip(rows[0])["period"] == "all"  # type: ignore[call-overload]
    with pytest.raises(NotFoundError, match="not mentioned"):
        archive.cooccurrences("Nobody At All")
    network = archive.network(nodes=10, min_weight=1)
    assert isinstance(network, Network) and network.edges
    graph = round_trip(network)
    assert isinstance(graph, dict) and graph["edges"][0]["weight"] >= 1 and graph["nodes"]


def test_trend_phrase_and_reuse(archive: Archive) -> None:
    trend = archive.trend("hostility", "year", "jp")
    assert isinstance(trend, Trend) and trend.country == "JP"
    data = round_trip(trend)
    assert isinstance(data, dict) and data["metric"] == "hostility" and data["by"] == "year"
    assert [p["period"] for p in data["points"]] == ["2015", "2016"]
    with pytest.raises(UsageError, match="needs a country"):
        archive.trend("mentions")
    with pytest.raises(UsageError, match="unknown period 'week': use year, month, day"):
        archive.trend("mentions", "week", "US")
    usage = archive.phrase("Japanese reactionaries", "year", limit=2)
    assert isinstance(usage, PhraseUsage) and usage.total == 4
    assert [h.copies for h in usage.hits] == [3]  # the four near copies are one story
    body = round_trip(usage)
    assert isinstance(body, dict) and body["periods"] == [
        {"period": "2015", "articles": 2},
        {"period": "2016", "articles": 2},
    ]
    assert body["first"]["date"] == "2015-05-01" and body["query"] == '"Japanese reactionaries"'
    with pytest.raises(UsageError):
        archive.phrase(' " ')
    reuse = archive.reuse(4)
    assert isinstance(reuse, Reuse) and reuse.passages and reuse.article.title == "Report 3"
    passage = round_trip(reuse)["passages"][0]  # type: ignore[call-overload]
    assert passage["source"]["id"] < 4 and passage["end"] > passage["start"]


def test_saved_searches_deletions_quarantine_and_digest(archive: Archive) -> None:
    saved = archive.save_search(" japan ", "reactionaries", SearchFilters.parse(country=["jp"]), " http://hook.test/ ")
    assert isinstance(saved, SavedSearch) and saved.name == "japan" and saved.webhook == "http://hook.test/"
    data = round_trip(saved)
    assert isinstance(data, dict) and data["filters"] == {"countries": ["JP"]} and data["seen_up_to"] == 4
    assert list(data) == [
        "id", "name", "query", "filters", "webhook", "created_at", "seen_up_to", "email", "mailed_up_to", "search_url",
    ]  # fmt: skip
    assert archive.saved_searches() == [saved] and archive.saved_search(saved.id) == saved
    assert "<entry>" in archive.feed(saved.id, "http://x/") and "japan" in archive.digest(dt.date.today())
    with pytest.raises(QueryError, match="needs a name"):
        archive.save_search(" ", None)
    archive.delete_saved_search(saved.id)
    with pytest.raises(NotFoundError):
        archive.saved_search(saved.id)
    assert archive.deleted() == [] and archive.quarantine() == []
    assert archive.raw_input(1).startswith(b"{") and sum(len(batch) for batch in archive.export_rows()) == 4
