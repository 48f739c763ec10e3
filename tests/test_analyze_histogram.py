"""The search page's histogram: the bucket follows the range, empty periods are gaps, and a bar narrows."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from propscope.analyze.histogram import choose_period, histogram
from propscope.archive import Archive
from propscope.choices import Period
from propscope.web.app import create_app


def test_the_bucket_follows_the_range() -> None:
    assert choose_period("2017-05-01", "2017-05-31") is Period.DAY
    assert choose_period("2017-05-01", "2017-10-02") is Period.MONTH
    assert choose_period("2006-01-04", "2017-12-30") is Period.YEAR
    assert [b.period for b in histogram([("2017-05-03", 2), ("2017-05-05", 1)])] == [
        "2017-05-03", "2017-05-04", "2017-05-05",
    ]  # fmt: skip


def test_an_empty_period_is_a_bar_of_nothing_that_leads_nowhere() -> None:
    bars = histogram([("2006-03-01", 4), ("2009-07-07", 1)])
    assert [(b.period, b.count) for b in bars] == [("2006", 4), ("2007", 0), ("2008", 0), ("2009", 1)]
    assert bars[1].since is None and bars[0].since == bars[0].until == "2006"


def test_a_bar_never_widens_the_dates_searched() -> None:
    """A search from 2017-05-10 to 2018-02 by month: May's bar starts on the 10th, February's ends in February."""
    bars = histogram([("2017-05-12", 3), ("2017-09-01", 1), ("2018-02-27", 2)], since="2017-05-10", until="2018-02")
    assert (bars[0].since, bars[0].until) == ("2017-05-10", "2017-05")
    assert (bars[-1].since, bars[-1].until) == ("2018-02", "2018-02")
    assert len(bars) == 10 and all(b.since is None for b in bars if not b.count)


LOCAL = "http://127.0.0.1"
BODIES = [
    "Farmers of Sukchon County started transplanting rice on the cooperative fields early this spring.",
    "A new hydroelectric power station went into operation in the northern mountains after two years of work.",
    "Students of Kim Chaek University of Technology won first place in the national programming contest.",
    "The State Symphony Orchestra gave a concert of classical pieces at the Moranbong Theatre on Sunday.",
    "Fishermen of the east coast landed a record catch of sardines despite the rough winter weather.",
]
DATES = ["2016-11-20", "2017-05-03", "2017-05-20", "2017-05-21", "2017-06-02"]


def test_a_one_month_search_shows_days_and_each_bar_narrows_it(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"h{i}", "source": "test", "date": d, "title": f"Report {i}", "body": f"{b} Rice {i}."})
            + "\n"
            for i, (d, b) in enumerate(zip(DATES, BODIES, strict=True))
        ),
        encoding="utf-8",
    )
    db = str(tmp_path / "a.sqlite")
    with Archive(db) as archive:
        archive.ingest([path], workers=1)
    client = TestClient(create_app(db), base_url=LOCAL)
    searched = {"q": "rice", "since": "2017-05", "until": "2017-05"}
    assert client.get("/api/search", params=searched).json()["total"] == 3
    page = client.get("/", params=searched).text
    chart = page[page.index('<div id="histogram">') :]
    chart = chart[: chart.index("</svg>")]
    links = [html.unescape(h) for h in re.findall(r'<a href="([^"]+)"><rect', chart)]
    assert len(re.findall(r"<rect", chart)) == 19  # May 3 to May 21, by day: the empty days are drawn too
    assert len(links) == 3
    for link in links:
        query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
        assert query["since"] == query["until"] and query["since"].startswith("2017-05-")
        assert client.get("/api/search", params=query).json()["total"] == 1  # narrower than the search's 3
