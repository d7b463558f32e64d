"""``inbrief eval``: summary quality (ROUGE) and extraction quality (F1) on a dataset."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer

from inbrief.cli.common import (
    EXIT_SOME_FAILED,
    MethodOpt,
    SentencesOpt,
    WordsOpt,
    guarded,
    usage_checked,
)
from inbrief.pipeline import DEFAULT_METHOD

eval_app = typer.Typer(help="Measure summary and extraction quality on a dataset.")


@eval_app.command("summaries")
def eval_summaries(
    dataset: Annotated[Path, typer.Argument(help='JSONL(.gz) of {"id", "article", "reference"}.')],
    method: MethodOpt = DEFAULT_METHOD,
    sentences: SentencesOpt = None,
    words: WordsOpt = None,
    limit: Annotated[
        int | None, typer.Option("--limit", metavar="N", help="Only the first N articles.")
    ] = None,
    baseline: Annotated[
        str | None,
        typer.Option("--baseline", metavar="NAME", help="Also measure this method, e.g. lead."),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", metavar="CODE", help="Article language; fr etc. use Unicode scoring."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    save: Annotated[
        Path | None,
        typer.Option("--save", metavar="FILE", help="Write the summaries here (JSONL)."),
    ] = None,
) -> None:
    """ROUGE-1/2/Lsum (F x 100, rouge-score with stemming) and articles/s of a method.

    Example:

      inbrief eval summaries ../shared/data/cnndm-dev.jsonl.gz --baseline lead --limit 1000
    """
    from inbrief.evaluate.summaries import evaluate_summaries, format_report

    methods = (method, baseline) if baseline else (method,)
    budget = usage_checked(methods, sentences=sentences, words=words)
    report = guarded(
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
        report = guarded(str(directory), partial(evaluate_extraction, directory, extractor))
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
