"""A small archive for the filter tests: English and Spanish dispatches from two sources, one story printed
twice (two articles, one story), and a listing that later loses one of its dispatches (marked deleted)."""

from __future__ import annotations

import json
from pathlib import Path

from propscope.archive import Archive

EVENTS = [
    "Farmers of Sukchon County started transplanting rice on the cooperative fields early this spring.",
    "A new hydroelectric power station went into operation in the northern mountains after two years of work.",
    "Students of Kim Chaek University of Technology won first place in the national programming contest.",
]
ENGLISH: list[dict[str, object]] = [
    {
        "id": f"en{i}",
        "source": "kcna",
        "lang": "en",
        "date": f"2017-0{i + 1}-1{i}",
        "title": f"Report {i}",
        "body": f"Pyongyang, March {i + 1} (KCNA) -- The United States imperialists were denounced in talks"
        f" number {i}. {EVENTS[i]}",
    }
    for i in range(3)
]
SPANISH: list[dict[str, object]] = [
    {
        "id": f"es{i}",
        "source": "rodong",
        "lang": "es",
        "date": f"2018-0{i + 1}-0{i + 1}",
        "title": f"Informe {i}",
        "body": f"Pyongyang, {i + 1} de marzo (ATCC) -- Los imperialistas de Estados Unidos fueron denunciados en"
        f" la reunión número {i} sobre la cosecha de arroz de este año en la provincia.",
    }
    for i in range(2)
]
STORY = (
    "Pyongyang, May 5 (KCNA) -- The Japanese reactionaries were denounced at a meeting of working people held"
    " in the capital on the anniversary, where speakers called on the youth to study hard."
)
COPIES: list[dict[str, object]] = [
    {"id": f"copy{i}", "source": "kcna", "lang": "en", "date": "2019-05-05", "title": "Meeting", "body": STORY}
    for i in range(2)
]


def write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def build(db: str, tmp_path: Path) -> None:
    """The archive: ENGLISH and SPANISH from a listing that later lacks en2 (marked deleted), and COPIES."""
    with Archive(db) as archive:
        archive.ingest([write(tmp_path / "run1.jsonl", ENGLISH + SPANISH)], workers=1, listing="index")
        archive.ingest([write(tmp_path / "run2.jsonl", ENGLISH[:2] + SPANISH)], workers=1, listing="index")
        archive.ingest([write(tmp_path / "copies.jsonl", COPIES)], workers=1)
