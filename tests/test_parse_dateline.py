import pytest

from propscope.parse.dateline import find_dateline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pyongyang, July 14 (KCNA) — The Korean", ("Pyongyang", 7, 14, None, "KCNA")),
        ("PYONGYANG, JANUARY 7 (KCNA) -- THE", ("Pyongyang", 1, 7, None, "KCNA")),
        ("Beijing, May 3 (KCNA) -- A delegation", ("Beijing", 5, 3, None, "KCNA")),
        ("(KCNA) ? The DPRK", (None, None, None, None, "KCNA")),
        ("yongyang, April 1 (KCNA) -- x", ("Pyongyang", 4, 1, None, "KCNA")),
        ("Pyongyang, February 16 (KCNAkcna) - Secretary", ("Pyongyang", 2, 16, None, "KCNA")),
        ("Inchon, September 4 (KCNA-Correspondent) -- The", ("Inchon", 9, 4, None, "KCNA")),
        ("Pyongyang, April 12 (KCNA -- An exhibition", ("Pyongyang", 4, 12, None, "KCNA")),
        ("l; Pyongyang, April 14 (KCNA) -- A photo", ("Pyongyang", 4, 14, None, "KCNA")),
        ("Pyongyang , March 20 (KCNA ) -- A", ("Pyongyang", 3, 20, None, "KCNA")),
        ("Vientiane, 7 de agosto (Corresponsal de ACNC) -- Kim", ("Vientiane", 8, 7, None, "ACNC")),
        ("Pyongyang, 30 de octubre (ATCC) -- El", ("Pyongyang", 10, 30, None, "ATCC")),
        ("Ulan Bator, July 20 (KCNA Correspondent) -- Talks", ("Ulan Bator", 7, 20, None, "KCNA")),
        ("TOKYO, FEBRUARY 28 (KNS-KCNA) -- A", ("Tokyo", 2, 28, None, "KNS-KCNA")),
        ("Pyongyang, December 22 (KCMA) -- Embassy", ("Pyongyang", 12, 22, None, "KCMA")),
        ("Pyongyang, July 14, 2006 (KCNA) -- x", ("Pyongyang", 7, 14, 2006, "KCNA")),
        ("Pyongyang August 4 (KCNA) - General", ("Pyongyang", 8, 4, None, "KCNA")),
    ],
)
def test_datelines_of_the_corpus(text: str, expected: tuple) -> None:
    found = find_dateline(text, 0)
    assert found is not None
    assert (found.place, found.month, found.day, found.year, found.agency) == expected
    assert text[found.start : found.end].rstrip() == text[found.start : found.end]


@pytest.mark.parametrize("text", ["Kim Jong Un visited a farm.", "The May Day (1) rally", "", "Pyongyang is"])
def test_no_dateline(text: str) -> None:
    assert find_dateline(text, 0) is None


def test_offsets_point_into_the_text_after_a_title() -> None:
    text = "Title\n\n  Pyongyang, July 14 (KCNA) -- Body"
    found = find_dateline(text, 7)
    assert found is not None
    assert text[found.start : found.end] == "Pyongyang, July 14 (KCNA) --"
