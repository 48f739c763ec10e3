"""Benchmark (not a test): what the leadership tables (issue 16, migration 0011) cost the store, and how fast the
leadership reads are.

The English leader dispatches (a title naming Kim Jong Il or Kim Jong Un) of some years of kcna.co.jp are parsed
once with the default steps; then the same prepared articles are written twice into fresh SQLite archives, as
ingest writes them (write_batch, batches of 500): with their official_mentions, appearances and
appearance_people rows, and with those rows left out (the anchor: the store as it was before 0011). The ratio is
printed. Then each leadership read is timed (median of 5) beside a filter-less search of one page, measured in
the same run. Needs an enrich step that fills the appearances (issue 16's); exits 0 with a `skipped:` line
where none does or ../shared is absent.

    .venv/bin/python bench/leadership_store.py [--years 2013,2014] [--limit 5000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from propscope.archive import Archive
from propscope.enrich import Pipeline
from propscope.ingest import record_from_raw
from propscope.model import Quarantined, SearchFilters
from propscope.store.codec import Prepared, prepare

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"
LEADER_TITLE = re.compile(r"\bKim Jong (Un|Il)\b")
BATCH = 500


def leader_lines(years: list[int], limit: int) -> list[bytes]:
    lines: list[bytes] = []
    for year in years:
        path = CORPUS / f"kcna_co_jp_{year}.jsonl.gz"
        with gzip.open(path, "rb") as handle:
            for line in handle:
                record = json.loads(line)
                if record.get("lang") == "en" and LEADER_TITLE.search(record.get("title", "")):
                    lines.append(line.rstrip(b"\n"))
                    if len(lines) >= limit:
                        return lines
    return lines


def prepared(lines: list[bytes]) -> list[Prepared]:
    pipeline = Pipeline()
    out = []
    for number, line in enumerate(lines):
        record = record_from_raw("jsonl", line, "bench.jsonl", None)
        article = record if isinstance(record, Quarantined) else pipeline.safely(record)
        if isinstance(article, Quarantined):
            continue
        article.meta["line"] = number + 1
        out.append(prepare(article, line))
    return out


def write_seconds(db: Path, items: list[Prepared]) -> float:
    with Archive(str(db)) as archive:
        store = archive.store
        start = time.perf_counter()
        for at in range(0, len(items), BATCH):
            store.write_batch(items[at : at + BATCH], [], None)
        return time.perf_counter() - start


def median_ms(call: Callable[[], Any], rounds: int = 5) -> float:
    call()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", default="2013,2014")
    parser.add_argument("--limit", type=int, default=5000)
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent")
        return
    lines = leader_lines([int(y) for y in args.years.split(",")], args.limit)
    started = time.perf_counter()
    items = prepared(lines)
    parse_s = time.perf_counter() - started
    appearances = sum(len(i.appearances) for i in items)
    if not appearances:
        print("skipped: no enrich step of this propscope fills the appearances (issue 16's step is not here)")
        return
    bare = [i._replace(officials=[], appearances=[], appearance_people=[]) for i in items]
    with tempfile.TemporaryDirectory() as folder:
        anchor = write_seconds(Path(folder) / "bare.sqlite", bare)
        with_rows = write_seconds(Path(folder) / "leadership.sqlite", items)
        print(f"leader dispatches              {len(items):,} ({appearances:,} appearances, parsed in {parse_s:.1f} s)")
        print(f"rows: official_mentions {sum(len(i.officials) for i in items):,}, appearance_people "
              f"{sum(len(i.appearance_people) for i in items):,}")  # fmt: skip
        print(f"anchor: write without the tables {len(items) / anchor:,.0f} articles/s ({anchor:.2f} s)")
        print(f"write with the tables          {len(items) / with_rows:,.0f} articles/s ({with_rows:.2f} s)")
        print(f"with / without                 {with_rows / anchor:.2f}x (+{(with_rows / anchor - 1) * 100:.1f}%)")
        with Archive(str(Path(folder) / "leadership.sqlite"), readonly=True) as archive:
            top = archive.officials(limit=1).officials[0].name
            reads: dict[str, Callable[[], Any]] = {
                "anchor: search, no query, 20 hits": lambda: archive.search(None, limit=20),
                "appearances (every one)": lambda: archive.appearances(),
                "appearance_counts by month": lambda: archive.appearance_counts(),
                f"official({top})": lambda: archive.official(top),
                "officials, compare_with": lambda: archive.officials(since="2014", compare_with=("2013", "2013")),
                "absences": lambda: archive.absences(),
                "search --accompanied-by (count)": lambda: archive.count(
                    None, SearchFilters.parse(leader_appearance="any", accompanied_by=[top])
                ),
            }
            for name, call in reads.items():
                print(f"{name:<34} {median_ms(call):8.2f} ms")


if __name__ == "__main__":
    main()
