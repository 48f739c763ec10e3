"""Bad input of every kind is quarantined with a reason naming the file and record; the rest lands."""

from __future__ import annotations

import codecs
import gzip
import json
from pathlib import Path

import pytest

from propscope.ingest import read_inputs
from propscope.model import Quarantined, RawRecord

GOOD = {
    "id": "r1",
    "source": "kcna",
    "date": "2006-07-15",
    "title": "A Title",
    "body": "Pyongyang, July 14 (KCNA) -- Body.",
    "url": "http://kcna.co.jp/item/2006/200607/news15/1.htm",
    "lang": "en",
}


def split(items: list) -> tuple[list[RawRecord], list[Quarantined]]:
    good = [i for i in items if isinstance(i, RawRecord)]
    bad = [i for i in items if isinstance(i, Quarantined)]
    return good, bad


def test_record_text_is_title_blank_line_body(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    (record,) = read_inputs([path])
    assert isinstance(record, RawRecord)
    assert record.text == "A Title\n\nPyongyang, July 14 (KCNA) -- Body."
    assert record.record_id == "r1" and record.date == "2006-07-15" and record.title_end == 7


def test_malformed_lines_are_quarantined_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [
        json.dumps(GOOD).encode(),
        b"{not json",
        b"[1, 2]",
        b'{"id": "x"}',
        b"\xff\xfe{}",
        json.dumps({**GOOD, "id": "r2"}).encode(),
    ]
    path.write_bytes(b"\n".join(lines) + b"\n")
    good, bad = split(list(read_inputs([path])))
    assert [r.record_id for r in good] == ["r1", "r2"]
    reasons = [b.reason for b in bad]
    assert any("malformed JSON" in r for r in reasons)
    assert any("not an object" in r for r in reasons)
    assert any("neither title nor body" in r for r in reasons)
    assert any("invalid UTF-8" in r for r in reasons)
    assert all(b.origin == str(path) and b.record_id for b in bad)


def test_truncated_gzip_keeps_what_came_before(tmp_path: Path) -> None:
    data = gzip.compress(
        b"".join(json.dumps({**GOOD, "id": f"r{i}", "body": "x" * 5000}).encode() + b"\n" for i in range(50))
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    good, bad = split(list(read_inputs([path])))
    assert 0 < len(good) < 50
    assert len(bad) == 1 and "truncated gzip" in bad[0].reason


def test_a_huge_single_line_is_skipped_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as handle:
        handle.write(json.dumps(GOOD).encode() + b"\n")
        handle.write(b'{"id": "big", "body": "' + b"a" * (50 * 1024 * 1024) + b'"}\n')  # the 50 MB line
        handle.write(json.dumps({**GOOD, "id": "after"}).encode() + b"\n")
    good, bad = split(list(read_inputs([path])))
    assert [r.record_id for r in good] == ["r1", "after"]
    assert "longer than" in bad[0].reason and bad[0].record_id == "line 2"


def test_binary_empty_and_bad_text_files(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b"  \n\n ")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "nul.txt").write_bytes(b"abc\x00def")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 News\n\nPyongyang".encode("latin-1"))
    (tmp_path / "good.txt").write_text("Title\n\nPyongyang, July 14 (KCNA) -- Body.", encoding="utf-8")
    good, bad = split(list(read_inputs([tmp_path])))
    assert [Path(r.origin).name for r in good] == ["good.txt"]
    reasons = {Path(b.origin).name: b.reason for b in bad}
    assert reasons["empty.txt"] == "empty file"
    assert "white space" in reasons["blank.txt"]
    assert "PNG" in reasons["image.png"]
    assert "NUL" in reasons["nul.txt"]
    assert "invalid UTF-8" in reasons["latin1.txt"]


def test_missing_path_is_quarantined(tmp_path: Path) -> None:
    (item,) = read_inputs([tmp_path / "nope.txt"])
    assert isinstance(item, Quarantined) and "no such file" in item.reason


def test_saved_html_page(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent / "examples"
    (record,) = read_inputs([root / "solidarity_meeting.html"])
    assert isinstance(record, RawRecord) and record.kind == "html"
    assert record.text.startswith("Solidarity Meeting Held in Lima\n\n")
    assert "Pyongyang, June 25 (KCNA)" in record.text
    assert record.date == "2015-06-25" and record.date_source == "page_metadata"
    assert "Share this" not in record.text


def test_json_document_with_scraper_field_names(tmp_path: Path) -> None:
    items = [
        {
            "topic": "News",
            "headline": "Farm Harvest",
            "link": "http://example.org/a1",
            "date": 1703376000000,
            "story_text": "Pyongyang, December 24 (KCNA) -- Farmers harvested.",
        },
        "not a record",
    ]
    path = tmp_path / "archive.json"
    path.write_text(json.dumps(items, indent=4), encoding="utf-8")
    good, bad = split(list(read_inputs([path])))
    assert [(r.text, r.url, r.date) for r in good] == [
        ("Farm Harvest\n\nPyongyang, December 24 (KCNA) -- Farmers harvested.", "http://example.org/a1", "2023-12-24")
    ]
    assert [b.reason for b in bad] == ["list item is not an object"]
    (tmp_path / "broken.json").write_text('[\n {"title": "x",\n', encoding="utf-8")
    (item,) = read_inputs([tmp_path / "broken.json"])
    assert isinstance(item, Quarantined) and "malformed JSON" in item.reason


TWO = [{**GOOD, "id": "first", "title": "First"}, {**GOOD, "id": "second", "title": "Second"}]


def jsonl(records: list[dict], end: str = "\n") -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + end for r in records)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bom.jsonl", b"\xef\xbb\xbf" + jsonl(TWO).encode()),  # Windows' UTF-8: the first record once lost
        ("mac.jsonl", jsonl(TWO, "\r").encode()),  # old Mac line ends: once one glued, malformed line
        ("mixed.jsonl", (json.dumps(TWO[0]) + "\r" + json.dumps(TWO[1]) + "\r\n").encode()),
        ("utf16le.jsonl", jsonl(TWO).encode("utf-16")),  # with its BOM, as Windows' "Unicode"
        ("utf16be.jsonl", codecs.BOM_UTF16_BE + jsonl(TWO).encode("utf-16-be")),
        ("utf32.jsonl", jsonl(TWO).encode("utf-32")),
        ("utf16.json", json.dumps(TWO, indent=1).encode("utf-16")),
        ("utf16.jsonl.gz", gzip.compress(jsonl(TWO, "\r\n").encode("utf-16"))),
    ],
)
def test_every_record_of_a_bom_cr_or_wide_file_is_read(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    good, bad = split(list(read_inputs([path])))
    assert bad == [] and [r.record_id for r in good] == ["first", "second"]
    assert good[0].text == "First\n\nPyongyang, July 14 (KCNA) -- Body."


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_a_wide_text_file_is_read_not_called_binary(tmp_path: Path, encoding: str) -> None:
    text = "Title of a dispatch\r\n\r\nPyongyang, July 14 (KCNA) -- Body, “quoted”."
    bom = codecs.BOM_UTF16_BE if encoding == "utf-16-be" else b""
    (tmp_path / "wide.txt").write_bytes(bom + text.encode(encoding))
    (record,) = read_inputs([tmp_path / "wide.txt"])
    assert isinstance(record, RawRecord), record
    assert record.text == text.replace("\r\n", "\n")


def test_line_ends_split_wherever_chunks_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """\\r\\n split across two chunks is one line end; a lone \\r ending a chunk is one too; blank lines come as
    their count."""
    from propscope.ingest import jsonl as reader

    data = b'{"id": 1}\r\n{"id": 2}\r{"id": 3}\n\r\n{"id": 4}\r'
    expected = [b'{"id": 1}\r\n', b'{"id": 2}\r', b'{"id": 3}\n', 1, b'{"id": 4}\r']
    for size in range(1, len(data) + 1):
        chunks = [data[i : i + size] for i in range(0, len(data), size)]
        assert [item if isinstance(item, int) else item[0] for item in reader._lines(chunks)] == expected, size
    monkeypatch.setattr(reader, "MAX_LINE_BYTES", 4)
    lines = list(reader._lines([b"ab\rlonger line\rcd", b"efgh\r\nok\r"]))
    assert lines == [(b"ab\r", False), (b"long", True), (b"cdef", True), (b"ok\r", False)]
