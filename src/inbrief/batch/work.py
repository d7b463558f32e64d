"""Work: rows grouped into chunks, and a chunk turned into its output bytes.

Every engine runs these same functions (the local pool in worker processes, Ray in actors,
``summarize --jsonl`` in its own process), so the same row gives the same bytes on all of them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from inbrief import summarizers
from inbrief.batch.inputs import (
    Columns,
    InputFile,
    InputRow,
    RowReader,
    id_key,
    pyarrow_parquet,
)
from inbrief.errors import InbriefError, internal_error
from inbrief.models import Budget
from inbrief.pipeline import DEFAULT_KEYWORDS, DEFAULT_METHOD, summarize_article
from inbrief.render import article_to_dict, summary_to_dict
from inbrief.sources.records import article_from_record
from inbrief.summarizers.llm import LLM

OutputFormat = Literal["jsonl", "parquet"]
# What a row becomes: its summary (batch, summarize --jsonl) or its article (extract --jsonl).
Task = Literal["summarize", "extract"]

# A chunk is the unit of work and of loss: a worker summarizes it in about half a second at
# the speed target (500 articles/s/core), short enough that an interrupted run loses little,
# long enough that the per-chunk costs (a pickle round trip, an fsync, a Ray task) vanish.
DEFAULT_CHUNK_SIZE = 256


@dataclass(frozen=True)
class BatchSettings:
    """Everything a worker needs to turn a chunk into output; small and picklable."""

    budget: Budget = field(default_factory=Budget)
    method: str = DEFAULT_METHOD
    keywords: int = DEFAULT_KEYWORDS
    output_format: OutputFormat = "jsonl"
    task: Task = "summarize"


@dataclass(frozen=True)
class Chunk:
    """Consecutive rows of one input that are not in the output yet, the unit of work."""

    file_index: int
    rows: tuple[InputRow, ...]
    skipped: int  # rows of this stretch already in the output
    read: int  # rows of this stretch, skipped ones included
    progress: int  # input bytes consumed, all files counted, once this chunk was read
    retried: int = 0  # rows of ``rows`` that failed in an earlier run, done again

    @property
    def key(self) -> str:
        """A name unique in the run and stable across re-runs: file index and first row."""
        first = self.rows[0].number if self.rows else 0
        return f"{self.file_index:05d}-{first:012d}"


@dataclass(frozen=True)
class ChunkResult:
    """A summarized chunk: its output bytes (JSONL lines or a Parquet file), its counts, and a
    line for each failed row (``id 7: no article text found``), in order."""

    key: str
    payload: bytes
    summarized: int
    failed: int
    skipped: int
    read: int
    progress: int
    retried: int = 0
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Plan:
    """What to read and what to skip: the inputs, the columns, the chunk size, the done ids
    (and, to count them as retried, the ids whose row failed in an earlier run)."""

    files: list[InputFile]
    columns: Columns
    chunk_size: int
    done: frozenset[str]
    failed_before: frozenset[str] = frozenset()

    @property
    def total_bytes(self) -> int:
        """The size of all inputs, the scale progress is measured on."""
        return sum(file.size for file in self.files)

    def chunks(self) -> Iterator[Chunk]:
        """Every input's chunks, in order."""
        for file in self.files:
            yield from read_chunks(
                file, self.columns, self.chunk_size, self.done, self.failed_before
            )


def read_chunks(
    file: InputFile,
    columns: Columns,
    chunk_size: int,
    done: frozenset[str],
    failed_before: frozenset[str] = frozenset(),
) -> Iterator[Chunk]:
    """The chunks of one input: ``chunk_size`` consecutive rows each, done rows left out."""
    rows: list[InputRow] = []
    skipped = read = retried = 0
    with RowReader(file, columns) as reader:
        for row in reader.rows_then_damage():
            read += 1
            key = id_key(row.id)
            if key in done:
                skipped += 1
            else:
                rows.append(row)
                if key in failed_before:
                    retried += 1
            if read == chunk_size:
                progress = file.offset + reader.position
                yield Chunk(file.index, tuple(rows), skipped, read, progress, retried)
                rows, skipped, read, retried = [], 0, 0, 0
        if read:
            progress = file.offset + reader.position
            yield Chunk(file.index, tuple(rows), skipped, read, progress, retried)


