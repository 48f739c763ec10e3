"""Exact and near-duplicate articles: content keys, MinHash signatures, LSH band keys, clusters.

The same dispatch reaches an archive many times: two scrapes of one site, a story republished a day later,
a copy with a repaired encoding or one word changed. An analyst counting coverage wants one cluster per story.

How it works, in the order the code runs:

1. **Normalise** the body: drop the dateline at its head (one scrape keeps "Pyongyang, March 2 (KCNA) --",
   another strips it; a republished story gets a new date), lower-case, keep only runs of letters and digits
   (Unicode-aware, so Spanish and Korean work). Punctuation, curly quotes, paragraph breaks and spacing,
   which differ between scrapes of one story, vanish. Pass the body, not the title: titles are short and
   formulaic ("Kim Jong Il Sends Greetings to ..."), so for the many short stories they would make different
   stories look alike, and shingles running across the title/body seam would be noise.
2. **Hash**: words to 64-bit polynomial hashes (vectorised over the code points of a whole batch), then
   every run of 5 words to one 64-bit shingle hash. A text of 1-4 words is one shingle of all its words.
3. **Exact duplicates first**: a 64-bit content key of the word sequence; equal keys are one story and
   skip the rest of the work.
4. **Signature**: one-permutation MinHash (Li, Owen & Zhang 2012) with optimal densification (Shrivastava
   2017), 128 bins of 32 bits: one hash per shingle where classic MinHash computes 128, while P[bin i
   equal] = Jaccard still holds. Densification fills the bins a short text leaves empty (half of KCNA's
   stories have under 130 words) by copying from a bin chosen by a fixed probe sequence, so the estimate
   stays unbiased with about the spread of classic MinHash (checked on KCNA: bias < 0.005, sd 0.026-0.038).
5. **LSH**: BANDS bands of ROWS rows (21 x 6 = 126 of the 128 bins; the last two only sharpen the
   estimate). A pair with Jaccard s becomes a candidate with probability 1 - (1 - s^6)^21: 0.998 at 0.8,
   0.93 at 0.7, 0.28 at 0.5, 0.015 at 0.3. So banding loses almost nothing at the 0.8 threshold and few
   unrelated stories of the same template (greetings, condolences) reach the verification step. 32 x 4
   would flood it (0.87 at s = 0.5); 16 x 8 would miss 5% of pairs at exactly 0.8.
6. **Verify** each candidate pair by the estimated Jaccard of the full 128-bin signatures (>= threshold),
   then join verified pairs with union-find; a cluster's id is its smallest article id. The estimate's
   standard deviation is 0.035 at J = 0.8, so a pair right at the threshold passes about half the time;
   pairs at 0.9 almost always. Exact Jaccard would need every stored text's shingles; on KCNA it is not
   worth it, nearly all true pairs being far above 0.8 (see bench/dedupe.py).

For a store: `hash_texts` gives a batch's content keys (exact copies), `signatures` the bins (`signature_bytes`
for a BLOB column), `band_key_matrix` one signed 64-bit int per band, `near_copies` verifies the candidates.
A sketch (archive.py and store/sql.py do this):

    duplicate_texts(article_id INTEGER PRIMARY KEY, content_key INTEGER, signature BLOB, cluster_id INTEGER)
    duplicate_bands(band INTEGER, key INTEGER, article_id INTEGER), indexed on (band, key)

    a new article: a row with its content_key already stored -> that article's cluster; else candidates =
    article_ids WHERE (band, key) IN its band keys -> near_copies(sig, their signatures) -> join clusters.

Only the first article of a group of exact copies needs band rows and a signature. The batch search over a
whole corpus and an in-memory index giving the same clusters, which the store is checked against, are the
reference implementation in tests/duplicates_reference.py.

Known limit: a band bucket shared by m distinct texts costs m(m-1)/2 verifications. KCNA's largest are small
(4,423 candidate pairs over 137k stories); a corpus of thousands of distinct fill-in-the-blank texts would
want a cap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

SHINGLE_WORDS = 5
NUM_BINS = 128
BANDS = 21
ROWS = 6
THRESHOLD = 0.8
EMPTY = np.uint32(0xFFFFFFFF)  # a bin no shingle fell into; never a real value (those are capped below it)
SIGNATURE_DTYPE = np.dtype("<u4")  # little-endian, so a stored BLOB reads the same on any machine
BATCH_DOCS = 2_000  # texts hashed together: big enough to amortise numpy's per-call cost, small in memory

U64 = npt.NDArray[np.uint64]
Ints = npt.NDArray[np.int64]
Signature = npt.NDArray[np.uint32]

_BASE = 0x100000001B3  # odd, so it has an inverse mod 2^64 and a word's hash does not depend on its offset
_BASE_INVERSE = pow(_BASE, -1, 1 << 64)
_WORD_BASE = 0x9E3779B97F4A7C15  # the same trick one level up: the content key of a word sequence
_WORD_BASE_INVERSE = pow(_WORD_BASE, -1, 1 << 64)
# One odd multiplier per position in a shingle, so "a b c d e" and "b a c d e" hash apart.
_POSITION = np.array(
    [0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53],
    dtype=np.uint64,
)
_PROBES = 48  # densification probes before falling back to the nearest filled bin to the right
# The head of a dispatch up to its agency: "Pyongyang, March 2 (KCNA) --", "Pyongyang, 30 de octubre (ATCC) --".
# Cheaper than parse.dateline.find_dateline (which also reads place and date, 7 us a text) and enough here:
# only where the words start matters.
_DATELINE = re.compile(
    r"[^\w\n]{0,4}[^\n()]{0,60}?\(\s*(?:KNS-KCNA|KCNA|KCMA|ATCC|ACNC|KNS)[^()\n]{0,20}\)[ \t]*(?:--+|—|–|-|\?|:)?",
    re.IGNORECASE,
)


def _mix(x: U64) -> U64:
    """splitmix64's finaliser: spreads every input bit over all 64 output bits (in place, returns x)."""
    with np.errstate(over="ignore"):
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    return x


