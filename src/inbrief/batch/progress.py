"""Progress: what a run has done so far, the report it ends with, and how it is shown while it
runs: a bar on a terminal, otherwise a line every few seconds (a log, a CI job, ``nohup``)."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from inbrief.batch.work import ChunkResult

Engine = Literal["local", "ray"]
# How a run shows its progress on stderr: a bar redrawn in place, a line now and then, nothing.
ProgressStyle = Literal["bar", "lines", "off"]

# At most one progress line this often: a log of a day-long batch stays readable (about 17,000
# lines), and a minute-long one still says it is alive.
PROGRESS_LINE_SECONDS = 5.0


@dataclass(frozen=True)
class BatchReport:
    """What a batch did: rows read, summarized, failed and skipped (already in the output), and
    how many of the rows it did had failed in an earlier run (``retried``)."""

    output: Path
    engine: Engine
    workers: int
    read: int
    summarized: int
    failed: int
    skipped: int
    seconds: float
    retried: int = 0

    @property
    def rate(self) -> float:
        """Rows written per second of wall time (summaries and error rows)."""
        return (self.summarized + self.failed) / self.seconds if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        """0 when every row was summarized, 1 when some rows failed (see the error column)."""
        return 1 if self.failed else 0

    def describe(self) -> str:
        """One line for people: ``1,000 read: 990 summarized, 10 failed, 0 skipped in ...``."""
        retried = ""
        if self.retried:
            retried = f", retried {self.retried:,} failed row{'s' if self.retried != 1 else ''}"
        return (
            f"{self.read:,} read: {self.summarized:,} summarized, {self.failed:,} failed, "
            f"{self.skipped:,} skipped (already in {self.output}){retried} "
            f"in {self.seconds:.1f} s, {self.rate:,.1f} articles/s on {self.workers} "
            f"{self.engine} worker{'s' if self.workers != 1 else ''}"
        )


def interrupted_message(report: BatchReport) -> str:
    """What to tell someone who stopped a batch: how far it got and how to finish it."""
    return (
        f"interrupted after {report.summarized + report.failed:,} rows; "
        f"run the same command again to resume into {report.output}"
    )


@dataclass
class Totals:
    """Running counts over written chunks, turned into the report at the end."""

    read: int = 0
    summarized: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0

    def add(self, result: ChunkResult | Totals) -> None:
        """Count one written chunk (or the counts of another writer)."""
        self.read += result.read
        self.summarized += result.summarized
        self.failed += result.failed
        self.skipped += result.skipped
        self.retried += result.retried

    def add_row(self, *, failed: bool) -> None:
        """Count one row written on its own (a stream answers a row at a time)."""
        self.read += 1
        if failed:
            self.failed += 1
        else:
            self.summarized += 1

    def report(self, out: Path, engine: Engine, workers: int, started: float) -> BatchReport:
        """The report as of now."""
        return BatchReport(
            output=out,
            engine=engine,
            workers=workers,
            read=self.read,
            summarized=self.summarized,
            failed=self.failed,
            skipped=self.skipped,
            seconds=time.perf_counter() - started,
            retried=self.retried,
        )


# Called after each write with the input bytes consumed so far and the counts so far.
ProgressUpdate = Callable[[int, Totals], None]
# Called with the line that reports each failed row (``id 7: no article text found``).
FailureReport = Callable[[str], None]


def progress_style(progress: bool | None) -> ProgressStyle:
    """``run_batch``'s ``progress``: True a bar, False nothing, None (the default) a bar on a
    terminal and a line every :data:`PROGRESS_LINE_SECONDS` elsewhere."""
    if progress is None:
        return "bar" if sys.stderr.isatty() else "lines"
    return "bar" if progress else "off"


@contextlib.contextmanager
def progress_display(style: ProgressStyle, total_bytes: int | None) -> Iterator[ProgressUpdate]:
    """Show a run's progress on stderr in ``style``; yields the function each write calls.

    ``total_bytes`` None is an input of unknown size (a stream): progress then only counts.
    """
    if style == "off":
        yield lambda consumed, totals: None
    elif style == "lines":
        yield _progress_lines(total_bytes)
    else:
        with _progress_bar(total_bytes) as update:
            yield update


def _progress_lines(total_bytes: int | None) -> ProgressUpdate:
    """Print ``inbrief: 12,288 rows (12,280 summarized, 8 failed, 0 skipped), ...`` at most
    every :data:`PROGRESS_LINE_SECONDS`."""
    started = last = time.perf_counter()

    def update(consumed: int, totals: Totals) -> None:
        nonlocal last
        now = time.perf_counter()
        if now - last < PROGRESS_LINE_SECONDS:
            return
        last = now
        print(
            f"inbrief: {progress_line(totals, consumed, total_bytes, now - started)}",
            file=sys.stderr,
            flush=True,
        )

    return update


def progress_line(totals: Totals, consumed: int, total_bytes: int | None, seconds: float) -> str:
    """How far a run got, in a line: rows, their outcome, the rate and the share of the input."""
    written = totals.summarized + totals.failed
    rate = written / seconds if seconds > 0 else 0.0
    share = f", {100 * consumed / total_bytes:.0f}% of the input" if total_bytes else ""
    return (
        f"{totals.read:,} rows ({totals.summarized:,} summarized, {totals.failed:,} failed, "
        f"{totals.skipped:,} skipped), {rate:,.1f} articles/s{share}, {seconds:.0f} s"
    )


@contextlib.contextmanager
def _progress_bar(total_bytes: int | None) -> Iterator[ProgressUpdate]:
    """A rich progress bar on stderr (input consumed, articles, articles/s, ETA)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns: list[ProgressColumn | str] = [
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[articles]:>11,} articles"),
        TextColumn("{task.fields[rate]:>8,.1f} articles/s"),
        TimeElapsedColumn(),
    ]
    if total_bytes is not None:
        columns += [TextColumn("ETA"), TimeRemainingColumn()]
    started = time.perf_counter()
    with Progress(*columns, console=Console(stderr=True)) as bar:
        total = max(total_bytes, 1) if total_bytes is not None else None
        task = bar.add_task("batch", total=total, articles=0, rate=0.0)

        def update(consumed: int, totals: Totals) -> None:
            written = totals.summarized + totals.failed
            elapsed = time.perf_counter() - started
            bar.update(
                task,
                completed=consumed,
                articles=written,
                rate=written / elapsed if elapsed > 0 else 0.0,
            )

        yield update
