"""The Ray engine: the local engine's chunks and workers, scheduled by Ray Data on a cluster.

    read_datasource(InputChunks)                 one read task per input file, a block per chunk
      -> map_batches(ChunkSummarizer, concurrency=N)   N actors, each builds its summarizer once
      -> write_datasink(PartSink)                Parquet parts, written by the workers
         or iter_batches on the driver           one JSONL file, appended in input order

Reading goes through :func:`inbrief.batch.work.read_chunks`, not Ray's ``read_json``/``read_csv``:
those abort the whole dataset on one malformed line, where a batch must turn it into an error
row, and they cut blocks their own way, where byte-identical output needs the local engine's
chunks.  Work and writes are the local engine's functions too, so the bytes are the same.

Installed with ``pip install 'inbrief[ray]'``.  Ray is told not to collect usage statistics
and no dashboard is started: nothing leaves the cluster.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

# Before Ray is imported: it reads this once, and must never phone home.
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"

import pyarrow as pa
import ray
import ray.data
from ray.data import Datasink
from ray.data.block import BlockAccessor, BlockMetadata
from ray.data.datasource import Datasource, ReadTask

from inbrief import summarizers
from inbrief.batch.inputs import InputFile
from inbrief.batch.local import available_cores
from inbrief.batch.outputs import Output, ParquetOutput, consume, write_part
from inbrief.batch.progress import (
    BatchReport,
    FailureReport,
    ProgressStyle,
    Totals,
    interrupted_message,
    progress_display,
)
from inbrief.batch.work import BatchSettings, ChunkResult, Plan, read_chunks, summarize_chunk
from inbrief.errors import BatchError, BatchInterrupted

# Reading and writing are light next to summarizing, and the actors hold every CPU: a read or
# write task asking for any CPU at all (even 0.05) would wait for ever behind them.
IO_CPUS = 0
# The object store of a Ray started for one run: chunks are about a megabyte and Ray Data's
# backpressure keeps a few per actor in flight, so this is room to spare, not a working set.
LOCAL_OBJECT_STORE_BYTES = 512 * 1024 * 1024

_RESULT_FIELDS = (
    "key",
    "payload",
    "summarized",
    "failed",
    "skipped",
    "read",
    "progress",
    "retried",
    "errors",
)
_COUNT_FIELDS = ("summarized", "failed", "skipped", "read", "progress", "retried")
# Failed rows' lines a Parquet write task sends back to the driver, which reports them at the
# end: ``inbrief batch`` shows the first 20 of a run (the rest are in the error column), so
# this many per task is enough, and a run with millions of failures sends no millions back.
ERRORS_PER_WRITE_TASK = 20


def run(
    plan: Plan,
    settings: BatchSettings,
    output: Output,
    jobs: int | None,
    address: str | None,
    style: ProgressStyle,
    started: float,
    on_failure: FailureReport,
) -> BatchReport:
    """Run the batch on Ray: connect (or start a local Ray), summarize, write, report."""
    connected_here = not ray.is_initialized()
    if connected_here:
        _connect(address, jobs)
    totals = Totals()
    workers = jobs or 0
    try:
        workers = jobs or max(int(ray.cluster_resources().get("CPU", 1)), 1)
        with warnings.catch_warnings(), _data_context(style == "bar"):
            # Ray warns that one input file cannot keep N actors busy; it can: a file is read
            # as many blocks, one per chunk, and each block is a task for any actor.
            warnings.filterwarnings("ignore", "The minimum number of concurrent actors")
            dataset = _dataset(plan, settings, workers)
            _execute(dataset, output, plan, style, totals, on_failure)
        return totals.report(output.path, "ray", workers, started)
    except KeyboardInterrupt:
        report = totals.report(output.path, "ray", workers, started)
        raise BatchInterrupted(interrupted_message(report), report) from None
    finally:
        if connected_here:
            ray.shutdown()


def _execute(
    dataset: Any,
    output: Output,
    plan: Plan,
    style: ProgressStyle,
    totals: Totals,
    on_failure: FailureReport,
) -> None:
    """Run the pipeline into ``output``: the driver appends JSONL, the workers write parts."""
    if isinstance(output, ParquetOutput):
        sink = PartSink(str(output.path))
        dataset.write_datasink(sink, ray_remote_args={"num_cpus": IO_CPUS})
        totals.add(sink.totals)
        for line in sink.errors:
            on_failure(line)
        return
    with progress_display(style, plan.total_bytes) as update:
        consume(_results(dataset), output, update, totals, on_failure)


def _connect(address: str | None, jobs: int | None) -> None:
    """Join the cluster at ``address``, or start a Ray of ``jobs`` CPUs for this run alone."""
    # Ray's own chatter (deprecations, token notices, plan summaries) would bury the report;
    # errors still surface as exceptions from the run.
    common: dict[str, Any] = {"logging_level": logging.ERROR, "log_to_driver": False}
    try:
        if address:
            ray.init(address=address, **common)
        else:
            ray.init(
                num_cpus=jobs or available_cores(),
                include_dashboard=False,
                object_store_memory=LOCAL_OBJECT_STORE_BYTES,
                **common,
            )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = address or "a local Ray"
        raise BatchError(f"cannot connect to Ray at {where}: {exc}") from None


@contextlib.contextmanager
def _data_context(show: bool) -> Iterator[None]:
    """Ray Data set for a batch, and put back as it was afterwards (a library has guests)."""
    context = ray.data.DataContext.get_current()
    options = context.execution_options
    logger = logging.getLogger("ray.data")
    saved = (
        options.preserve_order,
        context.target_max_block_size,
        context.enable_progress_bars,
        context.print_on_execution_start,
        logger.level,
    )
    # Results come back in input order: JSONL is appended in it, and resuming relies on it.
    options.preserve_order = True
    # One block per chunk: Ray would otherwise merge a read task's chunks into one block, and
    # one block is one task on one actor (a whole file on a single core, all output at the end).
    context.target_max_block_size = 1
    context.enable_progress_bars = show
    context.print_on_execution_start = False
    logger.setLevel(logging.ERROR)  # plan summaries and notices would bury the report
    try:
        yield
    finally:
        (
            options.preserve_order,
            context.target_max_block_size,
            context.enable_progress_bars,
            context.print_on_execution_start,
            level,
        ) = saved
        logger.setLevel(level)


def _dataset(plan: Plan, settings: BatchSettings, workers: int) -> Any:
    """read (a task per file, a block per chunk) -> map_batches (a chunk per actor call)."""
    # The ids go to the object store once, not into every read task's pickled plan.
    known = ray.put((plan.done, plan.failed_before)) if plan.done or plan.failed_before else None
    source = InputChunks(replace(plan, done=frozenset(), failed_before=frozenset()), known)
    dataset = ray.data.read_datasource(
        source, num_cpus=IO_CPUS, override_num_blocks=len(plan.files)
    )
    return dataset.map_batches(
        ChunkSummarizer,
        fn_constructor_kwargs={"settings": settings},
        batch_size=1,
        batch_format="pyarrow",
        compute=ray.data.ActorPoolStrategy(size=workers),
        num_cpus=1,
    )


def _results(dataset: Any) -> Iterator[ChunkResult]:
    for batch in dataset.iter_batches(batch_size=None, batch_format="pyarrow"):
        yield from results_from_table(batch)


class InputChunks(Datasource):
    """A Ray Data source: one read task per input file, one block (a single row) per chunk."""

    def __init__(self, plan: Plan, known: Any) -> None:
        super().__init__()
        self.plan = plan
        # An object reference to the done and failed-before ids, fetched once per read task.
        self.known = known

    def estimate_inmemory_data_size(self) -> int | None:
        """The inputs' size on disk, a lower bound Ray uses to plan."""
        return self.plan.total_bytes

    def get_read_tasks(
        self,
        parallelism: int,
        per_task_row_limit: int | None = None,
        data_context: Any = None,
    ) -> list[ReadTask]:
        """Ray Data's hook: a task per file (files are the unit a worker can read alone)."""
        tasks = []
        for file in self.plan.files:
            metadata = BlockMetadata(
                num_rows=None, size_bytes=file.size, input_files=(str(file.path),), exec_stats=None
            )
            tasks.append(ReadTask(_FileReader(self.plan, file, self.known), metadata))
        return tasks

    def get_name(self) -> str:
        """The name Ray shows for the read stage."""
        return "InbriefInput"

    @property
    def should_create_reader(self) -> bool:
        """Ray Data's hook: this source makes its read tasks itself."""
        return False

    @property
    def supports_distributed_reads(self) -> bool:
        """Read tasks may run on any node: every node sees the inputs (a shared filesystem)."""
        return True


