"""Hostile sitemaps: a gzip bomb, too many URLs, too many or too deeply nested sitemaps. Each is read as a
stream within its limits and stops the run with one line naming the setting, before anything is ingested or
marked deleted; low limits stand in for giant listings."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from propscope.archive import Archive
from propscope.collect import collect
from propscope.collect.listings import sitemap_entries
from propscope.collect.profiles import resolve_profile
from propscope.errors import ListingTooLarge
from propscope.settings import Limits
from tests.cli_runner import run
from tests.collect_fixtures import DISPATCHES, FAST, Page, Site, plain_page, serve, sitemap

URLSET = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


def index(base: str, paths: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{base}{p}</loc></sitemap>" for p in paths)
    return f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'


def test_a_sitemap_gzip_bomb_stops_at_the_size_cap() -> None:
    """The real shape: 2 MB of gzip unpacked to 4.3 GB before the cap applied; now it stops at the cap."""
    bomb = gzip.compress(URLSET + b" " * (60 * 1024 * 1024))  # 60 MB of white space in 60 kB
    with pytest.raises(ListingTooLarge, match=r"unpacks to over 52,428,800 bytes; raise PROPSCOPE_MAX_SITEMAP_BYTES"):
        sitemap_entries(bomb, "http://news.example/sitemap.xml.gz")


def test_a_sitemap_over_its_url_limit_stops() -> None:
    many = sitemap("http://news.example", list(range(120))).encode()
    assert len(sitemap_entries(many, "http://news.example/s", Limits(sitemap_urls=120))[0]) == 120
    with pytest.raises(ListingTooLarge, match=r"names over 100 URLs; raise PROPSCOPE_MAX_SITEMAP_URLS"):
        sitemap_entries(gzip.compress(many), "http://news.example/s", Limits(sitemap_urls=100))


def site_with_pages() -> Site:
    site = Site()
    for n, (title, body) in enumerate(DISPATCHES):
        site.put(f"/news/{n}.html", plain_page(title, body))
    return site


def test_a_bomb_served_as_a_sitemap_stops_the_run_and_deletes_nothing(db: str) -> None:
    site = site_with_pages()
    with serve(site):
        site.put("/sitemap.xml", sitemap(site.base, [0, 1, 2, 3]), "application/xml")
        profile = resolve_profile(f"{site.base}/sitemap.xml")
        assert collect(db, profile, settings=FAST).added == 4
        site.pages["/sitemap.xml"] = Page(gzip.compress(URLSET + b" " * 3_000_000), "application/x-gzip")
        with pytest.raises(ListingTooLarge, match="raise PROPSCOPE_MAX_SITEMAP_BYTES"):
            collect(db, profile, settings=FAST, limits=Limits(sitemap_bytes=1_000_000))
    with Archive(db, readonly=True) as archive:
        assert len(list(archive.search(None, limit=10))) == 4


def test_too_many_sitemaps_stop_the_run(db: str) -> None:
    site = site_with_pages()
    with serve(site):
        for n in range(4):
            site.put(f"/s{n}.xml", sitemap(site.base, [n]), "application/xml")
        site.put("/sitemap.xml", index(site.base, [f"/s{n}.xml" for n in range(4)]), "application/xml")
        profile = resolve_profile(f"{site.base}/sitemap.xml")
        with pytest.raises(ListingTooLarge, match=r"over 3 sitemaps; raise PROPSCOPE_MAX_SITEMAPS"):
            collect(db, profile, settings=FAST, limits=Limits(sitemaps=3))
        assert collect(db, profile, settings=FAST, limits=Limits(sitemaps=5)).added == 4


def test_sitemap_indexes_nested_too_deep_stop_the_run(db: str, tmp_path: Path) -> None:
    site = site_with_pages()
    with serve(site):
        site.put("/sitemap.xml", index(site.base, ["/level1.xml"]), "application/xml")
        site.put("/level1.xml", index(site.base, ["/level2.xml"]), "application/xml")
        site.put("/level2.xml", index(site.base, ["/level3.xml"]), "application/xml")
        site.put("/level3.xml", sitemap(site.base, [0, 1]), "application/xml")
        profile = resolve_profile(f"{site.base}/sitemap.xml")
        with pytest.raises(ListingTooLarge, match=r"nested 3 sitemap indexes deep, over the limit of 2"):
            collect(db, profile, settings=FAST, limits=Limits(sitemap_depth=2))
        assert collect(db, profile, settings=FAST, limits=Limits(sitemap_depth=3)).added == 2


def test_the_command_stops_with_one_line_naming_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = site_with_pages()
    monkeypatch.setenv("PROPSCOPE_MAX_SITEMAP_URLS", "2")
    with serve(site):
        site.put("/sitemap.xml", sitemap(site.base, [0, 1, 2, 3]), "application/xml")
        code, _, err = run(
            "collect",
            f"sitemap:{site.base}/sitemap.xml",
            "--db",
            str(tmp_path / "a.sqlite"),
            "--delay",
            "0.1",
            "--allow-private",
            "--quiet",
        )
    assert code == 1
    (line,) = err.strip().splitlines()  # one line, no traceback
    assert line.startswith("error: ")
    assert line.endswith(
        f"sitemap {site.base}/sitemap.xml names over 2 URLs; raise PROPSCOPE_MAX_SITEMAP_URLS to read it"
    )
