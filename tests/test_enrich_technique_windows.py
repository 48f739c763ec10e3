"""enrich/technique_windows.py: windows hold whole lines, runs stay on their line, and a span is never a
piece of a word."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.enrich.technique_encoder import MODEL_DIR
from propscope.enrich.technique_windows import Encoded, encode, piece_range, runs, snap, windows

WORD = re.compile(r"[\w'’-]+")


def _tokenizer():  # the shipped model's own word pieces
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(MODEL_DIR / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


TOKENIZER = _tokenizer()


def _fake(lines: list[int]) -> Encoded:
    n = len(lines)
    return Encoded(np.zeros(n, dtype=np.int64), np.arange(n), np.arange(n) + 1, np.asarray(lines))


def test_offsets_index_the_text_as_read() -> None:
    text = "Pyongyang, July 14 (KCNA) -- The U.S. imperialists' moves\nare “reckless”."
    encoded = encode(TOKENIZER, text)
    pieces = [text[s:e] for s, e in zip(encoded.starts, encoded.ends, strict=True)]
    assert pieces[:4] == ["P", "yon", "gy", "ang"] and "“" in pieces and "July" in pieces
    assert encoded.lines.tolist() == [0 if e <= text.index("\n") else 1 for e in encoded.ends]


def test_windows_pack_whole_lines_and_cut_only_a_line_too_long() -> None:
    encoded = _fake([0] * 3 + [1] * 4 + [2] * 2 + [3] * 12 + [4])
    assert windows(encoded, max_tokens=8) == [(0, 7), (7, 9), (9, 17), (17, 22)]  # a cut line's rest packs on
    assert windows(_fake([]), max_tokens=8) == []


def test_runs_join_small_gaps_on_one_line_only() -> None:
    inside = np.asarray([1, 0, 1, 0, 0, 0, 1, 1, 0, 1], dtype=bool)
    lines = np.asarray([0, 0, 0, 0, 0, 0, 0, 1, 1, 1])
    assert list(runs(inside, lines, gap=1)) == [(0, 2), (6, 6), (7, 9)]
    assert list(runs(inside, lines, gap=0)) == [(0, 0), (2, 2), (6, 6), (7, 7), (9, 9)]


def test_snap_widens_to_words_and_trims_punctuation() -> None:
    text = "the imperialists' “nuclear blackmail”, and the U.S. puppets."
    start = text.index("perial")
    assert text[slice(*snap(text, start, start + 4))] == "imperialists"  # a trailing apostrophe is trimmed
    quote = text.index("“")
    assert text[slice(*snap(text, quote, text.index(",") + 1))] == "nuclear blackmail"
    us = text.index("U.S.")
    assert text[slice(*snap(text, us, us + 3))] == "U.S."
    assert snap(text, text.index(", and"), text.index(", and") + 2) == (text.index(", and") + 2,) * 2


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab c'.,-\n“”é")), min_size=1, max_size=60),
    st.integers(0, 60),
    st.integers(0, 60),
)
def test_a_snapped_span_never_cuts_a_word(text: str, a: int, b: int) -> None:
    start, end = snap(text, min(a, b), max(a, b))
    assert 0 <= start <= end <= len(text)
    if end > start:
        for word in WORD.finditer(text):
            inside = word.start() < end and start < word.end()
            if inside:  # a word it touches, it holds whole (trimmed punctuation aside)
                core = word.group().strip("'’-")
                left = word.start() + (len(word.group()) - len(word.group().lstrip("'’-")))
                assert start <= left and left + len(core) <= end or not core


def test_piece_range_is_the_pieces_a_character_span_touches() -> None:
    encoded = _fake([0] * 6)
    assert piece_range(encoded, 2, 4) == (2, 3)
    assert piece_range(encoded, 6, 6) is None
