import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from propscope.enrich import duplicates
from propscope.enrich.duplicates import (
    BANDS,
    NUM_BINS,
    Signature,
    estimated_jaccard,
    hash_texts,
    near_copies,
    signature_bytes,
    signature_from_bytes,
)
from tests.duplicates_reference import DuplicateIndex, band_keys, cluster, content_key, signature

GREETINGS = (
    "Pyongyang, March 2 (KCNA) -- General Secretary Kim Jong Il on Thursday sent a congratulatory message to "
    "Choummaly Sayasone, general secretary of the Central Committee of the Lao People's Revolutionary Party and "
    "president of the Lao People's Democratic Republic, on the 36th founding anniversary of the Republic. The "
    "message said: I extend warm congratulations to you and, through you, to the Lao People's Revolutionary Party "
    "and the government and people of the Lao People's Democratic Republic on the 36th founding anniversary of "
    "the Republic. The Korean people are pleased that the fraternal people of your country are defending the "
    "socialist idea and bolstering the state might as a whole under the leadership of the party headed by you, "
    "and sincerely wish them better achievements in the efforts to attain the tasks set forth in its congress."
)
# The same story as another scrape keeps it: no dateline, other paragraphing, straight quotes, upper case.
GREETINGS_RESCRAPED = GREETINGS.split("--", 1)[1].replace(". ", ".\n\n").upper()
# A near copy: a few words changed.
GREETINGS_EDITED = (
    GREETINGS.replace("on Thursday", "on Friday")
    .replace("warm congratulations", "heartfelt congratulations")
    .replace("better achievements", "greater successes")
)
UNRELATED = (
    "Pyongyang, April 5 (KCNA) -- The Foreign Ministry spokesman of the DPRK answered a question raised by KCNA "
    "concerning the joint military exercises staged by the United States and the south Korean puppet forces. "
    "The exercises are an undisguised military provocation aimed at invading the north, he said, and the army "
    "and people of the DPRK will counter them with merciless retaliation should the aggressors ignite a war. "
    "The United States should discard its hostile policy, the spokesman stressed."
)


def exact_jaccard(a: str, b: str) -> float:
    batch = hash_texts([a, b])
    left, right = set(batch.shingle_set(0).tolist()), set(batch.shingle_set(1).tolist())
    return len(left & right) / len(left | right)


def test_exact_copy_after_normalisation_has_one_content_key() -> None:
    assert content_key(GREETINGS) == content_key(GREETINGS_RESCRAPED)
    assert content_key(GREETINGS) != content_key(GREETINGS_EDITED)
    assert content_key("") is None
    assert content_key("  -- ,, !! ") is None


def test_dateline_is_not_shingled() -> None:
    assert np.array_equal(signature(GREETINGS), signature(GREETINGS_RESCRAPED))


def test_near_copy_clusters_with_original_and_unrelated_does_not() -> None:
    assert exact_jaccard(GREETINGS, GREETINGS_EDITED) < 1.0
    clusters = cluster([(10, GREETINGS), (11, UNRELATED), (12, GREETINGS_EDITED), (7, GREETINGS_RESCRAPED)])
    assert clusters == {10: 7, 11: 11, 12: 7, 7: 7}


def test_estimated_jaccard_is_close_to_exact() -> None:
    words = GREETINGS.split()
    # Drop a run of words in the middle: an exact Jaccard well below 1 that we can compute.
    cut = " ".join(words[:40] + words[52:])
    exact = exact_jaccard(GREETINGS, cut)
    estimate = estimated_jaccard(signature(GREETINGS), signature(cut))
    assert 0.6 < exact < 0.95
    assert abs(estimate - exact) < 0.12  # about 3 standard deviations of a 128-bin estimate
    assert estimated_jaccard(signature(GREETINGS), signature(UNRELATED)) < 0.1


