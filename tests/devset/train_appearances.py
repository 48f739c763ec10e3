"""Fit the appearance model (propscope/enrich/appearance_model.py) on the leadership set's train part only.

    python -m tests.devset.train_appearances            # cross-validate, fit, write enrich/data/appearance-model.json
    python -m tests.devset.train_appearances --dry-run  # cross-validate and report only

The model decides from the rules' answers, so it must learn how far they hold on text they have not seen:
every wave of labels is read by the rules as they stood before that wave was labelled (wave 2 by the rules of
commit aefacbf, fit on wave 1; wave 3 by those of 166bc3d, fit on waves 1 and 2; wave 4 by those of 965f935,
fit on waves 1-3; extracted with `git archive`
and run in a subprocess), wave 1 by today's rules (it has no earlier version: its rules' answers are nearly
all right, so it only teaches the sentences' words). C and the two thresholds are chosen by 5-fold
cross-validation grouped by dispatch over waves 2-4 (wave 1 always among the training folds), on the
scorer's appearance F1 of the whole step; then the cross-wave check (fit on the other waves, score wave 4, 3,
then 2) is printed beside the rules alone. The held-out third is never read here (the lead engineer
scores it with `python -m tests.devset.score_leader --heldout`). Needs scikit-learn, git and ../shared/corpora.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import numpy as np

from propscope.enrich import Pipeline
from propscope.enrich.appearance_model import MODEL_PATH, TASK
from propscope.enrich.appearances import AppearanceStep, Candidate, _Activity, _is_named, split_sentences
from propscope.enrich.support_model import FORMAT
from propscope.model import Appearance, Article
from tests.devset.score import CORPORA, load_records
from tests.devset.score_leader import HERE, LABELS, LeaderReport, load_labels, match, score_article
from tests.devset.train_support import task_payload, vectorizer

ROOT = HERE.parents[1]
# The rules as they stood before each wave was labelled (wave 1: none older; today's rules read it)
RULES_BEFORE = {2: "aefacbf", 3: "166bc3d", 4: "965f935"}
GRID = (0.5, 1.0, 2.0, 4.0)
THRESHOLDS = (0.0, 0.03, 0.06) + tuple(round(float(t), 2) for t in np.arange(0.1, 0.91, 0.1))
_DUMP = """
import json, sys
from propscope.enrich import Pipeline
from tests.devset.score import load_records
labels = json.load(open(sys.argv[1]))
records = load_records(labels)
step = Pipeline(("appearances",))
out = {}
for rid, record in records.items():
    article = step(record)
    out[rid] = [[a.leader, a.kind, a.place, a.event_date, a.start, a.end] for a in article.appearances]
json.dump(out, open(sys.argv[2], "w"))
"""


def waves() -> dict[str, int]:
    """Each train dispatch's wave: the sample file that drew it."""
    out: dict[str, int] = {}
    for path in sorted(HERE.glob("leader_sample*.jsonl")):
        found = re.search(r"_(\d+)\.jsonl$", path.name)
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                sample = json.loads(line)
                if sample["split"] == "train":
                    out[sample["id"]] = int(sample.get("wave") or (found.group(1) if found else 1))
    return out


def rules_before(commit: str, labels: list[dict[str, Any]]) -> dict[str, list[list[Any]]]:
    """The appearances the rules of `commit` find in these dispatches (its own propscope, in a subprocess)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit, "propscope", "tests"], check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryDirectory() as folder:
        repo = Path(folder) / "repo"
        repo.mkdir()
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(repo, filter="data")
        (Path(folder) / "shared").symlink_to(CORPORA.parent)  # its tests find ../shared/corpora from there
        wanted, result = Path(folder) / "labels.json", Path(folder) / "out.json"
        wanted.write_text(json.dumps(labels), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": str(repo)}
        subprocess.run([sys.executable, "-c", _DUMP, str(wanted), str(result)], cwd=repo, env=env, check=True)
        return json.loads(result.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


@dataclass
class Dispatch:
    """One train dispatch as the layer sees it: its article, the rules' answers (before its wave), the
    candidates and their documents, and whether each is an appearance."""

    label: dict[str, Any]
    wave: int
    article: Article
    text: str
    body: tuple[int, int]
    ruled: list[list[Any]]
    candidates: list[Candidate]
    documents: list[str]
    y: list[bool]
    gated: bool = True  # the step's gate passes: the layer reads it (every dispatch trains the model)

    def activities(self) -> list[_Activity]:
        """Fresh activities from the rules' answers (finish() fills their lists in place)."""
        return [_Activity(a[0], a[1], a[2], a[3], a[4], a[5], _is_named(a[2])) for a in self.ruled]


