"""How many records the inputs hold, counted before an ingest reads them: the total its progress counts to.

Cheap next to parsing: a JSON Lines file costs one pass over its bytes (unpacked within the same limits as the
reader, a gzip bomb is no cheaper here), a Parquet file its footer, any other file one record. It is an
estimate where a reader would quarantine part of a file; the bar is closed at what was read."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from propscope.ingest import iter_files
from propscope.ingest.files import FileKind, sniff_kind
from propscope.ingest.streams import GunzipReader
from propscope.model import Quarantined
from propscope.settings import DEFAULT_LIMITS, Limits

CHUNK = 1 << 20


def count_records(paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS) -> int:
    """Records the inputs at `paths` hold (a path that cannot be read counts as the one item it quarantines)."""
    return sum(1 if isinstance(item, Quarantined) else _count_file(item, limits) for item in iter_files(paths))


def _count_file(path: Path, limits: Limits) -> int:
    try:
        kind = sniff_kind(path)
        if kind == FileKind.JSONL:
            return _count_lines(path, limits)
        if kind == FileKind.PARQUET:
            import pyarrow.parquet as pq

            return int(pq.ParquetFile(path).metadata.num_rows)
    except Exception:  # noqa: BLE001 - the reader will say what is wrong with the file; here it counts as one
        return 1
    return 1


def _count_lines(path: Path, limits: Limits) -> int:
    """Lines in a plain or gzip JSON Lines file (a blank line, which the reader skips, counts too)."""
    with path.open("rb") as probe:
        is_gzip = probe.read(2) == b"\x1f\x8b"
    handle = GunzipReader(path.open("rb"), limits) if is_gzip else path.open("rb")
    lines, last = 0, b"\n"
    with handle:
        while chunk := handle.read(CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")
