"""``inbrief batch``: whole archives through :func:`inbrief.batch.run_batch`, resumable."""

from __future__ import annotations

from typing import Annotated

import typer

from inbrief.cli.common import EXIT_SOME_FAILED, EXIT_USAGE, error, usage_checked
from inbrief.errors import BatchInterrupted, InbriefError
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD

# The exit code of a process stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130


def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="JSONL(.gz/.zst), Parquet or CSV files, or globs.")
    ],
    out: Annotated[str, typer.Option("--out", "-o", help="Output .jsonl file or .parquet folder.")],
    engine: Annotated[str, typer.Option(help="local (a process pool) or ray.")] = "local",
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Worker processes (default: all cores).")
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="Ray cluster: auto or ray://host:port.")
    ] = None,
    id_column: Annotated[str, typer.Option(help="Column holding the row id.")] = "id",
    text_column: Annotated[str, typer.Option(help="Text column, or none.")] = "text",
    html_column: Annotated[str, typer.Option(help="HTML column, or none.")] = "html",
    url_column: Annotated[str, typer.Option(help="URL column, or none.")] = "url",
    sentences: Annotated[int | None, typer.Option("--sentences", "-s")] = None,
    words: Annotated[int | None, typer.Option("--words", "-w")] = None,
    chars: Annotated[int | None, typer.Option("--chars", "-c")] = None,
    ratio: Annotated[float | None, typer.Option("--ratio", "-r")] = None,
    method: Annotated[str, typer.Option("--method", "-m")] = DEFAULT_METHOD,
    keywords: Annotated[int, typer.Option("--keywords", "-k", min=0)] = DEFAULT_KEYWORDS,
    chunk_size: Annotated[
        int, typer.Option(help="Rows per chunk: the unit of resume and of work.", min=1)
    ] = 256,
) -> None:
    """Summarize whole archives; re-running with the same --out resumes where it stopped.

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

    def column(name: str) -> str | None:
        return None if name.lower() == "none" else name

    try:
        report = run_batch(
            inputs,
            out,
            engine=engine,  # type: ignore[arg-type]
            jobs=jobs,
            address=address,
            id_column=id_column,
            text_column=column(text_column),
            html_column=column(html_column),
            url_column=column(url_column),
            budget=budget,
            method=method,
            keywords=keywords,
            chunk_size=chunk_size,
        )
    except BatchInterrupted as exc:
        error(str(exc))
        error(exc.report.describe())
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except InbriefError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    error(report.describe())
    raise typer.Exit(report.exit_code)
