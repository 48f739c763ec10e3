"""Unpacking gzip without trusting it: a few kilobytes can unpack to gigabytes (a gzip bomb), so data is
unpacked in bounded pieces, as it is read, and stops once it is over a size or a packing-ratio cap.

Used for every gzip propscope reads: JSON Lines files and request bodies (ingest), sitemaps (collect).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Generator
from types import TracebackType
from typing import IO

from propscope.settings import Limits

READ_BYTES = 64 * 1024  # packed bytes read at a time
PIECE_BYTES = 1024 * 1024  # the most one step unpacks: memory per step stays bounded whatever the ratio
RATIO_FLOOR_BYTES = 16 * 1024 * 1024  # below this, no ratio is checked: a small file may pack very well
GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WINDOW = 16 + zlib.MAX_WBITS  # zlib's way of saying: a gzip header and trailer around the deflate data


class UnpackLimitError(ValueError):
    """Packed data unpacks to more than the limits allow; the message says which limit, and how to raise it."""


def gunzip_pieces(
    read: Callable[[int], bytes],
    *,
    max_bytes: int,
    max_ratio: int | None,
    what: str = "gzip data",
    max_bytes_setting: str = "PROPSCOPE_MAX_GUNZIP_BYTES",
) -> Generator[bytes, None, None]:
    """The unpacked bytes of the gzip stream that `read(n)` gives, in pieces of at most PIECE_BYTES; several
    gzip members one after another are read as one stream, as gzip(1) does. Raises UnpackLimitError past
    `max_bytes` unpacked or `max_ratio` unpacked bytes per packed byte (None: no ratio checked), EOFError
    if the stream is cut short, zlib.error or OSError if it is no gzip."""
    inflater = zlib.decompressobj(_GZIP_WINDOW)
    member_started = False  # whether the current member has had any input
    packed = unpacked = 0
    buffer = b""
    while True:
        if not buffer:
            buffer = read(READ_BYTES)
            if not buffer:
                break
            packed += len(buffer)
        member_started = True
        piece = inflater.decompress(buffer, PIECE_BYTES)
        buffer = inflater.unconsumed_tail
        if piece:
            unpacked += len(piece)
            if unpacked > max_bytes:
                raise UnpackLimitError(
                    f"{what} unpacks to over {max_bytes:,} bytes; raise {max_bytes_setting} to read it"
                )
            if max_ratio is not None and unpacked > RATIO_FLOOR_BYTES and unpacked > max_ratio * packed:
                raise UnpackLimitError(
                    f"{what} unpacks to over {max_ratio:,} times its size (a gzip bomb?);"
                    " raise PROPSCOPE_MAX_GUNZIP_RATIO to read it"
                )
            yield piece
        if inflater.eof:
            rest = inflater.unused_data + buffer
            if rest.strip(b"\x00") and not rest.startswith(GZIP_MAGIC[: len(rest)]):
                raise OSError(f"{what} holds data after its end that is no gzip")
            if not rest.strip(b"\x00"):
                rest = b""
            inflater = zlib.decompressobj(_GZIP_WINDOW)
            member_started = False
            buffer = rest
    if member_started and not inflater.eof:
        raise EOFError(f"{what} is cut short")


class GunzipReader:
    """A file-like reader (read1, read, close) of a gzip file's unpacked bytes, within `limits`: what the
    JSON Lines reader takes in place of gzip.open."""

    def __init__(self, source: IO[bytes], limits: Limits, what: str = "gzip file") -> None:
        self._source = source
        self._pieces = gunzip_pieces(
            source.read, max_bytes=limits.gunzip_bytes, max_ratio=limits.gunzip_ratio, what=what
        )
        self._held = b""

    def read1(self, size: int = -1) -> bytes:
        """At most `size` bytes (one piece when size is -1); b"" at the end."""
        if not self._held:
            self._held = next(self._pieces, b"")
        if size < 0 or size >= len(self._held):
            out, self._held = self._held, b""
        else:
            out, self._held = self._held[:size], self._held[size:]
        return out

    def read(self, size: int = -1) -> bytes:
        parts: list[bytes] = []
        wanted = size
        while wanted != 0:
            part = self.read1(wanted)
            if not part:
                break
            parts.append(part)
            if wanted > 0:
                wanted -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        self._pieces.close()
        self._source.close()

    def __enter__(self) -> GunzipReader:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()
