"""Articles out of an archive, to Parquet, JSON Lines or CSV: for Spark, pandas, another archive (`propscope
import` reads the Parquet or JSON Lines back, raw inputs included, so the articles parse the same), a
spreadsheet or a colleague. One shape serves the CLI's files and the API's downloads.

Rows come a batch at a time (keyset paging in the store), so an export of any size keeps memory flat.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propscope.choices import ExportFormat
from propscope.model import SearchFilters

if TYPE_CHECKING:
    from propscope.store import Store

COLUMNS = (
    "id", "article_key", "version", "origin", "input_kind", "record_id", "source", "url", "lang", "date", "title",
    "genre", "countries", "persons", "body", "text", "annotations", "parser_version", "raw",
)  # fmt: skip
# A spreadsheet's view: the fields a person reads; raw bytes and annotation JSON have no place in a cell.
CSV_COLUMNS = ("id", "date", "title", "genre", "source", "lang", "url", "countries", "persons", "body")
MEDIA_TYPES = {
    ExportFormat.CSV: "text/csv",
    ExportFormat.JSONL: "application/x-ndjson",
    ExportFormat.PARQUET: "application/vnd.apache.parquet",
}
Batches = Iterable[list[dict[str, Any]]]


def parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    types = {"id": pa.int64(), "version": pa.int64(), "parser_version": pa.int64(), "raw": pa.binary()}
    lists = {"countries", "persons"}
    return pa.schema([(c, pa.list_(text) if c in lists else types.get(c, text)) for c in COLUMNS])


def rows(
    store: Store, query: str | None = None, filters: SearchFilters = SearchFilters()
) -> Iterator[list[dict[str, Any]]]:
    """Every matching article as a row of COLUMNS, a batch at a time, in id order."""
    for batch in store.iter_matches(query, filters):
        details = store.export_details([row["id"] for row in batch])
        yield [{c: {**row, **details.get(row["id"], {})}.get(c) for c in COLUMNS} for row in batch]


def jsonl_line(row: dict[str, Any]) -> str:
    """A row as a JSON line `propscope import` reads back: "id" is the record's id in its source (as in a
    dump), the archive's id is "archive_id", the raw input is base64."""
    out = dict(row)
    out["archive_id"] = row["id"]
    out["id"] = row["record_id"] or row["article_key"]
    out["raw"] = base64.b64encode(row["raw"]).decode("ascii") if row.get("raw") else None
    return json.dumps(out, ensure_ascii=False) + "\n"


def csv_cells(row: dict[str, Any]) -> list[Any]:
    return ["; ".join(v) if isinstance(v, list) else ("" if v is None else v) for v in (row[c] for c in CSV_COLUMNS)]


def write(batches: Batches, out: Path, format: ExportFormat, on_progress: Callable[[int], None] | None = None) -> int:
    """Write every row to `out`; returns how many."""
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    if format == ExportFormat.PARQUET:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = parquet_schema()
        with pq.ParquetWriter(out, schema, compression="zstd") as writer:
            for batch in batches:
                writer.write_table(pa.Table.from_pylist(batch, schema))
                written += len(batch)
                if on_progress:
                    on_progress(written)
        return written
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer_csv = csv.writer(handle) if format == ExportFormat.CSV else None
        if writer_csv:
            writer_csv.writerow(CSV_COLUMNS)
        for batch in batches:
            for row in batch:
                if writer_csv:
                    writer_csv.writerow(csv_cells(row))
                else:
                    handle.write(jsonl_line(row))
            written += len(batch)
            if on_progress:
                on_progress(written)
    return written


def stream(batches: Batches, format: ExportFormat) -> Iterator[bytes]:
    """The export as bytes, a batch at a time, for a download. Parquet's footer comes last, so Parquet is
    written to a temporary file first, then streamed."""
    if format == ExportFormat.PARQUET:
        with tempfile.TemporaryDirectory(prefix="propscope-export-") as folder:
            spool = Path(folder) / "export.parquet"
            write(batches, spool, format)
            with spool.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    yield chunk
        return
    if format == ExportFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for batch in batches:
            for row in batch:
                writer.writerow(csv_cells(row))
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue().encode("utf-8")
        return
    for batch in batches:
        yield "".join(jsonl_line(row) for row in batch).encode("utf-8")


__all__ = ["COLUMNS", "CSV_COLUMNS", "MEDIA_TYPES", "parquet_schema", "rows", "stream", "write"]
