"""The local engine: a process pool fed chunks in input order, with a bounded queue.

Each worker builds its summarizer once; the main process reads the inputs, hands out chunks
and writes the results in input order.  Workers leave Ctrl-C to the main process and end
themselves when it is killed.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor

from inbrief import summarizers
from inbrief.batch.work import BatchSettings, ChunkResult, Plan, summarize_chunk

# Chunks queued per local worker: enough to keep every worker busy while the main process
# writes, few enough that memory stays flat (in flight: jobs x this x chunk size rows).
CHUNKS_IN_FLIGHT_PER_WORKER = 2
# How often a local worker checks that the main process is still there.
WORKER_WATCH_SECONDS = 1.0


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the whole machine's)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_local(plan: Plan, settings: BatchSettings, workers: int) -> Iterator[ChunkResult]:
    """Summarize the plan's chunks on ``workers`` processes; yield the results in input order."""
    import multiprocessing

    # forkserver: workers fork from a clean server that imported inbrief once, so they start in
    # milliseconds and never inherit the main process's threads (the progress bar's).
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
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
