"""Plain-text dispatches, like a page saved as text: the first non-empty line is the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from propscope.ingest.files import wide_encoding
from propscope.model import Quarantined, RawRecord

# A dispatch is a few kilobytes; the longest leader's report is under 200 kB. Far beyond that is not one.
MAX_TEXT_BYTES = 20 * 1024 * 1024


def decode_text(raw: bytes) -> str:
    """Decode as UTF-8 (a BOM allowed), or as UTF-16 or UTF-32 where a byte order mark says so; raise
    UnicodeDecodeError for anything else. Line ends become \\n (old Mac files end lines with a lone \\r)."""
    text = raw.decode(wide_encoding(raw) or "utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path) -> Iterator[RawRecord | Quarantined]:
    origin = str(path)
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        yield Quarantined(origin=origin, reason=f"text file of {size:,} bytes is too large for a dispatch")
        return
    raw = path.read_bytes()
    try:
        text = decode_text(raw)
    except UnicodeDecodeError as exc:
        what = exc.encoding.upper()
        yield Quarantined(
            origin=origin, raw=raw, reason=f"invalid {what} at byte {exc.start}: re-save the file as UTF-8"
        )
        return
    if not text.strip():
        yield Quarantined(origin=origin, raw=raw, reason="file holds only white space")
        return
    yield RawRecord(origin=origin, kind="text", text=text, raw=raw)