def dispatches(step: AppearanceStep) -> list[Dispatch]:
    wave_of = waves()
    labels = [label for label in load_labels("train", [LABELS]) if label["id"] in wave_of]
    records = load_records(labels)
    parse = Pipeline(())
    honest: dict[str, list[list[Any]]] = {}
    for wave, commit in RULES_BEFORE.items():
        print(f"reading wave {wave} with the rules of {commit} ...", file=sys.stderr)
        honest.update(rules_before(commit, [label for label in labels if wave_of[label["id"]] == wave]))
    out: list[Dispatch] = []
    for label in labels:
        if label["id"] not in records:
            continue
        article = parse(records[label["id"]])
        text, start, end = step.view(article)
        if label["id"] in honest:
            ruled = honest[label["id"]]
        else:
            ruled = [
                [a.leader, a.kind, a.place, a.event_date, a.start, a.end] for a in step.rules(article, text, start, end)
            ]
        dispatch = Dispatch(label, wave_of[label["id"]], article, text, (start, end), ruled, [], [], [])
        dispatch.gated = step.gate(article, text, start, end)  # the step runs the layer only there
        dispatch.candidates, dispatch.documents = step.proposals(
            article, text, split_sentences(text, start, end), dispatch.activities()
        )
        dispatch.y = _answers(dispatch)
        out.append(dispatch)
    return out


def _answers(dispatch: Dispatch) -> list[bool]:
    """A candidate with the rules' activities is right when one of them matches a labelled appearance (as the
    scorer matches); one without, when it holds the evidence of a labelled appearance no rule matched."""
    gold = dispatch.label["appearances"]
    predicted = [Appearance(a[0], a[1], a[2], a[3], (), (), a[4], a[5]) for a in dispatch.ruled]
    pairs = match(predicted, gold)
    matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
    free: set[int] = set()
    for j, appearance in enumerate(gold):
        if j in matched_g:
            continue
        piece = max((_norm(p) for p in re.split(r"\.\.\.|…", appearance["evidence"])), key=len)
        free.update(c.start for c in dispatch.candidates if piece in _norm(dispatch.text[c.start : c.end]))
    return [any(i in matched_p for i in c.rules) if c.rules else c.start in free for c in dispatch.candidates]


def fit(train: list[Dispatch], c: float):  # type: ignore[no-untyped-def]
    from sklearn.linear_model import LogisticRegression

    v = vectorizer()
    x = v.fit_transform([d for dispatch in train for d in dispatch.documents])
    y = [a for dispatch in train for a in dispatch.y]
    return v, LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)


def probabilities(train: list[Dispatch], test: list[Dispatch], c: float) -> dict[str, np.ndarray]:
    v, model = fit(train, c)
    return {
        d.label["id"]: model.predict_proba(v.transform(d.documents))[:, 1] if d.documents else np.zeros(0) for d in test
    }


