"""Crash safety: `propscope ingest` killed with SIGKILL at random moments leaves an archive that passes
SQLite's integrity check, holds no half-written article, and, after a rerun, equals an uninterrupted run; the
same on a PostgreSQL archive (fewer trials: each costs a database)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import pgserver

PROPSCOPE = [sys.executable, "-m", "propscope.cli"]
TRIALS = int(os.environ.get("PROPSCOPE_CRASH_TRIALS", "20"))
PG_TRIALS = int(os.environ.get("PROPSCOPE_CRASH_TRIALS_PG", "8"))
SEED = 20261127


def write_records(path: Path, count: int) -> None:
    rng = random.Random(SEED)
    words = "party army people socialist Juche imperialists friendship delegation seminar solidarity".split()
    lines = []
    for i in range(count):
        body = " ".join(rng.choice(words) for _ in range(60))
        lines.append(
            json.dumps(
                {
                    "id": f"c{i}",
                    "source": "crash",
                    "date": f"20{10 + i % 8}-0{1 + i % 9}-1{i % 10}",
                    "title": f"Dispatch {i}",
                    "body": f"Pyongyang, May {1 + i % 28} (KCNA) -- The Japanese reactionaries met {body}.",
                }
            )
        )
    # one record ingested again with a new text: a version is written mid-run too
    lines.append(json.dumps({"id": "c7", "source": "crash", "title": "Dispatch 7", "body": "A new text for c7."}))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def ingest(db: Path | str, source: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [*PROPSCOPE, "ingest", str(source), "--db", str(db), "--quiet", "--workers", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def complete_run(db: Path | str, source: Path) -> float:
    """An ingest left to finish; its seconds."""
    started = time.perf_counter()
    done = ingest(db, source)
    assert done.wait(timeout=300) == 0, done.stderr.read() if done.stderr else ""
    return time.perf_counter() - started


def killed_run(db: Path | str, source: Path, rng: random.Random, duration: float) -> bool:
    """An ingest sent SIGKILL at a random moment of an uninterrupted run's `duration`; whether it was still
    running then."""
    process = ingest(db, source)
    time.sleep(rng.uniform(0.05, duration))
    killed = process.poll() is None
    if killed:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return killed


def snapshot(db: Path | str) -> dict[str, object]:
    """What must be equal between archives: articles, versions, side rows, the index and the raw inputs."""
    postgres = isinstance(db, str)
    conn: Any = psycopg_connect(db) if postgres else sqlite3.connect(db)
    try:
        indexed = (
            "SELECT count(*) FROM articles WHERE search @@ 'reactionaries'::tsquery"
            if postgres
            else "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'reactionaries'"
        )
        queries = {
            "articles": "SELECT article_key, version, content_sha1, title, body, genre, date FROM articles ORDER BY 1",
            "versions": "SELECT a.article_key, v.version, v.content_sha1 FROM article_versions v"
            " JOIN articles a ON a.id = v.article_id ORDER BY 1, 2",
            "countries": "SELECT a.article_key, c.country FROM article_countries c"
            " JOIN articles a ON a.id = c.article_id ORDER BY 1, 2",
            "epithets": "SELECT a.article_key, e.kind, e.target, e.spans FROM article_epithets e"
            " JOIN articles a ON a.id = e.article_id ORDER BY 1, 2, 3",
            "raw": "SELECT a.article_key, r.version, r.raw_sha1 FROM raw_inputs r"
            " JOIN articles a ON a.id = r.article_id ORDER BY 1, 2",
            "indexed": indexed,
        }
        return {name: [tuple(r) for r in conn.execute(sql).fetchall()] for name, sql in queries.items()}
    finally:
        conn.close()


def check_consistent(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            return  # killed before the first migration committed: an empty file, which the rerun sets up
        conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")  # raises if the index lies
        assert_whole(conn)
    finally:
        conn.close()


def assert_whole(conn: Any) -> None:
    orphans = conn.execute(
        "SELECT count(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM raw_inputs r WHERE r.article_id = a.id"
        " AND r.version = a.version)"
    ).fetchone()[0]
    assert orphans == 0, "an article without the raw input it was read from: half-written"


def psycopg_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_at_random_moments(tmp_path: Path) -> None:
    source = tmp_path / "records.jsonl"
    write_records(source, 800)
    reference = tmp_path / "reference.sqlite"
    duration = complete_run(reference, source)
    expected = snapshot(reference)
    rng = random.Random(SEED)
    killed_mid_run = 0
    for trial in range(TRIALS):
        db = tmp_path / f"trial{trial}.sqlite"
        killed_mid_run += killed_run(db, source, rng, duration)
        if db.exists():
            check_consistent(db)
        complete_run(db, source)
        check_consistent(db)
        assert snapshot(db) == expected, f"trial {trial}: the archive differs from an uninterrupted run"
    assert killed_mid_run >= TRIALS // 2  # most kills must land while the ingest runs


@pytest.mark.postgres
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_at_random_moments_on_postgresql(tmp_path: Path, pg_server: pgserver.PgServer) -> None:
    """PostgreSQL keeps each batch's transaction whole by itself; what is checked is propscope's side: no
    article without its raw input, the index in step, and a rerun that completes into the same archive."""
    source = tmp_path / "records.jsonl"
    write_records(source, 800)
    reference = pgserver.new_database(pg_server.url, f"crash_reference_{os.getpid()}")
    duration = complete_run(reference, source)
    expected = snapshot(reference)
    pgserver.drop_database(pg_server.url, f"crash_reference_{os.getpid()}")
    rng = random.Random(SEED)
    killed_mid_run = 0
    for trial in range(PG_TRIALS):
        name = f"crash_{trial}_{os.getpid()}"
        db = pgserver.new_database(pg_server.url, name)
        killed_mid_run += killed_run(db, source, rng, duration)
        with psycopg_connect(db) as conn:
            if conn.execute("SELECT to_regclass('articles')").fetchone()[0] is not None:
                assert_whole(conn)
        complete_run(db, source)
        assert snapshot(db) == expected, f"trial {trial}: the archive differs from an uninterrupted run"
        pgserver.drop_database(pg_server.url, name)
    assert killed_mid_run >= PG_TRIALS // 2


# -- derived tables: translation links, clusters and bands, listings, alert marks ------------------------------
# Each trial kills an ingest (at a chosen point, at a random moment, or with the disk full), reruns it, and
# compares every derived table (tests/derived_tables.py) with an uninterrupted run's and with the tables made
# again from the articles alone.

COUNTRIES = [
    ("Cuba", "Cuba"),
    ("Laos", "Laos"),
    ("Viet Nam", "Viet Nam"),
    ("Russia", "Rusia"),
    ("China", "China"),
    ("Nigeria", "Nigeria"),
    ("Mexico", "Mexico"),
    ("Indonesia", "Indonesia"),
]
MONTHS_ES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre".split()
PAIRS = 160  # one English and Spanish pair a day over 160 days: three spans of the linker, and its margins


def write_bilingual(path: Path, pairs: int = PAIRS) -> None:
    """English dispatches and their Spanish versions (same day or the next), English ones with no Spanish
    version, an exact copy and near copies (clusters), and a new text for a known record (a version)."""
    import datetime as dt

    rng = random.Random(SEED)
    start = dt.date(2010, 1, 4)
    lines = []
    for i in range(pairs):
        day = start + dt.timedelta(days=i)
        es_day = day + dt.timedelta(days=i % 2)
        country, pais = COUNTRIES[i % len(COUNTRIES)]
        hectares, year, people = 100 + 37 * i, 1900 + i % 110, 20 + rng.randrange(900)
        lines.append(
            {
                "id": f"en{i}",
                "lang": "en",
                "date": day.isoformat(),
                "title": f"Delegation of {country} arrives {i}",
                "body": f"Pyongyang, {day:%B} {day.day} (KCNA) -- A delegation of {country} of {people} members"
                f" arrived here to mark the {year} founding. It toured {hectares} hectares of farms in Sukchon.",
            }
        )
        lines.append(
            {
                "id": f"es{i}",
                "lang": "es",
                "date": es_day.isoformat(),
                "title": f"Llega delegacion de {pais} {i}",
                "body": f"Pyongyang, {es_day.day} de {MONTHS_ES[es_day.month - 1]} (ATCC) -- Una delegacion de {pais}"
                f" de {people} miembros llego aqui por la fundacion de {year}. Visito {hectares} hectareas en Sukchon.",
            }
        )
        lines.append(
            {
                "id": f"other{i}",
                "lang": "en",
                "date": day.isoformat(),
                "title": f"Rice transplanting {i}",
                "body": f"Pyongyang, {day:%B} {day.day} (KCNA) -- Farmers of Ryongchon County planted"
                f" {5000 + 11 * i} seedlings on {30 + i} plots: " + " ".join(rng.sample(WORDS, 12)) + ".",
            }
        )
    base = lines[0]["body"]
    lines.append({**lines[0], "id": "copy-exact"})  # the same text under another id: one cluster
    for n in range(3):  # near copies: a word more each
        lines.append({**lines[0], "id": f"copy-near{n}", "body": base + " Indeed" * (n + 1) + "."})
    lines.append({**lines[3], "body": lines[3]["body"] + " Updated."})  # en1 again: a new version mid-run
    for line in lines:
        line["source"] = "kcna"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")


WORDS = "party army people socialist Juche friendship delegation seminar solidarity harvest tractor power".split()


class Webhook:
    """A loopback webhook receiver: what each saved search was sent, by path (one path per archive)."""

    def __init__(self) -> None:
        import http.server
        import threading

        received: dict[str, set[int]] = {}
        self.received = received

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                received.setdefault(self.path, set()).update(a["id"] for a in body["articles"])
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{name}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


ENV = {**os.environ, "PROPSCOPE_ALLOW_PRIVATE": "1"}  # the webhook is on loopback


def prepared_archive(db: Path, hook: Webhook) -> None:
    """A new archive with a saved search whose webhook is the receiver: its alert mark is a derived row."""
    from propscope.archive import Archive
    from propscope.settings import Settings

    with Archive(str(db), settings=Settings(allow_private=True)) as archive:
        archive.save_search("delegations", "delegation", webhook=hook.url(db.stem))


def ingest_command(db: Path, source: Path) -> list[str]:
    return ["ingest", str(source), "--db", str(db), "--quiet", "--workers", "2", "--listing", "crash"]


def run_to_end(db: Path, source: Path) -> None:
    done = subprocess.run(
        [*PROPSCOPE, *ingest_command(db, source)], env=ENV, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr


def killed_at(db: Path, source: Path, point: str, count: int) -> int:
    """An ingest that kills itself at `point` (tests/crash_driver.py); its exit status."""
    command = [sys.executable, "-m", "tests.crash_driver", point, str(count), "--", *ingest_command(db, source)]
    done = subprocess.run(
        command, env=ENV, capture_output=True, text=True, timeout=600, cwd=Path(__file__).parent.parent
    )
    return done.returncode


def check_delivered(db: Path, hook: Webhook) -> None:
    """Every article the saved search matches was sent to its webhook (at least once: a kill between the POST
    and its record sends it again), and its mark is the last of them."""
    conn = sqlite3.connect(db)
    try:
        matching = {r[0] for r in conn.execute("SELECT rowid FROM articles_fts WHERE articles_fts MATCH 'delegation'")}
        mark = conn.execute("SELECT seen_up_to FROM saved_searches").fetchone()[0]
    finally:
        conn.close()
    assert matching, "the saved search matches nothing: the trial shows nothing"
    assert matching <= hook.received.get(f"/{db.stem}", set()), "matches stored but never sent to the webhook"
    assert mark == max(matching)


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Any, Webhook]]:
    """The fixture's records, the derived tables of an uninterrupted run over them, and the webhook."""
    from tests.derived_tables import derived, differences, recomputed

    folder = tmp_path_factory.mktemp("bilingual")
    source = folder / "pairs.jsonl"
    write_bilingual(source)
    hook = Webhook()
    reference = folder / "reference.sqlite"
    prepared_archive(reference, hook)
    run_to_end(reference, source)
    expected = derived(reference)
    assert len(expected["translations"]) >= PAIRS * 0.9, "the fixture's pairs must link: the trials need links"
    assert expected["clusters"] and expected["listing_members"] and not expected["links_pending"]
    assert differences(expected, recomputed(reference)) == []
    check_delivered(reference, hook)
    yield source, expected, hook
    hook.close()


