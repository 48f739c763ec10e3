"""The leadership commands (cli/leadership.py) and their charts (`propscope chart appearances|official-positions|
companions`, analyze/leadership_charts.py) over the hand-labelled dispatches of leadership_fixtures.py: what
each prints in every format, the charts written as real PNG and SVG files with the articles behind each point,
and the usage errors (exit 2) and unknown names (exit 1) as one line."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from propscope.analyze.leadership_series import companion_matrix, compare_period, kind_bars, monthly_positions
from propscope.archive import Archive
from propscope.choices import AppearanceKind
from propscope.errors import UsageError
from propscope.results import APPEARANCE_KINDS, AppearanceCounts, AppearancePeriod, AppearanceRow, ListPosition

from .cli_runner import run
from .leadership_fixtures import DISPATCHES, LATER_MESSAGE, MUSHROOM_EDITED, register, write_jsonl

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def archive_db(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fixtures' dispatches, then the mushroom farm's second version (Jang Song Thaek dropped from it)."""
    steps = register(monkeypatch)
    with Archive(db) as archive:
        archive.ingest([write_jsonl(tmp_path / "d.jsonl", DISPATCHES)], workers=1, steps=steps)
        archive.ingest([write_jsonl(tmp_path / "e.jsonl", [MUSHROOM_EDITED])], workers=1, steps=steps)
    return db


