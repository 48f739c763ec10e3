from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.web.app import create_app

from .conftest import EXAMPLES


def client_for(db: str) -> TestClient:
    return TestClient(create_app(db))


def test_search_page_has_a_box_and_results(db: str) -> None:
    with Archive(db) as archive:
        archive.ingest([EXAMPLES], workers=1)
    client = client_for(db)
    page = client.get("/")
    assert page.status_code == 200 and '<input type="search" name="q"' in page.text
    page = client.get("/", params={"q": "prosperous powerful"})
    assert "International Support and Solidarity" in page.text
    assert "<mark>prosperous</mark>" in page.text
    hits = client.get("/api/search", params={"q": "Japan", "genre": "relayed_article"}).json()
    assert hits["total"] == 1
    article = client.get(f"/articles/{hits['hits'][0]['id']}")
    assert article.status_code == 200 and "Minju Joson" in article.text
    assert client.get("/api/articles/99999").status_code == 404
    bad = client.get("/", params={"q": '"unclosed'})
    assert bad.status_code == 200 and "unclosed quote" in bad.text


def test_article_text_is_escaped(db: str, tmp_path: Path) -> None:
    record = {
        "id": "x1",
        "source": "test",
        "title": "<script>alert(1)</script> Title",
        "body": 'Body with <img src=x onerror="alert(2)"> and <a href="javascript:alert(3)">link</a>.',
    }
    (tmp_path / "x.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    with Archive(db) as archive:
        archive.ingest([tmp_path / "x.jsonl"], workers=1)
    client = client_for(db)
    page = client.get("/", params={"q": "Title"})
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    article = client.get("/articles/1")
    assert "<img src=x" not in article.text and 'href="javascript:' not in article.text
    assert "&lt;img" in article.text
