"""Source profiles as data: where a source's listing is, how to find its articles there, how to read an
article page, and whether the listing is complete.

A complete listing (a sitemap) names every current article: one it no longer names is deleted. A window
listing (an index page, a feed) shows only the latest items: one that scrolls off is not deleted; the
collector keeps it in the listing and revisits its page for a while, and only a 404 or 410 there marks it
deleted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from urllib.parse import urlsplit, urlunsplit

from propscope.collect.extract import (
    Extractor,
    extract_auto,
    extract_kcna,
    extract_rodong,
    kcna_key,
    rodong_key,
)
from propscope.errors import ProfileError

KINDS = ("site", "feed", "sitemap")


def _no_key(url: str) -> str | None:
    return None


@dataclass(frozen=True, slots=True)
class Profile:
    name: str  # also the archive's `source` of its articles and the name of its listing
    kind: str  # site (index pages), feed (RSS/Atom) or sitemap
    start_urls: tuple[str, ...]
    complete: bool  # the listing names every current article (see the module's docstring)
    extract: Extractor = extract_auto
    article_pattern: re.Pattern[str] | None = None  # site: links to articles, matched on path and query
    follow_pattern: re.Pattern[str] | None = None  # site: links to further index pages (one level)
    key_of: Callable[[str], str | None] = _no_key  # the article's key in a URL: one article, one listing entry
    lang: str | None = None
    max_index_pages: int = 60
    revisit_days: float = 14.0  # window listings: how long an article that left the listing is re-checked,
    revisit_every_s: float = 12 * 3600.0  # and how often (every run in the first such interval after it left)
    description: str = ""

    @property
    def listing(self) -> str:
        return self.name

    def rebased(self, base_url: str) -> Profile:
        """The same profile on another scheme and host (a mirror, a local copy, a test server)."""
        base = urlsplit(base_url)
        moved = tuple(urlunsplit((base.scheme, base.netloc, *urlsplit(u)[2:])) for u in self.start_urls)
        return replace(self, start_urls=moved)


KCNA = Profile(
    name="kcna.kp",
    kind="site",
    start_urls=("http://www.kcna.kp/en",),
    complete=False,
    extract=extract_kcna,
    article_pattern=re.compile(r"^/[a-z]{2}/article/q/[0-9a-f]{16,}\.kcmsf$", re.I),
    follow_pattern=re.compile(r"^/[a-z]{2}/category/articles/q/[0-9a-f]{16,}\.kcmsf$", re.I),
    key_of=kcna_key,
    lang="en",
    description="KCNA's English site: the home page's menu, each menu's latest articles",
)

RODONG = Profile(
    name="rodong.rep.kp",
    kind="site",
    start_urls=("http://www.rodong.rep.kp/en/",),
    complete=False,
    extract=extract_rodong,
    article_pattern=re.compile(r"/index\.php\?(?:MTJA[A-Za-z0-9+/]+=*|strPageID=SF01_02_01&newsID=[\w-]+)$"),
    follow_pattern=re.compile(r"/index\.php\?(?:MT[A-Za-z0-9+/]+=*|strPageID=SF01_01_0\d[\w&=]*)$"),
    key_of=rodong_key,
    lang="en",
    description="Rodong Sinmun's English site: the front page and its section pages",
)

PROFILES: dict[str, Profile] = {p.name: p for p in (KCNA, RODONG)}


def feed_profile(url: str) -> Profile:
    return Profile(name=f"feed:{url}", kind="feed", start_urls=(url,), complete=False, description="RSS/Atom feed")


def sitemap_profile(url: str) -> Profile:
    return Profile(name=f"sitemap:{url}", kind="sitemap", start_urls=(url,), complete=True, description="sitemap")


def resolve_profile(spec: str) -> Profile:
    """A registered name (kcna.kp, rodong.rep.kp), `feed:URL`, `sitemap:URL`, or a bare URL (a feed, or a
    sitemap when its path says sitemap)."""
    spec = spec.strip()
    if spec in PROFILES:
        return PROFILES[spec]
    prefix, _, rest = spec.partition(":")
    if prefix in ("feed", "sitemap") and rest.startswith(("http://", "https://")):
        return feed_profile(rest) if prefix == "feed" else sitemap_profile(rest)
    if spec.startswith(("http://", "https://")):
        return sitemap_profile(spec) if "sitemap" in urlsplit(spec).path.lower() else feed_profile(spec)
    known = ", ".join(PROFILES)
    raise ProfileError(f"unknown source {spec!r}: use one of {known}, feed:URL, sitemap:URL, or a feed's URL")