def test_band_keys_fit_signed_int64_and_bytes_round_trip() -> None:
    sig = signature(GREETINGS)
    assert sig.dtype == np.dtype("<u4") and sig.shape == (NUM_BINS,)
    keys = band_keys(sig)
    assert len(keys) == BANDS and len(set(keys)) == BANDS
    assert all(isinstance(k, int) and -(2**63) <= k < 2**63 for k in keys)
    blob = signature_bytes(sig)
    assert len(blob) == 4 * NUM_BINS
    assert np.array_equal(signature_from_bytes(blob), sig)
    assert band_keys(signature_from_bytes(blob)) == keys


def test_near_copies_verifies_stored_candidates() -> None:
    stored: list[tuple[int, Signature | bytes]] = [
        (1, signature_bytes(signature(GREETINGS_EDITED))),
        (2, signature(UNRELATED)),
        (3, signature("")),
    ]
    assert near_copies(signature(GREETINGS), stored) == [1]


def test_signature_is_stable_across_calls_and_batches() -> None:
    alone = signature(UNRELATED)
    batch = duplicates.signatures(hash_texts([GREETINGS, UNRELATED, ""]))
    assert np.array_equal(batch[1], alone)
    # Pinned values: a signature or band key a store persisted must mean the same after an upgrade.
    fox = signature("The quick brown fox -- jumps over the lazy dog!")
    assert fox[:4].tolist() == [3079916363, 2951980231, 4187087061, 4187087061]
    assert band_keys(fox)[:2] == [4711917817940336980, -520561713730178172]
    assert content_key("the quick brown fox jumps over the lazy dog") == -5496036808432367203


def test_empty_and_short_texts() -> None:
    empty = signature("")
    assert duplicates.is_empty(empty) and band_keys(empty) == []
    assert estimated_jaccard(empty, empty) == 0.0
    short = signature("Long live Kim Il Sung")  # five words: one shingle
    shorter = signature("Long live Juche")  # fewer than five: one shingle of all the words
    assert band_keys(shorter) and estimated_jaccard(shorter, signature("long LIVE juche!")) == 1.0
    assert estimated_jaccard(short, shorter) < 0.1
    assert content_key("Juche \ud800 idea \U0001f600 banner") == content_key("juche idea banner")  # odd characters
    clusters = cluster([(1, ""), (2, ""), (3, "Long live Juche"), (4, "Long live Juche."), (5, "Juche")])
    assert clusters == {1: 1, 2: 2, 3: 3, 4: 3, 5: 5}


def test_incremental_index_matches_batch() -> None:
    docs = [
        (5, GREETINGS_EDITED),
        (3, UNRELATED),
        (9, GREETINGS),
        (1, GREETINGS_RESCRAPED),
        (4, ""),
        (8, "Long live Juche"),
        (2, "long live juche"),
        (6, UNRELATED.replace("merciless", "thousandfold")),
    ]
    index = DuplicateIndex()
    returned = [index.add(doc_id, text) for doc_id, text in docs]
    assert returned == [None, None, 5, 1, None, None, 2, 3]
    assert index.clusters() == cluster(docs)
    batched = DuplicateIndex()
    assert batched.add_many(docs) == returned
    assert batched.clusters() == index.clusters()
    assert index.matches(GREETINGS) == [5, 9]  # 1 copies 9: only the first indexed copy is listed
    assert index.matches(UNRELATED.upper()) == [3, 6]
    assert index.matches("Long live the Workers' Party of Korea") == []
    with pytest.raises(ValueError):
        index.add(5, GREETINGS)


WORDS = ["kim", "jong", "il", "party", "people", "korea", "us", "imperialists", "socialist", "juche", "army"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=0, max_size=30), min_size=1, max_size=8))
def test_batch_equals_incremental_and_signatures_do_not_depend_on_batch(texts: list[list[str]]) -> None:
    docs = [(i * 7 % 11, " ".join(words)) for i, words in enumerate(texts)]
    index = DuplicateIndex()
    for doc_id, text in docs:
        index.add(doc_id, text)
    assert index.clusters() == cluster(docs)
    batch = duplicates.signatures(hash_texts([text for _, text in docs]))
    for row, (_, text) in zip(batch, docs, strict=True):
        assert np.array_equal(row, signature(text))
