"""The support and stance models' scoring at ingest: word numbers and word-pair keys in numpy must give the
probabilities the TF-IDF over term strings gave (the models were fit and their thresholds chosen on those)."""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from propscope.enrich import Pipeline
from propscope.enrich.stance import StanceStep
from propscope.enrich.stance_model import MODEL_PATH as STANCE_PATH
from propscope.enrich.stance_model import STANCE_TASK, load_stance_model, pair_document
from propscope.enrich.support_model import MODEL_PATH as SUPPORT_PATH
from propscope.enrich.support_model import SupportModel, Task, Vocabulary, load_support_model
from propscope.enrich.techniques import encode_array
from tests.devset.score import CORPORA, load_records
from tests.devset.score_stance import load_stance

_TOKEN = re.compile(r"(?u)\b\w\w+\b")


def reference_score(terms: list[str], task: Task, text: str) -> float:
    """The scoring as it was first written: every word and word pair of the text counted as strings, the
    known ones looked up by name (scikit-learn's TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True))."""
    index = {term: i for i, term in enumerate(terms)}
    words = _TOKEN.findall(text.lower())
    counts = Counter(words)
    counts.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    found = sorted(counts.keys() & index.keys())
    if not found:
        return 1.0 / (1.0 + math.exp(-task.bias))
    columns = [index[term] for term in found]
    values = (1.0 + np.log(np.array([counts[t] for t in found], dtype=float))) * task.vocabulary.idf[columns]
    logit = float((values / np.linalg.norm(values)) @ task.weights[columns]) + task.bias
    return 1.0 / (1.0 + math.exp(-logit))


def _terms(path: Path) -> dict[str, list[str]]:
    return {name: task["terms"] for name, task in json.loads(path.read_text(encoding="utf-8"))["tasks"].items()}


def _model(terms: list[str], tasks: int = 2) -> SupportModel:
    rng = np.random.default_rng(0)
    idf = encode_array(rng.uniform(1.0, 5.0, len(terms)))
    return SupportModel(
        {
            "format": "propscope-support/1",
            "tasks": {
                f"t{i}": {
                    "terms": terms,
                    "idf": idf,
                    "weights": encode_array(rng.normal(size=len(terms))),
                    "bias": -0.5,
                }
                for i in range(tasks)
            },
        }
    )


def test_pairs_repeats_and_words_known_only_inside_a_pair_score_as_the_term_strings_did() -> None:
    # "korea" is no term of its own, only inside "korea friendship"; "the the" repeats; "solidarity" twice.
    terms = ["friendship", "korea friendship", "solidarity", "the", "the the", "support of", "élan"]
    model = _model(terms)
    texts = [
        "Korea Friendship and solidarity, the the the SOLIDARITY",
        "nothing known here",
        "",
        "support of support of the korea",
        "ÉLAN vital, friendship",
        "a",
    ]
    for task in model.tasks.values():
        for text in texts:
            assert task.score(text) == pytest.approx(reference_score(terms, task, text), abs=1e-12), text


def test_tasks_fit_with_one_vectorizer_share_its_vocabulary_and_the_last_vector() -> None:
    model = _model(["friendship", "korea friendship"])
    first, second = model.tasks.values()
    assert first.vocabulary is second.vocabulary
    text = "Korea friendship " * 3
    columns, values = first.vocabulary.vector(text)
    assert first.vocabulary.vector(text)[0] is columns  # the second task reads the first's vector
    assert isinstance(first.vocabulary, Vocabulary) and values.shape == columns.shape == (2,)


@pytest.mark.skipif(not CORPORA.is_dir(), reason="needs ../shared/corpora")
def test_the_shipped_models_score_real_dispatches_as_the_term_strings_did() -> None:
    support, stance = load_support_model(), load_stance_model()
    assert support is not None and stance is not None
    labels = load_stance("train")[:300]
    records = load_records(labels)
    pipeline = Pipeline()
    step = next(s for s in pipeline.steps if isinstance(s, StanceStep))
    terms = _terms(SUPPORT_PATH) | _terms(STANCE_PATH)
    compared = documents = 0
    for label in labels:
        article = pipeline(records[label["id"]])
        for name, task in support.tasks.items():
            assert task.score(article.text) == pytest.approx(reference_score(terms[name], task, article.text), abs=1e-9)
            compared += 1
        analysis = step.analyse(article)
        hostile = stance.tasks[STANCE_TASK]
        for pair in analysis.pairs.values():
            document = pair_document(pair, analysis, article)
            assert hostile.score(document) == pytest.approx(
                reference_score(terms[STANCE_TASK], hostile, document), abs=1e-9
            )
            documents += 1
    assert compared >= 500 and documents >= 300
