"""collect/run.py: a run ingests a listing's articles; revisits feed versions and deletions."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest

from propscope.archive import Archive
from propscope.collect import collect
from propscope.collect import run as collect_run
from propscope.collect.profiles import KCNA, RODONG, resolve_profile
from tests.collect_fixtures import (
    DISPATCHES,
    FAST,
    Site,
    forbid_temporary_files,
    kcna_article,
    kcna_key,
    kcna_site,
    plain_page,
    rodong_article,
    rodong_front,
    rodong_query,
    rss,
    serve,
    set_kcna_index,
    sitemap,
)


@pytest.fixture(autouse=True)
def _state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A PostgreSQL archive's collector state goes to the user's state folder, under the home folder: the
    test's own, here."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


def titles(db: str) -> dict[str, int]:
    with Archive(db, readonly=True) as archive:
        return {hit.title: hit.id for hit in archive.search(None, limit=100, sort="date")}


def test_first_run_ingests_every_article_of_the_index(db: str) -> None:
    with serve(kcna_site()) as site:
        result = collect(db, KCNA.rebased(site.base), settings=FAST)
    assert (result.listed, result.fetched, result.added) == (4, 4, 4)
    assert set(titles(db)) == {title for title, _ in DISPATCHES}
    with Archive(db, readonly=True) as archive:
        article = archive.article(titles(db)[DISPATCHES[0][0]])
    assert article.date == "2026-11-27"  # from the page's Juche stamp: Juche 115 is 2026
    assert article.source == "kcna.kp" and "-0-" not in article.text


def test_records_go_to_ingest_with_no_temporary_file(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(kcna_site()) as site:
        profile = KCNA.rebased(site.base)
        forbid_temporary_files(monkeypatch)
        first = collect(db, profile, settings=FAST)
        again = collect(db, profile, settings=FAST)  # the kept records, re-emitted, are the bytes ingested
    assert (first.added, again.added, again.unchanged, again.new_versions) == (4, 0, 4, 0)


@pytest.mark.engines
def test_second_run_asks_conditionally_and_adds_nothing(db: str) -> None:
    with serve(kcna_site()) as site:
        profile = KCNA.rebased(site.base)
        collect(db, profile, settings=FAST)
        site.log.clear()
        again = collect(db, profile, settings=FAST)
    article_hits = [h for h in site.log if "/article/" in h.path]
    assert len(article_hits) == 4
    assert all(h.headers.get("if-none-match") and h.headers.get("if-modified-since") for h in article_hits)
    assert all(h.status == 304 for h in site.log if h.path != "/robots.txt")
    assert (again.not_modified, again.fetched, again.added, again.new_versions, again.deleted) == (4, 0, 0, 0, 0)
    assert again.unchanged == 4  # the 304s were re-emitted: the listing saw them


@pytest.mark.engines
def test_an_edited_article_becomes_a_version(db: str) -> None:
    with serve(kcna_site()) as site:
        profile = KCNA.rebased(site.base)
        collect(db, profile, settings=FAST)
        title, body = DISPATCHES[1]
        site.put(f"/en/article/q/{kcna_key(1)}.kcmsf", kcna_article(title, body + "\nThe exhibition lasts a week."))
        result = collect(db, profile, settings=FAST)
    assert (result.fetched, result.not_modified, result.new_versions, result.added) == (1, 3, 1, 0)
    with Archive(db, readonly=True) as archive:
        versions = archive.store.versions(titles(db)[title])
    assert len(versions) == 2 and "lasts a week" in versions[-1]["text"]


@pytest.mark.engines
def test_a_version_is_seen_when_its_page_was_fetched(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The collector's fetch time, not the ingest's, is when each text was seen; a page fetched again with the
    same text keeps its first fetch time."""
    with serve(kcna_site()) as site:
        profile = KCNA.rebased(site.base)
        monkeypatch.setattr(collect_run, "fetch_stamp", lambda: "2026-11-27T10:00:00+00:00")
        collect(db, profile, settings=FAST)
        title, body = DISPATCHES[1]
        site.put(f"/en/article/q/{kcna_key(1)}.kcmsf", kcna_article(title, body + "\nThe exhibition lasts a week."))
        same_text = kcna_article(*DISPATCHES[2]) + "\n<!-- served again -->\n"  # a new ETag: a 200 of the same text
        site.put(f"/en/article/q/{kcna_key(2)}.kcmsf", same_text)
        monkeypatch.setattr(collect_run, "fetch_stamp", lambda: "2026-11-28T10:00:00+00:00")
        result = collect(db, profile, settings=FAST)
    assert (result.new_versions, result.unchanged) == (1, 3)
    with Archive(db, readonly=True) as archive:
        ids = titles(db)
        edited = [v.seen_at for v in archive.versions(ids[title])]
        same = [v.seen_at for v in archive.versions(ids[DISPATCHES[2][0]])]
    assert edited == ["2026-11-27T10:00:00+00:00", "2026-11-28T10:00:00+00:00"]
    assert same == ["2026-11-27T10:00:00+00:00"]


