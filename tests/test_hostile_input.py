"""Hostile input: random text and bytes, deep or unclosed HTML, huge lines, gzip bombs, broken JSON, control
characters, right-to-left marks and the corpus's encoding mistakes. Every item lands or is quarantined with a
reason; nothing raises; memory stays bounded; the good items of a bad batch all land."""

from __future__ import annotations

import gzip
import json
import os
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from propscope.archive import Archive
from propscope.enrich import Pipeline
from propscope.ingest import read_inputs
from propscope.model import Article, Quarantined, RawRecord

PIPELINE = Pipeline(("entities", "support", "epithets"))
# CI tries a few hundred inputs per property; PROPSCOPE_FUZZ_EXAMPLES=20000 runs the fuzzer at scale.
EXAMPLES = int(os.environ.get("PROPSCOPE_FUZZ_EXAMPLES", "300"))
KCNA_ALPHABET = st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    list("Pyongyang, March 3 (KCNA) -- Kim Jong Un\n\u200f\u202e\u00a0\ufeff\u0000\u001b\t“”‘’—")
)


def check_spans(article: Article) -> None:
    n = len(article.text)
    spans = [
        *((e.start, e.end) for e in article.entities),
        *((f.start, f.end) for f in article.furniture),
        *((r.start, r.end) for r in article.relayed_from),
        *((q.start, q.end) for q in article.quotes),
        *((e.start, e.end) for e in article.epithets),
        *((s.start, s.end) for s in article.support_events),
    ]
    if article.dateline:
        spans.append((article.dateline.start, article.dateline.end))
    assert all(0 <= start <= end <= n for start, end in spans)
    assert all(article.text[e.start : e.end] == e.text for e in article.epithets)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=KCNA_ALPHABET, max_size=3000))
def test_any_text_parses_or_is_quarantined_with_valid_spans(text: str) -> None:
    result = PIPELINE.safely(RawRecord(origin="fuzz", kind="text", text=text, raw=text.encode("utf-8", "replace")))
    if isinstance(result, Quarantined):
        assert result.reason
    else:
        check_spans(result)
        json.dumps(result.to_dict())


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4000), st.sampled_from(["x.txt", "x.html", "x.jsonl", "x.json", "x.bin"]))
def test_any_bytes_in_any_file_are_read_or_quarantined(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, name: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / name
    path.write_bytes(data)
    for item in read_inputs([path]):
        if isinstance(item, Quarantined):
            assert item.reason and item.origin
        else:
            result = PIPELINE.safely(item)
            assert isinstance(result, (Article, Quarantined))


@pytest.mark.engines
def test_monsters_are_quarantined_and_the_good_items_land(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    good = {"id": "ok1", "source": "t", "title": "Good", "body": "Pyongyang, May 1 (KCNA) -- A good dispatch."}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({"id": "empty", "title": "", "body": ""}),
        json.dumps({"id": "rtl", "title": "\u202eDLROW\u202c", "body": "\u200fPyongyang\u200e, \x00\x1b[31m text"}),
        "x" * (9 * 1024 * 1024),  # one line over the 8 MB cap
        json.dumps({**good, "id": "ok2", "body": "Pyongyang, May 2 (KCNA) -- Kim Jong Unâ€™s visit (mojibake)."}),
    ]
    (folder / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with gzip.open(folder / "bomb.jsonl.gz", "wb", compresslevel=9) as bomb:  # 512 MB of zeros, ~0.5 MB on disk
        chunk = b"\x00" * (1 << 20)
        for _ in range(512):
            bomb.write(chunk)
    (folder / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + "deep text" + "</div>" * 100_000)
    (folder / "unclosed.html").write_text("<html><head><title>Unclosed<body><p>Pyongyang, June 1 (KCNA) -- <b><i>text")
    (folder / "latin1.txt").write_bytes(
        "Reunión en La Habana\n\nPyongyang, 1 de junio (ATCC) -- Texto.".encode("latin-1")
    )
    (folder / "utf16.txt").write_bytes("Title\n\nBody text.".encode("utf-16"))
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfTitle with BOM\n\nPyongyang, May 1 (KCNA) -- Body.")
    (folder / "truncated.jsonl.gz").write_bytes(gzip.compress((json.dumps(good) + "\n").encode() * 50)[:300])
    tracemalloc.start()
    with Archive(db) as archive:
        result = archive.ingest([folder], workers=1)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        titles = {h.title for h in archive.search(None, limit=100, collapse=False)}
        reasons = [q["reason"] for q in archive.store.quarantine()]
    assert peak < 150 * 1024 * 1024, f"peak {peak / 2**20:.0f} MB"
    assert {"Good", "\u202eDLROW\u202c", "Title with BOM"} <= titles
    assert any("not valid JSON" in r or "JSON" in r for r in reasons)
    assert any("longer than" in r for r in reasons)
    assert any("neither title nor body" in r for r in reasons)
    assert result.quarantined == len(reasons) >= 4
