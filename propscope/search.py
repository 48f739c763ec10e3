"""The search query language users type (each store's dialect compiles it for its full-text engine), and the
keyword-in-context snippets of its matches.

Words, "exact phrases", AND / OR / NOT (upper case), parentheses and prefix* terms. Anything else a user
types is taken literally: "U.S." or "anti-DPRK" become phrases, so punctuation never turns into a syntax
error from the engine. A query that cannot be read raises QueryError with one line saying why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from propscope.errors import QueryError
from propscope.model import TECHNIQUES

_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*"?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
_OPERATORS = {"AND", "OR", "NOT"}
_WORD_CHARS = re.compile(r"[\w]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class QueryLimits:
    """How big a query may be: its cost in the engine grows with its terms (400 ORed words took 96 s of CPU),
    so a query past these is refused before it reaches the engine (Settings: PROPSCOPE_QUERY_MAX_*)."""

    max_chars: int = 1000
    max_terms: int = 64
    max_depth: int = 16


@dataclass(frozen=True, slots=True)
class Term:
    kind: str  # phrase, prefix, op, paren
    value: str


def parse_query(query: str, limits: QueryLimits = QueryLimits()) -> list[Term]:
    if not query or not query.strip():
        raise QueryError('empty search query: give words, a "phrase", or a prefix*')
    if len(query) > limits.max_chars:
        raise QueryError(
            f"search query is {len(query):,} characters long, over the limit of {limits.max_chars:,}: shorten it"
        )
    terms: list[Term] = []
    depth = 0
    for match in _TOKEN.finditer(query):
        if match.group("phrase") is not None:
            raw = match.group("phrase")
            if len(raw) < 2 or not raw.endswith('"'):
                raise QueryError(f"unclosed quote in search query: {query!r}")
            words = _WORD_CHARS.findall(raw[1:-1])
            if words:
                terms.append(Term("phrase", " ".join(words)))
        elif match.group("paren") is not None:
            depth += 1 if match.group("paren") == "(" else -1
            if depth < 0:
                raise QueryError(f"unbalanced ')' in search query: {query!r}")
            if depth > limits.max_depth:
                raise QueryError(f"search query nests parentheses over {limits.max_depth} deep: flatten it")
            terms.append(Term("paren", match.group("paren")))
        else:
            word = match.group("word")
            if word in _OPERATORS:
                terms.append(Term("op", word))
            elif word.endswith("*") and _WORD_CHARS.fullmatch(word[:-1] or "-"):
                terms.append(Term("prefix", word[:-1]))
            else:
                words = _WORD_CHARS.findall(word)
                if words:
                    terms.append(Term("phrase", " ".join(words)))
    if depth != 0:
        raise QueryError(f"unbalanced '(' in search query: {query!r}")
    counted = sum(t.kind in ("phrase", "prefix") for t in terms)
    if counted > limits.max_terms:
        raise QueryError(
            f"search query has {counted} words, phrases and prefixes, over the limit of {limits.max_terms}:"
            " use fewer terms"
        )
    _check_operators(terms, query)
    if not any(t.kind in ("phrase", "prefix") for t in terms):
        raise QueryError(f"search query has no words to look for: {query!r}")
    return terms


def _check_operators(terms: list[Term], query: str) -> None:
    previous: Term | None = None
    for term in terms:
        dangling = previous is None or previous.kind == "op" or previous.value == "("
        after_operator = term.value == "NOT" and previous is not None and previous.kind == "op"
        if term.kind == "op" and dangling and not after_operator:
            raise QueryError(f"'{term.value}' needs a word before it in search query: {query!r}")
        previous = term
    if previous is not None and previous.kind == "op":
        raise QueryError(f"'{previous.value}' needs a word after it in search query: {query!r}")


def keyword_pattern(terms: list[Term]) -> re.Pattern[str] | None:
    """One regex for every word and phrase the query looks for (prefixes as word starts), case-insensitive."""
    parts = []
    for term in terms:
        if term.kind == "phrase":
            parts.append(r"\b" + r"\W+".join(map(re.escape, term.value.split())) + r"\b")
        elif term.kind == "prefix":
            parts.append(r"\b" + re.escape(term.value) + r"\w*")
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def keyword_in_context(text: str, pattern: re.Pattern[str] | None, words: int = 18) -> str:
    """A window of about `words` words round the first match, every match in it marked [[ ]].

    The window is one slice of the text, cut only at white space and kept as it is: with the marks and the
    ellipses taken out, it is the source's text character for character. (Splitting the text at the match
    and joining the halves with a space wrote "anti- [[imperialist]]" for "anti-imperialist" and
    `" [[missile guidelines]]"` for a quoted phrase.) It stays inside the match's paragraph, so a snippet is
    one line unless the match itself crosses a line break.

    Made here rather than by FTS5's snippet(): that evaluates the whole query again for each page, which
    doubled the time of prefix queries over common words."""
    first = pattern.search(text) if pattern else None
    if first is None or pattern is None:
        head = _TOKENS.search(text)
        if head is None:
            return ""
        start, end = _window(text, head.start(), head.start(), _line_end(text, head.start()), 0, words)
        return _cut(text, start, end, text[start:end])
    line_start = text.rfind("\n", 0, first.start()) + 1
    line_end = _line_end(text, first.end())
    start, end = _window(text, line_start, first.start(), line_end, words // 3, words, first.end())
    window = text[start:end]
    return _cut(text, start, end, pattern.sub(lambda m: f"{MARK_OPEN}{m.group(0)}{MARK_CLOSE}", window))


_TOKENS = re.compile(r"\S+")


def _line_end(text: str, position: int) -> int:
    end = text.find("\n", position)
    return len(text) if end < 0 else end


def _window(
    text: str, line_start: int, at: int, line_end: int, lead: int, words: int, covers: int = 0
) -> tuple[int, int]:
    """Where a window of `words` white-space words starts and ends: up to `lead` words before `at` (a word
    glued to `at`, as "anti-" is to "imperialist", always whole), then words on to `words` in all, at least
    as far as `covers`, never past the line."""
    before = [m for m in _TOKENS.finditer(text, line_start, at)]
    glued = bool(before) and before[-1].end() == at
    kept = before[-max(lead, 1 if glued else 0) :] if (lead or glued) and before else []
    start = kept[0].start() if kept else at
    end = max(at, covers)
    for count, token in enumerate(_TOKENS.finditer(text, at, line_end), start=len(kept) - (1 if glued else 0)):
        if count >= words and token.start() >= covers:
            break
        end = max(end, token.end())
    return start, end


def _cut(text: str, start: int, end: int, shown: str) -> str:
    """The window with an ellipsis on each side where the text goes on."""
    prefix = "…" if text[:start].strip() else ""
    suffix = "…" if text[end:].strip() else ""
    return prefix + shown + suffix


# Snippets mark matches in the text itself; each front end renders the marks its own way (split_marked).
MARK_OPEN, MARK_CLOSE = "[[", "]]"
_MARKS = re.compile(re.escape(MARK_OPEN) + "|" + re.escape(MARK_CLOSE))


def split_marked(snippet: str) -> list[tuple[str, bool]]:
    """(piece, is_match) in order: the one reading of the marks that the CLI and the web page share."""
    return [(piece, index % 2 == 1) for index, piece in enumerate(_MARKS.split(snippet)) if piece]


def technique_names(value: str) -> tuple[str, ...]:
    """Technique names from an option such as "Name_Calling,Labeling,Doubt": three of the names hold a comma
    themselves, so the pieces are joined back into known names; case and a unique prefix are forgiven."""
    by_lower = {name.lower(): name for name in TECHNIQUES}
    pieces = [p.strip() for p in value.split(",") if p.strip()]
    names: list[str] = []
    i = 0
    while i < len(pieces):
        for size in (3, 2, 1):  # the longest known name first
            joined = ",".join(pieces[i : i + size]).lower()
            if joined in by_lower:
                names.append(by_lower[joined])
                i += size
                break
        else:
            prefixed = [name for name in TECHNIQUES if name.lower().startswith(pieces[i].lower())]
            if len(prefixed) != 1:
                raise QueryError(
                    f"unknown technique {pieces[i]!r}: use one of {', '.join(TECHNIQUES)}"
                    if not prefixed
                    else f"technique {pieces[i]!r} is ambiguous: {', '.join(prefixed)}"
                )
            names.append(prefixed[0])
            i += 1
    return tuple(dict.fromkeys(names))
