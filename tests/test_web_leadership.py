"""The leadership dashboard, an official's page and the JSON API (web/routes/leadership.py) over the
hand-labelled dispatches of leadership_fixtures.py: the API returns the Archive's typed results' to_json(),
the charts give the articles behind every point, an unknown official is a 404, bad parameters a 422, and a
name written by a hostile input is shown as text, never as markup."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.web.app import create_app

from . import leadership_fixtures
from .leadership_fixtures import DISPATCHES, LATER_MESSAGE, MUSHROOM_EDITED, Labels, Seen, register, write_jsonl

LOCAL = "http://127.0.0.1"  # a loopback Host: the server refuses TestClient's default "testserver"
HOSTILE_NAME = "Ri <script>alert(1)</script>"
HOSTILE = {
    "id": "hostile",
    "source": "test",
    "date": "2014-08-25",
    "title": "Kim Jong Un Inspects <img src=x onerror=alert(2)> Works",
    "body": "Pyongyang, August 25 (KCNA) -- Kim Jong Un inspected the <b>works</b> recently. He was accompanied "
    f"by Choe Ryong Hae and {HOSTILE_NAME}.",
}


def client_for(db: str) -> TestClient:
    return TestClient(create_app(db), base_url=LOCAL)


@pytest.fixture
def archive_db(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    steps = register(monkeypatch)
    monkeypatch.setitem(
        leadership_fixtures.LABELS,
        "hostile",
        Labels(
            (
                Seen(
                    "Kim Jong Un",
                    "economy",
                    "<b>works</b>",
                    None,
                    "Kim Jong Un inspected the <b>works</b> recently.",
                    (("Choe Ryong Hae", "Choe Ryong Hae", None), (HOSTILE_NAME, HOSTILE_NAME, "<i>general</i>")),
                ),
            )
        ),
    )
    with Archive(db) as archive:
        archive.ingest([write_jsonl(tmp_path / "d.jsonl", [*DISPATCHES, HOSTILE])], workers=1, steps=steps)
        archive.ingest([write_jsonl(tmp_path / "e.jsonl", [MUSHROOM_EDITED])], workers=1, steps=steps)
    return db


def same(value: Any) -> Any:
    """What a value is once it has been through JSON (tuples become lists)."""
    return json.loads(json.dumps(value))


@pytest.mark.engines
def test_the_api_returns_the_archives_typed_results(archive_db: str) -> None:
    client = client_for(archive_db)
    with Archive(archive_db, readonly=True) as archive:
        expected = {
            "/api/appearances": [r.to_json() for r in archive.appearances(limit=1000)],
            "/api/appearances?with=Kim+Yo+Jong&kind=economy": [
                r.to_json() for r in archive.appearances(kind="economy", with_="Kim Yo Jong", limit=1000)
            ],
            "/api/appearances/counts?leader=Kim+Jong+Un&by=year": archive.appearance_counts("Kim Jong Un", "year"),
            "/api/officials?since=2014&compare_with=2012:2013": archive.officials("2014", None, ("2012", "2013")),
            "/api/officials/" + quote("kim yo-jong"): archive.official("Kim Yo Jong"),
            "/api/absences?min_days=40&vanished_months=6": archive.absences(None, 40, 6),
        }
    for url, result in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.json() == same(result if isinstance(result, list) else result.to_json()), url
    absences = client.get("/api/absences").json()
    assert [d["name"] for d in absences["dropped"]] == ["Jang Song Thaek"]
    companions = client.get("/api/companions", params={"top": 2}).json()
    assert companions["names"] == ["Choe Ryong Hae", "Hwang Pyong So"]
    assert {"a": "Choe Ryong Hae", "b": "Hwang Pyong So", "appearances": 4, "articles": 4} in companions["cells"]


@pytest.mark.engines
def test_an_unknown_official_is_a_404_in_one_line_on_the_api_and_the_page(archive_db: str) -> None:
    client = client_for(archive_db)
    response = client.get("/api/officials/" + quote("Choe Ryong Hai"))
    assert response.status_code == 404 and "Choe Ryong Hae" in response.json()["error"]
    assert "\n" not in response.json()["error"]
    page = client.get("/officials/Nobody%20Here", headers={"accept": "text/html"})
    assert page.status_code == 404 and "Nobody Here" in page.text and "<!doctype html>" in page.text


@pytest.mark.engines
def test_the_dashboard_draws_its_charts_with_the_articles_behind_each_point(archive_db: str) -> None:
    client = client_for(archive_db)
    page = client.get("/leadership", params={"leader": "Kim Jong Un"})
    assert page.status_code == 200 and 'class="chart stacked"' in page.text and 'class="chart heat"' in page.text
    # 2014-10: two appearances (a district, then a theatre) reported by one article
    assert "<title>2014-10: 2 (1 economy, 1 culture); 1 article</title>" in page.text
    assert "<title>2014-08: 2 (2 economy); 2 articles</title>" in page.text
    assert "<title>2014-07: 0 (none); 0 articles</title>" in page.text  # an empty month is drawn, not skipped
    # the chart is drawn twice, wide for a desktop and narrow for a phone (web/svg.py): each has every bar
    wide, narrow = page.text.split('class="chart heat"')[0].split('<div class="chart-narrow">')
    for drawing in (wide, narrow):
        bars = re.findall(r'<g class="bar"><title>[^<]*; (\d+) articles?</title>', drawing)
        written = re.findall(r'class="articles">([\d,]+)</text>', drawing)
        assert len(bars) == 30 and written == [n for n in bars if n != "0"]  # 2012-05 to 2014-10, each with its n
    assert 'href="/officials/Hwang%20Pyong%20So"' in page.text  # the ranking and the heat map link to the pages
    assert "Choe Ryong Hae and Hwang Pyong So: 4 appearances together (4 articles)" in page.text
    pair = "/?leader_appearance=Kim+Jong+Un&amp;accompanied_by=Choe+Ryong+Hae&amp;accompanied_by=Hwang+Pyong+So"
    assert f'<a href="{pair}"><g class="cell">' in page.text  # a cell searches for the dispatches behind it
    assert '<a href="/?leader_appearance=Kim+Jong+Un&amp;since=2014-10&amp;until=2014-10"><g class="bar">' in page.text
    hits = client.get(
        "/api/search",
        params={"leader_appearance": "Kim Jong Un", "accompanied_by": ["Choe Ryong Hae", "Hwang Pyong So"]},
    )
    assert hits.json()["total"] == 4  # the articles the cell says
    assert ">2014-09-02</a>" in page.text and "<td>42</td>" in page.text  # the gap before the district
    (gap,) = [g for g in client.get("/api/absences").json()["gaps"] if g["days"] == 42]
    assert f"<td>42</td><td>{gap['articles_between']}</td>" in page.text and gap["articles_between"] > 0
    assert 'href="/leadership"' in client.get("/").text  # in the site's navigation


@pytest.mark.engines
def test_the_dashboard_shows_the_ongoing_absence_from_its_gaps_only_read(
    archive_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Archive(archive_db) as archive:
        archive.ingest([write_jsonl(tmp_path / "l.jsonl", [LATER_MESSAGE])], workers=1, steps=register(monkeypatch))
        assert archive.leader_gaps() == archive.absences().gaps
    monkeypatch.setattr(Archive, "absences", None)  # the dashboard shows gaps: it reads nothing more
    page = client_for(archive_db).get("/leadership")
    assert page.status_code == 200
    assert '<td>2014-12-01 <span class="meta ongoing">(latest dispatch: ongoing)</span></td><td>48</td>' in page.text


@pytest.mark.engines
def test_the_dashboard_ranks_the_officials_against_another_period(archive_db: str) -> None:
    client = client_for(archive_db)
    page = client.get("/leadership", params={"since": "2014", "compare_with": "2012:2013"}).text
    moves = page.split('id="moves"')[1].split("</p>")[0]
    assert "<b>fell:</b> Jang Song Thaek (-1)" in moves and "Hwang Pyong So (+" in moves.split("fell")[0]
    assert 'value="2012:2013"' in page and '<td class="change">' in page
    assert 'id="moves"' not in client.get("/leadership").text  # no period compared: no change shown
    bad = client.get("/leadership", params={"compare_with": "lately"}, headers={"accept": "text/html"})
    assert bad.status_code == 422 and "lately" in bad.text


@pytest.mark.engines
def test_an_officials_page_shows_titles_companions_and_places_by_month(archive_db: str) -> None:
    page = client_for(archive_db).get("/officials/" + quote("Hwang Pyong So"))
    assert page.status_code == 200
    assert "director of the General Political Bureau of the KPA" in page.text
    assert 'class="chart ranks"' in page.text
    assert "<title>2014-09, accompanied lists: place 1.0 (1 article)</title>" in page.text
    assert "<title>2014-09, present lists: place 1.0 (1 article)</title>" in page.text
    assert 'href="/officials/Choe%20Ryong%20Hae"' in page.text and 'href="/articles/' in page.text
    months = page.text.split('id="months"')[1]  # appearances by month: 2013-11 to 2014-10, each with its articles
    assert "<title>2014-09: 1 (1 appearances with the leader); 1 article</title>" in months
    assert "<title>2014-01: 0 (none); 0 articles</title>" in months
    wide, narrow = months.split("</section>")[0].split('<div class="chart-narrow">')  # a desktop's, a phone's
    assert wide.count('<g class="bar">') == 12 and narrow.count('<g class="bar">') == 12


@pytest.mark.engines
def test_names_and_places_from_the_input_are_text_never_markup(archive_db: str) -> None:
    client = client_for(archive_db)
    for url in ("/leadership", "/officials/" + quote(HOSTILE_NAME, safe="")):
        page = client.get(url)
        assert page.status_code == 200, url
        assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text, url
        assert "<i>general</i>" not in page.text
        assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "&lt;i&gt;general&lt;/i&gt;" in client.get("/officials/" + quote(HOSTILE_NAME, safe="")).text
    assert client.get("/api/officials/" + quote(HOSTILE_NAME, safe="")).json()["name"] == HOSTILE_NAME


def test_bad_parameters_are_422_in_one_line(db: str) -> None:
    Archive(db).close()
    client = client_for(db)
    for url in (
        "/api/appearances?kind=sightseeing",
        "/api/appearances?since=14+Sept",
        "/api/appearances/counts?by=fortnight",
        "/api/officials?compare_with=last+year",
        "/api/absences?min_days=0",
        "/api/companions?top=0",
        "/api/appearances?limit=0",
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        assert "\n" not in response.json()["error"], url
    page = client.get("/leadership", params={"since": "abc"}, headers={"accept": "text/html"})
    assert page.status_code == 422 and "not a date" in page.text


def test_an_empty_archive_has_a_dashboard_that_says_so(db: str) -> None:
    Archive(db).close()
    page = client_for(db).get("/leadership")
    assert page.status_code == 200 and "no appearances in the archive yet" in page.text
    assert client_for(db).get("/api/officials/Anyone").status_code == 404


@pytest.mark.engines
def test_the_article_page_lists_and_highlights_the_leaders_appearances(archive_db: str) -> None:
    with Archive(archive_db) as archive:
        row = next(r for r in archive.appearances(leader="Kim Jong Un") if r.accompanied_by and r.place)
    page = client_for(archive_db).get(f"/articles/{row.article_id}")
    section = page.text.split('id="appearances"', 1)[1].split("</section>", 1)[0]
    assert "Leader&#39;s appearances" in section or "Leader's appearances" in section
    assert f"<td>{row.kind}</td>" in section and ", ".join(row.accompanied_by) in section
    assert 'data-layer="appearance"' in page.text and "hl-appearance" in page.text


@pytest.mark.engines
def test_the_companions_come_from_the_archive_as_a_typed_result(
    archive_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from propscope.results import CompanionMatrix

    with Archive(archive_db) as archive:
        matrix = archive.companions("Kim Jong Un", top=3)
    assert isinstance(matrix, CompanionMatrix) and len(matrix.names) == 3
    client = client_for(archive_db)
    assert client.get("/api/companions", params={"leader": "Kim Jong Un", "top": 3}).json() == same(matrix.to_json())
    planted = CompanionMatrix(("Planted Name",), ((7,),), ((5,),))
    monkeypatch.setattr(Archive, "companions", lambda self, *args, **kwargs: planted)  # the only source
    assert client.get("/api/companions").json()["names"] == ["Planted Name"]
    assert "Planted Name" in client.get("/leadership").text
