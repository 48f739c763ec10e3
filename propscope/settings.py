"""Every setting propscope takes from the environment, read once at the edge (the CLI's start, the server's
start) and passed down: no module below reads `os.environ`, so a library user or a test passes values
directly and nothing is frozen by a cache before it is set."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from propscope.errors import UsageError

DEFAULT_DB = "propscope.sqlite"
TRUE_WORDS = ("1", "true", "yes", "on")
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """The work one input may cost before it is quarantined (a file) or stops its run (a sitemap): hostile or
    broken inputs (a page of 100,000 attributes, a gzip of newlines, a sitemap bomb) cost bounded time and
    memory. Each is an environment variable; the defaults pass the largest real news pages with room."""

    html_bytes: int = 5 * MB  # PROPSCOPE_MAX_HTML_BYTES: a saved or fetched web page (news pages: under 1 MB)
    html_elements: int = 50_000  # PROPSCOPE_MAX_HTML_ELEMENTS: tags in a page (a long article has ~2,000)
    html_attributes: int = 20_000  # PROPSCOPE_MAX_HTML_ATTRIBUTES: attributes in a page, all elements together
    html_seconds: float = 20.0  # PROPSCOPE_MAX_HTML_SECONDS: extracting one page's text
    gunzip_bytes: int = 16 * 1024 * MB  # PROPSCOPE_MAX_GUNZIP_BYTES: what one gzip file or body unpacks to
    gunzip_ratio: int = 200  # PROPSCOPE_MAX_GUNZIP_RATIO: unpacked per packed byte (text packs 3 to 10 times)
    sitemap_bytes: int = 50 * MB  # PROPSCOPE_MAX_SITEMAP_BYTES: one sitemap, unpacked (the protocol's limit)
    sitemap_urls: int = 50_000  # PROPSCOPE_MAX_SITEMAP_URLS: URLs in one sitemap (the protocol's limit)
    sitemaps: int = 1_000  # PROPSCOPE_MAX_SITEMAPS: sitemaps one run reads, index and children together
    sitemap_depth: int = 3  # PROPSCOPE_MAX_SITEMAP_DEPTH: sitemap indexes nested in each other

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Limits:
        """The limits the environment sets; a value that is no positive number is an error naming it."""
        values: dict[str, int | float] = {}
        for name, default in ((f, getattr(cls(), f)) for f in cls.__dataclass_fields__):
            variable = f"PROPSCOPE_MAX_{name.upper()}"
            given = env.get(variable, "").strip().replace("_", "").replace(",", "")
            if not given:
                continue
            try:
                value = float(given) if isinstance(default, float) else int(given)
            except ValueError:
                value = 0
            if value <= 0:
                raise UsageError(f"{variable}={env[variable]!r} is not a positive number (its default: {default:,})")
            values[name] = value
        return cls(**values)  # type: ignore[arg-type]


SMTP_SECURITY = ("starttls", "ssl", "none")
SMTP_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
SMTP_KEYS = ("host", "port", "security", "user", "password", "from", "cafile", "base_url")


@dataclass(frozen=True, slots=True)
class MailSettings:
    """Where alerts are mailed from: PROPSCOPE_SMTP_* in the environment, or the [smtp] table of the TOML file
    PROPSCOPE_CONFIG names (the environment wins key by key). Without a host, nothing is mailed."""

    host: str  # PROPSCOPE_SMTP_HOST
    sender: str  # PROPSCOPE_SMTP_FROM: the From address
    port: int = 587  # PROPSCOPE_SMTP_PORT (default: 587 for starttls, 465 for ssl, 25 for none)
    security: str = "starttls"  # PROPSCOPE_SMTP_SECURITY: starttls, ssl (TLS from the first byte) or none
    user: str | None = None  # PROPSCOPE_SMTP_USER: log in when given
    password: str | None = None  # PROPSCOPE_SMTP_PASSWORD
    cafile: str | None = None  # PROPSCOPE_SMTP_CAFILE: certificates to trust instead of the system's
    base_url: str = ""  # PROPSCOPE_BASE_URL: the web UI's address, for links in mails (none without it)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> MailSettings | None:
        """The mail settings, or None where no SMTP host is set; a bad value is an error naming it."""
        given: dict[str, str] = {}
        config = env.get("PROPSCOPE_CONFIG", "").strip()
        if config:
            try:
                table = tomllib.loads(Path(config).read_text(encoding="utf-8")).get("smtp", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise UsageError(
                    f"PROPSCOPE_CONFIG {config}: cannot read it as TOML ({exc}); fix or unset it"
                ) from None
            if not isinstance(table, dict):
                raise UsageError(f"PROPSCOPE_CONFIG {config}: [smtp] must be a table")
            unknown = sorted(set(table) - set(SMTP_KEYS))
            if unknown:
                raise UsageError(f"PROPSCOPE_CONFIG {config}: unknown [smtp] keys {', '.join(unknown)}")
            given = {key: str(value) for key, value in table.items()}
        for key in SMTP_KEYS:
            variable = "PROPSCOPE_BASE_URL" if key == "base_url" else f"PROPSCOPE_SMTP_{key.upper()}"
            if env.get(variable, "").strip():
                given[key] = env[variable].strip()
        if not given.get("host"):
            return None
        security = given.get("security", "starttls").lower()
        if security not in SMTP_SECURITY:
            raise UsageError(f"SMTP security {security!r} is not one of {', '.join(SMTP_SECURITY)}")
        try:
            port = int(given.get("port") or SMTP_PORTS[security])
        except ValueError:
            port = 0
        if not 0 < port < 65536:
            raise UsageError(f"SMTP port {given.get('port')!r} is not a port number (1-65535)")
        if given.get("user") and security == "none":
            raise UsageError(
                "an SMTP user is set with security none, which would send the password in clear: use starttls or ssl"
            )
        if not given.get("from"):
            raise UsageError("an SMTP host is set but no From address: set PROPSCOPE_SMTP_FROM (or from in [smtp])")
        return cls(
            host=given["host"],
            sender=given["from"],
            port=port,
            security=security,
            user=given.get("user") or None,
            password=given.get("password") or None,
            cafile=given.get("cafile") or None,
            base_url=given.get("base_url", "").rstrip("/"),
        )


DEFAULT_LIMITS = Limits()
QUERY_MAX_CHARS = 1000
QUERY_MAX_TERMS = 64
QUERY_SECONDS = 10.0
MAX_BODY_MB = 64.0


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = DEFAULT_DB  # PROPSCOPE_DB: the archive when --db is not given
    debug: bool = False  # PROPSCOPE_DEBUG: tracebacks instead of one line
    token: str | None = None  # PROPSCOPE_TOKEN: the server's write token
    gazetteer_file: str | None = None  # PROPSCOPE_GAZETTEER: the user's names, added to the shipped gazetteer
    epithets_file: str | None = None  # PROPSCOPE_EPITHETS: the user's epithets, added to the shipped lexicon
    pg_text_index: str = "auto"  # PROPSCOPE_PG_TEXT_INDEX: rum, gin or auto, when a PostgreSQL archive is made
    allow_private: bool = False  # PROPSCOPE_ALLOW_PRIVATE: collection may reach private addresses
    collect_state: Path | None = None  # PROPSCOPE_COLLECT_STATE: the collector's state file
    state_home: Path | None = None  # XDG_STATE_HOME: where per-user state lives
    limits: Limits = Limits()  # PROPSCOPE_MAX_*: what one input may cost (see Limits)
    query_max_chars: int = QUERY_MAX_CHARS  # PROPSCOPE_QUERY_MAX_CHARS: the longest search query taken
    query_max_terms: int = QUERY_MAX_TERMS  # PROPSCOPE_QUERY_MAX_TERMS: the most terms in one query
    query_seconds: float = QUERY_SECONDS  # PROPSCOPE_QUERY_SECONDS: the server's time budget per request's queries
    max_body_mb: float = MAX_BODY_MB  # PROPSCOPE_MAX_BODY_MB: the largest /api/ingest body (other routes: 1 MB)
    mail: MailSettings | None = None  # PROPSCOPE_SMTP_*, PROPSCOPE_CONFIG: where alerts are mailed from
    technique_min_score: float = 0.0  # PROPSCOPE_TECHNIQUE_MIN_SCORE: technique spans scoring lower are dropped

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def text(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        def path(name: str) -> Path | None:
            value = text(name)
            return Path(value) if value else None

        def number(name: str, default: float) -> float:
            value = text(name)
            if value is None:
                return default
            try:
                found = float(value)
            except ValueError:
                found = -1.0
            if not found > 0:
                raise UsageError(f"{name}={value!r} is not a positive number")
            return found

        def fraction(name: str) -> float:
            value = text(name)
            if value is None:
                return 0.0
            try:
                found = float(value)
            except ValueError:
                found = -1.0
            if not 0.0 <= found <= 1.0:
                raise UsageError(f"{name}={value!r} is not a score between 0 and 1")
            return found

        return cls(
            technique_min_score=fraction("PROPSCOPE_TECHNIQUE_MIN_SCORE"),
            query_max_chars=int(number("PROPSCOPE_QUERY_MAX_CHARS", QUERY_MAX_CHARS)),
            query_max_terms=int(number("PROPSCOPE_QUERY_MAX_TERMS", QUERY_MAX_TERMS)),
            query_seconds=number("PROPSCOPE_QUERY_SECONDS", QUERY_SECONDS),
            max_body_mb=number("PROPSCOPE_MAX_BODY_MB", MAX_BODY_MB),
            db=text("PROPSCOPE_DB") or DEFAULT_DB,
            debug=(text("PROPSCOPE_DEBUG") or "").lower() in TRUE_WORDS,
            token=env.get("PROPSCOPE_TOKEN"),
            gazetteer_file=text("PROPSCOPE_GAZETTEER"),
            epithets_file=text("PROPSCOPE_EPITHETS"),
            pg_text_index=(text("PROPSCOPE_PG_TEXT_INDEX") or "auto").lower(),
            allow_private=(text("PROPSCOPE_ALLOW_PRIVATE") or "").lower() in TRUE_WORDS,
            collect_state=path("PROPSCOPE_COLLECT_STATE"),
            state_home=path("XDG_STATE_HOME"),
            limits=Limits.from_env(env),
            mail=MailSettings.from_env(env),
        )

    def state_dir(self) -> Path:
        return (self.state_home or Path.home() / ".local" / "state") / "propscope"