class _FileReader:
    """The body of one read task: the chunks of one file, as single-row Arrow blocks."""

    def __init__(self, plan: Plan, file: InputFile, known: Any) -> None:
        self.plan = plan
        self.file = file
        self.known = known

    def __call__(self) -> Iterable[Any]:
        done: frozenset[str] = frozenset()
        failed_before: frozenset[str] = frozenset()
        if self.known is not None:
            done, failed_before = ray.get(self.known)
        plan = self.plan
        chunks = read_chunks(self.file, plan.columns, plan.chunk_size, done, failed_before)
        for chunk in chunks:
            yield pa.table({"chunk": pa.array([pickle.dumps(chunk)], pa.binary())})


class ChunkSummarizer:
    """The Ray Data actor: builds the summarizer once, then summarizes a chunk per call."""

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings
        summarizers.get(settings.method)

    def __call__(self, batch: Any) -> Any:
        """Summarize the batch's chunks; one result row per chunk."""
        chunks = [pickle.loads(data) for data in batch.column("chunk").to_pylist()]
        return results_table([summarize_chunk(chunk, self.settings) for chunk in chunks])


def results_table(results: list[ChunkResult]) -> Any:
    """Chunk results as an Arrow table, the block format between Ray stages."""
    columns = {name: [getattr(result, name) for result in results] for name in _RESULT_FIELDS}
    return pa.table(
        {
            "key": pa.array(columns["key"], pa.string()),
            "payload": pa.array(columns["payload"], pa.binary()),
            **{name: pa.array(columns[name], pa.int64()) for name in _COUNT_FIELDS},
            "errors": pa.array([list(e) for e in columns["errors"]], pa.list_(pa.string())),
        }
    )


