"""Batch summarization of whole archives: input files -> chunks -> summaries -> one output.

    report = run_batch(["archive/*.jsonl.zst"], "summaries.parquet", jobs=8)
    print(report.describe())
    raise SystemExit(report.exit_code)

The flow is the same on every engine:

1. **Read** the inputs (JSONL, ``.jsonl.gz``, ``.jsonl.zst``, Parquet, CSV) in order, one chunk
   of :data:`DEFAULT_CHUNK_SIZE` rows at a time, so memory stays flat however large they are.
   A row whose id is already in the output is dropped here: that is how a re-run resumes.
2. **Summarize** each chunk in a worker that built its summarizer once (:func:`summarize_chunk`):
   a local process (``engine="local"``) or a Ray Data actor (``engine="ray"``, in
   :mod:`inbrief.batch_ray`). A row that cannot be summarized becomes an error row; the
   batch goes on.
3. **Write** each chunk's output at once: JSONL lines appended and fsynced in input order, or
   one Parquet part file renamed into place.  A run killed at any moment loses only the chunks
   that were being summarized; re-running the same command finishes the job, and the output
   is then byte for byte what an uninterrupted run writes.

Output rows have the JSON shape of :func:`inbrief.render.summary_to_dict` plus ``id``, exactly
as ``inbrief summarize --jsonl`` streams them; a failed row is ``{"id", "error"}``.  In Parquet
the same fields are columns (nested ones as structs), with ``error`` null on success.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import gzip
import io
import json
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal, cast

from inbrief import summarizers
from inbrief.errors import BatchError, InbriefError
from inbrief.models import Budget
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD, summarize_article
from inbrief.records import article_from_record, parse_json_line
from inbrief.render import summary_to_dict
from inbrief.sources import MAX_SOURCE_BYTES

Engine = Literal["local", "ray"]
OutputFormat = Literal["jsonl", "parquet"]
InputFormat = Literal["jsonl", "csv", "parquet"]

# A chunk is the unit of work and of loss: a worker summarizes it in about half a second at
# the speed target (500 articles/s/core), short enough that an interrupted run loses little,
# long enough that the per-chunk costs (a pickle round trip, an fsync, a Ray task) vanish.
DEFAULT_CHUNK_SIZE = 256
# Chunks queued per local worker: enough to keep every worker busy while the main process
# writes, few enough that memory stays flat (in flight: jobs x this x chunk size rows).
CHUNKS_IN_FLIGHT_PER_WORKER = 2
# How often a local worker checks that the main process is still there.
WORKER_WATCH_SECONDS = 1.0

_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_COMPRESSIONS = (".gz", ".zst")
_PART_PREFIX = "part-"
_ID_PREFIX = b'{"id": '


class BatchInterrupted(BatchError):
    """The batch was stopped (Ctrl-C); what was written stays, and a re-run resumes."""

    def __init__(self, message: str, report: BatchReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Columns:
    """Which input columns (JSONL keys) hold the id and the article.

    A row is summarized from the first of ``text``, ``html`` and ``url`` it has a value in; a URL
    is fetched only when the row has neither text nor HTML.  ``None`` ignores that kind.
    The metadata columns ``title``, ``language`` and ``date`` are read when present.
    """

    id: str = "id"
    text: str | None = "text"
    html: str | None = "html"
    url: str | None = "url"

    @property
    def content(self) -> tuple[tuple[str, str], ...]:
        """(record key, column name) of each content kind that is read, in priority order."""
        kinds = (("text", self.text), ("html", self.html), ("url", self.url))
        return tuple((kind, name) for kind, name in kinds if name)

    def names(self) -> list[str]:
        """Every column a row is read from, without repeats."""
        wanted = [self.id, *(name for _, name in self.content), "title", "language", "date"]
        return list(dict.fromkeys(wanted))


@dataclass(frozen=True)
class BatchSettings:
    """Everything a worker needs to turn a chunk into output; small and picklable."""

    budget: Budget = field(default_factory=Budget)
    method: str = DEFAULT_METHOD
    keywords: int = DEFAULT_KEYWORDS
    output_format: OutputFormat = "jsonl"


@dataclass(frozen=True)
class InputFile:
    """One input file, where it stands in the run, and how to read it."""

    index: int
    path: Path
    format: InputFormat
    compression: str | None
    size: int
    offset: int  # bytes of all earlier inputs: progress is measured in input bytes


@dataclass(frozen=True)
class InputRow:
    """One row read from an input: its id and record, or why it cannot be summarized.

    ``id`` is the row's id, or ``<file>:<line>`` when the row has none (so an error row can still
    be found and is not redone on resume).
    """

    number: int
    id: str | int
    record: dict[str, Any] | None
    error: str | None = None


@dataclass(frozen=True)
class Chunk:
    """Consecutive rows of one input that are not in the output yet, the unit of work."""

    file_index: int
    rows: tuple[InputRow, ...]
    skipped: int  # rows of this stretch already in the output
    read: int  # rows of this stretch, skipped ones included
    progress: int  # input bytes consumed, all files counted, once this chunk was read

    @property
    def key(self) -> str:
        """A name unique in the run and stable across re-runs: file index and first row."""
        first = self.rows[0].number if self.rows else 0
        return f"{self.file_index:05d}-{first:012d}"


@dataclass(frozen=True)
class ChunkResult:
    """A summarized chunk: its output bytes (JSONL lines or a Parquet file) and its counts."""

    key: str
    payload: bytes
    summarized: int
    failed: int
    skipped: int
    read: int
    progress: int


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


# --------------------------------------------------------------------------------------------
# The public entry point


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
) -> BatchReport:
    """Summarize every row of ``inputs`` into ``out``, resuming what an earlier run left.

    ``inputs`` are files or globs (``archive/*.jsonl.zst``): JSONL (also ``.gz``/``.zst``),
    Parquet or CSV.  ``out`` ending in ``.jsonl`` is one JSONL file; ending in ``.parquet`` it is
    a directory of Parquet part files.  ``engine="local"`` uses ``jobs`` processes (default:
    every core); ``engine="ray"`` runs on the Ray cluster at ``address`` (``auto``,
    ``ray://host:10001``, ``host:6379``; default: a Ray started for this run) with ``jobs``
    actors (default: the cluster's CPUs).  Both engines write the same bytes.

    ``progress`` shows a bar on stderr (default: when stderr is a terminal).  Rows that fail are
    written with their ``error`` and counted in the report (``report.exit_code`` is then 1).
    Raises :class:`BatchError` when the batch cannot start and :class:`BatchInterrupted` on
    Ctrl-C; :class:`~inbrief.errors.BudgetError`/``MethodError`` for bad options.
    """
    started = time.perf_counter()
    if engine not in ("local", "ray"):
        raise BatchError(f"unknown engine {engine!r}; choose local or ray")
    settings = BatchSettings(
        budget=budget or Budget(),
        method=method,
        keywords=keywords,
        output_format=output_format(out),
    )
    summarizers.get(method)  # an unknown method fails here, not once per row
    if chunk_size < 1:
        raise BatchError(f"chunk size must be at least 1, got {chunk_size}")
    if jobs is not None and jobs < 1:
        raise BatchError(f"--jobs must be at least 1, got {jobs}")
    columns = Columns(id=id_column, text=text_column, html=html_column, url=url_column)
    if not columns.content:
        raise BatchError("give at least one of the text, html or url columns")
    files = expand_inputs(inputs)
    out_path = Path(out)
    if any(out_path.resolve() == file.path.resolve() for file in files):
        raise BatchError(f"{out_path} is also an input; choose another --out")
    show = sys.stderr.isatty() if progress is None else progress

    if engine == "ray":
        try:
            from inbrief import batch_ray
        except ModuleNotFoundError as exc:
            if (exc.name or "").partition(".")[0] not in ("ray", "pyarrow"):
                raise
            raise BatchError("the ray engine needs Ray Data: pip install 'inbrief[ray]'") from None
        with open_output(out_path, settings.output_format) as output:
            plan = Plan(files, columns, chunk_size, output.done)
            return batch_ray.run(plan, settings, output, jobs, address, show, started)

    workers = jobs or available_cores()
    totals = Totals()
    try:
        with open_output(out_path, settings.output_format) as output:
            plan = Plan(files, columns, chunk_size, output.done)
            with progress_bar(show, plan.total_bytes) as update:
                consume(_run_local(plan, settings, workers), output, update, totals)
    except KeyboardInterrupt:
        report = totals.report(out_path, engine, workers, started)
        raise BatchInterrupted(interrupted_message(report), report) from None
    return totals.report(out_path, engine, workers, started)


def output_format(out: str | Path) -> OutputFormat:
    """The output format named by ``out``'s suffix: ``.jsonl`` or ``.parquet``."""
    suffix = Path(out).suffix.lower()
    if suffix == ".jsonl":
        return "jsonl"
    if suffix == ".parquet":
        return "parquet"
    raise BatchError(f"--out must end in .jsonl or .parquet (a directory of parts), not {out}")


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the whole machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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


# --------------------------------------------------------------------------------------------
# Inputs


def expand_inputs(patterns: Sequence[str | Path]) -> list[InputFile]:
    """The input files ``patterns`` name, in order; each glob sorted, no file twice."""
    if not patterns:
        raise BatchError("name at least one input file or glob")
    paths: list[Path] = []
    for pattern in patterns:
        text = str(pattern)
        if glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                raise BatchError(f"no file matches {text}")
            paths.extend(Path(match) for match in matches if Path(match).is_file())
            continue
        path = Path(text)
        if not path.exists():
            raise BatchError(f"{text}: no such file")
        if path.is_dir():
            raise BatchError(f"{text} is a directory; name its files, e.g. {text}/*.jsonl")
        paths.append(path)
    unique = list(dict.fromkeys(paths))
    files: list[InputFile] = []
    offset = 0
    for index, path in enumerate(unique):
        fmt, compression = input_format(path)
        size = path.stat().st_size
        files.append(InputFile(index, path, fmt, compression, size, offset))
        offset += size
    return files


def input_format(path: Path) -> tuple[InputFormat, str | None]:
    """(format, compression) from the file name: ``a.jsonl.zst`` is (``jsonl``, ``.zst``)."""
    suffixes = [s.lower() for s in path.suffixes]
    compression = suffixes.pop() if suffixes and suffixes[-1] in _COMPRESSIONS else None
    kind = suffixes[-1] if suffixes else ""
    if kind in _JSONL_SUFFIXES:
        return "jsonl", compression
    if kind == ".csv":
        return "csv", compression
    if kind == ".parquet" and compression is None:
        return "parquet", None
    raise BatchError(
        f"{path}: unknown input format; use .jsonl (.gz, .zst), .csv (.gz, .zst) or .parquet"
    )


@dataclass(frozen=True)
class Plan:
    """What to read and what to skip: the inputs, the columns, the chunk size, the done ids."""

    files: list[InputFile]
    columns: Columns
    chunk_size: int
    done: frozenset[str]

    @property
    def total_bytes(self) -> int:
        """The size of all inputs, the scale progress is measured on."""
        return sum(file.size for file in self.files)

    def chunks(self) -> Iterator[Chunk]:
        """Every input's chunks, in order."""
        for file in self.files:
            yield from read_chunks(file, self.columns, self.chunk_size, self.done)


def read_chunks(
    file: InputFile, columns: Columns, chunk_size: int, done: frozenset[str]
) -> Iterator[Chunk]:
    """The chunks of one input: ``chunk_size`` consecutive rows each, done rows left out."""
    rows: list[InputRow] = []
    skipped = read = 0
    with _RowReader(file, columns) as reader:
        for row in reader.rows_then_damage():
            read += 1
            if done and id_key(row.id) in done:
                skipped += 1
            else:
                rows.append(row)
            if read == chunk_size:
                yield Chunk(file.index, tuple(rows), skipped, read, file.offset + reader.position)
                rows, skipped, read = [], 0, 0
        if read:
            yield Chunk(file.index, tuple(rows), skipped, read, file.offset + reader.position)


def id_key(value: str | int) -> str:
    """How ids are compared when resuming: as text, so an id of 7 and "7" are the same row."""
    return value if isinstance(value, str) else str(value)


class _RowReader:
    """Rows of one input file, streamed; ``position`` is how many of its bytes were consumed."""

    def __init__(self, file: InputFile, columns: Columns) -> None:
        self.file = file
        self.columns = columns
        self.position = 0
        self._stack = contextlib.ExitStack()
        self._raw: IO[bytes] | None = None

    def __enter__(self) -> _RowReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def __iter__(self) -> Iterator[InputRow]:
        if self.file.format == "parquet":
            return self._parquet_rows()
        if self.file.format == "csv":
            return self._csv_rows()
        return self._jsonl_rows()

    def rows_then_damage(self) -> Iterator[InputRow]:
        """The file's rows; if the file itself breaks (truncated, not what its name says), one
        last error row saying where, so the batch goes on with the next file."""
        number = 0
        try:
            for row in self:
                number = row.number
                yield row
        except InbriefError:
            raise
        except Exception as exc:  # gzip, zstd, pyarrow and the OS each raise their own
            number += 1
            problem = f"{type(exc).__name__}: {exc}"
            yield self._failed(number, f"{self._where(number)} and on: unreadable ({problem})")

    def _where(self, number: int) -> str:
        unit = "line" if self.file.format == "jsonl" else "row"
        return f"{self.file.path} {unit} {number}"

    def _open(self) -> IO[bytes]:
        """The decompressed byte stream of the file; ``position`` follows the raw file."""
        raw = self._stack.enter_context(self.file.path.open("rb"))
        self._raw = raw
        if self.file.compression == ".gz":
            return cast(IO[bytes], self._stack.enter_context(gzip.GzipFile(fileobj=raw)))
        if self.file.compression == ".zst":
            try:
                import zstandard
            except ImportError:
                raise BatchError(
                    f"{self.file.path}: reading .zst needs zstandard: pip install 'inbrief[batch]'"
                ) from None
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
            return cast(IO[bytes], self._stack.enter_context(io.BufferedReader(reader)))
        return raw

    def _advance(self) -> None:
        if self._raw is not None:
            self.position = self._raw.tell()

    def _jsonl_rows(self) -> Iterator[InputRow]:
        stream = self._open()
        for number, line in enumerate(stream, start=1):
            if number % 64 == 0:
                self._advance()
            if not line.strip():
                continue
            where = self._where(number)
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield self._failed(number, f"{where}: not valid UTF-8 (byte {exc.start})")
                continue
            try:
                raw = parse_json_line(text, where)
            except InbriefError as exc:
                yield self._failed(number, str(exc))
                continue
            yield self._row(number, raw, where)
        self._advance()

    def _csv_rows(self) -> Iterator[InputRow]:
        # Python's csv module, not pyarrow's reader: it goes row by row, so a malformed or
        # undecodable row becomes one error row instead of failing a whole block, and it
        # never guesses column types (an id column of digits stays text).
        csv.field_size_limit(MAX_SOURCE_BYTES)
        text = io.TextIOWrapper(
            self._open(), encoding="utf-8", errors="surrogateescape", newline=""
        )
        self._stack.callback(text.detach)
        reader = csv.reader(text)
        try:
            header = next(reader)
        except (StopIteration, csv.Error):
            return
        missing = self._missing_columns(header)
        number = 0
        while True:
            number += 1
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield self._failed(number, f"{self._where(number)}: malformed CSV ({exc})")
                continue
            if number % 64 == 0:
                self._advance()
            if not values:
                number -= 1
                continue
            where = self._where(number)
            ident = _value_id(values, header, self.columns.id)
            if missing:
                yield self._failed(number, f"{where}: {missing}", ident)
                continue
            if len(values) != len(header):
                message = f"{where}: {len(values)} fields where the header has {len(header)}"
                yield self._failed(number, message, ident)
                continue
            raw = dict(zip(header, values, strict=True))
            bad = [name for name in self.columns.names() if _undecodable(raw.get(name))]
            if bad:
                message = f"{where}: column {bad[0]!r} is not valid UTF-8"
                yield self._failed(number, message, ident)
                continue
            yield self._row(number, {k: v if v != "" else None for k, v in raw.items()}, where)
        self._advance()

    def _parquet_rows(self) -> Iterator[InputRow]:
        pq = _pyarrow_parquet(self.file.path)
        parquet = pq.ParquetFile(self.file.path)
        self._stack.callback(parquet.close)
        names = parquet.schema_arrow.names
        missing = self._missing_columns(names)
        wanted = [name for name in self.columns.names() if name in names]
        total = max(parquet.metadata.num_rows, 1)
        number = 0
        for batch in parquet.iter_batches(batch_size=1024, columns=wanted):
            for raw in batch.to_pylist():
                number += 1
                where = self._where(number)
                if missing:
                    ident = raw.get(self.columns.id)
                    yield self._failed(number, f"{where}: {missing}", ident)
                    continue
                yield self._row(number, raw, where)
            self.position = self.file.size * number // total

    def _missing_columns(self, names: Sequence[str]) -> str | None:
        """Why no row of a file with these columns can be read, or None."""
        present = set(names)
        listing = ", ".join(names) or "none"
        if self.columns.id not in present:
            return f"no column {self.columns.id!r} for the id (columns: {listing})"
        content = [name for _, name in self.columns.content]
        if not present.intersection(content):
            wanted = " or ".join(repr(name) for name in content)
            return f"no column {wanted} for the article (columns: {listing})"
        return None

    def _failed(self, number: int, error: str, ident: Any = None) -> InputRow:
        usable = _usable_id(ident)
        if usable is None:
            usable = f"{self.file.path}:{number}"
        return InputRow(number, usable, None, error)

    def _row(self, number: int, raw: dict[str, Any], where: str) -> InputRow:
        """Turn a raw row into the record :func:`article_from_record` takes, or an error row."""
        columns = self.columns
        ident = _usable_id(raw.get(columns.id))
        if ident is None:
            value = raw.get(columns.id)
            problem = "no id" if value in (None, "") else "an id that is neither text nor a number"
            return self._failed(number, f"{where}: {problem} in column {columns.id!r}")
        record: dict[str, Any] = {"id": ident}
        for kind, name in columns.content:
            value = raw.get(name)
            if value is None or value == "":
                continue
            if not isinstance(value, str):
                return self._failed(number, f"{where}: column {name!r} must hold text", ident)
            if kind == "url" and not value.startswith(("http://", "https://")):
                problem = f"{where}: column {name!r} holds no http(s) URL"
                return self._failed(number, problem, ident)
            record[kind] = value
            break
        else:
            names = " or ".join(repr(name) for _, name in columns.content)
            return self._failed(number, f"{where}: no article in column {names}", ident)
        if "url" not in record and columns.url and isinstance(raw.get(columns.url), str):
            record["source_url"] = raw[columns.url]  # where the text was published: metadata
        for key in ("title", "language", "date"):
            if isinstance(raw.get(key), str) and raw[key]:
                record[key] = raw[key]
        return InputRow(number, ident, record)


def _usable_id(value: Any) -> str | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip():
        return value
    return None


def _value_id(values: list[str], header: list[str], column: str) -> str | None:
    """The id a CSV row holds in ``column``, if it can be read at all."""
    if column in header:
        position = header.index(column)
        if position < len(values) and not _undecodable(values[position]):
            return values[position]
    return None


def _undecodable(value: Any) -> bool:
    """True for text that carries undecodable bytes (surrogate escapes from reading CSV)."""
    if not isinstance(value, str):
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _pyarrow_parquet(path: Path | str) -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise BatchError(f"{path}: Parquet needs pyarrow: pip install 'inbrief[batch]'") from None
    return pq


# --------------------------------------------------------------------------------------------
# Work: one chunk in, its output bytes out


def summarize_chunk(chunk: Chunk, settings: BatchSettings) -> ChunkResult:
    """Summarize every row of ``chunk``; a row that fails becomes an error row, never a crash."""
    rows = [summarize_row(row, settings) for row in chunk.rows]
    failed = sum(1 for row in rows if "error" in row)
    return ChunkResult(
        key=chunk.key,
        payload=encode_rows(rows, settings.output_format) if rows else b"",
        summarized=len(rows) - failed,
        failed=failed,
        skipped=chunk.skipped,
        read=chunk.read,
        progress=chunk.progress,
    )


def summarize_row(row: InputRow, settings: BatchSettings) -> dict[str, Any]:
    """The output of one row: ``{"id", **summary_to_dict(...)}`` or ``{"id", "error"}``."""
    if row.record is None:
        return {"id": row.id, "error": row.error or "unreadable row"}
    try:
        article = article_from_record(row.record)
        summary = summarize_article(
            article, settings.budget, method=settings.method, keywords=settings.keywords
        )
        return {"id": row.id, **summary_to_dict(summary)}
    except InbriefError as exc:
        return {"id": row.id, "error": str(exc)}
    except Exception as exc:  # one bad row must not end the batch; the message says to report it
        return {"id": row.id, "error": f"internal error ({type(exc).__name__}: {exc})"}


def encode_rows(rows: list[dict[str, Any]], fmt: OutputFormat) -> bytes:
    """Output rows as JSONL lines, or as one Parquet file with :func:`parquet_schema`."""
    if fmt == "jsonl":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    pq = _pyarrow_parquet("Parquet output")
    import pyarrow as pa

    table = pa.Table.from_pylist(
        [{**row, "id": id_key(row["id"])} for row in rows], schema=parquet_schema()
    )
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def parquet_schema() -> Any:
    """The Arrow schema of Parquet output: ``id``, ``error``, then summary_to_dict's fields."""
    import pyarrow as pa

    text = pa.string()
    return pa.schema(
        [
            ("id", text),
            ("error", text),
            ("title", text),
            ("author", text),
            ("date", text),
            ("language", text),
            ("site", text),
            ("url", text),
            ("source", text),
            ("complete", pa.bool_()),
            ("incomplete_reason", text),
            ("text", text),
            ("summary", pa.list_(text)),
            (
                "sentences",
                pa.list_(
                    pa.struct(
                        [
                            ("index", pa.int64()),
                            ("start", pa.int64()),
                            ("end", pa.int64()),
                            ("text", text),
                        ]
                    )
                ),
            ),
            ("keyphrases", pa.list_(text)),
            ("budget", pa.struct([("unit", text), ("value", pa.float64())])),
            ("over_budget", pa.bool_()),
            (
                "stats",
                pa.struct(
                    [
                        ("article_words", pa.int64()),
                        ("summary_words", pa.int64()),
                        ("minutes_saved", pa.float64()),
                        ("method", text),
                        ("method_version", text),
                        ("inbrief_version", text),
                    ]
                ),
            ),
        ]
    )


# --------------------------------------------------------------------------------------------
# Outputs


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
        pq = _pyarrow_parquet(self.path)
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


# --------------------------------------------------------------------------------------------
# The local engine: a process pool fed in order, with a bounded queue


def _run_local(plan: Plan, settings: BatchSettings, workers: int) -> Iterator[ChunkResult]:
    """Summarize the plan's chunks on ``workers`` processes; yield the results in input order."""
    import multiprocessing

    # forkserver: workers fork from a clean server that imported inbrief once, so they start in
    # milliseconds and never inherit the main process's threads (the progress bar's).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["inbrief.batch"])
    pending: deque[Future[ChunkResult] | ChunkResult] = deque()
    limit = workers * CHUNKS_IN_FLIGHT_PER_WORKER
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(settings, os.getpid())
    ) as pool:
        try:
            for chunk in plan.chunks():
                if chunk.rows:
                    pending.append(pool.submit(summarize_chunk, chunk, settings))
                else:  # every row already done: nothing to send to a worker
                    pending.append(summarize_chunk(chunk, settings))
                while len(pending) > limit or (pending and _ready(pending[0])):
                    yield _result(pending.popleft())
            while pending:
                yield _result(pending.popleft())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _ready(item: Future[ChunkResult] | ChunkResult) -> bool:
    return isinstance(item, ChunkResult) or item.done()


def _result(item: Future[ChunkResult] | ChunkResult) -> ChunkResult:
    return item if isinstance(item, ChunkResult) else item.result()


def _start_worker(settings: BatchSettings, main: int) -> None:
    """Runs once in each worker: leave Ctrl-C to the main process, follow it if it is killed,
    build the summarizer."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_after, args=(main,), name="follow-main", daemon=True).start()
    summarizers.get(settings.method)


def _exit_after(main: int) -> None:
    """End this worker once the main process is gone.

    A worker waits for work on a queue it also holds the other end of, so the main process
    dying (``kill -9``) never wakes it: without this it would sleep for ever, holding its memory
    (and the fork server and resource tracker with it).
    """
    while True:
        time.sleep(WORKER_WATCH_SECONDS)
        try:
            os.kill(main, 0)
        except ProcessLookupError:
            os._exit(1)


# --------------------------------------------------------------------------------------------
# Progress


ProgressUpdate = Callable[[ChunkResult, Totals], None]


@contextlib.contextmanager
def progress_bar(show: bool, total_bytes: int) -> Iterator[ProgressUpdate]:
    """A rich progress bar on stderr (input consumed, articles, articles/s, ETA), or nothing."""
    if not show:
        yield lambda result, totals: None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    started = time.perf_counter()
    with Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[articles]:>11,} articles"),
        TextColumn("{task.fields[rate]:>8,.1f} articles/s"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("batch", total=max(total_bytes, 1), articles=0, rate=0.0)

        def update(result: ChunkResult, totals: Totals) -> None:
            written = totals.summarized + totals.failed
            elapsed = time.perf_counter() - started
            bar.update(
                task,
                completed=result.progress,
                articles=written,
                rate=written / elapsed if elapsed > 0 else 0.0,
            )

        yield update


def consume(
    results: Iterable[ChunkResult], output: Output, update: ProgressUpdate, totals: Totals
) -> None:
    """Write each result in order, count it, move the progress bar; the engines share it."""
    for result in results:
        output.write(result)
        totals.add(result)
        update(result, totals)
