"""Every derived table of an archive, read by article key (ids differ between archives: a killed run may have
reserved ids it never used), and what each should hold, computed again from the articles alone.

Derived tables are those an ingest builds from the articles it stored, beside the articles' own rows:
translation links (made after the writes, by a hook), the clusters of copies and their MinHash rows (band
rows may wait in memory until the run ends), listing membership and deletions (closed after a complete run),
and each saved search's alert mark. A crash trial compares `derived(trial)` with `derived(uninterrupted)`,
and both with `recomputed(...)`.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from propscope.enrich.duplicates import band_key_matrix, signature_from_bytes
from propscope.ingest.hooks import link_languages
from propscope.store import open_store

Derived = dict[str, Any]


def derived(db: Path | str) -> Derived:
    """The derived tables of a SQLite archive, each as a sorted list of rows named by article key."""
    conn = sqlite3.connect(db)
    try:
        return _derived(conn)
    finally:
        conn.close()


def _derived(conn: sqlite3.Connection) -> Derived:
    def rows(sql: str) -> list[tuple[Any, ...]]:
        return sorted(tuple(r) for r in conn.execute(sql).fetchall())

    clusters: dict[str, list[str]] = {}
    for key, cluster_key in conn.execute(
        "SELECT a.article_key, c.article_key FROM articles a JOIN articles c ON c.id = coalesce(a.cluster_id, a.id)"
    ):
        clusters.setdefault(cluster_key, []).append(key)
    return {
        "translations": rows(
            "SELECT es.article_key, en.article_key, round(l.score, 6) FROM article_links l"
            " JOIN articles es ON es.id = l.article_id JOIN articles en ON en.id = l.other_id"
            " WHERE l.kind = 'translation'"
        ),
        "clusters": sorted(tuple(sorted(members)) for members in clusters.values() if len(members) > 1),
        "minhash": rows(
            "SELECT a.article_key, m.content_key, m.signature IS NOT NULL, m.banded FROM article_minhash m"
            " JOIN articles a ON a.id = m.article_id"
        ),
        "bands": rows("SELECT b.key, a.article_key FROM minhash_bands b JOIN articles a ON a.id = b.article_id"),
        "listing_members": rows(
            "SELECT m.listing, a.article_key FROM listing_members m JOIN articles a ON a.id = m.article_id"
        ),
        "deletions": rows(
            "SELECT d.listing, a.article_key, d.restored_at IS NULL FROM deletions d"
            " JOIN articles a ON a.id = d.article_id"
        ),
        "alert_marks": rows(
            "SELECT s.name, coalesce(a.article_key, '') FROM saved_searches s"
            " LEFT JOIN articles a ON a.id = s.seen_up_to"
        ),
        # what is still to link: nothing, once a run has completed (an archive older than the table has none)
        "links_pending": rows("SELECT date FROM links_pending")
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'links_pending'").fetchone()
        else [],
    }


def recomputed(db: Path | str) -> Derived:
    """What the derived tables should hold, made again from the articles: translation links relinked from
    scratch over every date (in a copy of the archive), and band rows from the stored signatures. The rest
    (clusters, listings, alert marks) have no cheaper oracle than an uninterrupted run, which the trials use."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "copy.sqlite"
        source = sqlite3.connect(db)
        target = sqlite3.connect(copy)
        source.backup(target)  # the WAL's pages too, which a file copy could miss
        source.close()
        target.close()
        store = open_store(str(copy))
        try:
            store.conn.execute("DELETE FROM article_links WHERE kind = 'translation'")
            store.conn.commit()
            link_languages(store)
        finally:
            store.close()
        out = derived(copy)
        conn = sqlite3.connect(copy)
        try:
            signed = conn.execute(
                "SELECT a.article_key, m.signature FROM article_minhash m JOIN articles a ON a.id = m.article_id"
                " WHERE m.signature IS NOT NULL"
            ).fetchall()
        finally:
            conn.close()
        shutil.rmtree(scratch, ignore_errors=True)
    bands: list[tuple[Any, ...]] = []
    if signed:
        keys = band_key_matrix(np.stack([signature_from_bytes(s) for _, s in signed])).tolist()
        bands = sorted({(k, key) for (key, _), row in zip(signed, keys, strict=True) for k in row})
    out["bands"] = bands
    return out


def differences(actual: Derived, expected: Derived) -> list[str]:
    """The derived tables that differ, each with how many rows are missing and extra: a short message."""
    out = []
    for table in expected:
        have, want = set(actual.get(table, ())), set(expected[table])
        if have != want or len(actual.get(table, ())) != len(expected[table]):
            out.append(f"{table}: {len(want - have)} of {len(want)} missing, {len(have - want)} extra")
    return out