@lru_cache(maxsize=1)
def _word_chars() -> npt.NDArray[np.bool_]:
    """Which code points of the Basic Multilingual Plane are word characters (str.isalnum), computed once."""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


class _Powers:
    """BASE^i and BASE^-i mod 2^64 for i < n, grown on demand; shared by every call in the process (one
    attribute holds both arrays, so a thread never sees one grown and the other not)."""

    def __init__(self, base: int, inverse: int) -> None:
        self.base, self.inverse = base, inverse
        self.table: tuple[U64, U64] = (np.ones(1, dtype=np.uint64), np.ones(1, dtype=np.uint64))

    def get(self, n: int) -> tuple[U64, U64]:
        up, down = self.table
        if len(up) < n:
            size = max(n, 2 * len(up))
            up, down = self._powers(self.base, size), self._powers(self.inverse, size)
            self.table = (up, down)
        return up[:n], down[:n]

    @staticmethod
    def _powers(base: int, size: int) -> U64:
        factors = np.full(size, base, dtype=np.uint64)
        factors[0] = 1
        with np.errstate(over="ignore"):
            return np.cumprod(factors)  # wraps mod 2^64, which is the arithmetic wanted


_CHAR_POWERS = _Powers(_BASE, _BASE_INVERSE)
_WORD_POWERS = _Powers(_WORD_BASE, _WORD_BASE_INVERSE)


def normalise(text: str) -> str:
    """The text shingled: without the dateline at its head, lower-cased (words are cut out later)."""
    dateline = _DATELINE.match(text)
    if dateline is not None:
        text = text[dateline.end() :]
    return text.lower()


@dataclass(frozen=True, slots=True)
class HashedBatch:
    """Shingle hashes and content keys of a batch of texts: the input to signatures and exact Jaccard."""

    shingles: U64  # every shingle hash of every text, text by text, in reading order (repeats kept)
    offsets: Ints  # text i's shingles are shingles[offsets[i]:offsets[i + 1]]
    content_keys: Ints  # 64-bit key of the word sequence; 0 for a text without words

    def __len__(self) -> int:
        return len(self.content_keys)

    def shingle_set(self, i: int) -> U64:
        """Text i's distinct shingle hashes, sorted (for exact Jaccard)."""
        return np.unique(self.shingles[self.offsets[i] : self.offsets[i + 1]])


