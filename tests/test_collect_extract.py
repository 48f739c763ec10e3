"""collect/extract.py and collect/listings.py: the sites' layouts, keys and dates; feeds and sitemaps."""

from __future__ import annotations

import gzip
import re

import pytest

from propscope.collect.extract import dotted_date, extract_kcna, extract_rodong, kcna_key, lang_of, rodong_key
from propscope.collect.listings import feed_items, index_links, sitemap_entries
from propscope.collect.profiles import KCNA, PROFILES, resolve_profile
from propscope.errors import ProfileError
from tests.collect_fixtures import DISPATCHES, kcna_article, kcna_category, rodong_article, rodong_query, rss, sitemap

KCNA_URL = "http://www.kcna.kp/en/article/q/04dcac6deb9f11a3e3d36f56f8d63da9.kcmsf"


def test_kcna_article_fields() -> None:
    title, body = DISPATCHES[0]
    page = kcna_article(title + " [Juche115.11.27.]", body).replace(
        "Farmers of", "Farmers of <nobr><span class='fSpecCs'>Ryongyon</span></nobr> County and"
    )
    fields = extract_kcna(page.encode(), KCNA_URL)
    assert fields is not None and fields.title == title
    assert fields.body.startswith("Pyongyang, November 27 (KCNA) -- Farmers of Ryongyon County and")
    assert not fields.body.endswith("-0-") and "\n" in fields.body
    assert (fields.date, fields.id, fields.lang) == ("2026-11-27", "04dcac6deb9f11a3e3d36f56f8d63da9", "en")


def test_rodong_article_fields_and_keys() -> None:
    url = f"http://www.rodong.rep.kp/en/index.php?{rodong_query(1)}"
    fields = extract_rodong(rodong_article(*DISPATCHES[1]).encode(), url)
    assert fields is not None and fields.title == DISPATCHES[1][0]
    assert fields.date == "2026-11-27" and fields.id == "2026-11-27-001" and "document" not in fields.body
    assert (
        rodong_key("http://www.rodong.rep.kp/en/index.php?MTJAMjAyNi0wMi0xOS0wMDNAMUAxQEAwQDhA==") == "2026-02-19-003"
    )
    assert rodong_key("http://rodong.rep.kp/en/index.php?strPageID=SF01_02_01&newsID=2021-09-12-0009") == (
        "2021-09-12-0009"
    )
    assert rodong_key("http://www.rodong.rep.kp/en/index.php?bm90IGFuIGFydGljbGU=") is None


def test_keys_dates_and_languages() -> None:
    assert kcna_key("http://kcna.kp/en/article/detail/05503f758d64c1a0328e43c2f83e4469") == (
        "05503f758d64c1a0328e43c2f83e4469"
    )
    assert kcna_key("http://kcna.kp/en/category/articles/q/5394b80a1f2c1b5a.kcmsf") is None
    assert dotted_date("www.kcna.kp (Juche113.11.10.)") == "2024-11-10"
    assert dotted_date("[2025.12.14.]") == "2025-12-14" and dotted_date("2025.13.40.") is None
    assert (lang_of("http://www.kcna.kp/kr/article/q/x.kcmsf"), lang_of("http://www.kcna.kp/cn/")) == ("ko", "zh")


def test_index_links_keep_articles_and_menus_on_the_same_host() -> None:
    page = kcna_category([0, 1]).replace(
        "</ul>", '<li><a href="http://elsewhere.example/en/article/q/0123456789abcdef0.kcmsf">x</a></li></ul>'
    )
    assert KCNA.article_pattern is not None
    articles, pages = index_links(page.encode(), "http://www.kcna.kp/en", KCNA.article_pattern, KCNA.follow_pattern)
    assert len(articles) == 2 and all(a.startswith("http://www.kcna.kp/en/article/q/") for a in articles)
    assert pages == []


def test_feed_and_sitemap_listings() -> None:
    items, lang = feed_items(rss("http://news.example", [0, 1]).encode(), "http://news.example/feed.xml")
    assert [i.url for i in items] == ["http://news.example/news/0.html", "http://news.example/news/1.html"]
    assert (items[0].id, items[0].date, items[0].title, lang) == ("news-0", "2026-11-27", DISPATCHES[0][0], "en")
    urls, children = sitemap_entries(
        gzip.compress(sitemap("http://news.example", [2]).encode()), "http://news.example/s"
    )
    assert [(u.url, u.lastmod) for u in urls] == [("http://news.example/news/2.html", "2026-11-27")] and children == []
    index = (
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>/sitemap-1.xml</loc></sitemap></sitemapindex>"
    )
    assert sitemap_entries(index.encode(), "http://news.example/sitemap.xml") == (
        [],
        ["http://news.example/sitemap-1.xml"],
    )
    assert sitemap_entries(b"<not xml", "http://news.example/sitemap.xml") == ([], [])


def test_profiles_are_resolved_by_name_or_url() -> None:
    assert set(PROFILES) == {"kcna.kp", "rodong.rep.kp"}
    assert not PROFILES["kcna.kp"].complete and PROFILES["rodong.rep.kp"].kind == "site"
    assert resolve_profile("feed:https://example.org/rss").kind == "feed"
    assert resolve_profile("https://example.org/atom.xml").name == "feed:https://example.org/atom.xml"
    assert resolve_profile("sitemap:https://example.org/map.xml").complete
    assert KCNA.rebased("http://127.0.0.1:8080").start_urls == ("http://127.0.0.1:8080/en",)
    with pytest.raises(ProfileError, match=re.escape("use one of kcna.kp, rodong.rep.kp")):
        resolve_profile("kcna")
