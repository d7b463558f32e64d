"""Summaries and articles as text, Markdown, bullets or JSON.

:func:`summary_to_dict` is the one JSON shape of a summary: the CLI, the JSONL stream and the
web API all emit it, so a client can rely on the same fields everywhere.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from inbrief import __version__
from inbrief.models import Article, Summary

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
        "text": article.text,
    }


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """The summary as JSON-ready values: metadata, sentences with offsets, keyphrases, stats.

    ``summary`` lists the sentences' text; ``sentences`` gives each one's ``index`` in the
    article and its ``start``/``end`` character offsets into ``text``.
    """
    stats = summary.stats
    return {
        **article_to_dict(summary.article),
        "summary": [s.text for s in summary.sentences],
        "sentences": [
            {"index": s.index, "start": s.start, "end": s.end, "text": s.text}
            for s in summary.sentences
        ],
        "keyphrases": list(summary.keyphrases),
        "budget": {"unit": summary.budget.unit, "value": summary.budget.value},
        "over_budget": summary.over_budget,
        "stats": {
            "article_words": stats.article_words if stats else None,
            "summary_words": stats.summary_words if stats else None,
            "minutes_saved": stats.minutes_saved if stats else None,
            "method": summary.method,
            "method_version": summary.method_version,
            "inbrief_version": __version__,
        },
    }


def render_summary(summary: Summary, fmt: SummaryFormat = "text") -> str:
    """Render ``summary`` in one of :data:`FORMATS` (no trailing newline)."""
    if fmt == "json":
        return json.dumps(summary_to_dict(summary), ensure_ascii=False, indent=2)
    texts = [" ".join(s.text.split()) for s in summary.sentences]
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
