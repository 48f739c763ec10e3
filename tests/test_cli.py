"""The commands as a user types them: help everywhere, the seed end to end, errors as one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.cli import EXIT_QUARANTINED, app

from .conftest import EXAMPLES, ROOT, SEED

runner = CliRunner()
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)  # type: ignore[union-attr]


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    code, out, _ = run(command, "--help")
    assert code == 0 and "Usage" in out
    assert len(out.strip().splitlines()) > 3


def test_readme_documents_every_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for command in COMMANDS:
        assert f"propscope {command}" in readme, f"README does not show 'propscope {command}'"


def test_parse_the_seed() -> None:
    code, out, _ = run("parse", str(SEED), "--format", "jsonl")
    assert code == 0
    (article,) = [json.loads(line) for line in out.splitlines()]
    assert article["path"] == str(SEED)
    assert article["title"] == "International Support and Solidarity Voiced for Korean People"
    dateline = article["dateline"]
    assert (dateline["place"], dateline["month"], dateline["day"], dateline["year"], dateline["agency"]) == (
        "Pyongyang",
        7,
        14,
        None,
        "KCNA",
    )
    assert article["date"] is None  # the text has no year: none is invented
    assert [(r["outlet"], r["form"]) for r in article["relayed_from"]] == [("Rodong Sinmun", "signed article")]
    assert article["genre"] == "relayed_article"
    assert {"KP", "MX", "US"} <= set(article["countries"])
    assert article["countries"] == sorted(article["countries"])
    assert "Image credit" not in article["body"] and "Related posts:" not in article["body"]
    assert {f["kind"] for f in article["furniture"]} == {"image_credit", "related_posts"}
    text = SEED.read_text(encoding="utf-8")
    for entity in article["entities"]:
        assert text[entity["start"] : entity["end"]] == entity["text"]
    for furniture in article["furniture"]:
        assert text[furniture["start"] : furniture["end"]] == furniture["text"]
    assert text[dateline["start"] : dateline["end"]] == dateline["text"]
    mexico = [e for e in article["entities"] if e["text"] == "Mexico City"]
    assert mexico and mexico[0]["type"] == "place"


@pytest.mark.engines
def test_ingest_is_idempotent_and_searchable(db: str) -> None:
    code, _, err = run("ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert code == 0, err
    assert "added 8" in err
    code, _, err = run("ingest", str(EXAMPLES), "--db", db, "--quiet")
    assert code == 0 and "added 0" in err and "unchanged 8" in err

    code, out, _ = run("search", '"prosperous powerful socialist nation"', "--db", db, "--format", "jsonl")
    hits = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(hits) == 1
    assert hits[0]["title"].startswith("International Support")
    assert "prosperous powerful socialist nation" in hits[0]["snippet"]

    code, out, _ = run("search", "Japan*", "--db", db, "--genre", "relayed_article", "--format", "csv")
    assert code == 0 and "Minju Joson Slams" in out
    code, out, _ = run("search", "peninsula", "--db", db, "--country", "KR", "--format", "jsonl")
    titles = {json.loads(line)["title"] for line in out.splitlines()}
    assert titles == {"FM Spokesman Answers Question Raised by KCNA"}
    code, out, _ = run(
        "search", "nation", "--db", db, "--outlet", "Rodong Sinmun", "--since", "2018", "--format", "jsonl"
    )
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Rodong Sinmun on Historic Meeting"]
    code, out, _ = run("search", "Supreme", "--db", db, "--person", "Kim Yong Nam", "--format", "jsonl")
    assert [json.loads(line)["title"] for line in out.splitlines()] == ["Greetings to Lao President"]

    code, out, _ = run("search", "imperialists", "--db", db)
    assert code == 0 and "stories match" in out

    first = hits[0]["id"]
    code, out, _ = run("show", str(first), "--db", db)
    assert code == 0 and "relayed_article" in out and "Rodong Sinmun (signed article)" in out
    assert "Image credit" not in out

    code, out, _ = run("stats", "--db", db)
    assert code == 0 and "by genre" in out and "relayed_article" in out and "Rodong Sinmun" in out


@pytest.mark.engines
def test_quarantine_exit_code_and_listing(db: str, tmp_path: Path) -> None:
    (tmp_path / "bad.jsonl").write_bytes(b'{"id": "ok", "title": "T", "body": "B"}\n{broken\n')
    (tmp_path / "empty.txt").write_bytes(b"")
    code, _, err = run("ingest", str(tmp_path), "--db", db, "--quiet")
    assert code == EXIT_QUARANTINED
    assert "quarantined" in err and "bad.jsonl [line 2]: malformed JSON" in err
    assert "Traceback" not in err
    code, out, _ = run("quarantine", "--db", db)
    assert code == 0 and "malformed JSON" in out and "empty file" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", '"unclosed'], "unclosed quote"),
        (["search", "x", "--genre", "poem"], "unknown --genre"),
        (["search", "x", "--since", "last year"], "is not a date"),
        (["show", "999"], "no article with id 999"),
    ],
)
def test_errors_are_one_line(db: str, args: list[str], message: str) -> None:
    run("ingest", str(SEED), "--db", db, "--quiet")
    code, _, err = run(*args, "--db", db)
    assert code == 1
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_missing_archive_is_one_line(tmp_path: Path) -> None:
    code, _, err = run("search", "x", "--db", str(tmp_path / "none.sqlite"))
    assert code == 1 and "no such archive" in err and len(err.strip().splitlines()) == 1


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and re.match(r"propscope \d+\.\d+", out)


@pytest.mark.engines
def test_who_and_where_commands(db: str, tmp_path: Path) -> None:
    records = [
        {
            "id": f"s{i}",
            "source": "test",
            "date": f"{2014 + i % 3}-0{1 + i % 9}-10",
            "title": f"Support {i}",
            "body": f"Pyongyang, May {1 + i} (KCNA) -- The Socialist Party of Benin issued a statement supporting the "
            f"DPRK. Kim Yong Nam met the Communist Party of Cuba delegation{' and Raul Castro Ruz' * (i % 2)}.",
        }
        for i in range(6)
    ]
    (tmp_path / "s.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run("ingest", str(tmp_path / "s.jsonl"), "--db", db, "--quiet")[0] == 0

    code, out, _ = run("actors", "--db", db, "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and rows[0]["actor"] == "Socialist Party of Benin" and rows[0]["events"] == 6
    assert rows[0]["country"] == "BJ" and rows[0]["first_seen"] <= rows[0]["last_seen"]
    code, out, _ = run("actors", "--db", db, "--country", "CU", "--format", "csv")
    assert code == 0 and "Benin" not in out

    code, out, _ = run("cooccur", "Kim Yong Nam", "--db", db, "--format", "jsonl", "--by", "all")
    names = {json.loads(line)["canonical"] for line in out.splitlines()}
    assert code == 0 and {"Communist Party of Cuba", "Raul Castro Ruz"} <= names
    code, _, err = run("cooccur", "Nobody At All", "--db", db)
    assert code == 1 and "not mentioned" in err

    graph = tmp_path / "g.graphml"
    code, _, _ = run("network", "--db", db, "--out", str(graph), "--min-weight", "1")
    text = graph.read_text(encoding="utf-8")
    assert code == 0 and "<graphml" in text and "Kim Yong Nam" in text and "<edge " in text
    code, out, _ = run("network", "--db", db, "--format", "csv", "--min-weight", "3")
    assert code == 0 and out.splitlines()[0] == "source,source_type,target,target_type,weight"
    assert any("Kim Yong Nam" in line and line.endswith(",6") for line in out.splitlines())

    png = tmp_path / "support.png"
    code, _, _ = run("chart", "support", "--db", db, "--out", str(png))
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = run("chart", "support", "--db", db, "--out", str(tmp_path / "x.gif"))
    assert code == 1 and ".png or .svg" in err


@pytest.mark.engines
def test_rhetoric_search_filters_and_trend(db: str, tmp_path: Path) -> None:
    hostile = "The Japanese reactionaries and the U.S. imperialists are warmongers. Japan must apologise."
    calm = "A Japanese delegation visited a farm. Japan and the DPRK held talks."
    records = [
        {
            "id": f"r{i}",
            "source": "test",
            "date": f"2017-0{1 + i % 3}-1{i}",
            "title": f"Report {i}",
            "body": f"Pyongyang, {('January', 'February', 'March')[i % 3]} 1{i} (KCNA) -- {hostile if i % 2 else calm}",
        }
        for i in range(6)
    ]
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert run("ingest", str(tmp_path / "r.jsonl"), "--db", db, "--quiet")[0] == 0

    code, out, _ = run("search", "--target", "JP", "--db", db, "--format", "jsonl", "--all-copies")
    assert code == 0 and sorted(json.loads(line)["title"] for line in out.splitlines()) == [
        "Report 1",
        "Report 3",
        "Report 5",
    ]
    code, _, err = run("search", "--technique", "Name_Calling,Labeling", "--db", db)
    assert code == 0  # a known name holding a comma is one technique; no spans stored means no hits
    code, _, err = run("search", "--technique", "Shouting", "--db", db)
    assert code == 1 and "unknown technique 'Shouting'" in err

    code, out, _ = run("trend", "--country", "JP", "--by", "month", "--db", db, "--format", "jsonl")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [r["period"] for r in rows] == ["2017-01", "2017-02", "2017-03"]
    assert all(r["articles"] == 2 and r["counted"] == 1 and r["hostility"] > 0 for r in rows)
    code, out, _ = run("trend", "--metric", "mentions", "--country", "US", "--by", "year", "--db", db, "-f", "csv")
    assert code == 0 and out.splitlines()[1] == "2017,6,3,0.5"
    svg = tmp_path / "t.svg"
    code, _, _ = run("trend", "--country", "JP", "--db", db, "--out", str(svg))
    assert code == 0 and "<svg" in svg.read_text(encoding="utf-8")
    code, _, err = run("trend", "--metric", "technique:Doubt", "--db", db)
    assert code == 1 and "--steps +techniques" in err
    code, _, err = run("trend", "--metric", "hostility", "--db", db)
    assert code == 1 and "needs --country" in err
