"""Reuse and phrases: where an article's passages come from, and a phrase's life in the archive."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from propscope.analyze.reuse import find_reuse
from propscope.archive import Archive
from propscope.cli import app

runner = CliRunner()
EDITORIAL = (
    "The whole party, the entire army and all the people should turn out as one in the general march for "
    "building an economic giant and bring about a fresh turn in the improvement of the people's living standard."
)
RECORDS = [
    ("a", "2015-01-01", "Joint Editorial", f"Pyongyang, January 1 (KCNA) -- {EDITORIAL} It is a year of victory."),
    (
        "c",
        "2015-06-01",
        "Farm Work",
        "Pyongyang, June 1 (KCNA) -- Farmers of Sukchon County finished rice transplanting.",
    ),
    (
        "b",
        "2016-01-05",
        "Commentary",
        f"Pyongyang, January 5 (KCNA) -- Last year's call still rings true: {EDITORIAL} Now the plan goes on.",
    ),
]


def build(tmp_path: Path) -> str:
    db = str(tmp_path / "r.sqlite")
    lines = [
        json.dumps({"id": rid, "source": "t", "date": date, "title": title, "body": body})
        for rid, date, title, body in RECORDS
    ]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert runner.invoke(app, ["ingest", str(tmp_path / "r.jsonl"), "--db", db, "-q"]).exit_code == 0
    return db


def test_a_passage_is_traced_to_the_earlier_article(tmp_path: Path) -> None:
    db = build(tmp_path)
    with Archive(db, readonly=True) as archive:
        report = find_reuse(archive.store, 3)
        later, source = archive.article(3), archive.article(1)
    (passage,) = report.passages
    assert passage.source_id == 1 and passage.source_date == "2015-01-01"
    assert later.text[passage.start : passage.end] == source.text[passage.source_start : passage.source_end]
    assert passage.words >= 30 and 0.5 < report.reused_share < 1
    with Archive(db, readonly=True) as archive:
        assert find_reuse(archive.store, 1).passages == []  # the source has no earlier source
        assert find_reuse(archive.store, 3, formula_limit=1).formulas  # in two articles: a "formula" at limit 1


def test_reuse_and_phrase_commands(tmp_path: Path) -> None:
    db = build(tmp_path)
    result = runner.invoke(app, ["reuse", "3", "--db", db, "--format", "json"])
    body = json.loads(result.stdout)
    assert result.exit_code == 0 and body["passages"][0]["source"]["title"] == "Joint Editorial"
    result = runner.invoke(app, ["phrase", "building an economic giant", "--db", db])
    assert result.exit_code == 0 and "2 articles" in result.stdout and "first used 2015-01-01" in result.stdout
    result = runner.invoke(app, ["phrase", "economic giant", "--db", db, "--format", "csv"])
    assert result.stdout.splitlines() == ["period,articles", "2015,1", "2016,1"]
    result = runner.invoke(app, ["phrase", "sea of fire", "--db", db])
    assert result.exit_code == 0 and "no article uses" in result.stdout
