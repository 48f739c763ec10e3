"""The technique set (docs/labeling.md, "The technique set"): labels well formed, and the scorer's wiring.

The checks against the texts skip where ../shared is absent; the rest read only the repository's files.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from propscope.model import TECHNIQUES
from propscope.parse import parse_record

from .conftest import shared_path
from .devset import score_techniques
from .devset.sample_techniques import GENRES, SAMPLE
from .devset.score import load_records
from .devset.score_techniques import check_step, gold_spans, load_labels, score

EDGE = " \t\n,;:!?\"'“”‘’()[]"


def sample() -> list[dict[str, Any]]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_sampled_dispatch_has_one_label_line() -> None:
    drawn, labels = sample(), load_labels()
    assert len(drawn) == 50 and {s["stratum"] for s in drawn} == set(GENRES)
    assert [label["id"] for label in labels] == [s["id"] for s in drawn]
    for label, s in zip(labels, drawn, strict=True):
        assert (label["file"], label["content_sha1"]) == (s["file"], s["content_sha1"])
        assert label["why"].strip(), label["id"]


def test_spans_name_a_technique_and_hold_no_edge_punctuation() -> None:
    for label in load_labels():
        for span in label["spans"]:
            where = f"{label['id']} {span}"
            assert span["technique"] in TECHNIQUES, where
            assert 0 <= span["start"] < span["end"], where
            assert len(span["text"]) == span["end"] - span["start"], where
            assert span["text"][0] not in EDGE and span["text"][-1] not in EDGE, where
            assert not span["text"].endswith(".") or span["text"].endswith("U.S."), where
        keys = [(s["start"], s["end"], s["technique"]) for s in label["spans"]]
        assert len(keys) == len(set(keys)), f"{label['id']}: a span labelled twice with one technique"


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    shared_path("corpora")
    labels = load_labels()
    records = load_records(labels)
    assert set(records) == {label["id"] for label in labels}, "a labelled dispatch is missing from ../shared"
    for label in labels:
        assert records[label["id"]].meta.get("content_sha1") == label["content_sha1"], label["id"]
    return {rid: parse_record(record).text for rid, record in records.items()}


def test_spans_slice_the_text_the_step_reads_on_word_boundaries(texts: dict[str, str]) -> None:
    for label in load_labels():
        text = texts[label["id"]]
        for span in label["spans"]:
            start, end = span["start"], span["end"]
            assert text[start:end] == span["text"], f"{label['id']} {span}"
            assert start == 0 or not text[start - 1].isalnum(), f"{label['id']}: {span} starts inside a word"
            assert end == len(text) or not text[end].isalnum(), f"{label['id']}: {span} ends inside a word"


@pytest.mark.parametrize("step", ["techniques", "techniques-fast"])
def test_both_technique_steps_run_over_the_set(texts: dict[str, str], step: str) -> None:
    labels = load_labels()
    predicted = score_techniques.predict(step, labels)
    assert set(predicted) == set(texts)
    for rid, spans in predicted.items():
        assert all(0 <= start < end <= len(texts[rid]) and t in TECHNIQUES for t, start, end in spans)


def test_scores_are_one_for_the_gold_itself_and_fall_for_a_shifted_copy() -> None:
    gold = gold_spans(load_labels())
    perfect = score("gold", gold, gold)
    assert perfect.span.f1 == perfect.span_technique.f1 == 1.0
    shifted = {rid: [(t, start + 3, end + 3) for t, start, end in items] for rid, items in gold.items()}
    worse = score("shifted", gold, shifted)
    assert worse.span.f1 < 1.0 and worse.span.f1 > 0.5
    relabelled = {rid: [("Doubt", start, end) for _, start, end in items] for rid, items in gold.items()}
    assert score("relabelled", gold, relabelled).span_technique.f1 < 0.5


def test_an_unknown_step_or_one_without_techniques_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert check_step("techniques") is None
    assert "unknown enrich step 'no-such'" in (check_step("no-such") or "")
    assert "not techniques" in (check_step("entities") or "")
    assert score_techniques.main(["--step", "techniques", "--step", "no-such"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no-such" in err
