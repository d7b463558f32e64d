"""What every command shares: exit codes, the source argument, the summary options, one-line
errors, usage checks."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Annotated, Any

import typer

from inbrief import summarizers
from inbrief.errors import BudgetError, InbriefError, MethodError, internal_error
from inbrief.models import Budget

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
# A process stopped by Ctrl-C (128 + SIGINT), as shells report it.
EXIT_INTERRUPTED = 130

SourcesArg = Annotated[
    list[str] | None,
    typer.Argument(help="URLs, HTML or text files, or - for stdin.", show_default=False),
]

# The summary options, the same for every command that summarizes.
SentencesOpt = Annotated[
    int | None,
    typer.Option("--sentences", "-s", metavar="N", help="Summary length in sentences (default 3)."),
]
WordsOpt = Annotated[
    int | None, typer.Option("--words", "-w", metavar="N", help="At most this many words.")
]
CharsOpt = Annotated[
    int | None,
    typer.Option("--chars", "-c", metavar="N", help="At most this many characters."),
]
RatioOpt = Annotated[
    float | None,
    typer.Option("--ratio", "-r", metavar="R", help="This share of the article's words, 0-1."),
]
MethodOpt = Annotated[
    str,
    typer.Option(
        "--method",
        "-m",
        metavar="NAME",
        help=(
            "Summarizer: news (the default), centrality, lead, textrank, lexrank, or llm (written "
            "by your language model, every sentence checked; see --llm-url)."
        ),
    ),
]
# Where the llm method's model is: the same settings as the INBRIEF_LLM_* variables.
LLMUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--llm-url",
        metavar="URL",
        help="OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1 (several: comma-separated).",
        show_default=False,
    ),
]
LLMModelOpt = Annotated[
    str | None,
    typer.Option(
        "--llm-model", metavar="NAME", help="Model name on that server.", show_default=False
    ),
]
LLMContextOpt = Annotated[
    int | None,
    typer.Option(
        "--llm-context", metavar="TOKENS", help="Tokens the model accepts.", show_default=False
    ),
]
LLMTimeoutOpt = Annotated[
    float | None,
    typer.Option(
        "--llm-timeout", metavar="SECONDS", help="Wait this long for an answer.", show_default=False
    ),
]
LLM_VARIABLES = {
    "url": "INBRIEF_LLM_URL",
    "model": "INBRIEF_LLM_MODEL",
    "context": "INBRIEF_LLM_CONTEXT",
    "timeout": "INBRIEF_LLM_TIMEOUT",
}
KeywordsOpt = Annotated[
    int,
    typer.Option("--keywords", "-k", metavar="N", help="Key phrases in JSON/Markdown.", min=0),
]


def error(message: str) -> None:
    """Print ``message`` as one ``inbrief: ...`` line on stderr.

    ``print``, not ``typer.echo``: while a progress bar is drawn, ``sys.stderr`` is the bar's,
    which prints the line above the bar instead of through it.
    """
    print(f"inbrief: {message}", file=sys.stderr, flush=True)


def usage_checked(
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
    except BudgetError as exc:
        error(exc.naming(lambda keyword: f"--{keyword}"))
        raise typer.Exit(EXIT_USAGE) from None
    except MethodError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    return budget


def llm_configured(methods: tuple[str, ...], **options: object) -> None:
    """Apply the ``--llm-*`` options: they become the ``INBRIEF_LLM_*`` variables of this
    process (and of the workers it starts), then the ``llm`` method reads them.  A bad value,
    or asking for ``llm`` with no server and model named, is a usage error."""
    import os

    from inbrief.errors import SettingsError
    from inbrief.summarizers.llm import LLM, LLMSettings

    for name, value in options.items():
        if value is not None:
            os.environ[LLM_VARIABLES[name]] = str(value)
    try:
        settings = LLMSettings.from_env()
    except SettingsError as exc:
        error(str(exc))
        raise typer.Exit(EXIT_USAGE) from None
    if "llm" in (m.strip().lower() for m in methods) and not settings.configured:
        error(
            "--method llm needs a model server: give --llm-url and --llm-model (or set "
            "INBRIEF_LLM_URL and INBRIEF_LLM_MODEL)"
        )
        raise typer.Exit(EXIT_USAGE)
    method = summarizers.get("llm")
    if isinstance(method, LLM):
        method.configure(settings)


def guarded(origin: str, work: Callable[[], Any]) -> Any:
    """Run one source's work; turn any failure into one line on stderr and None."""
    try:
        return work()
    except InbriefError as exc:
        error(str(exc))
    except Exception as exc:  # a bug must not take the other sources down, nor print a traceback
        error(f"{origin}: {internal_error(exc)}")
    return None


# Which columns of an archive hold what: ``inbrief batch`` and ``inbrief add --jsonl``.
IdColumnOpt = Annotated[str, typer.Option(metavar="NAME", help="Column holding the row id.")]
TextColumnOpt = Annotated[str, typer.Option(metavar="NAME", help="Text column, or none.")]
HtmlColumnOpt = Annotated[str, typer.Option(metavar="NAME", help="HTML column, or none.")]
UrlColumnOpt = Annotated[str, typer.Option(metavar="NAME", help="URL column, or none.")]


def column_or_none(name: str) -> str | None:
    """A column option's value: ``none`` (any case) turns that kind of input off."""
    return None if name.lower() == "none" else name
