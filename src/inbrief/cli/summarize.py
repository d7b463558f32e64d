"""``inbrief summarize`` and ``inbrief extract``: named sources, or a JSONL stream (``--jsonl``)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, cast

import typer

from inbrief import sources
from inbrief.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    CharsOpt,
    KeywordsOpt,
    LLMContextOpt,
    LLMModelOpt,
    LLMTimeoutOpt,
    LLMUrlOpt,
    MethodOpt,
    RatioOpt,
    SentencesOpt,
    SourcesArg,
    WordsOpt,
    error,
    guarded,
    llm_configured,
    usage_checked,
)
from inbrief.errors import InbriefError
from inbrief.extract import extract as extract_document
from inbrief.models import Article, Document, Summary
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD, summarize_article
from inbrief.render import (
    FORMATS,
    SummaryFormat,
    article_to_dict,
    render_article,
    render_summary,
    summary_to_dict,
)

JsonlOpt = Annotated[
    str | None,
    typer.Option(
        "--jsonl",
        metavar="FILE",
        help='Stream a JSONL file (or - for stdin): one {"id", "text"|"html"|"url"} per line.',
        show_default=False,
    ),
]


def summarize(
    source: SourcesArg = None,
    sentences: SentencesOpt = None,
    words: WordsOpt = None,
    chars: CharsOpt = None,
    ratio: RatioOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="text, markdown, bullets or json."),
    ] = "text",
    keywords: KeywordsOpt = DEFAULT_KEYWORDS,
    jsonl: JsonlOpt = None,
    llm_url: LLMUrlOpt = None,
    llm_model: LLMModelOpt = None,
    llm_context: LLMContextOpt = None,
    llm_timeout: LLMTimeoutOpt = None,
) -> None:
    """Summarize news articles.

    Examples:

      inbrief summarize https://example.org/news/story.html

      inbrief summarize story.html --words 60 --format bullets

      cat story.txt | inbrief summarize - --sentences 2 --format json

      inbrief summarize --jsonl articles.jsonl > summaries.jsonl

      inbrief summarize story.html -m llm --llm-url http://127.0.0.1:11434/v1 --llm-model qwen2.5:3b
    """
    budget = usage_checked((method,), sentences=sentences, words=words, chars=chars, ratio=ratio)
    llm_configured(
        (method,), url=llm_url, model=llm_model, context=llm_context, timeout=llm_timeout
    )
    if fmt not in FORMATS:
        error(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(EXIT_USAGE)
    if jsonl is not None:
        code = _stream_jsonl(jsonl, source, budget=budget, method=method, keywords=keywords)
        raise typer.Exit(code)
    failed = _each_source(
        source,
        lambda origin: _told(
            summarize_article(
                article_from(sources.load(origin)), budget, method=method, keywords=keywords
            )
        ),
        lambda summary: render_summary(summary, cast(SummaryFormat, fmt)),
        as_json=fmt == "json",
        to_dict=summary_to_dict,
    )
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def extract(
    source: SourcesArg = None,
    fmt: Annotated[
        str, typer.Option("--format", "-f", metavar="FORMAT", help="text or json.")
    ] = "text",
    jsonl: JsonlOpt = None,
) -> None:
    """Extract the clean article text and metadata from news pages.

    Examples:

      inbrief extract https://example.org/news/story.html

      inbrief extract page.html --format json

      inbrief extract --jsonl pages.jsonl > articles.jsonl
    """
    if fmt not in ("text", "json"):
        error(f"--format must be text or json, not {fmt!r}")
        raise typer.Exit(EXIT_USAGE)
    if jsonl is not None:
        raise typer.Exit(_stream_jsonl(jsonl, source, task="extract"))
    failed = _each_source(
        source,
        lambda origin: article_from(sources.load(origin)),
        lambda article: render_article(article, "json" if fmt == "json" else "text"),
        as_json=fmt == "json",
        to_dict=article_to_dict,
    )
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _told(summary: Summary) -> Summary:
    """``summary``, after saying on stderr why it is not made by the method asked for."""
    if summary.fallback:
        error(
            f"warning: {summary.article.origin}: no written summary ({summary.fallback}); "
            f"this is the {summary.method} summary"
        )
    return summary


def article_from(document: Document) -> Article:
    """The article of ``document``, as every command that reads sources extracts it (a
    partial article is said on stderr)."""
    article = extract_document(document)
    if not article.complete:
        # Readers must not take a summary of a teaser for the story: say so, but still answer.
        reason = article.incomplete_reason or "the page may hold only part of the article"
        error(f"warning: {article.origin}: partial article ({reason})")
    return article


def _each_source(
    origins: list[str] | None,
    work: Callable[[str], Any],
    render: Callable[[Any], str],
    *,
    as_json: bool,
    to_dict: Callable[[Any], dict[str, Any]],
) -> int:
    """Process each named source in order, printing each result; return the failure count."""
    if not origins:
        error("name at least one source (a URL, a file, or - for stdin), or use --jsonl")
        raise typer.Exit(EXIT_USAGE)
    results: list[Any] = []
    failed = 0
    for origin in origins:
        result = guarded(origin, partial(work, origin))
        if result is None:
            failed += 1
            continue
        if as_json and len(origins) > 1:
            results.append(to_dict(result))
            continue
        if len(origins) > 1:
            typer.echo(f"==> {origin} <==")
        typer.echo(render(result))
        if len(origins) > 1:
            typer.echo()
    if results:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
    return failed


def _stream_jsonl(path: str, extra: list[str] | None, **options: Any) -> int:
    """Answer each record of the JSONL stream ``path`` on stdout, and each failed one with a
    line on stderr too (``inbrief: line 3: ...``); return the exit code.

    ``options`` go to :func:`inbrief.batch.stream.stream_jsonl` (task, budget, method...).
    """
    if extra:
        error("give either sources or --jsonl, not both")
        return EXIT_USAGE
    # Imported here: the batch package would add to every other command's start-up.
    from inbrief.batch.stream import open_stream, stream_jsonl

    try:
        with open_stream(path) as lines:
            totals = stream_jsonl(lines, sys.stdout, on_failure=error, **options)
    except InbriefError as exc:
        error(str(exc))
        return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if totals.failed else EXIT_OK
