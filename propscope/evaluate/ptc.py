"""The SemEval-2020 Task 11 (PTC) data readers and scorers, reimplemented from the task's description.

Why our own: the official scorer is not in the data release, and the numbers we report must come from code we
can test. The rules follow SOURCE.md section 5 of the dataset: SI is span precision/recall with partial-overlap
credit pooled over the corpus; TC is accuracy over the gold (article, start, end) instances after aligning
labels within identical spans; the span+technique score is the SI formula restricted to pairs with the same
technique (the NLP4IF-2019 "FLC" metric), which scores the whole pipeline.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from propscope.model import TECHNIQUES

Interval = tuple[int, int]


@dataclass(frozen=True, slots=True)
class LabelledSpan:
    start: int
    end: int
    technique: str


@dataclass(slots=True)
class PtcArticle:
    """One PTC article with its gold: TC spans (one per technique instance) and SI spans."""

    id: str
    text: str
    spans: list[LabelledSpan] = field(default_factory=list)
    si_spans: list[Interval] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Prf:
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict[str, float]:
        return {"precision": self.precision, "recall": self.recall, "f1": self.f1}


# -- reading ------------------------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[PtcArticle]:
    """Read train.jsonl / dev.jsonl / test.jsonl; for test the derived (unofficial) SI spans fill si_spans."""
    articles = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            si = record.get("si_spans") or record.get("si_spans_derived_unofficial") or []
            articles.append(
                PtcArticle(
                    id=str(record["id"]),
                    text=record["text"],
                    spans=[LabelledSpan(s["start"], s["end"], s["technique"]) for s in record.get("spans", [])],
                    si_spans=[(s["start"], s["end"]) for s in si],
                )
            )
    return articles


def read_labels(path: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Read an SI (id, start, end) or TC (id, technique, start, end) label file; SI rows get technique ''."""
    out: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.rstrip("\n").split("\t")
        if len(cols) == 3:
            out[cols[0]].append(("", int(cols[1]), int(cols[2])))
        elif len(cols) == 4:
            out[cols[0]].append((cols[1], int(cols[2]), int(cols[3])))
    return dict(out)


def read_articles_dir(directory: Path) -> dict[str, str]:
    """Read `articleNNN.txt` files (as UTF-8, newlines kept as they are) keyed by article id."""
    return {
        p.stem.removeprefix("article"): p.read_text(encoding="utf-8") for p in sorted(directory.glob("article*.txt"))
    }