def hash_texts(texts: Sequence[str]) -> HashedBatch:
    """Shingle hashes and content keys of many texts at once, vectorised over all their characters."""
    lowered = [normalise(text) for text in texts]
    lengths = np.fromiter((len(t) + 1 for t in lowered), dtype=np.int64, count=len(lowered))
    starts_of_text = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lowered) else np.zeros(0, np.int64)
    # "\x00" after every text: not a word character, so no word runs from one text into the next.
    joined = "\x00".join(lowered).encode("utf-32-le", "surrogatepass")  # JSON may carry a lone surrogate
    points = np.frombuffer(joined + b"\x00\x00\x00\x00", dtype="<u4")
    is_word = _word_chars()[np.minimum(points, 0xFFFF)]
    edges = np.diff(is_word.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    word_start = np.flatnonzero(edges == 1)
    word_end = np.flatnonzero(edges == -1)

    up, down = _CHAR_POWERS.get(len(points) + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(points) + 1, dtype=np.uint64)
        np.cumsum(points.astype(np.uint64) * up[: len(points)], out=prefix[1:])
        words = _mix((prefix[word_end] - prefix[word_start]) * down[word_start])

    text_of_word = np.searchsorted(starts_of_text, word_start, side="right") - 1
    words_per_text = np.bincount(text_of_word, minlength=len(lowered)).astype(np.int64)
    first_word = np.concatenate(([0], np.cumsum(words_per_text)))
    content_keys = _content_keys(words, first_word, words_per_text)
    shingles, shingle_text = _shingles(words, text_of_word, first_word, words_per_text)
    shingles_per_text = np.bincount(shingle_text, minlength=len(lowered))
    offsets = np.concatenate(([0], np.cumsum(shingles_per_text))).astype(np.int64)
    return HashedBatch(shingles, offsets, content_keys)


def _content_keys(words: U64, first_word: Ints, counts: Ints) -> Ints:
    """Polynomial hash of each text's word hashes, mixed with its word count; 0 marks a text without words."""
    up, down = _WORD_POWERS.get(len(words) + 1)
    with np.errstate(over="ignore"):
        prefix = np.zeros(len(words) + 1, dtype=np.uint64)
        np.cumsum(words * up[: len(words)], out=prefix[1:])
        start, end = first_word[:-1], first_word[1:]
        keys = _mix((prefix[end] - prefix[start]) * down[start] + counts.astype(np.uint64))
    keys[keys == 0] = 1  # 0 is reserved for "no words"
    keys[counts == 0] = 0
    return keys.view(np.int64)


def _shingles(words: U64, text_of_word: Ints, first_word: Ints, counts: Ints) -> tuple[U64, Ints]:
    """Hashes of every 5-word run inside one text (one shingle of all the words for a text of 1-4 words)."""
    n = SHINGLE_WORDS
    with np.errstate(over="ignore"):
        if len(words) >= n:
            inside = text_of_word[: len(words) - n + 1] == text_of_word[n - 1 :]
            combined = words[: len(words) - n + 1] * _POSITION[0]
            for k in range(1, n):
                combined += words[k : len(words) - n + 1 + k] * _POSITION[k]
            hashes, owners = combined[inside], text_of_word[: len(words) - n + 1][inside]
        else:
            hashes, owners = np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
        short = np.flatnonzero((counts > 0) & (counts < n))
        if len(short):
            extra = np.zeros(len(short), dtype=np.uint64)
            for k in range(n - 1):
                has = counts[short] > k
                extra[has] += words[first_word[short[has]] + k] * _POSITION[k]
            hashes = np.concatenate((hashes, extra))
            owners = np.concatenate((owners, short))
            order = np.argsort(owners, kind="stable")
            hashes, owners = hashes[order], owners[order]
    return _mix(hashes), owners


# -- signatures ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _row_multipliers() -> U64:
    """One odd 64-bit multiplier per row of a band, so a band's key depends on the order of its bins."""
    return _mix(np.arange(1, ROWS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)) | np.uint64(1)


@lru_cache(maxsize=1)
def _probe_table() -> Ints:
    """For each bin, a fixed sequence of bins to copy from when it is empty (the same for every text, which is
    what keeps densified bins comparable); derived from splitmix64, not a library RNG, so it never changes."""
    seeds = np.arange(1, _PROBES * NUM_BINS + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    return (_mix(seeds) % np.uint64(NUM_BINS)).astype(np.int64).reshape(_PROBES, NUM_BINS)


def signatures(batch: HashedBatch) -> npt.NDArray[np.uint32]:
    """One-permutation MinHash signatures, shape (texts, 128); a text without words is all EMPTY."""
    count = len(batch)
    owners = np.repeat(np.arange(count, dtype=np.int64), np.diff(batch.offsets))
    bins = (batch.shingles >> np.uint64(57)).astype(np.int64)  # top 7 bits choose one of 128 bins
    values = np.minimum(batch.shingles & np.uint64(0xFFFFFFFF), np.uint64(0xFFFFFFFE)).astype(np.uint32)
    flat = np.full(count * NUM_BINS, EMPTY, dtype=np.uint32)
    np.minimum.at(flat, owners * NUM_BINS + bins, values)
    sigs = flat.reshape(count, NUM_BINS)
    _densify(sigs)
    return sigs.astype(SIGNATURE_DTYPE, copy=False)


def _densify(sigs: npt.NDArray[np.uint32]) -> None:
    """Fill empty bins in place: bin j takes the value of the first filled bin in its probe sequence, else of
    the nearest filled bin to its right (texts with very few shingles). Texts with no shingle stay EMPTY."""
    empty = sigs == EMPTY
    rows = np.flatnonzero(empty.any(axis=1) & ~empty.all(axis=1))
    if not len(rows):
        return
    original = sigs[rows]
    filled = ~empty[rows]
    result = original.copy()
    row, column = np.nonzero(~filled)  # the empty cells; each probe round resolves most of those left
    for probe in _probe_table():
        source = probe[column]
        hit = filled[row, source]
        result[row[hit], column[hit]] = original[row[hit], source[hit]]
        row, column = row[~hit], column[~hit]
        if not len(row):
            break
    if len(row):
        # Bins whose probes all hit empty bins (texts of a few shingles): nearest filled bin to the right.
        index = np.where(filled, np.arange(NUM_BINS), 3 * NUM_BINS)
        doubled = np.concatenate((index, index + NUM_BINS), axis=1)
        nearest = np.minimum.accumulate(doubled[:, ::-1], axis=1)[:, ::-1][:, :NUM_BINS] % NUM_BINS
        result[row, column] = original[row, nearest[row, column]]
    sigs[rows] = result


def signature_bytes(sig: Signature) -> bytes:
    """512 bytes for a BLOB column."""
    return np.asarray(sig, dtype=SIGNATURE_DTYPE).tobytes()


def signature_from_bytes(blob: bytes) -> Signature:
    return np.frombuffer(blob, dtype=SIGNATURE_DTYPE)


def is_empty(sig: Signature) -> bool:
    return bool(sig[0] == EMPTY)


def estimated_jaccard(sig_a: Signature, sig_b: Signature) -> float:
    """The share of equal bins: an unbiased estimate of the texts' shingle Jaccard (0 when either is empty)."""
    if is_empty(sig_a) or is_empty(sig_b):
        return 0.0
    return float(np.count_nonzero(np.asarray(sig_a) == np.asarray(sig_b))) / NUM_BINS


def near_copies(
    sig: Signature, candidates: Iterable[tuple[int, Signature | bytes]], threshold: float = THRESHOLD
) -> list[int]:
    """The ids among (id, signature or its bytes) candidates whose estimated Jaccard with sig passes the
    threshold: the verification step, for a store that looked candidates up by band key."""
    found = []
    for other_id, other in candidates:
        other_sig = signature_from_bytes(other) if isinstance(other, bytes) else other
        if estimated_jaccard(sig, other_sig) >= threshold:
            found.append(other_id)
    return sorted(found)


def band_key_matrix(sigs: npt.NDArray[np.uint32]) -> Ints:
    """Band keys of many signatures, shape (texts, BANDS): each band's ROWS bins hashed to a signed int64."""
    bands = sigs[:, : BANDS * ROWS].reshape(len(sigs), BANDS, ROWS).astype(np.uint64)
    with np.errstate(over="ignore"):
        key = (bands * _row_multipliers()).sum(axis=2, dtype=np.uint64)
        key = _mix(key + np.arange(BANDS, dtype=np.uint64))  # the band number in the key: equal rows in two
    return key.view(np.int64)  # bands still give different keys, so a store may keep all bands in one column
