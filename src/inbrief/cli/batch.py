"""``inbrief batch``: whole archives through :func:`inbrief.batch.run_batch`, resumable."""

from __future__ import annotations

from typing import Annotated

import typer

from inbrief.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    CharsOpt,
    HtmlColumnOpt,
    IdColumnOpt,
    KeywordsOpt,
    LLMContextOpt,
    LLMModelOpt,
    LLMTimeoutOpt,
    LLMUrlOpt,
    MethodOpt,
    RatioOpt,
    SentencesOpt,
    TextColumnOpt,
    UrlColumnOpt,
    WordsOpt,
    column_or_none,
    error,
    llm_configured,
    usage_checked,
)
from inbrief.errors import BatchInterrupted, BatchOptionError, InbriefError
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD

# Failed rows reported one per line on stderr; past this many, the rest are only counted (each
# has its error in the output), so that a bad archive does not bury the terminal or the log.
FAILURES_SHOWN = 20


class FailureLines:
    """Reports a batch's failed rows on stderr: the first :data:`FAILURES_SHOWN`, then a count."""

    def __init__(self, out: str) -> None:
        self.out = out
        self.shown = 0

    def __call__(self, line: str) -> None:
        """Print one failed row's line, while fewer than :data:`FAILURES_SHOWN` were printed."""
        if self.shown >= FAILURES_SHOWN:
            return
        error(line)
        self.shown += 1
        if self.shown == FAILURES_SHOWN:
            error(f"only the first {FAILURES_SHOWN} failed rows are shown here; see {self.out}")

    def finish(self, failed: int) -> None:
        """Say how many failed rows were not shown, once the run is over."""
        if failed > self.shown:
            unshown = failed - self.shown
            error(
                f"{unshown:,} more failed row{'s' if unshown != 1 else ''} not shown: "
                f"each has its error in {self.out}"
            )


def batch(
    inputs: Annotated[
        list[str],
        typer.Argument(metavar="INPUT...", help="JSONL(.gz/.zst), Parquet or CSV files, or globs."),
    ],
    out: Annotated[
        str,
        typer.Option("--out", "-o", metavar="PATH", help="Output .jsonl file or .parquet folder."),
    ],
    engine: Annotated[
        str, typer.Option(metavar="NAME", help="local (a process pool) or ray.")
    ] = "local",
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", metavar="N", help="Worker processes (default: all cores)."),
    ] = None,
    address: Annotated[
        str | None, typer.Option(metavar="ADDRESS", help="Ray cluster: auto or ray://host:port.")
    ] = None,
    id_column: IdColumnOpt = "id",
    text_column: TextColumnOpt = "text",
    html_column: HtmlColumnOpt = "html",
    url_column: UrlColumnOpt = "url",
    sentences: SentencesOpt = None,
    words: WordsOpt = None,
    chars: CharsOpt = None,
    ratio: RatioOpt = None,
    method: MethodOpt = DEFAULT_METHOD,
    keywords: KeywordsOpt = DEFAULT_KEYWORDS,
    llm_url: LLMUrlOpt = None,
    llm_model: LLMModelOpt = None,
    llm_context: LLMContextOpt = None,
    llm_timeout: LLMTimeoutOpt = None,
    chunk_size: Annotated[
        int,
        typer.Option(metavar="N", help="Rows per chunk: the unit of resume and of work.", min=1),
    ] = 256,
) -> None:
    """Summarize whole archives; re-running with the same --out resumes where it stopped.

    A re-run skips the rows already summarized and does the failed ones again. Each failed
    row is written with its error and reported on stderr (the first 20); on a terminal a
    progress bar shows how far it got, elsewhere a line every few seconds.

    Examples:

      inbrief batch archive-*.jsonl.gz --out summaries.jsonl --jobs 2

      inbrief batch news.parquet --text-column body --out summaries.parquet

      inbrief batch s3-mirror/*.parquet --engine ray --address auto --out out.parquet
    """
    from inbrief.batch import run_batch

    if engine not in ("local", "ray"):
        error(f"--engine must be local or ray, not {engine!r}")
        raise typer.Exit(EXIT_USAGE)
    budget = usage_checked((method,), sentences=sentences, words=words, chars=chars, ratio=ratio)
    llm_configured(
        (method,), url=llm_url, model=llm_model, context=llm_context, timeout=llm_timeout
    )

    failures = FailureLines(out)
    try:
        report = run_batch(
            inputs,
            out,
            engine=engine,  # type: ignore[arg-type]
            jobs=jobs,
            address=address,
            id_column=id_column,
            text_column=column_or_none(text_column),
            html_column=column_or_none(html_column),
            url_column=column_or_none(url_column),
            budget=budget,
            method=method,
            keywords=keywords,
            chunk_size=chunk_size,
            on_failure=failures,
        )
    except BatchInterrupted as exc:
        error(str(exc))
        failures.finish(exc.report.failed)
        error(exc.report.describe())
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BatchOptionError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except InbriefError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    failures.finish(report.failed)
    error(report.describe())
    raise typer.Exit(report.exit_code)
