"""Filters on the web page and /api/search: countries by name, impossible dates and unknown countries said
(422 on the API, a message on the page, never 0 hits), language and source, one counting unit, deleted
articles marked, a previous page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.web.app import create_app

from .filter_fixtures import build, write

pytestmark = pytest.mark.engines


def client_for(db: str) -> TestClient:
    return TestClient(create_app(db), base_url="http://127.0.0.1")


def total(client: TestClient, **params: object) -> int:
    answer = client.get("/api/search", params=params)  # type: ignore[arg-type]
    assert answer.status_code == 200, answer.text
    return int(answer.json()["total"])


def test_a_country_by_any_name_the_gazetteer_knows(db: str, tmp_path: Path) -> None:
    build(db, tmp_path)
    client = client_for(db)
    assert total(client, country="US") == 5
    for name in ("USA", "United States", "united  states", "U.S.", "Estados Unidos", "us"):
        assert total(client, country=name) == 5, name
    assert total(client, target="usa") == 5
    assert total(client, stance="hostile", toward="United States") == total(client, stance="hostile", toward="US")
    page = client.get("/", params={"country": "USA"})
    assert re.search(r'<a href="[^"]*" class="on" data-value="US"', page.text)  # the facet shows it chosen


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"country": "Untied States"},
            "country 'Untied States' is not a country the gazetteer knows; did you mean United States (US)",
        ),
        ({"target": "Atlantis"}, "target 'Atlantis' is not a country the gazetteer knows"),
        ({"since": "2017-13"}, "since '2017-13' is not a date in the calendar"),
        ({"until": "2017-02-30"}, "until '2017-02-30' is not a date in the calendar"),
        ({"since": "2018", "until": "2017-06"}, "since 2018 is after until 2017-06"),
        ({"lang": "Spanish"}, "language 'spanish' is not a language code"),
    ],
)
def test_a_filter_that_cannot_match_is_a_422_and_a_message_on_the_page(
    db: str, tmp_path: Path, params: dict[str, str], message: str
) -> None:
    build(db, tmp_path)
    client = client_for(db)
    answer = client.get("/api/search", params=params)
    assert answer.status_code == 422 and answer.json()["error"].startswith(message)
    page = client.get("/", params=params)
    error = re.search(r'<p class="error"[^>]*>(.*?)</p>', page.text, re.S)
    assert error is not None and error.group(1).replace("&#39;", "'").startswith(message)
    assert 'id="total"' not in page.text  # no "0 stories" beside the message


def test_garbage_since_on_the_page_is_said_not_answered_with_zero(db: str, tmp_path: Path) -> None:
    build(db, tmp_path)
    page = client_for(db).get("/", params={"since": "garbage"})
    assert "is not a date" in page.text and "0 stories" not in page.text and 'id="total"' not in page.text


def test_language_and_source_filter_and_are_facets(db: str, tmp_path: Path) -> None:
    build(db, tmp_path)
    client = client_for(db)
    assert total(client, lang="es") == 2 and total(client, lang="EN") == 4
    assert total(client, source="rodong") == 2 and total(client, source="kcna", lang="es") == 0
    assert client.get("/api/search", params=[("lang", "en"), ("lang", "es")]).json()["total"] == 6
    facets = client.get("/api/search", params={"facets": "true"}).json()["facets"]
    assert facets["lang"] == [{"value": "en", "count": 4}, {"value": "es", "count": 2}]
    assert facets["source"] == [{"value": "kcna", "count": 4}, {"value": "rodong", "count": 2}]
    page = client.get("/")
    link = re.search(r'<ul data-facet="lang">.*?<a href="([^"]+)"[^>]*data-value="es"', page.text, re.S)
    assert link is not None and "lang=es" in link.group(1)
    narrowed = client.get(link.group(1).replace("&amp;", "&"))
    assert "Informe 0" in narrowed.text and "Report 0" not in narrowed.text
    assert '<input type="hidden" name="lang" value="es">' in narrowed.text  # the box keeps it


def test_the_total_and_the_facets_count_the_same_unit(db: str, tmp_path: Path) -> None:
    """Two copies of one story: the total counted it once, the facets twice ("1 match" beside "2")."""
    build(db, tmp_path)
    client = client_for(db)
    body = client.get("/api/search", params={"q": "reactionaries", "facets": "true"}).json()
    assert body["unit"] == "stories" and body["total"] == 1
    assert body["facets"]["genre"][0]["count"] == 1 and body["facets"]["date"] == [{"value": "2019", "count": 1}]
    every = client.get("/api/search", params={"q": "reactionaries", "facets": "true", "collapse": "false"}).json()
    assert every["unit"] == "articles" and every["total"] == 2 and every["facets"]["genre"][0]["count"] == 2
    page = client.get("/", params={"q": "reactionaries"})
    assert re.search(r'id="total">\s*1 story match', page.text)
    counts = re.findall(r'data-value="[^"]*"><span>[^<]*</span><span>([\d,]+)</span>', page.text)
    assert counts and set(counts) == {"1"}


def test_deleted_articles_are_marked_in_results(db: str, tmp_path: Path) -> None:
    build(db, tmp_path)
    client = client_for(db)
    hits = {h["title"]: h for h in client.get("/api/search", params={"limit": 50}).json()["hits"]}
    assert hits["Report 2"]["deleted_at"] and hits["Report 1"]["deleted_at"] is None
    page = client.get("/", params={"q": "talks"})
    marks = re.findall(
        r'<h3><a href="/articles/\d+">([^<]+)</a></h3>\s*<div class="meta">[^\n]*deleted from its listing', page.text
    )
    assert marks == ["Report 2"]


def test_a_previous_page_link(db: str, tmp_path: Path) -> None:
    records = [
        {
            "id": f"p{i}",
            "source": "kcna",
            "date": f"2016-01-{i % 28 + 1:02d}",
            "title": f"Page item {i}",
            "body": f"Pyongyang, January 1 (KCNA) -- Item {i} of a long list: " + " ".join(["word"] * i) + ".",
        }
        for i in range(45)
    ]
    with Archive(db) as archive:
        archive.ingest([write(tmp_path / "many.jsonl", records)], workers=1)
    client = client_for(db)
    first = client.get("/", params={"source": "kcna"})
    assert 'id="next"' in first.text and 'id="previous"' not in first.text
    second = client.get("/", params={"source": "kcna", "page": 2})
    back = re.search(r'<a id="previous" href="([^"]+)"', second.text)
    assert back is not None and "page=" not in back.group(1) and "source=kcna" in back.group(1)
    third = client.get("/", params={"source": "kcna", "page": 3})
    back = re.search(r'<a id="previous" href="([^"]+)"', third.text)
    assert back is not None and "page=2" in back.group(1) and 'id="next"' not in third.text
    assert "Page item" in client.get(back.group(1).replace("&amp;", "&")).text


def test_trends_actors_and_the_dashboard_take_a_country_by_name(db: str, tmp_path: Path) -> None:
    build(db, tmp_path)
    client = client_for(db)
    by_code = client.get("/api/trends", params={"metric": "mentions", "country": "US", "by": "year"}).json()
    assert by_code["country"] == "US" and by_code["points"]
    for name in ("USA", "United States", "us"):
        named = client.get("/api/trends", params={"metric": "mentions", "country": name, "by": "year"})
        assert named.status_code == 200 and named.json() == by_code, name
    assert client.get("/api/actors", params={"country": "United States"}).status_code == 200
    for path, params in (
        ("/api/trends", {"country": "Narnia"}),
        ("/api/actors", {"country": "Narnia"}),
        ("/api/trends", {"country": "US", "since": "2017-13"}),
        ("/api/actors", {"since": "garbage"}),
    ):
        answer = client.get(path, params=params)
        assert answer.status_code == 422, (path, params)
        assert "Narnia" in answer.text or "not a date" in answer.text
    page = client.get("/dashboard", params={"country": "United States"})
    assert page.status_code == 200 and "Mentions of US over time" in page.text and 'id="error"' not in page.text
    bad = client.get("/dashboard", params={"country": "Narnia"})
    assert bad.status_code == 422 and 'action="/dashboard"' in bad.text and 'id="support"' in bad.text
    assert re.search(r'id="error">country (&#39;|\')Narnia(&#39;|\') is not a country the gazetteer knows', bad.text)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"since": "2017-13"}, 422, "since '2017-13' is not a date in the calendar"),
        ({"country": "Narnia"}, 422, "country 'Narnia' is not a country the gazetteer knows"),
        ({"q": '"unclosed'}, 400, "unclosed quote"),
    ],
)
def test_the_search_page_answers_the_error_s_status(
    db: str, tmp_path: Path, params: dict, status: int, message: str
) -> None:
    build(db, tmp_path)
    page = client_for(db).get("/", params=params)
    assert page.status_code == status and 'action="/"' in page.text
    assert message in page.text.replace("&#39;", "'").replace("&#34;", '"')
    assert client_for(db).get("/", params={"q": "rice"}).status_code == 200


def test_an_impossible_digest_day_is_a_422_with_a_message(db: str, tmp_path: Path) -> None:
    build(db, tmp_path)
    client = client_for(db)
    for day, message in (("2017-02-30", "day '2017-02-30' is not a date in the calendar"), ("soon", "YYYY-MM-DD")):
        for accept in ("text/html", "application/json"):
            answer = client.get("/digest", params={"day": day}, headers={"accept": accept})
            assert answer.status_code == 422 and message in answer.text.replace("&#39;", "'"), (day, accept)
    assert client.get("/digest", params={"day": "2017-02-28"}).status_code == 200


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"since": "2017-13"}, "since '2017-13' is not a date in the calendar"),
        ({"countries": ["Narnia"]}, "country 'Narnia' is not a country the gazetteer knows"),
        ({"langs": ["Spanish"]}, "is not a language code"),
        ({"genres": ["gossip"]}, "unknown genre 'gossip'"),
        ({"stance": "hostile"}, "stance hostile needs toward"),
        ({"colour": ["red"]}, "unknown filter 'colour'"),
        ({"countries": [1]}, "each value is text"),
    ],
)
def test_a_saved_search_s_filters_are_checked_as_the_search_s(
    db: str, tmp_path: Path, filters: dict, message: str
) -> None:
    client = client_for(db)
    answer = client.post("/api/saved", json={"name": "x", "query": "rice", "filters": filters})
    assert answer.status_code == 422 and message in answer.json()["error"], answer.text
    assert client.get("/api/saved").json() == []


def test_a_saved_search_s_countries_by_name_are_stored_as_codes(db: str, tmp_path: Path) -> None:
    client = client_for(db)
    body = {"name": "us", "filters": {"countries": ["United States"], "since": "2017", "lang": "en"}}
    made = client.post("/api/saved", json=body)
    assert made.status_code == 201 and made.json()["filters"] == {"since": "2017", "countries": ["US"], "langs": ["en"]}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"since": "2017-13"}, "since '2017-13' is not a date in the calendar"),
        ({"until": "2014-02-30"}, "until '2014-02-30' is not a date in the calendar"),
        ({"compare_with": "2013-13:2014"}, "since '2013-13' is not a date in the calendar"),
    ],
)
def test_a_bad_period_on_the_leadership_page_is_said_on_the_page(
    db: str, tmp_path: Path, params: dict[str, str], message: str
) -> None:
    build(db, tmp_path)
    page = client_for(db).get("/leadership", params=params, headers={"accept": "text/html"})
    assert page.status_code == 422 and 'action="/leadership"' in page.text  # the page and its form, not error.html
    error = re.search(r'<p class="error" role="alert" id="error">(.*?)</p>', page.text)
    assert error is not None and error.group(1).replace("&#39;", "'").startswith(message)
    assert f'value="{next(iter(params.values()))}"' in page.text  # the value typed, there to mend
    if "compare_with" not in params:  # the API says it as a 422 of one line
        assert client_for(db).get("/api/appearances/counts", params=params).status_code == 422
