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

    with Store.open() as store:
        result = add_source(store, "https://example.org/news/story.html")
        result.article.id, result.created
        load_demo_corpus(store)      # the bundled openly licensed articles; safe to repeat
"""

from __future__ import annotations

import json
import logging
import os
import queue
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources

from inbrief import sources, summarizers
from inbrief.cache import cached_summary
from inbrief.errors import InbriefError, LLMBusy, SettingsError, internal_error
from inbrief.extract.markup import unwrap_wiki_markup
from inbrief.models import Article, Budget, Document
from inbrief.pipeline import DEFAULT_METHOD, extract
from inbrief.store import Store, StoredArticle
from inbrief.summarizers.llm import LLM
from inbrief.text import normalize_language

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
    for budget in DEFAULT_BUDGETS:
        cached_summary(store, stored, budget, DEFAULT_METHOD)


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


__all__ = [
    "DEFAULT_BUDGETS",
    "DEMO_ARTICLES",
    "WRITTEN_AT_INGEST",
    "WRITTEN_METHOD",
    "BackgroundWriter",
    "IngestResult",
    "add_article",
    "add_document",
    "add_source",
    "background_writer",
    "cache_default_summaries",
    "cache_written_summaries",
    "demo_articles",
    "load_demo_corpus",
    "model_configured",
    "written_at_ingest",
]
