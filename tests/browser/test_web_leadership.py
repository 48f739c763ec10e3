"""The leadership dashboard in a browser: its charts are drawn, each bar tells the articles behind it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive

from ..leadership_fixtures import DISPATCHES, register, write_jsonl
from .conftest import serving


@pytest.fixture(scope="module")
def leadership_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("leadership")
    db = str(folder / "archive.sqlite")
    with pytest.MonkeyPatch.context() as patch:
        steps = register(patch)
        with Archive(db) as archive:
            archive.ingest([write_jsonl(folder / "d.jsonl", DISPATCHES)], workers=1, steps=steps)
    with serving(db) as url:
        yield url


def test_the_leadership_dashboard_draws_its_charts(leadership_server: str, page: Any) -> None:
    page.goto(leadership_server + "/")
    page.click("header a[href='/leadership']")
    page.wait_for_selector("svg.chart.stacked")
    chart = page.locator("svg.chart.stacked:visible")  # the wide drawing on a desktop; the phone's is hidden
    assert chart.count() == 1 and page.locator("svg.chart.stacked").count() == 2
    bars = chart.locator("g.bar")
    assert bars.count() > 12 and chart.locator("g.bar rect").count() == 8  # one per kind in a month
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    assert chart.locator("text.articles").count() == 7  # the months with an appearance
    assert page.locator("svg.chart.heat g.cell").count() > 4
    page.click("#officials a >> text=Hwang Pyong So")
    page.wait_for_selector("svg.chart.ranks circle")
    assert "Hwang Pyong So" in page.inner_text("h2")
