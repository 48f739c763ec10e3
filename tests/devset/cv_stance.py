"""Cross-validate the whole support step on the stance set's train part: both models refit in every fold.

    python -m tests.devset.cv_stance             # 5-fold by dispatch, and across waves (1 -> 2, 2 -> 1)
    python -m tests.devset.cv_stance --misses    # also the out-of-fold actor misses, classified

Each split refits the support model (train_support.fit) and the actor model (train_actors.fit, tuned on the
support model's out-of-fold decisions) on its training dispatches only, then scores the step on the rest as
score_stance scores it. Training each model's CV alone measures the actor model as if every claim were
known: here a dispatch the support model wrongly reads as a claim costs its actors, as at ingest. The
held-out third comes from wave 1 while train mixes waves 1 and 2 (`"wave": 2`), so the cross-wave figures are
the better estimate of how the step generalises. The held-out third is never read here.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np

from propscope.enrich import Pipeline
from propscope.enrich.support import SupportStep
from propscope.enrich.support_actors import ActorModel
from propscope.enrich.support_model import SupportModel
from propscope.model import Article
from tests.devset import train_actors, train_support
from tests.devset.score import load_records
from tests.devset.score_stance import StanceReport, load_stance, score_article

KEYS = (
    "foreign_support_f1",
    "compatriot_support_f1",
    "foreign_actors_precision",
    "foreign_actors_recall",
    "foreign_actors_f1",
    "foreign_actor_country_accuracy",
    "wrong_role_as_foreign",
)


def splits(labels: list[dict[str, Any]]) -> Iterator[tuple[str, list[tuple[np.ndarray, np.ndarray]]]]:
    """5 folds by dispatch (stratified by the two claims), then each wave's train part against the other's."""
    from sklearn.model_selection import StratifiedKFold

    strata = [f"{label['foreign_support']}{label['compatriot_support']}" for label in labels]
    folds = StratifiedKFold(5, shuffle=True, random_state=1).split(np.zeros(len(labels)), strata)
    yield "5-fold", [(train, test) for train, test in folds]
    wave = np.array([label.get("wave", 1) for label in labels])
    one, two = np.flatnonzero(wave == 1), np.flatnonzero(wave == 2)
    yield "wave 1 -> 2", [(one, two)]
    yield "wave 2 -> 1", [(two, one)]


def prepare(labels: list[dict[str, Any]]) -> tuple[list[Article], SupportStep]:
    """The dispatches with their entities (what the support step reads), and a step to refit."""
    records = load_records(labels)
    pipeline = Pipeline(("entities", "support"))
    step = next(s for s in pipeline.steps if isinstance(s, SupportStep))
    pipeline.steps = [s for s in pipeline.steps if s is not step]
    return [pipeline(records[label["id"]]) for label in labels], step


def run(
    labels: list[dict[str, Any]],
    articles: list[Article],
    step: SupportStep,
    train: np.ndarray,
    test: np.ndarray,
    rows: list[train_actors.Row],
    ruled_all: dict[str, list[bool]],
) -> list[tuple[int, Article]]:
    """Fit both models on `train`, and the step's output on every dispatch of `test`."""
    part = [labels[i] for i in train]
    ruled = {task: [ruled_all[task][i] for i in train] for task in train_support.TASKS}
    support, decisions = train_support.fit([articles[i].text for i in train], part, ruled)
    where = {int(i): k for k, i in enumerate(train)}
    part_rows = [(where[r[0]], *r[1:]) for r in rows if r[0] in where]
    actors = train_actors.fit(part, part_rows, [bool(d) for d in decisions["foreign_support"]])
    fitted = SupportStep(step.actors, SupportModel(support), ActorModel(actors))
    out = []
    for i in test:
        article = fitted(articles[i])
        out.append((int(i), _copy(article)))
    return out


def _copy(article: Article) -> Article:
    from dataclasses import replace

    return replace(article, support_events=list(article.support_events))


_KIND = re.compile(r": (missed|extra) '(.*)' \((\w+|None)\)$|: '(.*)' country (\w+|None) want (\w+|None)$")


def classify(report: StanceReport) -> Counter[str]:
    """The actor misses by kind: missed or extra (in a dispatch with or without a gold claim), wrong country."""
    kinds: Counter[str] = Counter()
    for line in report.actors.misses:
        match = _KIND.search(line)
        if match is None:
            continue
        kinds[match.group(1) or "wrong country"] += 1
    return kinds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--only", choices=("5-fold", "wave"), help="run one kind of split")
    args = parser.parse_args(argv)
    labels = load_stance("train")
    articles, step = prepare(labels)
    rows = train_actors.rows_of(labels, articles)
    rules = SupportStep(step.actors, None)
    ruled_articles = [_copy(rules(article)) for article in articles]
    ruled = {task: [bool(getattr(a, task)) for a in ruled_articles] for task in train_support.TASKS}
    for name, folds in splits(labels):
        if args.only and not name.startswith(args.only):
            continue
        report = StanceReport()
        for train, test in folds:
            for i, article in run(labels, articles, step, train, test, rows, ruled):
                score_article(report, labels[i], article)
        scores = report.scores()
        print(f"{name} ({report.n} dispatches): " + " ".join(f"{k} {scores[k]:.3f}" for k in KEYS))
        print(f"  actor misses by kind: {dict(classify(report))}")
        if args.misses:
            for line in (*report.foreign.misses, *report.compatriot.misses, *report.actors.misses, *report.wrong_role):
                print("    " + line)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
