"""collect/fetch.py: robots.txt, retries with backoff, the address guard, politeness, the size cap."""

from __future__ import annotations

import gzip
import socket
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from propscope import outbound
from propscope.cli import app
from propscope.collect import collect
from propscope.collect.fetch import Fetcher, check_address, retry_after_seconds
from propscope.collect.profiles import KCNA
from propscope.errors import AddressRefused, FetchError, RobotsDisallowed
from tests.collect_fixtures import FAST, Site, kcna_article, kcna_category, kcna_key, kcna_site, serve


def test_robots_disallow_is_honoured(db: str) -> None:
    site = kcna_site([0, 1, 2, 3])
    category = "/en/category/articles/q/5394b80a1f2c1b5aa2a2e2bb.kcmsf"
    site.put(category, kcna_category([0, 2]).replace("</ul>", '<li><a href="/private/x">x</a></li></ul>'))
    with serve(site), Fetcher(FAST) as fetcher:
        with pytest.raises(RobotsDisallowed, match="robots.txt"):
            fetcher.get(f"{site.base}/private/x")
        assert fetcher.allowed(f"{site.base}/en") and not site.hits("/private/x")
    site.put("/robots.txt", "User-agent: propscope\nDisallow: /en/article/\n", "text/plain")
    with serve(site):
        result = collect(db, KCNA.rebased(site.base), settings=FAST)
    assert result.robots_skipped == 4 and result.fetched == 0
    assert not [h for h in site.log if "/article/" in h.path]


def test_a_503_is_retried_with_growing_backoff_then_succeeds() -> None:
    site = kcna_site()
    path = f"/en/article/q/{kcna_key(0)}.kcmsf"
    site.script[path] = [(503, {}), (503, {})]
    slept: list[float] = []
    with serve(site), Fetcher(replace(FAST, backoff_s=1.0, max_backoff_s=10.0), sleep=slept.append) as fetcher:
        response = fetcher.get(site.base + path)
    assert response.status == 200 and b"Threshing" in response.body
    assert [h.status for h in site.hits(path)] == [503, 503, 200]
    assert slept == [1.0, 2.0]


def test_retry_after_is_honoured_and_retries_end() -> None:
    site = kcna_site()
    path = f"/en/article/q/{kcna_key(0)}.kcmsf"
    site.script[path] = [(429, {"Retry-After": "7"})] + [(503, {})] * 3
    slept: list[float] = []
    settings = replace(FAST, backoff_s=1.0, max_backoff_s=30.0, retries=3)
    with (
        serve(site),
        Fetcher(settings, sleep=slept.append) as fetcher,
        pytest.raises(FetchError, match="HTTP 503 after 4 tries"),
    ):
        fetcher.get(site.base + path)
    assert slept == [7.0, 2.0, 4.0]
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0 and retry_after_seconds("soon") is None


