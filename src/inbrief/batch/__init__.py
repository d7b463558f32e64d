"""Batch summarization of whole archives: input files -> chunks -> summaries -> one output.

    report = run_batch(["archive/*.jsonl.zst"], "summaries.parquet", jobs=8)
    print(report.describe())
    raise SystemExit(report.exit_code)

The flow is the same on every engine:

1. **Read** the inputs (JSONL, ``.jsonl.gz``, ``.jsonl.zst``, Parquet, CSV) in order, one chunk
   of :data:`DEFAULT_CHUNK_SIZE` rows at a time, so memory stays flat however large they are
   (:mod:`~inbrief.batch.inputs`).  A row whose id is already summarized in the output is
   dropped here: that is how a re-run resumes.  Rows that failed are done again (retried).
2. **Summarize** each chunk in a worker that built its summarizer once
   (:func:`~inbrief.batch.work.summarize_chunk`): a local process (``engine="local"``,
   :mod:`~inbrief.batch.local`) or a Ray Data actor (``engine="ray"``,
   :mod:`~inbrief.batch.ray`).  A row that cannot be summarized becomes an error row; the
   batch goes on.
3. **Write** each chunk's output at once (:mod:`~inbrief.batch.outputs`): JSONL lines appended
   and fsynced in input order, or one Parquet part file renamed into place.  A run killed at
   any moment loses only the chunks that were being summarized; re-running the same command
   finishes the job, and the output is then byte for byte what an uninterrupted run writes
   (when no row failed: a retried row is written where the re-run reaches it).

Output rows have the JSON shape of :func:`inbrief.render.summary_to_dict` plus ``id``, exactly
as ``inbrief summarize --jsonl`` streams them (:mod:`~inbrief.batch.stream`, on the same row
reader and work); a failed row is ``{"id", "error"}``.  In Parquet the same fields are columns
(nested ones as structs), with ``error`` null on success.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from inbrief import summarizers
from inbrief.batch.inputs import Columns, expand_inputs
from inbrief.batch.local import available_cores, run_local
from inbrief.batch.outputs import consume, open_output, output_format
from inbrief.batch.progress import (
    BatchReport,
    Engine,
    FailureReport,
    Totals,
    interrupted_message,
    progress_display,
    progress_style,
)
from inbrief.batch.work import (
    DEFAULT_CHUNK_SIZE,
    BatchSettings,
    OutputFormat,
    Plan,
    parquet_schema,
)
from inbrief.errors import BatchError, BatchInterrupted, BatchOptionError
from inbrief.models import Budget
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "BatchError",
    "BatchInterrupted",
    "BatchOptionError",
    "BatchReport",
    "Engine",
    "OutputFormat",
    "output_format",
    "parquet_schema",
    "run_batch",
]


def run_batch(
    inputs: Sequence[str | Path],
    out: str | Path,
    *,
    engine: Engine = "local",
    jobs: int | None = None,
    address: str | None = None,
    id_column: str = "id",
    text_column: str | None = "text",
    html_column: str | None = "html",
    url_column: str | None = "url",
    budget: Budget | None = None,
    method: str = DEFAULT_METHOD,
    keywords: int = DEFAULT_KEYWORDS,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: bool | None = None,
    on_failure: FailureReport | None = None,
) -> BatchReport:
    """Summarize every row of ``inputs`` into ``out``, resuming what an earlier run left.

    ``inputs`` are files or globs (``archive/*.jsonl.zst``): JSONL (also ``.gz``/``.zst``),
    Parquet or CSV.  ``out`` ending in ``.jsonl`` is one JSONL file; ending in ``.parquet`` it is
    a directory of Parquet part files.  ``engine="local"`` uses ``jobs`` processes (default:
    every core); ``engine="ray"`` runs on the Ray cluster at ``address`` (``auto``,
    ``ray://host:10001``, ``host:6379``; default: a Ray started for this run) with ``jobs``
    actors (default: the cluster's CPUs).  Both engines write the same bytes.

    ``progress`` True shows a bar on stderr, False nothing; by default a bar when stderr is a
    terminal, and a line every few seconds when it is not (a log).  Rows that fail are written
    with their ``error``, counted in the report (``report.exit_code`` is then 1), and passed to
    ``on_failure`` as a line such as ``id 7: no article text found``, in input order (on Ray
    with Parquet output, the first few of each write task's, at the end).  A re-run does the
    rows that failed again.  Raises :class:`BatchOptionError` for options that cannot work,
    :class:`BatchError` when the batch cannot start otherwise, :class:`BatchInterrupted` on
    Ctrl-C, and :class:`~inbrief.errors.BudgetError`/``MethodError`` for a bad budget or method.
    """
    started = time.perf_counter()
    if engine not in ("local", "ray"):
        raise BatchOptionError(f"unknown engine {engine!r}; choose local or ray")
    settings = BatchSettings(
        budget=budget or Budget(),
        method=method,
        keywords=keywords,
        output_format=output_format(out),
    )
    summarizers.get(method)  # an unknown method fails here, not once per row
    if chunk_size < 1:
        raise BatchOptionError(f"--chunk-size must be at least 1, got {chunk_size}")
    if jobs is not None and jobs < 1:
        raise BatchOptionError(f"--jobs must be at least 1, got {jobs}")
    if address is not None and engine != "ray":
        raise BatchOptionError("--address names a Ray cluster: use it with --engine ray")
    columns = Columns(id=id_column, text=text_column, html=html_column, url=url_column)
    if not columns.content:
        raise BatchOptionError("give at least one of the text, html or url columns")
    files = expand_inputs(inputs)
    out_path = Path(out)
    if any(out_path.resolve() == file.path.resolve() for file in files):
        raise BatchOptionError(f"{out_path} is also an input; choose another --out")
    style = progress_style(progress)
    report_failure = on_failure or _ignore

    if engine == "ray":
        # Ray is an optional extra: imported only here, and batch.ray never imports this module.
        try:
            from inbrief.batch import ray as ray_engine
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] not in ("ray", "pyarrow"):
                raise
            raise BatchError("the ray engine needs Ray Data: pip install 'inbrief[ray]'") from None
        with open_output(out_path, settings.output_format) as output:
            plan = Plan(files, columns, chunk_size, output.done, output.failed_before)
            return ray_engine.run(
                plan, settings, output, jobs, address, style, started, report_failure
            )

    workers = jobs or available_cores()
    totals = Totals()
    try:
        with open_output(out_path, settings.output_format) as output:
            plan = Plan(files, columns, chunk_size, output.done, output.failed_before)
            with progress_display(style, plan.total_bytes) as update:
                consume(run_local(plan, settings, workers), output, update, totals, report_failure)
    except KeyboardInterrupt:
        report = totals.report(out_path, engine, workers, started)
        raise BatchInterrupted(interrupted_message(report), report) from None
    return totals.report(out_path, engine, workers, started)


def _ignore(line: str) -> None:
    """The default ``on_failure``: failed rows are in the output (and counted) already."""
