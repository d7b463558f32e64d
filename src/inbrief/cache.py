"""The summary cache: each summary is computed once per article text and options, then read back.

A summary is a pure function of the article's clean text, its language, the method (name,
version and, for a method with trained weights, the digest of the weights it loaded), the budget,
the number of key phrases and the inbrief release, so those are exactly what the key covers
(:func:`cache_key`).  The weights' digest is computed from the weights themselves, so a
retrained model never serves the summaries of the one before, whether or not anyone remembered
to bump the method's version.  Because the key is made from the content, the same
text summarized with the same options gives the same key in every process, on every interface
(CLI, web pages, API, batch), and an edited text gets a new key instead of a stale summary.

The cached value is the summary's JSON dict (:func:`inbrief.render.summary_to_dict`), stored as
JSON text, so a hit returns the very dict a fresh computation would.

    summary = cached_summary(store, stored, Budget("sentences", 3))   # computed and stored
    summary = cached_summary(store, stored, Budget("sentences", 3))   # read from the store
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from inbrief import __version__, summarizers
from inbrief.errors import StoreError
from inbrief.models import Article, Budget, Summary
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD, summarize_budgets
from inbrief.render import summary_to_dict
from inbrief.store import Store, StoredArticle
from inbrief.summarizers import Summarizer

KEY_SCHEME = "inbrief-summary-cache/3"
"""First field of every key; change it when the key's layout changes, so old keys never match."""


def cache_key(
    article_text: str,
    language: str | None,
    method_name: str,
    method_version: str,
    budget: Budget,
    *,
    keywords: int = DEFAULT_KEYWORDS,
    model_digest: str = "",
) -> str:
    """The cache key of one summary: SHA-256 (hex) of the inputs that decide it.

    The hashed bytes are the UTF-8 of a compact JSON array (no spaces, non-ASCII kept)::

        [KEY_SCHEME, inbrief_version, article_text, language or "", method_name,
         method_version, model_digest, budget.unit, float(budget.value), keywords]

    ``method_name`` must be the registered name, not an alias (use
    ``summarizers.get(method).name``), and ``model_digest`` the summarizer's
    :attr:`~inbrief.summarizers.Summarizer.model_digest` (empty for a method without
    weights), so that other weights never serve another model's summary.  The budget value is
    written as a float, so ``3`` and ``3.0`` are one key.  The inbrief version is included
    because key phrases and the JSON shape may change between releases without any
    summarizer's version changing.  Nothing here depends on Python's per-process ``hash()``:
    the key is the same in every process and on every machine.
    """
    fields = [
        KEY_SCHEME,
        __version__,
        article_text,
        language or "",
        method_name,
        method_version,
        model_digest,
        budget.unit,
        float(budget.value),
        keywords,
    ]
    encoded = json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def summary_key(
    stored: StoredArticle,
    budget: Budget,
    method: str = DEFAULT_METHOD,
    *,
    keywords: int = DEFAULT_KEYWORDS,
) -> str:
    """The :func:`cache_key` of a stored article's summary with these options.

    Raises :class:`~inbrief.errors.MethodError` for an unknown method.
    """
    return article_key(stored.article, summarizers.get(method), budget, keywords=keywords)


def article_key(
    article: Article,
    summarizer: Summarizer,
    budget: Budget,
    *,
    keywords: int = DEFAULT_KEYWORDS,
) -> str:
    """The :func:`cache_key` of ``article`` summarized by this ``summarizer`` instance."""
    return text_key(article.text, article.language, summarizer, budget, keywords=keywords)


def text_key(
    text: str,
    language: str | None,
    summarizer: Summarizer,
    budget: Budget,
    *,
    keywords: int = DEFAULT_KEYWORDS,
) -> str:
    """The :func:`cache_key` of an article's ``text`` and ``language`` (all of it a key needs,
    as the reader's fast summary read has them) summarized by this ``summarizer`` instance."""
    return cache_key(
        text,
        language,
        summarizer.name,
        summarizer.version,
        budget,
        keywords=keywords,
        model_digest=summarizer.model_digest,
    )


