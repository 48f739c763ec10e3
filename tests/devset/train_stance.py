"""Fit the stance model (propscope/enrich/stance_model.py) on the stance set's train part only.

    python -m tests.devset.train_stance           # cross-validate, fit, write enrich/data/stance-model.json
    python -m tests.devset.train_stance --dry-run # cross-validate only

One example per (dispatch, country) pair that a word of attack comes near (the rest are not hostile, as the
step decides too); the label is whether the stance set calls it hostile. Folds keep every pair of a dispatch,
and dispatches of the same text, together. The regularisation and both thresholds (the rules aimed an attack
at the country, or not) are chosen on out-of-fold probabilities of train; the held-out third is never read
here (score it afterwards with `python -m tests.devset.score_stance --heldout`). Needs scikit-learn (the
`train` extra) and ../shared/corpora.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass

import numpy as np

from propscope.enrich import Pipeline
from propscope.enrich.stance import StanceStep
from propscope.enrich.stance_model import MODEL_PATH, STANCE_TASK, pair_document
from propscope.enrich.support_model import FORMAT
from tests.devset.score import load_records
from tests.devset.score_stance import load_stance
from tests.devset.train_support import task_payload, vectorizer

GRID = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.86, 0.05))
FRIENDLY_COST = 0.01  # F1 given up for each pair the labels call friendly that is scored hostile


@dataclass
class Examples:
    documents: list[str]
    hostile: np.ndarray  # the label
    friendly: np.ndarray  # the label says friendly
    ruled: np.ndarray  # the rules aimed an attack at it
    groups: list[str]
    unreachable: int  # hostile pairs no word of attack comes near: misses whatever the model says


def examples(split: str = "train") -> Examples:
    labels = load_stance(split)
    records = load_records(labels)
    pipeline = Pipeline()
    step = next(s for s in pipeline.steps if isinstance(s, StanceStep))
    step.model = None  # the rules alone: what the documents describe
    documents: list[str] = []
    hostile, friendly, ruled, groups = [], [], [], []
    unreachable = 0
    for label in labels:
        article = pipeline(records[label["id"]])
        analysis = step.analyse(article)
        group = hashlib.sha1(article.text[article.body_start :].encode()).hexdigest()
        # A country the rules find but the labels leave out is one the scorer counts as not hostile.
        for code in sorted(set(label["stance"]) | set(analysis.pairs) - {"KP"}):
            want = label["stance"].get(code, "neutral")
            pair = analysis.pairs.get(code)
            if pair is None or not (pair.attacked or pair.near_attack):
                unreachable += want == "hostile"
                continue
            documents.append(pair_document(pair, analysis, article))
            hostile.append(want == "hostile")
            friendly.append(want == "friendly")
            ruled.append(bool(pair.attacked))
            groups.append(group)
    return Examples(documents, np.array(hostile), np.array(friendly), np.array(ruled), groups, unreachable)


def out_of_fold(data: Examples, c: float) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedGroupKFold

    probability = np.zeros(len(data.hostile))
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(data.documents, data.hostile, data.groups):
        v = vectorizer()
        x = v.fit_transform([data.documents[i] for i in train])
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, data.hostile[train])
        probability[test] = model.predict_proba(v.transform([data.documents[i] for i in test]))[:, 1]
    return probability


def measure(data: Examples, predicted: np.ndarray) -> tuple[float, int]:
    """Pair-level hostile F1 (the unreachable hostile pairs count as misses) and friendly pairs scored hostile."""
    tp = int((predicted & data.hostile).sum())
    fp = int((predicted & ~data.hostile).sum())
    fn = int((~predicted & data.hostile).sum()) + data.unreachable
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return f1, int((predicted & data.friendly).sum())


def main(argv: list[str] | None = None) -> int:
    from sklearn.linear_model import LogisticRegression

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="cross-validate only; write nothing")
    args = parser.parse_args(argv)
    data = examples("train")
    rule_f1, rule_friendly = measure(data, data.ruled)
    print(
        f"{len(data.documents)} pairs ({int(data.hostile.sum())} hostile, {data.unreachable} hostile unreachable);"
        f" rules alone: F1 {rule_f1:.3f}, friendly scored hostile {rule_friendly}",
        file=sys.stderr,
    )
    best: tuple[float, float, float, float, int, float] | None = None  # objective, C, with, without, friendly, f1
    cv: dict[str, float] = {}
    for c in GRID:
        p = out_of_fold(data, c)
        cv[str(c)] = round(measure(data, p >= 0.5)[0], 4)
        for with_rule in THRESHOLDS:
            for without_rule in THRESHOLDS:
                f1, friendly = measure(data, np.where(data.ruled, p >= with_rule, p >= without_rule))
                objective = f1 - FRIENDLY_COST * friendly - 0.001 * (abs(with_rule - 0.5) + abs(without_rule - 0.5))
                if best is None or objective > best[0]:
                    best = (objective, c, with_rule, without_rule, friendly, f1)
    assert best is not None
    _, c, with_rule, without_rule, friendly, f1 = best
    print(
        f"5-fold F1 on train by C at 0.5: {cv}; chosen C={c}, thresholds {with_rule} (rules aimed) /"
        f" {without_rule} (not): F1 {f1:.3f}, friendly scored hostile {friendly}",
        file=sys.stderr,
    )
    if args.dry_run:
        return 0
    v = vectorizer()
    x = v.fit_transform(data.documents)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, data.hostile)
    payload = {
        "format": FORMAT,
        "version": "stance-set-1",
        "tasks": {
            STANCE_TASK: task_payload(v, model, c, with_rule, without_rule),
        },
        "cv": {"f1_by_c": cv, "f1": round(f1, 4), "friendly_scored_hostile": friendly, "rules_f1": round(rule_f1, 4)},
    }
    MODEL_PATH.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
