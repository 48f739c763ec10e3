"""A throwaway PostgreSQL cluster for the test session.

Tests of the PostgreSQL store need a real server, but must never touch one that holds data: so the session starts its
own cluster in a fresh temporary directory on a free port, tuned for speed over durability, and removes it at exit.
Setting PROPSCOPE_TEST_PG to the URL of an existing server (whose user may CREATE DATABASE) uses that one instead.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Durability is worthless for a cluster that is deleted at exit; these make it start and commit fast.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"


class PgUnavailable(RuntimeError):
    """No server can be had here: binaries absent or start failed. The message is one line, fit for a skip reason."""


@dataclass
class PgServer:
    url: str
    datadir: Path | None = None  # None: an external server (PROPSCOPE_TEST_PG), which is never stopped
    bindir: Path | None = None

    def stop(self) -> None:
        """Stop at once (nothing on it is worth a clean shutdown) and delete the cluster. Safe to call twice."""
        if self.datadir is None:
            return
        datadir, self.datadir = self.datadir, None
        pg_ctl = [str(self.bindir / "pg_ctl"), "-D", str(datadir)]
        subprocess.run(_as_owner([*pg_ctl, "stop", "-m", "immediate"]), capture_output=True, cwd="/")
        shutil.rmtree(datadir.parent, ignore_errors=True)


def find_bindir() -> Path | None:
    """pg_config's bindir if it holds the server (libpq-dev's pg_config alone does not), else the newest Debian one."""
    try:
        out = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=True).stdout.strip()
        if out and (Path(out) / "initdb").is_file():
            return Path(out)
    except (OSError, subprocess.CalledProcessError):
        pass
    found = [
        d
        for d in map(Path, glob.glob("/usr/lib/postgresql/*/bin"))
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file()
    ]
    return max(found, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0, default=None)


def _as_owner(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root, so under root the server runs as Debian's `postgres` system user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.getuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(cmd: list[str], what: str, log: Path | None = None) -> None:
    """Run as the server's owner; a failure becomes PgUnavailable with its last line (of `log`, where the cause is)."""
    try:
        proc = subprocess.run(_as_owner(cmd), capture_output=True, text=True, cwd="/")  # a cwd the owner can enter
    except OSError as exc:
        raise PgUnavailable(f"{what} failed: {exc}") from None
    if proc.returncode != 0:
        text = log.read_text(errors="replace") if log and log.exists() else proc.stderr or proc.stdout
        lines = text.strip().splitlines()
        raise PgUnavailable(f"{what} failed: {lines[-1] if lines else f'exit {proc.returncode}'}")


def start(settings: str = FAST) -> PgServer:
    """The session's server: PROPSCOPE_TEST_PG if set, else a fresh cluster (stopped at exit even if nobody asks).
    `settings`: server options (-c name=value ...); benchmarks pass durable ones."""
    if url := os.environ.get("PROPSCOPE_TEST_PG"):
        return PgServer(url)
    bindir = find_bindir()
    if bindir is None:
        raise PgUnavailable("no PostgreSQL server binaries (initdb, pg_ctl) found")
    if os.getuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PgUnavailable("running as root and there is no `postgres` user to run the server as") from None
    root = Path(tempfile.mkdtemp(prefix="propscope-pg-"))
    if os.getuid() == 0:
        os.chown(root, owner.pw_uid, owner.pw_gid)
    datadir = root / "data"
    server = PgServer("", datadir, bindir)
    try:
        initdb = [str(bindir / "initdb"), "-D", str(datadir), "-U", "postgres", "--auth=trust", "--encoding=UTF8"]
        try:
            _run([*initdb, "--locale=C.UTF-8"], "initdb")
        except PgUnavailable:
            shutil.rmtree(datadir, ignore_errors=True)
            _run([*initdb, "--locale=C"], "initdb")
        pg_ctl = [str(bindir / "pg_ctl"), "-D", str(datadir)]
        for attempt in range(3):  # another process may take the free port between our probe and the server's bind
            port = _free_port()
            opts = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={root} {settings}"
            try:
                _run([*pg_ctl, "start", "-w", "-l", str(root / "log"), "-o", opts], "pg_ctl start", root / "log")
                break
            except PgUnavailable:
                if attempt == 2:
                    raise
    except BaseException:
        server.stop()
        raise
    atexit.register(server.stop)
    server.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
    return server


def _with_db(url: str, name: str) -> str:
    """The URL with its database swapped: the last path segment, keeping any query string."""
    base, sep, query = url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}{sep}{query}"


def new_database(admin_url: str, name: str) -> str:
    """Create an empty database (template0: nothing a template1 might carry) and return its URL."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    return _with_db(admin_url, name)


def rum_available(url: str) -> bool:
    """Whether the server has the rum extension (Debian: postgresql-NN-rum) for an archive's words' index."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'").fetchone() is not None


def drop_database(admin_url: str, name: str) -> None:
    """Drop it even if a test left connections open (FORCE ends them)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
