"""Where the title is: given by the input's metadata, or the first non-empty line of a text file."""

from __future__ import annotations


def locate_title(text: str, title_end: int | None) -> tuple[int, int, int]:
    """(title_start, title_end, body_start) as offsets into text."""
    if title_end is not None:
        return 0, title_end, _skip_space(text, title_end)
    start = _skip_space(text, 0)
    end = text.find("\n", start)
    if end == -1:
        end = len(text)
    title_stop = end
    while title_stop > start and text[title_stop - 1].isspace():
        title_stop -= 1
    return start, title_stop, _skip_space(text, end)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos
