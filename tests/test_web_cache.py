"""The server's response cache (web/cache.py): repeated reads answered from it, never an answer older than the
archive, conditional requests, and the guard still first."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.store import sqlite_pool
from propscope.web.app import create_app
from propscope.web.cache import Entry, ResponseCache, etag_of, matches

pytestmark = pytest.mark.engines

LOCAL = "http://127.0.0.1"


def records(tmp_path: Path, name: str, *bodies: str) -> Path:
    path = tmp_path / f"{name}.jsonl"
    lines = [
        {"id": f"{name}-{i}", "source": "test", "title": f"Dispatch {name} {i}", "body": body}
        for i, body in enumerate(bodies)
    ]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def ingest(db: str, path: Path) -> None:
    with Archive(db) as archive:
        archive.ingest([path], workers=1)


def test_a_repeated_search_is_answered_the_same_and_a_write_is_seen_at_once(db: str, tmp_path: Path) -> None:
    ingest(db, records(tmp_path, "a", "Pyongyang, May 2 (KCNA) -- Farmers of the cooperative farm sowed maize."))
    client = TestClient(create_app(db), base_url=LOCAL)
    first = client.get("/api/search", params={"q": "maize"})
    again = client.get("/api/search", params={"q": "maize"})
    assert first.status_code == again.status_code == 200
    assert first.json()["total"] == again.json()["total"] == 1
    assert first.headers["etag"] == again.headers["etag"] and again.headers["cache-control"] == "no-cache"
    ingest(db, records(tmp_path, "b", "Pyongyang, May 3 (KCNA) -- The maize harvest of the county was good."))
    after = client.get("/api/search", params={"q": "maize"})
    assert after.json()["total"] == 2  # the cached answer went with the commit
    assert after.headers["etag"] != first.headers["etag"]


def test_if_none_match_gets_304_until_the_archive_changes(db: str, tmp_path: Path) -> None:
    ingest(db, records(tmp_path, "a", "Pyongyang, May 2 (KCNA) -- A meeting on wheat sowing was held."))
    client = TestClient(create_app(db), base_url=LOCAL)
    tag = client.get("/", params={"q": "wheat"}).headers["etag"]
    unchanged = client.get("/", params={"q": "wheat"}, headers={"If-None-Match": f'W/{tag}, "other"'})
    assert unchanged.status_code == 304 and unchanged.content == b"" and unchanged.headers["etag"] == tag
    ingest(db, records(tmp_path, "b", "Pyongyang, May 4 (KCNA) -- Wheat was sown on time."))
    changed = client.get("/", params={"q": "wheat"}, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag and "Dispatch b 0" in changed.text


def test_errors_are_not_kept_and_the_guard_comes_before_the_cache(db: str, tmp_path: Path) -> None:
    ingest(db, records(tmp_path, "a", "Pyongyang, May 2 (KCNA) -- Rice transplanting began."))
    client = TestClient(create_app(db), base_url=LOCAL)
    bad = client.get("/api/search", params={"country": "Atlantis"})
    assert bad.status_code == 422 and "etag" not in bad.headers
    assert client.get("/api/search", params={"country": "Atlantis"}).status_code == 422
    assert client.get("/api/search", params={"q": "rice"}).status_code == 200  # now cached
    rebound = TestClient(create_app(db), base_url="http://attacker.example")
    refused = rebound.get("/api/search", params={"q": "rice"})
    assert refused.status_code == 400 and "etag" not in refused.headers


def test_head_is_answered_without_a_body(db: str, tmp_path: Path) -> None:
    ingest(db, records(tmp_path, "a", "Pyongyang, May 2 (KCNA) -- Potato planting began."))
    client = TestClient(create_app(db), base_url=LOCAL)
    client.get("/api/search", params={"q": "potato"})
    head = client.head("/api/search", params={"q": "potato"})
    assert head.status_code == 200 and head.content == b"" and "etag" in head.headers


def test_a_new_archive_at_the_same_path_is_never_answered_from_the_old(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    ingest(db, records(tmp_path, "a", "Pyongyang, May 2 (KCNA) -- Barley was harvested."))
    client = TestClient(create_app(db), base_url=LOCAL)
    assert client.get("/api/search", params={"q": "barley"}).json()["total"] == 1
    for leftover in tmp_path.glob("a.sqlite*"):
        leftover.unlink()
    ingest(db, records(tmp_path, "b", "Pyongyang, May 5 (KCNA) -- Soybeans were sown."))
    assert client.get("/api/search", params={"q": "barley"}).json()["total"] == 0
    sqlite_pool.close_all()


def test_the_cache_is_bounded_and_emptied_by_a_new_version() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=10)
    entry = Entry(200, [], b"12345", etag_of(b"12345"))
    cache.get(1, ("/", b""))
    cache.put(1, ("/", b"a"), entry)
    cache.put(1, ("/", b"b"), entry)
    cache.put(1, ("/", b"c"), entry)  # over both bounds: the oldest goes
    assert cache.get(1, ("/", b"a")) is None and cache.get(1, ("/", b"c")) == entry
    cache.put(1, ("/", b"d"), Entry(200, [], b"x" * 11, b'"x"'))  # larger than all: nothing stays
    assert cache.size <= 10
    assert cache.get(2, ("/", b"c")) is None and not cache.entries
    cache.put(1, ("/", b"e"), entry)  # made under the old version: not kept
    assert not cache.entries


def test_if_none_match_forms() -> None:
    tag = etag_of(b"body")
    assert matches(tag, tag) and matches(b"W/" + tag, tag) and matches(b'"a", ' + tag, tag) and matches(b"*", tag)
    assert not matches(b'"a"', tag)
