"""Read-only SQLite connections kept open by a server process, and the archive's data version.

Opening and closing a connection per request cost 3.5 ms of a 25 ms search (bench/README.md, "Serving"), and
each new connection starts with an empty page cache: a server borrows an idle connection instead and gives it
back after the response. A file replaced under the same path (a new archive) empties the pool, so no request
reads a deleted file.

`data_version` changes whenever any connection, in this process or another, commits to the file: SQLite's
PRAGMA data_version, read on one connection kept for that alone (values of different connections are not
comparable). The response cache (web/cache.py) keys on it, so no cached answer outlives a write.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

IDLE_MAX = 16  # idle connections kept per archive: more than a server's worker threads ever hold at once


class ReadPool:
    """The idle read-only connections to one file, and the connection that watches its data version."""

    def __init__(self, path: Path, identity: tuple[int, int], connect: Callable[[], sqlite3.Connection]) -> None:
        self.path = path
        self.identity = identity
        self._connect = connect
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._watcher: sqlite3.Connection | None = None
        self._closed = False

    def borrow(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return self._connect()

    def give_back(self, conn: sqlite3.Connection) -> None:
        if conn.in_transaction:
            conn.rollback()
        conn.set_progress_handler(None, 0)  # the next borrower brings its own budget
        with self._lock:
            if not self._closed and len(self._idle) < IDLE_MAX:
                self._idle.append(conn)
                return
        conn.close()

    def data_version(self) -> str:
        """The file's identity and its data version: a new file at the path never repeats an old answer."""
        with self._lock:
            if self._watcher is None:
                self._watcher = self._connect()
            version = int(self._watcher.execute("PRAGMA data_version").fetchone()[0])
        return f"{self.identity[0]}:{self.identity[1]}:{version}"

    def close(self) -> None:
        with self._lock:
            self._closed = True  # a connection still borrowed is closed when it comes back
            idle, self._idle = self._idle, []
            watcher, self._watcher = self._watcher, None
        for conn in [*idle, *([watcher] if watcher else [])]:
            conn.close()


_pools: dict[Path, ReadPool] = {}
_pools_lock = threading.Lock()


def identity(path: Path) -> tuple[int, int]:
    """The file's device and inode: a new archive at the same path is another file."""
    found = os.stat(path)
    return found.st_dev, found.st_ino


def pool_for(path: Path, connect: Callable[[], sqlite3.Connection]) -> ReadPool:
    """The pool of the file at `path` (absolute), made on first use, made anew if the file was replaced."""
    key = path.absolute()
    now = identity(key)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is not None and pool.identity == now:
            return pool
        _pools[key] = fresh = ReadPool(key, now, connect)
    if pool is not None:
        pool.close()
    return fresh


def close_all() -> None:
    """Every pooled connection closed (tests, and a server shutting down)."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


__all__ = ["IDLE_MAX", "ReadPool", "close_all", "identity", "pool_for"]
