"""The Python API: an archive you ingest into and read from. The CLI, the web app and tests all use it.

    from propscope.archive import Archive
    with Archive("kcna.sqlite") as archive:
        archive.ingest(["../shared/corpora/kcna-co-jp-1997-2018"])
        hits = archive.search('"great prosperous powerful"', SearchFilters(countries=("US",)))

Ingest takes records (`ingest_records`: from a collector, a request body, any iterable); `ingest` reads them
from paths. Either streams, so memory stays flat on any corpus size (see propscope.ingest.run).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from types import TracebackType

from propscope.enrich import DEFAULT_STEPS, Pipeline
from propscope.ingest import read_inputs, record_from_raw
from propscope.ingest.hooks import AFTER_INGEST, link_languages
from propscope.ingest.run import BATCH_SIZE, DATE_COLUMN, AfterIngest, Progress, ingest_records, with_fingerprints
from propscope.model import PARSER_VERSION, Article, IngestResult, Quarantined, RawRecord, SearchFilters, SearchHit
from propscope.store import Store, open_store
from propscope.store.codec import Prepared, prepare


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
        *,
        after: Sequence[AfterIngest] = AFTER_INGEST,
    ) -> IngestResult:
        """Read the files and folders at `paths` and ingest what they hold (see ingest_records)."""
        return self.ingest_records(
            read_inputs(paths),
            inputs=[str(p) for p in paths],
            workers=workers,
            on_progress=on_progress,
            on_quarantine=on_quarantine,
            steps=steps,
            listing=listing,
            allow_mass_deletion=allow_mass_deletion,
            after=after,
        )

    def ingest_records(
        self,
        records: Iterable[RawRecord | Quarantined],
        *,
        inputs: Sequence[str] = (),
        workers: int | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_quarantine: Callable[[Quarantined], None] | None = None,
        steps: Sequence[str] | None = None,
        listing: str | None = None,
        allow_mass_deletion: bool = False,
        after: Sequence[AfterIngest] = AFTER_INGEST,
    ) -> IngestResult:
        """Parse, enrich (the default steps, or `steps`) and store records, one worker process per core unless
        `workers` says; then link translations and send alerts (the `after` hooks). `inputs` names what was
        read, for the run's bookkeeping. With `listing`, the records are that listing's complete current
        contents: what it held before and lacks now is marked deleted (see SQLStore.close_listing_run)."""
        return ingest_records(
            self.store,
            records,
            Pipeline(tuple(steps) if steps is not None else DEFAULT_STEPS),
            inputs=inputs,
            workers=workers if workers is not None else (os.cpu_count() or 1),
            on_progress=on_progress,
            on_quarantine=on_quarantine,
            listing=listing,
            allow_mass_deletion=allow_mass_deletion,
            after=after,
        )

    def link_languages(self, dates: Iterable[str] | None = None) -> int:
        """Link the English and Spanish versions of dispatches dated on (or next to) these dates, or on every
        date; returns the links made."""
        return link_languages(self.store, dates)

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
            dates.update(item.values[DATE_COLUMN] for _, item in updates if item.values[DATE_COLUMN])
            last_id = page[-1][0]
            done += len(updates)
            if on_progress:
                on_progress(done)

    # -- read ---------------------------------------------------------------------------------------------

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
        return self.store.search(query, filters, limit=limit, sort=sort, offset=offset, collapse=collapse)

    def count(self, query: str | None, filters: SearchFilters = SearchFilters(), collapse: bool = True) -> int:
        return self.store.count(query, filters, collapse=collapse)

    def article(self, article_id: int) -> Article:
        return self.store.get_article(article_id)
