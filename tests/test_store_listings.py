"""Deletions: a listing run that no longer holds an article marks it deleted, never removes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.cli import app

runner = CliRunner()


def write_listing(path: Path, numbers: list[int]) -> Path:
    records = [
        {
            "id": f"n{i}",
            "source": "feed",
            "date": f"2013-12-{10 + i:02d}",
            "title": f"Dispatch {i}",
            "body": f"Pyongyang, December {10 + i} (KCNA) -- Report number {i} on the work of the Party.",
        }
        for i in numbers
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def ingest(db: str, path: Path, *extra: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ingest", str(path), "--db", db, "-q", "--listing", "kcna-index", *extra])
    return result.exit_code, result.stderr


def deleted(db: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["deleted", "--db", db, "--format", "jsonl"])
    assert result.exit_code == 0
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.engines
def test_missing_articles_are_marked_then_restored(db: str, tmp_path: Path) -> None:
    code, message = ingest(db, write_listing(tmp_path / "run1.jsonl", list(range(12))))
    assert code == 0 and "deleted 0, restored 0" in message
    code, message = ingest(db, write_listing(tmp_path / "run2.jsonl", [i for i in range(12) if i not in (3, 7)]))
    assert code == 0 and "deleted 2, restored 0" in message
    rows = deleted(db)
    assert sorted(r["title"] for r in rows) == ["Dispatch 3", "Dispatch 7"]
    assert all(r["listing"] == "kcna-index" and r["restored_at"] is None for r in rows)
    shown = runner.invoke(app, ["search", "Report number", "--db", db, "--format", "jsonl", "--limit", "50"])
    assert len(shown.stdout.splitlines()) == 12  # marked, not removed
    code, message = ingest(db, write_listing(tmp_path / "run3.jsonl", list(range(12))))
    assert code == 0 and "deleted 0, restored 2" in message
    assert all(r["restored_at"] for r in deleted(db))


@pytest.mark.engines
def test_a_partial_listing_marks_nothing(db: str, tmp_path: Path) -> None:
    ingest(db, write_listing(tmp_path / "run1.jsonl", list(range(12))))
    code, message = ingest(db, write_listing(tmp_path / "short.jsonl", [0, 1]))
    assert code == 1 and "10 of 12 earlier articles are missing" in message and "--allow-mass-deletion" in message
    assert deleted(db) == []
    code, message = ingest(db, tmp_path / "short.jsonl", "--allow-mass-deletion")
    assert code == 0 and "deleted 10" in message and len(deleted(db)) == 10
