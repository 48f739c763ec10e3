"""Who is counted as a supporter (store/analytics.py): foreign actors by default, compatriots on request,
adversaries and the recipients of DPRK messages never; one row per body (an organ counts as its party) with
the names the texts gave it; the articles behind each period; and `propscope reparse` bringing an archive
made before migration 0009 up. On both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive
from propscope.errors import UsageError
from propscope.model import SearchFilters

from .stance_fixtures import DISPATCHES, NOT_SUPPORTERS, filler, write_jsonl

pytestmark = pytest.mark.engines


@pytest.fixture
def archive(db: str, tmp_path: Path) -> Any:
    with Archive(db) as opened:
        opened.ingest([write_jsonl(tmp_path / "d.jsonl", DISPATCHES)], workers=1)
        yield opened


def names(actors: list[Any]) -> set[str]:
    return {a.actor for a in actors} | {v for a in actors for v in a.variants}


def test_foreign_by_default_one_row_per_body_with_its_written_names(archive: Archive) -> None:
    (party,) = archive.actors()
    assert (party.actor, party.role, party.country) == ("Communist Party of China", "foreign", "CN")
    assert (party.events, party.articles, party.first_seen, party.last_seen) == (2, 2, "2015-10-10", "2016-10-12")
    assert set(party.variants) == {"Central Committee of the Communist Party of China", "Communist Party of China"}
    assert party.to_json()["variants"] == list(party.variants)


def test_compatriots_on_request_adversaries_and_recipients_never(archive: Archive) -> None:
    (compatriot,) = archive.actors(role="compatriot")
    # "A meeting of Chongryon": the body, not its meeting, under its canonical name, with the name as written
    assert (compatriot.role, compatriot.actor) == ("compatriot", "General Association of Korean Residents in Japan")
    assert "Chongryon" in compatriot.variants
    both = archive.actors(role="all")
    assert {a.role for a in both} == {"foreign", "compatriot"} and len(both) == 2
    listed = names(both)
    assert not [name for name in listed for word in NOT_SUPPORTERS if word in name]
    with pytest.raises(UsageError, match="unknown role 'adversary'"):
        archive.actors(role="adversary")


def test_support_counts_by_role_with_the_articles_behind_each_period(archive: Archive) -> None:
    foreign = archive.support_counts("year")
    assert foreign.rows == (("2015", "CN", 1, 1), ("2016", "CN", 1, 1))
    assert foreign.periods == (("2015", 1), ("2016", 4))  # every dated article archived, supporters or not
    data = foreign.to_json()
    assert data["periods"][0] == {"period": "2015", "articles": 1, "sparse": True}
    assert data["roles"] == ["foreign"]
    compatriot = archive.support_counts("year", role="compatriot")
    assert [(p, n) for p, _, n, _ in compatriot.rows] == [("2016", 1)]
    assert archive.support_counts("year", role="all").by_country()[0] == ("CN", 2, 2)


def test_a_period_of_thirty_articles_is_no_longer_sparse(archive: Archive, tmp_path: Path) -> None:
    archive.ingest([write_jsonl(tmp_path / "f.jsonl", filler(2016, 26))], workers=1)
    counts = archive.support_counts("year").to_json()
    assert [(p["period"], p["articles"], p["sparse"]) for p in counts["periods"]] == [
        ("2015", 1, True),
        ("2016", 30, False),
    ]
    trend = archive.trend("mentions", "year", "CN").to_json()
    assert [(p["period"], p["articles"], p["sparse"]) for p in trend["points"]] == [
        ("2015", 1, True),
        ("2016", 30, False),
    ]


def as_before_migration_9(archive: Archive) -> None:
    """What an archive made before 0009 holds once 0009 has run: every supporter foreign and its own canonical
    form, no stance rows, no stance in the annotations, and an older parser's version."""
    store = archive.store
    p = store.d.param
    with store._writing():
        store.db.execute("UPDATE support_events SET role = 'foreign', canonical = actor")
        store.db.execute("DELETE FROM article_stance")
        for article_id, notes in store.db.rows("SELECT id, annotations FROM articles"):
            kept = {k: v for k, v in json.loads(notes).items() if k not in ("stance", "stance_evidence")}
            store.db.execute(
                f"UPDATE articles SET annotations = {p}, parser_version = 3 WHERE id = {p}",
                (json.dumps(kept), article_id),
            )


def test_reparse_brings_an_archive_made_before_roles_and_stance_up(archive: Archive) -> None:
    as_before_migration_9(archive)
    assert archive.actors(role="compatriot") == []  # Chongryon counted as foreign, as 0009 left it
    assert archive.count(None, SearchFilters.parse(stance="hostile", toward=["US"])) == 0
    assert archive.reparse() == len(DISPATCHES)
    assert [a.role for a in archive.actors(role="compatriot")] == ["compatriot"]
    (party,) = archive.actors()
    assert party.actor == "Communist Party of China" and party.events == 2
    hostile = archive.search(None, SearchFilters.parse(stance="hostile", toward=["US"]))
    assert [h.title for h in hostile] == ["Park Group Denounced"]
    article = archive.article(hostile[0].id)
    assert article.stance["US"] == "hostile" and any(e.country == "US" for e in article.stance_evidence)
    assert archive.reparse() == 0
