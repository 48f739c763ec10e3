"""The parser against the hand-labelled dev set (docs/labeling.md); skips where ../shared is absent."""

from __future__ import annotations

import json

import pytest

from .conftest import shared_path
from .devset.score import AIMS, HELDOUT, SUPPORT, load_labels, load_records, score_propscope, score_support


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


HELDOUT_FLOOR = 0.80  # the held-out set only guards against regressions; its scores are reported, not tuned


def test_heldout_set_stays_above_its_floor() -> None:
    shared_path("corpora")
    labels = load_labels(HELDOUT)
    assert len(labels) >= 50
    dev_ids = {label["id"] for label in load_labels()}
    assert not dev_ids & {label["id"] for label in labels}, "held-out records must not be in the dev set"
    scores = score_propscope(labels, load_records(labels)).scores()
    for metric in AIMS:
        assert scores[metric] >= HELDOUT_FLOOR, f"held-out {metric} {scores[metric]:.3f}"


# The old set's yes/no support labels follow a definition the stance set superseded (docs/labeling.md: south
# Koreans and protocol counted differently); whether a dispatch claims support is floored on the stance set.
# The actor model (enrich/support_actors.py) names every speaker and listed gathering: on this older set actors
# F1 went from 0.38 to 0.50 (recall 0.30 to 0.55) while precision fell from 0.52 to 0.46.
SUPPORT_FLOOR = {"actors_f1": 0.45, "actors_precision": 0.42, "actor_country_accuracy": 0.9}
# hostile_f1: the stance model's 5-fold F1 on train was 0.882 (tests/devset/train_stance.py), less a margin.
# foreign_actors_f1: the actor model reaches 0.62 under 5-fold CV on train (tests/devset/train_actors.py).
STANCE_FLOOR = {
    "foreign_support_f1": 0.9,
    "compatriot_support_f1": 0.85,
    "hostile_f1": 0.85,
    "foreign_actors_f1": 0.55,
    "foreign_actor_country_accuracy": 0.88,
}
FRIENDLY_SCORED_HOSTILE_CEILING = 2  # out of fold on train: 1


def test_support_labels_cover_both_sets() -> None:
    gold = [json.loads(line) for line in SUPPORT.read_text(encoding="utf-8").splitlines() if line.strip()]
    ids = {label["id"] for label in load_labels()} | {label["id"] for label in load_labels(HELDOUT)}
    assert {label["id"] for label in gold} == ids


def test_support_events_stay_above_their_floor() -> None:
    shared_path("corpora")
    labels = load_labels()
    scores = score_support("dev", load_records(labels)).scores()
    for metric, floor in SUPPORT_FLOOR.items():
        assert scores[metric] >= floor, f"{metric} {scores[metric]:.3f} < {floor}"


def test_stance_set_train_part_stays_above_its_floor() -> None:
    """The train part (what the support model and rules were fit on) guards against regressions; the held-out
    third is reported by `python -m tests.devset.score_stance --heldout`, never asserted or tuned on here."""
    shared_path("corpora")
    from tests.devset.score_stance import score

    report = score("train")
    scores = report.scores()
    for metric, floor in STANCE_FLOOR.items():
        assert scores[metric] >= floor, f"{metric} {scores[metric]:.3f} < {floor}"
    assert report.wrong_role == []  # no adversary or compatriot reported as a foreign supporter
    assert len(report.friendly_called_hostile) <= FRIENDLY_SCORED_HOSTILE_CEILING, report.friendly_called_hostile
