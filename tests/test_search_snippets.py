"""Snippets verbatim: what a snippet shows is the source's text, character for character, apart from the match
marks and the ellipses (issue 17's "anti- imperialist" and `" missile guideline"`)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from propscope.search import MARK_CLOSE, MARK_OPEN, keyword_in_context, keyword_pattern, parse_query, split_marked


def unmarked(snippet: str) -> str:
    """The snippet as the source wrote it: marks read as every front end reads them, ellipses at the cuts off."""
    text = "".join(piece for piece, _ in split_marked(snippet))
    return text.removeprefix("…").removesuffix("…")


def test_a_word_glued_to_the_match_stays_glued() -> None:
    text = "Pyongyang, May 3 (KCNA) -- " + "The people " * 5 + "hold aloft the banner of anti-imperialist independence."
    snippet = keyword_in_context(text, keyword_pattern(parse_query("imperialist")))
    assert "anti-[[imperialist]] independence" in snippet and unmarked(snippet) in text


def test_a_quoted_phrase_keeps_its_quotes_on_it() -> None:
    text = 'They are keen on the modification of "missile guidelines", examine the way of imposing "sanctions".'
    snippet = keyword_in_context(text, keyword_pattern(parse_query('"missile guidelines"')))
    assert '"[[missile guidelines]]",' in snippet and unmarked(snippet) in text


def test_white_space_and_line_ends_are_the_sources_own() -> None:
    text = "First paragraph ends here.\n\nThe  anti-\nimperialist   cause\twins in the end, they said."
    snippet = keyword_in_context(text, keyword_pattern(parse_query("cause")))
    assert unmarked(snippet) in text and "[[cause]]\twins" in snippet
    assert snippet.startswith("…")  # the first paragraph is cut off, and said to be


def test_no_match_shows_the_opening_words_verbatim() -> None:
    text = "Pyongyang,  June 1 (KCNA) --\u00a0Kim Jong Un's \u201cwork\u201d " + "word " * 30
    snippet = keyword_in_context(text, None)
    assert snippet.endswith("…") and unmarked(snippet) in text and "\u00a0Kim" in snippet


# Texts built from what dispatches hold: words, hyphens at line ends, straight and curly quotes, non-ASCII
# letters and dashes, markup, several kinds of white space.
pieces = st.sampled_from(
    [
        "anti-", "imperialist", "U.S.", '"missile', 'guidelines"', "\u201cjuche\u201d", "Kim-Jong-un's", "―",
        "<b>bold</b>", "&amp;", "[note]", "(KCNA)", "--", "Pyongyang,", "Chosŏn", "조선", "café", "...", "'",
        "-\n", " ", " ", "\n", "\n\n", "\t", "\u00a0", "  ", "\u2028",
    ]
)  # fmt: skip
texts = st.lists(pieces, min_size=1, max_size=80).map("".join)
queries = st.sampled_from(["imperialist", '"missile guidelines"', "juche", "anti*", "Kim", "bold", "KCNA", "café"])


@settings(max_examples=400, deadline=None)
@given(text=texts, query=queries, words=st.integers(min_value=1, max_value=25))
def test_a_snippet_less_its_marks_and_ellipses_is_a_slice_of_the_source(text: str, query: str, words: int) -> None:
    assume(MARK_OPEN not in text and MARK_CLOSE not in text)
    snippet = keyword_in_context(text, keyword_pattern(parse_query(query)), words=words)
    assert unmarked(snippet) in text
    # every mark wraps a match of the query, as the source spells it
    for piece, is_match in split_marked(snippet):
        if is_match:
            assert keyword_pattern(parse_query(query)).fullmatch(piece)  # type: ignore[union-attr]


def test_the_archives_hits_quote_the_source(tmp_path: Path) -> None:
    """Through the store, as the CLI, the CSV and the web page get them."""
    import json

    from propscope.archive import Archive

    bodies = [
        "Pyongyang, January 6 (KCNA) -- The world's progressive people hold aloft the banner of anti-imperialist"
        ' independence.\n\nThe south Korean puppets asked the U.S. over the modification of "missile guidelines",'
        ' examine the way of imposing independent "sanctions on the north".',
        "Pyongyang, January 7 (KCNA) --  A  delegation\u00a0of the Chosŏn people left here.\n" + "word " * 600,
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"r{i}", "source": "kcna", "date": f"2017-01-0{i + 6}", "title": f"T {i}", "body": b})
            + "\n"
            for i, b in enumerate(bodies)
        ),
        encoding="utf-8",
    )
    with Archive(str(tmp_path / "a.sqlite")) as archive:
        archive.ingest([str(path)])
        shown = {
            query: archive.search(query)[0].snippet for query in ("imperialist", '"missile guidelines"', "delegation")
        }
        opening = [h.snippet for h in archive.search(None) if "delegation" in h.snippet][0]
        stored = [archive.article(h.id).body for h in archive.search(None)]
    assert "anti-[[imperialist]] independence" in shown["imperialist"]
    assert '"[[missile guidelines]]",' in shown['"missile guidelines"']
    for snippet in [*shown.values(), opening]:
        assert any(unmarked(snippet) in body for body in stored), snippet
    assert "A  delegation\u00a0of" in opening and opening.endswith("…")
