"""ingest/jsonl.py: JSON Lines held in memory (a request body) read as a file of them is, and /api/ingest
handing them to ingest with no temporary file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from propscope.archive import Archive
from propscope.ingest.jsonl import read_jsonl, records_from_jsonl_bytes, upload_origin
from propscope.model import Quarantined, RawRecord
from propscope.web.app import create_app
from tests.collect_fixtures import forbid_temporary_files

LINES = [
    json.dumps({"id": "r1", "source": "kcna", "title": "A Title", "body": "Pyongyang, July 14 (KCNA) -- Body."}),
    "{not json",
    "",
    json.dumps({"title": "No id", "body": "A record kept apart by its origin and line."}),
]
DATA = ("\n".join(LINES) + "\n").encode()


@pytest.mark.parametrize(
    "data", [DATA, gzip.compress(DATA), gzip.compress(DATA * 40)[:300]], ids=["plain", "gzip", "truncated gzip"]
)
def test_bytes_are_read_as_the_same_bytes_in_a_file_are(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_bytes(data)
    from_file = list(read_jsonl(path))
    assert list(records_from_jsonl_bytes(data, str(path))) == from_file
    kinds = [type(item) for item in from_file]
    assert RawRecord in kinds and Quarantined in kinds


def test_each_upload_has_its_own_origin() -> None:
    first, second = upload_origin(), upload_origin()
    assert first != second and first.startswith("upload ")


@pytest.mark.engines
def test_the_endpoint_ingests_a_body_with_no_temporary_file(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    client = TestClient(create_app(db), base_url="http://127.0.0.1")
    forbid_temporary_files(monkeypatch)
    counts = client.post("/api/ingest", content=gzip.compress(DATA)).json()
    assert counts == {"added": 2, "unchanged": 0, "new_versions": 0, "quarantined": 1}
    again = client.post("/api/ingest", content=DATA).json()
    assert again == {"added": 0, "unchanged": 2, "new_versions": 0, "quarantined": 1}
    with Archive(db, readonly=True) as archive:
        origins = {archive.article(hit.id).origin for hit in archive.search(None, collapse=False)}
    assert len(origins) == 1 and origins.pop().startswith("upload ")
