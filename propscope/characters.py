"""Characters that need care on the way in and out of the archive.

Stored text keeps what the input held, control characters included, except what no store can take: a lone
surrogate (a JSON string may carry "\\ud800"; it has no UTF-8 form) and NUL (PostgreSQL refuses it in text).
Those become U+FFFD, one character for one, so every offset into the text still holds. On the way out, a
terminal must never receive a control character raw (an ANSI escape in a title would recolour, retitle or
clear it), and an XML document must never hold a character XML 1.0 forbids (the feed would not parse).
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# C0 controls but tab and newline, DEL, and C1 (U+0080-U+009F: U+009B is a one-character ANSI escape).
_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# What XML 1.0 forbids (C0 but tab, newline and CR; surrogates; U+FFFE and U+FFFF), and DEL and C1 with them:
# allowed, but a feed reader in a terminal would hand them on raw.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def storable(text: str) -> str:
    """`text` with lone surrogates and NUL replaced by U+FFFD (the same length: offsets hold)."""
    return _UNSTORABLE.sub(REPLACEMENT, text) if _UNSTORABLE.search(text) else text


def is_storable(text: str) -> bool:
    return _UNSTORABLE.search(text) is None


def visible(text: str) -> str:
    """`text` as a terminal may show it: each control character as its picture (ESC as U+241B), never raw."""
    if _TERMINAL_CONTROL.search(text) is None:
        return text
    return _TERMINAL_CONTROL.sub(_picture, text)


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: U+241B for ESC
    return "\u2421" if code == 0x7F else REPLACEMENT  # DEL has a picture; C1 has none


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 forbids (and DEL and C1) replaced by U+FFFD."""
    return _NOT_XML.sub(REPLACEMENT, text) if _NOT_XML.search(text) else text


__all__ = ["REPLACEMENT", "is_storable", "storable", "visible", "xml_text"]
