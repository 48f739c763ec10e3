"""Batch re-analysis: the same parse and enrich code over a Parquet table of records, in one process or on
Apache Spark (a lab re-reading years of several outlets when a model improves).

Input rows are what `propscope export` writes (raw inputs kept) or any table with the corpus fields (id,
source, date, title, body, url, lang). Output rows hold the parsed fields: lists as arrays, spans and events
as JSON text (every engine reads them), and `error` for a row that could not be parsed (the batch goes on).

Spark runs `analyze_rows` over Arrow batches in each partition's Python worker (mapInArrow); the pipeline
is built once per worker.

    propscope batch --engine spark --master local[2] --input records.parquet --output parsed.parquet
    spark-submit --master yarn -m propscope.batch ...   (see README: on a cluster)
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from propscope.enrich import DEFAULT_STEPS, Pipeline
from propscope.errors import InputError, PropscopeError
from propscope.ingest import record_from_raw
from propscope.ingest.parquet import row_record
from propscope.model import PARSER_VERSION, SPAN_LAYER, Quarantined
from propscope.settings import Settings

# name -> (kind): "s" string, "l" 64-bit integer, "b" boolean, "a" array of strings
OUTPUT = {
    "record_id": "s",
    "source": "s",
    "url": "s",
    "lang": "s",
    "origin": "s",
    "title": "s",
    "date": "s",
    "date_source": "s",
    "genre": "s",
    "dateline": "s",
    "relayed_from": "s",
    "countries": "a",
    "persons": "a",
    "entities": "s",
    "foreign_support": "b",
    "support_events": "s",
    "techniques": "s",
    "epithets": "s",
    "hostility": "s",
    "appearances": "s",
    "officials": "s",
    "body": "s",
    "content_sha1": "s",
    "parser_version": "l",
    "error": "s",
}
# Span layers (model.SPAN_LAYERS) and the hostility map go out as JSON text, as Article.to_dict writes them.
_JSON_FIELDS = (*(name for name in OUTPUT if name in SPAN_LAYER), "hostility")
_pipelines: dict[tuple[tuple[str, ...], Settings | None], Pipeline] = {}
SPARK_MISSING = "the Spark engine needs pyspark: pip install 'propscope[spark]'"


def _pipeline(steps: Sequence[str], settings: Settings | None) -> Pipeline:
    key = (tuple(steps), settings)
    if key not in _pipelines:
        _pipelines[key] = Pipeline(key[0], settings)
    return _pipelines[key]


def analyze_rows(
    rows: Iterable[dict[str, Any]], steps: Sequence[str] = DEFAULT_STEPS, settings: Settings | None = None
) -> Iterator[dict[str, Any]]:
    """Parse and enrich each input row into an output row (an unparsable one carries its error); `settings`
    name the user's gazetteer and epithet files."""
    pipeline = _pipeline(steps, settings)
    for number, row in enumerate(rows, 1):
        record = row_record(row, str(row.get("origin") or "batch"), number, record_from_raw)
        result = record if isinstance(record, Quarantined) else pipeline.safely(record)
        if isinstance(result, Quarantined):
            yield {
                **dict.fromkeys(OUTPUT),
                "record_id": result.record_id or row.get("id"),
                "error": result.reason,
                "origin": result.origin,
                "countries": [],
                "persons": [],
                "parser_version": PARSER_VERSION,
            }
            continue
        parsed = result.to_dict()
        out = {name: parsed.get(name) for name in OUTPUT}
        for name in _JSON_FIELDS:
            out[name] = json.dumps(parsed.get(name), ensure_ascii=False)
        out.update(
            record_id=result.record_id,
            origin=result.origin,
            parser_version=PARSER_VERSION,
            error=None,
            foreign_support=bool(parsed.get("foreign_support")),
        )
        yield out


def _analyze_batches(batches: Iterable[Any], steps: Sequence[str], settings: Settings | None) -> Iterator[Any]:
    import pyarrow as pa

    schema = arrow_schema()
    for batch in batches:
        rows = list(analyze_rows(batch.to_pylist(), steps, settings))
        yield pa.RecordBatch.from_pylist(rows, schema=schema)


def arrow_schema() -> Any:
    import pyarrow as pa

    types = {"s": pa.string(), "l": pa.int64(), "b": pa.bool_(), "a": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in OUTPUT.items()])


def spark_schema() -> Any:
    try:
        from pyspark.sql import types as T
    except ImportError as exc:
        raise PropscopeError(SPARK_MISSING) from exc

    kinds = {"s": T.StringType(), "l": T.LongType(), "b": T.BooleanType(), "a": T.ArrayType(T.StringType())}
    return T.StructType([T.StructField(name, kinds[kind], True) for name, kind in OUTPUT.items()])


def run_local(
    source: Path,
    target: Path,
    steps: Sequence[str] = DEFAULT_STEPS,
    settings: Settings | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """One process, streaming row groups: the single-machine path (and the benchmark's anchor). `progress`
    is told (records done, records in the input) after each batch; the total is the file's own row count."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    _check_input(source)
    schema = arrow_schema()
    written = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    table = pq.ParquetFile(source)
    total = table.metadata.num_rows
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        for batch in table.iter_batches(batch_size=2048):
            rows = list(analyze_rows(batch.to_pylist(), steps, settings))
            writer.write_table(pa.Table.from_pylist(rows, schema))
            written += len(rows)
            if progress is not None:
                progress(written, total)
    return written


def run_spark(
    source: Path | str,
    target: Path | str,
    master: str = "local[2]",
    partitions: int | None = None,
    steps: Sequence[str] = DEFAULT_STEPS,
    settings: Settings | None = None,
) -> int:
    """The same analysis over Spark partitions; `target` is a Parquet folder (Spark writes one file per part)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise PropscopeError(SPARK_MISSING) from exc
    if not str(source).startswith(("hdfs:", "s3a:", "gs:")):
        _check_input(Path(source))
    # Executors must run the Python that has propscope: this one, unless the cluster says otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master(master)
        .appName("propscope batch")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        frame = spark.read.parquet(str(source))
        wanted_parts = partitions or spark.sparkContext.defaultParallelism
        if frame.rdd.getNumPartitions() < wanted_parts or partitions:
            frame = frame.repartition(wanted_parts)  # a single-file input would keep one core busy
        wanted = tuple(steps)
        # Arrow batches in and out of the Python workers: several times cheaper than pickled Rows.
        result = frame.mapInArrow(lambda batches: _analyze_batches(batches, wanted, settings), spark_schema())
        if isinstance(target, Path) and target.exists():
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        result.write.mode("overwrite").parquet(str(target))
        return int(spark.read.parquet(str(target)).count())
    finally:
        spark.stop()


def _check_input(path: Path) -> None:
    if not path.exists():
        raise InputError("no such Parquet file or folder", str(path))


__all__ = ["OUTPUT", "analyze_rows", "arrow_schema", "run_local", "run_spark", "spark_schema"]
