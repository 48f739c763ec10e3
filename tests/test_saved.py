"""Saved searches whole (issue 17, point 2): made, listed and removed from the CLI; the web list's links and
the feed's alternate link reopen the search with every filter; filters shown as typed; delete on the page."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import fields
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.alerts import filters_to_dict
from propscope.archive import Archive
from propscope.model import SearchFilters
from propscope.results import FILTER_PARAMS, SavedSearch
from propscope.web.app import create_app
from propscope.web.params import SearchParams

from .cli_runner import run

LOCAL = "http://127.0.0.1"
# Twelve dispatches that all match "delegation"; only four are from 2017 on and mention Japan, so a link that
# drops a filter shows more than four.
RECORDS = [
    {
        "id": f"s{i}",
        "source": "kcna",
        "date": f"{2012 + i % 8}-0{1 + i % 9}-1{i % 10}",
        "title": f"Delegation report {i}",
        "body": f"Pyongyang, May {i + 1} (KCNA) -- A delegation of the {['Cuban', 'Lao', 'Syrian'][i % 3]} party "
        f"arrived here on visit number {i}."
        + (" It denounced the Japanese reactionaries." if i % 2 else " The harvest is good.")
        + f" Item {i}: "
        + " ".join(["talks", "ceremony", "banquet", "exhibition", "meeting"][: 1 + i % 5]),
    }
    for i in range(12)
]


def ingest_all(db: str, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([source], workers=1, after=())


def total_on(page: str) -> int:
    found = re.search(r'id="total">([\d,]+) (?:article|stor)', page)
    assert found, page[:2000]
    return int(found.group(1).replace(",", ""))


def test_every_search_filter_has_the_name_users_type_it_under() -> None:
    """A filter added to SearchFilters without its parameter name would be dropped by every saved link."""
    assert {f.name for f in fields(SearchFilters)} == set(FILTER_PARAMS)


def test_a_saved_search_url_gives_back_every_filter_it_was_saved_with() -> None:
    filters = SearchFilters.parse(
        since="2017-06", until="2018", genre=["statement", "commentary"], country=["JP", "US"],
        outlet=["Rodong Sinmun"], person=["Kim Yong Nam"], technique=["Name_Calling,Labeling", "Loaded_Language"],
        target=["KR"], stance="hostile", toward=["US"],
    )  # fmt: skip
    saved = SavedSearch(id=1, name="all", query='"a phrase" OR b&c', filters=filters_to_dict(filters))
    reopened = SearchParams.from_query_string(saved.search_url().removeprefix("/?"))
    assert reopened.q == saved.query and reopened.filters() == filters
    assert saved.filters_text() == (
        "since 2017-06 · until 2018 · genre statement, commentary · country JP, US · outlet Rodong Sinmun"
        " · person Kim Yong Nam · technique Name_Calling,Labeling; Loaded_Language · target KR · stance hostile"
        " · toward US"
    )


def test_saved_add_list_and_rm_from_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    ingest_all(db, tmp_path)
    code, stdout, stderr = run(
        "saved", "add", "jp since 2017", "delegation", "--country", "JP", "--since", "2017", "--db", db,
        "--webhook", "https://hooks.example.org/x", "--email", "analyst@example.org",
    )  # fmt: skip
    assert code == 0, stderr
    assert "saved search 1" in stdout and "country JP" in stdout and "since 2017" in stdout
    code, stdout, _ = run("saved", "list", "--db", db, "--format", "csv")
    assert code == 0 and stdout.splitlines()[0] == "id,name,query,filters,webhook,email"
    assert (
        stdout.splitlines()[1]
        == "1,jp since 2017,delegation,since 2017 · country JP,https://hooks.example.org/x,analyst@example.org"
    )
    code, stdout, _ = run("saved", "list", "--db", db)
    assert code == 0 and "countries" not in stdout and "{" not in stdout
    code, stdout, _ = run("saved", "list", "--db", db, "--format", "jsonl")
    (listed,) = [json.loads(line) for line in stdout.splitlines()]
    assert listed["email"] == "analyst@example.org" and listed["webhook"] == "https://hooks.example.org/x"
    assert listed["search_url"] == "/?q=delegation&since=2017&country=JP"
    with Archive(db) as archive:  # what the command saved is what `search` with the same options finds
        (saved,) = archive.saved_searches()
        assert archive.count("delegation", SearchFilters.parse(since="2017", country=["JP"])) == archive.count(
            saved.query, SearchFilters(since="2017", countries=("JP",))
        )
    code, _, stderr = run("saved", "add", "bad", "--email", "a@example.org\r\nBcc: all@example.org", "--db", db)
    assert code == 2 and "not one address" in stderr and "Traceback" not in stderr
    code, stdout, _ = run("saved", "rm", "1", "--db", db)
    assert code == 0 and "removed saved search 1" in stdout
    code, stdout, _ = run("saved", "list", "--db", db, "--format", "jsonl")
    assert stdout.strip() == ""
    code, _, stderr = run("saved", "rm", "1", "--db", db)
    assert code != 0 and "no saved search with id 1" in stderr and len(stderr.strip().splitlines()) == 1


@pytest.mark.engines
def test_the_web_list_and_the_feed_reopen_the_search_with_every_filter(db: str, tmp_path: Path) -> None:
    ingest_all(db, tmp_path)
    client = TestClient(create_app(db), base_url=LOCAL)
    everything = total_on(client.get("/", params={"q": "delegation"}).text)
    query = [("q", "delegation"), ("since", "2017"), ("country", "JP"), ("genre", "news_report")]
    filtered = total_on(client.get("/", params=query).text)
    assert 0 < filtered < everything, (filtered, everything)
    form = client.get("/", params=query).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    query_string = re.search(r'name="query_string" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    fields_sent = {"name": "jp", "query_string": query_string.replace("&amp;", "&"), "email": "analyst@example.org"}
    saved = client.post("/saved", data={**fields_sent, "csrf": csrf})
    assert saved.status_code == 200 and saved.url.path == "/saved"
    page = saved.text
    link = re.search(r'class="reopen" href="([^"]+)"', page).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    assert total_on(client.get(link).text) == filtered
    # the filters as the user typed them, never a Python dict
    assert "since 2017 · genre news_report · country JP" in page and "countries" not in page and "{&#39;" not in page
    assert "mail analyst@example.org" in page

    smuggled = client.post("/api/saved", json={"name": "x", "email": "a@example.org\r\nBcc: all@example.org"})
    assert smuggled.status_code == 422 and "not one address" in smuggled.json()["error"]
    saved_id = client.get("/api/saved").json()[0]["id"]
    feed = ET.fromstring(client.get(f"/saved/{saved_id}/feed.atom").text)
    atom = "{http://www.w3.org/2005/Atom}"
    alternate = next(x.get("href") for x in feed.iter(f"{atom}link") if x.get("rel") == "alternate")
    opened = client.get(alternate.removeprefix(LOCAL))  # type: ignore[union-attr]
    assert opened.status_code == 200 and total_on(opened.text) == filtered

    # delete from the page: its form carries the CSRF token; without it, nothing is deleted
    action = re.search(r'<form method="post" action="(/saved/\d+/delete)"', page).group(1)  # type: ignore[union-attr]
    assert client.post(action, data={}).status_code == 403
    assert len(client.get("/api/saved").json()) == 1
    gone = client.post(action, data={"csrf": csrf})
    assert gone.status_code == 200 and "none yet" in gone.text
    assert client.get("/api/saved").json() == [] and client.get(f"/saved/{saved_id}").status_code == 404
