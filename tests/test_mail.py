"""Alerts by e-mail (issue 17, point 3), against a local SMTP server the tests start (tests/smtp_server.py):
new matches mailed after each ingest and a daily digest, over STARTTLS or SSL, HTML with inline styles plus a
plain-text part; SMTP settings from the environment or a config file; a failing mail server never fails an
ingest; the mail host passes the outbound guard as webhooks do."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import socket
import time
from pathlib import Path

import pytest

from propscope.archive import Archive
from propscope.errors import AddressRefused, UsageError
from propscope.ingest.jsonl import parse_record_line
from propscope.mail import compose, send
from propscope.settings import MailSettings, Settings

from .cli_runner import run
from .smtp_server import make_certificate, smtp_server
from .trickle import trickling_server

LINES = [
    json.dumps({"id": f"m{i}", "source": "kcna", "date": f"2011-05-0{i}", "title": title, "body": body})
    for i, (title, body) in enumerate(
        [
            ("Cuban <b>delegation</b> arrives", "Pyongyang (KCNA) -- A Cuban delegation arrived."),
            ("Harvest report", "Pyongyang (KCNA) -- The harvest is good."),
            ("Lao delegation leaves", "Pyongyang (KCNA) -- A Lao delegation left Pyongyang for home."),
        ],
        1,
    )
]
ADDRESS = "analyst@example.org"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl makes the test certificate")
    return make_certificate(tmp_path_factory.mktemp("tls"))


def ingest(archive: Archive, lines: list[str]) -> None:
    records = (parse_record_line(line.encode(), "memory", n) for n, line in enumerate(lines, 1))
    archive.ingest_records(records, workers=1)


def mail_settings(port: int, cert: Path | None = None, **changes: object) -> MailSettings:
    base = {"host": "localhost", "port": port, "sender": "propscope@example.org", "security": "starttls"}
    return MailSettings(**{**base, "cafile": str(cert) if cert else None, **changes})  # type: ignore[arg-type]


def parts(message: object) -> tuple[str, str]:
    plain = message.get_body(("plain",)).get_content()  # type: ignore[attr-defined]
    html = message.get_body(("html",)).get_content()  # type: ignore[attr-defined]
    return plain, html


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_new_matches_are_mailed_after_each_ingest_over_tls_as_html_and_text(
    tmp_path: Path, certificate: tuple[Path, Path], security: str
) -> None:
    with smtp_server(certificate, implicit_tls=security == "ssl", users={"alerts": "s3cret"}) as server:
        mail = mail_settings(
            server.port, certificate[0], security=security, user="alerts", password="s3cret",
            base_url="https://propscope.example.org/",
        )  # fmt: skip
        with Archive(str(tmp_path / "a.sqlite"), settings=Settings(allow_private=True, mail=mail)) as archive:
            archive.save_search("delegations", "delegation", email=ADDRESS)
            ingest(archive, LINES[:2])
            assert len(server.received) == 1
            ingest(archive, LINES)  # one new match: mailed alone, the first never twice
        first, second = server.received
    assert first.tls and first.user == "alerts" and first.recipients == [ADDRESS]
    message = first.message
    assert message["To"] == ADDRESS and message["From"] == "propscope@example.org"
    assert message["Subject"] == "propscope: 1 new match for delegations"
    assert message.get_content_type() == "multipart/alternative"
    plain, html = parts(message)
    assert "Cuban <b>delegation</b> arrives" in plain and "Harvest" not in plain
    assert "https://propscope.example.org/articles/1" in plain
    assert "Cuban &lt;b&gt;delegation&lt;/b&gt; arrives" in html and "<b>delegation" not in html
    assert 'style="' in html and "<style" not in html  # mail clients drop <style>: every style is inline
    assert 'href="https://propscope.example.org/?q=delegation"' in html
    plain, _ = parts(second.message)
    assert "Lao delegation leaves" in plain and "Cuban" not in plain


def test_a_failing_mail_server_never_fails_an_ingest_and_its_matches_are_mailed_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "a.sqlite")
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(LINES) + "\n")
    with smtp_server() as server:
        for name, value in {
            "PROPSCOPE_SMTP_HOST": "127.0.0.1",
            "PROPSCOPE_SMTP_PORT": str(server.port),
            "PROPSCOPE_SMTP_SECURITY": "none",
            "PROPSCOPE_SMTP_FROM": "propscope@example.org",
            "PROPSCOPE_ALLOW_PRIVATE": "1",
        }.items():
            monkeypatch.setenv(name, value)
        code, _, err = run("saved", "add", "delegations", "delegation", "--email", ADDRESS, "--db", db)
        assert code == 0, err
        server.reject_mail = "451 4.3.0 mailbox busy, try later"
        code, _, err = run("ingest", str(source), "--db", db, "--quiet")
        assert code == 0 and "added 3" in err and "Traceback" not in err, err
        assert server.received == [] and server.connections == 1
        with Archive(db) as archive:
            (status,) = [s for (s,) in archive.store.db.rows("SELECT status FROM alert_deliveries")]
        assert status == "mail error: the mail server answered 451 4.3.0 mailbox busy, try later"
        server.reject_mail = None
        code, _, err = run("ingest", str(source), "--db", db, "--quiet")  # nothing new: the held matches go now
        assert code == 0, err
        (received,) = server.received
        plain, _ = parts(received.message)
        assert "Cuban" in plain and "Lao" in plain and "2 new" in plain
    # nobody listening at all is a failure too, and never the ingest's
    monkeypatch.setenv("PROPSCOPE_SMTP_PORT", str(server.port))
    source.write_text(json.dumps({"id": "m9", "source": "kcna", "title": "Delegation", "body": "A delegation."}))
    code, _, err = run("ingest", str(source), "--db", db, "--quiet")
    assert code == 0 and "added 1" in err, err


@pytest.fixture
def loopback_name(monkeypatch: pytest.MonkeyPatch) -> None:
    real = socket.getaddrinfo

    def resolve(host: str, port: object, *args: object, **kwargs: object) -> list[object]:
        if host == "mail.loopback.example":
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


# Every spelling of "this machine" (or the private network) the guard refuses for webhooks.
REFUSED_HOSTS = [
    "127.0.0.1", "localhost", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "0.0.0.0", "::1",
    "::ffff:127.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "10.0.0.1", "169.254.169.254",
    "mail.loopback.example",
]  # fmt: skip


@pytest.mark.usefixtures("loopback_name")
def test_the_mail_host_passes_the_outbound_guard_as_webhooks_do(tmp_path: Path) -> None:
    with smtp_server() as server:
        for host in REFUSED_HOSTS:
            mail = mail_settings(server.port, host=host, security="none")
            message = compose(mail, ADDRESS, "x", "x", "<p>x</p>")
            with pytest.raises(AddressRefused, match="private, loopback or reserved"):
                send(mail, message)
        # the same through an ingest: refused, logged, the ingest done; allowed, delivered
        mail = mail_settings(server.port, host="127.0.0.1", security="none")
        with Archive(str(tmp_path / "a.sqlite"), settings=Settings(mail=mail)) as archive:
            archive.save_search("delegations", "delegation", email=ADDRESS)
            ingest(archive, LINES)
            statuses = [s for (s,) in archive.store.db.rows("SELECT status FROM alert_deliveries")]
        assert server.connections == 0 and server.received == []
        assert statuses and all("refused" in s for s in statuses), statuses
        with Archive(str(tmp_path / "a.sqlite"), settings=Settings(mail=mail, allow_private=True)) as archive:
            ingest(archive, [])
        assert len(server.received) == 1


def test_the_daily_digest_is_mailed_to_each_address_with_its_own_searches(tmp_path: Path) -> None:
    db = str(tmp_path / "a.sqlite")
    with smtp_server() as server:
        mail = mail_settings(server.port, host="127.0.0.1", security="none")
        with Archive(db, settings=Settings(mail=mail, allow_private=True)) as archive:
            archive.save_search("delegations", "delegation", email=ADDRESS)
            archive.save_search("harvest", "harvest", email="farm@example.org")
            archive.save_search("no mail", "Pyongyang")
            ingest(archive, LINES)
            server.received.clear()  # the alerts after the ingest; the digest is what this test reads
            sent, failed = archive.mail_digest(dt.datetime.now(dt.UTC).date())
        assert sent == {ADDRESS: 2, "farm@example.org": 1} and failed == {}
        by_address = {r.recipients[0]: r.message for r in server.received}
    plain, html = parts(by_address[ADDRESS])
    assert by_address[ADDRESS]["Subject"].startswith("propscope digest ")
    assert "delegations" in plain and "Cuban" in plain and "Lao" in plain and "harvest" not in plain
    assert "3 articles ingested that day" in plain and 'style="' in html and "no mail" not in html
    plain, _ = parts(by_address["farm@example.org"])
    assert "Harvest report" in plain and "Cuban" not in plain


def test_the_digest_command_mails_with_settings_from_a_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "a.sqlite")
    with Archive(db) as archive:
        archive.save_search("delegations", "delegation", email=ADDRESS)
        ingest(archive, LINES)
    with smtp_server() as server:
        config = tmp_path / "propscope.toml"
        config.write_text(
            f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\nfrom = "digest@example.org"\n'
        )
        monkeypatch.setenv("PROPSCOPE_CONFIG", str(config))
        monkeypatch.setenv("PROPSCOPE_ALLOW_PRIVATE", "1")
        code, _, err = run("digest", "--db", db, "--mail", "--out", str(tmp_path / "d.html"))
        assert code == 0, err
        assert f"mailed to {ADDRESS} (2 new)" in err
        (received,) = server.received
        server.reject_mail = "554 5.7.1 relaying denied"
        code, _, err = run("digest", "--db", db, "--mail", "--out", str(tmp_path / "d.html"))
        assert code == 1 and "Traceback" not in err, err
        assert f"not mailed to {ADDRESS}: the mail server answered 554 5.7.1 relaying denied" in err
        assert (tmp_path / "d.html").exists()
    assert received.message["From"] == "digest@example.org"
    monkeypatch.delenv("PROPSCOPE_CONFIG")
    code, _, err = run("digest", "--db", db, "--mail", "--out", str(tmp_path / "d.html"))
    assert code != 0 and "no SMTP server is set" in err and len(err.strip().splitlines()) == 1


def test_smtp_settings_come_from_the_environment_or_a_config_file_and_bad_ones_are_one_line(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[smtp]\nhost = "smtp.example.org"\nsecurity = "ssl"\nfrom = "a@example.org"\nuser = "u"\n')
    mail = MailSettings.from_env({"PROPSCOPE_CONFIG": str(config)})
    assert mail is not None
    assert (mail.host, mail.port, mail.security, mail.user) == ("smtp.example.org", 465, "ssl", "u")
    env = {"PROPSCOPE_CONFIG": str(config), "PROPSCOPE_SMTP_HOST": "relay.example.org", "PROPSCOPE_SMTP_PORT": "2525"}
    assert MailSettings.from_env(env) == MailSettings(
        host="relay.example.org", sender="a@example.org", port=2525, security="ssl", user="u"
    )
    assert MailSettings.from_env({}) is None and Settings.from_env({}).mail is None
    for bad, words in [
        ({"PROPSCOPE_SMTP_HOST": "h", "PROPSCOPE_SMTP_FROM": "a@b.org", "PROPSCOPE_SMTP_SECURITY": "tls9"}, "security"),
        ({"PROPSCOPE_SMTP_HOST": "h", "PROPSCOPE_SMTP_FROM": "a@b.org", "PROPSCOPE_SMTP_PORT": "99999"}, "port"),
        ({"PROPSCOPE_SMTP_HOST": "h"}, "From"),
        ({"PROPSCOPE_CONFIG": str(tmp_path / "missing.toml")}, "PROPSCOPE_CONFIG"),
    ]:
        with pytest.raises(UsageError, match=words):
            MailSettings.from_env(bad)


def test_an_address_or_a_name_cannot_smuggle_in_a_header(tmp_path: Path) -> None:
    with Archive(str(tmp_path / "a.sqlite")) as archive:
        for bad in ["a@example.org\r\nBcc: all@example.org", "a@example.org, b@example.org", "no-at-sign", "a@b"]:
            with pytest.raises(UsageError, match="not one address"):
                archive.save_search("x", "delegation", email=bad)
    mail = mail_settings(25)
    message = compose(mail, ADDRESS, "propscope: 1 new match for evil\r\nBcc: all@example.org", "x", "<p>x</p>")
    assert message["Bcc"] is None and "\n" not in message["Subject"]


def test_a_trickling_mail_server_is_cut_at_the_total_deadline() -> None:
    with trickling_server(b"220-", every_s=0.5) as port:
        mail = mail_settings(port, host="127.0.0.1", security="none")
        started = time.monotonic()
        with pytest.raises(TimeoutError, match="total deadline"):
            send(mail, compose(mail, ADDRESS, "x", "x", "<p>x</p>"), allow_private=True, deadline_s=1.5)
        assert time.monotonic() - started < 4


@pytest.mark.engines
def test_a_server_that_fails_costs_one_try_per_ingest_not_one_per_search(db: str) -> None:
    with smtp_server() as server:
        mail = mail_settings(server.port, host="127.0.0.1", security="none")
        with Archive(db, settings=Settings(mail=mail, allow_private=True)) as archive:
            for n in range(5):
                archive.save_search(f"delegations {n}", "delegation", email=f"a{n}@example.org")
            server.reject_mail = "421 4.3.2 service not available"
            ingest(archive, LINES)
            assert server.connections == 1 and server.received == []
            server.reject_mail = None
            ingest(archive, [])
        assert sorted(r.recipients[0] for r in server.received) == [f"a{n}@example.org" for n in range(5)]


def test_a_password_is_never_sent_in_clear() -> None:
    env = {"PROPSCOPE_SMTP_HOST": "h.example.org", "PROPSCOPE_SMTP_FROM": "a@example.org"}
    with pytest.raises(UsageError, match="in clear"):
        MailSettings.from_env({**env, "PROPSCOPE_SMTP_SECURITY": "none", "PROPSCOPE_SMTP_USER": "u"})
    assert MailSettings.from_env({**env, "PROPSCOPE_SMTP_USER": "u"}) is not None  # starttls, the default
