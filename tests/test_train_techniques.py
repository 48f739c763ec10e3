"""Training (train/techniques.py) end to end on a tiny PTC-shaped dataset written for this test."""

from __future__ import annotations

import json
from pathlib import Path

from propscope.enrich.techniques import MODEL_PATH, TechniqueModel
from propscope.evaluate.ptc import TECHNIQUES
from propscope.train.techniques import train_techniques

# (sentence, [(phrase inside it, technique)]): loaded sentences carry spans, plain ones do not.
SENTENCES = [
    ("The corrupt puppet traitors sold out the nation.", [("corrupt puppet traitors", "Name_Calling,Labeling")]),
    ("This despicable and shameful act must be condemned.", [("despicable and shameful", "Loaded_Language")]),
    ("Experts agree that the plan will fail, said the professor.", [("Experts agree", "Appeal_to_Authority")]),
    ("Nobody can believe their so-called promises any more.", [("so-called promises", "Doubt")]),
    (
        "It is the worst disaster in the history of mankind!",
        [("the worst disaster in the history", "Exaggeration,Minimisation")],
    ),
    ("Make our homeland great again!", [("Make our homeland great again", "Slogans")]),
    ("The committee met on Monday to review the budget.", []),
    ("Rainfall was moderate in the northern provinces this week.", []),
    ("The delegation arrived at the airport in the morning.", []),
]


def write_fixture(root: Path, articles: int = 8) -> None:
    for split, count in (("train", articles), ("dev", 3)):
        (root / split).mkdir(parents=True)
        with (root / split / f"{split}.jsonl").open("w", encoding="utf-8") as handle:
            for n in range(count):
                chosen = [SENTENCES[(n + k) % len(SENTENCES)] for k in range(6)]
                text = f"Title number {n}\n\n"
                spans = []
                for sentence, marks in chosen:
                    for phrase, technique in marks:
                        start = len(text) + sentence.index(phrase)
                        spans.append({"start": start, "end": start + len(phrase), "technique": technique})
                    text += sentence + "\n"
                si = [{"start": s["start"], "end": s["end"]} for s in spans]
                handle.write(json.dumps({"id": f"{split}{n}", "text": text, "spans": spans, "si_spans": si}) + "\n")


def test_train_writes_a_model_that_loads_and_predicts(tmp_path: Path) -> None:
    write_fixture(tmp_path / "data")
    report = train_techniques(tmp_path / "data", tmp_path / "model", folds=2, jobs=1)
    path = tmp_path / "model" / MODEL_PATH.name
    assert report["model_bytes"] == path.stat().st_size
    assert {"tagger_C", "threshold", "gap", "classifier_C"} <= set(report["chosen"])
    assert len(report["cv"]["tagger"]) >= 1 and len(report["cv"]["classifier"]) >= 1
    assert 0.0 <= report["dev"]["si"]["f1"] <= 1.0
    model = TechniqueModel.load(path)
    text = "The corrupt puppet traitors met on Monday.\nThis despicable and shameful act must be condemned.\n"
    found = model.detect(text)
    assert all(0 <= t.start < t.end <= len(text) and t.technique in TECHNIQUES for t in found)
    assert found == TechniqueModel.load(path).detect(text)  # fixed seeds: the same file, the same answer
