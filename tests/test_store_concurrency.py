"""Concurrency: two ingests and the server on one archive at once (a SQLite file, a PostgreSQL database). Both
ingests finish, no "database is locked" reaches anyone, and every search answered meanwhile is consistent (its
hits exist, its total covers them, totals never go down)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.errors import StoreError
from propscope.web.app import create_app

WORDS = "party army people socialist Juche friendship delegation seminar solidarity harvest railway".split()


def write(path: Path, prefix: str, count: int) -> Path:
    lines = []
    for i in range(count):
        body = " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] + str(k % 13) for k in range(40))
        lines.append(
            json.dumps(
                {"id": f"{prefix}{i}", "source": prefix, "title": f"{prefix} dispatch {i}", "body": f"Text {i} {body}."}
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.engines
def test_two_ingests_and_searches_at_once(db: str, tmp_path: Path) -> None:
    first, second = write(tmp_path / "a.jsonl", "alpha", 1200), write(tmp_path / "b.jsonl", "beta", 1200)
    command = [sys.executable, "-m", "propscope.cli", "ingest", "--db", db, "--quiet", "--workers", "1"]
    runs = [subprocess.Popen([*command, str(path)], stderr=subprocess.PIPE, text=True) for path in (first, second)]
    client = None
    totals: list[int] = []
    while any(run.poll() is None for run in runs):
        if client is None:
            try:  # the server starts once the first ingest has created the archive
                Archive(db, readonly=True).close()
            except StoreError:
                continue
            client = TestClient(create_app(db), base_url="http://127.0.0.1")
        response = client.get("/api/search", params={"q": "dispatch", "limit": 50, "collapse": "false"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["hits"]) <= body["total"]
        for hit in body["hits"][:5]:
            assert client.get(f"/api/articles/{hit['id']}").status_code == 200
        totals.append(body["total"])
    errors = [run.stderr.read() if run.stderr else "" for run in runs]
    assert [run.returncode for run in runs] == [0, 0], errors
    assert not any("locked" in e for e in errors)
    assert totals == sorted(totals) and len(totals) > 3  # consistent snapshots: the count only grows
    with Archive(db, readonly=True) as archive:
        assert archive.count("dispatch", collapse=False) == 2400
