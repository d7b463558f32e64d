"""Progress: what a run has done so far, the report it ends with, and the bar on a terminal."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from inbrief.batch.work import ChunkResult

Engine = Literal["local", "ray"]


@dataclass(frozen=True)
class BatchReport:
    """What a batch did: rows read, summarized, failed and skipped (already in the output)."""

    output: Path
    engine: Engine
    workers: int
    read: int
    summarized: int
    failed: int
    skipped: int
    seconds: float

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
        return (
            f"{self.read:,} read: {self.summarized:,} summarized, {self.failed:,} failed, "
            f"{self.skipped:,} skipped (already in {self.output}) in {self.seconds:.1f} s, "
            f"{self.rate:,.1f} articles/s on {self.workers} {self.engine} "
            f"worker{'s' if self.workers != 1 else ''}"
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

    def add(self, result: ChunkResult | Totals) -> None:
        """Count one written chunk (or the counts of another writer)."""
        self.read += result.read
        self.summarized += result.summarized
        self.failed += result.failed
        self.skipped += result.skipped

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
        )


# Called after each write with the input bytes consumed so far and the counts so far.
ProgressUpdate = Callable[[int, Totals], None]


@contextlib.contextmanager
def progress_bar(show: bool, total_bytes: int | None) -> Iterator[ProgressUpdate]:
    """A rich progress bar on stderr (input consumed, articles, articles/s, ETA), or nothing.

    ``total_bytes`` None is an input of unknown size (a stream): the bar then only counts.
    """
    if not show:
        yield lambda consumed, totals: None
        return
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
