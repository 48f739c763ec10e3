"""Cut a text into encoder windows, and turn per-token scores back into word-aligned character spans.

Shared by the encoder's inference (propscope.enrich.technique_encoder) and its training
(propscope.train.encoder), so that what the model learns on is exactly what it is later run on. A window holds
whole lines where they fit: PTC gives one sentence per line and KCNA one paragraph, and a span never crosses a
line, so a line cut between two windows would cut the context a span is judged in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

MAX_TOKENS = 254  # 256 with [CLS] and [SEP]: the length all-MiniLM-L6-v2 was trained at


@dataclass(frozen=True, slots=True)
class Encoded:
    """One text's word pieces: ids, character offsets into the text, and the line each piece sits on."""

    ids: np.ndarray  # int64 (n,)
    starts: np.ndarray  # int64 (n,)
    ends: np.ndarray  # int64 (n,)
    lines: np.ndarray  # int64 (n,): index of the text line holding the piece

    def __len__(self) -> int:
        return len(self.ids)


def encode(tokenizer: object, text: str) -> Encoded:
    """Word pieces of the whole text (no special tokens, no truncation), offsets into `text` as read."""
    encoding = tokenizer.encode(text, add_special_tokens=False)  # type: ignore[attr-defined]
    offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
    breaks = np.asarray([i for i, ch in enumerate(text) if ch == "\n"], dtype=np.int64)
    starts = offsets[:, 0]
    return Encoded(
        ids=np.asarray(encoding.ids, dtype=np.int64),
        starts=starts,
        ends=offsets[:, 1],
        lines=np.searchsorted(breaks, starts, side="right"),
    )


def windows(encoded: Encoded, max_tokens: int = MAX_TOKENS) -> list[tuple[int, int]]:
    """Half-open piece ranges, each of whole lines packed up to max_tokens; a longer line is cut in chunks."""
    out: list[tuple[int, int]] = []
    n = len(encoded)
    if not n:
        return out
    # the piece index where each line's pieces begin (lines with no pieces do not matter)
    change = np.flatnonzero(np.diff(encoded.lines)) + 1
    bounds = [0, *change.tolist(), n]
    start = 0
    for line_start, line_end in zip(bounds, bounds[1:], strict=False):
        if line_end - start <= max_tokens:
            continue
        if line_start > start:
            out.append((start, line_start))
            start = line_start
        while line_end - start > max_tokens:
            out.append((start, start + max_tokens))
            start += max_tokens
    out.append((start, n))
    return out


def runs(inside: np.ndarray, lines: np.ndarray, gap: int) -> Iterator[tuple[int, int]]:
    """Inclusive (first, last) piece runs of `inside`, joined across at most `gap` pieces on the same line."""
    first = last = -1
    for i in np.flatnonzero(inside).tolist():
        if last >= 0 and lines[i] == lines[last] and i - last - 1 <= gap:
            last = i
            continue
        if last >= 0:
            yield first, last
        first = last = i
    if last >= 0:
        yield first, last


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "'’-"


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to whole words, then trim the spaces and punctuation at either edge.

    Why: word pieces split words ("imperial" + "##ists"), and a reader will not accept a highlight that cuts
    one. Apostrophes and hyphens count as word characters, so "Juche-oriented" and "U.S.'s" stay whole.
    """
    start = min(max(0, start), len(text))
    end = max(start, min(len(text), end))
    while start > 0 and _is_word(text[start - 1]) and start < len(text) and _is_word(text[start]):
        start -= 1
    while end < len(text) and end > 0 and _is_word(text[end]) and _is_word(text[end - 1]):
        end += 1
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    # an abbreviation keeps its last stop: "U.S." not "U.S"
    if end + 1 <= len(text) and text[end : end + 1] == "." and end - start >= 2 and text[end - 2] == ".":
        end += 1
    return start, end


def decode(text: str, encoded: Encoded, inside: np.ndarray, threshold: float, gap: int) -> list[tuple[int, int, float]]:
    """Word-aligned (start, end, mean inside-probability) spans of the pieces at or above the threshold.

    One function for the shipped model and for cross-validation, so that the threshold and gap chosen in
    training are the ones that run.
    """
    out: list[tuple[int, int, float]] = []
    for first, last in runs(inside >= threshold, encoded.lines, gap):
        start, end = snap(text, int(encoded.starts[first]), int(encoded.ends[last]))
        if end <= start:
            continue
        confidence = float(inside[first : last + 1].mean())
        if out and start < out[-1][1]:  # two runs snapped into one word: one span
            before = out.pop()
            start, end, confidence = before[0], max(end, before[1]), max(confidence, before[2])
        out.append((start, end, confidence))
    return out


def piece_range(encoded: Encoded, start: int, end: int) -> tuple[int, int] | None:
    """Inclusive pieces overlapping the characters [start, end), or None when none does."""
    first = int(np.searchsorted(encoded.ends, start, side="right"))
    last = int(np.searchsorted(encoded.starts, end, side="left")) - 1
    return (first, last) if first <= last else None


def batches(ranges: Sequence[tuple[int, int]], size: int) -> Iterator[list[int]]:
    """Window indices in batches of similar length (less padding), each batch in text order inside."""
    order = sorted(range(len(ranges)), key=lambda i: ranges[i][1] - ranges[i][0])
    for k in range(0, len(order), size):
        yield sorted(order[k : k + size])
