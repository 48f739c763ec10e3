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
