"""A server's pooled SQLite reads (store/sqlite_pool.py): connections reused, a budget never carried to the
next borrower, the data version moved by any commit, a replaced file never read."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from propscope import budget
from propscope.archive import Archive
from propscope.errors import QueryTimeout
from propscope.store import sqlite_pool


@pytest.fixture(autouse=True)
def fresh_pools() -> Iterator[None]:
    sqlite_pool.close_all()
    yield
    sqlite_pool.close_all()


def archive_with(path: Path, *bodies: str) -> str:
    source = path.with_suffix(".jsonl")
    source.write_text(
        "".join(json.dumps({"id": f"{path.stem}{i}", "source": "t", "body": b}) + "\n" for i, b in enumerate(bodies)),
        encoding="utf-8",
    )
    with Archive(str(path)) as archive:
        archive.ingest([source], workers=1)
    return str(path)


def test_a_pooled_read_reuses_its_connection(tmp_path: Path) -> None:
    db = archive_with(tmp_path / "a.sqlite", "Pyongyang, May 2 (KCNA) -- Maize was sown.")
    with Archive(db, readonly=True, pooled=True) as archive:
        first = archive.store.db.conn
        assert archive.count("maize") == 1
    with Archive(db, readonly=True, pooled=True) as archive:
        assert archive.store.db.conn is first
    with Archive(db, readonly=True) as archive:  # the CLI's reads own their connection
        assert archive.store.db.conn is not first and archive.data_version() is None


LONG = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT count(*) FROM c"


def test_a_budget_goes_with_its_request(tmp_path: Path) -> None:
    db = archive_with(tmp_path / "a.sqlite", "Pyongyang, May 2 (KCNA) -- Maize was sown.")
    spent = budget.Budget(0)  # already past its deadline
    with budget.running(spent), Archive(db, readonly=True, pooled=True) as archive, pytest.raises(QueryTimeout):
        archive.store.db.rows(LONG)
    with Archive(db, readonly=True, pooled=True) as archive:  # the same connection, without that budget
        assert archive.store.db.rows(LONG) == [(100000,)]


def test_the_data_version_moves_with_every_commit(tmp_path: Path) -> None:
    db = archive_with(tmp_path / "a.sqlite", "Pyongyang, May 2 (KCNA) -- Maize was sown.")
    with Archive(db, readonly=True, pooled=True) as archive:
        before = archive.data_version()
        assert archive.data_version() == before
    archive_with(tmp_path / "a.sqlite", "Pyongyang, May 3 (KCNA) -- Wheat was sown.")
    with Archive(db, readonly=True, pooled=True) as archive:
        assert archive.data_version() != before


def test_a_replaced_file_empties_the_pool(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite"
    db = archive_with(path, "Pyongyang, May 2 (KCNA) -- Maize was sown.")
    with Archive(db, readonly=True, pooled=True) as archive:
        old = archive.store.db.conn
        old_version = archive.data_version()
    for leftover in tmp_path.glob("a.sqlite*"):
        leftover.unlink()
    archive_with(path, "Pyongyang, May 3 (KCNA) -- Wheat was sown.")
    with Archive(db, readonly=True, pooled=True) as archive:
        assert archive.store.db.conn is not old
        assert archive.count("maize") == 0 and archive.count("wheat") == 1
        assert archive.data_version() != old_version