def cached_summary(
    store: Store,
    stored: StoredArticle,
    budget: Budget,
    method: str = DEFAULT_METHOD,
    *,
    keywords: int = DEFAULT_KEYWORDS,
) -> dict[str, Any]:
    """The summary dict of ``stored`` (:func:`~inbrief.render.summary_to_dict`), cached.

    Read from the store's cache when present; otherwise computed with
    :func:`~inbrief.pipeline.summarize_article`, stored under :func:`summary_key`, and
    returned.  Either way the dict equals what ``summary_to_dict(summarize_article(...))``
    gives for the same article and options.  Raises
    :class:`~inbrief.errors.MethodError` for an unknown method and
    :class:`~inbrief.store.StoreError` when the database fails.  An article deleted while its
    summary was being computed still gets that summary (it was asked for while it existed);
    there is nothing left to cache it under.
    """
    return cached_summaries(store, stored, (budget,), method, keywords=keywords)[0]


def cached_summaries(
    store: Store,
    stored: StoredArticle,
    budgets: Sequence[Budget],
    method: str = DEFAULT_METHOD,
    *,
    keywords: int = DEFAULT_KEYWORDS,
) -> list[dict[str, Any]]:
    """:func:`cached_summary` for each of ``budgets``, in their order; the ones not cached
    are computed in one :func:`~inbrief.pipeline.summarize_budgets` call (one split, one
    ranking, one set of key phrases: what ingest pays for an article's default summaries)."""
    budgets = [_canonical_budget(budget) for budget in budgets]
    keys = [summary_key(stored, budget, method, keywords=keywords) for budget in budgets]
    found = _cached(store, keys, {})
    missing = sorted(set(keys) - found.keys())
    if not missing:
        return [found[key] for key in keys]
    # Concurrent requests for one summary wait for one computation (one model call for a
    # written summary), then read what it stored.  Keys are locked in one order (sorted), so
    # two callers wanting overlapping sets cannot wait for each other.
    with ExitStack() as locks:
        for key in missing:
            locks.enter_context(one_at_a_time(key))
        found = _cached(store, missing, found)
        todo = {key: budget for key, budget in zip(keys, budgets, strict=True) if key not in found}
        made = (
            summarize_budgets(stored.article, list(todo.values()), method=method, keywords=keywords)
            if todo
            else ()
        )
        for (key, budget), summary in zip(todo.items(), made, strict=True):
            found[key] = result = summary_to_dict(summary)
            if summary.fallback is not None and summary.written is None:
                continue  # the model was not reached: the next request should try it again
            _store(store, key, stored, summary, budget, result)
    return [found[key] for key in keys]


def _cached(store: Store, keys: Sequence[str], found: dict[str, Any]) -> dict[str, Any]:
    """``found`` with the dicts of those of ``keys`` the store's cache holds."""
    for key in keys:
        if key not in found and (payload := store.get_summary(key)) is not None:
            found[key] = json.loads(payload)
    return found


# key -> (lock, number of callers holding or waiting for it); an entry goes with its last caller.
_flights: dict[str, tuple[threading.Lock, int]] = {}
_flights_lock = threading.Lock()


@contextmanager
def one_at_a_time(key: str) -> Iterator[None]:
    """Hold the lock of ``key`` (in this process) while the body runs: concurrent callers of
    one key wait for the first, which the service's in-memory layer relies on too."""
    with _flights_lock:
        lock, callers = _flights.get(key, (threading.Lock(), 0))
        _flights[key] = (lock, callers + 1)
    try:
        with lock:
            yield
    finally:
        with _flights_lock:
            lock, callers = _flights[key]
            if callers == 1:
                del _flights[key]
            else:
                _flights[key] = (lock, callers - 1)


def _store(
    store: Store,
    key: str,
    stored: StoredArticle,
    summary: Summary,
    budget: Budget,
    result: dict[str, Any],
) -> None:
    try:
        store.put_summary(
            key,
            stored.id,
            summary.method,
            summary.method_version,
            budget.describe(),
            stored.article.language,
            json.dumps(result, ensure_ascii=False),
        )
    except StoreError:
        if store.get_article(stored.id) is not None:
            raise


def _canonical_budget(budget: Budget) -> Budget:
    """One spelling per budget: counts as ``int``, ratios as ``float``.

    ``Budget("words", 60)`` and ``Budget("words", 60.0)`` share a key, so the cached dict must
    not depend on which of them came first (JSON would write ``60`` or ``60.0``).
    """
    value = float(budget.value) if budget.unit == "ratio" else int(budget.value)
    return Budget(unit=budget.unit, value=value)


__all__ = [
    "KEY_SCHEME",
    "article_key",
    "cache_key",
    "cached_summaries",
    "cached_summary",
    "one_at_a_time",
    "summary_key",
    "text_key",
]
