"""Outputs: a JSONL file or a directory of Parquet parts, written a chunk at a time, durably.

Opening an output reads the ids an earlier run already summarized (``done``): the inputs' rows
with those ids are skipped, which is how a re-run resumes.  A row that failed is not done: its
error row is taken out of the output when the output is opened (its id is kept in
``failed_before``) and the re-run does it again, so an id has one row however often it is
retried.  Every change is atomic (written aside, fsynced, renamed into place), so a run killed
at any moment loses only the chunks that were being summarized; re-running the same command
finishes the job.  When no row failed, the output is then byte for byte what an uninterrupted
run writes; a retried row lands where the re-run writes it: after the rows already there
(JSONL), or in a part of its own (Parquet).

A run that fails before writing anything removes what it created (the file or folder, and the
folders above it it had to make), so a mistyped command leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from inbrief.batch.inputs import id_key, pyarrow_parquet
from inbrief.batch.progress import FailureReport, ProgressUpdate, Totals
from inbrief.batch.work import ChunkResult, OutputFormat
from inbrief.errors import BatchError, BatchOptionError

_PART_PREFIX = "part-"
_ID_PREFIX = b'{"id": '
# What follows the id in an error row, ``{"id": 7, "error": "..."}`` (a summary has "title").
_ERROR_FIELD = ', "error": '


def output_format(out: str | Path) -> OutputFormat:
    """The output format named by ``out``'s suffix: ``.jsonl`` or ``.parquet``."""
    suffix = Path(out).suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".parquet":
        return "parquet"
    raise BatchOptionError(
        f"--out must end in .jsonl or .parquet (a directory of parts), not {out}"
    )


class Output:
    """Where results go; knows the ids already there (``done``) and writes a chunk atomically.

    ``failed_before`` holds the ids whose error rows opening took out, to be done again.
    """

    path: Path
    done: frozenset[str]
    failed_before: frozenset[str]
    # What opening created, outermost first: missing folders above the output, the output.
    created: list[Path]

    def write(self, result: ChunkResult) -> None:
        """Make one chunk's output durable (or do nothing for an empty chunk)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the output."""

    def discard_if_empty(self) -> None:
        """Remove what opening created, if the run wrote nothing into it."""
        for path in reversed(self.created):
            with contextlib.suppress(OSError):  # not empty (or already gone): keep it
                if path.is_dir():
                    for stale in path.glob(f".{_PART_PREFIX}*.tmp*"):
                        stale.unlink()
                    path.rmdir()
                elif path.stat().st_size == 0:
                    path.unlink()

    def __enter__(self) -> Output:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        self.close()
        if kind is not None:
            self.discard_if_empty()


def open_output(path: Path, fmt: OutputFormat) -> Output:
    """Open ``path`` for appending chunks, reading the ids an earlier run already wrote."""
    if fmt == "jsonl":
        return JsonlOutput(path)
    return ParquetOutput(path)


