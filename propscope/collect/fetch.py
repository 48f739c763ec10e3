"""One polite, guarded HTTP client for collection.

Every request: only http(s); the host must resolve to public addresses unless private ones are allowed (so a
feed cannot point the collector at the analyst's own network), checked again on the addresses the connection
is made to; robots.txt is asked first (and its Crawl-delay
honoured); requests to one host are spaced by a politeness delay; 429, 5xx and network failures are retried
with exponential backoff, honouring Retry-After; a response body is capped in size; redirects are followed by
hand so each hop goes through the same checks. Conditional GET sends the validators the caller kept.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx

from propscope import __version__, outbound
from propscope.errors import AddressRefused, FetchError, RobotsDisallowed
from propscope.outbound import GuardedTransport

USER_AGENT = f"propscope/{__version__} (+https://github.com/propscope)"
ROBOTS_AGENT = "propscope"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
GONE_STATUSES = frozenset({404, 410})
MAX_CRAWL_DELAY_S = 300.0  # a robots.txt asking for more is obeyed up to this, not left to stall a run for hours


@dataclass(frozen=True, slots=True)
class FetchSettings:
    """How politely and how persistently to fetch. Tests shrink the delays; the defaults suit a live site."""

    delay_s: float = 2.0
    retries: int = 3
    backoff_s: float = 1.0
    max_backoff_s: float = 120.0
    timeout_s: float = 30.0
    max_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = USER_AGENT


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int  # 200, 304, or 404/410 (gone); other failures raise FetchError
    body: bytes
    etag: str | None
    last_modified: str | None
    content_type: str

    @property
    def gone(self) -> bool:
        return self.status in GONE_STATUSES

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def check_address(url: str, allow_private: bool) -> None:
    """Refuse a URL that is not http(s), or whose host stands for any address that is not globally routable
    (outbound.public_addresses: the one guard, also webhooks'), unless private addresses are allowed."""
    host, port = outbound.endpoint(url, "only http and https URLs can be collected")
    if not allow_private:
        outbound.public_addresses(url, host, port)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date from now."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


@dataclass(frozen=True, slots=True)
class _Answer:
    """One HTTP exchange as read: the body already decoded (gzip, deflate) and within the size cap."""

    status_code: int
    headers: httpx.Headers
    body: bytes


class Fetcher:
    def __init__(
        self,
        settings: FetchSettings = FetchSettings(),
        client: httpx.Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self.client = client or httpx.Client(
            timeout=settings.timeout_s,
            follow_redirects=False,
            headers={"User-Agent": settings.user_agent},
            transport=None if settings.allow_private else GuardedTransport(),
        )
        self._sleep = sleep
        self._last_request: dict[str, float] = {}  # host -> monotonic time its last response ended
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.requests = 0

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    # -- public -------------------------------------------------------------------------------------------

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET with every check; with validators, a 304 comes back as such (its body empty)."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._follow(url, headers, check_robots=True)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch the URL (fetched once per site and run)."""
        return self._robots_for(url).can_fetch(ROBOTS_AGENT, url)

    # -- inside -------------------------------------------------------------------------------------------

    def _follow(self, url: str, headers: dict[str, str], check_robots: bool) -> Response:
        for _ in range(self.settings.max_redirects + 1):
            check_address(url, self.settings.allow_private)
            if check_robots and not self.allowed(url):
                raise RobotsDisallowed(url, "robots.txt does not allow propscope to fetch it")
            response = self._with_retries(url, headers)
            if response.status_code not in REDIRECT_STATUSES:
                return self._result(url, response)
            location = response.headers.get("location")
            if not location:
                raise FetchError(url, f"HTTP {response.status_code} without a Location", response.status_code)
            url = urljoin(url, location)
        raise FetchError(url, f"more than {self.settings.max_redirects} redirects")

    def _result(self, url: str, response: _Answer) -> Response:
        status = response.status_code
        if status == 200 or status == 304 or status in GONE_STATUSES:
            return Response(
                url=url,
                status=status,
                body=response.body if status == 200 else b"",
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                content_type=response.headers.get("content-type", ""),
            )
        if status in RETRY_STATUSES:
            raise FetchError(url, f"HTTP {status} after {self.settings.retries + 1} tries", status)
        raise FetchError(url, f"HTTP {status}", status)

    def _with_retries(self, url: str, headers: dict[str, str]) -> _Answer:
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self._wait_turn(host)
            try:
                response = self._send(url, headers)
            except httpx.InvalidURL as exc:
                raise FetchError(url, f"invalid URL ({exc})") from None
            except httpx.DecodingError as exc:
                raise FetchError(url, f"undecodable response ({exc})") from None
            except httpx.TimeoutException:
                failure, wait = "timed out", None
            except httpx.TransportError as exc:
                failure, wait = f"network error ({type(exc).__name__}: {exc})", None
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                failure = f"HTTP {response.status_code}"
                wait = retry_after_seconds(response.headers.get("retry-after"))
                if attempt >= self.settings.retries:
                    return response
            finally:
                self._last_request[host] = time.monotonic()
            if attempt >= self.settings.retries:
                raise FetchError(url, f"{failure} after {attempt + 1} tries")
            backoff = self.settings.backoff_s * (2**attempt)
            self._sleep(min(self.settings.max_backoff_s, max(backoff, wait or 0.0)))
            attempt += 1

    def _send(self, url: str, headers: dict[str, str]) -> _Answer:
        """One request, its body read in chunks and cut off at the size cap (a huge or endless response
        costs at most max_bytes of memory)."""
        self.requests += 1
        with self.client.stream("GET", url, headers=headers) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.settings.max_bytes:
                raise FetchError(
                    url, f"response of {int(declared):,} bytes is over the cap of {self.settings.max_bytes:,}"
                )
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.settings.max_bytes:
                    raise FetchError(url, f"response is over the cap of {self.settings.max_bytes:,} bytes")
                chunks.append(chunk)
        return _Answer(response.status_code, response.headers, b"".join(chunks))

    def _wait_turn(self, host: str) -> None:
        """Space requests to one host by the politeness delay (or the site's Crawl-delay, when larger)."""
        delay = self.settings.delay_s
        robots = self._robots.get(host)
        crawl_delay = robots.crawl_delay(ROBOTS_AGENT) if robots is not None else None
        if crawl_delay:
            delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY_S))
        last = self._last_request.get(host)
        if last is not None:
            wait = last + delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser:
        parts = urlsplit(url)
        host = parts.netloc
        parser = self._robots.get(host)
        if parser is not None:
            return parser
        parser = urllib.robotparser.RobotFileParser(f"{parts.scheme}://{host}/robots.txt")
        try:
            response = self._follow(f"{parts.scheme}://{host}/robots.txt", {}, check_robots=False)
        except AddressRefused:
            raise
        except FetchError as exc:
            if exc.status in (401, 403):  # the convention urllib.robotparser.read follows too
                parser.parse(["User-agent: *", "Disallow: /"])
            elif exc.status is not None and 400 <= exc.status < 500:
                parser.parse([])
            else:  # the site is failing: fetch nothing from it this run rather than guess its rules
                raise FetchError(url, f"cannot read {host}/robots.txt ({exc.reason}); nothing fetched") from None
        else:
            if response.gone:  # no robots.txt: everything is allowed
                parser.parse([])
            else:
                parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        parser.modified()
        self._robots[host] = parser
        return parser
