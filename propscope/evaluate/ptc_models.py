"""Score any technique model on PTC's labelled splits: the linear one (`techniques-fast`) and the encoder.

A model here is anything with `detect(text)` (spans with techniques) and `tc_labels(text, spans)` (the
official TC task: a technique for each given span), so both are scored by the same code.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from propscope.evaluate.ptc import (
    PtcArticle,
    gold_si,
    gold_tc,
    read_jsonl,
    score_si,
    score_spans_with_techniques,
    score_tc,
    sentence_spans,
)
from propscope.model import Technique


class TechniqueDetector(Protocol):
    def detect(self, text: str) -> list[Technique]: ...

    def tc_labels(self, text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[str, int, int]]: ...


def evaluate(model: TechniqueDetector, articles: list[PtcArticle]) -> dict[str, Any]:
    """SI, TC on gold spans, and span+technique scores of a fitted model on a labelled split."""
    si_pred: dict[str, list[tuple[int, int]]] = {}
    full_pred: dict[str, list[tuple[str, int, int]]] = {}
    tc_pred: dict[str, list[tuple[str, int, int]]] = {}
    for article in articles:
        found = model.detect(article.text)
        si_pred[article.id] = [(t.start, t.end) for t in found]
        full_pred[article.id] = [(t.technique, t.start, t.end) for t in found]
        tc_pred[article.id] = model.tc_labels(article.text, [(s.start, s.end) for s in article.spans])
    tc = score_tc(tc_pred, gold_tc(articles))
    return {
        "si": score_si(si_pred, gold_si(articles)).as_dict(),
        "tc_micro_f1": tc.micro_f1,
        "tc_macro_f1": tc.macro_f1,
        "tc_per_technique": {k: {**v.as_dict(), "support": tc.support[k]} for k, v in tc.per_technique.items()},
        "span_technique": score_spans_with_techniques(full_pred, gold_tc(articles)).as_dict(),
    }


def floors(articles: list[PtcArticle]) -> dict[str, Any]:
    """The trivial baselines any model must beat, by the same scorers: every gold span Loaded_Language (TC),
    every sentence one span (SI)."""
    gold = gold_tc(articles)
    loaded = {k: [("Loaded_Language", start, end) for _, start, end in v] for k, v in gold.items()}
    sentences = {a.id: list(sentence_spans(a.text)) for a in articles}
    return {
        "tc_always_loaded_language_micro_f1": score_tc(loaded, gold).micro_f1,
        "si_whole_sentences": score_si(sentences, gold_si(articles)).as_dict(),
    }


def held_out_scores(model: TechniqueDetector, data_dir: Path) -> dict[str, Any]:
    """Dev: every score and the floors. Test: SI only, against the derived (unofficial) SI spans; test has no
    technique gold, so TC cannot be scored there."""
    out: dict[str, Any] = {}
    dev_path = data_dir / "dev" / "dev.jsonl"
    if dev_path.exists():
        dev = read_jsonl(dev_path)
        out["dev"] = evaluate(model, dev)
        out["dev_floors"] = floors(dev)
    test_path = data_dir / "test" / "test.jsonl"
    if test_path.exists():
        test = read_jsonl(test_path)
        predicted = {a.id: [(t.start, t.end) for t in model.detect(a.text)] for a in test}
        out["test_si_vs_derived_unofficial"] = score_si(predicted, gold_si(test)).as_dict()
        out["test_floor_si_whole_sentences"] = score_si(
            {a.id: list(sentence_spans(a.text)) for a in test}, gold_si(test)
        ).as_dict()
        out["test_tc"] = "not scored: the test split has no public technique gold"
    return out
