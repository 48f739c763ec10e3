"""The web UI in a browser: search, a facet click, a highlight toggle, the diff view, a chart, escaping."""

from __future__ import annotations

from typing import Any


def test_search_and_a_facet_click(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.fill("input[name=q]", "reactionaries")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector("article.hit")
    assert "6 stories match" in page.inner_text("#total")
    assert page.locator("mark").first.inner_text().lower() == "reactionaries"
    page.click("ul[data-facet=genre] a >> nth=0")
    page.wait_for_url("**genre=**")
    assert page.locator("ul[data-facet=genre] a.on").count() == 1
    page.locator("#histogram svg a").first.click()
    page.wait_for_url("**since=2015**")
    assert "2 stories" in page.inner_text("#total")


def test_highlight_toggle(server: str, page: Any) -> None:
    page.goto(server + "/articles/1")
    epithet = page.locator(".hl-epithet:not(.hl-entity)").first
    coloured = epithet.evaluate("e => getComputedStyle(e).backgroundColor")
    assert coloured not in ("rgba(0, 0, 0, 0)", "transparent")
    page.uncheck("input[data-layer=epithet]")
    cleared = epithet.evaluate("e => getComputedStyle(e).backgroundColor")
    assert cleared in ("rgba(0, 0, 0, 0)", "transparent")
    page.check("input[data-layer=epithet]")
    assert epithet.evaluate("e => getComputedStyle(e).backgroundColor") == coloured


def test_diff_view(server: str, page: Any) -> None:
    page.goto(server + "/articles/1")
    page.click("#history-link")
    page.wait_for_selector(".diff-block")
    assert page.locator(".diff del").first.inner_text() == "0."
    assert page.locator(".diff ins").first.inner_text() == "zero."
    assert page.get_attribute(".diff-block", "data-change") == "minor"


def test_dashboard_draws_charts(server: str, page: Any) -> None:
    page.goto(server + "/dashboard?country=JP")
    page.wait_for_selector("svg.chart")
    assert page.locator("svg.chart").count() >= 3
    assert page.locator("svg.chart.line circle").count() >= 3
    box = page.locator("svg.chart").first.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 20


def test_hostile_markup_is_shown_as_text(server: str, page: Any) -> None:
    page.goto(server + "/?q=markup")
    page.wait_for_selector("article.hit")
    assert page.locator("article.hit h3").inner_text() == "<b>Hostile</b> markup"
    page.click("article.hit h3 a")
    page.wait_for_selector("#text")
    text = page.inner_text("#text")
    assert '<script>window.pwned = 1; alert("x")</script>' in text and 'onerror="window.pwned = 2"' in text
    assert page.locator("#text a, #text img, #text script").count() == 0
    assert page.evaluate("window.pwned") is None and page.dialogs == []
