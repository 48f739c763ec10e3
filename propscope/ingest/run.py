"""One ingest run: records in (from any source: the readers, a collector, a request body), articles out.

Records are taken one at a time, parsed in worker processes in batches with a bounded number in flight, and
written in one transaction per batch, so memory stays flat on any input size. The pipeline is built by the
caller and handed to each worker when it starts; workers fork after it is built, so they share what it
compiled (the gazetteer) instead of building it again. What follows a run (linking translations, sending
alerts) are hooks the caller chooses (see propscope.ingest.hooks).

This is the one module of `ingest/` that drives the later stages; the readers beside it only yield records.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Future, ProcessPoolExecutor
from dataclasses import dataclass

from propscope.characters import is_storable, storable
from propscope.enrich import Pipeline
from propscope.enrich.duplicates import band_key_matrix, hash_texts, is_empty, signature_bytes, signatures
from propscope.errors import StoreError
from propscope.gazetteer import load_gazetteer
from propscope.model import IngestResult, Quarantined, RawRecord
from propscope.store import Store
from propscope.store.codec import Prepared, decompress, prepare, raw_digest

log = logging.getLogger(__name__)
BATCH_SIZE = 256
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


@dataclass(frozen=True, slots=True)
class Ingested:
    """What a run wrote, handed to each after-ingest hook once every batch is stored."""

    store: Store
    progress: Progress


AfterIngest = Callable[[Ingested], None]


def ingest_records(
    store: Store,
    records: Iterable[RawRecord | Quarantined],
    pipeline: Pipeline,
    *,
    inputs: Sequence[str] = (),
    workers: int = 1,
    on_progress: Callable[[Progress], None] | None = None,
    on_quarantine: Callable[[Quarantined], None] | None = None,
    listing: str | None = None,
    allow_mass_deletion: bool = False,
    after: Sequence[AfterIngest] = (),
) -> IngestResult:
    """Parse, enrich and store `records`, then run the `after` hooks; `inputs` is what the run's bookkeeping
    names as read. With `listing`, the records are that listing's complete current contents: what it held
    before and lacks now is marked deleted (see SQLStore.close_listing_run), unless over half of it would be
    and `allow_mass_deletion` is not given."""
    store.set_countries(load_gazetteer(pipeline.settings.gazetteer_file).country_names())
    store.recover_bands()  # an earlier run killed before it wrote its band rows
    run = _Run(store, store.start_run(list(inputs)), bool(listing), on_progress, on_quarantine)
    executor: ProcessPoolExecutor | None = None
    pending: list[tuple[Future[list[Prepared | Quarantined]], list[RawRecord], list[Quarantined]]] = []

    def collect(future: Future[list[Prepared | Quarantined]], fresh: list[RawRecord]) -> list[Prepared | Quarantined]:
        """A worker's results; a worker that failed (killed, or its results would not come back) costs no
        record: its batch is parsed again here, each record on its own guard."""
        nonlocal executor
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - whatever ended the worker, the batch is parsed here instead
            log.warning("a parser process failed (%s: %s); its batch is parsed again here", type(exc).__name__, exc)
            if isinstance(exc, BrokenExecutor) and executor is not None:
                executor.shutdown(cancel_futures=True)
                executor = None  # a later batch starts a new pool
            return analyze_batch(pipeline, fresh)

    try:
        for number, batch in enumerate(_batches(_guarded(records), BATCH_SIZE)):
            fresh, bad = run.unstored(batch)
            # Small inputs are parsed here; a pool is only worth starting once a second batch exists, and by
            # then the first batch has compiled what the workers inherit.
            if workers <= 1 or number == 0:
                run.write(analyze_batch(pipeline, fresh) if fresh else [], bad)
                continue
            if executor is None:
                executor = ProcessPoolExecutor(
                    max_workers=workers,
                    mp_context=_context(),
                    initializer=_start_worker,
                    initargs=(os.getpid(), pipeline),
                )
            pending.append((executor.submit(_analyze_in_worker, fresh), fresh, bad))
            while len(pending) >= workers * IN_FLIGHT_PER_WORKER:
                future, earlier, earlier_bad = pending.pop(0)
                run.write(collect(future, earlier), earlier_bad)
        for future, earlier, earlier_bad in pending:
            run.write(collect(future, earlier), earlier_bad)
        pending.clear()
        store.flush_bands()
        ingested = Ingested(store, run.progress)
        for hook in after:
            hook(ingested)
        if listing and run.seen is not None:  # only after a complete run: a crash marks nothing
            _, run.progress.deleted, run.progress.restored = store.close_listing_run(
                listing, run.seen, None if allow_mass_deletion else 0.5
            )
    finally:
        if executor is not None:
            executor.shutdown(cancel_futures=True)
        p = run.progress
        store.finish_run(run.run_id, p.added, p.unchanged, p.new_versions, p.quarantined)
    p = run.progress
    return IngestResult(p.added, p.unchanged, p.new_versions, p.quarantined, p.deleted, p.restored)


class _Run:
    """The counts and bookkeeping of one run, updated batch by batch."""

    def __init__(
        self,
        store: Store,
        run_id: int,
        listed: bool,
        on_progress: Callable[[Progress], None] | None,
        on_quarantine: Callable[[Quarantined], None] | None,
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.progress = Progress()
        self.seen: set[int] | None = set() if listed else None  # the articles a listing run held
        self.on_progress = on_progress
        self.on_quarantine = on_quarantine

    def unstored(self, batch: list[RawRecord | Quarantined]) -> tuple[list[RawRecord], list[Quarantined]]:
        """The batch's records whose raw input is not stored yet, and its items already quarantined."""
        bad = [item for item in batch if isinstance(item, Quarantined)]
        records = [item for item in batch if isinstance(item, RawRecord)]
        self.progress.read += len(batch)
        if records:
            self.progress.origin = records[-1].origin
        digests = [raw_digest(r.raw) for r in records]
        stored = self.store.stored_raw(digests)  # one query per batch, not one per record
        fresh = [r for r, digest in zip(records, digests, strict=True) if digest not in stored]
        self.progress.unchanged += len(records) - len(fresh)
        if self.seen is not None:
            self.seen.update(stored.values())
        return fresh, bad

    def write(self, results: list[Prepared | Quarantined], already_bad: list[Quarantined]) -> None:
        analyzed = [r for r in results if not isinstance(r, Quarantined)]
        bad = [_storable_item(q) for q in already_bad + [r for r in results if isinstance(r, Quarantined)]]
        try:
            added, unchanged, versions = self.store.write_batch(analyzed, bad, self.run_id, self.seen)
        except StoreError:
            raise  # the archive refused the write (a full disk, read-only): no record is to blame
        except Exception as exc:  # noqa: BLE001 - one record the store cannot take must not sink its batch
            log.warning(
                "a batch could not be stored whole (%s: %s); storing its records one by one", type(exc).__name__, exc
            )
            self.store.discard_pending_bands()
            added, unchanged, versions, analyzed, bad = self.write_one_by_one(analyzed, bad)
        self.progress.added += added
        self.progress.unchanged += unchanged
        self.progress.new_versions += versions
        self.progress.quarantined += len(bad)
        if self.on_quarantine:
            for item in bad:
                self.on_quarantine(item)
        if self.on_progress:
            self.on_progress(self.progress)

    def write_one_by_one(
        self, analyzed: list[Prepared], bad: list[Quarantined]
    ) -> tuple[int, int, int, list[Prepared], list[Quarantined]]:
        """Each article in a transaction of its own; one the store refuses is quarantined with the reason.
        Returns the counts, the articles stored and everything quarantined."""
        added = unchanged = versions = 0
        stored: list[Prepared] = []
        refused: list[Quarantined] = []
        for item in analyzed:
            try:
                a, u, v = self.store.write_batch([item], [], self.run_id, self.seen)
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 - this record is what the store refused
                self.store.discard_pending_bands()
                refused.append(
                    Quarantined(
                        origin=storable(item.origin),
                        record_id=storable(item.record_id) if item.record_id else None,
                        raw=decompress(item.raw_zlib),
                        reason=_failure("cannot store the record", exc),
                    )
                )
                continue
            added, unchanged, versions = added + a, unchanged + u, versions + v
            stored.append(item)
        self.store.write_batch([], bad + refused, self.run_id, self.seen)
        return added, unchanged, versions, stored, bad + refused


