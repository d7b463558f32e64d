"""The ``inbrief`` command: thin Typer commands over the library, no logic of its own."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from functools import partial
from pathlib import Path
from typing import Annotated, Any, TextIO, cast

import typer

from inbrief import __version__, records, sources, summarizers
from inbrief.errors import BudgetError, InbriefError, MethodError, SourceError
from inbrief.extract import extract as extract_document
from inbrief.models import Article, Budget, Document
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD, summarize_article
from inbrief.render import (
    FORMATS,
    SummaryFormat,
    article_to_dict,
    render_article,
    render_summary,
    summary_to_dict,
)

app = typer.Typer(
    name="inbrief",
    help="Extract news articles and summarize them faithfully, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2

SourcesArg = Annotated[
    list[str] | None,
    typer.Argument(help="URLs, HTML or text files, or - for stdin.", show_default=False),
]
JsonlOpt = Annotated[
    str | None,
    typer.Option(
        "--jsonl",
        help='Stream a JSONL file (or - for stdin): one {"id", "text"|"html"|"url"} per line.',
        show_default=False,
    ),
]


def _error(message: str) -> None:
    typer.echo(f"inbrief: {message}", err=True)


def _usage_checked(
    methods: tuple[str, ...],
    *,
    sentences: int | None = None,
    words: int | None = None,
    chars: int | None = None,
    ratio: float | None = None,
) -> Budget:
    """The budget the options ask for, after checking it and every method named; a usage
    error (exit 2, one line on stderr) otherwise, before any work starts."""
    try:
        budget = Budget.from_options(sentences=sentences, words=words, chars=chars, ratio=ratio)
        for method in methods:
            summarizers.get(method)
    except (BudgetError, MethodError) as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    return budget


def _article_from(document: Document) -> Article:
    article = extract_document(document)
    if not article.complete:
        # Readers must not take a summary of a teaser for the story: say so, but still answer.
        reason = article.incomplete_reason or "the page may hold only part of the article"
        _error(f"warning: {article.origin}: partial article ({reason})")
    return article


def _guarded(origin: str, work: Callable[[], Any]) -> Any:
    """Run one source's work; turn any failure into one line on stderr and None."""
    try:
        return work()
    except InbriefError as exc:
        _error(str(exc))
    except Exception as exc:  # a bug must not take the other sources down, nor print a traceback
        _error(f"{origin}: internal error ({type(exc).__name__}: {exc}); please report it")
    return None


@app.command()
def summarize(
    source: SourcesArg = None,
    sentences: Annotated[
        int | None,
        typer.Option("--sentences", "-s", help="Summary length in sentences (default 3)."),
    ] = None,
    words: Annotated[
        int | None, typer.Option("--words", "-w", help="At most this many words.")
    ] = None,
    chars: Annotated[
        int | None, typer.Option("--chars", "-c", help="At most this many characters.")
    ] = None,
    ratio: Annotated[
        float | None, typer.Option("--ratio", "-r", help="This share of the article's words, 0-1.")
    ] = None,
    method: Annotated[
        str,
        typer.Option(
            "--method",
            "-m",
            help="Summarizer: news (the default), learned, centrality, lead, textrank, lexrank.",
        ),
    ] = DEFAULT_METHOD,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help="text, markdown, bullets or json.")
    ] = "text",
    keywords: Annotated[
        int, typer.Option("--keywords", "-k", help="Key phrases in JSON/Markdown.", min=0)
    ] = DEFAULT_KEYWORDS,
    jsonl: JsonlOpt = None,
) -> None:
    """Summarize news articles.

    Examples:

      inbrief summarize https://example.org/news/story.html

      inbrief summarize story.html --words 60 --format bullets

      cat story.txt | inbrief summarize - --sentences 2 --format json

      inbrief summarize --jsonl articles.jsonl > summaries.jsonl
    """
    budget = _usage_checked((method,), sentences=sentences, words=words, chars=chars, ratio=ratio)
    if fmt not in FORMATS:
        _error(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
        raise typer.Exit(EXIT_USAGE)

    def summary_of(article: Article) -> Any:
        return summarize_article(article, budget, method=method, keywords=keywords)

    if jsonl is not None:
        raise typer.Exit(_stream_jsonl(jsonl, lambda art: summary_to_dict(summary_of(art)), source))
    failed = _each_source(
        source,
        lambda origin: summary_of(_article_from(sources.load(origin))),
        lambda summary: render_summary(summary, cast(SummaryFormat, fmt)),
        as_json=fmt == "json",
        to_dict=summary_to_dict,
    )
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@app.command()
def extract(
    source: SourcesArg = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    jsonl: JsonlOpt = None,
) -> None:
    """Extract the clean article text and metadata from news pages.

    Examples:

      inbrief extract https://example.org/news/story.html

      inbrief extract page.html --format json

      inbrief extract --jsonl pages.jsonl > articles.jsonl
    """
    if fmt not in ("text", "json"):
        _error(f"--format must be text or json, not {fmt!r}")
        raise typer.Exit(EXIT_USAGE)
    if jsonl is not None:
        raise typer.Exit(_stream_jsonl(jsonl, article_to_dict, source))
    failed = _each_source(
        source,
        lambda origin: _article_from(sources.load(origin)),
        lambda article: render_article(article, "json" if fmt == "json" else "text"),
        as_json=fmt == "json",
        to_dict=article_to_dict,
    )
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help="sqlite:///path or postgresql://... (default: var/inbrief.db, or $INBRIEF_DATA_DIR).",
        show_default=False,
    ),
]


