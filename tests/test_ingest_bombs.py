"""Hostile web pages and gzip files: each costs bounded work and is quarantined with the setting that would let
it in, while the rest of its folder lands (exit 3). Built here, small; low limits stand in for giant inputs."""

from __future__ import annotations

import gzip
import importlib.abc
import json
import sys
from pathlib import Path

import pytest

from propscope.archive import Archive
from propscope.errors import UsageError
from propscope.ingest import read_inputs, record_from_raw
from propscope.ingest.html import extract_page, page_cost
from propscope.model import Quarantined, RawRecord
from propscope.settings import Limits, Settings
from tests.cli_runner import run

GOOD = "Pyongyang, March 3 (KCNA) -- Farmers of South Hwanghae Province finished threshing ahead of schedule.\n"
PARAGRAPH = "<p>Pyongyang, March 3 (KCNA) -- Farmers of South Hwanghae Province finished threshing early.</p>"


def page(body: str, attributes: str = "") -> bytes:
    return (
        f"<html><head><title>Threshing Finished</title></head><body><article {attributes}>"
        f"{PARAGRAPH * 5}{body}</article></body></html>"
    ).encode()


def attribute_bomb(count: int) -> bytes:
    return page("", " ".join(f'a{i}="v"' for i in range(count)))


def folder_with(tmp_path: Path, name: str, content: bytes) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("Threshing Finished\n\n" + GOOD, encoding="utf-8")
    (folder / name).write_bytes(content)
    return folder


def reason_the_folder_lands_without(folder: Path, tmp_path: Path) -> str:
    """Ingest the folder: exit 3, the good file stored, one item quarantined; its reason."""
    db = str(tmp_path / "a.sqlite")
    code, _, err = run("ingest", str(folder), "--db", db)
    assert code == 3, err
    with Archive(db, readonly=True) as archive:
        assert [hit.title for hit in archive.search(None, limit=10)] == ["Threshing Finished"]
        (item,) = archive.quarantine()
    return item.reason


def quarantined(items: list[RawRecord | Quarantined]) -> dict[str, str]:
    return {Path(q.origin).name: q.reason for q in items if isinstance(q, Quarantined)}


def test_a_page_of_100000_attributes_is_quarantined_at_once_and_the_folder_lands(tmp_path: Path) -> None:
    """The real case: trafilatura took over 150 s on it; counted first, it costs a regular expression."""
    folder = folder_with(tmp_path, "bomb.html", attribute_bomb(100_000))
    assert reason_the_folder_lands_without(folder, tmp_path) == (
        "web page has 100,000 attributes, over the limit of 20,000; raise PROPSCOPE_MAX_HTML_ATTRIBUTES to read it"
    )


@pytest.mark.parametrize(
    ("limits", "content", "setting"),
    [
        (Limits(html_attributes=500), attribute_bomb(2_000), "PROPSCOPE_MAX_HTML_ATTRIBUTES"),
        (Limits(html_elements=300), page("<div><span>x</span></div>" * 1_000), "PROPSCOPE_MAX_HTML_ELEMENTS"),
        (Limits(html_bytes=2_000), page("<p>more text of the dispatch</p>" * 200), "PROPSCOPE_MAX_HTML_BYTES"),
    ],
)
def test_a_page_over_a_limit_is_quarantined_naming_it(
    tmp_path: Path, limits: Limits, content: bytes, setting: str
) -> None:
    items = list(read_inputs([folder_with(tmp_path, "page.html", content)], limits))
    assert [i.origin for i in items if isinstance(i, RawRecord)] == [str(tmp_path / "in" / "good.txt")]
    assert setting in quarantined(items)["page.html"]
    assert isinstance(extract_page(content, "x", limits=Limits()), RawRecord)  # the defaults let it in


def test_limits_reach_ingest_from_the_environment(tmp_path: Path) -> None:
    folder = folder_with(tmp_path, "page.html", attribute_bomb(2_000))
    settings = Settings.from_env({"PROPSCOPE_MAX_HTML_ATTRIBUTES": "1,000"})
    with Archive(str(tmp_path / "a.sqlite"), settings=settings) as archive:
        result = archive.ingest([folder], workers=1)
        (item,) = archive.quarantine()
    assert (result.added, result.quarantined) == (1, 1)
    assert "2,000 attributes, over the limit of 1,000" in item.reason


