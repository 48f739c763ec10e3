import pytest

from propscope.parse.relay import find_relayed_quote, find_relays


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (
            "The cause is winning support, says Rodong Sinmun today in a signed article. It goes on:",
            [("Rodong Sinmun", "signed article")],
        ),
        ("Minju Joson Tuesday carries a commentary denouncing the moves.", [("Minju Joson", "commentary")]),
        (
            "Papers here today carry a joint editorial issued by Rodong Sinmun, Josoninmingun and Chongnyonjonwi.",
            [
                ("Rodong Sinmun", "joint editorial"),
                ("Joson Inmingun", "joint editorial"),
                ("Chongnyon Jonwi", "joint editorial"),
            ],
        ),
        ("RODONG SINMUN TODAY SAYS IN AN EDITORIAL THAT THE PARTY IS STRONG.", [("Rodong Sinmun", "editorial")]),
        ("Rodong Sinmun says the U.S. is to blame for the tension.", [("Rodong Sinmun", "article")]),
        ("Ri Jong Ho, editor-in-chief of Rodong Sinmun, met the delegation.", []),
        ("Kim Jong Un inspected a farm.", []),
    ],
)
def test_relays(lead: str, expected: list[tuple[str, str]]) -> None:
    assert [(r.outlet, r.form) for r in find_relays(lead, 0)] == expected


def test_relay_offsets_and_relayed_quote() -> None:
    text = "Title\n\nPyongyang, July 14 (KCNA) -- X, says Rodong Sinmun today in an article. It goes on:\n\nQuoted."
    relays = find_relays(text, 35)
    assert text[relays[0].start : relays[0].end] == "Rodong Sinmun"
    quotes = find_relayed_quote(text, 35, len(text), relays)
    assert [text[q.start : q.end] for q in quotes] == ["Quoted."]
