"""Propaganda techniques: find spans using one of the 14 SemEval-2020 Task 11 techniques, and name it.

Two linear models over string features (propscope.enrich.technique_features): a token tagger marks tokens
inside propaganda spans (runs of marked tokens within a sentence become spans), then a span classifier picks
each span's technique. The weights ship as one JSON file (float32 arrays in base64, no pickle) and inference
needs only numpy. Trained by propscope.train.techniques on the PTC train split.
"""

from __future__ import annotations

import base64
import json
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from propscope.enrich.technique_features import Tokens, smoothing_features, span_features, token_features, tokenize
from propscope.model import Article, Technique

MODEL_PATH = Path(__file__).resolve().parent / "data" / "techniques-model.json"
FORMAT = "propscope-techniques/1"


def encode_array(values: np.ndarray) -> dict[str, Any]:
    """A float32 array as JSON: shape plus little-endian bytes in base64 (exact, compact, no pickle)."""
    array = np.ascontiguousarray(values, dtype="<f4")
    return {"shape": list(array.shape), "base64": base64.b64encode(array.tobytes()).decode("ascii")}


def decode_array(payload: dict[str, Any]) -> np.ndarray:
    raw = base64.b64decode(payload["base64"])
    return np.frombuffer(raw, dtype="<f4").reshape(payload["shape"]).astype(np.float64)


@dataclass(frozen=True, slots=True)
class TokenSpan:
    """A predicted span as token indices (inclusive) with its mean inside-probability."""

    first: int
    last: int
    confidence: float