class JsonlOutput(Output):
    """One JSONL file, appended a chunk at a time in input order, each append fsynced.

    A torn last line (the process died mid-append) is cut off when the file is reopened: the
    lines before it are whole, and the rows of the torn one are redone.  Error rows are taken
    out then too, by rewriting the file without them.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.is_dir():
            raise BatchError(f"{path} is a directory; --out must be a JSONL file")
        self.created = _missing(path)
        self._aside = path.with_name(f".{path.name}.retry.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._aside.unlink(missing_ok=True)  # left by a run killed while rewriting
            self.done, self.failed_before = self._scan() if path.exists() else _NOTHING
            self._file = path.open("ab")
        except OSError as exc:
            self.discard_if_empty()
            raise BatchError(f"cannot write {path}: {exc.strerror}") from None

    def _rows(self) -> Iterator[tuple[bytes, str, bool]]:
        """Each whole line of the file with its row's id and whether it is an error row."""
        decoder = json.JSONDecoder()
        with self.path.open("rb") as existing:
            for number, line in enumerate(existing, start=1):
                if not line.endswith(b"\n"):
                    return
                if not line.startswith(_ID_PREFIX):
                    raise BatchError(
                        f"{self.path} line {number} is not a batch output row; choose another --out"
                    )
                try:
                    text = line.decode("utf-8")
                    ident, end = decoder.raw_decode(text, len(_ID_PREFIX))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise BatchError(
                        f"{self.path} line {number} is damaged; choose another --out"
                    ) from None
                yield line, id_key(ident), text.startswith(_ERROR_FIELD, end)

    def _scan(self) -> tuple[frozenset[str], frozenset[str]]:
        done: set[str] = set()
        failed: set[str] = set()
        whole = 0
        for line, key, is_error in self._rows():
            (failed if is_error else done).add(key)
            whole += len(line)
        if failed:
            self._drop_error_rows()
        elif whole != self.path.stat().st_size:
            with self.path.open("r+b") as existing:
                existing.truncate(whole)
                os.fsync(existing.fileno())
        return frozenset(done), frozenset(failed - done)

    def _drop_error_rows(self) -> None:
        """Rewrite the file without its error rows (nor a torn last line): aside, then renamed
        over it, so a kill at any moment leaves the old file or the new one, whole."""
        with self._aside.open("wb") as kept:
            for line, _, is_error in self._rows():
                if not is_error:
                    kept.write(line)
            kept.flush()
            os.fsync(kept.fileno())
        os.replace(self._aside, self.path)
        _fsync_directory(self.path.parent)

    def write(self, result: ChunkResult) -> None:
        """Append the chunk's lines and fsync, so a later kill cannot take them back."""
        if not result.payload:
            return
        self._file.write(result.payload)
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Close the file."""
        self._file.close()


class ParquetOutput(Output):
    """A directory of Parquet parts, one per chunk, each written aside and renamed into place.

    ``part-<file>-<row>.parquet`` names the input file and first row of the chunk, so parts sort
    in input order and a re-run never overwrites a part it did not redo.  A part with error
    rows is replaced, when the output is opened, by ``part-<file>-<row>-kept-<digest>.parquet``
    holding its other rows (or by nothing): a name no chunk takes, the same however often a
    killed open is repeated.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists() and not path.is_dir():
            raise BatchError(f"{path} exists and is not a directory of Parquet parts")
        pq = pyarrow_parquet(path)  # first: without pyarrow, fail before creating anything
        self.created = _missing(path)
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.discard_if_empty()
            raise BatchError(f"cannot create {path}: {exc.strerror}") from None
        for stale in path.glob(f".{_PART_PREFIX}*.tmp*"):
            stale.unlink()  # a part whose writer died before the rename: it will be redone
        self.done, self.failed_before = self._scan(pq)

    def _scan(self, pq: Any) -> tuple[frozenset[str], frozenset[str]]:
        done: set[str] = set()
        failed: set[str] = set()
        for part in sorted(self.path.glob(f"{_PART_PREFIX}*.parquet")):
            rows = pq.read_table(part, columns=["id", "error"]).to_pydict()
            for ident, error in zip(rows["id"], rows["error"], strict=True):
                (done if error is None else failed).add(ident)
            if any(error is not None for error in rows["error"]):
                self._drop_error_rows(pq, part)
        return frozenset(done), frozenset(failed - done)

    def _drop_error_rows(self, pq: Any, part: Path) -> None:
        """Replace ``part`` by a part of its rows that did not fail (none if all did)."""
        import pyarrow.compute as pc

        table = pq.read_table(part)
        kept = table.filter(pc.is_null(table.column("error")))
        if kept.num_rows:
            digest = hashlib.sha256(part.read_bytes()).hexdigest()[:12]
            sink = io.BytesIO()
            pq.write_table(kept, sink, compression="zstd")
            key = part.stem.removeprefix(_PART_PREFIX)
            write_part(self.path, f"{key}-kept-{digest}", sink.getvalue())
        part.unlink()
        _fsync_directory(self.path)

    def write(self, result: ChunkResult) -> None:
        """Write the chunk's part file atomically."""
        if result.payload:
            write_part(self.path, result.key, result.payload)


_NOTHING: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())


def _missing(path: Path) -> list[Path]:
    """``path`` and the folders above it that do not exist yet, outermost first."""
    missing: list[Path] = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    return missing[::-1]


def _fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_part(directory: Path, key: str, payload: bytes) -> Path:
    """Write one Parquet part durably: to a temporary name, fsync, rename, fsync the directory.

    Shared by the local engine and Ray's write tasks, so both leave the same files.
    """
    final = directory / f"{_PART_PREFIX}{key}.parquet"
    temporary = directory / f".{_PART_PREFIX}{key}.parquet.tmp{os.getpid()}"
    with temporary.open("wb") as part:
        part.write(payload)
        part.flush()
        os.fsync(part.fileno())
    os.replace(temporary, final)
    _fsync_directory(directory)
    return final


def consume(
    results: Iterable[ChunkResult],
    output: Output,
    update: ProgressUpdate,
    totals: Totals,
    on_failure: FailureReport,
) -> None:
    """Write each result in order, count it, report its failed rows, move the progress; the
    engines share it."""
    for result in results:
        output.write(result)
        totals.add(result)
        for line in result.errors:
            on_failure(line)
        update(result.progress, totals)