def _open_store(database: str | None) -> Any:
    from inbrief.store import Store

    try:
        return Store.open(database)
    except InbriefError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database: DatabaseOpt = None,
    demo: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Fill an empty database with the demo corpus.")
    ] = True,
) -> None:
    """Run the web reader: article list, article pages with "Get a summary", search, API.

    Example:

      inbrief serve --port 8000 --database sqlite:///news.db
    """
    from inbrief.service.app import serve as run_server

    try:
        run_server(host, port, database, demo=demo)
    except InbriefError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None


@app.command()
def add(source: SourcesArg = None, database: DatabaseOpt = None) -> None:
    """Add articles to the reader's database (summaries are computed as they are added).

    Example:

      inbrief add https://example.org/news/story.html saved-page.html
    """
    from inbrief.ingest import add_source

    if not source:
        _error("name at least one source (a URL, a file, or - for stdin)")
        raise typer.Exit(EXIT_USAGE)
    store = _open_store(database)
    failed = 0
    try:
        for origin in source:
            result = _guarded(origin, partial(add_source, store, origin))
            if result is None:
                failed += 1
                continue
            state = "added" if result.created else "already stored"
            typer.echo(f"{state}: #{result.article.id} {result.article.article.title or origin}")
    finally:
        store.close()
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


feeds_app = typer.Typer(help="Subscribe to RSS/Atom feeds and poll them for new articles.")
app.add_typer(feeds_app, name="feeds")


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's URL.")], database: DatabaseOpt = None
) -> None:
    """Subscribe to a feed (its articles arrive with the next poll)."""
    store = _open_store(database)
    try:
        feed, created = store.add_feed(url)
    finally:
        store.close()
    typer.echo(f"{'subscribed' if created else 'already subscribed'}: #{feed.id} {feed.url}")


@feeds_app.command("list")
def feeds_list(database: DatabaseOpt = None) -> None:
    """List subscribed feeds with their last poll and error."""
    store = _open_store(database)
    try:
        for feed in store.list_feeds():
            status = f"error: {feed.last_error}" if feed.last_error else "ok"
            polled = feed.last_polled_at.isoformat() if feed.last_polled_at else "never polled"
            typer.echo(f"#{feed.id} {feed.title or feed.url} ({feed.url}) — {polled}, {status}")
    finally:
        store.close()


