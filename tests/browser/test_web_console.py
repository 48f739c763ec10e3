"""Each main page in a real browser logs no console error and has no request fail: the icon, the style sheet
and the script are served, and nothing the page loads breaks the security policy (a refused inline style or
script is a console error too)."""

from __future__ import annotations

from typing import Any

import pytest

PAGES = {
    "search": "/?q=reactionaries",
    "article": "/articles/1",
    "dashboard": "/dashboard?country=US",
    "saved": "/saved",
    "leadership": "/leadership",
    "digest": "/digest",
    "history": "/articles/1/history",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_a_page_logs_no_console_error_and_no_request_fails(server: str, browser: Any, name: str) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        failed: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("requestfailed", lambda request: failed.append(f"{request.url}: {request.failure}"))
        page.on(
            "response",
            lambda response: failed.append(f"{response.url}: {response.status}") if response.status >= 400 else None,
        )
        answer = page.goto(server + PAGES[name])
        assert answer is not None and answer.status == 200, f"{PAGES[name]} answered {answer and answer.status}"
        page.wait_for_load_state("networkidle")
        requested = page.evaluate("performance.getEntriesByType('resource').map(r => r.name)")
        if name != "digest":  # the digest is a page to mail too: its style is inline, allowed by its hash
            assert any(url.endswith("/static/style.css") for url in requested)
        assert not errors, f"{PAGES[name]} logged console errors: {errors}"
        assert not failed, f"{PAGES[name]} had requests fail: {failed}"
    finally:
        context.close()


def test_the_icon_is_asked_for_and_served(server: str, browser: Any) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        icons: list[int] = []
        page.on("response", lambda response: icons.append(response.status) if "favicon" in response.url else None)
        page.goto(server + "/")
        page.wait_for_load_state("networkidle")
        assert page.locator("link[rel=icon]").get_attribute("href") == "/static/favicon.svg"
        assert icons and all(status == 200 for status in icons), icons
    finally:
        context.close()
