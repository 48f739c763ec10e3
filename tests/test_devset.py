"""The parser against the hand-labelled dev set (docs/labeling.md); skips where ../shared is absent."""

from __future__ import annotations

import pytest

from .conftest import shared_path
from .devset.score import AIMS, load_labels, load_records, score_propscope


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    shared_path("corpora")
    labels = load_labels()
    records = load_records(labels)
    assert len(records) == len(labels), "a labelled record is missing from ../shared/corpora"
    return score_propscope(labels, records)


def test_the_dev_set_is_big_and_varied() -> None:
    labels = load_labels()
    assert len(labels) >= 100
    assert {label["genre"] for label in labels} == {
        "news_report",
        "relayed_article",
        "commentary",
        "statement",
        "message",
        "speech",
    }
    years = {label["id"].split("-")[1][:4] for label in labels if label["id"].startswith("kcnajp-")}
    assert min(years) <= "1999" and max(years) >= "2017"
    assert any(label["file"].startswith("kcna-kp-2024") for label in labels)


@pytest.mark.parametrize("metric", sorted(AIMS))
def test_parser_meets_its_aim(report, metric: str) -> None:  # type: ignore[no-untyped-def]
    score = report.scores()[metric]
    assert score >= AIMS[metric], f"{metric} {score:.3f} < {AIMS[metric]}"
