"""Duplicates in the archive: copies across sources and scrapes share a cluster; search shows one hit per
story with how many copies it stands for."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from propscope.archive import Archive
from propscope.cli import app

from .conftest import shared_path

runner = CliRunner()
STORY = (
    "Pyongyang, March 3 (KCNA) -- A meeting was held at the Grand People's Study House on Tuesday to mark the "
    "anniversary of the publication of the classic work. Present there were officials of the Cabinet, ministries "
    "and national agencies, teachers, researchers and students. Speakers said the work gave a clear answer to "
    "the questions arising in the building of the economy and called for carrying it out to the letter."
)
OTHER = (
    "Pyongyang, March 3 (KCNA) -- Farmers of Sukchon County began transplanting rice seedlings on Monday, the "
    "earliest in years, thanks to cold-bed nurseries built over the winter by the county's cooperative farms."
)


def write(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.mark.engines
def test_copies_and_near_copies_share_a_cluster_and_search_folds_them(db: str, tmp_path: Path) -> None:
    near = STORY.replace("on Tuesday", "on Wednesday").replace("Pyongyang, March 3 (KCNA) -- ", "")
    write(
        tmp_path / "a.jsonl",
        [
            {"id": "a1", "source": "scrape-a", "title": "Meeting Held", "body": STORY},
            {"id": "a2", "source": "scrape-a", "title": "Rice Transplanting", "body": OTHER},
        ],
    )
    write(
        tmp_path / "b.jsonl",
        [
            {"id": "b1", "source": "scrape-b", "title": "Meeting Held", "body": STORY},  # exact copy
            {"id": "b2", "source": "scrape-b", "title": "Anniversary Meeting", "body": near},  # near copy
        ],
    )
    with Archive(db) as archive:
        archive.ingest([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], workers=1)
        (hit,) = archive.search("meeting")  # the story's best-ranked copy stands for it (engines rank apart)
        assert hit.copies == 2 and hit.id in {1, 3, 4}
        assert archive.count("meeting") == 1 and archive.count("meeting", collapse=False) == 3
        assert len(archive.search("meeting", collapse=False)) == 3
        assert {c["id"] for c in archive.store.cluster_members(1)} == {3, 4}
        assert archive.store.cluster_members(2) == []
    result = runner.invoke(app, ["search", "meeting OR seedlings", "--db", db, "--format", "jsonl"])
    shown = {json.loads(line)["id"]: json.loads(line)["copies"] for line in result.stdout.splitlines()}
    assert len(shown) == 2 and shown.pop(2) == 0 and list(shown.values()) == [2]


@pytest.mark.engines
def test_a_new_text_leaves_its_cluster(db: str, tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", [{"id": "a1", "source": "s", "title": "T", "body": STORY}])
    write(tmp_path / "b.jsonl", [{"id": "b1", "source": "s", "title": "T", "body": STORY}])
    write(tmp_path / "c.jsonl", [{"id": "b1", "source": "s", "title": "T", "body": OTHER}])
    with Archive(db) as archive:
        archive.ingest([tmp_path / "a.jsonl", tmp_path / "b.jsonl"], workers=1)
        assert archive.store.cluster_members(2) == [{"id": 1, "date": None, "title": "T", "source": "s"}]
        archive.ingest([tmp_path / "c.jsonl"], workers=1)  # b1 rewritten as another story
        assert archive.count("seedlings") == 1 and archive.count("meeting") == 1
        assert archive.store.versions(2)[-1]["text"].endswith(OTHER)


def test_the_two_kcna_scrapes_of_january_2011_fold_together(tmp_path: Path) -> None:
    folder = shared_path("corpora")
    picked = []
    for name in ("kcna-co-jp-2011-2012/kcna_co_jp_2011.jsonl.gz", "kcna-co-jp-1997-2018/kcna_co_jp_2011.jsonl.gz"):
        with gzip.open(folder / name, "rt", encoding="utf-8") as lines:
            for line in lines:
                if json.loads(line).get("date", "").startswith("2011-01-0"):
                    picked.append(line)
    source = tmp_path / "jan.jsonl"
    source.write_text("".join(picked), encoding="utf-8")
    db = str(tmp_path / "d.sqlite")
    with Archive(db) as archive:
        archive.ingest([source], workers=1)
        stories = archive.count(None)
        articles = archive.count(None, collapse=False)
    assert articles == len(picked) and articles - stories >= 60  # many stories are in both scrapes (81 here)


@pytest.mark.engines
def test_band_rows_lost_to_a_crash_are_rebuilt(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from propscope.store.sql import SQLStore

    write(tmp_path / "a.jsonl", [{"id": "a1", "source": "s", "title": "T", "body": STORY}])
    with monkeypatch.context() as patched:  # as if the run were killed before it wrote its band rows
        patched.setattr(SQLStore, "flush_bands", lambda self: None)
        with Archive(db) as archive:
            archive.ingest([tmp_path / "a.jsonl"], workers=1)
            archive.store._pending_bands.clear()
            assert archive.store.conn.execute("SELECT count(*) FROM minhash_bands").fetchone()[0] == 0
    near = STORY.replace("on Tuesday", "on Wednesday")
    write(tmp_path / "b.jsonl", [{"id": "b1", "source": "s", "title": "T", "body": near}])
    with Archive(db) as archive:
        archive.ingest([tmp_path / "b.jsonl"], workers=1)  # recovers the lost rows first, then finds the copy
        assert [c["id"] for c in archive.store.cluster_members(2)] == [1]
