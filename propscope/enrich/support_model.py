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
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from propscope.enrich.techniques import decode_array

MODEL_PATH = Path(__file__).resolve().parent / "data" / "support-model.json"
FORMAT = "propscope-support/1"
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern, which the model was fit with


@dataclass(frozen=True, slots=True)
class Task:
    """One yes/no question: a TF-IDF vocabulary with its idf, and a logistic regression's weights."""

    index: dict[str, int]
    idf: np.ndarray
    weights: np.ndarray
    bias: float
    threshold_with_rule: float = 0.5  # when the cue rules found an actor of this role
    threshold_without_rule: float = 0.5

    def score(self, text: str) -> float:
        """The model's probability (scikit-learn's TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
        followed by LogisticRegression, recomputed)."""
        counts = term_counts(text)
        found = counts.keys() & self.index.keys()  # a set operation in C: most of a text's terms are unknown
        if not found:
            return 1.0 / (1.0 + math.exp(-self.bias))
        columns = [self.index[term] for term in found]
        values = (1.0 + np.log(np.fromiter((counts[term] for term in found), float, len(found)))) * self.idf[columns]
        vector = values / np.linalg.norm(values)
        logit = float(vector @ self.weights[columns]) + self.bias
        return 1.0 / (1.0 + math.exp(-logit))


@lru_cache(maxsize=8)
def term_counts(text: str) -> Counter[str]:
    """Words and word pairs of a text, counted once for every task that reads the same text (not to be
    changed by the caller: the count is shared)."""
    words = _TOKEN.findall(text.lower())
    counts = Counter(words)
    counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return counts


class SupportModel:
    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: {payload.get('format')!r}")
        self.version = str(payload.get("version", ""))
        self.tasks: dict[str, Task] = {}
        for name, task in payload["tasks"].items():
            terms: list[str] = task["terms"]
            self.tasks[name] = Task(
                {term: i for i, term in enumerate(terms)},
                decode_array(task["idf"]),
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


__all__ = ["FORMAT", "MODEL_PATH", "SupportModel", "Task", "load_support_model"]
