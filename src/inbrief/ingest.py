"""Bring articles into the store: read or fetch, extract, store once, summarize ahead of readers.

Every way in (a URL or file, a document, an extracted article, the demo corpus, a feed entry)
ends in :func:`add_article`, which stores the article unless the store already holds it (same
URL key, or same text whatever its layout: :func:`~inbrief.store.text_key`) and caches its
summaries for :data:`DEFAULT_BUDGETS`, so the reader's first click on "Get a summary" is
served from the cache.

Written summaries (the ``llm`` method) take the operator's model 5-30 s each, so they are made
on a reader's first request, unless ``INBRIEF_LLM_AT_INGEST=true`` (read at each add) asks for
them at ingest: then :data:`background_writer` makes them after the article is stored, one at
a time in one thread, and the add never waits for the model.

An archive (JSONL, CSV or Parquet files, read as ``inbrief batch`` reads them) goes in through
:func:`add_archive`, a chunk of rows per transaction, each article's summaries in the same
transaction as the article (``docs/archives.md``).

    with Store.open() as store:
        result = add_source(store, "https://example.org/news/story.html")
        result.article.id, result.created
        load_demo_corpus(store)      # the bundled openly licensed articles; safe to repeat
        report = add_archive(store, ["archive.jsonl.zst"])   # resumable: stored rows are skipped
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inbrief import sources, summarizers
from inbrief.cache import article_key, cached_summaries, cached_summary
from inbrief.errors import InbriefError, LLMBusy, SettingsError, StoreError, internal_error
from inbrief.extract.markup import unwrap_wiki_markup
from inbrief.models import Article, Budget, Document
from inbrief.pipeline import DEFAULT_METHOD, extract, summarize_budgets
from inbrief.render import summary_to_dict
from inbrief.sources.records import article_from_record
from inbrief.store import Store, StoredArticle, content_hash, text_key
from inbrief.store.articles import stored_form
from inbrief.store.bulk import CachedSummary, NewArticle, Probe
from inbrief.store.identity import web_url_key
from inbrief.summarizers.llm import LLM
from inbrief.text import normalize_language

if TYPE_CHECKING:
    from inbrief.batch.inputs import Columns, InputRow
    from inbrief.batch.progress import Totals

log = logging.getLogger(__name__)

DEFAULT_BUDGETS: tuple[Budget, ...] = (Budget("sentences", 3), Budget("words", 60))
"""The reader's summary lengths (3 sentences, 60 words); computed at ingest, offered by pages."""

WRITTEN_METHOD = "llm"
WRITTEN_AT_INGEST = "INBRIEF_LLM_AT_INGEST"
"""The variable that asks for written summaries at ingest (``true``; default ``false``)."""

DEMO_ARTICLES = "data/demo/articles.jsonl"
"""The bundled demo corpus, relative to the ``inbrief`` package (see its ATTRIBUTION.md)."""


@dataclass(frozen=True)
class IngestResult:
    """The stored article, and whether this call added it (``False``: it was already there)."""

    article: StoredArticle
    created: bool


def add_source(store: Store, source: str, *, feed_id: int | None = None) -> IngestResult:
    """Fetch an ``http(s)://`` URL or read a file (or ``-``, stdin), extract it and store it.

    Raises what reading and extracting raise (:class:`~inbrief.errors.SourceError`,
    :class:`~inbrief.errors.FetchError`, :class:`~inbrief.errors.DecodeError`,
    :class:`~inbrief.errors.ExtractError`) before anything is stored.
    """
    return add_document(store, sources.load(source), feed_id=feed_id)


def add_document(store: Store, document: Document, *, feed_id: int | None = None) -> IngestResult:
    """Extract ``document`` and store its article; a fetched page records the URL it came from."""
    # A fetched Document has ``url`` (the final address); its ``origin`` is the URL as given.
    source_url = document.origin if document.url is not None else None
    return add_article(store, extract(document), source_url=source_url, feed_id=feed_id)


def add_article(
    store: Store,
    article: Article,
    *,
    source_url: str | None = None,
    feed_id: int | None = None,
) -> IngestResult:
    """Store ``article`` unless already stored, and make sure its default summaries are cached.

    Summaries are ensured for an article that was already stored too: it costs one look-up
    each when they are there, and repairs an earlier ingest that stopped before summarizing.
    """
    written = written_at_ingest() and model_configured()  # a bad setting fails before storing
    stored, created = store.add_article(article, source_url=source_url, feed_id=feed_id)
    cache_default_summaries(store, stored)
    if written:
        background_writer.schedule(store, stored)
    return IngestResult(stored, created)


