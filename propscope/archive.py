"""The Python API: an archive you ingest into and read from. The CLI, the web app and tests all use it.

    from propscope.archive import Archive
    with Archive("kcna.sqlite") as archive:
        archive.ingest(["../shared/corpora/kcna-co-jp-1997-2018"])
        hits = archive.search('"great prosperous powerful"', SearchFilters(countries=("US",)))

Ingest streams: records are read one at a time, parsed in worker processes in batches with a bounded
number in flight, and written in one transaction per batch, so memory stays flat on any corpus size.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from propscope.alerts import atom_feed, deliver_alerts, digest, filters_to_dict
from propscope.analyze import export as exporting
from propscope.analyze.languages import WINDOW_DAYS, LinkDoc, day_date, day_number, features, link_by_windows
from propscope.analyze.network import co_mentions
from propscope.analyze.reuse import find_reuse
from propscope.analyze.trends import Metric, parse_metric, series
from propscope.analyze.versions import compare
from propscope.choices import CoarsePeriod, CoPeriod, ExportFormat, Period, Sort
from propscope.enrich import DEFAULT_STEPS, Pipeline
from propscope.enrich.duplicates import band_key_matrix, hash_texts, is_empty, signature_bytes, signatures
from propscope.errors import NotFoundError, QueryError, UsageError
from propscope.gazetteer import load_gazetteer
from propscope.ingest import read_inputs, record_from_raw
from propscope.model import PARSER_VERSION, Article, IngestResult, Quarantined, RawRecord, SearchFilters, SearchHit
from propscope.results import (
    Actor,
    ArticleDetail,
    ArticleInfo,
    ArticleRef,
    Cooccurrence,
    Deletion,
    Diff,
    Facets,
    History,
    Network,
    PhraseUsage,
    QuarantineItem,
    Reuse,
    SavedSearch,
    Stats,
    SupportCounts,
    Totals,
    Translation,
    Trend,
    Version,
)
from propscope.store import Store, open_store
from propscope.store.codec import ARTICLE_COLUMNS, Prepared, prepare, raw_digest

BATCH_SIZE = 256
LANGUAGES_LINKED = ("en", "es")
SPAN_DAYS = 62  # dates linked together: bounds the memory of relinking a whole archive
_DATE = ARTICLE_COLUMNS.index("date")
_LANG = ARTICLE_COLUMNS.index("lang")
IN_FLIGHT_PER_WORKER = 3
PR_SET_PDEATHSIG = 1  # Linux prctl: the signal a process gets when its parent dies


@dataclass(slots=True)
class Progress:
    """What an ingest has done so far; handed to the progress callback after each batch."""

    read: int = 0
    added: int = 0
    unchanged: int = 0
    new_versions: int = 0
    quarantined: int = 0
    deleted: int = 0
    restored: int = 0
    origin: str = ""


_worker_pipeline: Pipeline | None = None


def _pipeline() -> Pipeline:
    global _worker_pipeline
    if _worker_pipeline is None:
        _worker_pipeline = Pipeline()
    return _worker_pipeline


def analyze_batch(records: Sequence[RawRecord]) -> list[Prepared | Quarantined]:
    """Parse, enrich and lay out a batch as rows (in a worker process, when there are several batches)."""
    pipeline = _pipeline()
    out: list[Prepared | Quarantined] = []
    bodies: list[str] = []
    for record in records:
        result = pipeline.safely(record)
        if isinstance(result, Quarantined):
            out.append(result)
        else:
            out.append(prepare(result, record.raw))
            bodies.append(result.body)
    return with_fingerprints(out, bodies)


def with_fingerprints(items: list[Prepared | Quarantined], bodies: list[str]) -> list[Prepared | Quarantined]:
    """Content keys, MinHash signatures and band keys of a batch's bodies, hashed together (numpy's per-call
    cost, paid once per batch, is what one article at a time would spend most on)."""
    if not bodies:
        return items
    hashed = hash_texts(bodies)
    sigs = signatures(hashed)
    bands = band_key_matrix(sigs).tolist()
    keys = hashed.content_keys.tolist()
    prints = iter(range(len(bodies)))
    out: list[Prepared | Quarantined] = []
    for item in items:
        if isinstance(item, Quarantined):
            out.append(item)
            continue
        i = next(prints)
        empty = is_empty(sigs[i])
        out.append(
            item._replace(
                content_key=int(keys[i]),
                signature=None if empty else signature_bytes(sigs[i]),
                band_keys=() if empty else tuple(bands[i]),
            )
        )
    return out


def _batches(items: Iterable[RawRecord | Quarantined], size: int) -> Iterator[list[RawRecord | Quarantined]]:
    batch: list[RawRecord | Quarantined] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Archive:
    def __init__(self, db: str | None = None, readonly: bool = False, pooled: bool = False) -> None:
        self.store: Store = open_store(db, readonly=readonly, pooled=pooled)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    # -- ingest -------------------------------------------------------------------------------------------

    def ingest(
        self,
        paths: Sequence[str | Path],
        workers: int | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_quarantine: Callable[[Quarantined], None] | None = None,
        steps: Sequence[str] | None = None,
        listing: str | None = None,
        allow_mass_deletion: bool = False,
    ) -> IngestResult:
        """Read, parse, enrich (the default steps, or `steps`) and store; workers fork after the pipeline is
        built, so they share it. With `listing`, the inputs are that listing's complete current contents: what
        it held before and lacks now is marked deleted (see SQLiteStore.close_listing_run)."""
        global _worker_pipeline
        wanted = tuple(steps) if steps is not None else DEFAULT_STEPS
        if _worker_pipeline is None or _worker_pipeline.names != wanted:
            _worker_pipeline = Pipeline(wanted)
        self.store.set_countries(load_gazetteer().country_names())
        self.store.recover_bands()  # an earlier run killed before it wrote its band rows
        run_id = self.store.start_run([str(p) for p in paths])
        progress = Progress()
        workers = workers if workers is not None else (os.cpu_count() or 1)
        executor: ProcessPoolExecutor | None = None
        pending: list[tuple[Future[list[Prepared | Quarantined]], list[Quarantined]]] = []
        seen: set[int] | None = set() if listing else None
        bilingual_dates: set[str] = set()  # where translations may have to be linked anew

        def finish(results: list[Prepared | Quarantined], already_bad: list[Quarantined]) -> None:
            analyzed = [r for r in results if not isinstance(r, Quarantined)]
            bad = already_bad + [r for r in results if isinstance(r, Quarantined)]
            bilingual_dates.update(
                r.values[_DATE] for r in analyzed if r.values[_DATE] and r.values[_LANG] in LANGUAGES_LINKED
            )
            added, unchanged, versions = self.store.write_batch(analyzed, bad, run_id, seen)
            progress.added += added
            progress.unchanged += unchanged
            progress.new_versions += versions
            progress.quarantined += len(bad)
            for item in bad:
                if on_quarantine:
                    on_quarantine(item)
            if on_progress:
                on_progress(progress)

        try:
            for number, batch in enumerate(_batches(read_inputs(paths), BATCH_SIZE)):
                bad = [item for item in batch if isinstance(item, Quarantined)]
                records = [item for item in batch if isinstance(item, RawRecord)]
                progress.read += len(batch)
                if records:
                    progress.origin = records[-1].origin
                digests = [raw_digest(r.raw) for r in records]
                stored = self.store.stored_raw(digests)  # one query per batch, not one per record
                fresh = [r for r, digest in zip(records, digests, strict=True) if digest not in stored]
                progress.unchanged += len(records) - len(fresh)
                if seen is not None:
                    seen.update(stored.values())
                # Small inputs are parsed here; a pool is only worth starting once a second batch exists.
                if workers <= 1 or number == 0:
                    finish(analyze_batch(fresh) if fresh else [], bad)
                    continue
                if executor is None:
                    executor = ProcessPoolExecutor(
                        max_workers=workers, mp_context=_context(), initializer=_die_with, initargs=(os.getpid(),)
                    )
                pending.append((executor.submit(analyze_batch, fresh), bad))
                while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                    future, earlier_bad = pending.pop(0)
                    finish(future.result(), earlier_bad)
            for future, earlier_bad in pending:
                finish(future.result(), earlier_bad)
            pending.clear()
            self.store.flush_bands()
            self.link_languages(bilingual_dates)
            if progress.added or progress.new_versions:
                deliver_alerts(self.store)
            if listing and seen is not None:  # only after a complete run: a crash marks nothing deleted
                _, progress.deleted, progress.restored = self.store.close_listing_run(
                    listing, seen, None if allow_mass_deletion else 0.5
                )
        finally:
            if executor is not None:
                executor.shutdown(cancel_futures=True)
            self.store.finish_run(
                run_id, progress.added, progress.unchanged, progress.new_versions, progress.quarantined
            )
        return IngestResult(
            progress.added,
            progress.unchanged,
            progress.new_versions,
            progress.quarantined,
            progress.deleted,
            progress.restored,
        )

    def link_languages(self, dates: Iterable[str] | None = None) -> int:
        """Link the English and Spanish versions of dispatches dated on (or next to) these dates, or on every
        date; returns the links made. Consecutive dates are taken in spans of at most SPAN_DAYS."""
        days = sorted({day_number(d) for d in (dates if dates is not None else self.store.dates())} - {0})
        if not days:
            return 0
        # Only days near a Spanish dispatch can gain a link: an English-only ingest costs one query.
        spanish = {
            day_number(d)
            for d in self.store.dates("es", day_date(days[0] - WINDOW_DAYS), day_date(days[-1] + WINDOW_DAYS))
        }
        days = [d for d in days if any(d + offset in spanish for offset in range(-WINDOW_DAYS, WINDOW_DAYS + 1))]
        made = 0
        spans: list[list[int]] = []
        for day in days:
            if spans and day - spans[-1][1] <= 2 and day - spans[-1][0] < SPAN_DAYS:
                spans[-1][1] = day
            else:
                spans.append([day, day])
        for first, last in spans:
            margin = WINDOW_DAYS
            docs = [
                LinkDoc(article_id, date, lang, features(body, names))
                for article_id, date, lang, body, names in self.store.language_docs(
                    day_date(first - 2 * margin), day_date(last + 2 * margin) + "\uffff"
                )
            ]
            day_of = {d.id: day_number(d.date) for d in docs}
            links = [
                (x.es_id, x.en_id, x.score)
                for x in link_by_windows(docs)
                if first - margin <= day_of[x.es_id] <= last + margin  # the margin docs only served as context
            ]
            self.store.replace_language_links(day_date(first - margin), day_date(last + margin) + "\uffff", links)
            made += len(links)
        return made

    def reparse(
        self,
        on_progress: Callable[[int], None] | None = None,
        everything: bool = False,
        steps: Sequence[str] | None = None,
    ) -> int:
        """Parse stored articles again from their raw inputs with this propscope's parser (those parsed by an
        older one, or all): new fields for old archives, with no version made, since the text is unchanged."""
        below = PARSER_VERSION + 1 if everything else PARSER_VERSION
        pipeline = Pipeline(tuple(steps) if steps is not None else DEFAULT_STEPS)
        done = 0
        last_id = 0
        dates: set[str] = set()
        while True:
            page = self.store.stale_inputs(below, last_id, BATCH_SIZE)
            if not page:
                self.link_languages(dates)
                return done
            ids: list[int] = []
            prepared: list[Prepared | Quarantined] = []
            bodies: list[str] = []
            for article_id, kind, origin, record_id, raw in page:
                record = record_from_raw(kind, raw, origin, record_id)
                result = record if isinstance(record, Quarantined) else pipeline.safely(record)
                if not isinstance(result, Quarantined):
                    ids.append(article_id)
                    prepared.append(prepare(result, raw))
                    bodies.append(result.body)
            fingerprinted = [p for p in with_fingerprints(prepared, bodies) if isinstance(p, Prepared)]
            updates = list(zip(ids, fingerprinted, strict=True))
            self.store.reanalyze(updates)
            dates.update(item.values[_DATE] for _, item in updates if item.values[_DATE])
            last_id = page[-1][0]
            done += len(updates)
            if on_progress:
                on_progress(done)

    # -- read ---------------------------------------------------------------------------------------------
    # Every read a front end makes: each returns a typed result (propscope/results.py) or a model type, so
    # the CLI, the API and the web pages never reach into the store and never assemble results themselves.

    def search(
        self,
        query: str | None,
        filters: SearchFilters = SearchFilters(),
        limit: int = 20,
        sort: str = "relevance",
        offset: int = 0,
        collapse: bool = True,
    ) -> list[SearchHit]:
        """A page of matches; copies of one story are one hit (with `copies`) unless collapse is False."""
        order = _choice(Sort, sort, "sort").value
        return self.store.search(query, filters, limit=limit, sort=order, offset=offset, collapse=collapse)

    def count(self, query: str | None, filters: SearchFilters = SearchFilters(), collapse: bool = True) -> int:
        return self.store.count(query, filters, collapse=collapse)

    def article(self, article_id: int) -> Article:
        return self.store.get_article(article_id)

    def article_detail(self, article_id: int) -> ArticleDetail:
        """The article with the archive's record of it, its translations and its copies."""
        article = self.store.get_article(article_id)
        return ArticleDetail(
            article,
            ArticleInfo(**self.store.article_info(article_id)),
            tuple(Translation(**row) for row in self.store.translations(article_id)),
            tuple(ArticleRef(**row) for row in self.store.cluster_members(article_id)),
        )

    def versions(self, article_id: int) -> list[Version]:
        """Every text the article has had, oldest first."""
        return [Version(**row) for row in self.store.versions(article_id)]

    def history(self, article_id: int) -> History:
        """Every version of the article, oldest first, and what kind of change each one made."""
        versions = tuple(self.versions(article_id))
        changes = tuple(compare(old.text, new.text) for old, new in zip(versions, versions[1:], strict=False))
        return History(article_id, versions, changes)

    def diff(self, article_id: int, old: int | None = None, new: int | None = None) -> Diff:
        """The change from version `old` to version `new` (default: the last two; one version: itself)."""
        versions = {row["version"]: row for row in self.store.versions(article_id)}
        numbers = sorted(versions)
        old = old or (numbers[-2] if len(numbers) > 1 else numbers[-1])
        new = new or numbers[-1]
        if old not in versions or new not in versions:
            raise NotFoundError(f"article {article_id} has versions {numbers}; ask for two of them")
        return Diff(article_id, old, new, compare(versions[old]["text"], versions[new]["text"]))

    def facets(
        self,
        query: str | None,
        filters: SearchFilters = SearchFilters(),
        names: Sequence[str] | None = None,
        top: int = 12,
        by: CoarsePeriod = CoarsePeriod.YEAR,
    ) -> Facets:
        """Counts of the matches by genre, outlet, country, person, technique, target and date period (the
        `top` of each); `names` picks some of them, as each is a pass over the matches."""
        chosen = {"names": tuple(names)} if names is not None else {}
        counts = self.store.facets(query, filters, top=top, by=_choice(CoarsePeriod, by, "period").value, **chosen)
        return Facets({name: tuple(rows) for name, rows in counts.items()})

    def actors(
        self,
        since: str | None = None,
        until: str | None = None,
        countries: Sequence[str] = (),
        actor_types: Sequence[str] = (),
        limit: int = 50,
    ) -> list[Actor]:
        """Foreign actors claimed to support the DPRK, most events first."""
        rows = self.store.actors(since, until, tuple(countries), tuple(actor_types), limit)
        return [Actor(**row) for row in rows]

    def support_counts(
        self, by: CoarsePeriod = CoarsePeriod.YEAR, since: str | None = None, until: str | None = None
    ) -> SupportCounts:
        period = _choice(CoarsePeriod, by, "period").value
        return SupportCounts(period, tuple(self.store.support_counts(period, since, until)))

    def trend(
        self,
        metric: Metric | str,
        by: Period = Period.MONTH,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Trend:
        """A metric (a Metric, or hostility, mentions, technique:NAME) per period; `country` is whom it is
        about (needed by hostility and mentions)."""
        chosen = parse_metric(metric) if isinstance(metric, str) else metric
        code = country.strip().upper() if country and country.strip() else None
        period = _choice(Period, by, "period")
        points = series(self.store, chosen, period, code, since, until)
        return Trend(chosen, code, period.value, tuple(points))

    def phrase(self, text: str, by: CoarsePeriod = CoarsePeriod.YEAR, limit: int = 20) -> PhraseUsage:
        """When a phrase (words in a row) was first and last used, how often by period, and the `limit` most
        recent articles using it."""
        query = '"' + text.replace('"', " ").strip() + '"'
        if query == '""':
            raise UsageError('give the phrase to look for, e.g. "sea of fire"')
        period = _choice(CoarsePeriod, by, "period").value
        usage = self.store.phrase_usage(query, period)
        first, last = (ArticleRef(**row) if row else None for row in (usage["first"], usage["last"]))
        hits = self.search(query, limit=limit, sort="date") if limit else []
        return PhraseUsage(query, period, tuple(usage["periods"]), usage["undated"], first, last, tuple(hits))

    def reuse(self, article_id: int, min_words: int = 12) -> Reuse:
        """Which earlier articles the article's passages come from (analyze/reuse.py)."""
        report = find_reuse(self.store, article_id, min_words=min_words)
        return Reuse(
            self.store.get_article(article_id),
            article_id,
            report.words,
            report.reused_share,
            report.sources_examined,
            tuple(report.passages),
            tuple(report.formulas),
        )

    def deleted(self, since: str | None = None, listing: str | None = None) -> list[Deletion]:
        """Articles that left a listing, newest deletion first."""
        return [Deletion(**row) for row in self.store.deleted(since, listing)]

    def stats(self) -> Stats:
        return Stats({name: tuple(rows) for name, rows in self.store.stats().items()})

    def totals(self) -> Totals:
        return Totals(**self.store.totals())

    def quarantine(self, limit: int = 1000) -> list[QuarantineItem]:
        """Input items that could not be ingested, newest first."""
        return [QuarantineItem(**row) for row in self.store.quarantine(limit)]

    def raw_input(self, article_id: int) -> bytes:
        """The bytes the article's current version was read from (b"" when none were kept)."""
        self.store.article_info(article_id)  # a NotFoundError for an id that is not there
        return self.store.raw_input(article_id)

    def cooccurrences(self, name: str, by: CoPeriod = CoPeriod.YEAR, per_period: int = 10) -> list[Cooccurrence]:
        """Who and what is mentioned in the same articles as `name`, by period, most frequent first."""
        rows = self.store.cooccurrences(name, _choice(CoPeriod, by, "period").value, per_period)
        if not rows:
            raise NotFoundError(f"{name!r} is not mentioned in the archive under that name; try its canonical name")
        return [Cooccurrence(**row) for row in rows]

    def network(
        self, types: Sequence[str] = ("person", "organization"), nodes: int = 300, min_weight: int = 3
    ) -> Network:
        """The co-mention graph of the `nodes` most mentioned entities of these types; an edge per pair that
        at least `min_weight` articles mention together. The mentions are streamed, never all in memory."""
        kinds = tuple(types)
        top = self.store.entity_names(kinds, nodes)
        edges = co_mentions(self.store.entities_by_article(kinds), {(k, n) for k, n, _ in top}, min_weight)
        return Network(tuple(top), dict(edges))

    def export_rows(
        self, query: str | None = None, filters: SearchFilters = SearchFilters()
    ) -> Iterator[list[dict[str, Any]]]:
        """Every matching article as a row of analyze.export.COLUMNS, a batch at a time."""
        return exporting.rows(self.store, query, filters)

    def export(
        self,
        out: Path,
        format: ExportFormat,
        query: str | None = None,
        filters: SearchFilters = SearchFilters(),
        on_progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write every matching article to `out` (Parquet, JSON Lines or CSV); returns how many."""
        chosen = _choice(ExportFormat, format, "format")
        return exporting.write(self.export_rows(query, filters), out, chosen, on_progress)

    # -- saved searches, feeds, digests --------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        return [SavedSearch(**row) for row in self.store.saved_searches()]

    def saved_search(self, saved_id: int) -> SavedSearch:
        return SavedSearch(**self.store.saved_search(saved_id))

    def save_search(
        self, name: str, query: str | None = None, filters: SearchFilters = SearchFilters(), webhook: str | None = None
    ) -> SavedSearch:
        """Save a search by name; its alerts cover the articles ingested from now on."""
        if not name.strip():
            raise QueryError("a saved search needs a name")
        saved_id = self.store.save_search(
            name.strip(), query or None, filters_to_dict(filters), (webhook or "").strip() or None
        )
        return self.saved_search(saved_id)

    def delete_saved_search(self, saved_id: int) -> None:
        self.store.delete_saved_search(saved_id)

    def feed(self, saved_id: int, base_url: str, limit: int = 50) -> str:
        """The latest matches of a saved search as an Atom feed."""
        return atom_feed(self.store, saved_id, base_url, limit)

    def digest(self, day: dt.date, base_url: str = "") -> str:
        """An HTML page of what each saved search matched among the articles ingested on `day` (UTC)."""
        return digest(self.store, day, base_url)


C = TypeVar("C", bound=StrEnum)


def _choice(kind: type[C], value: str, name: str) -> C:
    """One of a closed set (choices.py), or a UsageError naming the value and the set: a library caller gets
    the words the front ends' own checks would have given."""
    try:
        return kind(value)
    except ValueError:
        raise UsageError(f"unknown {name} {value!r}: use {', '.join(kind)}") from None


def _die_with(parent: int) -> None:
    """A worker ends when the ingest that started it is killed: orphaned, it would wait on its queue forever,
    holding what it inherited by fork (a PostgreSQL connection's socket, whose open transaction and write
    lock would then outlive the killed ingest)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)


def _context() -> multiprocessing.context.BaseContext:
    """fork where there is one: workers inherit the compiled gazetteer instead of rebuilding it."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
