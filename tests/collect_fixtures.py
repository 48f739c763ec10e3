"""A local web server for the collect tests, serving pages in the shapes of kcna.kp and rodong.rep.kp, an RSS
feed, a sitemap and robots.txt. Conditional GET, scripted failures and a request log make the collector's
manners observable. The dispatches are invented, in KCNA's style; none is a real article."""

from __future__ import annotations

import base64
import hashlib
import html
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from propscope.collect.fetch import FetchSettings


def forbid_temporary_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any temporary file or folder made from here on fails the test: records go to ingest as records."""

    def refused(*args: object, **kwargs: object) -> None:
        pytest.fail("a temporary file or folder was made")

    for name in ("mkdtemp", "mkstemp", "TemporaryDirectory", "TemporaryFile", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, name, refused)


FAST = FetchSettings(delay_s=0.0, retries=3, backoff_s=0.01, max_backoff_s=0.05, timeout_s=5.0, allow_private=True)

DISPATCHES = [
    (
        "Farmers in South Hwanghae Province Finish Autumn Threshing",
        "Pyongyang, November 27 (KCNA) -- Farmers of cooperative farms in South Hwanghae Province finished threshing"
        " ahead of schedule.\nThey introduced new methods of work and raised the rate of machinery use.",
    ),
    (
        "Exhibition of Light Industry Goods Opens in Pyongyang",
        "Pyongyang, November 27 (KCNA) -- An exhibition of light industry goods opened at the Three-Revolution"
        " Exhibition House.\nOn display are foodstuffs, textiles and daily necessities made of local materials.",
    ),
    (
        "Lecture Held on Traditions of Korean Architecture",
        "Pyongyang, November 26 (KCNA) -- A lecture on the traditions of Korean architecture was given at the"
        " Grand People's Study House.\nThe lecturer spoke of the features of old buildings in Kaesong.",
    ),
    (
        "New Hydropower Station Built in Jagang Province",
        "Pyongyang, November 26 (KCNA) -- A medium-sized hydropower station was built in Jagang Province.\n"
        "Its builders completed the dam and the power house in a short time, the report says.",
    ),
]


def kcna_key(n: int) -> str:
    return hashlib.sha256(f"kcna-{n}".encode()).hexdigest()[:48]


def rodong_query(n: int) -> str:
    return base64.b64encode(f"12@2026-11-27-00{n}@1@1@@0@8@".encode()).decode()


def kcna_article(title: str, body: str, stamp: str = "Juche115.11.27.") -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n"))
    return (
        "<!DOCTYPE html><html><head><title>KCNA Watch</title></head><body>"
        '<div class="article-content-title"><div class="article-main-title"><strong>'
        f"{html.escape(title)}</strong></div></div>"
        '<div class="media-icon"><a href="/en/media/photo/q/0a1b.kcmsf"><i class="fa fa-camera"></i></a></div>'
        f'<div class="article-content-body"><div class="content-wrapper">{paragraphs}<p>-0-</p>'
        f"<span class='publish-time'>www.kcna.kp ({stamp})</span></div></div></body></html>"
    )


def kcna_category(numbers: list[int]) -> str:
    items = "".join(
        f'<li><a href="/en/article/q/{kcna_key(n)}.kcmsf">{html.escape(DISPATCHES[n][0])}</a>'
        '<span class="publish-time">[2026.11.27.]</span></li>'
        for n in numbers
    )
    return f'<html><body><div class="article-list"><ul class="article-link">{items}</ul></div></body></html>'


def kcna_home(categories: list[str]) -> str:
    links = "".join(f'<a href="/en/category/articles/q/{c}.kcmsf">Menu {i}</a>' for i, c in enumerate(categories))
    return f'<html><body><div class="col-md-12 menu-block">{links}</div><a href="/kp">Korean</a></body></html>'


def rodong_article(title: str, body: str) -> str:
    paragraphs = "".join(f'<p class="TextP">{html.escape(p)}</p>' for p in body.split("\n"))
    return (
        '<html><body><div class="article-modal-header row"><div id="article-homepage">Rodong Sinmun</div>'
        '<div id="article-date">Nov. 27, 2026 Friday</div></div>'
        '<div id="articleContent" class="article-content"><div class="container" id="ContDIV"><br>'
        f'<p class="TitleP" style="text-align:center;">{html.escape(title)}</p><br>{paragraphs}'
        "<script>$(document).ready(function () {});</script></div></div></body></html>"
    )


def rodong_front(numbers: list[int]) -> str:
    links = "".join(
        f'<li><a href="index.php?{rodong_query(n)}">{html.escape(DISPATCHES[n][0])}</a></li>' for n in numbers
    )
    return f'<html><body><ul class="news-list">{links}</ul></body></html>'


def plain_page(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n"))
    return (
        f"<html><head><title>{html.escape(title)}</title>"
        '<meta property="article:published_time" content="2026-11-27"></head>'
        f"<body><article><h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>"
    )


def rss(base: str, numbers: list[int]) -> str:
    items = "".join(
        f"<item><title>{html.escape(DISPATCHES[n][0])}</title><link>{base}/news/{n}.html</link>"
        f'<guid isPermaLink="false">news-{n}</guid><pubDate>Fri, 27 Nov 2026 0{n}:00:00 GMT</pubDate></item>'
        for n in numbers
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Dispatches</title>'
        f"<link>{base}/</link><language>en-us</language>{items}</channel></rss>"
    )


def sitemap(base: str, numbers: list[int]) -> str:
    urls = "".join(f"<url><loc>{base}/news/{n}.html</loc><lastmod>2026-11-27</lastmod></url>" for n in numbers)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    )


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    modified: float = field(default_factory=lambda: time.time() - 3600)
    gzip: bytes = b""  # when set, sent instead of body with Content-Encoding: gzip

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class Hit:
    at: float
    path: str
    headers: dict[str, str]
    status: int


class Site:
    """The pages a test serves, keyed by path and query; `script` holds statuses to answer before a page."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.script: dict[str, list[tuple[int, dict[str, str]]]] = {}
        self.log: list[Hit] = []
        self.base = ""
        self.lock = threading.Lock()

    def put(self, path: str, text: str, content_type: str = "text/html; charset=utf-8") -> None:
        self.pages[path] = Page(text.encode("utf-8"), content_type, time.time() - 3600)

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]

    def answer(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            scripted = self.script.get(path)
            if scripted:
                status, extra = scripted.pop(0)
                return status, extra, b"busy"
            page = self.pages.get(path)
        if page is None:
            return 404, {}, b"not found"
        validators = {"ETag": page.etag, "Last-Modified": formatdate(page.modified, usegmt=True)}
        if headers.get("if-none-match") == page.etag:
            return 304, validators, b""
        if page.gzip:
            return 200, {**validators, "Content-Type": page.content_type, "Content-Encoding": "gzip"}, page.gzip
        return 200, {**validators, "Content-Type": page.content_type}, page.body


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, extra, body = site.answer(self.path, headers)
            site.log.append(Hit(time.monotonic(), self.path, headers, status))
            self.send_response(status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


CATEGORIES = ["5394b80a1f2c1b5aa2a2e2bb", "701e7819068d44ac7432ad3d"]


def kcna_site(numbers: list[int] | None = None) -> Site:
    """kcna.kp's shape: a home page whose menu names two category pages, each listing articles."""
    numbers = list(range(len(DISPATCHES))) if numbers is None else numbers
    site = Site()
    site.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    site.put("/en", kcna_home(CATEGORIES))
    set_kcna_index(site, numbers)
    for n, (title, body) in enumerate(DISPATCHES):
        site.put(f"/en/article/q/{kcna_key(n)}.kcmsf", kcna_article(title, body))
    return site


def set_kcna_index(site: Site, numbers: list[int]) -> None:
    half = [n for n in numbers if n % 2 == 0], [n for n in numbers if n % 2 == 1]
    for category, members in zip(CATEGORIES, half, strict=True):
        site.put(f"/en/category/articles/q/{category}.kcmsf", kcna_category(members))