def analyze_batch(pipeline: Pipeline, records: Sequence[RawRecord]) -> list[Prepared | Quarantined]:
    """Parse, enrich and lay out a batch as rows. Whatever fails that Pipeline.safely does not catch (laying
    out the rows, fingerprinting the batch) is tried again record by record: only the record it fails on is
    quarantined, with the reason."""
    try:
        return _analyze(pipeline, records)
    except Exception as exc:  # noqa: BLE001 - the last resort: a bug costs one record, never the batch
        if len(records) == 1:
            record = records[0]
            return [
                Quarantined(
                    origin=record.origin,
                    record_id=record.record_id,
                    raw=record.raw,
                    reason=_failure("cannot parse the record", exc),
                )
            ]
        return [item for record in records for item in analyze_batch(pipeline, [record])]


def _analyze(pipeline: Pipeline, records: Sequence[RawRecord]) -> list[Prepared | Quarantined]:
    out: list[Prepared | Quarantined] = []
    bodies: list[str] = []
    for record in records:
        result = pipeline.safely(record)
        if isinstance(result, Quarantined):
            out.append(result)
        else:
            out.append(prepare(result, record.raw)._replace(seen_at=record.seen_at))
            bodies.append(result.body)
    return with_fingerprints(out, bodies)


def _failure(what: str, exc: BaseException) -> str:
    """The reason an unforeseen failure gives: what failed, the exception's type and message (capped)."""
    return f"{what} ({type(exc).__name__}: {str(exc)[:300]}); please report it"


