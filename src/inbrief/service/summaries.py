"""The summaries the API answers: JSON text, or the CLI's text, markdown and bullets.

A stored article's summary comes from the store's cache (:func:`inbrief.cache.cached_summary`,
computed once); another article's is made per request, except a written one (the ``llm``
method), which costs the model seconds: it is remembered for every reader who asks
(:class:`~.memo.WrittenMemo`), the widget's readers above all.  Whether an answer may be kept
in memory is :func:`~.memo.model_reached`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from fastapi import Response

from inbrief import summarizers
from inbrief.cache import article_key, cached_summary, summary_key
from inbrief.models import Article, Budget, CheckedSentence, Sentence, Summary, Written
from inbrief.pipeline import extract, summarize_article
from inbrief.render import render_summary, summary_to_dict
from inbrief.service.memo import PageMemo, WrittenMemo, model_reached
from inbrief.service.schemas import SourceFields, SummaryOptions
from inbrief.service.written import is_written, told_to_readers
from inbrief.store import Store, StoredArticle

JSON = "application/json"
MEDIA_TYPE_OF = {
    "json": JSON,
    "text": "text/plain",
    "markdown": "text/markdown",
    "bullets": "text/plain",
}


def dumps(value: Any) -> str:
    """The API's JSON text: the summary cache's own serialization (non-ASCII kept)."""
    return json.dumps(value, ensure_ascii=False)


def rendered(
    article: Article, options: SummaryOptions, written: Callable[[], str] | None = None
) -> Response:
    """A summary in the CLI's text, markdown or bullets format; a written one is read from its
    JSON as ``written()`` gives it (where it is kept), not asked of the model again."""
    if written is not None and is_written(options.method):
        summary = summary_from_json(json.loads(written()), article)
    else:
        budget, method = options.budget(), options.method
        summary = summarize_article(article, budget, method=method, keywords=options.keywords)
    return Response(
        render_summary(summary, options.format), media_type=MEDIA_TYPE_OF[options.format]
    )


def stored_summary_json(
    store: Store, stored: StoredArticle, options: SummaryOptions
) -> tuple[str, bool]:
    """The cached summary of a stored article as JSON text, computed and cached on a miss,
    and whether it may be remembered (:func:`~.memo.model_reached`)."""
    # A hit is returned as the cache stored it: no parse and re-serialization per request.
    key = summary_key(stored, options.budget(), options.method, keywords=options.keywords)
    payload = store.get_summary(key)
    if payload is not None:
        return payload, True
    summary = cached_summary(
        store, stored, options.budget(), options.method, keywords=options.keywords
    )
    return dumps(told_to_readers(summary)), model_reached(summary)


def article_of(source: SourceFields, pages: PageMemo) -> Article:
    """The article a request sends or names; a page fetched from ``url`` is remembered."""
    article = pages.get(source.url) if source.url is not None else None
    if article is None:
        article = extract(source.document())
        if source.url is not None:
            pages.put(source.url, article)
    return article


def summary_json(article: Article, options: SummaryOptions, written: WrittenMemo) -> str:
    """The summary of an article not in the store as JSON text; a written one is remembered."""

    def summary() -> dict[str, Any]:
        made = summarize_article(
            article, options.budget(), method=options.method, keywords=options.keywords
        )
        return told_to_readers(summary_to_dict(made))

    if not is_written(options.method):
        return dumps(summary())
    summarizer = summarizers.get(options.method)
    key = article_key(article, summarizer, options.budget(), keywords=options.keywords)
    return written.summary(key, summary)


def summary_from_json(summary: dict[str, Any], article: Article) -> Summary:
    """A summary's JSON (:func:`~inbrief.render.summary_to_dict`) as a :class:`Summary` that
    renders as the one it came from: its shown sentences, title and key phrases."""
    stats = summary["stats"]
    written = summary["written"]
    budget = Budget(summary["budget"]["unit"], summary["budget"]["value"])
    shown = (
        Written(
            model=written["model"],
            prompt_version=written["prompt_version"],
            sentences=tuple(
                CheckedSentence(c["text"], c["supported"], tuple(map(_sentence, c["support"])))
                for c in summary["sentences"]
            ),
        )
        if written and summary["fallback"] is None
        else None
    )
    return Summary(
        article=article,
        sentences=() if shown else tuple(map(_sentence, summary["sentences"])),
        method=stats["method"],
        method_version=stats["method_version"],
        budget=budget,
        keyphrases=tuple(summary["keyphrases"]),
        over_budget=summary["over_budget"],
        written=shown,
    )


def _sentence(sentence: dict[str, Any]) -> Sentence:
    return Sentence(sentence["index"], sentence["start"], sentence["end"], sentence["text"])
