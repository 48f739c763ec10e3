"""Features for the propaganda-technique model: tokens, per-token span-tagging features, per-span features.

Shared by training (propscope.train.techniques) and inference (propscope.enrich.techniques), so the two can
never drift. Features are plain strings; the model maps the ones it knows to weights, the rest are ignored.
Why these: spans of SemEval-2020 Task 11 are mostly loaded words and phrases (a word's identity and its
neighbours carry most of the signal), while the technique depends on the span's words, its length, quotes and
punctuation and, for Repetition, on whether the same words recur elsewhere in the article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")
_QUOTES = frozenset("\"“”‘’'«»")
_SENTENCE_END = frozenset(".!?")
# Function words carry no repetition signal: "the" recurs in every article.
_STOP = frozenset(
    "a an the and or but of to in on at by for with from as is are was were be been it its this that these those "
    "he she they we you i his her their our your not no s".split()
)
CONTEXT = 3  # words either side that a token's features look at


@dataclass(frozen=True, slots=True)
class Tokens:
    """A text's tokens: parallel lists of offsets, lower-cased forms and sentence numbers."""

    starts: list[int]
    ends: list[int]
    raw: list[str]
    lower: list[str]
    sentence: list[int]
    word_counts: Counter[str]

    def __len__(self) -> int:
        return len(self.starts)


def tokenize(text: str) -> Tokens:
    """Words and single punctuation marks; a sentence ends at . ! ? or at a line break."""
    starts: list[int] = []
    ends: list[int] = []
    raw: list[str] = []
    sentence: list[int] = []
    number = 0
    previous_end = 0
    previous = ""
    for match in _TOKEN.finditer(text):
        start = match.start()
        if raw and (previous in _SENTENCE_END or "\n" in text[previous_end:start]):
            number += 1
        token = match.group()
        starts.append(start)
        ends.append(match.end())
        raw.append(token)
        sentence.append(number)
        previous_end = match.end()
        previous = token
    lower = [t.lower() for t in raw]
    return Tokens(starts, ends, raw, lower, sentence, Counter(lower))


def _shape(token: str) -> str:
    if token.isdigit():
        return "d"
    if not token[0].isalnum():
        return "q" if token in _QUOTES else "p"
    if token.isupper():
        return "X" if len(token) > 1 else "Xs"
    if token[0].isupper():
        return "Xx"
    return "x"


def _bucket(value: int, edges: tuple[int, ...]) -> int:
    for i, edge in enumerate(edges):
        if value <= edge:
            return i
    return len(edges)


def token_features(tokens: Tokens) -> list[list[str]]:
    """One feature list per token, for tagging each token as inside or outside a propaganda span."""
    n = len(tokens)
    lower = tokens.lower
    shapes = [_shape(t) for t in tokens.raw]
    sentence = tokens.sentence
    # Per-sentence facts: its first token, length, marks it contains, and quote parity at each token.
    first: dict[int, int] = {}
    length: Counter[int] = Counter(sentence)
    marks: dict[int, set[str]] = {}
    in_quote: list[bool] = []
    open_quote = False
    for i in range(n):
        s = sentence[i]
        if s not in first:
            first[s] = i
            open_quote = False
        if shapes[i] == "q":
            open_quote = not open_quote
            marks.setdefault(s, set()).add("q")
        elif lower[i] in ("!", "?"):
            marks.setdefault(s, set()).add(lower[i])
        in_quote.append(open_quote)
    padded = ["<s>"] * CONTEXT + lower + ["</s>"] * CONTEXT
    out: list[list[str]] = []
    counts = tokens.word_counts
    for i in range(n):
        w = lower[i]
        s = sentence[i]
        j = i + CONTEXT
        position = i - first[s]
        feats = [
            "b",
            "w=" + w,
            "sh=" + shapes[i],
            "p3=" + w[:3],
            "s3=" + w[-3:],
            "s2=" + w[-2:],
            "l1=" + padded[j - 1],
            "r1=" + padded[j + 1],
            "l2=" + padded[j - 2],
            "r2=" + padded[j + 2],
            "l3=" + padded[j - 3],
            "r3=" + padded[j + 3],
            "lw=" + padded[j - 1] + "|" + w,
            "wr=" + w + "|" + padded[j + 1],
            "pos=" + str(_bucket(position, (0, 1, 2, 4, 7, 12, 20))),
            "rpos=" + str(_bucket(length[s] - position - 1, (0, 1, 2, 4, 7, 12, 20))),
            "slen=" + str(_bucket(length[s], (3, 8, 15, 25, 40))),
            "q=" + str(in_quote[i]),
            "shl=" + shapes[i] + (shapes[i - 1] if i else "^"),
        ]
        for mark in marks.get(s, ()):
            feats.append("sm=" + mark)
        if w not in _STOP and shapes[i] != "p":
            feats.append("rep=" + str(_bucket(counts[w], (1, 2, 4))))
        out.append(feats)
    return out


