"""Parquet files: what `propscope export --format parquet` writes (raw inputs kept), or any table with the
corpus fields (id, source, date, title, body, url, lang), as Spark and pandas users have them.

Rows are read a batch at a time. A row that carries the raw input and its kind is read exactly as that
input was first read, so an archive moved through Parquet parses to the same articles.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from propscope.ingest.jsonl import guarded_record
from propscope.model import Quarantined, RawRecord

BATCH_ROWS = 1024


def read_parquet(path: Path) -> Iterator[RawRecord | Quarantined]:
    import pyarrow.parquet as pq

    from propscope.ingest import record_from_raw

    origin = str(path)
    try:
        table = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a damaged file
        yield Quarantined(origin=origin, reason=f"unreadable Parquet file ({exc})")
        return
    number = 0
    for batch in table.iter_batches(batch_size=BATCH_ROWS):
        for row in batch.to_pylist():
            number += 1
            try:
                yield row_record(row, origin, number, record_from_raw)
            except Exception as exc:  # noqa: BLE001 - the last resort for one row; the reason names the exception
                reason = f"unreadable row ({type(exc).__name__}: {str(exc)[:300]})"
                yield Quarantined(origin=origin, record_id=f"row {number}", reason=reason)


FromRaw = Callable[[str, bytes, str, str | None], RawRecord | Quarantined]


def row_record(row: dict[str, Any], origin: str, number: int, from_raw: FromRaw) -> RawRecord | Quarantined:
    raw, kind = row.get("raw"), row.get("input_kind")
    if isinstance(raw, (bytes, bytearray)) and kind:
        record = from_raw(str(kind), bytes(raw), str(row.get("origin") or origin), row.get("record_id"))
        if isinstance(record, RawRecord) and not record.record_id and row.get("record_id"):
            record = replace(record, record_id=str(row["record_id"]))
        return record
    plain = {k: v for k, v in row.items() if v is not None and not isinstance(v, (bytes, bytearray))}
    encoded = json.dumps(plain, ensure_ascii=False, default=str).encode("utf-8")
    return guarded_record(plain, origin, encoded, f"row {number}")


__all__ = ["read_parquet", "row_record"]