def results_from_table(table: Any) -> list[ChunkResult]:
    """The chunk results an Arrow table from :func:`results_table` holds."""
    columns = {name: table.column(name).to_pylist() for name in _RESULT_FIELDS}
    columns["errors"] = [tuple(errors) for errors in columns["errors"]]
    return [
        ChunkResult(**dict(zip(_RESULT_FIELDS, values, strict=True)))
        for values in zip(*columns.values(), strict=True)
    ]


class PartSink(Datasink[tuple[Totals, list[str]]]):
    """Ray Data sink: each write task writes its chunks' Parquet parts with :func:`write_part`."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.totals = Totals()
        self.errors: list[str] = []

    def write(self, blocks: Iterable[Any], ctx: Any) -> tuple[Totals, list[str]]:
        """Write the parts of these blocks' chunks; return their counts and their first
        :data:`ERRORS_PER_WRITE_TASK` failed rows' lines."""
        counts = Totals()
        errors: list[str] = []
        for block in blocks:
            for result in results_from_table(BlockAccessor.for_block(block).to_arrow()):
                if result.payload:
                    write_part(Path(self.directory), result.key, result.payload)
                counts.add(result)
                errors.extend(result.errors[: ERRORS_PER_WRITE_TASK - len(errors)])
        return counts, errors

    def on_write_complete(self, write_result: Any) -> None:
        """On the driver, once every write task is done: add up their counts and lines."""
        for counts, errors in write_result.write_returns:
            self.totals.add(counts)
            self.errors.extend(errors)
