"""A small SMTP server for the mail tests, on asyncio streams in a thread of its own: EHLO/HELO, STARTTLS,
AUTH PLAIN and LOGIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT, and TLS from the first byte. It keeps every message
it is given, with how it came (over TLS or not, who logged in). aiosmtpd would do the same; it is not in the
test environment, so this stands in for it (the standard library alone)."""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import email
import email.policy
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage
    tls: bool
    user: str | None


@dataclass
class SMTPServer:
    port: int
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    reject_mail: str | None = None  # e.g. "451 try later": the answer to MAIL FROM, to play a failing server


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1 (openssl), and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class _Session:
    def __init__(self, server: SMTPServer, tls: ssl.SSLContext | None, implicit: bool, users: dict[str, str]) -> None:
        self.server, self.tls, self.users = server, tls, users
        self.secure = implicit
        self.user: str | None = None
        self.sender: str | None = None
        self.recipients: list[str] = []

    async def run(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.server.connections += 1
        self.writer = writer
        say = self.say
        await say("220 localhost test SMTP")
        while line := await reader.readline():
            verb, _, arg = line.decode("utf-8", "replace").rstrip("\r\n").partition(" ")
            verb = verb.upper()
            if verb in ("EHLO", "HELO"):
                features = ["250-localhost", "250-8BITMIME", "250-SMTPUTF8"]
                if self.tls is not None and not self.secure:
                    features.append("250-STARTTLS")
                if self.users:
                    features.append("250-AUTH PLAIN LOGIN")
                await say("\r\n".join([*features, "250 HELP"]) if verb == "EHLO" else "250 localhost")
            elif verb == "STARTTLS" and self.tls is not None and not self.secure:
                await say("220 go ahead")
                await writer.start_tls(self.tls)
                self.secure = True
            elif verb == "AUTH":
                await self.auth(arg, reader)
            elif verb == "MAIL":
                if self.server.reject_mail:
                    await say(self.server.reject_mail)
                    continue
                self.sender, self.recipients = arg.partition(":")[2].split()[0].strip("<>"), []
                await say("250 ok")
            elif verb == "RCPT":
                self.recipients.append(arg.partition(":")[2].strip().strip("<>"))
                await say("250 ok")
            elif verb == "DATA":
                await say("354 end with .")
                lines = []
                while (data := await reader.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
                self.server.received.append(
                    Received(self.sender or "", self.recipients, message, self.secure, self.user)  # type: ignore[arg-type]
                )
                await say("250 queued")
            elif verb in ("RSET", "NOOP"):
                await say("250 ok")
            elif verb == "QUIT":
                await say("221 bye")
                break
            else:
                await say("502 not implemented")
        writer.close()

    async def say(self, line: str) -> None:
        self.writer.write(line.encode() + b"\r\n")
        await self.writer.drain()

    async def auth(self, arg: str, reader: asyncio.StreamReader) -> None:
        mechanism, _, initial = arg.partition(" ")
        send = self.say
        if mechanism.upper() == "PLAIN":
            if not initial:
                await send("334 ")
                initial = (await reader.readline()).decode().strip()
            _, user, password = base64.b64decode(initial).decode().split("\0")
        else:
            await send("334 VXNlcm5hbWU6")
            user = base64.b64decode((await reader.readline()).strip()).decode()
            await send("334 UGFzc3dvcmQ6")
            password = base64.b64decode((await reader.readline()).strip()).decode()
        if self.users.get(user) == password:
            self.user = user
            await send("235 authenticated")
        else:
            await send("535 bad credentials")


@contextmanager
def smtp_server(
    cert: tuple[Path, Path] | None = None, *, implicit_tls: bool = False, users: dict[str, str] | None = None
) -> Iterator[SMTPServer]:
    """A server on 127.0.0.1 (a free port) for the block's length; with `cert`, STARTTLS is offered (or, with
    implicit_tls, TLS starts at the first byte)."""
    context = None
    if cert is not None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*cert)
    loop = asyncio.new_event_loop()
    server = SMTPServer(port=0)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await _Session(server, context, implicit_tls, users or {}).run(reader, writer)
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            writer.close()

    # The loop is started and run in its own thread: a test before this one (playwright's sync API) can leave
    # a loop marked running in the main thread, where run_until_complete would refuse to start another.
    ready: concurrent.futures.Future[asyncio.Server] = concurrent.futures.Future()

    def serve() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            try:
                ready.set_result(
                    await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context if implicit_tls else None)
                )
            except BaseException as error:  # handed to the caller, who raises it
                ready.set_exception(error)

        loop.create_task(start())
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    listening = ready.result(10)
    server.port = listening.sockets[0].getsockname()[1]
    try:
        yield server
    finally:
        loop.call_soon_threadsafe(listening.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
