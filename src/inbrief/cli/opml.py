"""``inbrief feeds import`` and ``inbrief feeds export``: subscriptions as OPML, the file every
feed reader reads and writes (:mod:`inbrief.feeds.opml`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from inbrief.cli.common import EXIT_OK, EXIT_SOME_FAILED, error
from inbrief.cli.reader import DatabaseOpt, _feed_name, _feeds_store, feeds_app


@feeds_app.command("import")
def feeds_import(
    file: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="An OPML file another reader exported, or - for stdin."
        ),
    ],
    database: DatabaseOpt = None,
) -> None:
    """Subscribe to the feeds an OPML file lists; its folders become their categories.

    Each address is checked as the fetcher checks it: one refused (not http(s), a private or
    loopback address) is named on stderr and the others are still imported.  Importing a file
    again adds nothing twice.  Exits 1 when the file cannot be read or a feed was refused.

    Example:

      inbrief feeds import subscriptions.opml
    """
    from inbrief.feeds.opml import OPMLError, read_opml, subscribe

    try:
        listing = read_opml(_read(file))  # before the database: a bad file creates none
    except OPMLError as exc:
        error(f"{_named(file)}: {exc}")
        raise typer.Exit(EXIT_SOME_FAILED) from None
    with _feeds_store(database) as store:
        report = subscribe(store, listing)
    for feed in report.added:
        filed = f" [{feed.category}]" if feed.category else ""
        typer.echo(f"subscribed: #{feed.id} {_feed_name(feed)}{filed}")
    for refusal in report.refused:
        error(f"refused: {refusal.url}: {refusal.reason}")
    typer.echo(f"{_named(file)}: {report.summary()}")
    raise typer.Exit(EXIT_SOME_FAILED if report.refused else EXIT_OK)


@feeds_app.command("export")
def feeds_export(database: DatabaseOpt = None) -> None:
    """Write every subscription as OPML 2.0 on stdout, each category a folder.

    Example:

      inbrief feeds export > subscriptions.opml
    """
    from inbrief.feeds.opml import write_opml

    with _feeds_store(database) as store:
        subscribed = store.list_feeds()
    if not subscribed:
        error("no feeds yet; the file lists none")
    sys.stdout.buffer.write(write_opml(subscribed))
    sys.stdout.buffer.flush()


def _read(file: str) -> bytes:
    """The file's bytes, read no further than the size cap; a file that cannot be read is one
    line on stderr and exit 1."""
    from inbrief.feeds.opml import MAX_OPML_BYTES

    try:
        if file == "-":
            return sys.stdin.buffer.read(MAX_OPML_BYTES + 1)
        path = Path(file)
        if path.is_dir():
            error(f"{file} is a directory, not an OPML file")
            raise typer.Exit(EXIT_SOME_FAILED)
        with path.open("rb") as opened:
            return opened.read(MAX_OPML_BYTES + 1)  # one byte over: read_opml says too large
    except OSError as exc:
        error(f"cannot read {file}: {exc.strerror or exc}")
        raise typer.Exit(EXIT_SOME_FAILED) from None


def _named(file: str) -> str:
    return "standard input" if file == "-" else file
