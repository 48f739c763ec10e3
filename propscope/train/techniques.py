"""Train the propaganda-technique model (propscope.enrich.techniques) on PTC (SemEval-2020 Task 11).

Only the train split is used for fitting and for choosing settings: 5-fold cross-validation with folds grouped
by article picks the tagger's C and threshold (by SI F1 on out-of-fold predictions) and the classifier's C
(by TC micro-F1 on gold spans). The final model is fitted on all of train; dev, where present, is scored once
at the end and never used for a choice.

    python -m propscope.train.techniques --data ../shared/datasets/ptc-semeval2020 --out propscope/enrich/data
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

from propscope.enrich.technique_features import Tokens, smoothing_features, span_features, token_features, tokenize
from propscope.enrich.techniques import (
    FORMAT,
    MODEL_PATH,
    TechniqueModel,
    decode_spans,
    encode_array,
    token_range,
)
from propscope.evaluate.ptc import (
    TECHNIQUES,
    PtcArticle,
    gold_si,
    gold_tc,
    read_jsonl,
    score_si,
    score_tc,
)
from propscope.evaluate.ptc_models import held_out_scores

TAGGER_C = (0.1, 0.3)  # 1.0 scored below 0.3 in a trial and took three times as long to fit
CLASSIFIER_C = (0.1, 0.3, 1.0)
THRESHOLDS = (0.15, 0.2, 0.25, 0.3)
GAPS = (2, 6, 12, 40)  # 40: in effect, one span from a sentence's first marked token to its last
SMOOTHER_C = 1.0
MIN_COUNT = 2  # a feature seen once in train cannot generalise; dropping it keeps the model small
SEED = 0
JOBS = 2  # folds fitted side by side: the machine this must train on in < 15 minutes has 2 cores
Progress = Callable[[str], None]


@dataclass(slots=True)
class Prepared:
    """Train articles turned into feature-id matrices once, reused by every fold and setting."""

    articles: list[PtcArticle]
    tokens: list[Tokens]
    token_x: sparse.csr_matrix
    token_y: np.ndarray
    token_article: np.ndarray  # article index of each token row
    tag_features: list[str]
    span_x: sparse.csr_matrix
    span_y: np.ndarray
    span_article: np.ndarray
    span_keys: list[tuple[int, int, int]]  # (article index, start, end) of each span row
    span_features: list[str]


def _inside_labels(tokens: Tokens, spans: Sequence[tuple[int, int]]) -> np.ndarray:
    """A token is inside when its middle character lies in a gold SI span."""
    inside = np.zeros(len(tokens), dtype=np.int8)
    if not spans:
        return inside
    middles = (np.asarray(tokens.starts) + np.asarray(tokens.ends) - 1) // 2
    for start, end in spans:
        inside[(middles >= start) & (middles < end)] = 1
    return inside


def _matrix(rows: list[list[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    indices: list[int] = []
    for feats in rows:
        indices.extend(sorted({vocabulary[f] for f in feats if f in vocabulary}))
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sparse.csr_matrix((data, np.asarray(indices), np.asarray(indptr)), shape=(len(rows), len(vocabulary)))


def _vocabulary(rows: list[list[str]]) -> list[str]:
    counts: Counter[str] = Counter(f for feats in rows for f in set(feats))
    return sorted(f for f, c in counts.items() if c >= MIN_COUNT)


def prepare(articles: list[PtcArticle]) -> Prepared:
    tokens = [tokenize(a.text) for a in articles]
    token_rows: list[list[str]] = []
    labels, owners = [], []
    span_rows: list[list[str]] = []
    span_y, span_owner, span_keys = [], [], []
    for index, (article, toks) in enumerate(zip(articles, tokens, strict=True)):
        token_rows.extend(token_features(toks))
        labels.append(_inside_labels(toks, article.si_spans))
        owners.append(np.full(len(toks), index))
        for span in article.spans:
            found = token_range(toks, span.start, span.end)
            if found is None:
                continue
            span_rows.append(span_features(article.text, toks, *found))
            span_y.append(TECHNIQUES.index(span.technique))
            span_owner.append(index)
            span_keys.append((index, span.start, span.end))
    tag_features = _vocabulary(token_rows)
    span_vocabulary = _vocabulary(span_rows)
    return Prepared(
        articles=articles,
        tokens=tokens,
        token_x=_matrix(token_rows, {f: i for i, f in enumerate(tag_features)}),
        token_y=np.concatenate(labels),
        token_article=np.concatenate(owners),
        tag_features=tag_features,
        span_x=_matrix(span_rows, {f: i for i, f in enumerate(span_vocabulary)}),
        span_y=np.asarray(span_y),
        span_article=np.asarray(span_owner),
        span_keys=span_keys,
        span_features=span_vocabulary,
    )


def _tagger(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, solver="liblinear", max_iter=200, random_state=SEED)


def _classifier(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=2000, random_state=SEED)


def _smoothing_matrix(data: Prepared, first_pass: np.ndarray) -> np.ndarray:
    return np.vstack(
        [
            smoothing_features(first_pass[data.token_article == index], toks.sentence)
            for index, toks in enumerate(data.tokens)
        ]
    )


def _smoother() -> LogisticRegression:
    return LogisticRegression(C=SMOOTHER_C, max_iter=2000, random_state=SEED)


def _si_grid(data: Prepared, probabilities: np.ndarray) -> dict[tuple[float, int], float]:
    """SI F1 of out-of-fold token probabilities at each candidate (threshold, gap)."""
    gold = gold_si(data.articles)
    per_article = [probabilities[data.token_article == index] for index in range(len(data.articles))]
    out = {}
    for threshold in THRESHOLDS:
        for gap in GAPS:
            predicted = {}
            for article, toks, probs in zip(data.articles, data.tokens, per_article, strict=True):
                spans = decode_spans(toks, probs, threshold, gap)
                predicted[article.id] = [(toks.starts[s.first], toks.ends[s.last]) for s in spans]
            out[(threshold, gap)] = score_si(predicted, gold).f1
    return out


def _tc_accuracy(data: Prepared, probabilities: np.ndarray) -> float:
    """TC micro-F1 on gold spans; a span listed k times gets its k most probable distinct techniques."""
    predicted: dict[str, list[tuple[str, int, int]]] = {a.id: [] for a in data.articles}
    groups: dict[tuple[int, int, int], list[int]] = {}
    for row, key in enumerate(data.span_keys):
        groups.setdefault(key, []).append(row)
    for (index, start, end), rows in groups.items():
        ranked = np.argsort(-probabilities[rows[0]], kind="stable")
        for k in range(len(rows)):
            predicted[data.articles[index].id].append((TECHNIQUES[int(ranked[k])], start, end))
    gold: dict[str, list[tuple[str, int, int]]] = {article.id: [] for article in data.articles}
    gold.update(gold_tc(data.articles))
    return score_tc(predicted, gold).micro_f1


def _fit_fold(model: LogisticRegression, x: Any, y: np.ndarray, train_rows: np.ndarray, test_rows: np.ndarray) -> Any:
    fitted = clone(model).fit(x[train_rows], y[train_rows])
    return test_rows, fitted.classes_, fitted.predict_proba(x[test_rows])


def _out_of_fold(
    model: LogisticRegression, x: Any, y: np.ndarray, groups: np.ndarray, folds: int, classes: int, jobs: int = JOBS
) -> np.ndarray:
    """Out-of-fold probabilities (rows x classes), folds grouped by article and fitted in parallel."""
    splits = GroupKFold(n_splits=folds).split(x, y, groups)
    results = Parallel(n_jobs=jobs)(delayed(_fit_fold)(model, x, y, tr, te) for tr, te in splits)
    out = np.zeros((len(y), classes))
    for test_rows, fitted_classes, probabilities in results:
        out[np.ix_(test_rows, fitted_classes)] = probabilities
    return out


def cross_validate(data: Prepared, folds: int, say: Progress, jobs: int = JOBS) -> dict[str, Any]:
    """Out-of-fold scores for every setting; returns the table and the chosen setting."""
    tagger_table: list[dict[str, Any]] = []
    first_passes: dict[float, np.ndarray] = {}
    for c in TAGGER_C:
        first_pass = _out_of_fold(_tagger(c), data.token_x, data.token_y, data.token_article, folds, 2, jobs)[:, 1]
        first_passes[c] = first_pass
        x = _smoothing_matrix(data, first_pass)
        smoothed = _out_of_fold(_smoother(), x, data.token_y, data.token_article, folds, 2, jobs)[:, 1]
        raw_grid = _si_grid(data, first_pass)
        grid = _si_grid(data, smoothed)
        threshold, gap = max(grid, key=lambda key: grid[key])
        tagger_table.append(
            {
                "C": c,
                "threshold": threshold,
                "gap": gap,
                "si_f1": grid[(threshold, gap)],
                "si_f1_without_smoother": max(raw_grid.values()),
                "grid": {f"{t}/{g}": f1 for (t, g), f1 in grid.items()},
            }
        )
        say(
            f"  tagger C={c}: SI F1 {grid[(threshold, gap)]:.4f} at threshold {threshold}, gap {gap}"
            f" (without smoother {max(raw_grid.values()):.4f})"
        )
    classifier_table: list[dict[str, Any]] = []
    for c in CLASSIFIER_C:
        oof = _out_of_fold(_classifier(c), data.span_x, data.span_y, data.span_article, folds, len(TECHNIQUES), jobs)
        accuracy = _tc_accuracy(data, oof)
        classifier_table.append({"C": c, "tc_micro_f1": accuracy})
        say(f"  classifier C={c}: TC micro-F1 {accuracy:.4f}")
    best_tagger = max(tagger_table, key=lambda row: row["si_f1"])
    best_classifier = max(classifier_table, key=lambda row: row["tc_micro_f1"])
    return {
        "tagger": tagger_table,
        "classifier": classifier_table,
        "first_pass": first_passes[best_tagger["C"]],
        "chosen": {
            "tagger_C": best_tagger["C"],
            "threshold": best_tagger["threshold"],
            "gap": best_tagger["gap"],
            "classifier_C": best_classifier["C"],
        },
    }


def fit(data: Prepared, chosen: dict[str, Any], first_pass: np.ndarray) -> dict[str, Any]:
    """Fit the models on all of train and return the JSON payload TechniqueModel loads.

    The smoother learns from the tagger's out-of-fold probabilities (`first_pass`), the kind it will see on
    new text, not from the tagger's over-confident scores on its own training tokens.
    """
    tagger = _tagger(chosen["tagger_C"]).fit(data.token_x, data.token_y)
    smoother = _smoother().fit(_smoothing_matrix(data, first_pass), data.token_y)
    classifier = _classifier(chosen["classifier_C"]).fit(data.span_x, data.span_y)
    weights = np.zeros((len(data.span_features), len(TECHNIQUES)))
    bias = np.full(len(TECHNIQUES), -30.0)  # a technique never seen in train is never predicted
    weights[:, classifier.classes_] = classifier.coef_.T
    bias[classifier.classes_] = classifier.intercept_
    tag_weights = tagger.coef_[0]
    keep_tag = np.flatnonzero(np.abs(tag_weights) > 1e-6)
    keep_span = np.flatnonzero(np.abs(weights).max(axis=1) > 1e-6)
    return {
        "format": FORMAT,
        "techniques": list(TECHNIQUES),
        "config": dict(chosen),
        "tagger": {
            "features": [data.tag_features[i] for i in keep_tag],
            "weights": encode_array(tag_weights[keep_tag]),
            "bias": float(tagger.intercept_[0]),
            "threshold": chosen["threshold"],
            "gap": chosen["gap"],
            "smoother": {"weights": encode_array(smoother.coef_[0]), "bias": float(smoother.intercept_[0])},
        },
        "classifier": {
            "features": [data.span_features[i] for i in keep_span],
            "weights": encode_array(weights[keep_span]),
            "bias": encode_array(bias),
        },
    }


def train_techniques(
    data_dir: Path, out_dir: Path, folds: int = 5, progress: Progress | None = None, jobs: int = JOBS
) -> dict[str, Any]:
    """Cross-validate on train, fit on all of train, write techniques-model.json to out_dir, report."""
    with threadpool_limits(limits=1):  # one BLAS thread: sums in the same order, the same model file every run
        return _train(Path(data_dir), Path(out_dir), folds, progress or (lambda _message: None), jobs)


def _train(data_dir: Path, out_dir: Path, folds: int, say: Progress, jobs: int) -> dict[str, Any]:
    began = time.perf_counter()
    train = read_jsonl(Path(data_dir) / "train" / "train.jsonl")
    say(f"train: {len(train)} articles")
    data = prepare(train)
    say(f"features: {len(data.tag_features)} token, {len(data.span_features)} span; {len(data.token_y)} tokens")
    cv = cross_validate(data, folds, say, jobs)
    first_pass = cv.pop("first_pass")
    payload = fit(data, cv["chosen"], first_pass)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / MODEL_PATH.name
    path.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
    report: dict[str, Any] = {
        "model_path": str(path),
        "model_bytes": path.stat().st_size,
        "train_articles": len(train),
        "folds": folds,
        "cv": cv,
        "chosen": cv["chosen"],
        "train_seconds": round(time.perf_counter() - began, 1),
    }
    say("scoring dev and test (never used for a choice)")
    report.update(held_out_scores(TechniqueModel(payload), Path(data_dir)))
    return report


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="PTC folder holding train/train.jsonl (and dev/)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH.parent, help="folder for techniques-model.json")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=JOBS, help="folds fitted in parallel")
    parser.add_argument("--report", type=Path, help="also write the report as JSON here")
    parser.add_argument(
        "--evaluate", type=Path, metavar="MODEL", help="only score this model file on dev and test; no training"
    )
    args = parser.parse_args(argv)
    if args.evaluate:
        report = held_out_scores(TechniqueModel.load(args.evaluate), args.data)
    else:
        report = train_techniques(
            args.data, args.out, args.folds, progress=lambda m: print(m, flush=True), jobs=args.jobs
        )
    text = json.dumps(report, indent=2)
    if args.report:
        args.report.write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
