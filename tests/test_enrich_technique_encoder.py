"""The shipped encoder (enrich/technique_encoder.py, step `techniques`) on short texts written for these tests."""

from __future__ import annotations

import json
import re

import pytest

from propscope.enrich import REGISTRY, Pipeline
from propscope.enrich.technique_encoder import MODEL_DIR, EncoderTechniqueStep, shipped_encoder
from propscope.evaluate.ptc import TECHNIQUES
from propscope.model import Article, RawRecord
from propscope.settings import Settings
from propscope.train.encoder import WEIGHTS_PACKAGE, WEIGHTS_SHA256, WEIGHTS_VERSION
from tests.conftest import SEED
from tests.test_enrich_techniques import TEXT  # the same loaded text both models are tried on

WORD = re.compile(r"\w")


def test_the_model_ships_small_with_its_provenance() -> None:
    sizes = {p.name: p.stat().st_size for p in MODEL_DIR.iterdir()}
    assert {"model.onnx", "head.json", "tokenizer.json"} <= set(sizes)
    assert sum(sizes.values()) < 50 * 1024 * 1024
    head = json.loads((MODEL_DIR / "head.json").read_text(encoding="utf-8"))
    assert head["weights"] == {"package": WEIGHTS_PACKAGE, "version": WEIGHTS_VERSION, "sha256": WEIGHTS_SHA256}
    assert head["techniques"] == list(TECHNIQUES)
    assert shipped_encoder().techniques == list(TECHNIQUES)


def _check_spans(text: str, found: list) -> None:
    previous_end = 0
    for t in found:
        assert previous_end <= t.start < t.end <= len(text)
        previous_end = t.end
        assert t.technique in TECHNIQUES and 0.0 <= t.score <= 1.0
        # on word boundaries: never a piece of a word at either edge
        assert not (t.start > 0 and WORD.match(text[t.start - 1]) and WORD.match(text[t.start]))
        assert not (t.end < len(text) and WORD.match(text[t.end]) and WORD.match(text[t.end - 1]))


def test_spans_are_whole_words_in_order_and_deterministic() -> None:
    model = shipped_encoder()
    found = model.detect(TEXT)
    _check_spans(TEXT, found)
    assert model.detect(TEXT) == found
    assert model.detect("") == []


def test_the_seed_dispatch_gets_spans_that_cut_no_word() -> None:
    text = SEED.read_text(encoding="utf-8")
    article = Pipeline(("techniques",))(RawRecord(origin="seed", kind="text", text=text, raw=b""))
    assert article.techniques, "the seed is a signed article full of loaded language"
    _check_spans(article.text, article.techniques)
    assert all(t.start >= article.title_start for t in article.techniques)


def test_min_score_drops_the_less_sure_spans_and_reaches_the_step_from_settings() -> None:
    model = shipped_encoder()
    found = model.detect(TEXT)
    assert found
    cut = max(t.score for t in found)
    assert model.detect(TEXT, min_score=cut) == [t for t in found if t.score >= cut]
    article = Article(origin="t", kind="text", text=TEXT, title="Traitors", title_start=0, title_end=8, body_start=30)
    step = REGISTRY["techniques"].build(Settings(technique_min_score=cut))
    assert isinstance(step, EncoderTechniqueStep) and step.min_score == cut
    assert step(article).techniques == [t for t in found if t.score >= cut]


def test_long_texts_are_read_past_the_encoders_window() -> None:
    """A text of many windows: spans come from its end too, with offsets into the whole text."""
    text = "\n".join([TEXT] * 12)
    found = shipped_encoder().detect(text)
    _check_spans(text, found)
    assert max(t.start for t in found) > len(text) - len(TEXT)


def test_technique_labels_for_given_spans() -> None:
    model = shipped_encoder()
    start = TEXT.index("puppet clique")
    labels = model.tc_labels(TEXT, [(start, start + 13), (start, start + 13), (0, 8)])
    assert len(labels) == 3 and {t for t, *_ in labels} <= set(TECHNIQUES)
    assert labels[0][0] != labels[1][0]  # a span listed twice gets its two best techniques


def test_the_settings_reject_a_min_score_out_of_range() -> None:
    from propscope.errors import UsageError

    assert Settings.from_env({"PROPSCOPE_TECHNIQUE_MIN_SCORE": "0.4"}).technique_min_score == 0.4
    with pytest.raises(UsageError, match="PROPSCOPE_TECHNIQUE_MIN_SCORE='1.5' is not a score between 0 and 1"):
        Settings.from_env({"PROPSCOPE_TECHNIQUE_MIN_SCORE": "1.5"})
