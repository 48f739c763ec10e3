"""One small tree of exceptions: the CLI and API turn each into one clear line or an HTTP status."""

from __future__ import annotations


class PropscopeError(Exception):
    """Base of every error a user may see; its message is one line saying what, where and what to do."""


class InputError(PropscopeError):
    """An input item cannot be read or understood; the item is quarantined, the batch goes on."""

    def __init__(self, reason: str, origin: str = "", record_id: str | None = None) -> None:
        self.reason = reason
        self.origin = origin
        self.record_id = record_id
        where = origin + (f" record {record_id}" if record_id else "")
        super().__init__(f"{where}: {reason}" if where else reason)


class StoreError(PropscopeError):
    """The store cannot be opened, migrated or written."""


class QueryError(PropscopeError):
    """A search query or filter is malformed."""


class NotFoundError(PropscopeError):
    """An article, version or saved object does not exist."""


class ListingError(PropscopeError):
    """A listing run looks partial: marking its missing articles deleted is refused."""


class CollectError(PropscopeError):
    """A collection run cannot go on (its listing cannot be fetched or read)."""


class ProfileError(CollectError):
    """A source profile name or URL is not known or not usable."""


class FetchError(CollectError):
    """A URL could not be fetched: network failure, HTTP error after retries, response too large."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        self.url = url
        self.reason = reason
        self.status = status
        super().__init__(f"{url}: {reason}")


class AddressRefused(FetchError):
    """The host resolves to a private, loopback, link-local or reserved address, and those are not allowed."""


class RobotsDisallowed(FetchError):
    """The site's robots.txt does not allow our user agent to fetch this URL."""
