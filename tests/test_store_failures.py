"""Full disk, read-only files, missing permissions: one clear line, and nothing corrupted."""

from __future__ import annotations

import json
import os
import resource
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from propscope.archive import Archive
from propscope.errors import StoreError


def records(path: Path, count: int) -> Path:
    lines = [
        json.dumps({"id": f"f{i}", "source": "t", "title": f"Dispatch {i}", "body": f"Text {i} " + "word " * 300})
        for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _limit_file_size() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (3 * 1024 * 1024, 3 * 1024 * 1024))


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="needs RLIMIT_FSIZE")
def test_a_full_disk_is_one_line_and_the_archive_stays_sound(tmp_path: Path) -> None:
    source = records(tmp_path / "r.jsonl", 3000)
    db = tmp_path / "full.sqlite"
    run = subprocess.run(
        [sys.executable, "-m", "propscope.cli", "ingest", str(source), "--db", str(db), "-q", "--workers", "1"],
        capture_output=True,
        text=True,
        preexec_fn=_limit_file_size,
        timeout=300,
    )
    assert run.returncode == 1, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0] and "Traceback" not in run.stderr, run.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    assert 0 < stored < 3000
    with Archive(str(db)) as archive:  # with room again, the same command finishes the job
        result = archive.ingest([source], workers=1)
        assert result.added == 3000 - stored and archive.count(None, collapse=False) == 3000


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files: the refusal cannot be shown")
def test_a_read_only_archive_is_one_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "ro.sqlite"
    with Archive(str(db)) as archive:
        archive.ingest([records(tmp_path / "r.jsonl", 3)], workers=1)
    db.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only"), Archive(str(db)) as archive:
            archive.ingest([records(tmp_path.parent / "more.jsonl", 3)], workers=1)
        with Archive(str(db), readonly=True) as archive:
            assert archive.count(None) == 3  # reading still works
    finally:
        tmp_path.chmod(0o755)
        db.chmod(0o644)