@feeds_app.command("poll")
def feeds_poll(
    database: DatabaseOpt = None,
    every: Annotated[
        str | None, typer.Option("--every", help="Keep polling at this interval, e.g. 15m, 1h.")
    ] = None,
) -> None:
    """Poll every feed once (or forever with --every) and add their new articles."""
    import time

    from inbrief.feeds import poll_all

    interval = _duration(every) if every else None
    store = _open_store(database)
    try:
        while True:
            failed = 0
            for result in poll_all(store):
                name = result.feed.title or result.feed.url
                if result.error:
                    failed += 1
                    _error(f"{name}: {result.error}")
                    continue
                if result.not_modified:
                    typer.echo(f"{name}: not modified")
                    continue
                typer.echo(
                    f"{name}: {len(result.added)} new, {result.duplicates} already stored, "
                    f"{len(result.entry_errors)} failed"
                )
                for entry in result.entry_errors:
                    _error(f"{name}: {entry.entry}: {entry.message}")
            if interval is None:
                raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)
            time.sleep(interval)
    except KeyboardInterrupt:
        raise typer.Exit(EXIT_OK) from None
    finally:
        store.close()


def _duration(text: str) -> float:
    """Seconds in ``30s``, ``15m``, ``2h`` (a bare number is minutes)."""
    units = {"s": 1, "m": 60, "h": 3600}
    value, unit = (text[:-1], text[-1]) if text[-1:] in units else (text, "m")
    try:
        seconds = float(value) * units[unit]
    except ValueError:
        seconds = 0
    if seconds <= 0:
        _error(f"--every takes a duration such as 30s, 15m or 2h, not {text!r}")
        raise typer.Exit(EXIT_USAGE)
    return seconds


@app.command()
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
    from inbrief.batch import BatchInterrupted, run_batch

    if engine not in ("local", "ray"):
        _error(f"--engine must be local or ray, not {engine!r}")
        raise typer.Exit(EXIT_USAGE)
    budget = _usage_checked((method,), sentences=sentences, words=words, chars=chars, ratio=ratio)

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
        _error(str(exc))
        _error(exc.report.describe())
        raise typer.Exit(130) from None
    except InbriefError as exc:
        _error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    _error(report.describe())
    raise typer.Exit(report.exit_code)


eval_app = typer.Typer(help="Measure summary and extraction quality on a dataset.")
app.add_typer(eval_app, name="eval")


