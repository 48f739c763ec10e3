"""ingest/streams.py and the JSON Lines reader on top of it: gzip unpacked in bounded pieces within size and
ratio caps, several members read as one, a cut-off stream reported; runs of blank lines counted, not walked."""

from __future__ import annotations

import gzip
import io
import json

import pytest

from propscope.ingest import jsonl
from propscope.ingest.jsonl import records_from_jsonl_bytes
from propscope.ingest.streams import PIECE_BYTES, GunzipReader, UnpackLimitError, gunzip_pieces
from propscope.model import Quarantined, RawRecord
from propscope.settings import Limits

NEWLINES_MB = gzip.compress(b"\n" * 1024 * 1024)  # 1 MB of newlines packed into about 1 kB


def pieces(data: bytes, max_bytes: int = 1 << 40, max_ratio: int | None = None) -> list[bytes]:
    return list(gunzip_pieces(io.BytesIO(data).read, max_bytes=max_bytes, max_ratio=max_ratio))


def test_a_bomb_is_unpacked_in_bounded_pieces_and_stopped_at_its_cap() -> None:
    unpacked = 0
    with pytest.raises(UnpackLimitError, match=r"unpacks to over 5,000,000 bytes; raise PROPSCOPE_MAX_GUNZIP_BYTES"):
        for piece in gunzip_pieces(io.BytesIO(NEWLINES_MB * 20).read, max_bytes=5_000_000, max_ratio=None):
            assert len(piece) <= PIECE_BYTES
            unpacked += len(piece)
    assert unpacked <= 5_000_000


def test_the_ratio_cap_stops_a_bomb_under_the_size_cap() -> None:
    with pytest.raises(UnpackLimitError, match=r"over 200 times its size \(a gzip bomb\?\)"):
        pieces(NEWLINES_MB * 40, max_ratio=200)
    text = json.dumps({"title": "Threshing Finished", "body": "Pyongyang, March 3 (KCNA) -- farmers " * 9})
    ordinary = (text + "\n").encode() * 60_000  # 20 MB of records: packs far less than 200 to 1
    assert b"".join(pieces(gzip.compress(ordinary, compresslevel=1), max_ratio=200)) == ordinary


def test_members_one_after_another_read_as_one_stream_and_a_cut_one_is_reported() -> None:
    data = gzip.compress(b"one\n") + gzip.compress(b"two\n") + b"\x00" * 8
    assert b"".join(pieces(data)) == b"one\ntwo\n"
    with pytest.raises(EOFError):
        pieces(gzip.compress(b"one\ntwo\n" * 1000)[:-20])
    with pytest.raises(OSError, match="no gzip"):
        pieces(gzip.compress(b"one\n") + b"garbage")


def test_the_reader_reads_like_a_file() -> None:
    reader = GunzipReader(io.BytesIO(gzip.compress(b"abcdef" * 1000)), Limits())
    assert reader.read1(4) == b"abcd"
    assert reader.read(2) == b"ef"
    assert len(reader.read()) == 5994
    assert reader.read1() == b""
    reader.close()


def test_a_million_blank_lines_come_as_one_count() -> None:
    """Not one step per line: 200 MB of newlines (a 200 kB gzip) was 200 million steps, 130 s."""
    items = list(jsonl._lines([b'{"id": 1}\n' + b"\n" * 1_000_000 + b' \t\r\n\r\n{"id": 2}\n']))
    assert items == [(b'{"id": 1}\n', False), 1_000_002, (b'{"id": 2}\n', False)]


def test_records_after_blank_runs_keep_their_line_numbers() -> None:
    """A record without an id is known by its line: skipping blank lines must not renumber those after."""
    record = b'{"title": "Threshing Finished", "body": "Pyongyang, March 3 (KCNA) -- farmers"}\n'
    data = record + b"\n" * 300_000 + b"\r\n \n" + record.replace(b"Threshing", b"Sowing")
    items = list(records_from_jsonl_bytes(gzip.compress(data), "upload"))
    assert [i.meta["line"] for i in items if isinstance(i, RawRecord)] == ["line 1", "line 300004"]


def test_a_gzip_bomb_in_a_request_body_is_quarantined() -> None:
    record = b'{"id": "a", "title": "Threshing Finished", "body": "Pyongyang, March 3 (KCNA) -- farmers"}\n'
    items = list(
        records_from_jsonl_bytes(gzip.compress(record) + NEWLINES_MB * 4, "upload", Limits(gunzip_bytes=2_000_000))
    )
    assert [i.record_id for i in items if isinstance(i, RawRecord)] == ["a"]
    (stopped,) = [i for i in items if isinstance(i, Quarantined)]
    assert "gzip body unpacks to over 2,000,000 bytes" in stopped.reason