class TechniqueModel:
    """The loaded tagger and classifier; `detect` runs both on a text."""

    def __init__(self, payload: dict[str, Any]) -> None:
        if payload.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model: {payload.get('format')!r}")
        self.techniques: list[str] = list(payload["techniques"])
        self.config: dict[str, Any] = dict(payload.get("config", {}))
        tagger, classifier = payload["tagger"], payload["classifier"]
        self.tag_index = {f: i for i, f in enumerate(tagger["features"])}
        self.tag_weights = decode_array(tagger["weights"])
        self.tag_bias = float(tagger["bias"])
        self.threshold = float(tagger["threshold"])
        self.gap = int(tagger["gap"])
        self.smoother_weights = decode_array(tagger["smoother"]["weights"])
        self.smoother_bias = float(tagger["smoother"]["bias"])
        self.span_index = {f: i for i, f in enumerate(classifier["features"])}
        self.span_weights = decode_array(classifier["weights"])  # (features, techniques)
        self.span_bias = decode_array(classifier["bias"])

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> TechniqueModel:
        with path.open(encoding="utf-8") as handle:
            return cls(json.load(handle))

    def token_probabilities(self, tokens: Tokens) -> np.ndarray:
        """P(token inside a propaganda span) for every token: the tagger, then the smoother over its output."""
        first_pass = self.tagger_probabilities(tokens)
        if not len(first_pass):
            return first_pass
        scores = smoothing_features(first_pass, tokens.sentence) @ self.smoother_weights + self.smoother_bias
        return 1.0 / (1.0 + np.exp(-scores))

    def tagger_probabilities(self, tokens: Tokens) -> np.ndarray:
        """The first pass alone: P(inside) from each token's own features."""
        if not len(tokens):
            return np.zeros(0)
        index = self.tag_index
        ids: list[int] = []
        offsets: list[int] = []
        for feats in token_features(tokens):
            offsets.append(len(ids))
            ids.extend(index[f] for f in feats if f in index)
        ids.append(0)  # reduceat needs every offset to be a valid index; the sentinel's sum is discarded
        sums = np.add.reduceat(self.tag_weights[np.asarray(ids)], np.asarray(offsets))
        empty = np.diff(np.asarray(offsets + [len(ids) - 1])) == 0
        sums[empty] = 0.0
        return 1.0 / (1.0 + np.exp(-(sums + self.tag_bias)))

    def spans(self, tokens: Tokens, probabilities: np.ndarray) -> list[TokenSpan]:
        return decode_spans(tokens, probabilities, self.threshold, self.gap)

    def classify(self, text: str, tokens: Tokens, spans: list[TokenSpan]) -> np.ndarray:
        """Technique probabilities, one row per span (softmax over the 14 techniques)."""
        if not spans:
            return np.zeros((0, len(self.techniques)))
        rows = []
        for span in spans:
            ids = [
                self.span_index[f] for f in span_features(text, tokens, span.first, span.last) if f in self.span_index
            ]
            rows.append(self.span_weights[ids].sum(axis=0) + self.span_bias)
        scores = np.vstack(rows)
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return exp / exp.sum(axis=1, keepdims=True)

    def detect(self, text: str, offset: int = 0, min_score: float = 0.0) -> list[Technique]:
        """Technique spans in text[offset:], with offsets into `text`; those scoring below min_score dropped."""
        part = text[offset:]
        tokens = tokenize(part)
        spans = self.spans(tokens, self.token_probabilities(tokens))
        probabilities = self.classify(part, tokens, spans)
        out = []
        for span, row in zip(spans, probabilities, strict=True):
            best = int(row.argmax())
            score = round(span.confidence * float(row[best]), 4)
            if score < min_score:
                continue
            out.append(
                Technique(
                    start=offset + tokens.starts[span.first],
                    end=offset + tokens.ends[span.last],
                    technique=self.techniques[best],
                    score=score,
                )
            )
        return out

    def tc_labels(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
        """The official TC task: a technique for each given span; a span listed k times gets its k best."""
        tokens = tokenize(text)
        listed = Counter(spans)
        keys, token_spans = [], []
        for start, end in listed:
            found = token_range(tokens, start, end)
            if found is not None:
                keys.append((start, end))
                token_spans.append(TokenSpan(found[0], found[1], 1.0))
        probabilities = self.classify(text, tokens, token_spans)
        return k_best_labels(listed, dict(zip(keys, probabilities, strict=True)), self.techniques)


def k_best_labels(
    listed: Counter[tuple[int, int]],
    rows: dict[tuple[int, int], np.ndarray],
    techniques: Sequence[str],
    fallback: str = "Loaded_Language",
) -> list[tuple[str, int, int]]:
    """TC's answer from technique probabilities: a span listed k times gets its k best techniques; a span the
    model could not read (no token in it) gets the fallback, PTC's most frequent technique."""
    out = []
    for (start, end), k in listed.items():
        row = rows.get((start, end))
        ranked = np.argsort(-row, kind="stable") if row is not None else None
        for j in range(k):
            out.append((techniques[int(ranked[j])] if ranked is not None else fallback, start, end))
    return out


def token_range(tokens: Tokens, start: int, end: int) -> tuple[int, int] | None:
    """First and last token overlapping [start, end)."""
    first = int(np.searchsorted(np.asarray(tokens.ends), start, side="right"))
    last = int(np.searchsorted(np.asarray(tokens.starts), end, side="left")) - 1
    return (first, last) if first <= last else None


def decode_spans(tokens: Tokens, probabilities: np.ndarray, threshold: float, gap: int) -> list[TokenSpan]:
    """Runs of tokens at or above the threshold within a sentence; runs at most `gap` tokens apart are joined.

    Why join: the SI score charges every predicted span its own precision, so one phrase cut in three pieces
    by a weak word costs more than the word does.
    """
    runs: list[list[int]] = []
    inside = probabilities >= threshold
    sentence = tokens.sentence
    for i in np.flatnonzero(inside).tolist():
        if runs and sentence[i] == sentence[runs[-1][1]] and i - runs[-1][1] - 1 <= gap:
            runs[-1][1] = i
        else:
            runs.append([i, i])
    return [TokenSpan(first, last, float(probabilities[first : last + 1].mean())) for first, last in runs]


_lock = threading.Lock()
_model: TechniqueModel | None = None


def shipped_model() -> TechniqueModel:
    """The model under enrich/data, loaded once per process (OSError where the file is missing)."""
    global _model
    with _lock:
        if _model is None:
            _model = TechniqueModel.load(MODEL_PATH)
        return _model


def detect_techniques(text: str) -> list[Technique]:
    """Propaganda-technique spans in any English text, offsets into `text`."""
    return shipped_model().detect(text)


class TechniqueStep:
    """Enrich step `techniques-fast`: sets `article.techniques` from the article's title onward."""

    name: str = "techniques-fast"

    def __init__(self, model: TechniqueModel | None = None, min_score: float = 0.0) -> None:
        self.model = model if model is not None else shipped_model()
        self.min_score = min_score

    def __call__(self, article: Article) -> Article:
        article.techniques = self.model.detect(article.text, offset=article.title_start, min_score=self.min_score)
        return article
