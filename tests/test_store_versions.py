"""store/versions.py: an article's versions take their time and their place from when the source saw each text
(first_seen, seen_at, fetched_at), whatever the order of ingest; without a source time, the ingest time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from propscope.archive import Archive
from propscope.store import writes

from .conftest import shared_path

BODY = "Pyongyang, May 3 (KCNA) -- Kim Yong Nam met the delegation of the Socialist Party of Benin on {}."
DAYS = {"A": "Monday", "B": "Tuesday", "C": "Wednesday", "D": "Thursday"}


def _record(text: str, **seen: Any) -> dict[str, Any]:
    return {"id": "x1", "source": "kcna", "title": "Talks", "body": BODY.format(DAYS[text]), **seen}


def _ingest(db: str, path: Path, *records: dict[str, Any]) -> tuple[int, int, int]:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    with Archive(db) as archive:
        result = archive.ingest([path], workers=1)
    return result.added, result.unchanged, result.new_versions


def _history(db: str) -> list[tuple[int, str, str]]:
    """(version, seen_at, the text's weekday) of article 1, oldest first."""
    with Archive(db, readonly=True) as archive:
        out = []
        for v in archive.versions(1):
            day = next(letter for letter, name in DAYS.items() if f"on {name}." in v.text)
            out.append((v.version, v.seen_at, day))
        return out


def _current(db: str) -> str:
    with Archive(db, readonly=True) as archive:
        text = archive.article(1).text
    return next(letter for letter, name in DAYS.items() if f"on {name}." in text)


@pytest.mark.engines
def test_a_text_seen_before_the_current_one_goes_into_the_history_before_it(db: str, tmp_path: Path) -> None:
    """Rodong Sinmun's case: its later versions ingested first, its first texts after; then a text with no time."""
    assert _ingest(db, tmp_path / "later.jsonl", _record("B", first_seen="2021-10-16T02:13:46+00:00")) == (1, 0, 0)
    assert _ingest(db, tmp_path / "first.jsonl", _record("A", first_seen="2021-07-23T13:22:35Z")) == (0, 0, 1)
    assert _history(db) == [(1, "2021-07-23T13:22:35+00:00", "A"), (2, "2021-10-16T02:13:46+00:00", "B")]
    assert _current(db) == "B"
    # without a source time, the ingest time: later than 2021, so the latest text
    assert _ingest(db, tmp_path / "unstamped.jsonl", _record("C")) == (0, 0, 1)
    history = _history(db)
    assert [(v, day) for v, _, day in history] == [(1, "A"), (2, "B"), (3, "C")] and history[2][1] > "2026"
    assert _current(db) == "C"


@pytest.mark.engines
def test_versions_ingested_in_any_order_come_out_in_the_order_seen(db: str, tmp_path: Path) -> None:
    stamps = {"A": "2024-08-04T09:00:00+00:00", "B": "2024-09-01T10:00:00+00:00", "C": "2024-11-11T11:00:00+00:00"}
    # one batch and three batches alike; the middle one arrives last, seen under three field names
    _ingest(db, tmp_path / "1.jsonl", _record("C", fetched_at=stamps["C"]), _record("A", seen_at=stamps["A"]))
    assert _ingest(db, tmp_path / "2.jsonl", _record("B", first_seen=stamps["B"])) == (0, 0, 1)
    assert _history(db) == [(1, stamps["A"], "A"), (2, stamps["B"], "B"), (3, stamps["C"], "C")]
    assert _current(db) == "C"
    # the same texts again, and an old text seen once more at its place, are no new versions
    seen_again = (_record("A", seen_at="2024-08-20T00:00:00Z"), _record("B", seen_at=stamps["B"]))
    again = _ingest(db, tmp_path / "3.jsonl", *seen_again)
    assert again == (0, 2, 0) and len(_history(db)) == 3
    # an old text seen earlier than we knew moves its sighting back, and is still no new version
    assert _ingest(db, tmp_path / "4.jsonl", _record("A", seen_at="2024-08-01T00:00:00Z")) == (0, 1, 0)
    assert _history(db)[0] == (1, "2024-08-01T00:00:00+00:00", "A")
    # a reparse reads the current version's raw input by its (moved) number: the current text stays C
    with Archive(db) as archive:
        assert archive.reparse(everything=True) == 1
    assert _current(db) == "C" and [v[2] for v in _history(db)] == ["A", "B", "C"]


@pytest.mark.engines
def test_reparse_never_rewrites_the_times_versions_were_seen(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writes, "now", lambda: "2026-01-01T18:51:21+00:00")
    _ingest(db, tmp_path / "1.jsonl", _record("A"))
    monkeypatch.setattr(writes, "now", lambda: "2026-01-02T18:51:21+00:00")
    _ingest(db, tmp_path / "2.jsonl", _record("B"))
    before = _history(db)
    assert [seen for _, seen, _ in before] == ["2026-01-01T18:51:21+00:00", "2026-01-02T18:51:21+00:00"]
    monkeypatch.setattr(writes, "now", lambda: "2026-01-03T18:56:24+00:00")
    with Archive(db) as archive:
        assert archive.reparse(everything=True) == 1
    assert _history(db) == before


@pytest.mark.engines
def test_kcna_and_rodong_sinmun_versions_take_the_order_their_sources_saw(db: str) -> None:
    kcna = shared_path("corpora", "kcna-kp-2024")
    rodong = shared_path("corpora", "rodong-en-frontpage-2021-2022")
    # kcna.kp: the main file (its archive of 2024-11-11) first, the earlier versions (older daily archives)
    # after; Rodong Sinmun: its later versions first, the main file (each text's first_seen) after.
    with Archive(db) as archive:
        archive.ingest([kcna / "kcna_kp_2024.jsonl", rodong / "rodong_en_frontpage_other_versions.jsonl"])
        later = [kcna / "kcna_kp_2024_earlier_versions.jsonl", rodong / "rodong_en_frontpage_2021_2022.jsonl"]
        assert archive.ingest(later).new_versions == 26
        ids = [int(r[0]) for r in archive.store.db.rows("SELECT DISTINCT article_id FROM article_versions")]
        histories = [archive.versions(i) for i in ids]
    assert len(histories) == 26 and all(len(h) == 2 and h[0].seen_at < h[1].seen_at for h in histories)
    first_seen = {json.loads(line)["first_seen"] for line in (rodong / "rodong_en_frontpage_2021_2022.jsonl").open()}
    edited = {json.loads(line)["first_seen"] for line in (rodong / "rodong_en_frontpage_other_versions.jsonl").open()}
    by_rodong = [h for h in histories if h[0].seen_at in first_seen]
    assert len(by_rodong) == 4 and all(h[1].seen_at in edited for h in by_rodong)
    by_kcna = [h for h in histories if h not in by_rodong]
    assert all(h[1].seen_at == "2024-11-11T00:00:00+00:00" and h[0].seen_at < "2024-11-11" for h in by_kcna)


@pytest.mark.engines
def test_an_archive_made_before_seen_times_keeps_what_it_knew(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 0013: the current text was seen when its raw input was ingested, not when a reparse last
    rewrote the row (updated_at, which the history showed before)."""
    monkeypatch.setattr(writes, "now", lambda: "2026-01-01T18:51:21+00:00")
    _ingest(db, tmp_path / "1.jsonl", _record("A"))
    monkeypatch.setattr(writes, "now", lambda: "2026-01-02T18:51:21+00:00")
    _ingest(db, tmp_path / "2.jsonl", _record("B"))
    with Archive(db) as archive:
        store = archive.store
        with store._writing():
            for table in ("articles", "article_versions"):
                store.db.execute(f"ALTER TABLE {table} DROP COLUMN seen_at")
            store.db.execute("UPDATE articles SET updated_at = '2026-01-03T18:56:24+00:00'")  # an old reparse
            if db.startswith("postgresql"):
                store.db.execute("DELETE FROM propscope_schema WHERE version >= 13")
            else:
                store.db.execute("PRAGMA user_version = 12")
    with Archive(db) as archive:
        assert archive.store.schema_version() == 13
    assert [seen for _, seen, _ in _history(db)] == ["2026-01-01T18:51:21+00:00", "2026-01-02T18:51:21+00:00"]
