"""Fit the support model (propscope/enrich/support_model.py) on the stance set's train part only.

    python -m tests.devset.train_support           # cross-validate, fit, write enrich/data/support-model.json

The regularisation of each task is chosen by 5-fold cross-validation on train; the held-out third is never
read here (score it afterwards with `python -m tests.devset.score_stance --heldout`). Needs scikit-learn
(the `train` extra) and ../shared/corpora. `fit` is what tests/devset/cv_stance.py refits in each fold.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np

from propscope.enrich import Pipeline
from propscope.enrich.support import SupportStep
from propscope.enrich.support_model import FORMAT, MODEL_PATH
from propscope.enrich.techniques import encode_array
from tests.devset.score import load_records
from tests.devset.score_stance import load_stance

TASKS = ("foreign_support", "compatriot_support")
GRID = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)


def vectorizer():  # type: ignore[no-untyped-def]
    """The TF-IDF that support_model.Task.score recomputes at ingest: change both together."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True)


def task_payload(v, model, c: float, with_rule: float, without_rule: float) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """One fitted task as support_model.SupportModel reads it back (every feature: the l2 norm needs them all)."""
    return {
        "terms": [str(term) for term in v.get_feature_names_out()],
        "idf": encode_array(v.idf_),
        "weights": encode_array(model.coef_[0]),
        "bias": float(model.intercept_[0]),
        "C": c,
        "threshold_with_rule": with_rule,
        "threshold_without_rule": without_rule,
    }


def fit(
    texts: list[str], labels: list[dict[str, Any]], ruled: dict[str, list[bool]], log: bool = False
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The payload fit on these dispatches, and each task's out-of-fold decisions on them (what the model
    trained without a dispatch decides for it: the actor model is tuned on those). `ruled[task]`: whether the
    cue rules alone found an actor of the task's role in each dispatch."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold

    payload: dict[str, Any] = {"format": FORMAT, "version": "stance-set-1", "tasks": {}, "cv": {}}
    decisions: dict[str, np.ndarray] = {}
    for task in TASKS:
        y = np.array([bool(label[task]) for label in labels])
        rule = np.array(ruled[task])
        scores: dict[float, float] = {}
        out_of_fold: dict[float, np.ndarray] = {}
        for c in GRID:
            probability = np.zeros(len(y))
            for train, test in StratifiedKFold(5, shuffle=True, random_state=0).split(texts, y):
                v = vectorizer()
                x = v.fit_transform([texts[i] for i in train])
                model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y[train])
                probability[test] = model.predict_proba(v.transform([texts[i] for i in test]))[:, 1]
            scores[c] = float(f1_score(y, probability >= 0.5))
            out_of_fold[c] = probability
        best = max(scores, key=lambda c: (scores[c], -c))
        # Where the rules found an actor of the role, the model may need less to agree: both thresholds are
        # chosen on the out-of-fold probabilities of train.
        thresholds = [round(t, 2) for t in np.arange(0.2, 0.81, 0.05)]
        p = out_of_fold[best]
        pairs = {(a, b): float(f1_score(y, np.where(rule, p >= a, p >= b))) for a in thresholds for b in thresholds}
        with_rule, without_rule = max(pairs, key=lambda k: (pairs[k], -abs(k[0] - 0.5) - abs(k[1] - 0.5)))
        decisions[task] = np.where(rule, p >= with_rule, p >= without_rule)
        v = vectorizer()
        x = v.fit_transform(texts)
        model = LogisticRegression(C=best, class_weight="balanced", max_iter=5000).fit(x, y)
        payload["tasks"][task] = task_payload(v, model, best, with_rule, without_rule)
        payload["cv"][task] = {str(c): round(s, 4) for c, s in scores.items()}
        if log:
            print(
                f"{task}: 5-fold F1 on train by C {payload['cv'][task]}; chosen C={best};"
                f" thresholds {with_rule} (rules found an actor) / {without_rule} (none):"
                f" F1 {pairs[with_rule, without_rule]:.3f}",
                file=sys.stderr,
            )
    return payload, decisions


def ruled_by_rules(labels: list[dict[str, Any]]) -> tuple[list[str], dict[str, list[bool]]]:
    """The dispatches' texts, and whether the cue rules alone (no model) found an actor of each role."""
    records = load_records(labels)
    rules = Pipeline()
    rules.steps = [s if not isinstance(s, SupportStep) else SupportStep(s.actors, None) for s in rules.steps]
    found = [rules(records[label["id"]]) for label in labels]
    texts = [records[label["id"]].text for label in labels]
    return texts, {task: [bool(getattr(article, task)) for article in found] for task in TASKS}


def main() -> int:
    labels = load_stance("train")
    texts, ruled = ruled_by_rules(labels)
    payload, _ = fit(texts, labels, ruled, log=True)
    MODEL_PATH.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
