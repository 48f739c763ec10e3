"""Bounded work per request (issue 14, point 5), each test written as the attack: a query too big to run,
parameters out of range, bodies too large, a query past its time budget or whose client left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.web.app import create_app

LOCAL = "http://127.0.0.1"


@pytest.fixture
def archive_db(tmp_path: Path) -> str:
    db = str(tmp_path / "archive.sqlite")
    records = [
        {
            "id": f"r{i}",
            "source": "test",
            "date": f"2017-03-0{i + 1}",
            "title": f"Report {i}",
            "body": f"Pyongyang, March {i + 1} (KCNA) -- The farmers of county {i} started transplanting rice.",
        }
        for i in range(3)
    ]
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([tmp_path / "r.jsonl"], workers=1)
    return db


def client_for(db: str) -> TestClient:
    return TestClient(create_app(db), base_url=LOCAL)


def test_the_400_or_term_url_is_refused_at_once(archive_db: str) -> None:
    client = client_for(archive_db)
    query = " OR ".join(f'"rice{i}" OR farm{i}*' for i in range(200))
    answer = client.get("/api/search", params={"q": query})
    assert answer.status_code == 400 and "over the limit of 1,000" in answer.json()["error"]
    assert "over the limit of 1,000" in client.get("/", params={"q": query}).text  # the page says why
    many = " OR ".join(f"farm{i}" for i in range(100))  # under 1,000 characters, over 64 terms
    answer = client.get("/api/search", params={"q": many})
    assert answer.status_code == 400 and "over the limit of 64" in answer.json()["error"]
