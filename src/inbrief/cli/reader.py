"""The reader's commands: ``inbrief serve``, ``inbrief add`` and ``inbrief feeds``."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

import typer

from inbrief.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    SourcesArg,
    error,
    guarded,
)
from inbrief.errors import InbriefError

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
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None


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
        error(str(exc))
        raise typer.Exit(EXIT_SOME_FAILED) from None


def add(source: SourcesArg = None, database: DatabaseOpt = None) -> None:
    """Add articles to the reader's database (summaries are computed as they are added).

    Example:

      inbrief add https://example.org/news/story.html saved-page.html
    """
    from inbrief.ingest import add_source

    if not source:
        error("name at least one source (a URL, a file, or - for stdin)")
        raise typer.Exit(EXIT_USAGE)
    store = _open_store(database)
    failed = 0
    try:
        for origin in source:
            result = guarded(origin, partial(add_source, store, origin))
            if result is None:
                failed += 1
                continue
            state = "added" if result.created else "already stored"
            typer.echo(f"{state}: #{result.article.id} {result.article.article.title or origin}")
    finally:
        store.close()
    raise typer.Exit(EXIT_SOME_FAILED if failed else EXIT_OK)


feeds_app = typer.Typer(help="Subscribe to RSS/Atom feeds and poll them for new articles.")


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
                    error(f"{name}: {result.error}")
                    continue
                if result.not_modified:
                    typer.echo(f"{name}: not modified")
                    continue
                typer.echo(
                    f"{name}: {len(result.added)} new, {result.duplicates} already stored, "
                    f"{len(result.entry_errors)} failed"
                )
                for entry in result.entry_errors:
                    error(f"{name}: {entry.entry}: {entry.message}")
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
        error(f"--every takes a duration such as 30s, 15m or 2h, not {text!r}")
        raise typer.Exit(EXIT_USAGE)
    return seconds
