"""Crash safety: `propscope ingest` killed with SIGKILL at random moments leaves an archive that passes
SQLite's integrity check, holds no half-written article, and, after a rerun, equals an uninterrupted run; the
same on a PostgreSQL archive (fewer trials: each costs a database)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests import pgserver

PROPSCOPE = [sys.executable, "-m", "propscope.cli"]
TRIALS = int(os.environ.get("PROPSCOPE_CRASH_TRIALS", "20"))
PG_TRIALS = int(os.environ.get("PROPSCOPE_CRASH_TRIALS_PG", "8"))
SEED = 20261127


def write_records(path: Path, count: int) -> None:
    rng = random.Random(SEED)
    words = "party army people socialist Juche imperialists friendship delegation seminar solidarity".split()
    lines = []
    for i in range(count):
        body = " ".join(rng.choice(words) for _ in range(60))
        lines.append(
            json.dumps(
                {
                    "id": f"c{i}",
                    "source": "crash",
                    "date": f"20{10 + i % 8}-0{1 + i % 9}-1{i % 10}",
                    "title": f"Dispatch {i}",
                    "body": f"Pyongyang, May {1 + i % 28} (KCNA) -- The Japanese reactionaries met {body}.",
                }
            )
        )
    # one record ingested again with a new text: a version is written mid-run too
    lines.append(json.dumps({"id": "c7", "source": "crash", "title": "Dispatch 7", "body": "A new text for c7."}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def ingest(db: Path | str, source: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*PROPSCOPE, "ingest", str(source), "--db", str(db), "--quiet", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def complete_run(db: Path | str, source: Path) -> float:
    """An ingest left to finish; its seconds."""
    started = time.perf_counter()
    done = ingest(db, source)
    assert done.wait(timeout=300) == 0, done.stderr.read() if done.stderr else ""
    return time.perf_counter() - started


def killed_run(db: Path | str, source: Path, rng: random.Random, duration: float) -> bool:
    """An ingest sent SIGKILL at a random moment of an uninterrupted run's `duration`; whether it was still
    running then."""
    process = ingest(db, source)
    time.sleep(rng.uniform(0.05, duration))
    killed = process.poll() is None
    if killed:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return killed


def snapshot(db: Path | str) -> dict[str, object]:
    """What must be equal between archives: articles, versions, side rows, the index and the raw inputs."""
    postgres = isinstance(db, str)
    conn: Any = psycopg_connect(db) if postgres else sqlite3.connect(db)
    try:
        indexed = (
            "SELECT count(*) FROM articles WHERE search @@ 'reactionaries'::tsquery"
            if postgres
            else "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'reactionaries'"
        )
        queries = {
            "articles": "SELECT article_key, version, content_sha1, title, body, genre, date FROM articles ORDER BY 1",
            "versions": "SELECT a.article_key, v.version, v.content_sha1 FROM article_versions v"
            " JOIN articles a ON a.id = v.article_id ORDER BY 1, 2",
            "countries": "SELECT a.article_key, c.country FROM article_countries c"
            " JOIN articles a ON a.id = c.article_id ORDER BY 1, 2",
            "epithets": "SELECT a.article_key, e.kind, e.target, e.spans FROM article_epithets e"
            " JOIN articles a ON a.id = e.article_id ORDER BY 1, 2, 3",
            "raw": "SELECT a.article_key, r.version, r.raw_sha1 FROM raw_inputs r"
            " JOIN articles a ON a.id = r.article_id ORDER BY 1, 2",
            "indexed": indexed,
        }
        return {name: [tuple(r) for r in conn.execute(sql).fetchall()] for name, sql in queries.items()}
    finally:
        conn.close()


def check_consistent(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            return  # killed before the first migration committed: an empty file, which the rerun sets up
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if the index lies
        assert_whole(conn)
    finally:
        conn.close()


def assert_whole(conn: Any) -> None:
    orphans = conn.execute(
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM raw_inputs r WHERE r.article_id = a.id"
        " AND r.version = a.version)"
    ).fetchone()[0]
    assert orphans == 0, "an article without the raw input it was read from: half-written"


def psycopg_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    source = tmp_path / "records.jsonl"
    write_records(source, 800)
    reference = tmp_path / "reference.sqlite"
    duration = complete_run(reference, source)
    expected = snapshot(reference)
    rng = random.Random(SEED)
    killed_mid_run = 0
    for trial in range(TRIALS):
        db = tmp_path / f"trial{trial}.sqlite"
        killed_mid_run += killed_run(db, source, rng, duration)
        if db.exists():
            check_consistent(db)
        complete_run(db, source)
        check_consistent(db)
        assert snapshot(db) == expected, f"trial {trial}: the archive differs from an uninterrupted run"
    assert killed_mid_run >= TRIALS // 2  # most kills must land while the ingest runs


@pytest.mark.postgres
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_at_random_moments_on_postgresql(tmp_path: Path, pg_server: pgserver.PgServer) -> None:
    """PostgreSQL keeps each batch's transaction whole by itself; what is checked is propscope's side: no
    article without its raw input, the index in step, and a rerun that completes into the same archive."""
    source = tmp_path / "records.jsonl"
    write_records(source, 800)
    reference = pgserver.new_database(pg_server.url, f"crash_reference_{os.getpid()}")
    duration = complete_run(reference, source)
    expected = snapshot(reference)
    pgserver.drop_database(pg_server.url, f"crash_reference_{os.getpid()}")
    rng = random.Random(SEED)
    killed_mid_run = 0
    for trial in range(PG_TRIALS):
        name = f"crash_{trial}_{os.getpid()}"
        db = pgserver.new_database(pg_server.url, name)
        killed_mid_run += killed_run(db, source, rng, duration)
        with psycopg_connect(db) as conn:
            if conn.execute("SELECT to_regclass('articles')").fetchone()[0] is not None:
                assert_whole(conn)
        complete_run(db, source)
        assert snapshot(db) == expected, f"trial {trial}: the archive differs from an uninterrupted run"
        pgserver.drop_database(pg_server.url, name)
    assert killed_mid_run >= PG_TRIALS // 2
