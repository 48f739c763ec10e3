"""Article fields out of a fetched page: the kcna.kp and rodong.rep.kp layouts by their markup, any other
page by trafilatura (the same extraction `propscope ingest` uses for saved pages).

The site extractors read what the sites mark up (kcna.kp: `.article-main-title`, `.content-wrapper` paragraphs,
`.publish-time` with a Juche date; rodong.rep.kp: `.TitleP`/`.TextP` with `#article-date`, and the 2023
layout's `.news_Title`/`.ArticleContent`/`.NewsDate`). Each returns None when the page is not an article.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import lxml.html
from lxml.etree import ParserError

JUCHE_OFFSET = 1911  # Juche 1 is 1912
_LANG_SEGMENTS = {
    "en": "en",
    "kr": "ko",
    "ko": "ko",
    "cn": "zh",
    "zh": "zh",
    "ru": "ru",
    "es": "es",
    "jp": "ja",
    "ja": "ja",
    "fr": "fr",
    "ar": "ar",
    "de": "de",
}
_KCNA_KEY = re.compile(r"/article/(?:q|detail)/([0-9a-f]{16,})(?:\.kcmsf)?", re.I)
_KCNA_STAMP = re.compile(r"\s*[\[(]\s*(?:Juche\s*)?\d{2,4}\.\d{1,2}\.\d{1,2}\.?\s*[\])]\s*$", re.I)
_DOTTED_DATE = re.compile(r"(Juche\s*)?(\d{2,4})\.(\d{1,2})\.(\d{1,2})\.?", re.I)
_END_MARK = re.compile(r"\s*-0-\s*$")
_RODONG_KEY = re.compile(r"^\d+@(\d{4}-\d{2}-\d{2}-[A-Z]?\d+)@")
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}
_WORD_DATE = re.compile(r"([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),\s+(\d{4})")


@dataclass(frozen=True, slots=True)
class ArticleFields:
    title: str
    body: str
    date: str | None = None
    id: str | None = None
    lang: str | None = None


Extractor = Callable[[bytes, str], ArticleFields | None]


def lang_of(url: str) -> str | None:
    """The language of a page from its first path segment (/en/, /kr/, /cn/ on both sites)."""
    first = urlsplit(url).path.strip("/").split("/", 1)[0].lower()
    return _LANG_SEGMENTS.get(first)


def _doc(raw: bytes) -> lxml.html.HtmlElement | None:
    try:
        return lxml.html.document_fromstring(raw)
    except (ParserError, ValueError):
        return None


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _text(element: lxml.html.HtmlElement) -> str:
    """Visible text with runs of whitespace made one space (markup inside names must not glue words)."""
    for hidden in element.xpath(".//script | .//style"):
        hidden.drop_tree()
    return " ".join(element.text_content().split())


def _first(doc: lxml.html.HtmlElement, *paths: str) -> str:
    for path in paths:
        for element in doc.xpath(path):
            text = _text(element)
            if text:
                return text
    return ""


def _paragraphs(doc: lxml.html.HtmlElement, path: str) -> str:
    return "\n".join(t for t in (_text(p) for p in doc.xpath(path)) if t)


def dotted_date(text: str) -> str | None:
    """`2024.11.10.` or `Juche113.11.10.` (the Juche year is the year minus 1911) as an ISO date."""
    match = _DOTTED_DATE.search(text)
    if not match:
        return None
    year = int(match.group(2)) + (JUCHE_OFFSET if match.group(1) else 0)
    return _iso(year, int(match.group(3)), int(match.group(4)))


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


# -- kcna.kp ----------------------------------------------------------------------------------------------


def kcna_key(url: str) -> str | None:
    """The hex key of a kcna.kp article URL (`/en/article/q/<hex>.kcmsf`), the same in every menu."""
    match = _KCNA_KEY.search(urlsplit(url).path)
    return match.group(1).lower() if match else None


def extract_kcna(raw: bytes, url: str) -> ArticleFields | None:
    doc = _doc(raw)
    if doc is None:
        return None
    title = _first(doc, f"//*[{_has_class('article-main-title')}]", "//article//h1", "//h1", "//title")
    body = _paragraphs(doc, f"//*[{_has_class('content-wrapper')}]//p")
    if not body:
        body = _paragraphs(doc, "//article//p")
    body = _END_MARK.sub("", body)
    if not (title or body):
        return None
    stamp = _first(doc, f"//*[{_has_class('publish-time')}]")
    date = dotted_date(stamp) if stamp else None
    if date is None and (found := _KCNA_STAMP.search(title)):
        date = dotted_date(found.group(0))
    return ArticleFields(title=_KCNA_STAMP.sub("", title), body=body, date=date, id=kcna_key(url), lang=lang_of(url))


# -- rodong.rep.kp ----------------------------------------------------------------------------------------


def rodong_key(url: str) -> str | None:
    """The article key (`2026-02-19-003`) of a rodong.rep.kp URL: the base64 query of the current site
    (`index.php?MTJA...`, "12@2026-02-19-003@...") or the `newsID` of the old one. Menus give one article
    several URLs; the key is the same."""
    query = urlsplit(url).query
    news_id = parse_qs(query).get("newsID")
    if news_id:
        return news_id[0]
    if not query or "=" in query.rstrip("="):
        return None
    try:
        decoded = base64.b64decode(query + "=" * (-len(query) % 4), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    match = _RODONG_KEY.match(decoded)
    return match.group(1) if match else None


def extract_rodong(raw: bytes, url: str) -> ArticleFields | None:
    doc = _doc(raw)
    if doc is None:
        return None
    title = _first(doc, f"//*[{_has_class('TitleP')}]", f"//*[{_has_class('news_Title')}]", "//title")
    body = _paragraphs(doc, f"//*[{_has_class('TextP')}]")
    if not body:
        body = _paragraphs(doc, f"//p[{_has_class('ArticleContent')}]")
    if not (title or body):
        return None
    date = _word_date(_first(doc, "//*[@id='article-date']")) or dotted_date(
        _first(doc, f"//*[{_has_class('NewsDate')}]")
    )
    key = rodong_key(url)
    if date is None and key:
        date = key[:10]
    return ArticleFields(title=title, body=body, date=date, id=key, lang=lang_of(url))


def _word_date(text: str) -> str | None:
    """`Feb. 19, 2026 Thursday` or `Sept. 3, 2025` as an ISO date."""
    match = _WORD_DATE.search(text)
    if not match:
        return None
    month = _MONTHS.get(match.group(1)[:3].lower())
    return _iso(int(match.group(3)), month, int(match.group(2))) if month else None


# -- anything else ----------------------------------------------------------------------------------------


def extract_generic(raw: bytes, url: str) -> ArticleFields | None:
    from propscope.ingest.html import extract_page
    from propscope.model import Quarantined

    record = extract_page(raw, url, url=url)
    if isinstance(record, Quarantined):
        return None
    if record.title_end:
        title, body = record.text[: record.title_end], record.text[record.title_end :].lstrip("\n")
    else:
        title, body = "", record.text
    return ArticleFields(title=title, body=body, date=record.date, lang=record.lang)


def extract_auto(raw: bytes, url: str) -> ArticleFields | None:
    """By the page's site: the kcna.kp and rodong.rep.kp layouts, trafilatura for any other."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "kcna.kp" or host.endswith(".kcna.kp"):
        return extract_kcna(raw, url) or extract_generic(raw, url)
    if host == "rodong.rep.kp" or host.endswith(".rodong.rep.kp"):
        return extract_rodong(raw, url) or extract_generic(raw, url)
    return extract_generic(raw, url)


def html_to_text(fragment: str) -> str:
    """A feed's HTML content or summary as plain paragraphs."""
    if "<" not in fragment:
        return fragment.strip()
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ParserError, ValueError):
        return fragment.strip()
    blocks = root.xpath(".//p | .//li | .//h1 | .//h2 | .//h3 | .//blockquote")
    if not blocks:
        return _text(root)
    return "\n".join(t for t in (_text(b) for b in blocks) if t)