def cache_default_summaries(store: Store, stored: StoredArticle) -> None:
    """Compute and cache the :data:`DEFAULT_BUDGETS` summaries of ``stored`` that are missing."""
    cached_summaries(store, stored, DEFAULT_BUDGETS, DEFAULT_METHOD)


def written_at_ingest(environ: Mapping[str, str] | None = None) -> bool:
    """Whether ingest also has the language model write the default summaries
    (``INBRIEF_LLM_AT_INGEST``: true or false, the default)."""
    raw = (os.environ if environ is None else environ).get(WRITTEN_AT_INGEST, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise SettingsError(f"{WRITTEN_AT_INGEST} must be true or false, got {raw!r}")


def model_configured() -> bool:
    """Whether the ``llm`` method has a model server and a model to ask."""
    method = summarizers.get(WRITTEN_METHOD)
    return isinstance(method, LLM) and method.settings.configured


def cache_written_summaries(store: Store, stored: StoredArticle) -> None:
    """Have the model write the :data:`DEFAULT_BUDGETS` summaries of ``stored`` that are missing.

    A busy model or a failure is logged and left: the reader's first request tries again.
    """
    for budget in DEFAULT_BUDGETS:
        try:
            cached_summary(store, stored, budget, WRITTEN_METHOD)
        except LLMBusy:
            # Readers are waiting for the model: they come first.
            log.info("article %s: the model is busy; its summary is written on request", stored.id)
            return
        except InbriefError as exc:  # the store closed, the article deleted meanwhile
            log.warning("article %s: no written summary at ingest: %s", stored.id, exc)
            return
        except Exception as exc:  # a bug must not stop the summaries of the next articles
            log.error("article %s: %s", stored.id, internal_error(exc), exc_info=True)
            return


class BackgroundWriter:
    """Written summaries made after ingest, in one thread: one article at a time, so the model
    is never asked for more than one of them at once and readers' requests get the rest."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Store, StoredArticle]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def schedule(self, store: Store, stored: StoredArticle) -> None:
        """Write the summaries of ``stored`` soon; returns at once."""
        with self._lock:
            self._jobs.put((store, stored))
            if self._thread is None:
                # A daemon: a process that stops (a CLI command) need not wait; see wait().
                self._thread = threading.Thread(
                    target=self._work, name="inbrief-written-summaries", daemon=True
                )
                self._thread.start()

    def wait(self) -> None:
        """Return when every summary scheduled so far is written (or given up)."""
        self._jobs.join()

    def _work(self) -> None:
        while True:
            store, stored = self._jobs.get()
            try:
                cache_written_summaries(store, stored)
            finally:
                self._jobs.task_done()


background_writer = BackgroundWriter()
"""The process's one writer of ingest-time written summaries."""


def demo_articles() -> Iterator[Article]:
    """The bundled demo corpus as articles, oldest publication date first.

    Each row's ``body`` is the article text; title, date, URL, site and language come from its
    metadata, and its attribution (the licence's required credit) becomes the author.
    """
    path = resources.files("inbrief").joinpath(*DEMO_ARTICLES.split("/"))
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    # Oldest first, so that the newest-first listing shows the latest news on top.
    rows.sort(key=lambda row: (row.get("date") or "", row["id"]))
    for row in rows:
        yield Article(
            text=unwrap_wiki_markup(row["body"]).strip(),
            title=row.get("title") or None,
            author=row.get("attribution") or None,
            date=row.get("date") or None,
            language=normalize_language(row.get("language")),
            site=row.get("source_site") or None,
            url=row.get("url") or None,
            origin=row.get("url") or f"demo:{row['id']}",
        )


def load_demo_corpus(store: Store) -> int:
    """Add the bundled demo articles to ``store``; returns how many were new.

    Idempotent: articles already stored (same URL or text) are left as they are, so a second
    call returns 0.
    """
    return sum(add_article(store, article).created for article in demo_articles())


# --- archives --------------------------------------------------------------------------------

ARCHIVE_CHUNK_ROWS = 256
"""Rows per transaction of :func:`add_archive`: one commit (one fsync) for this many articles
and their summaries, and at most this many rows to redo after a crash."""


@dataclass(frozen=True)
class ArchiveRow:
    """One archive row once its chunk is committed: the stored article, or why it failed.

    ``stored`` is durable with its default summaries when this is reported (``created``:
    this run added it; else it was stored before).  ``number`` is the row's line (JSONL) or
    row (CSV, Parquet) in ``file``.
    """

    file: Path
    number: int
    id: object
    stored: StoredArticle | None = None
    created: bool = False
    error: str | None = None


@dataclass(frozen=True)
class ArchiveReport:
    """What :func:`add_archive` did: rows read, added, already stored, failed."""

    read: int
    added: int
    already_stored: int
    failed: int
    seconds: float

    def describe(self) -> str:
        """One line for people: ``1,000 read: 990 added, 10 failed, 0 already stored in ...``."""
        rate = (self.added + self.already_stored) / self.seconds if self.seconds > 0 else 0.0
        return (
            f"{self.read:,} read: {self.added:,} added, {self.failed:,} failed, "
            f"{self.already_stored:,} already stored in {self.seconds:.1f} s, "
            f"{rate:,.1f} articles/s"
        )


# After each commit: input bytes consumed, and counts (``summarized``: added; ``skipped``: stored).
ArchiveProgress = Callable[[int, "Totals"], None]


def add_archive(
    store: Store,
    inputs: Sequence[str | Path],
    *,
    columns: Columns | None = None,
    chunk_size: int = ARCHIVE_CHUNK_ROWS,
    on_row: Callable[[ArchiveRow], None] | None = None,
    on_progress: ArchiveProgress | None = None,
) -> ArchiveReport:
    """Store every article of the archive files ``inputs`` (JSONL, CSV, Parquet; globs) with
    its :data:`DEFAULT_BUDGETS` summaries, ``chunk_size`` rows per transaction.

    Rows are read as ``inbrief batch`` reads them (``columns``: which hold the id, text, HTML
    and URL).  A row whose URL or text is stored already is skipped before it is extracted,
    so running the same archive again only adds what is missing.  A row that fails (bad JSON,
    nothing to extract, a value the database refuses) is reported and the others are stored.
    ``on_row`` hears of every row, in input order, once its chunk is committed.  Raises
    :class:`~inbrief.errors.BatchError` for an input that cannot be named or opened.
    """
    from inbrief.batch.inputs import Columns, expand_inputs
    from inbrief.batch.progress import Totals
    from inbrief.batch.work import read_chunks

    if chunk_size < 1:
        raise ValueError(f"chunk_size must be 1 or more, got {chunk_size}")
    files, columns = expand_inputs(inputs), columns or Columns()
    written = written_at_ingest() and model_configured()  # a bad setting fails before storing
    started = time.perf_counter()
    totals = Totals()
    for file in files:
        for chunk in read_chunks(file, columns, chunk_size, frozenset()):
            for row in _store_rows(store, file.path, chunk.rows):
                totals.read += 1
                if row.error is not None:
                    totals.failed += 1
                elif row.created:
                    totals.summarized += 1
                    if written and row.stored is not None:
                        background_writer.schedule(store, row.stored)
                else:
                    totals.skipped += 1
                if on_row is not None:
                    on_row(row)
            if on_progress is not None:
                on_progress(chunk.progress, totals)
    seconds = time.perf_counter() - started
    return ArchiveReport(totals.read, totals.summarized, totals.skipped, totals.failed, seconds)


@dataclass(frozen=True)
class _Pending:
    """A row on its way into the store: its article once extracted, its summaries once made."""

    index: int
    row: InputRow
    article: Article
    source_url: str | None
    summaries: tuple[CachedSummary, ...] = ()


def _store_rows(store: Store, path: Path, rows: Sequence[InputRow]) -> list[ArchiveRow]:
    """Store one chunk's rows: look up, extract, summarize, then one transaction."""
    from inbrief.batch.inputs import record_source_url

    outcome: dict[int, ArchiveRow] = {}

    def fail(index: int, row: InputRow, message: str) -> None:
        outcome[index] = ArchiveRow(path, row.number, row.id, error=message)

    def done(index: int, row: InputRow, stored: StoredArticle, created: bool) -> None:
        outcome[index] = ArchiveRow(path, row.number, row.id, stored, created)

    for index, row in enumerate(rows):
        if row.record is None:
            fail(index, row, row.error or f"{path} line {row.number}: unreadable row")
    readable = [(i, row, row.record) for i, row in enumerate(rows) if row.record is not None]
    # Keys of the rows as given, before the work of extracting them: a resumed archive skips
    # its stored rows for one query per chunk.
    given = store.match_stored([_record_probe(record) for _, _, record in readable])
    pending: list[_Pending] = []
    for (index, row, record), stored in zip(readable, given, strict=True):
        if stored is not None:
            done(index, row, stored, False)
            continue
        try:
            article = article_from_record(record)
        except Exception as exc:  # one bad row must not end the archive
            fail(index, row, _row_error(path, row, exc))
            continue
        source_url = record_source_url(record)
        pending.append(_Pending(index, row, article, source_url))
    extracted = store.match_stored([_article_probe(p.article, p.source_url) for p in pending])
    ready: list[_Pending] = []
    for item, stored in zip(pending, extracted, strict=True):
        if stored is not None:
            done(item.index, item.row, stored, False)
            continue
        try:
            summaries = default_summary_rows(stored_form(item.article, item.source_url))
        except Exception as exc:
            fail(item.index, item.row, _row_error(path, item.row, exc))
            continue
        ready.append(_Pending(item.index, item.row, item.article, item.source_url, summaries))
    for item, (stored, created) in _add_all(store, path, ready, fail):
        done(item.index, item.row, stored, created)
    # Articles stored before (or by another writer meanwhile) get the summaries they lack.
    for index, result in list(outcome.items()):
        if result.stored is not None and not result.created:
            try:
                _repair_summaries(store, result.stored)
            except Exception as exc:
                fail(index, rows[index], _row_error(path, rows[index], exc))
    return [outcome[index] for index in sorted(outcome)]


def _add_all(
    store: Store,
    path: Path,
    ready: Sequence[_Pending],
    fail: Callable[[int, InputRow, str], None],
) -> list[tuple[_Pending, tuple[StoredArticle, bool]]]:
    """Store the ready rows in one transaction; if the database refuses it, row by row, so
    that the row it refused is the only one to fail."""
    entries = [NewArticle(p.article, p.source_url, summaries=p.summaries) for p in ready]
    try:
        return list(zip(ready, store.add_articles(entries), strict=True))
    except StoreError:
        if len(ready) == 1:
            raise
    stored: list[tuple[_Pending, tuple[StoredArticle, bool]]] = []
    for item, entry in zip(ready, entries, strict=True):
        try:
            stored.append((item, store.add_articles([entry])[0]))
        except StoreError as exc:
            fail(item.index, item.row, _row_error(path, item.row, exc))
    return stored


def default_summary_rows(article: Article) -> tuple[CachedSummary, ...]:
    """The :data:`DEFAULT_BUDGETS` summaries of ``article`` (in the form the store gives it
    back) as the summary cache would store them: same keys, same payloads."""
    summarizer = summarizers.get(DEFAULT_METHOD)
    rows = []
    # One call for every budget: the split, the ranking and the key phrases are shared.
    summaries = summarize_budgets(article, DEFAULT_BUDGETS, method=DEFAULT_METHOD)
    for budget, summary in zip(DEFAULT_BUDGETS, summaries, strict=True):
        if summary.fallback is not None and summary.written is None:
            continue  # as the cache does: a method that gave way is asked again on request
        rows.append(
            CachedSummary(
                cache_key=article_key(article, summarizer, budget),
                method=summary.method,
                method_version=summary.method_version,
                budget=budget.describe(),
                language=article.language,
                payload=json.dumps(summary_to_dict(summary), ensure_ascii=False),
            )
        )
    return tuple(rows)


def _repair_summaries(store: Store, stored: StoredArticle) -> None:
    """Cache the default summaries a stored article lacks; one look-up when it has them."""
    summarizer = summarizers.get(DEFAULT_METHOD)
    keys = [article_key(stored.article, summarizer, budget) for budget in DEFAULT_BUDGETS]
    if store.missing_summaries(keys):
        cache_default_summaries(store, stored)


def _record_probe(record: dict[str, Any]) -> Probe:
    """How a row names its article before it is extracted: its URL, and its text if it has one."""
    text = record.get("text")
    return Probe(
        url_key=web_url_key(record.get("url"), record.get("source_url")),
        text_key=text_key(text) if isinstance(text, str) else None,
    )


def _article_probe(article: Article, source_url: str | None) -> Probe:
    """How an extracted article is looked up, as :meth:`Store.add_article` looks it up."""
    return Probe(
        web_url_key(article.url, source_url), text_key(article.text), content_hash(article.text)
    )


def _row_error(path: Path, row: InputRow, error: Exception) -> str:
    """The line that reports a failed row: where it is, its id, and what went wrong."""
    message = str(error) if isinstance(error, InbriefError) else internal_error(error)
    # Extraction names the row by its id already ("... in id 4"); other errors do not.
    named = f"id {row.id!r}" in message
    return f"{path} line {row.number}{'' if named else f' (id {row.id})'}: {message}"


__all__ = [
    "ARCHIVE_CHUNK_ROWS",
    "DEFAULT_BUDGETS",
    "DEMO_ARTICLES",
    "WRITTEN_AT_INGEST",
    "WRITTEN_METHOD",
    "ArchiveReport",
    "ArchiveRow",
    "BackgroundWriter",
    "IngestResult",
    "add_archive",
    "add_article",
    "add_document",
    "add_source",
    "background_writer",
    "cache_default_summaries",
    "cache_written_summaries",
    "default_summary_rows",
    "demo_articles",
    "load_demo_corpus",
    "model_configured",
    "written_at_ingest",
]
