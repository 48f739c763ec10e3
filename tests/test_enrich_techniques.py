"""The shipped propaganda-technique model (enrich/techniques.py) on short texts written for these tests."""

from __future__ import annotations

from propscope.enrich import REGISTRY
from propscope.enrich.techniques import MODEL_PATH, TechniqueStep, detect_techniques, shipped_model
from propscope.evaluate.ptc import TECHNIQUES
from propscope.model import Article

TEXT = (
    "Traitors Sell Out the Nation\n\n"
    "The corrupt and treacherous puppet clique once again showed its true colours as a band of traitors.\n"
    "These despicable criminals will be crushed without mercy by the furious people!\n"
    "Everyone knows that the so-called talks are a fraud, a monstrous lie and nothing but a fraud.\n"
    "The minister met the delegation on Tuesday and discussed trade.\n"
)


def test_model_ships_small_and_not_as_a_pickle() -> None:
    assert MODEL_PATH.suffix == ".json"
    assert MODEL_PATH.stat().st_size < 50 * 1024 * 1024
    assert shipped_model().techniques == list(TECHNIQUES)


def test_detects_valid_spans_in_english_text() -> None:
    found = detect_techniques(TEXT)
    assert found, "a text this loaded should have at least one span"
    for technique in found:
        assert 0 <= technique.start < technique.end <= len(TEXT)
        assert technique.technique in TECHNIQUES
        assert 0.0 <= technique.score <= 1.0
        assert TEXT[technique.start : technique.end].strip() == TEXT[technique.start : technique.end]
    assert detect_techniques(TEXT) == found  # deterministic
    assert detect_techniques("") == []


def test_step_sets_techniques_with_offsets_into_the_article_text() -> None:
    prefix = "[page header]\n"
    text = prefix + TEXT
    article = Article(
        origin="t",
        kind="text",
        text=text,
        title="Traitors Sell Out the Nation",
        title_start=len(prefix),
        title_end=len(prefix) + 28,
        body_start=len(prefix) + 30,
    )
    step = TechniqueStep()
    assert step.name == "techniques-fast" and REGISTRY["techniques-fast"].assigns == ("techniques",)
    result = step(article)
    assert result.techniques
    assert all(t.start >= len(prefix) for t in result.techniques)
    shifted = [(t.start - len(prefix), t.end - len(prefix), t.technique) for t in result.techniques]
    assert shifted == [(t.start, t.end, t.technique) for t in detect_techniques(TEXT)]


def test_min_score_keeps_only_the_surer_spans() -> None:
    found = detect_techniques(TEXT)
    cut = sorted(t.score for t in found)[len(found) // 2]
    surer = shipped_model().detect(TEXT, min_score=cut)
    assert surer == [t for t in found if t.score >= cut] and len(surer) < len(found)
