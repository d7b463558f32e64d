"""Outputs: a JSONL file or a directory of Parquet parts, written a chunk at a time, durably.

Opening an output reads the ids an earlier run already wrote (``done``): the inputs' rows with
those ids are skipped, which is how a re-run resumes.  A run killed at any moment loses only
the chunks that were being summarized; re-running the same command finishes the job, and the
output is then byte for byte what an uninterrupted run writes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from inbrief.batch.inputs import id_key, pyarrow_parquet
from inbrief.batch.progress import ProgressUpdate, Totals
from inbrief.batch.work import ChunkResult, OutputFormat
from inbrief.errors import BatchError

_PART_PREFIX = "part-"
_ID_PREFIX = b'{"id": '


def output_format(out: str | Path) -> OutputFormat:
    """The output format named by ``out``'s suffix: ``.jsonl`` or ``.parquet``."""
    suffix = Path(out).suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".parquet":
        return "parquet"
    raise BatchError(f"--out must end in .jsonl or .parquet (a directory of parts), not {out}")


class Output:
    """Where results go; knows the ids already there (``done``) and writes a chunk atomically."""

    path: Path
    done: frozenset[str]

    def write(self, result: ChunkResult) -> None:
        """Make one chunk's output durable (or do nothing for an empty chunk)."""
        raise NotImplementedError

    def close(self) -> None:
        """Release the output."""

    def __enter__(self) -> Output:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_output(path: Path, fmt: OutputFormat) -> Output:
    """Open ``path`` for appending chunks, reading the ids an earlier run already wrote."""
    if fmt == "jsonl":
        return JsonlOutput(path)
    return ParquetOutput(path)


class JsonlOutput(Output):
    """One JSONL file, appended a chunk at a time in input order, each append fsynced.

    A torn last line (the process died mid-append) is cut off when the file is reopened: the
    lines before it are whole, and the rows of the torn one are redone.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.is_dir():
            raise BatchError(f"{path} is a directory; --out must be a JSONL file")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.done = frozenset(self._scan()) if path.exists() else frozenset()
        try:
            self._file = path.open("ab")
        except OSError as exc:
            raise BatchError(f"cannot write {path}: {exc.strerror}") from None

    def _scan(self) -> set[str]:
        done: set[str] = set()
        whole = 0
        decoder = json.JSONDecoder()
        with self.path.open("rb") as existing:
            for number, line in enumerate(existing, start=1):
                if not line.endswith(b"\n"):
                    break
                if not line.startswith(_ID_PREFIX):
                    raise BatchError(
                        f"{self.path} line {number} is not a batch output row; choose another --out"
                    )
                try:
                    ident, _ = decoder.raw_decode(line.decode("utf-8"), len(_ID_PREFIX))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    raise BatchError(
                        f"{self.path} line {number} is damaged; choose another --out"
                    ) from None
                done.add(id_key(ident))
                whole += len(line)
        if whole != self.path.stat().st_size:
            with self.path.open("r+b") as existing:
                existing.truncate(whole)
                os.fsync(existing.fileno())
        return done

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
    in input order and a re-run never overwrites a part it did not redo.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        if path.exists() and not path.is_dir():
            raise BatchError(f"{path} exists and is not a directory of Parquet parts")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BatchError(f"cannot create {path}: {exc.strerror}") from None
        for stale in path.glob(f".{_PART_PREFIX}*.tmp*"):
            stale.unlink()  # a part whose writer died before the rename: it will be redone
        self.done = frozenset(self._scan())

    def _scan(self) -> set[str]:
        parts = sorted(self.path.glob(f"{_PART_PREFIX}*.parquet"))
        if not parts:
            return set()
        pq = pyarrow_parquet(self.path)
        done: set[str] = set()
        for part in parts:
            done.update(pq.read_table(part, columns=["id"]).column("id").to_pylist())
        return done

    def write(self, result: ChunkResult) -> None:
        """Write the chunk's part file atomically."""
        if result.payload:
            write_part(self.path, result.key, result.payload)


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
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return final


def consume(
    results: Iterable[ChunkResult], output: Output, update: ProgressUpdate, totals: Totals
) -> None:
    """Write each result in order, count it, move the progress bar; the engines share it."""
    for result in results:
        output.write(result)
        totals.add(result)
        update(result.progress, totals)
