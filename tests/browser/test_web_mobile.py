"""Every page at a phone's width (390 px) and a desktop's (1280 px), on an archive of long names, long URLs and
wide tables: nothing scrolls sideways, the search's first hit comes before its facets on the phone (the facets
wait behind a button), and a screenshot of each page at each width is kept under the test's tmp path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from propscope.archive import Archive
from propscope.model import SearchFilters

from ..leadership_fixtures import DISPATCHES, register, write_jsonl
from .conftest import serving

LONG_URL = (
    "http://www.kcna.co.jp/item/2017/201709/news15/20170915-01ee.html?utm_source=rss&utm_medium=feed"
    "&utm_campaign=DemocraticPeoplesRepublicOfKoreaSocialistPartyOfBeninSolidarityCommittee"
)
LONG_WORD = "Anti-imperialist-anti-U.S.-joint-struggle-solidarity-committee-for-independent-reunification"
LONG_TITLE = (
    "Supreme Leader Kim Jong Un Receives Congratulatory Message from the Chairman of the Central Committee of"
    f" the Socialist Party of Benin and the {LONG_WORD}"
)
SOURCE = "kcna.co.jp-archive-of-the-korean-central-news-agency-mirror"


TOPICS = (
    "a delegation of the Korean Committee for Solidarity with the World People visited Cotonou and Porto-Novo",
    "the Central Committee of the Socialist Party of Benin issued a statement denouncing the joint military drills",
    "a seminar on the Juche idea took place at the Abomey-Calavi University with the participation of scholars",
    "the Japanese reactionaries were accused of distorting the history of the Korean people's anti-Japanese war",
    "a photo exhibition on the Songun politics opened at the Palais des Congres with the ambassador present",
    "the U.S. imperialists were condemned for the deployment of strategic bombers over the Korean peninsula",
)


def _records() -> list[dict[str, Any]]:
    return [
        {
            "id": f"long{i}",
            "source": SOURCE,
            "date": f"2017-09-{10 + i}",
            "url": f"{LONG_URL}&n={i}",
            "title": f"{LONG_TITLE} ({i})",
            "body": f"Pyongyang, September {10 + i} (KCNA) -- {topic.capitalize()}. The Chairman, Sebastien"
            f" Ajavon-Hounkpatin-Kossou-Dossou-Agbodjogbe, said that {TOPICS[i - 1]}. The reactionaries and the"
            f" imperialists, sworn enemies, were denounced; see {LONG_URL}&n={i} . The {LONG_WORD} supported the"
            " DPRK. Choe Ryong Hae, Hwang Pyong So, Pak Pong Ju, Ri Myong Su and Kim Yo Jong were present.",
        }
        for i, topic in enumerate(TOPICS)
    ]


PAGES = {
    "search": "/?q=reactionaries",
    "empty-search": "/",
    "article": "/articles/1",
    "history": "/articles/1/history",
    "dashboard": "/dashboard?country=US",
    "leadership": "/leadership?compare_with=2008:2013",
    "official": "/officials/" + quote("Hwang Pyong So"),
    "saved": "/saved",
    "digest": "/digest",
    "error": "/articles/99999",
}
WIDTHS = (390, 1280)


@pytest.fixture(scope="module")
def wide_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("mobile")
    db = str(folder / "archive.sqlite")
    with Archive(db) as archive:
        archive.save_search(
            "Anti-US rhetoric around the Hwasong-15 launch and the Socialist Party of Benin's solidarity messages",
            'reactionaries AND "sworn enemies" AND imperialists',
            SearchFilters(since="2017-01-01", until="2017-12-31", countries=("US", "JP", "BJ"), sources=(SOURCE,)),
            None,
            "korea-desk-analysts-distribution-list@research-institute-for-northeast-asian-studies.example.org",
        )
        archive.save_search("reactionaries", "reactionaries")
        records = _records()
        archive.ingest([write_jsonl(folder / "long.jsonl", records)], workers=1)
        edited = dict(records[0], body=records[0]["body"].replace("sworn enemies", f"sworn enemies ({LONG_WORD})"))
        archive.ingest([write_jsonl(folder / "edited.jsonl", [edited])], workers=1)
    with pytest.MonkeyPatch.context() as patch:
        steps = register(patch)
        with Archive(db) as archive:
            archive.ingest([write_jsonl(folder / "d.jsonl", DISPATCHES)], workers=1, steps=steps)
    with Archive(db) as archive:  # saved after the last ingest: its webhook is never called
        archive.save_search(
            "Joint military drills, strategic bombers and the Korean Committee for Solidarity with the World People",
            "drills OR bombers",
            SearchFilters(countries=("US", "KR"), langs=("en",)),
            "https://hooks.example-analytics-institute.org/services/T0000000000/B0000000000/XXXXXXXXXXXXXXXXXXXXXXXX",
        )
    with serving(db) as url:
        yield url


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots at 390 and 1280 px: {folder}")
    return folder


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(PAGES))
def test_no_page_scrolls_sideways(wide_server: str, browser: Any, shots: Path, name: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 844 if width < 600 else 900})
    try:
        page = context.new_page()
        page.goto(wide_server + PAGES[name])
        page.wait_for_load_state("load")
        page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{PAGES[name]} at {width} px is {scroll} px wide: it scrolls sideways"
        if name == "search":
            assert page.locator("article.hit").count() >= 3
    finally:
        context.close()


def test_the_first_hit_comes_before_the_facets_on_a_phone(wide_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(wide_server + PAGES["search"])
        hit = page.locator("article.hit").first.bounding_box()
        facets = page.locator("aside.facets").bounding_box()
        assert hit is not None and facets is not None
        assert hit["y"] + hit["height"] <= facets["y"], f"first hit at {hit['y']} px, facets at {facets['y']} px"
        assert hit["y"] < 844, f"the first hit sits {hit['y']:.0f} px down, below the first screen"
        link = page.locator("ul[data-facet=genre] a").first
        assert not link.is_visible(), "the facets should wait behind their button on a phone"
        page.locator("aside.facets summary").click()
        assert link.is_visible()
        link.click()
        page.wait_for_url("**genre=**")
    finally:
        context.close()


def test_the_facets_are_open_on_a_desktop(wide_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(wide_server + PAGES["search"])
        assert page.locator("ul[data-facet=genre] a").first.is_visible()
        assert not page.locator("aside.facets summary").is_visible()
        hit = page.locator("article.hit").first.bounding_box()
        facets = page.locator("aside.facets").bounding_box()
        assert hit is not None and facets is not None and facets["x"] + facets["width"] <= hit["x"]
    finally:
        context.close()


CHART_PAGES = ("search", "dashboard", "leadership", "official")
LEGIBLE_PX = 10  # the least effective size of a chart's text on a phone, after the chart is scaled to its box

# each shown text of each chart: its words, and its size on the screen (the font size times the chart's scale)
TEXT_SIZES = """() => [...document.querySelectorAll('svg.chart text')].filter(t => t.getClientRects().length).map(t => {
  const m = t.getScreenCTM();
  return [t.textContent, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b)];
})"""


@pytest.mark.parametrize("viewport", ((390, 844), (801, 900), (1000, 900), (1280, 900)))
@pytest.mark.parametrize("name", CHART_PAGES)
def test_chart_text_stays_legible_on_every_screen(
    wide_server: str, browser: Any, name: str, viewport: tuple[int, int]
) -> None:
    """On a phone every chart shrinks to its card; from 1000 px the full-width charts are drawn wide
    (web/svg.py), and shrink most there: legible at each."""
    width, height = viewport
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(wide_server + PAGES[name])
        sizes = page.evaluate(TEXT_SIZES)
        assert sizes, f"{PAGES[name]} draws no chart text"
        small = [(text, round(size, 1)) for text, size in sizes if size < LEGIBLE_PX]
        assert not small, f"{PAGES[name]} at {width} px shrinks chart text below {LEGIBLE_PX} px: {small[:8]}"
    finally:
        context.close()


# each shown chart but the heat map (a square, as large as its names need): its width, and its box's inside
CHART_WIDTHS = """() => [...document.querySelectorAll('svg.chart:not(.heat)')].filter(s => s.getClientRects().length)
  .map(s => {
    const box = s.closest('.card') || s.closest('section'), style = getComputedStyle(box);
    const inside = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return [box.id || box.className, s.getAttribute('class'), s.getBoundingClientRect().width, inside];
  })"""


@pytest.mark.parametrize("name", CHART_PAGES)
def test_charts_fill_their_cards_on_a_desktop(wide_server: str, browser: Any, name: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(wide_server + PAGES[name])
        charts = page.evaluate(CHART_WIDTHS)
        assert charts, f"{PAGES[name]} shows no chart"
        for box, kind, width, inside in charts:
            assert width >= 0.9 * inside, f"{kind} in #{box} on {PAGES[name]}: {width:.0f} px of {inside:.0f}"
    finally:
        context.close()


@pytest.mark.parametrize("name", ("leadership", "official", "dashboard"))
def test_charts_scale_to_their_cards_on_a_phone(wide_server: str, browser: Any, name: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(wide_server + PAGES[name])
        cards = page.evaluate(
            """() => [...document.querySelectorAll('.card')].filter(c => c.querySelector('svg.chart')).map(c => {
              const svg = c.querySelector('svg.chart').getBoundingClientRect(), box = c.getBoundingClientRect();
              return [c.id, c.scrollWidth - c.clientWidth, svg.right - box.right];
            })"""
        )
        assert cards, f"{PAGES[name]} has no chart in a card"
        for card, overflow, past in cards:
            assert overflow <= 0 and past <= 0, f"#{card} on {PAGES[name]} scrolls sideways by {overflow} px"
    finally:
        context.close()


def test_the_facets_stay_open_on_a_phone_once_opened(wide_server: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(wide_server + PAGES["search"])
        assert page.locator("#facets").get_attribute("open") is None  # folded on a first visit
        page.locator("#facets summary").click()
        page.locator("ul[data-facet=genre] a").first.click()
        page.wait_for_url("**genre=**")
        link = page.locator("ul[data-facet=source] a").first
        assert link.is_visible(), "the facets folded again after a facet was chosen"
        link.click()
        page.wait_for_url("**source=**")
        assert page.locator("#facets").get_attribute("open") is not None
        page.locator("#facets summary").click()  # folded by the user: folded on the next page too
        # the toggle event, which stores the choice, is queued after the click: wait for it before leaving
        page.wait_for_function("() => sessionStorage.getItem('propscope-facets-open') === '0'")
        page.goto(wide_server + PAGES["search"])
        assert not page.locator("ul[data-facet=genre] a").first.is_visible()
    finally:
        context.close()
