"""enrich/__init__.py: steps declare what they require, use and assign; the pipeline's order is derived
from that and checked when it is built."""

from __future__ import annotations

import logging
from dataclasses import fields, replace

import pytest

from propscope import enrich
from propscope.enrich import REGISTRY, Pipeline, StepSpec, resolve_steps, step_order
from propscope.errors import UsageError
from propscope.model import Article, RawRecord
from propscope.parse import parse_record
from propscope.settings import Settings
from tests.conftest import SEED


def test_the_order_follows_what_each_step_reads() -> None:
    assert step_order(["epithets", "techniques", "support", "entities"]) == (
        "entities",
        "support",
        "techniques",
        "epithets",
    )
    assert step_order(["epithets", "entities"]) == ("entities", "epithets")
    assert Pipeline(("epithets", "entities")).names == ("entities", "epithets")


def test_a_requirement_no_step_assigns_is_refused_when_the_pipeline_is_built() -> None:
    with pytest.raises(UsageError) as caught:
        Pipeline(("support",))
    assert str(caught.value) == "enrich step support requires entities, which no step before it assigns"
    with pytest.raises(UsageError, match="unknown enrich step 'sentiment'"):
        Pipeline(("entities", "sentiment"))


def test_two_steps_filling_one_field_are_refused() -> None:
    """The encoder and the linear model both fill `techniques`: running both would keep whichever ran last."""
    with pytest.raises(UsageError) as caught:
        resolve_steps("+techniques,techniques-fast")
    assert str(caught.value) == "enrich steps techniques and techniques-fast both fill techniques: choose one"
    assert resolve_steps("+techniques-fast") == (
        "entities",
        "support",
        "techniques-fast",
        "epithets",
        "stance",
        "appearances",
    )


def test_an_option_adds_the_steps_a_named_step_requires() -> None:
    assert resolve_steps("support") == ("entities", "support")
    assert resolve_steps("epithets,techniques") == ("entities", "techniques", "epithets")
    assert resolve_steps("+techniques") == ("entities", "support", "techniques", "epithets", "stance", "appearances")
    assert resolve_steps("stance") == ("entities", "epithets", "stance")
    assert resolve_steps(None) == enrich.DEFAULT_STEPS
    with pytest.raises(UsageError, match="unknown enrich step 'nope'"):
        resolve_steps("+nope")


def test_a_new_step_runs_after_the_step_assigning_what_it_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(settings: object) -> enrich.Step:
        class Count:
            name = "count"

            def __call__(self, article: Article) -> Article:
                article.meta["epithets"] = len(article.epithets)
                return article

        return Count()

    count = StepSpec("count", build, assigns=("meta",), uses=("epithets",))
    monkeypatch.setattr(enrich, "REGISTRY", {"count": count, **REGISTRY})  # registered first, run later
    order = step_order(["count", "epithets", "entities"])
    assert order.index("count") > order.index("epithets")
    text = SEED.read_text(encoding="utf-8")
    article = Pipeline(order)(RawRecord(origin="seed", kind="text", text=text, raw=b""))
    assert article.meta["epithets"] == len(article.epithets)


def test_a_step_that_cannot_be_built_disables_the_steps_requiring_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def missing(settings: object) -> enrich.Step:
        raise OSError("no gazetteer here")

    monkeypatch.setitem(REGISTRY, "entities", replace(REGISTRY["entities"], build=missing))
    with caplog.at_level(logging.WARNING, logger="propscope.enrich"):
        pipeline = Pipeline(("entities", "support", "techniques"))
    assert [step.name for step in pipeline.steps] == ["techniques"]
    assert "enrich step support is disabled: it requires entities" in caplog.text


def test_each_step_assigns_only_what_it_declares() -> None:
    names = {f.name for f in fields(Article)}
    text = SEED.read_text(encoding="utf-8")
    article = parse_record(RawRecord(origin="seed", kind="text", text=text, raw=b""))
    for name in step_order(set(REGISTRY) - {"techniques-fast"}) + ("techniques-fast",):  # rivals: one at a time
        spec = REGISTRY[name]
        assert set(spec.assigns) | set(spec.requires) | set(spec.uses) <= names
        before = replace(article)
        article = spec.build(Settings())(article)
        changed = {f.name for f in fields(Article) if getattr(before, f.name) != getattr(article, f.name)}
        assert changed <= set(spec.assigns), (name, changed)
