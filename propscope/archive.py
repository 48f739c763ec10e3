"""The Python API: an archive you ingest into and read from. The CLI, the web app and tests all use it.

    from propscope.archive import Archive
    with Archive("kcna.sqlite") as archive:
        archive.ingest(["../shared/corpora/kcna-co-jp-1997-2018"])
        hits = archive.search('"great prosperous powerful"', SearchFilters(countries=("US",)))

Ingest takes records (`ingest_records`: from a collector, a request body, any iterable); `ingest` reads them
from paths. Either streams, so memory stays flat on any corpus size (see propscope.ingest.run).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from propscope.alerts import atom_feed, check_webhook, digest, filters_to_dict, mail_digests
from propscope.analyze import export as exporting
from propscope.analyze import leadership
from propscope.analyze.network import co_mentions
from propscope.analyze.reuse import find_reuse
from propscope.analyze.trends import Metric, parse_metric, series
from propscope.analyze.versions import compare
from propscope.choices import CoarsePeriod, CoPeriod, ExportFormat, Period, Role, Sort, choose
from propscope.enrich import DEFAULT_STEPS, Pipeline
from propscope.errors import NotFoundError, QueryError, UsageError
from propscope.gazetteer import resolve_countries
from propscope.ingest import read_inputs, record_from_raw
from propscope.ingest.count import count_records
from propscope.ingest.hooks import alerts_hook, link_languages, link_languages_hook, link_pending
from propscope.ingest.run import BATCH_SIZE, AfterIngest, Progress, ingest_records, with_fingerprints
from propscope.mail import check_address
from propscope.model import PARSER_VERSION, Article, IngestResult, Quarantined, RawRecord, SearchFilters, SearchHit
from propscope.results import (
    Absences,
    Actor,
    AppearanceCounts,
    AppearanceRow,
    ArticleDetail,
    ArticleInfo,
    ArticleRef,
    CompanionMatrix,
    Cooccurrence,
    Deletion,
    Diff,
    Facets,
    History,
    LeaderGap,
    Network,
    OfficialProfile,
    OfficialsRanking,
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
from propscope.search import QueryLimits
from propscope.settings import Settings
from propscope.store import Store, open_store
from propscope.store.codec import Prepared, prepare


class Archive:
    def __init__(
        self,
        db: str | None = None,
        readonly: bool = False,
        pooled: bool = False,
        *,
        settings: Settings | None = None,
    ) -> None:
        """`db` names the archive (default: the settings' archive); `settings` (read once at the front end's
        start) carry the user's gazetteer and epithet files and a new PostgreSQL archive's words' index."""
        self.settings = settings if settings is not None else Settings()
        self.store: Store = open_store(
            db or self.settings.db, readonly=readonly, pooled=pooled, text_index=self.settings.pg_text_index
        )
        self.store.query_limits = QueryLimits(self.settings.query_max_chars, self.settings.query_max_terms)

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def data_version(self) -> str | int | None:
        """Changes with every commit to the archive, by any process; None unless opened `pooled` to read (a
        server's request), where the server's response cache (web/cache.py) keys on it."""
        return self.store.data_version()

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
        after: Sequence[AfterIngest] | None = None,
    ) -> IngestResult:
        """Read the files and folders at `paths` and ingest what they hold (see ingest_records)."""
        return self.ingest_records(
            read_inputs(paths, self.settings.limits),
            inputs=[str(p) for p in paths],
            workers=workers,
            on_progress=on_progress,
            on_quarantine=on_quarantine,
            steps=steps,
            listing=listing,
            allow_mass_deletion=allow_mass_deletion,
            after=after,
        )

    def count_inputs(self, paths: Sequence[str | Path]) -> int:
        """How many records the files and folders at `paths` hold, counted before `ingest` reads them (one
        pass over the bytes): the total an ingest's progress counts to."""
        return count_records(paths, self.settings.limits)

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
        after: Sequence[AfterIngest] | None = None,
    ) -> IngestResult:
        """Parse, enrich (the default steps, or `steps`) and store records, one worker process per core unless
        `workers` says; then the `after` hooks (default: after_ingest(), linking translations and sending
        alerts). `inputs` names what was read, for the run's bookkeeping. With `listing`, the records are that
        listing's complete current contents: what it held before and lacks now is marked deleted (see
        SQLStore.close_listing_run)."""
        return ingest_records(
            self.store,
            records,
            self.pipeline(steps),
            inputs=inputs,
            workers=workers if workers is not None else (os.cpu_count() or 1),
            on_progress=on_progress,
            on_quarantine=on_quarantine,
            listing=listing,
            allow_mass_deletion=allow_mass_deletion,
            after=self.after_ingest() if after is None else after,
        )

    def after_ingest(self) -> tuple[AfterIngest, ...]:
        """The default after-ingest hooks, with this archive's settings: link translations, send alerts
        (webhooks on private addresses only where the settings allow them)."""
        return (link_languages_hook, alerts_hook(self.settings.allow_private, mail=self.settings.mail))

    def pipeline(self, steps: Sequence[str] | None = None) -> Pipeline:
        """The enrich pipeline of these steps (default: DEFAULT_STEPS) with this archive's settings."""
        return Pipeline(tuple(steps) if steps is not None else DEFAULT_STEPS, self.settings)

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
        below = _reparse_below(everything)
        pipeline = self.pipeline(steps)
        done = 0
        last_id = 0
        while True:
            page = self.store.stale_inputs(below, last_id, BATCH_SIZE)
            if not page:
                link_pending(self.store)  # the dates reanalyze queued, a killed reparse's too
                return done
            ids: list[int] = []
            prepared: list[Prepared | Quarantined] = []
            bodies: list[str] = []
            for article_id, kind, origin, record_id, raw in page:
                record = record_from_raw(kind, raw, origin, record_id, self.settings.limits)
                result = record if isinstance(record, Quarantined) else pipeline.safely(record)
                if not isinstance(result, Quarantined):
                    ids.append(article_id)
                    prepared.append(prepare(result, raw))
                    bodies.append(result.body)
            fingerprinted = [p for p in with_fingerprints(prepared, bodies) if isinstance(p, Prepared)]
            updates = list(zip(ids, fingerprinted, strict=True))
            self.store.reanalyze(updates)
            last_id = page[-1][0]
            done += len(updates)
            if on_progress:
                on_progress(done)

    def reparse_count(self, everything: bool = False) -> int:
        """How many articles `reparse(everything=...)` would parse again: the total its progress counts to."""
        return self.store.count_stale(_reparse_below(everything))

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
        order = choose(Sort, sort, "sort").value
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
        by: Period = Period.YEAR,
        collapse: bool = True,
    ) -> Facets:
        """Counts of the matches by genre, language, source, outlet, country, person, technique, target, the
        countries they are hostile and friendly toward, and date period (the `top` of each); `names` picks some
        of them, as each is a pass over the matches. They count the unit `count` does: stories with `collapse`,
        else articles."""
        chosen = {"names": tuple(names)} if names is not None else {}
        counts = self.store.facets(
            query, filters, top=top, by=choose(Period, by, "period").value, collapse=collapse, **chosen
        )
        return Facets({name: tuple(rows) for name, rows in counts.items()})

    def actors(
        self,
        since: str | None = None,
        until: str | None = None,
        countries: Sequence[str] = (),
        actor_types: Sequence[str] = (),
        limit: int = 50,
        role: Role | str = Role.FOREIGN,
    ) -> list[Actor]:
        """Bodies claimed to support the DPRK, one row each (an organ counts as its party), most events first:
        foreign ones by default, compatriots or both on request; adversaries never (they are not stored)."""
        roles = choose(Role, role, "role").roles
        codes = self.countries(countries)
        rows = self.store.actors(since, until, codes, tuple(actor_types), limit, roles)
        return [Actor(**row) for row in rows]

    def countries(self, given: Iterable[str], what: str = "country") -> tuple[str, ...]:
        """Countries as ISO codes, by code or by any name the gazetteer (the user's too) knows: the one
        resolver search's filters use (gazetteer.resolve_countries); an unknown one is a UsageError."""
        cleaned = [value.strip() for value in given if value and value.strip()]
        return resolve_countries(cleaned, what, self.settings.gazetteer_file)

    def support_counts(
        self,
        by: CoarsePeriod = CoarsePeriod.YEAR,
        since: str | None = None,
        until: str | None = None,
        role: Role | str = Role.FOREIGN,
    ) -> SupportCounts:
        """Support events per period and country (foreign by default), with the articles behind each period."""
        period = choose(CoarsePeriod, by, "period").value
        roles = choose(Role, role, "role").roles
        rows, periods = self.store.support_counts(period, since, until, roles)
        return SupportCounts(period, tuple(rows), tuple(periods), roles)

    def trend(
        self,
        metric: Metric | str,
        by: Period = Period.MONTH,
        country: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> Trend:
        """A metric (a Metric, or hostility, mentions, technique:NAME) per period; `country` is whom it is
        about (needed by hostility and mentions), by code or by a name the gazetteer knows."""
        chosen = parse_metric(metric) if isinstance(metric, str) else metric
        code = next(iter(self.countries([country] if country else ())), None)
        period = choose(Period, by, "period")
        points = series(self.store, chosen, period, code, since, until)
        return Trend(chosen, code, period.value, tuple(points))

    def phrase(self, text: str, by: CoarsePeriod = CoarsePeriod.YEAR, limit: int = 20) -> PhraseUsage:
        """When a phrase (words in a row) was first and last used, how often by period, and the `limit` most
        recent articles using it."""
        query = '"' + text.replace('"', " ").strip() + '"'
        if query == '""':
            raise UsageError('give the phrase to look for, e.g. "sea of fire"')
        period = choose(CoarsePeriod, by, "period").value
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
        rows = self.store.cooccurrences(name, choose(CoPeriod, by, "period").value, per_period)
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

    # -- the leadership tracker (issue 16; analyze/leadership.py) ------------------------------------------

    def appearances(
        self,
        leader: str | None = None,
        since: str | None = None,
        until: str | None = None,
        kind: str | None = None,
        with_: str | None = None,
        limit: int | None = None,
    ) -> list[AppearanceRow]:
        """The leaders' reported appearances (of `leader`, of a `kind`, at which `with_` accompanied or greeted
        him), oldest first by the date counted: event_date, else the article's date."""
        return leadership.appearances(self.store, leader, since, until, kind, with_, limit)

    def appearance_counts(
        self,
        leader: str | None = None,
        by: Period | str = Period.MONTH,
        since: str | None = None,
        until: str | None = None,
    ) -> AppearanceCounts:
        """Appearances per period, per kind, with the articles behind each period."""
        return leadership.appearance_counts(self.store, leader, by, since, until)

    def official(self, name: str) -> OfficialProfile:
        """An official's registry entry: spellings, titles over time, appearances with the leader by month,
        co-companions and list positions (NotFoundError with close matches for a name not in the archive)."""
        return leadership.official(self.store, name)

    def officials(
        self,
        since: str | None = None,
        until: str | None = None,
        compare_with: tuple[str | None, str | None] | None = None,
        leader: str | None = None,
        limit: int = 50,
    ) -> OfficialsRanking:
        """The officials ranked by appearances with the leader and mean place in lists; with compare_with
        (since, until), their standing then too, and the rises and falls."""
        return leadership.officials(self.store, since, until, compare_with, leader, limit)

    def absences(self, leader: str | None = None, min_days: int = 30, vanished_months: int = 6) -> Absences:
        """The leader's gaps of at least min_days between reported appearances, officials unseen for
        vanished_months before the archive's latest date, and names dropped from later versions of articles."""
        return leadership.absences(self.store, leader, min_days, vanished_months)

    def companions(
        self, leader: str | None = None, since: str | None = None, until: str | None = None, top: int = 15
    ) -> CompanionMatrix:
        """Who accompanied the leader together with whom: the `top` companions and, per pair, the appearances
        they shared and the articles behind them (the companions heat map's data, for every front end)."""
        from propscope.analyze.leadership_series import companion_matrix

        return companion_matrix(self.appearances(leader, since, until), top)

    def leader_gaps(self, leader: str | None = None, min_days: int = 30) -> tuple[LeaderGap, ...]:
        """The leader's gaps alone (the ongoing one to the latest dispatch included), longest first."""
        return leadership.gaps(self.store, leader, min_days)

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
        chosen = choose(ExportFormat, format, "format")
        return exporting.write(self.export_rows(query, filters), out, chosen, on_progress)

    # -- saved searches, feeds, digests --------------------------------------------------------------------

    def saved_searches(self) -> list[SavedSearch]:
        return [SavedSearch(**row) for row in self.store.saved_searches()]

    def saved_search(self, saved_id: int) -> SavedSearch:
        return SavedSearch(**self.store.saved_search(saved_id))

    def save_search(
        self,
        name: str,
        query: str | None = None,
        filters: SearchFilters = SearchFilters(),
        webhook: str | None = None,
        email: str | None = None,
    ) -> SavedSearch:
        """Save a search by name; its alerts cover the articles ingested from now on. The query must parse and
        run (QueryError), the webhook must be http(s) to a public address unless the settings allow private
        ones (UsageError), the e-mail one plain address (UsageError); delivery checks the webhook again."""
        if not name.strip():
            raise QueryError("a saved search needs a name")
        if query:
            self.store.search(query, filters, limit=1, collapse=False)
        if webhook and webhook.strip():
            check_webhook(webhook.strip(), self.settings.allow_private)
        address = check_address(email) if email and email.strip() else None
        saved_id = self.store.save_search(
            name.strip(), query or None, filters_to_dict(filters), (webhook or "").strip() or None, address
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

    def mail_digest(self, day: dt.date) -> tuple[dict[str, int], dict[str, str]]:
        """Mail each saved search's address the day's digest of its searches; returns the matches mailed by
        address, and why each address that failed did."""
        if self.settings.mail is None:
            raise UsageError(
                "no SMTP server is set: set PROPSCOPE_SMTP_HOST and PROPSCOPE_SMTP_FROM (or PROPSCOPE_CONFIG)"
            )
        return mail_digests(self.store, day, self.settings.mail, allow_private=self.settings.allow_private)


def _reparse_below(everything: bool) -> int:
    """The parser version below which a reparse takes an article: every article, or those of older parsers."""
    return PARSER_VERSION + 1 if everything else PARSER_VERSION
