"""The reference implementation of duplicate detection, used only by tests and bench/dedupe.py: the batch
search over whole corpora (`find_near_duplicates`, `cluster`) and `DuplicateIndex`, the scheme in memory fed
one article at a time. The store's incremental clustering (store/sql.py, over enrich/duplicates.py's
signatures and band keys) is checked against them; the package keeps only what the product runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from propscope.enrich.duplicates import (
    BANDS,
    BATCH_DOCS,
    NUM_BINS,
    THRESHOLD,
    Ints,
    Signature,
    band_key_matrix,
    hash_texts,
    is_empty,
    near_copies,
    signatures,
)


def signature(text: str) -> Signature:
    """The 128-bin MinHash signature of one text (uint32); all EMPTY when it has no words."""
    return signatures(hash_texts([text]))[0]


def content_key(text: str) -> int | None:
    """A signed 64-bit key equal for texts with the same words in the same order; None for a text without words."""
    key = int(hash_texts([text]).content_keys[0])
    return key or None


def band_keys(sig: Signature) -> list[int]:
    """One key per band, each a signed 64-bit int (an SQLite INTEGER); none for an empty signature."""
    if is_empty(sig):
        return []
    return [int(k) for k in band_key_matrix(np.asarray(sig, dtype=np.uint32)[None, :])[0]]


# -- clustering ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NearDuplicates:
    """What the batch search found, by position in the input: exact copies and verified near pairs."""

    ids: Ints
    representative: Ints  # position of the first text with the same content key (self if none)
    pairs: Ints  # (P, 2) positions of representatives whose estimate passed, first < second
    similarity: npt.NDArray[np.float64]  # (P,) estimated Jaccard of each pair
    candidates: int  # distinct candidate pairs the bands proposed, before verification


def find_near_duplicates(docs: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> NearDuplicates:
    """Exact copies by content key, then LSH candidates among the distinct texts, verified by their signatures."""
    ids_list: list[int] = []
    keys_parts, sig_parts = [], []
    texts: list[str] = []

    def flush() -> None:
        batch = hash_texts(texts)
        keys_parts.append(batch.content_keys)
        sig_parts.append(signatures(batch))
        texts.clear()

    for doc_id, text in docs:
        ids_list.append(doc_id)
        texts.append(text)
        if len(texts) >= BATCH_DOCS:
            flush()
    if texts or not keys_parts:
        flush()
    ids = np.array(ids_list, dtype=np.int64)
    keys = np.concatenate(keys_parts)
    sigs = np.concatenate(sig_parts)

    representative = np.arange(len(ids), dtype=np.int64)
    worded = np.flatnonzero(keys != 0)
    _, first, inverse = np.unique(keys[worded], return_index=True, return_inverse=True)
    representative[worded] = worded[first[inverse]]
    distinct = worded[np.sort(first)]

    band = band_key_matrix(sigs[distinct])
    codes = _candidate_codes(band)
    left, right = distinct[codes // len(distinct)], distinct[codes % len(distinct)]
    similarity = np.empty(len(codes), dtype=np.float64)
    for start in range(0, len(codes), 100_000):
        part = slice(start, start + 100_000)
        similarity[part] = np.count_nonzero(sigs[left[part]] == sigs[right[part]], axis=1) / NUM_BINS
    keep = similarity >= threshold
    pairs = np.stack((left[keep], right[keep]), axis=1)
    return NearDuplicates(ids, representative, pairs, similarity[keep], len(codes))


def _candidate_codes(band: Ints) -> Ints:
    """Every pair of rows sharing a key in some band, as first * rows + second (first < second), distinct."""
    rows = len(band)
    found = []
    for b in range(band.shape[1]):
        order = np.argsort(band[:, b], kind="stable")
        ordered = band[order, b]
        cut = np.flatnonzero(np.diff(ordered)) + 1
        starts = np.concatenate(([0], cut))
        sizes = np.diff(np.concatenate((starts, [rows])))
        for size in np.unique(sizes[sizes > 1]):
            group_starts = starts[sizes == size]
            members = order[group_starts[:, None] + np.arange(size)]  # (groups, size); order keeps rows ascending
            i, j = np.triu_indices(int(size), k=1)
            found.append((members[:, i] * rows + members[:, j]).ravel())
    if not found:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.concatenate(found))


def clusters_from(found: NearDuplicates) -> dict[int, int]:
    """Union-find over exact copies and verified pairs; each article maps to its cluster's smallest id."""
    parent = list(range(len(found.ids)))
    ids = found.ids.tolist()

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            low, high = (ra, rb) if ids[ra] < ids[rb] else (rb, ra)
            parent[high] = low

    for i, rep in enumerate(found.representative.tolist()):
        if rep != i:
            join(i, rep)
    for a, b in found.pairs.tolist():
        join(a, b)
    return {ids[i]: ids[root(i)] for i in range(len(ids))}


