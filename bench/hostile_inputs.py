"""Benchmark (not a test): what hostile inputs cost to read, beside a normal page and a normal file read in
the same run. Issue 14, point 6: before the limits, a page of 30,000 attributes took 21 s, one of 100,000
over 150 s, a 196 kB gzip of newlines 130 s, and a 2 MB sitemap gzip was unpacked to 4.3 GB; each should now
cost under a second (quarantined, or its run stopped, with the setting that would let it in).

Run from the repository root:  .venv/bin/python bench/hostile_inputs.py
Needs no corpus: every input is generated into a temporary folder.
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from propscope.collect.listings import sitemap_entries
from propscope.errors import ListingTooLarge
from propscope.ingest import read_inputs
from propscope.model import Quarantined
from propscope.settings import DEFAULT_LIMITS, Limits

PARAGRAPH = "<p>Pyongyang, March 3 (KCNA) -- Farmers of South Hwanghae Province finished threshing early.</p>"
RECORD = {"id": "r", "title": "Threshing Finished", "body": "Pyongyang, March 3 (KCNA) -- farmers " * 40}


def page(attributes: int = 0) -> bytes:
    names = " ".join(f'a{i}="v"' for i in range(attributes))
    return (
        f"<html><head><title>T</title></head><body><article {names}>{PARAGRAPH * 30}</article></body></html>".encode()
    )


def timed(work: Callable[[], str]) -> tuple[float, str]:
    started = time.perf_counter()
    outcome = work()
    return time.perf_counter() - started, outcome


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> Callable[[], str]:
    def work() -> str:
        items = list(read_inputs([path], limits))
        bad = [i for i in items if isinstance(i, Quarantined)]
        return f"{len(items) - len(bad)} read, {len(bad)} quarantined" + (f": {bad[0].reason[:70]}" if bad else "")

    return work


def sitemap(data: bytes) -> Callable[[], str]:
    def work() -> str:
        try:
            items, children = sitemap_entries(data, "http://news.example/sitemap.xml.gz")
        except ListingTooLarge as exc:
            return f"stopped: {str(exc)[:70]}"
        return f"{len(items)} URLs, {len(children)} sitemaps"

    return work


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "normal.html").write_bytes(page())
        (root / "attrs30k.html").write_bytes(page(30_000))
        (root / "attrs100k.html").write_bytes(page(100_000))
        (root / "normal.jsonl.gz").write_bytes(gzip.compress((json.dumps(RECORD) + "\n").encode() * 2_000))
        newlines = gzip.compress(b"\n" * (200 * 1024 * 1024), compresslevel=9)  # ~196 kB
        (root / "newlines.jsonl.gz").write_bytes(gzip.compress((json.dumps(RECORD) + "\n").encode()) + newlines)
        urls = "".join(f"<url><loc>http://news.example/{n}.html</loc></url>" for n in range(2_000))
        normal_map = gzip.compress(
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()
        )
        bomb_map = gzip.compress(b"<urlset>" + b" " * (2 * 1024 * 1024 * 1024), compresslevel=9)  # ~2 MB -> 2 GB
        read(root / "normal.html")()  # trafilatura's import is paid before anything is timed
        anchors = {"page": timed(read(root / "normal.html")), "file": timed(read(root / "normal.jsonl.gz"))}
        anchors["sitemap"] = timed(sitemap(normal_map))
        cases = [
            ("page, 30,000 attributes", "page", read(root / "attrs30k.html")),
            ("page, 100,000 attributes", "page", read(root / "attrs100k.html")),
            (f"gzip of newlines ({len(newlines) // 1024} kB)", "file", read(root / "newlines.jsonl.gz")),
            (
                "the same, ratio cap lifted (200 MB read)",
                "file",
                read(root / "newlines.jsonl.gz", Limits(gunzip_ratio=10**9)),
            ),
            (f"sitemap gzip bomb ({len(bomb_map) // 1024} kB)", "sitemap", sitemap(bomb_map)),
        ]
        for name, (seconds, outcome) in anchors.items():
            print(f"anchor {name:<38} {seconds:8.3f} s  {outcome}")
        for name, anchor, work in cases:
            seconds, outcome = timed(work)
            ratio = seconds / max(anchors[anchor][0], 1e-6)
            print(f"{name:<45} {seconds:8.3f} s  {ratio:8.1f}x the {anchor} anchor  {outcome}")


if __name__ == "__main__":
    main()