def span_features(text: str, tokens: Tokens, first: int, last: int) -> list[str]:
    """Features of the span covering tokens first..last (inclusive), for choosing its technique."""
    lower = tokens.lower
    words = lower[first : last + 1]
    n_tokens = len(words)
    start, end = tokens.starts[first], tokens.ends[last]
    span_text = text[start:end].lower()
    feats = ["b", "len=" + str(_bucket(n_tokens, (1, 2, 3, 5, 8, 12, 20, 30)))]
    feats.extend("w=" + w for w in set(words))
    feats.extend("bg=" + a + "|" + b for a, b in zip(words, words[1:], strict=False))
    feats.append("fw=" + words[0])
    feats.append("lw=" + words[-1])
    if n_tokens <= 4:
        feats.append("span=" + " ".join(words))
    for k in range(1, CONTEXT + 1):
        if first - k >= 0 and tokens.sentence[first - k] == tokens.sentence[first]:
            feats.append("L=" + lower[first - k])
        if last + k < len(tokens) and tokens.sentence[last + k] == tokens.sentence[last]:
            feats.append("R=" + lower[last + k])
    sentence = tokens.sentence
    sentence_first, sentence_last = first, last
    while sentence_first > 0 and sentence[sentence_first - 1] == sentence[first]:
        sentence_first -= 1
    while sentence_last + 1 < len(tokens) and sentence[sentence_last + 1] == sentence[last]:
        sentence_last += 1
    feats.extend({"S=" + w for w in lower[sentence_first : sentence_last + 1]})  # what the sentence is about
    if first > 0:
        feats.append("l1=" + lower[first - 1])
    if last + 1 < len(tokens):
        feats.append("r1=" + lower[last + 1])
    padded = " " + span_text + " "
    for size in (3, 4):
        feats.extend({"c=" + padded[i : i + size] for i in range(len(padded) - size + 1)})
    # Repetition: the same words elsewhere in the article.
    feats.append("rept=" + str(_bucket(text.lower().count(span_text) if span_text else 0, (1, 2, 3, 5))))
    content = [w for w in words if w not in _STOP and w[0].isalnum()]
    if content:
        counts = [tokens.word_counts[w] for w in content]
        feats.append("repmin=" + str(_bucket(min(counts), (1, 2, 3, 5))))
        feats.append("repmax=" + str(_bucket(max(counts), (1, 2, 3, 5, 9))))
    sentence_start = first == 0 or sentence[first - 1] != sentence[first]
    sentence_end = last + 1 == len(tokens) or sentence[last + 1] != sentence[last]
    feats.append("sstart=" + str(sentence_start))
    feats.append("send=" + str(sentence_end))
    feats.append("whole=" + str(sentence_start and sentence_end))
    raw = tokens.raw[first : last + 1]
    capitals = sum(1 for t in raw if t[:1].isupper())
    feats.append("cap=" + str(_bucket(int(10 * capitals / n_tokens), (0, 3, 7, 9))))
    if any(t.isupper() and len(t) > 1 for t in raw):
        feats.append("allcaps")
    for mark in ("!", "?"):
        if mark in words:
            feats.append("has" + mark)
    if any(w in _QUOTES for w in words):
        feats.append("hasquote")
    before = text[max(0, start - 1) : start]
    after = text[end : end + 1]
    if before in _QUOTES or after in _QUOTES:
        feats.append("quoted")
    return feats


def smoothing_features(probabilities: np.ndarray, sentence: Sequence[int]) -> np.ndarray:
    """Second-pass features of each token from the first-pass probabilities around it.

    Why: a token tagger alone marks scattered single words; the spans of PTC are phrases and clauses, so the
    second pass sees its neighbours' and its sentence's scores and fills or drops tokens accordingly. One row
    per token: own logit, the logits 1-3 tokens either side (within the sentence), the sentence's max, mean
    and share above 0.25, and moving averages over 5 and 11 tokens; then squares and positive parts, so a
    linear model can bend.
    """
    n = len(probabilities)
    if n == 0:
        return np.zeros((0, 3 * SMOOTHING_COLUMNS))
    p = np.clip(probabilities, 1e-6, 1 - 1e-6)
    logit = np.clip(np.log(p / (1 - p)), -6.0, 6.0)
    sent = np.asarray(sentence)
    columns = [logit]
    for shift in (1, 2, 3):
        for d in (-shift, shift):
            moved = np.full(n, -6.0)
            same = np.zeros(n, dtype=bool)
            if shift < n:
                if d < 0:
                    moved[shift:] = logit[:-shift]
                    same[shift:] = sent[shift:] == sent[:-shift]
                else:
                    moved[:-shift] = logit[shift:]
                    same[:-shift] = sent[:-shift] == sent[shift:]
            moved[~same] = -6.0
            columns.append(moved)
    starts = np.flatnonzero(np.r_[True, sent[1:] != sent[:-1]])
    sizes = np.diff(np.r_[starts, n])
    columns.append(np.repeat(np.maximum.reduceat(logit, starts), sizes))
    columns.append(np.repeat(np.add.reduceat(logit, starts) / sizes, sizes))
    columns.append(np.repeat(np.add.reduceat((p > 0.25).astype(float), starts) / sizes, sizes))
    for half in (2, 5):
        kernel = np.ones(2 * half + 1) / (2 * half + 1)
        columns.append(np.convolve(logit, kernel)[half : half + n])  # centred, zeros beyond the text
    x = np.vstack(columns).T
    return np.hstack([x, x**2, np.maximum(x, 0)])


SMOOTHING_COLUMNS = 1 + 6 + 3 + 2
