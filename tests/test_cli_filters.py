"""The CLI's filters: a country by code or name, an unknown one or an impossible date a usage error (exit 2,
one line that says what to type), --lang and --source."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .cli_runner import run
from .filter_fixtures import build


@pytest.fixture
def archive(tmp_path: Path) -> str:
    db = str(tmp_path / "a.sqlite")
    build(db, tmp_path)
    return db


def titles(db: str, *args: str) -> list[str]:
    code, out, err = run("search", "--db", db, "--format", "jsonl", "--limit", "50", *args)
    assert code == 0, err
    return sorted(json.loads(line)["title"] for line in out.splitlines())


def test_a_country_by_code_or_by_name(archive: str) -> None:
    by_code = titles(archive, "--country", "US")
    assert len(by_code) == 5
    for name in ("USA", "United States", "united states", "U.S.A.", "Estados Unidos"):
        assert titles(archive, "--country", name) == by_code, name
    assert titles(archive, "--target", "usa") == by_code
    assert titles(archive, "--stance", "hostile", "--toward", "United States") == titles(
        archive, "--stance", "hostile", "--toward", "US"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--country", "Untied States"), "did you mean United States (US)"),
        (("--country", "Narnia"), "is not a country the gazetteer knows"),
        (("--target", "Atlantis"), "target 'Atlantis' is not a country"),
        (("--since", "2017-13"), "since '2017-13' is not a date in the calendar"),
        (("--until", "2019-02-29"), "until '2019-02-29' is not a date in the calendar"),
        (("--since", "2019", "--until", "2018"), "since 2019 is after until 2018"),
        (("--lang", "castellano"), "is not a language code"),
    ],
)
def test_a_filter_that_cannot_match_is_a_usage_error(archive: str, args: tuple[str, ...], message: str) -> None:
    code, out, err = run("search", "--db", archive, *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    if args[0] != "--target":  # export filters by date, country, language and source
        code, _, err = run("export", "--db", archive, "--out", str(Path(archive).with_suffix(".jsonl")), *args)
        assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_language_and_source(archive: str) -> None:
    assert titles(archive, "--lang", "es") == ["Informe 0", "Informe 1"]
    assert titles(archive, "--lang", "en,es") == titles(archive)
    assert titles(archive, "--source", "rodong") == ["Informe 0", "Informe 1"]
    assert titles(archive, "--source", "kcna", "--lang", "es") == []


def test_deleted_hits_are_marked(archive: str) -> None:
    code, out, _ = run("search", "talks", "--db", archive, "--format", "jsonl")
    marked = {json.loads(line)["title"]: json.loads(line)["deleted_at"] for line in out.splitlines()}
    assert code == 0 and marked["Report 2"] and marked["Report 0"] is None
    code, table, _ = run("search", "talks", "--db", archive)
    assert code == 0 and table.count("deleted") == 1


SUPPORT = [
    {
        "id": f"bj{i}",
        "source": "kcna",
        "date": f"201{5 + i}-05-10",
        "title": f"Support {i}",
        "body": f"Pyongyang, May {i + 1} (KCNA) -- The Socialist Party of Benin issued a statement supporting the"
        " DPRK and denouncing the United States imperialists.",
    }
    for i in range(3)
]


def test_trend_and_actors_take_a_country_by_name_through_search_s_resolver(archive: str, tmp_path: Path) -> None:
    source = tmp_path / "support.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in SUPPORT), encoding="utf-8")
    assert run("ingest", str(source), "--db", archive, "--quiet")[0] == 0
    trend = ["trend", "--db", archive, "--metric", "mentions", "--by", "year", "-f", "jsonl"]
    code, by_code, err = run(*trend, "--country", "US")
    assert code == 0 and by_code, err
    for name in ("USA", "United States", "us"):
        assert run(*trend, "--country", name)[1] == by_code, name
    actors = ["actors", "--db", archive, "-f", "jsonl"]
    code, benin, err = run(*actors, "--country", "BJ")
    assert code == 0 and "Socialist Party of Benin" in benin, err
    assert run(*actors, "--country", "Benin")[1] == benin and run(*actors, "--country", "bj,USA")[1] == benin
    for command in (trend, actors):
        code, out, err = run(*command, "--country", "Untied States")
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
        assert "'Untied States' is not a country the gazetteer knows; did you mean United States (US)" in err
