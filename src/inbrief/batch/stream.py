"""A JSONL stream answered line by line in this process: ``inbrief summarize --jsonl`` and
``inbrief extract --jsonl``.

It is a batch with no files to resume into: the rows come from :func:`stream_rows`, each is
answered by the batch's own :func:`row_output` and written as the batch writes it
(:func:`json_line`), one row at a time and in input order, so that a line typed on stdin is
answered before the next one is read.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TextIO

from inbrief import summarizers
from inbrief.batch.inputs import stream_rows
from inbrief.batch.progress import FailureReport, Totals, progress_display
from inbrief.batch.work import BatchSettings, Task, failure_line, json_line, row_output
from inbrief.errors import SourceError
from inbrief.models import Budget
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD


@contextlib.contextmanager
def open_stream(name: str) -> Iterator[TextIO]:
    """The lines of the JSONL file ``name``, or of stdin for ``-``; stdin is left open.

    Both are read as UTF-8 (JSONL's encoding, whatever the locale says), and undecodable bytes
    become U+FFFD, so a stray byte spoils one field, not the stream.
    """
    if name == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        if buffer is None:  # stdin replaced by a text stream (an embedding program, a test)
            yield sys.stdin
            return
        stdin = io.TextIOWrapper(buffer, encoding="utf-8", errors="replace")
        try:
            yield stdin
        finally:
            stdin.detach()  # leave sys.stdin's buffer open
        return
    try:
        stream = Path(name).open(encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError as exc:
        raise SourceError(f"cannot read {name}: {exc.strerror}") from None
    with stream:
        yield stream


def stream_jsonl(
    lines: Iterable[str],
    sink: TextIO,
    *,
    task: Task = "summarize",
    budget: Budget | None = None,
    method: str = DEFAULT_METHOD,
    keywords: int = DEFAULT_KEYWORDS,
    progress: bool | None = None,
    on_failure: FailureReport | None = None,
) -> Totals:
    """Write one output line to ``sink`` per record of ``lines``, in order; return the counts.

    ``task="extract"`` writes each record's article instead of its summary.  ``progress``
    shows a bar on stderr; by default when stderr is a terminal and ``sink`` is not (answers
    scrolling by on the terminal are progress enough, and a bar redrawn between them would
    garble both).  Each failed record is also passed to ``on_failure`` as a line such as
    ``line 3: no article text found``.  An unknown ``method`` raises
    :class:`~inbrief.errors.MethodError` before any line is read.
    """
    if task == "summarize":
        summarizers.get(method)
    settings = BatchSettings(budget=budget or Budget(), method=method, keywords=keywords, task=task)
    show = sys.stderr.isatty() and not sink.isatty() if progress is None else progress
    totals = Totals()
    with progress_display("bar" if show else "off", None) as update:
        for row in stream_rows(lines):
            output = row_output(row, settings)
            sink.write(json_line(output))
            failed = "error" in output
            if failed and on_failure is not None:
                on_failure(failure_line(row, output, f"line {row.number}"))
            totals.add_row(failed=failed)
            update(0, totals)
    sink.flush()
    return totals
