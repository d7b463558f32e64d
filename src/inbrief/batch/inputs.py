"""Inputs: the files a batch names, their formats, and the readers that turn them into rows.

A row is an id and a record for :func:`~inbrief.sources.records.article_from_record`, or the
reason it cannot be summarized: a bad line, a missing column, a damaged file.  A reader never
raises for one bad row, so one bad row never ends a batch.  JSONL is read the same way for a
batch file (:class:`RowReader`) and for the stream of ``inbrief summarize --jsonl``
(:func:`stream_rows`): both go through :func:`jsonl_rows`.
"""

from __future__ import annotations

import contextlib
import csv
import glob
import gzip
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

from inbrief.errors import BatchError, BatchOptionError, InbriefError
from inbrief.sources import MAX_SOURCE_BYTES
from inbrief.sources.records import parse_json_line

InputFormat = Literal["jsonl", "csv", "parquet"]

_JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
_COMPRESSIONS = (".gz", ".zst")
# How often (in lines) a reader looks where it stands in the file: often enough for a smooth
# progress bar, rarely enough that asking the file costs nothing.
_POSITION_EVERY = 64


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

    In a batch, ``id`` is text or a number (resuming compares ids), or ``<file>:<line>`` when
    the row has none, so that an error row can still be found and is not redone on resume.
    A stream (:func:`stream_rows`) passes on whatever JSON value the line gave, or None.
    """

    number: int
    id: object
    record: dict[str, Any] | None
    error: str | None = None


def id_key(value: object) -> str:
    """How ids are compared when resuming: as text, so an id of 7 and "7" are the same row."""
    return value if isinstance(value, str) else str(value)


def expand_inputs(patterns: Sequence[str | Path]) -> list[InputFile]:
    """The input files ``patterns`` name, in order; each glob sorted, no file twice."""
    if not patterns:
        raise BatchOptionError("name at least one input file or glob")
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
    raise BatchOptionError(
        f"{path}: unknown input format; use .jsonl (.gz, .zst), .csv (.gz, .zst) or .parquet"
    )


def pyarrow_parquet(needed_for: Path | str) -> Any:
    """``pyarrow.parquet``, or a :class:`BatchError` saying which extra to install."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise BatchError(
            f"{needed_for}: Parquet needs pyarrow: pip install 'inbrief[batch]'"
        ) from None
    return pq


def jsonl_rows(
    lines: Iterable[bytes | str],
    where: Callable[[int], str],
    failed: Callable[[int, str], InputRow],
    to_row: Callable[[int, dict[str, Any], str], InputRow],
) -> Iterator[InputRow]:
    """The rows of JSONL lines: blank lines skipped (but counted), each other line one row.

    ``where`` names line N in messages, ``failed`` makes the error row of a line that is not
    a JSON object (or, for bytes, not UTF-8), ``to_row`` the row of a parsed record.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        place = where(number)
        if isinstance(line, bytes):
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield failed(number, f"{place}: not valid UTF-8 (byte {exc.start})")
                continue
        else:
            text = line
        try:
            raw = parse_json_line(text, place)
        except InbriefError as exc:
            yield failed(number, str(exc))
            continue
        if _holds_lone_surrogate(text, raw):
            yield failed(number, f"{place}: {_LONE_SURROGATE}")
            continue
        yield to_row(number, raw, place)


# A JSON escape of a UTF-16 surrogate, \ud800 to \udfff: two in a row are one character, one
# alone decodes to a code point that no UTF-8 output (a file, stdout, Parquet) can hold.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = "holds a lone surrogate (a \\ud800-\\udfff escape without its pair), not text"


def _holds_lone_surrogate(text: str, record: dict[str, Any]) -> bool:
    """True when the line, or a value it decodes to, holds a lone surrogate."""
    if _SURROGATE_ESCAPE.search(text) is None:
        return _undecodable(text)  # surrogates in the line itself (text decoded leniently)
    return _undecodable(json.dumps(record, ensure_ascii=False))


def stream_rows(lines: Iterable[str]) -> Iterator[InputRow]:
    """The rows of a JSONL text stream (``summarize --jsonl``): each record as the line gives it.

    Unlike a batch file's rows, a record is not read through columns: its ``id`` may be any
    JSON value or absent (None), and :func:`~inbrief.sources.records.article_from_record`
    checks its content itself (``article`` for ``text``, exactly one kind, ``source_url``).
    """
    return jsonl_rows(lines, _stream_line, _stream_failed, _stream_record)


def _stream_line(number: int) -> str:
    return f"line {number}"


def _stream_failed(number: int, error: str) -> InputRow:
    return InputRow(number, None, None, error)


def _stream_record(number: int, raw: dict[str, Any], where: str) -> InputRow:
    return InputRow(number, raw.get("id"), raw)


class RowReader:
    """Rows of one input file, streamed; ``position`` is how many of its bytes were consumed."""

    def __init__(self, file: InputFile, columns: Columns) -> None:
        self.file = file
        self.columns = columns
        self.position = 0
        self._stack = contextlib.ExitStack()
        self._raw: IO[bytes] | None = None

    def __enter__(self) -> RowReader:
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
        yield from jsonl_rows(self._tracked_lines(), self._where, self._failed, self._row)
        self._advance()

    def _tracked_lines(self) -> Iterator[bytes]:
        for number, line in enumerate(self._open(), start=1):
            if number % _POSITION_EVERY == 0:
                self._advance()
            yield line

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
            if number % _POSITION_EVERY == 0:
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
        pq = pyarrow_parquet(self.file.path)
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


def record_source_url(record: dict[str, Any]) -> str | None:
    """Where a row's article was published: the URL it is fetched from, or its URL column."""
    for key in ("url", "source_url"):
        if isinstance(record.get(key), str):
            return str(record[key])
    return None


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
