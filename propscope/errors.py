"""One small tree of exceptions. Each class knows its exit code and its HTTP status, so each front end has one
handler (cli: one line on stderr and the exit code; web: the status with one line of JSON or a page)."""

from __future__ import annotations

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_QUARANTINED = 3
EXIT_INTERRUPTED = 130


class PropscopeError(Exception):
    """Base of every error a user may see; its message is one line saying what, where and what to do."""

    exit_code: int = EXIT_ERROR
    http_status: int = 500


class UsageError(PropscopeError):
    """A value the user gave is not one the command or endpoint takes (a bad date, period, format, name)."""

    exit_code = EXIT_USAGE
    http_status = 422


class InputError(PropscopeError):
    """An input item cannot be read or understood; the item is quarantined, the batch goes on."""

    http_status = 400

    def __init__(self, reason: str, origin: str = "", record_id: str | None = None) -> None:
        self.reason = reason
        self.origin = origin
        self.record_id = record_id
        where = origin + (f" record {record_id}" if record_id else "")
        super().__init__(f"{where}: {reason}" if where else reason)


class StoreError(PropscopeError):
    """The store cannot be opened, migrated or written."""


class MissingStepError(UsageError):
    """What was asked needs the output of an enrich step that the archive's articles were not parsed with."""

    def __init__(self, message: str, step: str) -> None:
        self.step = step
        super().__init__(message)


class ReadOnlyError(PropscopeError):
    """A write was asked of a server that only reads (no token, or bound beyond loopback without one)."""

    http_status = 403


class QueryError(PropscopeError):
    """A search query or filter is malformed."""

    exit_code = EXIT_USAGE
    http_status = 400


class QueryTimeout(PropscopeError):
    """A query ran past its time budget or was cancelled (the server's --query-seconds, a client gone)."""

    exit_code = EXIT_ERROR
    http_status = 503


class NotFoundError(PropscopeError):
    """An article, version or saved object does not exist."""

    http_status = 404


class ListingError(PropscopeError):
    """A listing run looks partial: marking its missing articles deleted is refused."""

    http_status = 409


class MailError(PropscopeError):
    """A mail could not be delivered (the server refused it, was down, or its host was refused)."""

    http_status = 502


class CollectError(PropscopeError):
    """A collection run cannot go on (its listing cannot be fetched or read)."""

    http_status = 502


class ProfileError(CollectError):
    """A source profile name or URL is not known or not usable."""

    exit_code = EXIT_USAGE
    http_status = 422


class ListingTooLarge(CollectError):
    """A listing is over a limit (a sitemap's size or URLs, how many sitemaps or how deep): the run stops
    rather than read part of a complete listing, which would mark the rest deleted."""


class FetchError(CollectError):
    """A URL could not be fetched: network failure, HTTP error after retries, response too large."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


class AddressRefused(FetchError):
    """The host resolves to a private, loopback, link-local or reserved address, and those are not allowed."""

    http_status = 403


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow our user agent to fetch this URL."""
