"""Benchmark (not a test): the search endpoint under 50 concurrent clients while an ingest runs.

Issue "web UI, REST API and alerts", point 6: 50 clients for 60 s on loopback, zero errors, while an ingest
writes to the same archive; report p50 and p99. The anchor, measured in the same run, is the same load for
20 s with no ingest running. The archive is built first from KCNA 2016-2017; the concurrent ingest adds 2018
and 2015 down to 2012 (more than the load lasts). Exits 0 where ../shared is absent.

    .venv/bin/python bench/load_search.py [--clients 50] [--seconds 60] [--engine postgresql [--pg ADMIN_URL]]
        [--workers 2] [--no-cache]

Issue 19, point 3: >= 120 requests/s with p99 <= 1 s when no ingest runs (the anchor phase), 0 errors during
an ingest. --workers and --no-cache measure each of the server's means on its own.

With --engine postgresql the archive is a PostgreSQL database: on the server --pg names, or on a throwaway
cluster (tests/pgserver.py, durable settings, as bench/postgres.py starts it).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CORPUS = ROOT.parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"
PROPSCOPE = str(Path(sys.executable).parent / "propscope")
QUERIES = [
    {"q": "imperialists"},
    {"q": '"sea of fire"'},
    {"q": "Kim Jong Un", "sort": "date"},
    {"q": "reunif*", "country": "KR"},
    {"q": "missile", "target": "US"},
    {"q": "Juche AND idea", "genre": "news_report"},
    {"q": "solidarity", "since": "2017-01-01"},
    {"q": "Japan NOT apology"},
    {"country": "CN", "limit": "50"},
    {"q": "friendship", "facets": "true"},
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def client(base: str, until: float, latencies: list[float], errors: list[str], rng: random.Random) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.perf_counter() < until:
            params = rng.choice(QUERIES)
            started = time.perf_counter()
            try:
                response = await http.get("/api/search", params=params)
                if response.status_code != 200:
                    errors.append(f"{response.status_code}: {response.text[:120]}")
            except httpx.HTTPError as exc:
                errors.append(repr(exc))
            latencies.append(time.perf_counter() - started)


async def load(base: str, clients: int, seconds: float) -> tuple[list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    until = time.perf_counter() + seconds
    await asyncio.gather(*(client(base, until, latencies, errors, random.Random(i)) for i in range(clients)))
    return latencies, errors


def summary(name: str, latencies: list[float], errors: list[str], seconds: float) -> tuple[float, float]:
    ordered = sorted(latencies)
    p50 = statistics.median(ordered) * 1000
    p99 = ordered[int(0.99 * (len(ordered) - 1))] * 1000
    print(
        f"{name:28} {len(ordered):7,} requests  {len(ordered) / seconds:7.1f}/s  p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
        f"  errors {len(errors)}"
    )
    for error in errors[:5]:
        print("   ", error)
    return p50, p99


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--anchor-seconds", type=float, default=20)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg", help="a PostgreSQL server's admin URL (default: a throwaway cluster)")
    parser.add_argument("--workers", type=int, default=2, help="the server's worker processes (serve --workers)")
    parser.add_argument("--no-cache", action="store_true", help="serve without the response cache (serve --no-cache)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    if args.engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="propscope-load-") as work:
            return run(args, str(Path(work) / "load.sqlite"))
    from bench.postgres import BENCH_DB, server_or_skip
    from tests import pgserver

    server = server_or_skip(args.pg)
    if server is None:
        return 0
    try:
        db = pgserver.new_database(server.url, BENCH_DB)
        try:
            return run(args, db)
        finally:
            pgserver.drop_database(server.url, BENCH_DB)
    finally:
        server.stop()


def run(args: argparse.Namespace, db: str) -> int:
    """Build the archive, serve it, then load it: alone (the anchor), then during an ingest."""
    print(f"server: {args.workers} worker(s), response cache {'off' if args.no_cache else 'on'}")
    base_files = [str(CORPUS / f"kcna_co_jp_{year}.jsonl.gz") for year in (2016, 2017)]
    print("building the archive (KCNA 2016-2017) ...", flush=True)
    subprocess.run([PROPSCOPE, "ingest", *base_files, "--db", db, "-q"], check=True)
    port = free_port()
    server = subprocess.Popen(
        [
            PROPSCOPE,
            "serve",
            "--db",
            db,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            *(["--no-cache"] if args.no_cache else []),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/api/search", params={"q": "warm"}, timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        latencies, errors = asyncio.run(load(base, args.clients, args.anchor_seconds))
        anchor = summary("anchor: no ingest", latencies, errors, args.anchor_seconds)
        rate = len(latencies) / args.anchor_seconds
        held = rate >= 120 and anchor[1] <= 1000 and not errors
        verdict = "PASS" if held else "FAIL"
        print(f"no ingest: {rate:.1f} requests/s, p99 {anchor[1]:.0f} ms (aim >= 120/s, p99 <= 1 s): {verdict}")
        more = [str(CORPUS / f"kcna_co_jp_{year}.jsonl.gz") for year in (2018, 2015, 2014, 2013, 2012)]
        ingest = subprocess.Popen([PROPSCOPE, "ingest", *more, "--db", db, "-q"], stderr=subprocess.PIPE)
        latencies, errors = asyncio.run(load(base, args.clients, args.seconds))
        ingest_running = ingest.poll() is None
        ingest.wait()
        loaded = summary("during an ingest", latencies, errors, args.seconds)
        print(f"ingest: {ingest.stderr.read().decode().strip() if ingest.stderr else ''}")
        print(f"ingest still running when the load ended: {ingest_running}")
        print(f"p50 ratio to anchor {loaded[0] / anchor[0]:.2f}x, p99 ratio {loaded[1] / anchor[1]:.2f}x")
        print(f"zero errors: {'PASS' if not errors else 'FAIL'}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
