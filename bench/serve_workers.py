"""``inbrief serve --workers 2`` against one worker, on the same load.

    python bench/serve_workers.py                      # 20,000 requests a run, 2 rounds
    python bench/serve_workers.py --requests 2000 --rounds 1

Fills a SQLite file with the bundled demo corpus (summaries cached at ingest), then, for each
round, serves it with ``inbrief serve --workers 1`` and ``--workers 2`` (real processes, access
log and polling off) and sends both the same load from ``bench/loadgen.py``: a mix of the
summary API (``/api/articles/{id}/summary?sentences=3``) and article pages
(``/articles/{id}``) over every demo article, after a warm-up that fills each worker's
in-memory layers.

Printed per run: wall-clock requests/s, and the CPU time the server's processes spent per
request (the parent and its workers, summed from ``/proc/<pid>/stat``), beside the load
generator's own CPU per request.  The machine has 2 cores, shared with the load generator and
with other work, so the wall ratio is bounded by what is left for the server; the CPU figure
is not: the rate two workers would reach on two free cores is ``2 / CPU per request (2
workers)`` against ``1 / CPU per request (1 worker)``, and that ratio is the scaling goal
(>= 1.7x).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from loadgen import cpu_seconds, run_load

from inbrief.ingest import load_demo_corpus
from inbrief.store import Store

GOAL = 1.7
WARMUP_ROUNDS = 8


@dataclass(frozen=True)
class Run:
    """One measured load against one server."""

    workers: int
    requests: int
    failures: int
    seconds: float
    server_cpu: float
    loadgen_cpu: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms(self) -> float:
        return 1000 * self.server_cpu / self.requests

    @property
    def capacity(self) -> float:
        """Requests/s this many workers would serve on as many free cores."""
        return self.workers * self.requests / self.server_cpu


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its children, as ``/proc`` counts them."""
    total = 0.0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            own = cpu_seconds(current)
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except FileNotFoundError:
            continue
        total += own
        pending += [int(child) for child in children]
    return total


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(database: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "inbrief", "serve", "--port", str(port), "--database"]
    command += [database, "--workers", str(workers), "--no-demo", "--no-poll", "--no-access-log"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/articles?limit=1").status_code == 200:
                return process, port
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"bench: inbrief serve --workers {workers} did not start")
        time.sleep(0.2)


def measure(database: str, workers: int, paths: list[str], requests: int, connections: int) -> Run:
    process, port = start(database, workers)
    try:
        # Warm-up: every path many times over, on new connections each round (a connection
        # stays with the worker that took it), so that every worker has built its caches.
        for _ in range(WARMUP_ROUNDS):
            asyncio.run(run_load(port, paths, len(paths) * 4, connections))
        server_before, loadgen_before = tree_cpu(process.pid), time.process_time()
        result = asyncio.run(run_load(port, paths, requests, connections))
        server_cpu = tree_cpu(process.pid) - server_before
        loadgen_cpu = time.process_time() - loadgen_before
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    return Run(workers, result.requests, result.failures, result.seconds, server_cpu, loadgen_cpu)


def row(run: Run) -> str:
    return (
        f"--workers {run.workers}  {run.requests:>8} {run.rate:>9.0f} {run.cpu_ms:>12.2f} "
        f"{1000 * run.loadgen_cpu / run.requests:>14.2f} {run.capacity:>14.0f} {run.failures:>6}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="inbrief-workers-") as tmp:
        database = str(Path(tmp) / "demo.db")
        with Store.open(database) as store:
            load_demo_corpus(store)
            ids = [item.id for item in store.list_articles(limit=1000).items]
        paths = [f"/api/articles/{i}/summary?sentences=3" for i in ids]
        paths += [f"/articles/{i}" for i in ids]
        print(
            f"{len(ids)} demo articles, {len(paths)} paths (summary API and article pages), "
            f"{options.requests} requests over {options.connections} connections a run; "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(
            f"{'':<11} {'requests':>8} {'req/s':>9} {'CPU ms/req':>12} {'loadgen ms/req':>14} "
            f"{'free-core req/s':>14} failed"
        )
        runs: dict[int, list[Run]] = {1: [], 2: []}
        for _ in range(options.rounds):
            for workers in (1, 2):
                run = measure(database, workers, paths, options.requests, options.connections)
                runs[workers].append(run)
                print(row(run))
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
    one, two = (
        sum(r.server_cpu for r in runs[n]) / sum(r.requests for r in runs[n]) for n in (1, 2)
    )
    wall = sum(r.rate for r in runs[2]) / sum(r.rate for r in runs[1])
    scaling = 2 * one / two
    print(
        f"2 workers against 1: {scaling:.2f}x by CPU per request on free cores "
        f"({1000 * one:.2f} -> {1000 * two:.2f} ms; goal >= {GOAL}x), {wall:.2f}x by wall rate "
        "here (2 cores shared with the load generator)"
    )
    failed = any(r.failures for n in runs for r in runs[n])
    return 1 if failed or scaling < GOAL else 0


if __name__ == "__main__":
    raise SystemExit(main())
