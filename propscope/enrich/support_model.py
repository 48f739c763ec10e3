"""Does a dispatch claim foreign (or compatriot) support? A learned answer where the cue rules stop.

The cue rules (enrich/support.py) find an actor beside a support word; they miss the claims made in other
words (a speech carried in full, a list of celebrations abroad, a congratulatory group's visit), which on the
stance set's train part held their recall to 0.42. A linear model over word and word-pair TF-IDF of the
whole dispatch, chosen by cross-validation on train only (tests/devset/train_support.py), decides
`foreign_support` and `compatriot_support`; the rules still name the actors. Inference needs only numpy; the
weights ship as JSON (the vocabulary, its idf, float32 weights in base64).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import cache
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from propscope.enrich.techniques import decode_array

MODEL_PATH = Path(__file__).resolve().parent / "data" / "support-model.json"
FORMAT = "propscope-support/1"
# scikit-learn's default token pattern (?u)\b\w\w+\b, which the model was fit with: a greedy run of word
# characters always starts and ends on a word boundary, so the boundaries need no testing.
_TOKEN = re.compile(r"\w\w+")
# The same on ASCII bytes, where \w is [A-Za-z0-9_] as it is for ASCII text: a third faster, and nearly every
# dispatch is ASCII once lower-cased.
_ASCII_TOKEN = re.compile(rb"\w\w+")


class Vocabulary:
    """A TF-IDF vocabulary of words and word pairs as integer arrays, so a text is scored in a few numpy passes:
    each word is looked up once (a word no term holds is dropped there), a word pair is two word numbers
    joined into one key, found by binary search among the vocabulary's pairs. Tasks fit with one vectorizer
    share one Vocabulary, and the last text's vector is kept for the next task that reads it."""

    def __init__(self, terms: list[str], idf: np.ndarray) -> None:
        words: dict[str, int] = {}
        split = [term.split(" ") for term in terms]
        for parts in split:
            for word in parts:
                words.setdefault(word, len(words))
        self.words = words
        self.ascii_words = {word.encode("ascii"): number for word, number in words.items() if word.isascii()}
        self.size = max(1, len(words))
        self.unigram = np.full(self.size + 1, -1, dtype=np.int64)  # word number -> column; the last: no word
        keys: list[int] = []
        columns: list[int] = []
        for column, parts in enumerate(split):
            if len(parts) == 1:
                self.unigram[words[parts[0]]] = column
            elif len(parts) == 2:
                keys.append(words[parts[0]] * self.size + words[parts[1]])
                columns.append(column)
        # Which word numbers begin or end some pair: only such neighbours are looked for among the pairs.
        self.pair_first = np.zeros(self.size + 1, dtype=bool)
        self.pair_second = np.zeros(self.size + 1, dtype=bool)
        if keys:
            self.pair_first[np.array(keys, dtype=np.int64) // self.size] = True
            self.pair_second[np.array(keys, dtype=np.int64) % self.size] = True
        order = np.argsort(np.array(keys, dtype=np.int64), kind="stable")
        self.pair_keys = np.array(keys, dtype=np.int64)[order]
        self.pair_columns = np.array(columns, dtype=np.int64)[order]
        self.idf = idf
        self._last: tuple[str, np.ndarray, np.ndarray] | None = None

    def vector(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The columns of the text's known terms and its l2-normed sublinear TF-IDF values (scikit-learn's
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True), recomputed); empty where it knows none."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1], last[2]
        none = self.size
        lowered = text.lower()
        if lowered.isascii():
            tokens: list[bytes] | list[str] = _ASCII_TOKEN.findall(lowered.encode("ascii"))
            numbers: dict[Any, int] = self.ascii_words
        else:
            tokens, numbers = _TOKEN.findall(lowered), self.words
        ids = np.fromiter(map(numbers.get, tokens, repeat(none)), np.int64, len(tokens))
        found = self.unigram[ids]
        found = found[found >= 0]
        if len(ids) > 1 and len(self.pair_keys):
            first, second = ids[:-1], ids[1:]
            known = self.pair_first[first] & self.pair_second[second]  # an unknown word (none) begins no pair
            keys = first[known] * none + second[known]
            keys.sort()  # a binary search for keys in order starts each from the last: twice as fast
            at = self.pair_keys.searchsorted(keys)
            at[at == len(self.pair_keys)] = 0
            hit = self.pair_keys[at] == keys
            found = np.concatenate((found, self.pair_columns[at[hit]]))
        columns, counts = _counted(found)
        values = (1.0 + np.log(counts.astype(np.float64))) * self.idf[columns]
        if len(values):
            values = values / math.sqrt(float(values @ values))  # np.linalg.norm of a vector, without its checks
        self._last = (text, columns, values)
        return columns, values


def _counted(found: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(found, return_counts=True), without its checks and copies (found is sorted in place)."""
    found.sort()
    if not len(found):
        return found, found
    first = np.empty(len(found), dtype=bool)
    first[0] = True
    np.not_equal(found[1:], found[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return found[starts], np.diff(np.append(starts, len(found)))


@dataclass(frozen=True, slots=True)
class Task:
    """One yes/no question: a TF-IDF vocabulary with its idf, and a logistic regression's weights."""

    vocabulary: Vocabulary
    weights: np.ndarray
    bias: float
    threshold_with_rule: float = 0.5  # when the cue rules found an actor of this role
    threshold_without_rule: float = 0.5

    def score(self, text: str) -> float:
        """The model's probability (TfidfVectorizer followed by LogisticRegression, recomputed)."""
        columns, values = self.vocabulary.vector(text)
        if not len(columns):
            return 1.0 / (1.0 + math.exp(-self.bias))
        logit = float(values @ self.weights[columns]) + self.bias
        return 1.0 / (1.0 + math.exp(-logit))


class SupportModel:
    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: {payload.get('format')!r}")
        self.version = str(payload.get("version", ""))
        self.tasks: dict[str, Task] = {}
        shared: dict[tuple[tuple[str, ...], bytes], Vocabulary] = {}  # one vectorizer's tasks: one vector a text
        for name, task in payload["tasks"].items():
            terms: list[str] = task["terms"]
            idf = decode_array(task["idf"])
            key = (tuple(terms), idf.tobytes())
            vocabulary = shared.get(key) or shared.setdefault(key, Vocabulary(terms, idf))
            self.tasks[name] = Task(
                vocabulary,
                decode_array(task["weights"]),
                float(task["bias"]),
                float(task.get("threshold_with_rule", 0.5)),
                float(task.get("threshold_without_rule", 0.5)),
            )

    def decide(self, name: str, text: str, ruled: bool) -> bool:
        """Does the text claim this support? `ruled`: the cue rules found an actor of the role."""
        task = self.tasks[name]
        return task.score(text) >= (task.threshold_with_rule if ruled else task.threshold_without_rule)


@cache
def load_support_model(path: Path = MODEL_PATH) -> SupportModel | None:
    """The shipped model; None where it is absent (the rules alone decide then)."""
    if not path.exists():
        return None
    return SupportModel(json.loads(path.read_text(encoding="utf-8")))


__all__ = ["FORMAT", "MODEL_PATH", "SupportModel", "Task", "Vocabulary", "load_support_model"]
