"""The ``inbrief`` command: thin Typer commands over the library, no logic of its own.

One module per family of commands (:mod:`~inbrief.cli.summarize`, :mod:`~inbrief.cli.reader`,
:mod:`~inbrief.cli.batch`, :mod:`~inbrief.cli.evaluate`); this one makes the app and registers
them, in the order ``inbrief --help`` lists them.
"""

from __future__ import annotations

import typer

from inbrief import __version__
from inbrief.cli import batch, evaluate, reader, summarize

__all__ = ["app", "main"]

app = typer.Typer(
    name="inbrief",
    help="Extract news articles and summarize them faithfully, offline.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command()(summarize.summarize)
app.command()(summarize.extract)
app.command()(reader.serve)
app.command()(reader.add)
app.add_typer(reader.feeds_app, name="feeds")
app.command()(batch.batch)
app.add_typer(evaluate.eval_app, name="eval")


@app.command("version")
def show_version() -> None:
    """Print inbrief's version."""
    typer.echo(__version__)


def main() -> None:
    """Entry point for ``python -m inbrief``."""
    app()