def test_private_addresses_are_refused_unless_allowed(db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROPSCOPE_ALLOW_PRIVATE", raising=False)
    for url in ("http://127.0.0.1/", "http://10.1.2.3/feed", "http://169.254.169.254/latest", "http://[::1]/"):
        with pytest.raises(AddressRefused, match="private, loopback or reserved"):
            check_address(url, allow_private=False)
    with pytest.raises(FetchError, match="only http and https"):
        check_address("file:///etc/passwd", allow_private=True)
    with serve(kcna_site()) as site:
        with pytest.raises(AddressRefused):
            collect(db, KCNA.rebased(site.base), settings=replace(FAST, allow_private=False))
        assert site.log == []  # refused before any request
        result = CliRunner().invoke(app, ["collect", f"feed:{site.base}/feed.xml", "--db", db, "-q"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused: 127.0.0.1 resolves to 127.0.0.1" in lines[0] and "--allow-private" in lines[0]


def test_requests_to_one_host_are_spaced_by_the_delay() -> None:
    with serve(kcna_site()) as site, Fetcher(replace(FAST, delay_s=0.15)) as fetcher:
        for n in range(3):
            fetcher.get(f"{site.base}/en/article/q/{kcna_key(n)}.kcmsf")
    times = [h.at for h in site.log]
    assert [h.path for h in site.log][0] == "/robots.txt" and len(times) == 4
    assert all(later - earlier >= 0.15 for earlier, later in zip(times, times[1:], strict=False))


def test_conditional_get_and_gone_pages() -> None:
    site = kcna_site()
    url_path = f"/en/article/q/{kcna_key(0)}.kcmsf"
    with serve(site), Fetcher(FAST) as fetcher:
        first = fetcher.get(site.base + url_path)
        second = fetcher.get(site.base + url_path, etag=first.etag, last_modified=first.last_modified)
        missing = fetcher.get(site.base + "/en/article/q/0000000000000000.kcmsf")
    assert first.status == 200 and second.not_modified and second.body == b"" and missing.gone


def test_a_response_over_the_size_cap_is_refused() -> None:
    site = Site()
    site.put("/big", kcna_article("Big", "word " * 5000))
    site.put("/zipped", kcna_article("Zipped", "word " * 100))
    site.pages["/zipped"].gzip = gzip.compress(site.pages["/zipped"].body)
    site.put("/bomb", "")
    site.pages["/bomb"].gzip = gzip.compress(b" " * 5_000_000)  # 5 kB on the wire, 5 MB unpacked
    with serve(site), Fetcher(replace(FAST, max_bytes=10_000)) as fetcher:
        assert b"Zipped" in fetcher.get(site.base + "/zipped").body
        with pytest.raises(FetchError, match="over the cap"):
            fetcher.get(site.base + "/bomb")
    with (
        serve(site),
        Fetcher(replace(FAST, max_bytes=10_000)) as fetcher,
        pytest.raises(FetchError, match="over the cap"),
    ):
        fetcher.get(site.base + "/big")


def test_redirects_are_followed_through_the_same_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    site = kcna_site()
    target = f"/en/article/q/{kcna_key(0)}.kcmsf"
    site.script["/old"] = [(301, {"Location": target})]
    site.script["/outside"] = [(302, {"Location": "http://10.0.0.1/secret"})]
    with serve(site), Fetcher(FAST) as fetcher:
        assert fetcher.get(site.base + "/old").url == site.base + target
    guard = outbound.public_addresses  # the test server is on loopback: let it alone through, as if it were public
    monkeypatch.setattr(
        outbound, "public_addresses", lambda url, host, port: [host] if host == "127.0.0.1" else guard(url, host, port)
    )
    with (
        serve(site),
        Fetcher(replace(FAST, allow_private=False)) as fetcher,
        pytest.raises(AddressRefused, match="10.0.0.1"),
    ):
        fetcher.get(site.base + "/outside")


def test_a_name_resolving_public_for_the_check_and_private_for_the_connection_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS rebinding: the connection uses the very answer that was checked, so the second, private answer
    is refused before anything is sent."""
    real = socket.getaddrinfo
    # The first two lookups are the checks (the page, then its robots.txt): public. The third is the one the
    # connection uses: loopback, as a rebinding name would answer by then.
    answers = iter(["93.184.216.34", "93.184.216.34"])

    def rebinding(host: str, port: object, *args: object, **kwargs: object) -> list[object]:
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)  # type: ignore[arg-type]
        address = next(answers, "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with serve(kcna_site()) as site, Fetcher(replace(FAST, allow_private=False)) as fetcher:
        port = site.base.rsplit(":", 1)[1]
        with pytest.raises(AddressRefused, match="127.0.0.1"):
            fetcher.get(f"http://rebind.example:{port}/robots.txt")
        assert site.log == []


def test_every_spelling_of_this_machine_is_refused_before_any_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """The forms a resolver accepts for 127.0.0.1 and the IPv6 addresses that carry it (mapped, NAT64, 6to4,
    Teredo, IPv4-compatible), the unspecified addresses and localhost: the site on loopback sees nothing."""
    forms = [
        "127.0.0.1", "localhost", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0.0.0.0", "0", "[::]",
        "[::1]", "[::ffff:127.0.0.1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "[2002:7f00:1::]",
        "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "[fe80::1]", "[fc00::1]",
    ]  # fmt: skip
    with serve(kcna_site()) as site, Fetcher(replace(FAST, allow_private=False)) as fetcher:
        port = site.base.rsplit(":", 1)[1]
        for host in forms:
            with pytest.raises(AddressRefused, match="private, loopback or reserved"):
                fetcher.get(f"http://{host}:{port}/robots.txt")
        assert site.log == []
    for public in ("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946", "2002:5db8:d822::", "::ffff:8.8.8.8"):
        assert outbound.is_public(outbound.literal_address(public))  # type: ignore[arg-type]
