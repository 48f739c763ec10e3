"""Readers: turn paths (files, folders, JSON Lines dumps, saved web pages) into raw records.

Each reader yields `RawRecord` for what it can read and `Quarantined` for what it cannot, so one bad item
never stops a batch. Readers stream: nothing holds a whole corpus in memory. What takes records on from
here is `run` (parse, enrich, store, in worker processes) and, after a run, `hooks` (translations, alerts).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from propscope.ingest.files import FileKind, sniff_kind
from propscope.ingest.html import extract_page, read_html
from propscope.ingest.jsonl import parse_record_line, read_json_document, read_jsonl
from propscope.ingest.parquet import read_parquet
from propscope.ingest.text import decode_text, read_text
from propscope.model import Quarantined, RawRecord
from propscope.settings import DEFAULT_LIMITS, Limits

__all__ = ["iter_files", "read_inputs", "read_path", "record_from_raw"]


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | Quarantined]:
    """Expand folders recursively, in a stable order; a missing path is quarantined, not fatal."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
        elif path.is_file():
            yield path
        elif path.exists():
            yield Quarantined(origin=str(given), reason="not a regular file (device, socket or pipe)")
        else:
            yield Quarantined(origin=str(given), reason="no such file or folder")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def read_path(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[RawRecord | Quarantined]:
    """Read one file by what it holds, not only by what it is called, within `limits` (a web page's size and
    cost, what a gzip file may unpack to)."""
    try:
        kind = sniff_kind(path)
    except OSError as exc:
        yield Quarantined(origin=str(path), reason=f"cannot read: {exc.strerror or exc}")
        return
    if isinstance(kind, Quarantined):
        yield kind
        return
    if kind == FileKind.JSONL:
        yield from read_jsonl(path, limits)
    elif kind == FileKind.HTML:
        yield from read_html(path, limits)
    else:
        readers = {FileKind.JSON_DOCUMENT: read_json_document, FileKind.TEXT: read_text, FileKind.PARQUET: read_parquet}
        yield from readers[kind](path)


def read_inputs(paths: Iterable[str | Path], limits: Limits = DEFAULT_LIMITS) -> Iterator[RawRecord | Quarantined]:
    """Every file's records. A reader that fails in a way it did not foresee costs the rest of that file: what
    it had read is kept, the file is quarantined with the reason, and the next file is read."""
    for item in iter_files(paths):
        if isinstance(item, Quarantined):
            yield item
            continue
        try:
            yield from read_path(item, limits)
        except Exception as exc:  # noqa: BLE001 - the last resort for one file; the reason names the exception
            yield Quarantined(origin=str(item), reason=f"cannot read the file ({type(exc).__name__}: {str(exc)[:300]})")


def record_from_raw(
    kind: str, raw: bytes, origin: str, record_id: str | None, limits: Limits = DEFAULT_LIMITS
) -> RawRecord | Quarantined:
    """The record a stored raw input was read as, read again (for a reparse with a newer parser)."""
    if kind == "jsonl":
        return parse_record_line(raw, origin, 0)
    if kind == "html":
        return extract_page(raw, origin, limits=limits)
    try:
        return RawRecord(origin=origin, kind="text", text=decode_text(raw), raw=raw, record_id=record_id)
    except UnicodeDecodeError as exc:
        return Quarantined(origin=origin, record_id=record_id, reason=f"invalid UTF-8 at byte {exc.start}")