@pytest.mark.engines
def test_an_article_gone_from_index_and_site_is_deleted_and_one_only_off_the_index_is_not(db: str) -> None:
    with serve(kcna_site()) as site:
        profile = KCNA.rebased(site.base)
        collect(db, profile, settings=FAST)
        set_kcna_index(site, [0, 1])  # 2 and 3 scroll off the index page
        del site.pages[f"/en/article/q/{kcna_key(3)}.kcmsf"]  # and 3 is withdrawn from the site
        result = collect(db, profile, settings=FAST)
        assert (result.listed, result.gone, result.deleted) == (2, 1, 1)
        with Archive(db, readonly=True) as archive:
            deleted = archive.store.deleted()
        assert [(d["title"], d["listing"]) for d in deleted] == [(DISPATCHES[3][0], "kcna.kp")]
        site.put(f"/en/article/q/{kcna_key(3)}.kcmsf", kcna_article(*DISPATCHES[3]))
        back = collect(db, profile, settings=FAST)
    assert back.restored == 1 and back.deleted == 0


def test_a_url_a_sitemap_drops_is_deleted(db: str) -> None:
    site = Site()
    for n, (title, body) in enumerate(DISPATCHES):
        site.put(f"/news/{n}.html", plain_page(title, body))
    with serve(site):
        site.put("/sitemap.xml", sitemap(site.base, [0, 1, 2, 3]), "application/xml")
        profile = resolve_profile(f"{site.base}/sitemap.xml")
        assert profile.kind == "sitemap" and profile.complete
        first = collect(db, profile, settings=FAST)
        site.put("/sitemap.xml", sitemap(site.base, [0, 1, 2]), "application/xml")
        second = collect(db, profile, settings=FAST)
    assert first.added == 4 and (second.listed, second.deleted, second.not_modified) == (3, 1, 3)


def test_a_feed_dropping_old_items_deletes_nothing(db: str) -> None:
    site = Site()
    for n, (title, body) in enumerate(DISPATCHES):
        site.put(f"/news/{n}.html", plain_page(title, body))
    with serve(site):
        site.put("/feed.xml", rss(site.base, [0, 1, 2]), "application/rss+xml")
        profile = resolve_profile(f"feed:{site.base}/feed.xml")
        first = collect(db, profile, settings=FAST)
        site.put("/feed.xml", rss(site.base, [2, 3]), "application/rss+xml")
        second = collect(db, profile, settings=FAST)
    assert first.added == 3 and second.added == 1 and second.deleted == 0
    with Archive(db, readonly=True) as archive:
        hit = archive.article(titles(db)[DISPATCHES[0][0]])
    assert hit.lang == "en" and hit.url is not None and hit.url.endswith("/news/0.html")


def test_rodong_pages_are_read_by_their_layout(db: str) -> None:
    site = Site()
    site.put("/en/", rodong_front([0, 2]))
    for n in (0, 2):
        site.put(f"/en/index.php?{rodong_query(n)}", rodong_article(*DISPATCHES[n]))
    with serve(site):
        result = collect(db, RODONG.rebased(site.base), settings=FAST)
    assert result.added == 2
    with Archive(db, readonly=True) as archive:
        article = archive.article(titles(db)[DISPATCHES[0][0]])
    assert article.date == "2026-11-27" and "document" not in article.text and article.record_id == "2026-11-27-000"


def test_max_pages_defers_new_articles_to_the_next_run(db: str, tmp_path: Path) -> None:
    with serve(kcna_site()) as site:
        profile = KCNA.rebased(site.base)
        first = collect(db, profile, settings=FAST, max_pages=3)
        second = collect(db, profile, settings=FAST, max_pages=3)
    assert (first.added, first.deferred) == (3, 1)
    assert second.added == 1 and second.deleted == 0


def test_articles_long_off_a_window_listing_are_rechecked_once_an_interval(db: str, tmp_path: Path) -> None:
    with serve(kcna_site()) as site:
        profile = replace(KCNA.rebased(site.base), revisit_every_s=3600.0)
        collect(db, profile, settings=FAST)
        set_kcna_index(site, [0, 1])
        collect(db, profile, settings=FAST)  # just left the index: asked at once
        with sqlite3.connect(db + ".collect.sqlite") as state:  # as if they had left two hours ago
            state.execute("UPDATE pages SET listed_at = listed_at - 7200")
        site.log.clear()
        result = collect(db, profile, settings=FAST)
    assert (result.listed, result.not_modified, result.kept, result.deleted) == (2, 2, 2, 0)
    assert sorted(h.path.rsplit("/", 1)[-1] for h in site.log if "/article/" in h.path) == sorted(
        f"{kcna_key(n)}.kcmsf" for n in (0, 1)
    )
