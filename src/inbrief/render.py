"""Summaries and articles as text, Markdown, bullets or JSON.

:func:`summary_to_dict` is the one JSON shape of a summary: the CLI, the JSONL stream and the
web API all emit it, so a client can rely on the same fields everywhere.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import inbrief
from inbrief.models import Article, CheckedSentence, Sentence, Summary

SummaryFormat = Literal["text", "markdown", "bullets", "json"]
FORMATS: tuple[SummaryFormat, ...] = ("text", "markdown", "bullets", "json")


def article_to_dict(article: Article) -> dict[str, Any]:
    """The article's metadata and text as JSON-ready values."""
    return {
        "title": article.title,
        "author": article.author,
        "date": article.date,
        "language": article.language,
        "site": article.site,
        "url": article.url,
        "source": article.origin,
        "complete": article.complete,
        "incomplete_reason": article.incomplete_reason,
        "image": article.image,
        "image_alt": article.image_alt,
        "description": article.description,
        "tags": list(article.tags),
        "categories": list(article.categories),
        "videos": list(article.videos),
        "text": article.text,
    }


def sentence_to_dict(sentence: Sentence) -> dict[str, Any]:
    """An article sentence: its ``index``, ``start``/``end`` offsets into the text, its text."""
    return {
        "index": sentence.index,
        "start": sentence.start,
        "end": sentence.end,
        "text": sentence.text,
    }


def checked_to_dict(checked: CheckedSentence) -> dict[str, Any]:
    """A checked summary sentence: its text, whether it is supported, the article sentences
    supporting it (with offsets), the sentences its writer cited, and the problems found."""
    return {
        "text": checked.text,
        "supported": checked.supported,
        "support": [sentence_to_dict(s) for s in checked.support],
        "cited": list(checked.cited),
        "problems": [{"kind": p.kind, "text": p.text, "note": p.note} for p in checked.problems],
    }


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """The summary as JSON-ready values: metadata, sentences with offsets, keyphrases, stats.

    ``summary`` lists the sentences' text.  For an extractive summary ``sentences`` gives
    each one's ``index`` in the article and its ``start``/``end`` character offsets into
    ``text``; for a written one, each written sentence with ``supported``, ``support`` (the
    article sentences it rests on, with offsets) and ``problems``, and ``written`` says which
    model wrote it, how much of the article it saw and which sentences the check removed.
    ``fallback`` says why another method than the one asked for made the summary.
    """
    stats = summary.stats
    written = summary.written
    return {
        **article_to_dict(summary.article),
        "summary": [s.text for s in summary.shown],
        "sentences": (
            [checked_to_dict(s) for s in written.sentences]
            if written and summary.fallback is None
            else [sentence_to_dict(s) for s in summary.sentences]
        ),
        "written": (
            {
                "model": written.model,
                "prompt_version": written.prompt_version,
                "sentences_seen": written.seen,
                "sentences_total": written.total,
                "saw_selection": written.saw_selection,
                "removed": len(written.removed),
                "removed_sentences": [checked_to_dict(s) for s in written.removed],
            }
            if written
            else None
        ),
        "fallback": summary.fallback,
        "keyphrases": list(summary.keyphrases),
        "budget": {"unit": summary.budget.unit, "value": summary.budget.value},
        "over_budget": summary.over_budget,
        "stats": {
            "article_words": stats.article_words if stats else None,
            "summary_words": stats.summary_words if stats else None,
            "minutes_saved": stats.minutes_saved if stats else None,
            "method": summary.method,
            "method_version": summary.method_version,
            "inbrief_version": inbrief.__version__,
        },
    }


def render_summary(summary: Summary, fmt: SummaryFormat = "text") -> str:
    """Render ``summary`` in one of :data:`FORMATS` (no trailing newline)."""
    if fmt == "json":
        return json.dumps(summary_to_dict(summary), ensure_ascii=False, indent=2)
    texts = [" ".join(s.text.split()) for s in summary.shown]
    title = summary.article.title
    if fmt == "bullets":
        return "\n".join(f"• {t}" for t in texts)
    if fmt == "markdown":
        head = f"## {title}\n\n" if title else ""
        keys = ", ".join(summary.keyphrases)
        tail = f"\n\n*Key phrases: {keys}*" if keys else ""
        return head + "\n".join(f"- {t}" for t in texts) + tail
    return " ".join(texts)


def render_article(article: Article, fmt: Literal["text", "json"] = "text") -> str:
    """Render an extracted article: its title and paragraphs, or the JSON of it."""
    if fmt == "json":
        return json.dumps(article_to_dict(article), ensure_ascii=False, indent=2)
    return f"{article.title}\n\n{article.text}" if article.title else article.text
