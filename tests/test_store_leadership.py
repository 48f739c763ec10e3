"""The leadership store (issue 16, store/leadership.py, analyze/leadership.py): both layers written and read
back, the derived tables rewritten with each version, the search filters, each Archive method against the
hand-labelled dispatches of leadership_fixtures.py (known answers), an archive made at schema 10 brought up by
the migration and `propscope reparse`, and the typed results' JSON. On both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive
from propscope.errors import NotFoundError, UsageError
from propscope.ingest import record_from_raw
from propscope.model import PARSER_VERSION, SearchFilters

from .leadership_fixtures import (
    DISPATCHES,
    LATER_MESSAGE,
    MUSHROOM,
    MUSHROOM_EDITED,
    REPORT,
    REPORT_EDITED,
    register,
    write_jsonl,
)

pytestmark = pytest.mark.engines


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    return register(monkeypatch)


@pytest.fixture
def archive(db: str, tmp_path: Path, steps: tuple[str, ...]) -> Any:
    with Archive(db) as opened:
        opened.ingest([write_jsonl(tmp_path / "d.jsonl", DISPATCHES)], workers=1, steps=steps)
        yield opened


def ids_by_record(archive: Archive) -> dict[str, int]:
    return {r[1]: int(r[0]) for r in archive.store.db.rows("SELECT id, record_id FROM articles")}


def test_both_layers_read_back_as_written_accompanied_by_as_tuples(archive: Archive, steps: tuple[str, ...]) -> None:
    ids = ids_by_record(archive)
    article = archive.article(ids["district"])
    raw = archive.raw_input(ids["district"])
    expected = archive.pipeline(steps)(record_from_raw("jsonl", raw, article.origin, article.record_id))
    assert article.appearances == expected.appearances and len(article.appearances) == 2
    assert all(isinstance(a.accompanied_by, tuple) and isinstance(a.greeted_by, tuple) for a in article.appearances)
    assert article.appearances[0].accompanied_by == ("Hwang Pyong So", "Choe Ryong Hae", "Kim Yo Jong")
    assert article.officials == expected.officials and len(article.officials) == 4
    assert article.to_dict()["appearances"][1]["text"].startswith("He then watched a performance")
    farm = archive.article(ids["farm"])
    assert [(o.name, o.list, o.position, o.size) for o in farm.officials] == [
        ("Choe Ryong Hae", "accompanied", 1, 3),
        ("Hwang Pyong So", "accompanied", 2, 3),
        ("Kim Yo Jong", "accompanied", 3, 3),
        ("Ri Chol Man", "greeted", 1, 1),
    ]
    assert archive.article(ids["message"]).appearances == []  # a message sent in his name is no appearance


def test_a_new_version_rewrites_the_derived_rows(archive: Archive, tmp_path: Path, steps: tuple[str, ...]) -> None:
    mushroom = ids_by_record(archive)["mushroom"]
    assert archive.appearances(with_="Jang Song Thaek")[-1].article_id == mushroom
    archive.ingest([write_jsonl(tmp_path / "e.jsonl", [MUSHROOM_EDITED])], workers=1, steps=steps)
    assert [r.article_id for r in archive.appearances(with_="Jang Song Thaek")] != [] and all(
        r.article_id != mushroom for r in archive.appearances(with_="Jang Song Thaek")
    )
    (row,) = [r for r in archive.appearances() if r.article_id == mushroom]
    assert row.accompanied_by == ("Choe Ryong Hae", "Hwang Pyong So")
    db = archive.store.db
    p = archive.store.d.param
    assert db.scalar(f"SELECT count(*) FROM official_mentions WHERE article_id = {p}", (mushroom,)) == 2
    assert db.scalar(f"SELECT count(*) FROM appearances WHERE article_id = {p}", (mushroom,)) == 1


def test_appearances_by_leader_kind_companion_and_the_date_counted(archive: Archive) -> None:
    every = archive.appearances()
    assert len(every) == 8 and [r.date for r in every] == sorted(r.date or "" for r in every)
    assert {r.leader for r in archive.appearances(leader="Kim Jong Il")} == {"Kim Jong Il"}
    assert len(archive.appearances(leader="kim jong-il")) == 2  # the leader as stored, case and hyphen aside
    assert archive.appearances(leader="Kim Il Sung") == []
    drill = archive.appearances(since="2014-09-02", until="2014-09-02")  # the event's day, not the dispatch's
    assert [(r.title, r.event_date, r.article_date) for r in drill] == [
        ("Kim Jong Un Watches Firing Drill", "2014-09-02", "2014-09-03")
    ]
    assert [r.place for r in archive.appearances(kind="culture")] == ["May Day Stadium", "Moranbong Theatre"]
    assert [r.place for r in archive.appearances(with_="Ri Chol Man")] == ["Sukchon Farm"]  # greeted him
    assert len(archive.appearances(with_="kim yo-jong")) == 2  # the registry's canonical name for the spelling
    assert [r.place for r in archive.appearances(leader="Kim Jong Un", until="2014", limit=2)] == [
        "Taean Heavy Machine Complex",
        "mushroom farm of the KPA",
    ]
    with pytest.raises(UsageError, match="sightseeing"):
        archive.appearances(kind="sightseeing")
    with pytest.raises(UsageError, match="not a date"):
        archive.appearances(since="14 Sept")


def test_appearance_counts_per_period_and_kind_with_the_articles_behind(archive: Archive) -> None:
    counts = archive.appearance_counts(leader="Kim Jong Un")
    october = {p.period: p for p in counts.periods}["2014-10"]
    assert (october.appearances, october.articles, dict(october.kinds)) == (2, 1, {"economy": 1, "culture": 1})
    assert [p.period for p in counts.periods] == ["2012-05", "2013-11", "2014-08", "2014-09", "2014-10"]
    assert counts.total == 6 and counts.leader == "Kim Jong Un"
    years = archive.appearance_counts(by="year")
    assert [(p.period, p.appearances, p.articles) for p in years.periods] == [
        ("2008", 2, 2),
        ("2012", 1, 1),
        ("2013", 1, 1),
        ("2014", 4, 3),
    ]
    assert dict(years.periods[-1].kinds) == {"economy": 2, "military": 1, "culture": 1}
    assert archive.appearance_counts(since="2014-09", until="2014-09").total == 1
    with pytest.raises(UsageError, match="period"):
        archive.appearance_counts(by="fortnight")


def test_an_officials_profile_joins_spellings_and_keeps_titles_positions_and_companions(archive: Archive) -> None:
    kim = archive.official("kim yo-jong")  # case and hyphen aside, the spelling written finds the name
    assert kim.name == "Kim Yo Jong" and set(kim.variants) == {"Kim Yo Jong", "Kim Yo-jong"}
    assert kim.appearances_by_month == (("2014-08", 1), ("2014-10", 1)) and kim.first_seen == "2014-08-20"
    hwang = archive.official("Hwang Pyong So")
    assert [(t.title, t.first_seen, t.last_seen, t.mentions) for t in hwang.titles] == [
        ("first vice department director of the WPK Central Committee", "2014-08-20", "2014-08-20", 1),
        ("director of the General Political Bureau of the KPA", "2014-09-03", "2014-09-03", 1),
    ]
    assert [(p.date, p.list, p.position, p.size) for p in hwang.positions] == [
        ("2013-11-20", "accompanied", 3, 3),
        ("2014-08-20", "accompanied", 2, 3),
        ("2014-09-03", "accompanied", 1, 2),
        ("2014-09-25", "present", 1, 3),
        ("2014-10-14", "accompanied", 1, 3),
    ]
    assert hwang.companions[0] == ("Choe Ryong Hae", 4) and ("Kim Yo Jong", 2) in hwang.companions
    assert hwang.appearances == 4 and hwang.mentions == 5
    jang = archive.official("Jang Song Thaek")
    assert (jang.first_seen, jang.last_seen, jang.appearances) == ("2008-08-14", "2013-11-20", 4)
    with pytest.raises(NotFoundError, match="Choe Ryong Hae"):  # the close match named
        archive.official("Choe Ryong Hai")
    with pytest.raises(NotFoundError, match="'Nobody Here'"):
        archive.official("Nobody Here")
    with pytest.raises(NotFoundError, match=r"'Choe Ryong HaeChoe.*\.\.\.'"):
        archive.official("Choe Ryong Hae" * 20_000)  # a hostile name: one short line, no fuzzy matching of it


def test_officials_ranked_with_rises_and_falls_between_two_periods(archive: Archive) -> None:
    ranking = archive.officials(since="2014", until="2014", compare_with=("2008", "2013"))
    top = ranking.officials[0]
    assert top.name == "Hwang Pyong So"  # as many appearances as Choe, nearer the head of the lists
    assert (top.standing.appearances, top.standing.accompanied_position) == (3, pytest.approx(4 / 3))
    assert top.standing.protocol_position == 1.0 and top.compared is not None and top.compared.appearances == 1
    assert top.accompanied_rise == pytest.approx(3 - 4 / 3, abs=0.01)  # from third to first and second
    assert ranking.falls[0].name == "Jang Song Thaek" and ranking.falls[0].appearances_change == -4
    assert "Kim Yo Jong" in [o.name for o in ranking.rises]
    assert [o.name for o in archive.officials(since="2014", limit=2).officials] == ["Hwang Pyong So", "Choe Ryong Hae"]
    plain = archive.officials(leader="Kim Jong Il")
    assert [o.name for o in plain.officials][:3] == ["Jang Song Thaek", "Hyon Chol Hae", "Ri Myong Su"]
    assert all(o.compared is None and o.appearances_change is None for o in plain.officials)


def test_absences_gaps_vanished_officials_and_names_dropped_from_later_versions(
    archive: Archive, tmp_path: Path, steps: tuple[str, ...]
) -> None:
    found = archive.absences(leader="Kim Jong Un", min_days=40)
    assert [(g.last_before, g.first_after, g.days, g.articles_between) for g in found.gaps] == [
        ("2012-05-01", "2013-11-20", 568, 0),  # nothing archived between: a hole in the archive, not an absence
        ("2013-11-20", "2014-08-20", 273, 0),
        ("2014-09-02", "2014-10-14", 42, 3),  # the drill's dispatch, the message (no appearance), the session
    ]
    kji = archive.absences(leader="Kim Jong Il", min_days=50).gaps
    assert [(g.last_before, g.first_after, g.days) for g in kji] == [("2008-08-14", "2008-10-03", 50)]
    assert archive.absences(leader="Kim Jong Il", min_days=51).gaps == ()
    assert archive.absences().dropped == ()  # no article has two versions yet
    # seen in four dispatches, the last on 2013-11-20; Hyon Chol Hae (two) and Ri Myong Su (one) too seldom
    assert [v.name for v in archive.absences(vanished_months=10).vanished] == ["Jang Song Thaek"]
    assert archive.absences(vanished_months=11).vanished == ()
    archive.ingest([write_jsonl(tmp_path / "e.jsonl", [MUSHROOM_EDITED])], workers=1, steps=steps)
    after = archive.absences()
    (dropped,) = after.dropped
    assert (dropped.name, dropped.title, dropped.last_version, dropped.latest_version) == (
        "Jang Song Thaek",
        MUSHROOM["title"],
        1,
        2,
    )
    (vanished,) = after.vanished  # the edit took his last sighting away: now last seen in 2012
    assert (vanished.name, vanished.last_seen, vanished.seen, after.latest) == (
        "Jang Song Thaek",
        "2012-05-01",
        3,
        "2014-10-14",
    )
    assert vanished.days_since == 896
    with pytest.raises(UsageError):
        archive.absences(min_days=0)
    endless = archive.absences(vanished_months=10**6, min_days=10**6)  # longer than the calendar: no error
    assert endless.vanished == () and endless.gaps == ()


def test_the_gap_since_the_last_appearance_is_an_ongoing_absence_to_the_latest_dispatch(
    archive: Archive, tmp_path: Path, steps: tuple[str, ...]
) -> None:
    assert not any(g.ongoing for g in archive.absences(min_days=1).gaps)  # his last day is the latest date
    archive.ingest([write_jsonl(tmp_path / "l.jsonl", [LATER_MESSAGE])], workers=1, steps=steps)
    found = archive.absences(min_days=40)
    (ongoing,) = [g for g in found.gaps if g.ongoing]
    assert (ongoing.leader, ongoing.last_before, ongoing.first_after, ongoing.days) == (
        "Kim Jong Un",
        "2014-10-14",
        "2014-12-01",
        48,
    )
    assert ongoing.first_article_id is None and ongoing.articles_between == 1 and found.latest == "2014-12-01"
    assert ongoing.to_json()["ongoing"] is True
    assert not any(g.ongoing for g in archive.absences(min_days=49).gaps)
    # Kim Jong Il's last appearance of the fixtures (2008) opens no absence: he died in 2011, before the latest date
    assert all(g.leader == "Kim Jong Un" for g in found.gaps if g.ongoing)


def test_names_of_the_registry_dropped_from_a_later_text_are_found_in_the_text(
    archive: Archive, tmp_path: Path, steps: tuple[str, ...]
) -> None:
    # read without the entities step, as by a parser that found no person in it: only its text names them
    bare = tuple(step for step in steps if step != "entities")
    archive.ingest([write_jsonl(tmp_path / "v1.jsonl", [REPORT])], workers=1, steps=bare)
    archive.ingest([write_jsonl(tmp_path / "v2.jsonl", [REPORT_EDITED])], workers=1, steps=bare)
    report = ids_by_record(archive)["report"]
    dropped = [(d.name, d.last_version, d.latest_version) for d in archive.absences().dropped if d.article_id == report]
    assert dropped == [("Kim Yo Jong", 1, 2), ("Ri Chol Man", 1, 2)]  # Choe Ryong Hae is still there


def test_search_by_leader_appearance_and_companions(archive: Archive) -> None:
    def titles(**given: Any) -> list[str]:
        return sorted(h.title for h in archive.search(None, SearchFilters.parse(**given), limit=50))

    assert len(titles(leader_appearance="ANY")) == 7  # every dispatch with an appearance; not the message
    assert titles(leader_appearance="Kim Jong Il") == [
        "Kim Jong Il Inspects KPA Unit",
        "Kim Jong Il Watches Football Game",
    ]
    assert titles(accompanied_by=["Kim Yo Jong", " Hwang  Pyong So "]) == [
        "Kim Jong Un Gives Field Guidance to Sukchon Farm",
        "Kim Jong Un Visits Wisong Scientists Residential District",
    ]
    assert titles(accompanied_by=["Jang Song Thaek"], leader_appearance="Kim Jong Il") == [
        "Kim Jong Il Inspects KPA Unit",
        "Kim Jong Il Watches Football Game",
    ]
    assert titles(accompanied_by=["Ri Chol Man"]) == []  # he greeted, he did not accompany
    assert archive.count(None, SearchFilters.parse(accompanied_by=["Choe Ryong Hae"], since="2014")) == 3


def test_an_archive_made_at_schema_10_is_migrated_and_reparse_fills_the_tables(
    db: str, tmp_path: Path, steps: tuple[str, ...]
) -> None:
    with Archive(db) as made:
        made.ingest([write_jsonl(tmp_path / "d.jsonl", DISPATCHES)], workers=1, steps=steps)
        as_at_schema_10(made)
    with Archive(db) as opened:
        assert opened.store.schema_version() == 13  # 0011 (leadership), 0012 (mail) and 0013 (seen times) ran
        assert opened.appearances() == [] and opened.count(None, SearchFilters(leader_appearance="any")) == 0
        assert opened.reparse(steps=steps) == len(DISPATCHES)
        assert len(opened.appearances()) == 8
        assert opened.official("Kim Yo Jong").variants == ("Kim Yo Jong", "Kim Yo-jong")
        assert opened.count(None, SearchFilters(leader_appearance="any")) == 7
        assert opened.reparse(steps=steps) == 0


def as_at_schema_10(archive: Archive) -> None:
    """The archive as propscope made it before migration 0011: no leadership tables (nor 0012's mail columns or
    0013's seen times),
    an older parser."""
    store = archive.store
    with store._writing():
        for column in ("email", "mailed_up_to"):
            store.db.execute(f"ALTER TABLE saved_searches DROP COLUMN {column}")
        for table in ("appearance_people", "appearances", "official_mentions"):
            store.db.execute(f"DROP TABLE {table}")
        for table in ("articles", "article_versions"):
            store.db.execute(f"ALTER TABLE {table} DROP COLUMN seen_at")
        store.db.execute(f"UPDATE articles SET parser_version = {PARSER_VERSION - 1}")
        if "postgres" in type(store).__name__.lower():
            store.db.execute("DELETE FROM propscope_schema WHERE version >= 11")
        else:
            store.db.execute("PRAGMA user_version = 10")


def test_every_result_survives_json(archive: Archive, tmp_path: Path, steps: tuple[str, ...]) -> None:
    archive.ingest([write_jsonl(tmp_path / "e.jsonl", [MUSHROOM_EDITED])], workers=1, steps=steps)
    results = [
        *archive.appearances(),
        archive.appearance_counts(),
        archive.official("Hwang Pyong So"),
        archive.officials(compare_with=("2008", "2013")),
        archive.absences(),
    ]
    for result in results:
        body = result.to_json()
        assert json.loads(json.dumps(body)) == body, type(result).__name__
    absences = archive.absences().to_json()
    assert absences["dropped"][0]["name"] == "Jang Song Thaek" and absences["gaps"][0]["days"] == 568
    assert archive.officials(since="2014", compare_with=("2008", "2013")).to_json()["falls"][0] == "Jang Song Thaek"


def test_the_cli_api_and_search_page_take_the_same_filters(archive: Archive, db: str) -> None:
    from fastapi.testclient import TestClient

    from propscope.web.app import create_app

    from .cli_runner import run

    code, out, err = run(
        "search", "--db", db, "--leader-appearance", "Kim Jong Un", "--accompanied-by", "Kim Yo Jong,Hwang Pyong So",
        "--format", "jsonl",
    )  # fmt: skip
    assert code == 0, err
    assert sorted(json.loads(line)["title"] for line in out.splitlines()) == [
        "Kim Jong Un Gives Field Guidance to Sukchon Farm",
        "Kim Jong Un Visits Wisong Scientists Residential District",
    ]
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    body = client.get(
        "/api/search", params=[("leader_appearance", "Kim Jong Il"), ("accompanied_by", "Hyon Chol Hae")]
    ).json()
    assert body["total"] == 2 and {h["title"] for h in body["hits"]} == {
        "Kim Jong Il Inspects KPA Unit",
        "Kim Jong Il Watches Football Game",
    }
    page = client.get("/", params={"leader_appearance": "any", "accompanied_by": "Ri Sol Ju, Choe Ryong Hae"})
    assert page.status_code == 200 and "Wisong Scientists Residential District" in page.text
    assert "Sukchon Farm" not in page.text  # Ri Sol Ju was not there
    assert 'value="Ri Sol Ju, Choe Ryong Hae"' in page.text  # the form keeps what was asked


def test_titles_written_in_another_case_or_with_a_full_stop_are_one_title() -> None:
    from propscope.analyze.leadership import merged_titles

    given = [
        ("vice department director of the C.C., the WPK", "2012-01-01", "2012-03-01", 3),
        ("Vice Department Director of the C.C., the WPK.", "2011-12-30", "2012-01-24", 1),
        ("director of the General Political Bureau of the KPA", "2014-05-02", "2014-09-03", 2),
    ]
    rows = [dict(zip(("title", "first_seen", "last_seen", "mentions"), row, strict=True)) for row in given]
    assert [(t.title, t.first_seen, t.last_seen, t.mentions) for t in merged_titles(rows)] == [
        ("vice department director of the C.C., the WPK", "2011-12-30", "2012-03-01", 4),
        ("director of the General Political Bureau of the KPA", "2014-05-02", "2014-09-03", 2),
    ]


def test_a_month_back_from_the_end_of_a_longer_month_is_that_months_last_day() -> None:
    import datetime as dt

    from propscope.analyze.leadership import _months_before

    assert _months_before(dt.date(2014, 3, 31), 1) == dt.date(2014, 2, 28)
    assert _months_before(dt.date(2016, 8, 31), 6) == dt.date(2016, 2, 29)
    assert _months_before(dt.date(2014, 10, 14), 6) == dt.date(2014, 4, 14)
    assert _months_before(dt.date(2014, 10, 14), 10**6) == dt.date.min
