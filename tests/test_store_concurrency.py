"""Concurrency: two ingests and the server on one SQLite file at once. Both ingests finish, no "database is
locked" reaches anyone, and every search answered meanwhile is consistent (its hits exist, its total covers
them, totals never go down)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from propscope.archive import Archive
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


def test_two_ingests_and_searches_at_once(tmp_path: Path) -> None:
    db = tmp_path / "shared.sqlite"
    first, second = write(tmp_path / "a.jsonl", "alpha", 1200), write(tmp_path / "b.jsonl", "beta", 1200)
    command = [sys.executable, "-m", "propscope.cli", "ingest", "--db", str(db), "--quiet", "--workers", "1"]
    runs = [subprocess.Popen([*command, str(path)], stderr=subprocess.PIPE, text=True) for path in (first, second)]
    client = None
    totals: list[int] = []
    while any(run.poll() is None for run in runs):
        if client is None:
            if not db.exists():
                continue
            try:
                client = TestClient(create_app(str(db)))
            except Exception:  # noqa: BLE001 - the archive may still be migrating its schema
                continue
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
    with Archive(str(db), readonly=True) as archive:
        assert archive.count("dispatch", collapse=False) == 2400