def cluster(docs: Iterable[tuple[int, str]], threshold: float = THRESHOLD) -> dict[int, int]:
    """Article id -> cluster id (the smallest id among the copies and near copies it is joined to)."""
    return clusters_from(find_near_duplicates(docs, threshold))


def _prepared(texts: Sequence[str]) -> list[tuple[int, Signature, list[int]]]:
    """Content key, signature and band keys (none for an empty signature) of each text, hashed together."""
    batch = hash_texts(texts)
    sigs = signatures(batch)
    bands = band_key_matrix(sigs).tolist()
    return [
        (int(key), sig, [] if is_empty(sig) else row)
        for key, sig, row in zip(batch.content_keys.tolist(), sigs, bands, strict=True)
    ]


class DuplicateIndex:
    """The batch search fed one article at a time (what a store does as articles arrive), in memory.

    It holds what a store would persist: a signature per distinct text, band keys -> articles, content key ->
    first article, and the union-find parents. Adding the same articles in the same order gives the same
    clusters as `cluster`.
    """

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self._buckets: list[dict[int, list[int]]] = [{} for _ in range(BANDS)]
        self._signatures: dict[int, Signature] = {}
        self._by_content: dict[int, int] = {}
        self._parent: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._parent)

    def matches(self, text: str) -> list[int]:
        """Indexed articles this text copies or nearly copies (verified, not just candidates). Of a group of
        exact copies only the first indexed is listed: the index keeps one signature per distinct text."""
        key, sig, keys = _prepared([text])[0]
        return self._matches(key, sig, keys, copies_only=False)

    def _matches(self, key: int, sig: Signature, keys: list[int], copies_only: bool) -> list[int]:
        if key == 0:
            return []
        found = {self._by_content[key]} if key in self._by_content else set()
        if found and copies_only:
            return list(found)  # a copy's near copies are already in its first copy's cluster
        candidates = {other for b, k in enumerate(keys) for other in self._buckets[b].get(k, ())}
        found.update(near_copies(sig, ((c, self._signatures[c]) for c in candidates), self.threshold))
        return sorted(found)

    def add(self, article_id: int, text: str) -> int | None:
        """Index one article; its cluster id when it joins other articles, None when it stands alone."""
        key, sig, keys = _prepared([text])[0]
        return self._add(article_id, key, sig, keys)

    def add_many(self, docs: Iterable[tuple[int, str]]) -> list[int | None]:
        """`add` for many articles, in order, with their hashing done a batch at a time (about ten times
        faster than one by one: numpy's per-call cost is paid once per batch). Returns what `add` would."""
        results: list[int | None] = []
        chunk: list[tuple[int, str]] = []
        for doc in [*docs, None]:
            if doc is not None:
                chunk.append(doc)
            if chunk and (doc is None or len(chunk) >= BATCH_DOCS):
                prepared = _prepared([text for _, text in chunk])
                results.extend(self._add(article_id, *p) for (article_id, _), p in zip(chunk, prepared, strict=True))
                chunk = []
        return results

    def _add(self, article_id: int, key: int, sig: Signature, keys: list[int]) -> int | None:
        if article_id in self._parent:
            raise ValueError(f"article {article_id} is already indexed")
        found = self._matches(key, sig, keys, copies_only=True)
        self._parent[article_id] = article_id
        if key != 0 and key not in self._by_content:
            self._by_content[key] = article_id
            self._signatures[article_id] = sig
            for b, k in enumerate(keys):
                self._buckets[b].setdefault(k, []).append(article_id)
        for other in found:
            self._join(article_id, other)
        return self.cluster_of(article_id) if found else None

    def cluster_of(self, article_id: int) -> int:
        """The smallest id of the article's cluster (its own id when it has no copies)."""
        parent = self._parent
        while parent[article_id] != article_id:
            parent[article_id] = parent[parent[article_id]]
            article_id = parent[article_id]
        return article_id

    def _join(self, a: int, b: int) -> None:
        ra, rb = self.cluster_of(a), self.cluster_of(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def clusters(self) -> dict[int, int]:
        """Article id -> cluster id for every article added."""
        return {article_id: self.cluster_of(article_id) for article_id in self._parent}
