"""The reader's commands: ``inbrief serve``, ``inbrief add`` and ``inbrief feeds``."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inbrief.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    HtmlColumnOpt,
    IdColumnOpt,
    LLMContextOpt,
    LLMModelOpt,
    LLMTimeoutOpt,
    LLMUrlOpt,
    SourcesArg,
    TextColumnOpt,
    UrlColumnOpt,
    column_or_none,
    error,
    guarded,
    llm_configured,
)
from inbrief.errors import InbriefError
from inbrief.models import Article

if TYPE_CHECKING:
    from inbrief.feeds import PollResult
    from inbrief.store import Store, StoredFeed

# The highest TCP port.
MAX_PORT = 65535

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        metavar="URL",
        help="sqlite:///path or postgresql://... (default: var/inbrief.db, or $INBRIEF_DATA_DIR).",
        show_default=False,
    ),
]


def _open_store(database: str | None) -> Any:
    from inbrief.store import Store

    try:
        store = Store.open(database)
    except InbriefError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    if store.created:  # so that a mistyped --database does not go unnoticed
        error(f"created a new database at {store.location}")
    return store


def serve(
    host: Annotated[
        str, typer.Option(metavar="ADDRESS", help="Address to listen on.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar="PORT", help="Port to listen on (0: any free port).")
    ] = 8000,
    database: DatabaseOpt = None,
    demo: Annotated[
        bool, typer.Option("--demo/--no-demo", help="Fill an empty database with the demo corpus.")
    ] = True,
    access_log: Annotated[
        bool | None,
        typer.Option(
            "--access-log/--no-access-log",
            help="One line per request on stderr (default: on; INBRIEF_ACCESS_LOG).",
            show_default=False,
        ),
    ] = None,
    llm_url: LLMUrlOpt = None,
    llm_model: LLMModelOpt = None,
    llm_context: LLMContextOpt = None,
    llm_timeout: LLMTimeoutOpt = None,
    poll: Annotated[
        bool | None,
        typer.Option(
            "--poll/--no-poll",
            help="Poll the subscribed feeds in the background (default: on; INBRIEF_POLL).",
            show_default=False,
        ),
    ] = None,
    poll_interval: Annotated[
        str | None,
        typer.Option(
            "--poll-interval",
            metavar="DURATION",
            help="How often each feed is polled, e.g. 30s, 15m or 2h (default: 15m; "
            "INBRIEF_POLL_INTERVAL; a feed's own --every wins).",
            show_default=False,
        ),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            metavar="N",
            envvar="INBRIEF_WORKERS",
            help="Processes serving requests, each with its own caches (INBRIEF_WORKERS).",
            min=1,
        ),
    ] = 1,
) -> None:
    """Run the web reader: article list, article pages with "Get a summary", search, API.

    The reader polls its feeds in the background (every 15 minutes unless told otherwise);
    of several readers on one database only one polls.

    With a language model (--llm-url and --llm-model, or INBRIEF_LLM_URL and INBRIEF_LLM_MODEL)
    the reader also offers written summaries, every sentence checked against the article.

    Example:

      inbrief serve --port 8000 --database sqlite:///news.db

      inbrief serve --llm-url http://127.0.0.1:11434/v1 --llm-model qwen2.5:3b

      inbrief serve --workers 2 --host 0.0.0.0
    """
    if not 0 <= port <= MAX_PORT:
        error(f"--port must be a number from 0 to {MAX_PORT}, not {port}")
        raise typer.Exit(EXIT_USAGE)
    # The options become the INBRIEF_LLM_* variables that the settings below read.
    llm_configured((), url=llm_url, model=llm_model, context=llm_context, timeout=llm_timeout)
    from dataclasses import replace

    from inbrief.service.server import serve as run_server
    from inbrief.service.settings import Settings

    interval = _duration(poll_interval, "--poll-interval") if poll_interval else None
    try:
        settings = Settings.from_env()
        if access_log is not None:
            settings = replace(settings, access_log=access_log)
        if poll is not None:
            settings = replace(settings, poll=poll)
        if interval is not None:
            settings = replace(settings, poll_interval=interval)
        run_server(host, port, database, settings=settings, demo=demo, workers=workers)
    except InbriefError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None


ArchiveOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--jsonl",
        metavar="FILE",
        help="An archive to add: JSONL (.gz, .zst), CSV or Parquet, read as inbrief batch reads "
        "it (a glob, or repeat the option, for more).",
        show_default=False,
    ),
]
ChunkSizeOpt = Annotated[
    int, typer.Option(metavar="N", help="Archive rows per transaction: the unit of resume.", min=1)
]


def add(
    source: SourcesArg = None,
    database: DatabaseOpt = None,
    jsonl: ArchiveOpt = None,
    id_column: IdColumnOpt = "id",
    text_column: TextColumnOpt = "text",
    html_column: HtmlColumnOpt = "html",
    url_column: UrlColumnOpt = "url",
    chunk_size: ChunkSizeOpt = 256,
) -> None:
    """Add articles to the reader's database (summaries are computed as they are added).

    An archive (--jsonl) goes in a chunk of rows per transaction: a line on stdout for each
    row once it is stored with its summaries, one on stderr for each row that failed, and
    progress on stderr. Running it again adds only the rows not stored yet.

    With INBRIEF_LLM_AT_INGEST=true and a language model set (INBRIEF_LLM_URL and
    INBRIEF_LLM_MODEL), the model's written summaries are made too before the command ends.

    Examples:

      inbrief add https://example.org/news/story.html saved-page.html

      inbrief add --jsonl archive.jsonl.zst --database sqlite:///news.db
    """
    from inbrief.ingest import add_source

    if not source and not jsonl:
        error("name at least one source (a URL, a file, or - for stdin) or an archive (--jsonl)")
        raise typer.Exit(EXIT_USAGE)
    store = _open_store(database)
    failed = 0
    try:
        for origin in source or ():
            result = guarded(origin, partial(add_source, store, origin))
            if result is None:
                failed += 1
                continue
            state = "added" if result.created else "already stored"
            typer.echo(f"{state}: #{result.article.id} {_label(result.article.article, origin)}")
        if jsonl:
            columns = (id_column, text_column, html_column, url_column)
            failed += _add_archives(store, jsonl, columns, chunk_size)
        _finish_written_summaries()
    finally:
        store.close()
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


def _add_archives(
    store: Store, inputs: list[str], names: tuple[str, str, str, str], chunk_size: int
) -> int:
    """``add --jsonl``: store the archives, saying so row by row; returns the rows that failed."""
    from inbrief.batch.inputs import Columns, expand_inputs
    from inbrief.batch.progress import Totals, progress_display, progress_style
    from inbrief.errors import BatchOptionError
    from inbrief.ingest import ArchiveRow, add_archive

    id_column, text, html, url = names
    columns = Columns(id_column, column_or_none(text), column_or_none(html), column_or_none(url))
    stored = 0

    def report(row: ArchiveRow) -> None:
        nonlocal stored
        if row.error is not None:
            error(row.error)
        elif row.stored is not None:
            stored += 1
            state = "added" if row.created else "already stored"
            typer.echo(f"{state}: #{row.stored.id} id {row.id}")

    try:
        total = sum(file.size for file in expand_inputs(inputs))
        with progress_display(progress_style(None), total) as update:

            def committed(consumed: int, totals: Totals) -> None:
                # The lines of a committed chunk leave now: a reader of stdout may act on them.
                sys.stdout.flush()
                update(consumed, totals)

            done = add_archive(
                store,
                inputs,
                columns=columns,
                chunk_size=chunk_size,
                on_row=report,
                on_progress=committed,
            )
    except KeyboardInterrupt:
        error(
            f"interrupted: {stored:,} rows are stored with their summaries; "
            "run the same command again to add the rest"
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    except BatchOptionError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    except InbriefError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    error(done.describe())
    return done.failed


def _finish_written_summaries() -> None:
    """Wait for the written summaries ingest asked the model for (INBRIEF_LLM_AT_INGEST): they
    are made in the background, which a command that ends would cut short."""
    from inbrief.errors import SettingsError
    from inbrief.ingest import background_writer, model_configured, written_at_ingest

    try:
        wanted = written_at_ingest()
    except SettingsError:  # each add has said so already
        return
    if wanted and model_configured():
        error("waiting for the language model to write the summaries (INBRIEF_LLM_AT_INGEST)...")
        background_writer.wait()


def _label(article: Article, origin: str) -> str:
    """How ``add`` names what it stored: the title, else where it came from."""
    if article.title:
        return article.title
    return "from standard input" if origin == "-" else origin


feeds_app = typer.Typer(help="Subscribe to RSS/Atom feeds and poll them for new articles.")

_NO_FEEDS = "no feeds yet; add one with inbrief feeds add URL"


@contextmanager
def _feeds_store(database: str | None) -> Iterator[Store]:
    """The store for one feeds command; a database failure is one line on stderr and exit 1."""
    store = _open_store(database)
    try:
        yield store
    except InbriefError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None
    finally:
        store.close()


@feeds_app.command("add")
def feeds_add(
    url: Annotated[str, typer.Argument(help="The feed's URL.")],
    database: DatabaseOpt = None,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="DURATION",
            help="Poll this feed at its own interval, e.g. 5m or 6h, instead of the reader's.",
        ),
    ] = None,
) -> None:
    """Subscribe to a feed (its articles arrive with the next poll).

    Example:

      inbrief feeds add https://example.org/news/feed.xml --every 1h
    """
    from inbrief.fetch.urls import web_address_problem

    problem = web_address_problem(url)
    if problem is not None:
        error(f"{url!r} {problem}")
        raise typer.Exit(EXIT_USAGE)
    interval = _duration(every) if every else None
    with _feeds_store(database) as store:
        feed, created = store.add_feed(url)
        if interval is not None:
            feed = store.update_feed(feed.id, poll_interval=interval) or feed
    shown = f" (every {_every(feed.poll_interval)})" if feed.poll_interval else ""
    said = "subscribed" if created else "already subscribed"
    typer.echo(f"{said}: #{feed.id} {feed.url}{shown}")


@feeds_app.command("list")
def feeds_list(database: DatabaseOpt = None) -> None:
    """List subscribed feeds with their last poll and error."""
    with _feeds_store(database) as store:
        subscribed = store.list_feeds()
    if not subscribed:
        typer.echo(_NO_FEEDS, err=True)
    for feed in subscribed:
        status = f"error: {feed.last_error}" if feed.last_error else "ok"
        polled = feed.last_polled_at.isoformat() if feed.last_polled_at else "never polled"
        due = feed.next_poll_at.isoformat() if feed.next_poll_at else "now"
        own = f", every {_every(feed.poll_interval)}" if feed.poll_interval else ""
        typer.echo(f"#{feed.id} {_feed_name(feed)} — {polled}, {status}; next poll {due}{own}")


@feeds_app.command("remove")
def feeds_remove(
    feed: Annotated[
        str,
        typer.Argument(
            metavar="FEED", help="The feed's number (as feeds list shows it: 3 or #3) or URL."
        ),
    ],
    database: DatabaseOpt = None,
) -> None:
    """Unsubscribe from a feed, named by its number or its URL.

    The articles it brought stay in the database, no longer linked to a feed.

    Example:

      inbrief feeds remove 3
    """
    number = feed.removeprefix("#")
    with _feeds_store(database) as store:
        found = (
            store.get_feed(int(number))
            if number.isascii() and number.isdigit()
            else store.feed_by_url(feed)
        )
        kept = store.list_articles(limit=1, feed_id=found.id).total if found else 0
        if found is None or not store.delete_feed(found.id):
            error(f"no feed {feed} is subscribed (inbrief feeds list shows them)")
            raise typer.Exit(EXIT_SOME_FAILED)
    if kept == 0:
        left = "it had brought no articles"
    else:
        left = f"its {kept} article{'s stay' if kept > 1 else ' stays'} in the database"
    typer.echo(f"removed: #{found.id} {_feed_name(found)}; {left}")


def _feed_name(feed: StoredFeed) -> str:
    """How the feeds commands name a feed: its title and URL, or its URL."""
    return f"{feed.title} ({feed.url})" if feed.title else feed.url


@feeds_app.command("poll")
def feeds_poll(
    database: DatabaseOpt = None,
    every: Annotated[
        str | None,
        typer.Option(
            "--every",
            metavar="DURATION",
            help="Keep polling at this interval, e.g. 15m or 1h; lines then start with the time.",
        ),
    ] = None,
) -> None:
    """Poll every feed once (or forever with --every) and add their new articles.

    Exits 1 when a feed or any of its entries failed (the entries that worked are stored).
    """
    import time

    from inbrief.feeds import poll_all
    from inbrief.feeds.schedule import Schedule

    interval = _duration(every) if every else None
    # The next poll each feed records (and `inbrief serve` would honour) follows --every.
    schedule = Schedule(interval=interval) if interval else None
    with _feeds_store(database) as store:
        try:
            while True:
                # Under --every the lines of each round carry its local time.
                stamp = "" if interval is None else f"{_local_time()} "
                results = poll_all(store, schedule=schedule)
                if not results:
                    typer.echo(stamp + _NO_FEEDS, err=True)
                for result in results:
                    _report_poll(result, stamp)
                if interval is None:
                    _finish_written_summaries()
                    failed = any(result.failed for result in results)
                    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)
                time.sleep(interval)
        except KeyboardInterrupt:
            raise typer.Exit(EXIT_OK) from None


def _report_poll(result: PollResult, stamp: str) -> None:
    """One feed's poll: a line on stdout, and one on stderr per failure."""
    name = result.feed.title or result.feed.url
    if result.error:
        error(f"{stamp}{name}: {result.error}")
    elif result.not_modified:
        typer.echo(f"{stamp}{name}: not modified")
    else:
        typer.echo(
            f"{stamp}{name}: {len(result.added)} new, {result.duplicates} already stored, "
            f"{len(result.entry_errors)} failed"
        )
        for entry in result.entry_errors:
            error(f'{stamp}{name}: entry "{entry.entry}": {entry.message}')


def _local_time() -> str:
    """Now, local time in ISO form to the second: 2026-11-27T09:30:00+01:00."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _duration(text: str, option: str = "--every") -> float:
    """Seconds in ``30s``, ``15m``, ``2h`` (a bare number is minutes); a usage error else."""
    from inbrief.feeds.schedule import parse_duration

    try:
        return parse_duration(text)
    except ValueError:
        error(f"{option} takes a duration such as 30s, 15m or 2h, not {text!r}")
        raise typer.Exit(EXIT_USAGE) from None


def _every(seconds: float) -> str:
    from inbrief.feeds.schedule import format_duration

    return format_duration(seconds)