@eval_app.command("summaries")
def eval_summaries(
    dataset: Annotated[Path, typer.Argument(help='JSONL(.gz) of {"id", "article", "reference"}.')],
    method: Annotated[str, typer.Option("--method", "-m")] = DEFAULT_METHOD,
    sentences: Annotated[int | None, typer.Option("--sentences", "-s")] = None,
    words: Annotated[int | None, typer.Option("--words", "-w")] = None,
    limit: Annotated[int | None, typer.Option("--limit", help="Only the first N articles.")] = None,
    baseline: Annotated[
        str | None, typer.Option("--baseline", help="Also measure this method, e.g. lead.")
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="Article language; fr etc. use Unicode scoring.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    save: Annotated[Path | None, typer.Option("--save", help="Write the summaries here.")] = None,
) -> None:
    """ROUGE-1/2/Lsum (F x 100, rouge-score with stemming) and articles/s of a method.

    Example:

      inbrief eval summaries ../shared/data/cnndm-dev.jsonl.gz --baseline lead --limit 1000
    """
    from inbrief.evaluate.summaries import evaluate_summaries, format_report

    methods = (method, baseline) if baseline else (method,)
    budget = _usage_checked(methods, sentences=sentences, words=words)
    report = _guarded(
        str(dataset),
        lambda: evaluate_summaries(dataset, method, budget, limit, baseline, lang, save),
    )
    if report is None:
        raise typer.Exit(EXIT_SOME_FAILED)
    typer.echo(json.dumps(report.to_dict(), indent=2) if as_json else format_report(report))


@eval_app.command("extraction")
def eval_extraction(
    directory: Annotated[
        Path, typer.Argument(help="A folder with html/<id>.html and ground_truth.json.")
    ],
    baseline: Annotated[
        bool, typer.Option("--baseline/--no-baseline", help="Also score plain trafilatura.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """The article-extraction benchmark's F1, precision, recall and accuracy, and pages/s.

    Example:

      inbrief eval extraction ../shared/data/extraction-dev
    """
    from inbrief.evaluate.extraction import (
        evaluate_extraction,
        inbrief_extractor,
        trafilatura_extractor,
    )

    runs: list[tuple[str, Any]] = []
    if baseline:
        runs.append(("trafilatura", trafilatura_extractor()))
        runs.append(("trafilatura favor_precision", trafilatura_extractor(favor_precision=True)))
    runs.append(("inbrief", inbrief_extractor))
    rows = []
    for name, extractor in runs:
        report = _guarded(str(directory), partial(evaluate_extraction, directory, extractor))
        if report is None:
            raise typer.Exit(EXIT_SOME_FAILED)
        score = report.score
        rows.append(
            {
                "extractor": name,
                "f1": round(score.f1, 4),
                "precision": round(score.precision, 4),
                "recall": round(score.recall, 4),
                "accuracy": round(score.accuracy, 4),
                "pages": score.pages,
                "pages_per_second": round(report.pages_per_second, 1),
            }
        )
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    typer.echo(f"{'extractor':<28} {'F1':>6} {'P':>6} {'R':>6} {'acc':>6} {'pages/s':>8}")
    for row in rows:
        typer.echo(
            f"{row['extractor']:<28} {row['f1']:6.3f} {row['precision']:6.3f} "
            f"{row['recall']:6.3f} {row['accuracy']:6.3f} {row['pages_per_second']:8.1f}"
        )


@app.command("version")
def show_version() -> None:
    """Print inbrief's version."""
    typer.echo(__version__)


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
        _error("name at least one source (a URL, a file, or - for stdin), or use --jsonl")
        raise typer.Exit(EXIT_USAGE)
    results: list[Any] = []
    failed = 0
    for origin in origins:
        result = _guarded(origin, partial(work, origin))
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


def _records(stream: TextIO) -> Iterator[tuple[Any, dict[str, Any] | str]]:
    """Yield (id, record) per non-blank line, or (None, error message) for a malformed one."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            record = records.parse_json_line(line, f"line {number}")
        except SourceError as exc:
            yield None, str(exc)
            continue
        yield record.get("id"), record


def _stream_jsonl(
    path: str, to_output: Callable[[Article], dict[str, Any]], extra: Iterable[str] | None
) -> int:
    """Stream JSONL records through extraction (and ``to_output``); return the exit code."""
    if extra:
        _error("give either sources or --jsonl, not both")
        return EXIT_USAGE
    if path == "-":
        return _write_outputs(sys.stdin, to_output)
    try:
        stream = Path(path).open(encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as exc:
        _error(f"cannot read {path}: {exc.strerror}")
        return EXIT_SOME_FAILED
    with stream:
        return _write_outputs(stream, to_output)


def _write_outputs(stream: TextIO, to_output: Callable[[Article], dict[str, Any]]) -> int:
    """Write one output line per input record, in input order; return the exit code."""
    failed = 0
    with _progress() as advance:
        for record_id, record in _records(stream):
            if isinstance(record, str):
                output: dict[str, Any] = {"id": record_id, "error": record}
            else:
                try:
                    output = {"id": record_id, **to_output(records.article_from_record(record))}
                except InbriefError as exc:
                    output = {"id": record_id, "error": str(exc)}
                except Exception as exc:  # one bad record must not end the stream
                    error = f"internal error ({type(exc).__name__}: {exc})"
                    output = {"id": record_id, "error": error}
            if "error" in output:
                failed += 1
            sys.stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
            advance()
    sys.stdout.flush()
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _progress() -> Any:
    """A context giving an ``advance()`` callable; a live progress bar only on a terminal."""
    if not sys.stderr.isatty():
        return nullcontext(lambda: None)
    from contextlib import contextmanager

    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TimeElapsedColumn

    @contextmanager
    def bar() -> Iterator[Callable[[], None]]:
        with Progress(
            SpinnerColumn(),
            "[progress.description]{task.description}",
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
        ) as progress:
            task = progress.add_task("articles", total=None)
            yield lambda: progress.advance(task)

    return bar()


def main() -> None:
    """Entry point for ``python -m inbrief``."""
    app()
