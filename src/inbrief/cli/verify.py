"""``inbrief verify``: check a summary against its article, one pair or a JSONL stream."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Annotated, Any

import typer

from inbrief.cli.common import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, error, guarded
from inbrief.errors import InbriefError, SourceError, internal_error
from inbrief.models import Article, CheckedSentence


def verify(
    article: Annotated[
        str | None,
        typer.Argument(
            help="The article: a URL, an HTML or text file, or - for stdin.", show_default=False
        ),
    ] = None,
    summary: Annotated[
        str | None,
        typer.Option(
            "--summary",
            metavar="FILE",
            help="The summary to check: a text file (or - for stdin), split into sentences.",
            show_default=False,
        ),
    ] = None,
    jsonl: Annotated[
        str | None,
        typer.Option(
            "--jsonl",
            metavar="FILE",
            help='Check a JSONL stream (or - for stdin): {"id", "article"|"text"|"html"|"url", '
            '"summary"} per line, the summary a list of sentences or a text.',
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check that a summary says only what its article says.

    Each summary sentence gets the article sentences that support it and the problems found:
    numbers, dates, quotations and names the support does not give, words the article does
    not use, negations it does not make.  Any summary, from any tool.

    Examples:

      inbrief verify story.html --summary summary.txt

      my-summarizer story.txt | inbrief verify story.txt --summary -

      inbrief verify --jsonl pairs.jsonl > checked.jsonl
    """
    if jsonl is not None:
        if article is not None or summary is not None:
            error("give either ARTICLE --summary FILE or --jsonl, not both")
            raise typer.Exit(EXIT_USAGE)
        raise typer.Exit(_stream(jsonl))
    if article is None or summary is None:
        error(
            "name the article and its summary (inbrief verify ARTICLE --summary FILE), "
            "or use --jsonl"
        )
        raise typer.Exit(EXIT_USAGE)
    if article == "-" and summary == "-":
        error("the article and the summary cannot both be read from stdin")
        raise typer.Exit(EXIT_USAGE)
    result = guarded(article, lambda: _check_files(article, summary))
    if result is None:
        raise typer.Exit(EXIT_SOME_FAILED)
    typer.echo(json.dumps(_sentences(result), ensure_ascii=False, indent=2))
    raise typer.Exit(EXIT_OK)


def _check_files(origin: str, summary_origin: str) -> tuple[CheckedSentence, ...]:
    from inbrief import sources
    from inbrief.cli.summarize import article_from
    from inbrief.verify import check_article

    article = article_from(sources.load(origin))
    text = sources.load(summary_origin).content
    return check_article(article, _summary_lines(text, article))


def _summary_lines(text: str, article: Article) -> list[str]:
    """The summary's sentences: each line split on its own, as a summary often puts one
    sentence (or bullet) a line without a full stop."""
    from inbrief.text import split_sentences

    sentences = [
        sentence.text
        for line in text.splitlines()
        for sentence in split_sentences(line.strip().lstrip("-•* ").strip(), article.language)
    ]
    if not sentences:
        raise SourceError("the summary is empty: nothing to check")
    return sentences


def _sentences(checked: Iterable[CheckedSentence]) -> dict[str, Any]:
    from inbrief.render import checked_to_dict

    return {"sentences": [checked_to_dict(sentence) for sentence in checked]}


def _stream(path: str) -> int:
    """Answer each line of the JSONL stream ``path`` on stdout, in order; each bad line gets
    an ``error`` line, and one on stderr (``inbrief: line 3: ...``), and the stream goes on."""
    from inbrief.batch.inputs import stream_rows
    from inbrief.batch.stream import open_stream
    from inbrief.batch.work import failure_line, json_line

    failed = 0
    try:
        with open_stream(path) as lines:
            for row in stream_rows(lines):
                output = _row_output(row.id, row.record, row.error)
                sys.stdout.write(json_line(output))
                sys.stdout.flush()
                if "error" in output:
                    failed += 1
                    error(failure_line(row, output, f"line {row.number}"))
    except InbriefError as exc:
        error(str(exc))
        return EXIT_SOME_FAILED
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _row_output(
    row_id: object, record: dict[str, Any] | None, problem: str | None
) -> dict[str, Any]:
    """``{"id", "sentences"}`` for one record, or ``{"id", "error"}``."""
    if record is None:
        return {"id": row_id, "error": problem or "unreadable line"}
    try:
        return {"id": row_id, **_sentences(_check_record(record))}
    except InbriefError as exc:
        return {"id": row_id, "error": str(exc)}
    except Exception as exc:  # one bad line must not end the stream; the message says to report it
        return {"id": row_id, "error": internal_error(exc)}


def _check_record(record: dict[str, Any]) -> tuple[CheckedSentence, ...]:
    from inbrief.sources.records import article_from_record
    from inbrief.verify import check_article

    summary = record.get("summary")
    if isinstance(summary, list):
        if not all(isinstance(sentence, str) for sentence in summary):
            raise SourceError("summary must be a list of sentences (strings) or a text")
    elif not isinstance(summary, str):
        raise SourceError('give the summary to check: "summary": ["sentence", ...] or a text')
    cited = record.get("cited")
    if cited is not None and not (
        isinstance(cited, list)
        and all(isinstance(c, list) and all(isinstance(i, int) for i in c) for c in cited)
    ):
        raise SourceError("cited must be a list of lists of sentence indexes, one per sentence")
    return check_article(article_from_record(record), summary, cited=cited)
