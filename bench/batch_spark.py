"""Benchmark (not a test): batch re-analysis of the KCNA corpus on Spark local[2] against one process.

Issue "team scale", point 2: the 137k KCNA corpus through `propscope batch` on Spark local[2] and through the
single-process path, both reported; the single process is the anchor, measured in the same run. The input
Parquet is built first from ../shared (not timed). Exits 0 where ../shared or pyspark is absent.

    .venv/bin/python bench/batch_spark.py [--limit N] [--master local[2]]
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import tempfile
import time
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpora" / "kcna-co-jp-1997-2018"
FIELDS = ("id", "source", "date", "title", "body", "url", "lang")


def build_input(out: Path, limit: int | None) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(name, pa.string()) for name in FIELDS])
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        for path in sorted(CORPUS.glob("*.jsonl.gz")):
            rows = []
            with gzip.open(path, "rt", encoding="utf-8") as lines:
                for line in lines:
                    record = json.loads(line)
                    rows.append({name: None if record.get(name) is None else str(record[name]) for name in FIELDS})
                    if limit and count + len(rows) >= limit:
                        break
            writer.write_table(pa.Table.from_pylist(rows, schema))  # one row group per year: Spark splits them
            count += len(rows)
            if limit and count >= limit:
                break
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--master", default="local[2]")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: {CORPUS} is absent")
        return 0
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("skipped: pyspark is not installed (pip install 'propscope[spark]')")
        return 0
    if shutil.which("java") is None:
        print("skipped: Spark needs Java")
        return 0
    from propscope.batch import run_local, run_spark

    with tempfile.TemporaryDirectory(prefix="propscope-batch-") as work:
        folder = Path(work)
        source = folder / "records.parquet"
        records = build_input(source, args.limit)
        print(f"records            {records:,} (KCNA 1997-2018, English and Spanish)")
        started = time.perf_counter()
        local = run_local(source, folder / "local.parquet")
        local_s = time.perf_counter() - started
        print(f"single process     {local / local_s:8,.0f} articles/s  ({local_s:.1f} s)   anchor")
        started = time.perf_counter()
        spark = run_spark(source, folder / "spark", master=args.master)
        spark_s = time.perf_counter() - started
        print(
            f"spark {args.master:12} {spark / spark_s:8,.0f} articles/s  ({spark_s:.1f} s, JVM start included)"
            f"   {local_s / spark_s:.2f}x the single process"
        )
        assert local == spark == records, (local, spark, records)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
