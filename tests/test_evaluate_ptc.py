"""The PTC scorers (evaluate/ptc.py) on hand-made examples whose answers are worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from propscope.evaluate.ptc import (
    TECHNIQUES,
    merge_overlapping,
    read_jsonl,
    read_labels,
    score_si,
    score_spans_with_techniques,
    score_tc,
    sentence_spans,
)

from .conftest import shared_path


def test_merge_joins_overlaps_but_not_touching_spans() -> None:
    assert merge_overlapping([(5, 9), (0, 6), (9, 12), (20, 20)]) == [(0, 9), (9, 12)]


def test_si_partial_overlap_credit() -> None:
    # Half of a gold span: precision 5/5, recall 5/10.
    score = score_si({"a": [(0, 5)]}, {"a": [(0, 10)]})
    assert (score.precision, score.recall) == (1.0, 0.5)
    assert score.f1 == pytest.approx(2 / 3)
    # One prediction over two gold spans: precision (4 + 4) / 10, recall (1 + 1) / 2.
    score = score_si({"a": [(0, 10)]}, {"a": [(0, 4), (6, 10)]})
    assert (score.precision, score.recall) == (pytest.approx(0.8), 1.0)


def test_si_merges_overlapping_predictions_and_gold() -> None:
    assert score_si({"a": [(0, 6), (4, 10)]}, {"a": [(0, 10)]}).f1 == 1.0
    assert score_si({"a": [(0, 10)]}, {"a": [(0, 6), (2, 10)]}).f1 == 1.0
    # Touching predictions stay two spans, each fully precise, each covering half.
    score = score_si({"a": [(0, 5), (5, 10)]}, {"a": [(0, 10)]})
    assert (score.precision, score.recall) == (1.0, 1.0)


def test_si_pools_over_articles() -> None:
    # Article b has gold but no prediction: its span still counts in the recall's denominator.
    score = score_si({"a": [(0, 10)]}, {"a": [(0, 10)], "b": [(0, 4)]})
    assert (score.precision, score.recall) == (1.0, 0.5)
    assert score_si({}, {"a": []}).f1 == 1.0
    assert score_si({"a": [(0, 3)]}, {"a": []}).f1 == 0.0
    with pytest.raises(ValueError):
        score_si({"z": [(0, 1)]}, {"a": []})


def test_tc_aligns_labels_within_identical_spans() -> None:
    gold = {"a": [("Doubt", 0, 5), ("Slogans", 0, 5), ("Repetition", 7, 9)]}
    swapped = {"a": [("Slogans", 0, 5), ("Doubt", 0, 5), ("Repetition", 7, 9)]}
    assert score_tc(swapped, gold).micro_f1 == 1.0
    half = {"a": [("Doubt", 0, 5), ("Doubt", 0, 5), ("Loaded_Language", 7, 9)]}
    score = score_tc(half, gold)
    assert score.micro_f1 == pytest.approx(1 / 3)
    # Doubt: predicted twice, right once, gold once -> P 1/2, R 1.
    assert score.per_technique["Doubt"].precision == 0.5
    assert score.per_technique["Doubt"].recall == 1.0
    assert score.per_technique["Slogans"].f1 == 0.0
    assert score.support["Slogans"] == 1
    assert set(score.per_technique) == set(TECHNIQUES)


def test_tc_requires_the_gold_spans() -> None:
    with pytest.raises(ValueError):
        score_tc({"a": [("Doubt", 0, 4)]}, {"a": [("Doubt", 0, 5)]})


def test_span_and_technique_score_needs_the_same_technique() -> None:
    gold = {"a": [("Doubt", 0, 10), ("Slogans", 20, 30)]}
    assert score_spans_with_techniques({"a": [("Slogans", 0, 10)]}, gold).f1 == 0.0
    score = score_spans_with_techniques({"a": [("Doubt", 0, 5), ("Slogans", 20, 30)]}, gold)
    assert (score.precision, score.recall) == (1.0, 0.75)


def test_sentence_spans_are_the_non_empty_lines() -> None:
    text = "Title here\n\n  One sentence.\nTwo.\n"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["Title here", "One sentence.", "Two."]


def test_readers(tmp_path: Path) -> None:
    record = {"id": "7", "text": "abc def", "spans": [{"start": 0, "end": 3, "technique": "Doubt"}], "si_spans": []}
    (tmp_path / "x.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    (article,) = read_jsonl(tmp_path / "x.jsonl")
    assert (article.id, article.spans[0].technique, article.si_spans) == ("7", "Doubt", [])
    (tmp_path / "tc.labels").write_text("7\tDoubt\t0\t3\n7\tSlogans\t4\t7\n", encoding="utf-8")
    assert read_labels(tmp_path / "tc.labels") == {"7": [("Doubt", 0, 3), ("Slogans", 4, 7)]}


@pytest.mark.corpus
def test_dev_floors_and_gold_against_itself() -> None:
    dev = read_jsonl(shared_path("datasets", "ptc-semeval2020", "dev", "dev.jsonl"))
    gold_si = {a.id: a.si_spans for a in dev}
    gold_tc = {a.id: [(s.technique, s.start, s.end) for s in a.spans] for a in dev}
    assert score_si({a.id: [(s.start, s.end) for s in a.spans] for a in dev}, gold_si).f1 == 1.0
    loaded = {k: [("Loaded_Language", s, e) for _, s, e in v] for k, v in gold_tc.items()}
    assert score_tc(loaded, gold_tc).micro_f1 == pytest.approx(0.306, abs=0.001)
    sentences = score_si({a.id: list(sentence_spans(a.text)) for a in dev}, gold_si)
    assert sentences.f1 == pytest.approx(0.189, abs=0.002)
