"""What a listing holds: article links out of an index page, the items of an RSS/Atom feed, the URLs of a
sitemap (or of the sitemaps a sitemap index names). Pure functions over fetched bytes; fetching is elsewhere."""

from __future__ import annotations

import io
import re
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
from lxml.etree import ParserError

from propscope.collect.extract import html_to_text
from propscope.errors import ListingTooLarge
from propscope.ingest.streams import GZIP_MAGIC, UnpackLimitError, gunzip_pieces
from propscope.settings import DEFAULT_LIMITS, Limits


@dataclass(frozen=True, slots=True)
class ListingItem:
    """One article a listing holds, with what the listing itself says of it."""

    url: str
    id: str | None = None  # the feed's guid, or the site's article key
    title: str | None = None
    date: str | None = None
    summary: str | None = None  # a feed item's text: used when the page cannot be fetched or read
    lastmod: str | None = None  # a sitemap's <lastmod>

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ListingItem:
        return cls(
            url=str(data["url"]),
            id=data.get("id"),
            title=data.get("title"),
            date=data.get("date"),
            summary=data.get("summary"),
            lastmod=data.get("lastmod"),
        )


def index_links(
    raw: bytes, page_url: str, article: re.Pattern[str], follow: re.Pattern[str] | None
) -> tuple[list[str], list[str]]:
    """(article URLs, further index pages) linked from an index page, in page order, on the page's own host.

    Patterns match the link's path and query (`/en/article/q/<hex>.kcmsf`), so a mirror or a test server
    on another host reads the same."""
    try:
        doc = lxml.html.document_fromstring(raw)
    except (ParserError, ValueError):
        return [], []
    host = urlsplit(page_url).netloc
    articles: list[str] = []
    pages: list[str] = []
    for href in doc.xpath("//a/@href"):
        url = urldefrag(urljoin(page_url, str(href).strip())).url
        parts = urlsplit(url)
        if parts.netloc != host or parts.scheme not in ("http", "https"):
            continue
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if article.search(local):
            articles.append(url)
        elif follow is not None and follow.search(local):
            pages.append(url)
    return _unique(articles), _unique(pages)


def feed_items(raw: bytes, feed_url: str) -> tuple[list[ListingItem], str | None]:
    """The items of an RSS or Atom feed (feedparser reads both and their dialects), and the feed's language."""
    import feedparser

    parsed = feedparser.parse(raw, response_headers={"content-location": feed_url})
    items: list[ListingItem] = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        content = entry.get("content") or []
        text = (content[0].get("value") if content else None) or entry.get("summary") or ""
        items.append(
            ListingItem(
                url=urljoin(feed_url, link),
                id=entry.get("id") or None,
                title=" ".join((entry.get("title") or "").split()) or None,
                date=time.strftime("%Y-%m-%d", stamp) if stamp else None,
                summary=html_to_text(text) or None,
            )
        )
    language = parsed.feed.get("language") if parsed.get("feed") else None
    return items, (language.split("-")[0].lower() if language else None)


def sitemap_entries(
    raw: bytes, sitemap_url: str, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[ListingItem], list[str]]:
    """(URLs of a urlset, child sitemaps of a sitemap index); gzip sitemaps are read too. A sitemap is an
    exhaustive listing by definition: what it no longer names is gone from the site. Read as a stream within
    `limits` (bytes unpacked, URLs named): one over them raises ListingTooLarge, never half read."""
    try:
        pieces = _sitemap_pieces(raw, sitemap_url, limits)
        parser: ET.XMLPullParser[ET.Element] = ET.XMLPullParser(events=("start", "end"))
        items: list[ListingItem] = []
        children: list[str] = []
        depth = 0
        for piece in pieces:
            parser.feed(piece)
            for event in parser.read_events():
                kind, element = event if len(event) == 2 else ("", None)  # typeshed allows other shapes
                if not isinstance(element, ET.Element):
                    continue
                if kind == "start":
                    depth += 1
                    continue
                depth -= 1
                if depth != 1:  # only the root's children are entries; their own children are read with them
                    continue
                _entry(element, sitemap_url, items, children)
                element.clear()  # an entry read is dropped: a sitemap of 50,000 URLs is never held as a tree
                if len(items) + len(children) > limits.sitemap_urls:
                    raise ListingTooLarge(
                        f"sitemap {sitemap_url} names over {limits.sitemap_urls:,} URLs;"
                        " raise PROPSCOPE_MAX_SITEMAP_URLS to read it"
                    )
        parser.close()
    except (ET.ParseError, OSError, EOFError, zlib.error):
        return [], []
    return items, children


def _sitemap_pieces(raw: bytes, sitemap_url: str, limits: Limits) -> Iterator[bytes]:
    """A sitemap's bytes in pieces, unpacked as they are read if gzip, within the size limit."""
    over = f"sitemap {sitemap_url} is over {limits.sitemap_bytes:,} bytes; raise PROPSCOPE_MAX_SITEMAP_BYTES to read it"
    if raw[:2] != GZIP_MAGIC:
        if len(raw) > limits.sitemap_bytes:
            raise ListingTooLarge(over)
        yield raw
        return
    source = io.BytesIO(raw)
    try:
        yield from gunzip_pieces(
            source.read,
            max_bytes=limits.sitemap_bytes,
            max_ratio=None,  # the size cap is the sitemaps protocol's own; a sitemap packs as well as it likes
            what=f"sitemap {sitemap_url}",
            max_bytes_setting="PROPSCOPE_MAX_SITEMAP_BYTES",
        )
    except UnpackLimitError as exc:
        raise ListingTooLarge(str(exc)) from None


def _entry(element: ET.Element, sitemap_url: str, items: list[ListingItem], children: list[str]) -> None:
    loc = _child_text(element, "loc")
    if not loc:
        return
    url = urljoin(sitemap_url, loc)
    name = _local(element.tag)
    if name == "sitemap":
        children.append(url)
    elif name == "url":
        lastmod = _child_text(element, "lastmod")
        items.append(ListingItem(url=url, lastmod=lastmod, date=lastmod[:10] if lastmod else None))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(element: ET.Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def _unique(urls: list[str]) -> list[str]:
    return list(dict.fromkeys(urls))