def report(
    step: AppearanceStep, test: list[Dispatch], scores: dict[str, np.ndarray] | None, with_rule: float, without: float
) -> LeaderReport:
    """The scorer's report of the whole step over these dispatches: the rules' answers, kept or dropped and
    added to by the model's scores at these thresholds (the rules alone where scores is None)."""
    out = LeaderReport()
    for d in test:
        activities = d.activities()
        if scores is not None and d.gated:
            activities = step.decide(
                d.article, d.text, activities, d.candidates, list(scores[d.label["id"]]), with_rule, without
            )
        score_article(out, d.label, step.finish(d.article, d.text, *d.body, activities))
    return out


def _line(name: str, rep: LeaderReport) -> str:
    s = rep.scores()
    return (
        f"  {name:34} appearance F1 {s['appearance_f1']:.3f} (P {s['appearance_precision']:.3f}"
        f" R {s['appearance_recall']:.3f})  kind {s['kind_accuracy']:.3f}  companions {s['companions_f1']:.3f}"
        f"  order {s['order_exact']:.3f}  date {s['event_date_right']:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    from sklearn.model_selection import GroupKFold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="cross-validate and report; write nothing")
    args = parser.parse_args(argv)
    step = AppearanceStep(model=None)
    data = dispatches(step)
    always = [d for d in data if d.wave == 1]
    scored = [d for d in data if d.wave != 1]
    folds = list(GroupKFold(5).split(scored, groups=[d.label["id"] for d in scored]))
    results: dict[tuple[float, float, float], float] = {}
    reports: dict[tuple[float, float, float], LeaderReport] = {}
    for c in GRID:
        out_of_fold: dict[str, np.ndarray] = {}
        for train, test in folds:
            out_of_fold.update(probabilities(always + [scored[i] for i in train], [scored[i] for i in test], c))
        for with_rule in THRESHOLDS:
            for without in THRESHOLDS:
                if without < with_rule:
                    continue
                rep = report(step, scored, out_of_fold, with_rule, without)
                results[c, with_rule, without] = rep.scores()["appearance_f1"]
                reports[c, with_rule, without] = rep
        best_c = max((k for k in results if k[0] == c), key=lambda k: results[k])
        for with_rule in THRESHOLDS[:5]:
            row = " ".join(f"{results[c, with_rule, t]:.3f}" for t in THRESHOLDS if t >= with_rule)
            print(f"  C={c} with rule {with_rule}: without {row}", file=sys.stderr)
        print(f"C={c}: best grouped-CV appearance F1 {results[best_c]:.3f} at thresholds {best_c[1:]}", file=sys.stderr)
    best = max(results, key=lambda k: (round(results[k], 4), -abs(k[1] - 0.5) - abs(k[2] - 0.5), -k[0]))
    c, with_rule, without = best
    print(f"\nchosen C={c}, thresholds {with_rule} (the rules found an activity) / {without} (none)")
    print("grouped 5-fold CV on waves 2-4 (the rules before each wave; wave 1 always in training):")
    print(_line("rules alone", report(step, scored, None, 0.0, 1.1)))
    print(_line("rules + model", reports[best]))
    print("cross-wave (fit on the other waves, score this one):")
    cross: dict[str, float] = {}
    for wave in (4, 3, 2):
        test = [d for d in data if d.wave == wave]
        train = [d for d in data if d.wave != wave]
        rules_alone = report(step, test, None, 0.0, 1.1)
        learned = report(step, test, probabilities(train, test, c), with_rule, without)
        print(_line(f"wave {wave}, rules alone", rules_alone))
        print(_line(f"wave {wave}, rules + model", learned))
        cross[f"wave{wave}_rules"] = round(rules_alone.scores()["appearance_f1"], 4)
        cross[f"wave{wave}_model"] = round(learned.scores()["appearance_f1"], 4)
    if args.dry_run:
        return 0
    v, model = fit(data, c)
    payload = {
        "format": FORMAT,
        "version": "leadership-set-1",
        "tasks": {
            TASK: task_payload(v, model, c, with_rule, without),
        },
        "cv": {"appearance_f1": round(results[best], 4), **cross},
    }
    MODEL_PATH.write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {MODEL_PATH} ({MODEL_PATH.stat().st_size:,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
