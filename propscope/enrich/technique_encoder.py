"""Propaganda techniques by a fine-tuned encoder: all-MiniLM-L6-v2, run by onnxruntime on the CPU.

The encoder (int8, ONNX) gives each word piece a probability of lying inside a propaganda span and its hidden
state; runs of likely pieces on one line become spans, snapped to whole words; a linear head over the span's
pooled hidden states (numpy, head.json) names the technique. A span's score is calibrated: isotonic on the
out-of-fold spans of cross-validation on PTC train, it estimates the share of the span that gold would mark,
so `min_score` 0.5 keeps spans that are, on PTC, mostly right. Trained by propscope.train.encoder.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from propscope.enrich.technique_windows import Encoded, batches, decode, encode, piece_range, windows
from propscope.enrich.techniques import k_best_labels
from propscope.model import Article, Technique

MODEL_DIR = Path(__file__).resolve().parent / "data" / "techniques-encoder"
FORMAT = "propscope-techniques-encoder/1"
BATCH = 8  # windows per onnxruntime call: larger batches pad more and gain nothing on one core


@dataclass(frozen=True, slots=True)
class Scored:
    """One text's pieces with their inside-probabilities and hidden states."""

    encoded: Encoded
    inside: np.ndarray  # (n,)
    hidden: np.ndarray  # (n, hidden size)


class EncoderTechniqueModel:
    """The loaded encoder, tokenizer and heads; `detect` finds and names spans in a text."""

    def __init__(self, folder: Path, threads: int = 1) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        head = json.loads((folder / "head.json").read_text(encoding="utf-8"))
        if head.get("format") != FORMAT:
            raise ValueError(f"{folder}: not a {FORMAT} model: {head.get('format')!r}")
        self.techniques: list[str] = list(head["techniques"])
        self.threshold = float(head["threshold"])
        self.gap = int(head["gap"])
        self.max_tokens = int(head["max_tokens"])
        self.cls_id, self.sep_id = int(head["cls_id"]), int(head["sep_id"])
        self.weights = np.asarray(head["span_head"]["weights"], dtype=np.float32)  # (2 * hidden, techniques)
        self.bias = np.asarray(head["span_head"]["bias"], dtype=np.float32)
        self.calibration_x = np.asarray(head["calibration"]["x"], dtype=np.float64)
        self.calibration_y = np.asarray(head["calibration"]["y"], dtype=np.float64)
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads  # one per process: ingest runs a process per core
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )

    def score(self, text: str) -> Scored:
        """Run the encoder over every window of the text."""
        encoded = encode(self.tokenizer, text)
        n = len(encoded)
        inside = np.zeros(n, dtype=np.float32)
        hidden = np.zeros((n, self.weights.shape[0] // 2), dtype=np.float32)
        ranges = windows(encoded, self.max_tokens)
        for batch in batches(ranges, BATCH):
            width = max(ranges[i][1] - ranges[i][0] for i in batch) + 2
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, i in enumerate(batch):
                a, b = ranges[i]
                ids[row, 0], ids[row, 1 : b - a + 1], ids[row, b - a + 1] = self.cls_id, encoded.ids[a:b], self.sep_id
                mask[row, : b - a + 2] = 1
            states, probabilities = self.session.run(None, {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(batch):
                a, b = ranges[i]
                inside[a:b] = probabilities[row, 1 : b - a + 1]
                hidden[a:b] = states[row, 1 : b - a + 1]
        return Scored(encoded, inside, hidden)

    def spans(self, text: str, scored: Scored) -> list[tuple[int, int, float]]:
        """Word-aligned (start, end, mean inside-probability) spans above the threshold."""
        return decode(text, scored.encoded, scored.inside, self.threshold, self.gap)

    def technique_probabilities(self, scored: Scored, spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Softmax over the techniques for each character span, from its pieces' pooled hidden states."""
        rows = []
        for start, end in spans:
            found = piece_range(scored.encoded, start, end)
            if found is None:
                rows.append(np.zeros(self.weights.shape[0], dtype=np.float32))
                continue
            states = scored.hidden[found[0] : found[1] + 1]
            rows.append(np.concatenate([states.mean(axis=0), states.max(axis=0)]))
        if not rows:
            return np.zeros((0, len(self.techniques)))
        logits = np.vstack(rows) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits.astype(np.float64))
        return exp / exp.sum(axis=1, keepdims=True)

    def calibrated(self, confidence: float) -> float:
        return float(np.interp(confidence, self.calibration_x, self.calibration_y))

    def detect(self, text: str, offset: int = 0, min_score: float = 0.0) -> list[Technique]:
        """Technique spans in text[offset:], offsets into `text`, scores calibrated; below min_score dropped."""
        part = text[offset:]
        scored = self.score(part)
        found = [(s, e, round(self.calibrated(c), 4)) for s, e, c in self.spans(part, scored)]
        found = [f for f in found if f[2] >= min_score]
        probabilities = self.technique_probabilities(scored, [(s, e) for s, e, _ in found])
        return [
            Technique(start=offset + s, end=offset + e, technique=self.techniques[int(row.argmax())], score=c)
            for (s, e, c), row in zip(found, probabilities, strict=True)
        ]

    def tc_labels(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]:
        """The official TC task: a technique for each given span; a span listed k times gets its k best."""
        listed = Counter(spans)
        keys = list(listed)
        probabilities = self.technique_probabilities(self.score(text), keys)
        return k_best_labels(listed, dict(zip(keys, probabilities, strict=True)), self.techniques)


_lock = threading.Lock()
_model: EncoderTechniqueModel | None = None


def shipped_encoder() -> EncoderTechniqueModel:
    """The encoder under enrich/data, loaded once per process."""
    global _model
    with _lock:
        if _model is None:
            _model = EncoderTechniqueModel(MODEL_DIR)
        return _model


class EncoderTechniqueStep:
    """Enrich step `techniques`: sets `article.techniques` from the title onward with the encoder."""

    name: str = "techniques"

    def __init__(self, model: EncoderTechniqueModel | None = None, min_score: float = 0.0) -> None:
        self.model = model if model is not None else shipped_encoder()
        self.min_score = min_score

    def __call__(self, article: Article) -> Article:
        article.techniques = self.model.detect(article.text, offset=article.title_start, min_score=self.min_score)
        return article


def describe(folder: Path = MODEL_DIR) -> dict[str, Any]:
    """The shipped model's provenance and scores (head.json without the weights), for `propscope` reports."""
    head = json.loads((folder / "head.json").read_text(encoding="utf-8"))
    head.pop("span_head", None)
    head.pop("calibration", None)
    return head
