"""Articles out of an archive, to Parquet or JSON Lines: for Spark, pandas, another archive (`propscope
import` reads the Parquet back, raw inputs included, so the articles parse the same) or a colleague."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from propscope.model import SearchFilters
from propscope.store import Store

COLUMNS = (
    "id", "article_key", "version", "origin", "input_kind", "record_id", "source", "url", "lang", "date", "title",
    "genre", "countries", "persons", "body", "text", "annotations", "parser_version", "raw",
)  # fmt: skip


def parquet_schema() -> Any:
    import pyarrow as pa

    text = pa.string()
    types = {"id": pa.int64(), "version": pa.int64(), "parser_version": pa.int64(), "raw": pa.binary()}
    lists = {"countries", "persons"}
    return pa.schema([(c, pa.list_(text) if c in lists else types.get(c, text)) for c in COLUMNS])


def export(
    store: Store,
    out: Path,
    format: str,
    query: str | None = None,
    filters: SearchFilters = SearchFilters(),
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Write every matching article; returns how many."""
    out.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    if format == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = parquet_schema()
        with pq.ParquetWriter(out, schema, compression="zstd") as writer:
            for rows in _rows(store, query, filters):
                writer.write_table(pa.Table.from_pylist(rows, schema))
                written += len(rows)
                if on_progress:
                    on_progress(written)
        return written
    with out.open("w", encoding="utf-8") as handle:
        for rows in _rows(store, query, filters):
            for row in rows:
                # Read back by `propscope import`, "id" must be the record's id in its source, as in a dump.
                row["archive_id"] = row["id"]
                row["id"] = row["record_id"] or row["article_key"]
                row["raw"] = base64.b64encode(row["raw"]).decode("ascii") if row.get("raw") else None
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            written += len(rows)
            if on_progress:
                on_progress(written)
    return written


def _rows(store: Store, query: str | None, filters: SearchFilters) -> Any:
    for batch in store.iter_matches(query, filters):
        details = store.export_details([row["id"] for row in batch])
        yield [{c: {**row, **details.get(row["id"], {})}.get(c) for c in COLUMNS} for row in batch]


__all__ = ["COLUMNS", "export", "parquet_schema"]
