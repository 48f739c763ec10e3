"""The one guard on where propscope connects out: collection's fetches and webhook deliveries both go through
it. A host is refused unless every address it stands for is globally routable: private, loopback,
link-local, shared, reserved, unspecified and multicast addresses are refused, in any spelling a resolver
accepts (2130706433, 0x7f000001, 0177.0.0.1, 127.1) and inside IPv6 (::ffff:127.0.0.1, NAT64 64:ff9b::,
6to4 2002::/16, Teredo 2001::/32, IPv4-compatible ::127.0.0.1). The connection is made to the very addresses
that passed (so DNS cannot answer one thing to the check and another to the connection), and, given a
deadline, every connect, read and write ends by it (a total deadline, not one per read).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import certifi
import httpcore
import httpx

from propscope.errors import AddressRefused, FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


def literal_address(host: str) -> IPAddress | None:
    """The address a host names literally, in any form the resolver would take as one (inet_aton's: decimal,
    hex, octal, shortened), or None for a name."""
    text = host.strip("[]").split("%")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(text))
    except (OSError, ValueError):
        return None


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, NAT64, 6to4, Teredo, IPv4-compatible)."""
    found: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped:
        found.append(address.ipv4_mapped)
    if address.sixtofour:
        found.append(address.sixtofour)
    if address.teredo:
        found.extend(address.teredo)
    low = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in net for net in _NAT64) or (address in _IPV4_COMPATIBLE and int(address) > 1):
        found.append(low)
    return found


def is_public(address: IPAddress) -> bool:
    """Whether the address, and every IPv4 address embedded in it, is globally routable unicast."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return is_public(address.ipv4_mapped)
    if not address.is_global or address.is_multicast or address.is_unspecified:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        return all(is_public(inner) for inner in embedded_ipv4(address))
    return True


def endpoint(url: str, not_http: str) -> tuple[str, int]:
    """The host and port an http(s) URL connects to, or FetchError (with `not_http`, the caller's words, for
    another scheme or no host)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(url, not_http)
    try:
        port = parts.port
    except ValueError:
        raise FetchError(url, "the port is not a number") from None
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def public_addresses(url: str, host: str, port: int) -> list[str]:
    """The host's addresses, all of them public, or AddressRefused (FetchError if it cannot be resolved). All
    resolved addresses are checked: one public and one private answer is still refused."""
    literal = literal_address(host)
    if literal is not None:
        texts = [str(literal)]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(url, f"cannot resolve {host} ({getattr(exc, 'strerror', None) or exc})") from None
        texts = [str(info[4][0]) for info in infos]
    for text in texts:
        address = ipaddress.ip_address(text.split("%")[0])
        if not is_public(address):
            raise AddressRefused(
                url,
                f"refused: {host} resolves to {address}, a private, loopback or reserved address;"
                " allow private addresses to reach it",
            )
    return texts


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose every read and write waits at most until the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self._inner = inner
        self._deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("past the total deadline")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(inner, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Connects to the addresses the host resolves to now, once each has passed the check (unless private
    ones are allowed): the check and the connection use the same answer, so a name cannot resolve to a public
    address for the check and to a private one for the connection (DNS rebinding). TLS still verifies the
    certificate against the name. With a deadline (time.monotonic()), nothing waits past it."""

    def __init__(self, allow_private: bool = False, deadline: float | None = None) -> None:
        self._inner = httpcore.SyncBackend()
        self._allow_private = allow_private
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception | None = None
        addresses = [host] if self._allow_private else public_addresses(f"//{host}:{port}", host, port)
        for address in addresses:
            if self._deadline is not None:
                left = self._deadline - time.monotonic()
                if left <= 0:
                    raise httpcore.ConnectTimeout("past the total deadline")
                timeout = left if timeout is None else min(timeout, left)
            try:
                stream = self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            return stream if self._deadline is None else _DeadlineStream(stream, self._deadline)
        raise failure or httpcore.ConnectError(f"no address for {host}")

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("propscope never connects to unix sockets")

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over GuardedBackend. httpx takes no network backend, so its connection pool is
    rebuilt with one (its other settings are the defaults propscope uses: HTTP/1.1, no proxy)."""

    def __init__(self, allow_private: bool = False, deadline: float | None = None) -> None:
        super().__init__(trust_env=False)
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),  # what httpx verifies with
            network_backend=GuardedBackend(allow_private, deadline),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
        )


__all__ = ["GuardedBackend", "GuardedTransport", "embedded_ipv4", "is_public", "literal_address", "public_addresses"]