def read_technique_names(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# -- SI -----------------------------------------------------------------------------------------------------


def merge_overlapping(spans: Iterable[Interval]) -> list[Interval]:
    """Union spans sharing at least one character; touching spans (a.end == b.start) stay apart, as officially."""
    merged: list[Interval] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _overlap_credit(pred: Sequence[Interval], gold: Sequence[Interval]) -> tuple[float, float]:
    """Sum of |s∩t|/|s| and of |s∩t|/|t| over all pairs, both lists sorted and non-overlapping (a sweep)."""
    p_sum = r_sum = 0.0
    j0 = 0
    for s0, s1 in pred:
        while j0 < len(gold) and gold[j0][1] <= s0:
            j0 += 1
        j = j0
        while j < len(gold) and gold[j][0] < s1:
            inter = min(s1, gold[j][1]) - max(s0, gold[j][0])
            if inter > 0:
                p_sum += inter / (s1 - s0)
                r_sum += inter / (gold[j][1] - gold[j][0])
            j += 1
    return p_sum, r_sum


def _prf(p_sum: float, n_pred: int, r_sum: float, n_gold: int) -> Prf:
    if n_pred == 0 and n_gold == 0:
        return Prf(1.0, 1.0, 1.0)
    precision = p_sum / n_pred if n_pred else 0.0
    recall = r_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision > 0 and recall > 0 else 0.0
    return Prf(precision, recall, f1)


def score_si(predicted: Mapping[str, Iterable[Interval]], gold: Mapping[str, Iterable[Interval]]) -> Prf:
    """Official SI metric in merge mode: overlapping spans merged on both sides, micro-pooled over articles.

    Raises ValueError for predictions on articles absent from the gold, as the official scorer rejects them
    (pass every evaluated article id in `gold`, with an empty list where it has no spans).
    """
    _check_known(predicted, gold)
    return _pooled_overlap((predicted.get(article_id, ()), gold_spans) for article_id, gold_spans in gold.items())


def _check_known(predicted: Mapping[str, object], gold: Mapping[str, object]) -> None:
    unknown = set(predicted) - set(gold)
    if unknown:
        raise ValueError(f"predictions for articles not in the gold: {sorted(unknown)[:5]}")


def _pooled_overlap(pairs: Iterable[tuple[Iterable[Interval], Iterable[Interval]]]) -> Prf:
    """SI's partial-overlap credit pooled over (predicted, gold) groups, each merged on both sides first."""
    p_sum = r_sum = 0.0
    n_pred = n_gold = 0
    for predicted_spans, gold_spans in pairs:
        g = merge_overlapping(gold_spans)
        p = merge_overlapping(predicted_spans)
        n_gold += len(g)
        n_pred += len(p)
        dp, dr = _overlap_credit(p, g)
        p_sum += dp
        r_sum += dr
    return _prf(p_sum, n_pred, r_sum, n_gold)


# -- TC -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TcScore:
    micro_f1: float  # = accuracy over the gold instances, the leaderboard's number
    macro_f1: float
    per_technique: dict[str, Prf]
    support: dict[str, int]


def align_tc(
    predicted: Mapping[str, Iterable[tuple[str, int, int]]], gold: Mapping[str, Iterable[tuple[str, int, int]]]
) -> list[tuple[str, str]]:
    """Pair each gold instance with a predicted label, maximising matches within identical (start, end) spans.

    Raises ValueError where the predicted (article, start, end) multiset differs from the gold one: the official
    TC scorer requires the submission to list exactly the template's spans.
    """
    pairs: list[tuple[str, str]] = []
    for article_id in set(gold) | set(predicted):
        g_by_span: dict[Interval, list[str]] = defaultdict(list)
        p_by_span: dict[Interval, list[str]] = defaultdict(list)
        for label, start, end in gold.get(article_id, ()):
            g_by_span[(start, end)].append(label)
        for label, start, end in predicted.get(article_id, ()):
            p_by_span[(start, end)].append(label)
        for span in set(g_by_span) | set(p_by_span):
            g_labels, p_labels = g_by_span.get(span, []), p_by_span.get(span, [])
            if len(g_labels) != len(p_labels):
                raise ValueError(f"article {article_id} span {span}: {len(p_labels)} predictions, {len(g_labels)} gold")
            left_gold = Counter(g_labels)
            unmatched_pred = []
            for label in p_labels:
                if left_gold[label] > 0:
                    left_gold[label] -= 1
                    pairs.append((label, label))
                else:
                    unmatched_pred.append(label)
            unmatched_gold = sorted(left_gold.elements())
            pairs.extend(zip(unmatched_gold, unmatched_pred, strict=True))
    return pairs


def score_tc(
    predicted: Mapping[str, Iterable[tuple[str, int, int]]],
    gold: Mapping[str, Iterable[tuple[str, int, int]]],
    techniques: Sequence[str] = TECHNIQUES,
) -> TcScore:
    """Official TC metric: micro-F1 (accuracy over aligned instances), plus per-technique one-vs-rest F1."""
    pairs = align_tc(predicted, gold)
    correct = sum(1 for g, p in pairs if g == p)
    micro = correct / len(pairs) if pairs else 1.0
    per: dict[str, Prf] = {}
    support: dict[str, int] = {}
    for name in techniques:
        tp = sum(1 for g, p in pairs if g == name and p == name)
        n_pred = sum(1 for _, p in pairs if p == name)
        n_gold = sum(1 for g, _ in pairs if g == name)
        support[name] = n_gold
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
        per[name] = Prf(precision, recall, f1)
    macro = sum(p.f1 for p in per.values()) / len(per) if per else 0.0
    return TcScore(micro, macro, per, support)


# -- span + technique ---------------------------------------------------------------------------------------


def score_spans_with_techniques(
    predicted: Mapping[str, Iterable[tuple[str, int, int]]], gold: Mapping[str, Iterable[tuple[str, int, int]]]
) -> Prf:
    """The full-pipeline score: SI's partial-overlap formula, counting only pairs with the same technique.

    Spans of one technique are merged within an article first (on both sides), so overlapping duplicates
    neither earn double credit nor double the denominator; spans of different techniques may overlap freely.
    """
    _check_known(predicted, gold)

    def by_technique() -> Iterator[tuple[list[Interval], list[Interval]]]:
        for article_id, gold_spans in gold.items():
            g_by: dict[str, list[Interval]] = defaultdict(list)
            p_by: dict[str, list[Interval]] = defaultdict(list)
            for label, start, end in gold_spans:
                g_by[label].append((start, end))
            for label, start, end in predicted.get(article_id, ()):
                p_by[label].append((start, end))
            for label in set(g_by) | set(p_by):
                yield p_by.get(label, []), g_by.get(label, [])

    return _pooled_overlap(by_technique())


# -- floors -------------------------------------------------------------------------------------------------


def sentence_spans(text: str) -> Iterator[Interval]:
    """Each non-empty line as a span: PTC puts one sentence per line, so this is the whole-sentence floor."""
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = pos + line.index(stripped[0])
            yield (start, start + len(stripped))
        pos += len(line) + 1


def gold_si(articles: Iterable[PtcArticle]) -> dict[str, list[Interval]]:
    return {a.id: list(a.si_spans) for a in articles}


def gold_tc(articles: Iterable[PtcArticle]) -> dict[str, list[tuple[str, int, int]]]:
    return {a.id: [(s.technique, s.start, s.end) for s in a.spans] for a in articles}
