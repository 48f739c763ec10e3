"""The guards in a real browser: the pages work under their Content-Security-Policy, the save form (its CSRF
token, its same-origin POST) works, and a page of another origin cannot write."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit


def violations(page: Any) -> list[str]:
    found: list[str] = []
    page.on(
        "console", lambda message: found.append(message.text) if "Content Security Policy" in message.text else None
    )
    return found


def test_the_pages_break_no_rule_of_their_policy(server: str, page: Any) -> None:
    seen = violations(page)
    for path in ("/", "/?q=talks", "/articles/1", "/articles/1/history", "/dashboard", "/saved", "/digest"):
        page.goto(server + path)
        page.wait_for_load_state("load")
    assert seen == []
    page.goto(server + "/articles/1")
    assert page.locator("input[data-layer]").count() > 0  # app.js ran: the layers were applied
    assert page.evaluate("document.body.className").count("show-") > 0


def test_saving_a_search_through_the_form_works(server: str, page: Any) -> None:
    page.goto(server + "/?q=talks")
    page.fill("#save-search input[name=name]", "talks in the browser")
    with page.expect_navigation():
        page.click("#save-search button[type=submit]")
    assert urlsplit(page.url).path == "/saved"
    assert "talks in the browser" in page.content()


def test_a_page_of_another_origin_cannot_write(server: str, page: Any) -> None:
    record = '{"id": "evil", "title": "Planted", "body": "Pyongyang (KCNA) -- planted.", "x": "'
    form = (
        f'<form id="f" method="post" enctype="text/plain" action="{server}/api/ingest">'
        f"<input name='{record}' value='\"}}'></form>"
    )
    page.route("http://attacker.test/", lambda route: route.fulfill(body=form, content_type="text/html"))
    page.goto("http://attacker.test/")
    with page.expect_navigation(url="**/api/ingest") as caught:
        page.evaluate("document.getElementById('f').submit()")
    assert caught.value.status == 403
    page.goto(server + "/api/search?q=planted")
    assert json.loads(page.inner_text("body"))["total"] == 0