def _storable_item(item: Quarantined) -> Quarantined:
    """A quarantined item whose names the store can hold: a file name that is not UTF-8 comes as lone surrogates."""
    if is_storable(item.origin) and is_storable(item.record_id or "") and is_storable(item.reason):
        return item
    return Quarantined(
        origin=storable(item.origin),
        reason=storable(item.reason),
        record_id=storable(item.record_id) if item.record_id else None,
        raw=item.raw,
    )


def _guarded(records: Iterable[RawRecord | Quarantined]) -> Iterator[RawRecord | Quarantined]:
    """The records of any source; a source that fails as it yields (a bug in a reader, a collector) ends
    with what it yielded stored and its failure quarantined, never the run's work."""
    iterator = iter(records)
    last = ""
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - a generator that raised is finished: quarantine, then stop
            yield Quarantined(origin=last or "input", reason=_failure("reading stopped", exc))
            return
        last = item.origin
        yield item


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


# A worker's pipeline, set once in each worker process by its initializer from the argument the run passed;
# the process that runs the ingest never sets or reads it. (A task cannot carry the pipeline itself: every
# task is pickled through the executor's queue, and so would the pipeline be, batch after batch.)
_pipeline_in_worker: Pipeline | None = None


def _start_worker(parent: int, pipeline: Pipeline) -> None:
    """A worker ends when the ingest that started it is killed: orphaned, it would wait on its queue forever,
    holding what it inherited by fork (a PostgreSQL connection's socket, whose open transaction and write
    lock would then outlive the killed ingest)."""
    global _pipeline_in_worker
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)
    _pipeline_in_worker = pipeline


def _analyze_in_worker(records: Sequence[RawRecord]) -> list[Prepared | Quarantined]:
    assert _pipeline_in_worker is not None, "set by _start_worker"
    return analyze_batch(_pipeline_in_worker, records)


def _context() -> multiprocessing.context.BaseContext:
    """fork where there is one: workers inherit the pipeline and its compiled gazetteer instead of unpickling
    and rebuilding them (where there is none, spawn pickles the pipeline once per worker)."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")
