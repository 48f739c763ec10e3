"""Commands that read inputs (propscope/cli/ingest.py), and what the reading commands then see."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.cli import EXIT_QUARANTINED

from .cli_runner import run
from .conftest import EXAMPLES, SEED


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


def test_min_score_thins_the_technique_spans_and_is_checked() -> None:
    """--min-score reaches the step through the run's settings; out of 0-1 it is a usage error."""

    def spans(*extra: str) -> list[dict]:
        code, out, err = run("parse", str(SEED), "--steps", "techniques", *extra)
        assert code == 0, err
        return json.loads(out)["techniques"]

    every = spans()
    assert every
    cut = sorted(t["score"] for t in every)[len(every) // 2]
    assert spans("--min-score", str(cut)) == [t for t in every if t["score"] >= cut]
    code, _, err = run("parse", str(SEED), "--min-score", "1.5")
    assert code == 2 and "--min-score" in err
