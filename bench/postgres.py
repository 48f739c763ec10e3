"""Benchmark (not a test): the same English KCNA dispatches into a SQLite archive and a PostgreSQL archive,
then the same searches on both.

Issue "team scale", point 4: rows/s into PostgreSQL, and search p95 on PostgreSQL beside SQLite over the same
articles. The SQLite archive is the anchor, measured in the same run on the same texts; each PostgreSQL
number is printed beside it and as a ratio. PostgreSQL runs twice, once per words' index a new archive can
get (PROPSCOPE_PG_TEXT_INDEX): GIN, ranking every match from its row, and RUM (where the server has the rum
extension), ranking from the index.

PostgreSQL is a throwaway cluster started from Debian's server binaries (tests/pgserver.py) with durable
settings (fsync and synchronous commit on: as a team's server runs), or the server `--pg URL` names (a
database `propscope_bench` is created there and dropped at the end).

Run from the repository root:  .venv/bin/python bench/postgres.py [--limit 20000] [--out FILE.json]
It exits 0 with a message where ../shared (the corpora) or PostgreSQL is absent. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.ingest_search import (  # noqa: E402
    CORPUS,
    QUERIES,
    SEARCH_ROUNDS,
    print_slowest,
    print_table,
    progress_printer,
    say,
    search_summary,
    time_searches,
    write_input,
)
from propscope.archive import Archive  # noqa: E402
from propscope.store import open_store  # noqa: E402
from tests import pgserver  # noqa: E402

# What a team's server keeps: every commit on disk (the PostgreSQL defaults), with memory for the indexes.
DURABLE = "-c shared_buffers=512MB -c maintenance_work_mem=256MB -c max_connections=50"
BENCH_DB = "propscope_bench"
TEXT_INDEXES = ("gin", "rum")


def server_or_skip(admin_url: str | None) -> pgserver.PgServer | None:
    """The server to measure on: the one named, or a throwaway cluster with durable settings; None (and a
    line saying why) where none can be had."""
    try:
        return pgserver.PgServer(admin_url) if admin_url else pgserver.start(DURABLE)
    except pgserver.PgUnavailable as exc:
        print(f"skipped: {exc}")
        return None


def ingest(db: str, source: Path, records: int, workers: int) -> dict[str, Any]:
    """The whole pipeline as a user runs it (`propscope ingest`): open, read, parse, enrich, write, index."""
    start = time.perf_counter()
    with Archive(db) as archive:
        result = archive.ingest([source], workers=workers, on_progress=progress_printer(records))
        stored = archive.store.totals()["articles"]
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rate": records / seconds, "added": result.added, "stored": stored}


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="use N English records (default: all)")
    parser.add_argument("--workers", type=int, default=2, help="ingest worker processes")
    parser.add_argument("--pg", help="an existing server's admin URL (default: a throwaway cluster)")
    parser.add_argument("--out", type=Path, help="also write every number to this JSON file")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, work: Path, admin_url: str) -> dict[str, Any]:
    source = work / "english.jsonl"
    records = write_input(source, args.limit)
    say(f"{records:,} English records")
    lite = str(work / "archive.sqlite")
    say("ingest into SQLite (the anchor) ...")
    result: dict[str, Any] = {"records": records, "sqlite": {"ingest": ingest(lite, source, records, args.workers)}}
    lite_times = time_searches(lite, QUERIES, SEARCH_ROUNDS)
    result["sqlite"]["search"] = search_summary(lite_times)
    for index in TEXT_INDEXES:
        if index == "rum" and not pgserver.rum_available(admin_url):
            say("rum: skipped (the rum extension is not installed on this server)")
            continue
        pg = pgserver.new_database(admin_url, BENCH_DB)
        open_store(pg, text_index=index).close()  # the archive is made with this words' index
        try:
            say(f"ingest into PostgreSQL ({index}) ...")
            stats = ingest(pg, source, records, args.workers)
            say(f"search: {len(QUERIES)} queries x {SEARCH_ROUNDS} rounds (after a warm-up round) ...")
            pg_times = time_searches(pg, QUERIES, SEARCH_ROUNDS)
            print_slowest(pg_times)
        finally:
            pgserver.drop_database(admin_url, BENCH_DB)
        result[f"postgresql_{index}"] = {
            "ingest": stats,
            "search": search_summary(pg_times),
            "queries_with_different_counts": [
                (a.label, a.hits, b.hits) for a, b in zip(lite_times, pg_times, strict=True) if a.hits != b.hits
            ],
            "per_query_ms": {
                a.label: {"sqlite": a.median_ms, "postgresql": b.median_ms, "hits": b.hits}
                for a, b in zip(lite_times, pg_times, strict=True)
            },
        }
    return result


def summary_rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    lite = result["sqlite"]
    rows = [
        ("English records", f"{result['records']:,}"),
        (
            "ingest into SQLite (anchor)",
            f"{lite['ingest']['rate']:,.0f} articles/s ({lite['ingest']['seconds']:.0f} s)",
        ),
        ("search SQLite p50 / p95 / max", "{p50_ms:.1f} / {p95_ms:.1f} / {max_ms:.1f} ms".format(**lite["search"])),
    ]
    for index in TEXT_INDEXES:
        pg = result.get(f"postgresql_{index}")
        if pg is None:
            continue
        ingest, search = pg["ingest"], pg["search"]
        rows += [
            (f"ingest into PostgreSQL ({index})", f"{ingest['rate']:,.0f} articles/s ({ingest['seconds']:.0f} s)"),
            ("  / SQLite ingest", f"{ingest['rate'] / lite['ingest']['rate']:.2f}x"),
            (
                f"search PostgreSQL ({index}) p50 / p95 / max",
                "{p50_ms:.1f} / {p95_ms:.1f} / {max_ms:.1f} ms".format(**search),
            ),
            ("  / SQLite search p95", f"{search['p95_ms'] / lite['search']['p95_ms']:.2f}x"),
            ("  queries whose counts differ", str(len(pg["queries_with_different_counts"]))),
        ]
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent (the shared corpora are not here)")
        return 0
    server = server_or_skip(args.pg)
    if server is None:
        return 0
    try:
        with tempfile.TemporaryDirectory(prefix="propscope-bench-pg-") as folder:
            result = run(args, Path(folder), server.url)
    finally:
        server.stop()
    print_table(summary_rows(result))
    for index in TEXT_INDEXES:
        for label, lite_hits, pg_hits in result.get(f"postgresql_{index}", {}).get("queries_with_different_counts", []):
            say(f"  counts differ ({index}): {label}: SQLite {lite_hits:,}, PostgreSQL {pg_hits:,}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
