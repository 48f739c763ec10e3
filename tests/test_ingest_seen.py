"""ingest/seen.py: the time a record's source saw its text, from the fields scrapers and archives write."""

from __future__ import annotations

import datetime as dt
import json

from propscope.ingest.jsonl import parse_record_line
from propscope.ingest.seen import seen_time

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


def test_the_record_s_own_fields_in_the_store_s_form() -> None:
    assert seen_time({"first_seen": "2021-10-16T02:13:46+00:00"}, NOW) == "2021-10-16T02:13:46+00:00"
    assert seen_time({"seen_at": "2024-08-04T09:00:00Z"}, NOW) == "2024-08-04T09:00:00+00:00"
    assert seen_time({"fetched_at": "2024-08-04T18:00:00+09:00"}, NOW) == "2024-08-04T09:00:00+00:00"
    assert seen_time({"fetched_at": "2024-08-04 09:00:00.123456"}, NOW) == "2024-08-04T09:00:00+00:00"  # no zone: UTC
    assert seen_time({"seen_at": 1722762000}, NOW) == seen_time({"seen_at": 1722762000000}, NOW)
    assert seen_time({"seen_at": 1722762000}, NOW) == "2024-08-04T09:00:00+00:00"
    # the first sighting of the text wins over a later fetch of it
    assert seen_time({"fetched_at": "2024-09-01", "first_seen": "2024-08-01"}, NOW) == "2024-08-01T00:00:00+00:00"


def test_a_dated_snapshot_file_gives_its_day() -> None:
    """kcna.kp's daily archives: `data/archive/headlines_2024-08-04.json`."""
    record = {"provenance": {"repo": "stiles/north-korea-news", "path": "data/archive/headlines_2024-08-04.json"}}
    assert seen_time(record, NOW) == "2024-08-04T00:00:00+00:00"
    assert seen_time({"provenance": {"path": "data/2024-08-04/rodong.json"}}, NOW) is None  # a folder is no snapshot
    assert seen_time({"provenance": {"path": "data/headlines_2024-13-45.json"}}, NOW) is None


def test_what_is_no_sighting_leaves_the_ingest_time() -> None:
    for value in ("yesterday", "", None, True, "2024-08-04T25:00:00", "2031-01-01T00:00:00Z", "1970-01-02", -5, 10**30):
        assert seen_time({"first_seen": value}, NOW) is None, value
    # a bad field does not hide a good one after it
    assert seen_time({"first_seen": "soon", "fetched_at": "2024-08-04T09:00:00Z"}, NOW) == "2024-08-04T09:00:00+00:00"


def test_a_json_lines_record_carries_its_time() -> None:
    line = json.dumps({"id": "r1", "title": "T", "body": "B", "first_seen": "2021-07-23T13:22:35+00:00"})
    record = parse_record_line(line.encode(), "f.jsonl", 1)
    assert record.seen_at == "2021-07-23T13:22:35+00:00"  # type: ignore[union-attr]
    assert parse_record_line(b'{"id": "r2", "title": "T", "body": "B"}', "f.jsonl", 2).seen_at is None  # type: ignore[union-attr]
