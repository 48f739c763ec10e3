"""Sending one mail (a plain-text part and an HTML one) over SMTP, through the outbound guard.

The mail host passes the same check as a webhook (propscope/outbound.py): every address it stands for must be
public unless private ones are allowed, and the connection is made to the very addresses that passed, so DNS
cannot answer one thing to the check and another to the connection. TLS (STARTTLS, or SSL from the first
byte) verifies the certificate against the host's name.
"""

from __future__ import annotations

import contextlib
import re
import smtplib
import socket
import ssl
import threading
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import certifi

from propscope.errors import UsageError
from propscope.outbound import public_addresses
from propscope.settings import MailSettings

MAIL_DEADLINE_S = 30.0  # a whole delivery (connect, TLS, login, the message) ends by then
# One address, nothing a header could be smuggled in with (no line breaks, commas, brackets or quotes).
_ADDRESS = re.compile(r"[^@\s,;<>\"'()\[\]\\]{1,64}@[^@\s,;<>\"'()\[\]\\]{1,253}")


def check_address(address: str) -> str:
    """The address, stripped, or UsageError: one plain address (name@domain), never a list or a header."""
    text = address.strip()
    if not _ADDRESS.fullmatch(text) or "." not in text.rsplit("@", 1)[1]:
        raise UsageError(f"e-mail {address!r} is not one address (name@domain); give a single plain address")
    return text


class GuardedSMTP(smtplib.SMTP):
    """smtplib's client, connecting only to addresses the outbound guard passed (unless private are allowed)."""

    allow_private = False

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        addresses = [host] if self.allow_private else public_addresses(f"smtp://{host}:{port}", host, port)
        failure: OSError | None = None
        for address in addresses:
            try:
                return socket.create_connection((address, port), timeout, self.source_address)
            except OSError as exc:
                failure = exc
        raise failure or OSError(f"no address for {host}")


class GuardedSMTPSSL(smtplib.SMTP_SSL, GuardedSMTP):
    """The same, with TLS from the first byte (SMTP_SSL wraps what GuardedSMTP connected)."""


def tls_context(settings: MailSettings) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=settings.cafile or certifi.where())


def compose(settings: MailSettings, to: str, subject: str, text: str, html: str) -> EmailMessage:
    """A multipart/alternative mail: the plain text first, the HTML (what most clients show) second."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = check_address(to)
    message["Subject"] = " ".join(subject.split())  # a name's line breaks never reach a header
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rsplit("@", 1)[-1].strip(">") or None)
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def send(
    settings: MailSettings, message: EmailMessage, *, allow_private: bool = False, deadline_s: float = MAIL_DEADLINE_S
) -> None:
    """Deliver one message through the settings' server (STARTTLS, SSL or none), logging in when a user is
    set, all of it within deadline_s: a total deadline, so a server answering a byte at a time is cut at it
    (TimeoutError) instead of holding the ingest. Raises AddressRefused for a host the guard refuses,
    smtplib's errors (all OSErrors) for the rest."""
    client: GuardedSMTP
    if settings.security == "ssl":
        client = GuardedSMTPSSL(timeout=deadline_s, context=tls_context(settings))
    else:
        client = GuardedSMTP(timeout=deadline_s)
    client.allow_private = allow_private
    # what TLS checks the certificate against: smtplib sets it only in __init__, which connects unguarded
    client._host = settings.host  # type: ignore[attr-defined]
    cut = threading.Event()
    timer = threading.Timer(deadline_s, _cut, (client, cut))
    timer.daemon = True
    timer.start()
    try:
        client.connect(settings.host, settings.port)
        if settings.security == "starttls":
            client.starttls(context=tls_context(settings))
        if settings.user:
            client.login(settings.user, settings.password or "")
        client.send_message(message)
    except OSError as exc:
        if cut.is_set():
            raise TimeoutError(f"mail server {settings.host}: past the total deadline of {deadline_s:g} s") from exc
        raise
    finally:
        timer.cancel()
        try:
            if not cut.is_set():
                client.quit()
        except (smtplib.SMTPException, OSError):
            pass
        client.close()


def failure_reason(exc: BaseException) -> str:
    """One line for a failed delivery: the server's own answer ("451 4.3.0 try later"), not a tuple's repr."""
    if isinstance(exc, smtplib.SMTPResponseException):
        answer = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"the mail server answered {exc.smtp_code} {' '.join(str(answer).split())}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the mail server refused " + ", ".join(exc.recipients)
    return " ".join(str(exc).split()) or type(exc).__name__


def _cut(client: smtplib.SMTP, cut: threading.Event) -> None:
    """The deadline passed: shut the connection, so that whatever read or write waits on it ends now."""
    cut.set()
    sock = client.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


__all__ = ["MAIL_DEADLINE_S", "GuardedSMTP", "GuardedSMTPSSL", "check_address", "compose", "failure_reason", "send"]
