"""Benchmark (not a test): what issue 17's honest filters and progress cost.

1. The records an ingest counts first for its progress's total (`Archive.count_inputs`: one pass over the
   gzip bytes), against the anchor of reading the same records as an ingest reads them (`read_inputs`).
2. Facets counted in stories (the copies of one story once, as the search total counts), against the same
   facets counted in articles, in the same run on the same archive.

Uses one year of `../shared/corpora/kcna-co-jp-1997-2018` (default 2017); exits 0 with a `skipped:` line where
it is absent.

    .venv/bin/python bench/filters_progress.py [--year 2017] [--workers 2] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"
QUERIES = [None, "imperialists", '"Kim Jong Un"', "missile"]


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by other load on the machine)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", default="2017")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    source = CORPUS / f"kcna_co_jp_{args.year}.jsonl.gz"
    if not source.exists():
        print(f"skipped: {source} is absent")
        return 0

    from propscope.archive import Archive
    from propscope.ingest import read_inputs
    from propscope.model import SearchFilters

    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "bench.sqlite")
        with Archive(db) as archive:
            counting = best_of(args.repeat, lambda: archive.count_inputs([source]))
            reading = best_of(1, lambda: sum(1 for _ in read_inputs([source])))
            records = archive.count_inputs([source])
            print(
                f"count_inputs: {records:,} records in {counting * 1000:.0f} ms;"
                f" reading them as ingest does: {reading * 1000:.0f} ms; ratio {counting / reading:.3f}"
            )
            started = time.perf_counter()
            archive.ingest([source], workers=args.workers)
            ingest = time.perf_counter() - started
            print(f"ingest: {ingest:.1f} s; the count is {counting / ingest:.2%} of it")
        with Archive(db, readonly=True) as archive:
            ratios = []
            for query in QUERIES:
                stories = best_of(args.repeat, lambda q=query: archive.facets(q, SearchFilters()))
                articles = best_of(args.repeat, lambda q=query: archive.facets(q, SearchFilters(), collapse=False))
                ratios.append(stories / articles)
                print(
                    f"facets {query!s:>16}: stories {stories * 1000:6.1f} ms, articles {articles * 1000:6.1f} ms,"
                    f" ratio {stories / articles:.2f}"
                )
            print(f"facets in stories / in articles: median ratio {statistics.median(ratios):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