def test_a_page_that_takes_too_long_is_quarantined(tmp_path: Path) -> None:
    """Under every count but slow to extract: the time budget stops it (a tiny budget stands in for a slow page)."""
    content = page("<div><p>Another paragraph of the report, with <b>emphasis</b>.</p></div>" * 3_000)
    items = list(read_inputs([folder_with(tmp_path, "slow.html", content)], Limits(html_seconds=0.01)))
    assert quarantined(items) == {
        "slow.html": "extracting the page's text took over 0.01 s; raise PROPSCOPE_MAX_HTML_SECONDS to read it"
    }
    assert sum(isinstance(i, RawRecord) for i in items) == 1


def test_the_counts_see_through_quoted_values() -> None:
    tag = b"<div class=\"a b c\" id=x data-y='1 2 = 3' hidden>text with < and = signs</div>"
    assert page_cost(tag * 10) == (10, 40)


def test_an_unreadable_page_is_quarantined_and_the_folder_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = folder_with(tmp_path, "locked.html", page(""))
    (folder / "folder.html").mkdir()  # a folder named like a page is looked into, not read
    (folder / "folder.html" / "inner.txt").write_text("Inner Report\n\n" + GOOD, encoding="utf-8")
    locked = folder / "locked.html"
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    items = list(read_inputs([folder]))
    assert quarantined(items) == {"locked.html": "cannot read the web page: Permission denied"}
    assert sum(isinstance(i, RawRecord) for i in items) == 2


class _BrokenTrafilatura(importlib.abc.MetaPathFinder):
    """Importing trafilatura fails as it does where lxml comes without its HTML cleaner."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "trafilatura":
            raise ImportError("lxml.html.clean module is now a separate project lxml_html_clean")


def test_trafilatura_failing_to_load_costs_the_pages_not_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As after a plain `pip install .` where lxml's HTML cleaner is a separate package: importing fails."""
    monkeypatch.delitem(sys.modules, "trafilatura", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_BrokenTrafilatura(), *sys.meta_path])
    folder = folder_with(tmp_path, "page.html", page(""))
    assert reason_the_folder_lands_without(folder, tmp_path) == (
        "cannot extract web pages: trafilatura does not load"
        " (ImportError: lxml.html.clean module is now a separate project lxml_html_clean)"
    )
    # a reparse and a collector reach the same extraction: a stored page is quarantined there too
    again = record_from_raw("html", page(""), "stored.html", None)
    assert isinstance(again, Quarantined) and "trafilatura does not load" in again.reason


def test_a_gzip_of_newlines_is_stopped_at_its_cap(tmp_path: Path) -> None:
    """The record before the bomb lands; the rest of the file is quarantined with the setting to raise."""
    first = json.dumps({"id": "a", "title": "Threshing Finished", "body": GOOD}) + "\n"
    after = json.dumps({"id": "b", "title": "After the Bomb", "body": GOOD}) + "\n"
    bomb = tmp_path / "dump.jsonl.gz"
    bomb.write_bytes(gzip.compress(first.encode() + b"\n" * 4_000_000 + after.encode()))
    items = list(read_inputs([bomb], Limits(gunzip_bytes=1024 * 1024)))
    assert [i.record_id for i in items if isinstance(i, RawRecord)] == ["a"]
    (stopped,) = [i for i in items if isinstance(i, Quarantined)]
    assert "unpacks to over 1,048,576 bytes; raise PROPSCOPE_MAX_GUNZIP_BYTES to read it" in stopped.reason


def test_a_gzip_bomb_is_stopped_by_its_packing_ratio(tmp_path: Path) -> None:
    """The real shape: 200 kB of gzip holding 200 MB of newlines took 130 s; it packs 1,000 to 1."""
    bomb = tmp_path / "dump.jsonl.gz"
    record = json.dumps({"id": "a", "title": "Threshing Finished", "body": GOOD}) + "\n"
    newlines = gzip.compress(b"\n" * 1024 * 1024)  # 1 MB in 1 kB; 40 such members follow one another
    bomb.write_bytes(gzip.compress(record.encode()) + newlines * 40)
    items = list(read_inputs([bomb]))
    assert [i.record_id for i in items if isinstance(i, RawRecord)] == ["a"]
    (stopped,) = [i for i in items if isinstance(i, Quarantined)]
    assert "times its size (a gzip bomb?); raise PROPSCOPE_MAX_GUNZIP_RATIO" in stopped.reason


def test_a_limit_that_is_no_positive_number_is_an_error_naming_it() -> None:
    with pytest.raises(UsageError, match=r"PROPSCOPE_MAX_SITEMAPS='0' is not a positive number \(its default: 1,000\)"):
        Settings.from_env({"PROPSCOPE_MAX_SITEMAPS": "0"})
    assert Settings.from_env({"PROPSCOPE_MAX_HTML_SECONDS": "2.5"}).limits.html_seconds == 2.5
