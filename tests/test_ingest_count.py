"""count_records: the records an ingest will read, counted first for its progress's total."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from propscope.ingest.count import count_records
from propscope.settings import DEFAULT_LIMITS


def test_every_kind_of_input_is_counted(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": f"r{i}", "title": "T", "body": "B"}) + "\n" for i in range(5))
    (tmp_path / "plain.jsonl").write_text(lines)
    (tmp_path / "unterminated.jsonl").write_text(lines.rstrip("\n"))
    (tmp_path / "packed.jsonl.gz").write_bytes(gzip.compress(lines.encode() * 3))
    (tmp_path / "page.html").write_text("<html><body><h1>A</h1><p>text</p></body></html>")
    (tmp_path / "dispatch.txt").write_text("A Title\n\nPyongyang, May 1 (KCNA) -- Text.\n")
    pq.write_table(pa.table({"id": ["a", "b", "c", "d"], "body": ["x"] * 4}), tmp_path / "table.parquet")
    assert count_records([tmp_path]) == 5 + 5 + 15 + 1 + 1 + 4
    assert count_records([tmp_path / "missing.jsonl"]) == 1  # what it quarantines


def test_a_gzip_bomb_costs_no_more_than_the_reader_allows(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b"{}\n" * 7_000_000, 9))  # 21 MB from a few kB: past the ratio allowed
    assert len(bomb.read_bytes()) * DEFAULT_LIMITS.gunzip_ratio < 21_000_000
    assert count_records([bomb]) == 1  # refused as the reader refuses it: counted as the one item quarantined
