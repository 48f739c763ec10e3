"""Benchmark (not a test): where each article's CPU time goes in an ingest, step by step.

Issue 19, point 1: profile before cutting. Over a sample of real English dispatches (evenly spaced through every
file of the KCNA 1997-2018 corpus), in this one process, the CPU time (time.process_time) of each stage an ingest
runs per article: parse, each default enrich step, laying the article out as rows (prepare, with the batch's
fingerprints), and storing it (write_batch into a fresh SQLite archive, indexing included), in batches of the
ingest's size. Printed as microseconds per article and shares of the whole. --cprofile adds the functions
the whole run spends most in (cumulative and own time).
Exits 0 where ../shared is absent.

    nice .venv/bin/python bench/ingest_profile.py [--limit 3000] [--rounds 2] [--cprofile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from propscope.enrich import DEFAULT_STEPS, Pipeline  # noqa: E402
from propscope.ingest.jsonl import record_from_object  # noqa: E402
from propscope.ingest.run import BATCH_SIZE, with_fingerprints  # noqa: E402
from propscope.model import RawRecord  # noqa: E402
from propscope.parse import parse_record  # noqa: E402
from propscope.store import open_store  # noqa: E402
from propscope.store.codec import prepare  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"


def sample(limit: int) -> list[RawRecord]:
    """English records spread over the years: the same share of every file, evenly spaced through it."""
    files = sorted(CORPUS.glob("*.jsonl.gz"))
    per_file = max(1, limit // max(1, len(files)))
    out: list[RawRecord] = []
    for path in files:
        with gzip.open(path, "rb") as handle:
            lines = handle.read().splitlines()
        stride = max(1, len(lines) // per_file)
        for number in range(0, len(lines), stride)[:per_file]:
            raw = lines[number]
            record = record_from_object(json.loads(raw), str(path), raw, f"{path.name}:{number + 1}")
            if isinstance(record, RawRecord):
                out.append(record)
    return out[:limit]


def one_round(pipeline: Pipeline, records: list[RawRecord], times: dict[str, float]) -> None:
    """Every stage of an ingest over `records`, its CPU seconds added to `times` by stage."""
    clock = time.process_time
    names = [type(step).__name__ for step in pipeline.steps]
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(str(Path(tmp) / "profile.db"), readonly=False)
        run_id = store.start_run(["profile"])
        for start in range(0, len(records), BATCH_SIZE):
            batch = records[start : start + BATCH_SIZE]
            prepared, bodies = [], []
            for record in batch:
                t0 = clock()
                article = parse_record(record, pipeline.settings.gazetteer_file)
                t1 = clock()
                times["parse"] += t1 - t0
                for name, step in zip(names, pipeline.steps, strict=True):
                    article = step(article)
                    t2 = clock()
                    times[name] += t2 - t1
                    t1 = t2
                prepared.append(prepare(article, record.raw)._replace(seen_at=record.seen_at))
                bodies.append(article.body)
                times["prepare"] += clock() - t1
            t0 = clock()
            items = with_fingerprints(list(prepared), bodies)
            t1 = clock()
            times["prepare"] += t1 - t0
            store.write_batch(items, [], run_id)  # type: ignore[arg-type]
            times["store"] += clock() - t1
        t0 = clock()
        store.flush_bands()
        store.close()
        times["store"] += clock() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=3000, help="articles in the sample (default 3000)")
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds after one warm-up (default 2)")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="print the N costliest functions")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"no corpus at {CORPUS}: nothing to profile")
        return 0
    records = sample(args.limit)
    pipeline = Pipeline(DEFAULT_STEPS)
    warm: dict[str, float] = defaultdict(float)
    one_round(pipeline, records[: min(len(records), 300)], warm)  # builds the lazily compiled parts
    times: dict[str, float] = defaultdict(float)
    profiler = cProfile.Profile() if args.cprofile else None
    for _ in range(args.rounds):
        if profiler:
            profiler.enable()
        one_round(pipeline, records, times)
        if profiler:
            profiler.disable()
    n = len(records) * args.rounds
    total = sum(times.values())
    print(f"{len(records)} articles x {args.rounds} rounds; steps: {', '.join(pipeline.names)}")
    print(f"{'stage':<16}{'us/article':>12}{'share':>8}")
    for stage, seconds in times.items():
        print(f"{stage:<16}{seconds / n * 1e6:>12,.0f}{seconds / total:>8.1%}")
    print(f"{'total':<16}{total / n * 1e6:>12,.0f}")
    if profiler:
        stats = pstats.Stats(profiler).strip_dirs()
        stats.sort_stats("cumulative").print_stats(args.cprofile)
        stats.sort_stats("tottime").print_stats(args.cprofile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