def jsonl(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.engines
def test_appearances_listed_filtered_and_in_every_format(archive_db: str) -> None:
    code, out, _ = run("appearances", "--db", archive_db, "--format", "jsonl")
    rows = jsonl(out)
    assert code == 0 and len(rows) == 8 and [r["date"] for r in rows] == sorted(str(r["date"]) for r in rows)
    farm = next(r for r in rows if r["place"] == "Sukchon Farm")
    assert farm["accompanied_by"] == ["Choe Ryong Hae", "Hwang Pyong So", "Kim Yo Jong"]  # the text's order
    assert farm["greeted_by"] == ["Ri Chol Man"]
    code, out, _ = run("appearances", "--db", archive_db, "--with", "Kim Yo Jong", "--format", "jsonl")
    assert [r["place"] for r in jsonl(out)] == ["Sukchon Farm", "Wisong Scientists Residential District"]
    code, out, _ = run(
        "appearances", "--db", archive_db, "--leader", "Kim Jong Il", "--kind", "culture", "--format", "csv"
    )
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["place"] == "May Day Stadium" and row["date"] == "2008-10-03"  # the event's day
    assert row["accompanied_by"] == "Jang Song Thaek; Hyon Chol Hae"
    code, out, _ = run("appearances", "--db", archive_db, "--since", "2014-10", "--until", "2014-10")
    assert code == 0 and out.startswith("2 appearances") and "culture" in out and "Sukchon" not in out


@pytest.mark.engines
def test_appearances_counted_by_period_with_the_articles_behind(archive_db: str) -> None:
    code, out, _ = run("appearances", "--db", archive_db, "--by", "year", "--format", "jsonl")
    years = {r["period"]: r for r in jsonl(out)}
    assert code == 0 and set(years) == {"2008", "2012", "2013", "2014"}
    assert (years["2014"]["appearances"], years["2014"]["articles"], years["2014"]["culture"]) == (4, 3, 1)
    code, out, _ = run("appearances", "--db", archive_db, "--by", "month", "--leader", "Kim Jong Un")
    assert code == 0 and "2014-10" in out and "2008" not in out
    code, _, err = run("appearances", "--db", archive_db, "--by", "year", "--kind", "economy")
    assert code == 2 and "--kind" in err and len(err.strip().splitlines()) == 1


@pytest.mark.engines
def test_an_official_in_text_and_json_and_an_unknown_one_in_one_line(archive_db: str) -> None:
    code, out, _ = run("official", "Hwang Pyong So", "--db", archive_db)
    words = set(out.split())  # the terminal is 80 columns wide: a long title wraps within its cell
    assert code == 0 and {"director", "General", "Political", "Bureau"} <= words
    assert "Choe Ryong Hae" in out and "present" in words  # a companion, and a protocol list's place
    code, out, _ = run("official", "kim yo-jong", "--db", archive_db, "--format", "json")
    profile = json.loads(out)
    assert code == 0 and profile["name"] == "Kim Yo Jong" and set(profile["variants"]) == {"Kim Yo Jong", "Kim Yo-jong"}
    with Archive(archive_db, readonly=True) as archive:
        assert profile == json.loads(json.dumps(archive.official("Kim Yo Jong").to_json()))
    code, out, err = run("official", "Choe Ryong Hai", "--db", archive_db)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1
    assert "Choe Ryong Hai" in err and "Choe Ryong Hae" in err and "Traceback" not in err


@pytest.mark.engines
def test_officials_ranked_with_rises_and_falls_between_two_periods(archive_db: str) -> None:
    code, out, _ = run("officials", "--db", archive_db, "--since", "2014", "--compare-with", "2012:2013", "-f", "jsonl")
    ranked = {r["name"]: r for r in jsonl(out)}
    assert code == 0 and ranked["Hwang Pyong So"]["appearances"] == 3
    assert ranked["Jang Song Thaek"]["appearances_change"] == -1 and ranked["Jang Song Thaek"]["appearances"] == 0
    code, out, _ = run("officials", "--db", archive_db, "--since", "2014", "--compare-with", "2012:2013")
    fell = next(line for line in out.splitlines() if line.startswith("fell"))
    assert code == 0 and "Jang Song Thaek (-1)" in fell  # the mushroom farm's latest version dropped him
    code, out, _ = run("officials", "--db", archive_db, "--format", "csv", "--limit", "2")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 2


@pytest.mark.engines
def test_absences_gaps_vanished_and_dropped_names(archive_db: str) -> None:
    code, out, _ = run(
        "absences", "--db", archive_db, "--leader", "Kim Jong Un", "--min-days", "40", "--format", "jsonl"
    )
    found = jsonl(out)
    gaps = [(f["last_before"], f["first_after"], f["days"]) for f in found if f["finding"] == "gap"]
    assert code == 0 and ("2014-09-02", "2014-10-14", 42) in gaps
    assert [f["name"] for f in found if f["finding"] == "vanished"] == ["Jang Song Thaek"]
    assert [f["name"] for f in found if f["finding"] == "dropped"] == ["Jang Song Thaek"]
    code, out, _ = run("absences", "--db", archive_db, "--leader", "Kim Jong Un")
    assert code == 0 and "hole" in out.split("Officials")[0]  # 2012-05 to 2013-11: no dispatch archived between
    code, out, _ = run("absences", "--db", archive_db, "--min-days", "45")
    assert code == 0 and "Kim Jong Il" in out and "2008-08-14" in out and "42" not in out.split("Officials")[0]


def test_charts_are_real_png_and_svg_files_each_point_with_its_articles(archive_db: str, tmp_path: Path) -> None:
    png, svg = tmp_path / "appearances.png", tmp_path / "appearances.svg"
    assert run("chart", "appearances", "--db", archive_db, "--by", "month", "-o", str(png))[0] == 0
    assert png.read_bytes().startswith(PNG)
    code, _, err = run("chart", "appearances", "--db", archive_db, "--leader", "Kim Jong Un", "-o", str(svg))
    assert code == 0 and "drawn to" in err
    texts = [t.text for t in ET.parse(svg).getroot().iter() if t.tag.endswith("text") and t.text]
    assert "the number above each bar: the articles reporting them" in " ".join(texts)
    positions = tmp_path / "choe.svg"
    code, _, _ = run(
        "chart", "official-positions", "--db", archive_db, "--name", "Choe Ryong Hae", "-o", str(positions)
    )
    assert code == 0 and ET.parse(positions).getroot().tag.endswith("svg")
    heat = tmp_path / "companions.svg"
    assert run("chart", "companions", "--db", archive_db, "--top", "4", "-o", str(heat))[0] == 0
    texts = [t.text or "" for t in ET.parse(heat).getroot().iter() if t.tag.endswith("text")]
    assert "Choe Ryong Hae" in texts and "Jang Song Thaek" in texts
    assert "(4)" in texts  # Choe and Hwang: four appearances together, in four articles
    with Archive(archive_db, readonly=True) as archive:
        matrix = companion_matrix(archive.appearances(), top=4)
    filled = [(n, matrix.articles[i][j]) for i, row in enumerate(matrix.appearances) for j, n in enumerate(row) if n]
    assert len(filled) > 4 and [t for t in texts if t.startswith("(")] == [f"({a})" for _, a in filled]
    assert run("chart", "companions", "--db", archive_db, "-o", str(tmp_path / "c.png"))[0] == 0
    assert (tmp_path / "c.png").read_bytes().startswith(PNG)


def test_an_empty_archive_draws_no_chart_and_says_why(db: str, tmp_path: Path) -> None:
    Archive(db).close()
    code, _, err = run("chart", "appearances", "--db", db, "-o", str(tmp_path / "a.png"))
    assert code == 1 and "no dated appearances" in err and not (tmp_path / "a.png").exists()
    code, _, err = run("official", "Choe Ryong Hae", "--db", db)
    assert code == 1 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("appearances", "--format", "xml"), "xml"),
        (("official", "Choe Ryong Hae", "--format", "csv"), "csv"),
        (("officials", "--format", "html"), "html"),
        (("absences", "--format", "yaml"), "yaml"),
        (("appearances", "--kind", "sightseeing"), "sightseeing"),
        (("absences", "--min-days", "0"), "--min-days"),
        (("officials", "--compare-with", "last year"), "last year"),
        (("officials", "--since", "14 Sept"), "14 Sept"),
        (("appearances", "--until", "soon"), "soon"),
        (("chart", "appearances", "-o", "chart.pdf"), "chart.pdf"),
        (("chart", "companions", "--since", "May"), "May"),
        (("chart", "official-positions", "-o", "chart.png"), "--name"),
    ],
)
def test_usage_errors_exit_2_naming_the_value_before_the_archive_is_read(
    args: tuple[str, ...], named: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(*args, "--db", str(tmp_path / "none.sqlite"))
    assert code == 2 and out == "" and named in " ".join(err.split()) and "Traceback" not in err
    assert "No such command" not in err
    assert not (tmp_path / "none.sqlite").exists() and not (tmp_path / "chart.png").exists()


def test_the_kinds_offered_are_the_kinds_stored_in_their_stacking_order() -> None:
    assert tuple(AppearanceKind) == APPEARANCE_KINDS


def test_compare_with_takes_a_range_or_one_period() -> None:
    assert compare_period("2012:2013-06") == ("2012", "2013-06")
    assert compare_period("2013") == ("2013", "2013")
    assert compare_period(":2013") == (None, "2013")
    for bad in ("", ":", "2013/2014", "since 2013"):
        with pytest.raises(UsageError):
            compare_period(bad)


def test_series_keep_empty_months_mean_places_and_shared_appearances() -> None:
    counts = AppearanceCounts(
        "Kim Jong Un",
        "month",
        (
            AppearancePeriod("2014-08", 1, 1, (("economy", 1),)),
            AppearancePeriod("2014-11", 3, 2, (("military", 2), ("diplomacy", 1))),
        ),
    )
    bars = kind_bars(counts)
    assert [b.period for b in bars] == ["2014-08", "2014-09", "2014-10", "2014-11"]  # the gap is drawn
    assert bars[1].appearances == 0 and bars[3].kinds == (0, 2, 0, 0, 1) and bars[3].articles == 2
    years = AppearanceCounts(None, "year", (AppearancePeriod("2012", 1, 1, ()), AppearancePeriod("2014", 1, 1, ())))
    assert [b.period for b in kind_bars(years)] == ["2012", "2013", "2014"]
    positions = [
        ListPosition("2014-09-03", "accompanied", 1, 2, 7),
        ListPosition("2014-09-20", "accompanied", 3, 4, 8),
        ListPosition("2014-09-25", "present", 2, 3, 9),
        ListPosition(None, "accompanied", 9, 9, 10),
    ]
    series = monthly_positions(positions)
    assert list(series) == ["accompanied", "present"]
    (september,) = series["accompanied"]
    assert (september.position, september.size, september.articles) == (2.0, 3.0, 2)

    def row(article: int, *names: str) -> AppearanceRow:
        return AppearanceRow(article, "2014-01-01", "t", "Kim Jong Un", "economy", None, None, None, names)

    matrix = companion_matrix([row(1, "A", "B"), row(1, "A", "B", "A"), row(2, "A", "C"), row(3, "D")], top=2)
    assert matrix.names == ("A", "B")
    assert matrix.appearances == ((3, 2), (2, 2)) and matrix.articles == ((2, 1), (1, 1))


def test_absences_report_the_ongoing_gap_to_the_latest_dispatch(
    archive_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Archive(archive_db) as archive:
        archive.ingest([write_jsonl(tmp_path / "l.jsonl", [LATER_MESSAGE])], workers=1, steps=register(monkeypatch))
    code, out, _ = run(
        "absences", "--db", archive_db, "--leader", "Kim Jong Un", "--min-days", "40", "--format", "jsonl"
    )
    ongoing = [f for f in jsonl(out) if f["finding"] == "gap" and f["ongoing"]]
    assert code == 0 and [(f["last_before"], f["first_after"], f["days"]) for f in ongoing] == [
        ("2014-10-14", "2014-12-01", 48)
    ]
    code, out, _ = run("absences", "--db", archive_db, "--leader", "Kim Jong Un", "--min-days", "40")
    assert code == 0 and "ongoing" in out


def test_show_prints_the_appearances_and_officials_of_an_article(archive_db: str) -> None:
    with Archive(archive_db) as archive:
        row = next(r for r in archive.appearances(leader="Kim Jong Un") if r.accompanied_by)
    code, out, _ = run("show", str(row.article_id), "--db", archive_db)
    words = " ".join(out.split())  # the table wraps long values
    assert code == 0 and f"appearances Kim Jong Un {row.kind} at {row.place}" in words
    assert f"with {', '.join(row.accompanied_by)} officials {row.accompanied_by[0]} accompanied 1/" in words
