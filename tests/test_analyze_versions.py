"""Versions: what kind of change a new text is, and the word-level diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.analyze.versions import classify, compare
from propscope.cli import app

from .conftest import shared_path

OLD = "Pyongyang, May 3 (KCNA) -- Kim Yong Nam met the delegation of the Socialist Party of Benin on Friday."


def test_trivial_changes_are_named() -> None:
    assert classify(OLD, OLD) == "identical"
    assert classify(OLD, OLD.replace(" -- ", "  --\n ")) == "whitespace"
    assert classify(OLD, OLD.replace("(KCNA) --", "(KCNA) -").replace(".", "")) == "punctuation"
    assert classify("Kim Jong Un’s visit", "Kim Jong Unâ€™s visit") == "encoding"


def test_edits_are_minor_or_substantive_with_a_word_diff() -> None:
    minor = compare(OLD, OLD.replace("on Friday", "on Saturday"))
    assert (minor.kind, minor.words_added, minor.words_removed) == ("minor", 1, 1)
    assert [(op.old, op.new) for op in minor.ops if op.op != "equal"] == [("Friday.", "Saturday.")]
    added = OLD + " They had a friendly talk and exchanged gifts, hailing the traditional friendship."
    substantive = compare(OLD, added)
    assert substantive.kind == "substantive" and substantive.words_added == 12 and substantive.words_removed == 0


@pytest.mark.engines
def test_history_of_a_record_ingested_twice(db: str, tmp_path: Path) -> None:
    runner = CliRunner()
    source = tmp_path / "d.jsonl"
    for body in (OLD, OLD.replace("on Friday", "on Saturday")):
        source.write_text(json.dumps({"id": "x1", "source": "t", "title": "Talks", "body": body}) + "\n")
        assert runner.invoke(app, ["ingest", str(source), "--db", db, "-q"]).exit_code == 0
    result = runner.invoke(app, ["history", "1", "--db", db, "--format", "json"])
    versions = json.loads(result.stdout)["versions"]
    assert [v["version"] for v in versions] == [1, 2] and versions[1]["change"] == "minor"
    assert versions[1]["diff"] == [{"op": "replace", "old": "Friday.", "new": "Saturday."}]
    result = runner.invoke(app, ["history", "1", "--db", db])
    assert result.exit_code == 0 and "minor" in result.stdout and "Saturday." in result.stdout


@pytest.mark.engines
def test_real_edits_by_kcna_and_rodong_sinmun_become_versions(db: str, tmp_path: Path) -> None:
    kcna = shared_path("corpora", "kcna-kp-2024")
    rodong = shared_path("corpora", "rodong-en-frontpage-2021-2022")
    runner = CliRunner()
    earlier = [
        str(kcna / "kcna_kp_2024_earlier_versions.jsonl"),
        str(rodong / "rodong_en_frontpage_other_versions.jsonl"),
    ]
    later = [str(kcna / "kcna_kp_2024.jsonl"), str(rodong / "rodong_en_frontpage_2021_2022.jsonl")]
    assert runner.invoke(app, ["ingest", *earlier, "--db", db, "-q"]).exit_code == 0
    result = runner.invoke(app, ["ingest", *later, "--db", db, "-q"])
    assert result.exit_code == 0 and "new versions 26" in result.stderr
    kinds = []
    for article_id in range(1, 27):
        history = json.loads(runner.invoke(app, ["history", str(article_id), "--db", db, "-f", "json"]).stdout)
        assert len(history["versions"]) == 2
        kinds.append(history["versions"][1]["change"])
    assert "substantive" in kinds and set(kinds) <= {"whitespace", "punctuation", "encoding", "minor", "substantive"}


def test_history_piped_marks_the_old_and_the_new_words(db: str, tmp_path: Path) -> None:
    """Without colour (CliRunner's output is a pipe) a strike-through and a green are lost: marks stand in."""
    runner = CliRunner()
    source = tmp_path / "d.jsonl"
    for body in (OLD, OLD.replace("on Friday", "on Saturday")):
        source.write_text(json.dumps({"id": "x1", "source": "t", "title": "Talks", "body": body}) + "\n")
        assert runner.invoke(app, ["ingest", str(source), "--db", db, "-q"]).exit_code == 0
    result = runner.invoke(app, ["history", "1", "--db", db])
    assert result.exit_code == 0 and "[-Friday.-] {+Saturday.+}" in result.stdout
