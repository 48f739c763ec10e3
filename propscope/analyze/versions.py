"""What changed between two versions of an article: a word-level diff and what kind of change it is.

State media edit silently; most re-scrapes differ only by white space, curly quotes or a repaired encoding.
Those are classified as trivial so an analyst's eye goes to the real edits (a name dropped, a sentence added).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

import ftfy

# Why ftfy: mojibake ("Kim Jong Unâ€™s") comes in many codec pairs; ftfy detects and undoes them all, where a
# hand-written table covered only the ones seen so far.

CHANGE_KINDS = ("identical", "whitespace", "punctuation", "encoding", "minor", "substantive")
_TOKEN = re.compile(r"\S+")
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)
_MINOR_WORDS = 3  # at most this many words changed, with no sentence added or removed


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One run of the diff: op is equal, insert, delete or replace; words as in each version."""

    op: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class Change:
    kind: str  # one of CHANGE_KINDS
    words_added: int
    words_removed: int
    ops: list[DiffOp]


def classify(old: str, new: str) -> str:
    """The mildest kind of change that explains the difference."""
    if old == new:
        return "identical"
    if old.split() == new.split():
        return "whitespace"
    if _no_punctuation(old) == _no_punctuation(new):
        return "punctuation"
    if _repaired(old) == _repaired(new):
        return "encoding"
    return "changed"


def compare(old: str, new: str) -> Change:
    """Word-level diff of two texts with the kind of change."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    ops: list[DiffOp] = []
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(DiffOp(tag, " ".join(a[i1:i2]), " ".join(b[j1:j2])))
        if tag != "equal":
            removed += i2 - i1
            added += j2 - j1
    kind = classify(old, new)
    if kind == "changed":
        sentence_change = any(
            op.op != "equal" and re.search(r"[.!?]", op.old + op.new) and max(len(op.old), len(op.new)) > 40
            for op in ops
        )
        kind = "minor" if max(added, removed) <= _MINOR_WORDS and not sentence_change else "substantive"
    return Change(kind, added, removed, ops)


def _no_punctuation(text: str) -> list[str]:
    return _PUNCTUATION.sub("", unicodedata.normalize("NFKC", text)).lower().split()


def _repaired(text: str) -> list[str]:
    return ftfy.fix_text(text, uncurl_quotes=True, normalization="NFKC").split()


__all__ = ["CHANGE_KINDS", "Change", "DiffOp", "classify", "compare"]
