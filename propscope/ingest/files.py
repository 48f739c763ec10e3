"""Deciding what a file holds before reading it: by name first, then by its first bytes."""

from __future__ import annotations

import codecs
import enum
import gzip
from pathlib import Path

from propscope.model import Quarantined

SNIFF_BYTES = 8192

# Signatures of formats that are never dispatches; a clear reason beats "invalid UTF-8".
_BINARY_MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3": "an SQLite database",
    b"\x7fELF": "an executable",
    b"BZh": "a bzip2 archive",
    b"\xfd7zXZ": "an xz archive",
}


class FileKind(enum.Enum):
    TEXT = "text"
    HTML = "html"
    JSONL = "jsonl"
    JSON_DOCUMENT = "json"
    PARQUET = "parquet"


def sniff_kind(path: Path) -> FileKind | Quarantined:
    name = path.name.lower()
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head:
        return Quarantined(origin=str(path), reason="empty file")
    wide = wide_encoding(head)
    if wide:  # UTF-16 or UTF-32 text is full of NUL bytes: judged by what it says, not called binary
        head = head.decode(wide, errors="ignore").encode("utf-8")
    is_gzip = head[:2] == b"\x1f\x8b"
    if head.startswith(b"PAR1"):
        return FileKind.PARQUET
    if name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".json.gz", ".json")):
        return FileKind.JSON_DOCUMENT if name.endswith(".json") and _is_document(head) else FileKind.JSONL
    if is_gzip:
        inner = _gunzip_head(path)
        if inner.lstrip()[:1] == b"{":
            return FileKind.JSONL
        return Quarantined(origin=str(path), reason="gzip file that does not hold JSON Lines")
    for magic, what in _BINARY_MAGIC.items():
        if head.startswith(magic):
            return Quarantined(origin=str(path), reason=f"binary file ({what}), not a dispatch")
    if b"\x00" in head:
        return Quarantined(origin=str(path), reason="binary file (holds NUL bytes), not a dispatch")
    if name.endswith((".html", ".htm", ".xhtml")) or _looks_like_html(head):
        return FileKind.HTML
    if head.lstrip().startswith(b"{") and name.endswith(".txt") is False:
        return FileKind.JSONL
    return FileKind.TEXT


# Byte order marks of the wide encodings; UTF-32's first, as UTF-32LE's begins with UTF-16LE's.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def wide_encoding(head: bytes) -> str | None:
    """The wide encoding (utf-16, utf-32) whose byte order mark opens these bytes, as Windows saves "Unicode"
    text; its codec reads the mark and the byte order from it. None for anything else."""
    return next((name for bom, name in _WIDE_BOMS if head.startswith(bom)), None)


def _is_document(head: bytes) -> bool:
    """A JSON array, or an object that does not close on its first line: a document, not JSON Lines."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        return True
    first_line, newline, _ = start.partition(b"\n")
    return start.startswith(b"{") and bool(newline) and not first_line.strip().endswith(b"}")


def _gunzip_head(path: Path) -> bytes:
    try:
        with gzip.open(path, "rb") as handle:
            return handle.read(256)
    except (OSError, EOFError):
        return b""


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip()[:512].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in start