def assert_complete(db: Path, expected: Any, hook: Webhook, trial: str) -> None:
    from tests.derived_tables import derived, differences, recomputed

    check_consistent(db)
    actual = derived(db)
    assert differences(actual, expected) == [], f"{trial}: derived tables differ from an uninterrupted run's"
    assert differences(actual, recomputed(db)) == [], f"{trial}: derived tables differ from those made again"
    check_delivered(db, hook)


KILL_POINTS = [
    ("write", 1),  # the first batch stored, nothing linked
    ("write", 2),
    ("before-bands", 1),  # band rows still in memory
    ("before-hooks", 1),  # every article stored, no hook run: the rerun stores nothing new
    ("link", 1),  # one span linked, the others not
    ("link", 2),
    ("before-alerts", 1),  # linked, nothing sent
]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize(("point", "count"), KILL_POINTS, ids=[f"{p}-{c}" for p, c in KILL_POINTS])
def test_a_rerun_after_a_kill_completes_every_derived_table(
    point: str, count: int, bilingual: tuple[Path, Any, Webhook], tmp_path: Path
) -> None:
    source, expected, hook = bilingual
    db = tmp_path / f"{point}{count}.sqlite"
    prepared_archive(db, hook)
    assert killed_at(db, source, point, count) == -signal.SIGKILL, "the ingest ended before the kill point"
    run_to_end(db, source)
    assert_complete(db, expected, hook, f"killed at {point} #{count}")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_random_kills_then_reruns_complete_every_derived_table(
    bilingual: tuple[Path, Any, Webhook], tmp_path: Path
) -> None:
    source, expected, hook = bilingual
    started = time.perf_counter()
    probe = tmp_path / "probe.sqlite"
    prepared_archive(probe, hook)
    run_to_end(probe, source)
    duration = time.perf_counter() - started
    rng = random.Random(SEED + 1)
    for trial in range(max(3, TRIALS // 4)):
        db = tmp_path / f"random{trial}.sqlite"
        prepared_archive(db, hook)
        process = subprocess.Popen(
            [*PROPSCOPE, *ingest_command(db, source)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.3, duration))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        run_to_end(db, source)
        assert_complete(db, expected, hook, f"random kill {trial}")


def _small_file_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs RLIMIT_FSIZE")
def test_a_rerun_after_a_full_disk_completes_every_derived_table(
    bilingual: tuple[Path, Any, Webhook], tmp_path: Path
) -> None:
    source, expected, hook = bilingual
    db = tmp_path / "full.sqlite"
    prepared_archive(db, hook)
    size = db.stat().st_size + sum(p.stat().st_size for p in tmp_path.glob("full.sqlite-*"))
    full = subprocess.run(
        [*PROPSCOPE, *ingest_command(db, source)],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=_small_file_limit(size + 600_000),  # room for a batch or so, not the whole input
    )
    assert full.returncode == 1 and "cannot write" in full.stderr, full.stderr
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.close()
    assert 0 < stored < len(source.read_text(encoding="utf-8").splitlines()), "the disk must fill mid-run"
    run_to_end(db, source)
    assert_complete(db, expected, hook, "full disk")


@pytest.mark.corpus
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_kcna_en_and_es_links_are_complete_after_kills(tmp_path: Path) -> None:
    """The real case: KCNA's English and Spanish dispatches of January and February 2010, killed after the
    writes and mid-linking, then rerun."""
    import gzip

    from tests.conftest import shared_path
    from tests.derived_tables import derived, differences, recomputed

    corpus = shared_path("corpora", "kcna-co-jp-1997-2018", "kcna_co_jp_2010.jsonl.gz")
    source = tmp_path / "kcna2010.jsonl"
    with gzip.open(corpus, "rt", encoding="utf-8") as lines, source.open("w", encoding="utf-8") as out:
        out.writelines(line for line in lines if json.loads(line)["date"] < "2010-02-15")
    hook = Webhook()
    try:
        reference = tmp_path / "reference.sqlite"
        prepared_archive(reference, hook)
        run_to_end(reference, source)
        expected = derived(reference)
        assert len(expected["translations"]) > 100
        assert differences(expected, recomputed(reference)) == []
        for point, count in (("before-hooks", 1), ("write", 2), ("link", 1)):
            db = tmp_path / f"{point}.sqlite"
            prepared_archive(db, hook)
            assert killed_at(db, source, point, count) == -signal.SIGKILL
            run_to_end(db, source)
            assert_complete(db, expected, hook, f"kcna 2010 killed at {point} #{count}")
    finally:
        hook.close()
