"""web/app.py: what a wrong address answers (the site's own error page, or one line of JSON, never FastAPI's
bare {"detail": ...}), and the icon every page names (no console error for a missing favicon)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.web.app import create_app

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    db = str(tmp_path / "a.sqlite")
    with Archive(db):
        pass
    return TestClient(create_app(db), base_url="http://127.0.0.1")


@pytest.mark.parametrize("path", ["/articles/abc", "/articles/abc/history", "/no/such/page"])
def test_a_wrong_address_answers_the_site_s_error_page(client: TestClient, path: str) -> None:
    page = client.get(path, headers=BROWSER)
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert '<a class="brand" href="/">propscope</a>' in page.text  # the site's own layout
    message = re.search(r'<p class="error">(.*?)</p>', page.text)
    assert message and f"no page at {path}" in message.group(1) and "Input should be" not in message.group(1)


@pytest.mark.parametrize("path", ["/api/articles/abc", "/api/articles/abc/diff", "/api/nope", "/articles/abc"])
def test_an_api_client_gets_one_line_of_json(client: TestClient, path: str) -> None:
    answer = client.get(path, headers={"accept": "application/json"})
    assert answer.status_code == 404 and list(answer.json()) == ["error"]
    assert "\n" not in answer.json()["error"] and answer.json()["error"].startswith(f"no page at {path}")
    if "abc" in path:
        assert "article_id 'abc' is not a number" in answer.json()["error"]


def test_a_method_a_path_does_not_take_is_one_line_with_its_allow_header(client: TestClient) -> None:
    answer = client.delete("/api/search")
    assert answer.status_code == 405 and list(answer.json()) == ["error"] and "GET" in answer.headers["allow"]


def test_every_page_names_an_icon_that_is_served(client: TestClient) -> None:
    for path in ("/", "/dashboard", "/saved", "/articles/99"):
        page = client.get(path, headers=BROWSER)
        icon = re.search(r'<link rel="icon" href="([^"]+)"', page.text)
        assert icon, path
        served = client.get(icon.group(1))
        assert served.status_code == 200 and served.headers["content-type"].startswith("image/svg+xml")
        assert "img-src 'self'" in page.headers["content-security-policy"]
    # what a browser asks for whatever the page names
    assert client.get("/favicon.ico").status_code == 200
