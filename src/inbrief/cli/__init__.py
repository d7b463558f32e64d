"""The ``inbrief`` command: thin Typer commands over the library, no logic of its own.

One module per family of commands (:mod:`~inbrief.cli.summarize`, :mod:`~inbrief.cli.reader`,
:mod:`~inbrief.cli.batch`, :mod:`~inbrief.cli.evaluate`); this one makes the app and registers
them, in the order ``inbrief --help`` lists them.  Each command imports what it needs when it
runs, so ``inbrief --help`` and ``inbrief --version`` load no extractor, HTTP client, database
or web framework.
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Sequence
from typing import Annotated

import typer
import typer.main

import inbrief
from inbrief.cli import batch, evaluate, reader, summarize, verify
from inbrief.cli import opml as _opml  # noqa: F401  (registers feeds import and export)
from inbrief.cli.help import Group, conventional_help

__all__ = ["app", "main"]

app = typer.Typer(
    name="inbrief",
    help="Extract news articles and summarize them faithfully, offline.",
    cls=Group,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(inbrief.__version__)
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print inbrief's version and exit.",
            is_eager=True,
            callback=_print_version,
        ),
    ] = False,
) -> None:
    """Extract news articles and summarize them faithfully, offline."""


app.command()(summarize.summarize)
app.command()(summarize.extract)
app.command()(verify.verify)
app.command()(reader.serve)
app.command()(reader.add)
app.add_typer(conventional_help(reader.feeds_app), name="feeds", cls=Group)
app.command()(batch.batch)
app.add_typer(conventional_help(evaluate.eval_app), name="eval", cls=Group)


@app.command("version")
def show_version() -> None:
    """Print inbrief's version (the same as inbrief --version)."""
    typer.echo(inbrief.__version__)


conventional_help(app)


def main() -> None:
    """Run the command ``sys.argv`` names (``inbrief.__main__`` sets up the process first)."""
    command_app(sys.argv[1:])()


def command_app(args: Sequence[str]) -> typer.Typer:
    """``app``, or when ``args`` name a command first, ``app`` with that command alone.

    Typer builds a Click command for every registered one at every start (a few dozen
    milliseconds of the ``inbrief summarize FILE`` start-up); a run needs only its own.  Help,
    errors and behaviour are the command's own either way, and anything else (``--version``,
    no command, a misspelt one) gets the whole app.
    """
    name = args[0] if args else ""
    commands = [info for info in app.registered_commands if _name(info) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    one = copy.copy(app)
    one.registered_commands = commands
    one.registered_groups = groups
    return one


def _name(info: typer.models.CommandInfo) -> str:
    """The command's name, by Typer's own rule for one registered without a name."""
    callback_name = info.callback.__name__ if info.callback else ""
    return info.name or typer.main.get_command_name(callback_name)