def summarize_chunk(chunk: Chunk, settings: BatchSettings) -> ChunkResult:
    """Summarize every row of ``chunk``; a row that fails becomes an error row, never a crash.

    Written summaries spend their time waiting for the model server: the rows of a chunk are
    then sent together, as many at once as the servers take (``INBRIEF_LLM_CONCURRENCY`` per
    server URL), and come back in row order."""
    in_flight = _model_requests(settings)
    if in_flight > 1 and len(chunk.rows) > 1:
        with ThreadPoolExecutor(max_workers=in_flight) as pool:
            outputs = list(pool.map(lambda row: row_output(row, settings), chunk.rows))
    else:
        outputs = [row_output(row, settings) for row in chunk.rows]
    errors = tuple(
        failure_line(row, output, f"id {id_key(row.id)}")
        for row, output in zip(chunk.rows, outputs, strict=True)
        if "error" in output
    )
    return ChunkResult(
        key=chunk.key,
        payload=encode_rows(outputs, settings.output_format) if outputs else b"",
        summarized=len(outputs) - len(errors),
        failed=len(errors),
        skipped=chunk.skipped,
        read=chunk.read,
        progress=chunk.progress,
        retried=chunk.retried,
        errors=errors,
    )


def _model_requests(settings: BatchSettings) -> int:
    """Requests a chunk may have in flight: 1 unless the method waits for a model server."""
    if settings.task == "extract":
        return 1
    method = summarizers.get(settings.method)
    if not isinstance(method, LLM) or not method.settings.configured:
        return 1
    return method.settings.concurrency * len(method.settings.urls)


def row_output(row: InputRow, settings: BatchSettings) -> dict[str, Any]:
    """The output of one row: ``{"id", **summary_to_dict(...)}`` (or, to extract,
    ``article_to_dict``), or ``{"id", "error"}``."""
    if row.record is None:
        return {"id": row.id, "error": row.error or "unreadable row"}
    try:
        article = article_from_record(row.record)
        if settings.task == "extract":
            return {"id": row.id, **article_to_dict(article)}
        summary = summarize_article(
            article, settings.budget, method=settings.method, keywords=settings.keywords
        )
        return {"id": row.id, **summary_to_dict(summary)}
    except InbriefError as exc:
        return {"id": row.id, "error": str(exc)}
    except Exception as exc:  # one bad row must not end the batch; the message says to report it
        return {"id": row.id, "error": internal_error(exc)}


def failure_line(row: InputRow, output: dict[str, Any], place: str) -> str:
    """The line that reports a failed row on stderr: its ``error``, after ``place`` (``id 7``,
    ``line 3``) unless the row could not even be read (the error then names file and line)."""
    error = str(output["error"])
    return error if row.record is None else f"{place}: {error}"


def json_line(row: dict[str, Any]) -> str:
    """One output row as a JSONL line, the same for a batch file and a stream."""
    return json.dumps(row, ensure_ascii=False) + "\n"


def encode_rows(rows: list[dict[str, Any]], fmt: OutputFormat) -> bytes:
    """Output rows as JSONL lines, or as one Parquet file with :func:`parquet_schema`."""
    if fmt == "jsonl":
        return "".join(json_line(row) for row in rows).encode()
    pq = pyarrow_parquet("Parquet output")
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
    place = [("index", pa.int64()), ("start", pa.int64()), ("end", pa.int64()), ("text", text)]
    # A written summary's sentence: its text, the check's verdict, what supports it.
    checked = [
        ("supported", pa.bool_()),
        ("cited", pa.list_(pa.int64())),
        ("support", pa.list_(pa.struct(place))),
        ("problems", pa.list_(pa.struct([("kind", text), ("text", text), ("note", text)]))),
    ]
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
            ("image", text),
            ("image_alt", text),
            ("description", text),
            ("tags", pa.list_(text)),
            ("categories", pa.list_(text)),
            ("videos", pa.list_(text)),
            ("text", text),
            ("summary", pa.list_(text)),
            # Extractive sentences fill index..text, written ones text and the check's fields.
            ("sentences", pa.list_(pa.struct(place + checked))),
            (
                "written",
                pa.struct(
                    [
                        ("model", text),
                        ("prompt_version", text),
                        ("sentences_seen", pa.int64()),
                        ("sentences_total", pa.int64()),
                        ("saw_selection", pa.bool_()),
                        ("removed", pa.int64()),
                        ("removed_sentences", pa.list_(pa.struct([("text", text), *checked]))),
                    ]
                ),
            ),
            ("fallback", text),
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
