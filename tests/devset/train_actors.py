"""Fit the support-actor model (propscope/enrich/support_actors.py) on the stance set's train part only.

    python -m tests.devset.train_actors     # cross-validate, fit, write enrich/data/support-actors-model.json

Each candidate (a foreign name of the body, enrich/support.py's `SupportStep.candidates`) is labelled by
whether it names one of the dispatch's foreign supporters (the scorer's `_same_actor`). The regularisation
and the threshold are chosen by 5-fold cross-validation grouped by dispatch, scored as score_stance scores
named foreign actors; the held-out third is never read here. Needs scikit-learn (the `train` extra) and
../shared/corpora.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import numpy as np

from propscope.enrich import Pipeline
from propscope.enrich.support import SupportStep
from propscope.enrich.support_actors import FORMAT, MODEL_PATH, Candidate, eligible
from propscope.model import Article
from tests.devset.score import _same_actor, load_records
from tests.devset.score_stance import load_stance

GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.0, 0.71, 0.05))
Row = tuple[int, Candidate, dict[str, float], str, bool]


def rows_of(labels: list[dict[str, Any]], articles: list[Article]) -> list[Row]:
    """(dispatch index, candidate, features, canonical, positive) for every candidate of every dispatch;
    positive: it names one of the dispatch's gold foreign supporters. `articles`: the dispatches with their
    entities (the step's own output is redone here)."""
    step = next(s for s in Pipeline(("entities", "support")).steps if isinstance(s, SupportStep))
    rows: list[Row] = []
    for i, (label, article) in enumerate(zip(labels, articles, strict=True)):
        events, cues = step.rule_events(article)
        gold = [e["actor"] for e in label["support_events"] if e["role"] == "foreign"]
        for candidate, canonical, f in step.candidates(article, cues, events):
            rows.append((i, candidate, dict(f), canonical.lower(), any(_same_actor(candidate.name, g) for g in gold)))
    return rows


def actor_f1(labels: list[dict[str, Any]], rows: list[Any], chosen: np.ndarray, decided: list[bool]) -> dict:
    """Named foreign actors scored as score_stance scores them (one event per canonical body)."""
    predicted: dict[int, list[Candidate]] = {}
    seen: set[tuple[int, str]] = set()
    for (i, candidate, _, canonical, _), keep in zip(rows, chosen, strict=True):
        if keep and decided[i] and (i, canonical) not in seen:
            seen.add((i, canonical))
            predicted.setdefault(i, []).append(candidate)
    tp = fp = fn = right = wrong_role = 0
    for i, label in enumerate(labels):
        unmatched = list(predicted.get(i, []))
        not_foreign = [
            *label.get("not_supporters", []),
            *(e["actor"] for e in label["support_events"] if e["role"] != "foreign"),
        ]
        wrong_role += sum(1 for p in unmatched if p.country == "KR" or any(_same_actor(p.name, n) for n in not_foreign))
        for event in (e for e in label["support_events"] if e["role"] == "foreign"):
            match = next((p for p in unmatched if _same_actor(p.name, event["actor"])), None)
            if match is None:
                fn += 1
                continue
            unmatched.remove(match)
            tp += 1
            right += match.country == event["country"]
        fp += len(unmatched)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "country": right / tp if tp else 1.0,
        "wrong_role": wrong_role,  # an upper bound: counted before matching, as the scorer counts extras
    }


def fit(labels: list[dict[str, Any]], rows: list[Row], decided: list[bool], log: bool = False) -> dict[str, Any]:
    """The payload fit on these dispatches' candidates. `decided`: whether the support model reads each
    dispatch as a foreign claim (out of fold, as it would read a dispatch it never saw): only there do
    candidates become events, so only there are they fit and scored."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    rows = [r for r in rows if decided[r[0]]]
    x_dicts = [r[2] for r in rows]
    y = np.array([r[4] for r in rows])
    groups = np.array([r[0] for r in rows])
    if log:
        print(f"{len(rows)} candidates, {int(y.sum())} positive", file=sys.stderr)
    gate = np.array([eligible(f) for f in x_dicts])
    results: dict[tuple[float, float], dict] = {}
    for c in GRID:
        probability = np.zeros(len(y))
        for train, test in GroupKFold(5).split(x_dicts, y, groups):
            v = DictVectorizer()
            model = LogisticRegression(C=c, max_iter=5000).fit(v.fit_transform([x_dicts[i] for i in train]), y[train])
            probability[test] = model.predict_proba(v.transform([x_dicts[i] for i in test]))[:, 1]
        for t in THRESHOLDS:
            results[c, t] = actor_f1(labels, rows, (probability >= t) & gate, decided)
    best = max(results, key=lambda k: (round(results[k]["f1"], 3), -abs(k[1] - 0.5)))
    if log:
        for (c, t), r in sorted(results.items()):
            if c == 1.0 or (c, t) == best:
                print(f"C={c} t={t}: " + " ".join(f"{k} {v:.3f}" for k, v in r.items()), file=sys.stderr)
    c, t = best
    if log:
        print(f"chosen C={c} threshold={t}: 5-fold {results[best]}", file=sys.stderr)
    v = DictVectorizer()
    model = LogisticRegression(C=c, max_iter=5000).fit(v.fit_transform(x_dicts), y)
    weights = {name: round(float(w), 5) for name, w in zip(v.get_feature_names_out(), model.coef_[0], strict=True)}
    return {
        "format": FORMAT,
        "version": "stance-set-1",
        "weights": {k: w for k, w in sorted(weights.items()) if w != 0.0},
        "bias": float(model.intercept_[0]),
        "threshold": t,
        "C": c,
        "cv": {k: round(v, 4) for k, v in results[best].items()},
    }


def main() -> int:
    labels = load_stance("train")
    records = load_records(labels)
    pipeline = Pipeline()
    articles = [pipeline(records[label["id"]]) for label in labels]
    decided = [bool(article.foreign_support) for article in articles]
    payload = fit(labels, rows_of(labels, articles), decided, log=True)
    MODEL_PATH.write_text(json.dumps(payload, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
