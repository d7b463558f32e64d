"""The reader under a mixed load: pages, cached summaries and searches, with its memory.

    .venv/bin/python bench/load_mix.py [--requests 10000] [--connections 64]

Starts ``inbrief serve`` in its own process on a free port of 127.0.0.1 over a fresh
temporary SQLite database, which it fills with the demo corpus as it does on a first run
(83 articles, their default summaries cached at ingest). Then, after a short warm-up,
``--connections`` keep-alive connections send ``--requests`` GETs in all over this mix:

* 20% the article list (``/``, ``/?page=N``);
* 30% article pages (``/articles/{id}``);
* 35% cached summaries (``/api/articles/{id}/summary``, 3 sentences or 60 words);
* 15% searches (``/search?q=WORD`` and ``/api/articles?q=WORD``, words from the titles).

Prints requests/s, p50/p99 latency, errors (no complete answer), the count of each status
(goal: 0 errors, no 5xx, only 200s), and the server's memory: its resident set size sampled
from /proc every 50 ms during the load (peak and at the end), and the kernel's own high-water
mark (VmHWM, which includes the demo ingest at start-up). The generator shares the machine
with the server. Exits 1 if any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
from loadgen import LoadResult, run_load

SEED = 20240501
WARMUP_REQUESTS = 1000
SAMPLE_SECONDS = 0.05
MIX = {"list": 20, "article": 30, "summary": 35, "search": 15}
SUMMARY_QUERIES = ("sentences=3", "words=60")  # the budgets ingest caches
WORD = re.compile(r"[^\W\d_]{5,}")


@dataclass(frozen=True)
class Memory:
    """The server's resident memory (MiB): sampled peak during the load, at its end, and the
    kernel's high-water mark for the whole process life."""

    before: float
    peak: float
    end: float
    high_water: float


class Server:
    """``inbrief serve`` in a subprocess on a free loopback port, over ``database``."""

    def __init__(self, database: Path) -> None:
        command = [sys.executable, "-m", "inbrief", "serve", "--port", "0"]
        command += ["--database", str(database)]
        # The rate limit guards POST /api/summarize, which this load never sends.
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if match is None:
            self.process.kill()
            _, errors = self.process.communicate()
            raise SystemExit(f"load_mix: the server did not start: {line!r} {errors}")
        self.port = int(match.group(1))
        self.url = f"http://127.0.0.1:{self.port}"

    def rss_mib(self, field: str = "VmRSS") -> float:
        """A memory figure of the server process from /proc/PID/status, in MiB."""
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kib = re.search(rf"^{field}:\s+(\d+) kB", status, re.MULTILINE)
        return int(kib.group(1)) / 1024 if kib else 0.0

    def stop(self) -> str:
        """Stop the server as Ctrl+C does; its stderr."""
        self.process.send_signal(signal.SIGINT)
        try:
            _, errors = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, errors = self.process.communicate()
        return errors


class MemorySampler:
    """Samples the server's RSS every :data:`SAMPLE_SECONDS` in a thread, keeping the peak."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self.peak = max(self.peak, self.server.rss_mib())
            if self._stop.wait(SAMPLE_SECONDS):
                return


def mix_paths(url: str, total: int, rng: random.Random) -> list[str]:
    """``total`` request paths in the :data:`MIX` proportions, shuffled, from what the server
    stores (listed through its own API)."""
    with httpx.Client(base_url=url, timeout=60) as client:
        listing = client.get("/api/articles", params={"limit": 100}).json()
    ids = [item["id"] for item in listing["items"]]
    pages = max(1, -(-listing["total"] // 20))  # the reader's default page size
    # Percent-encoded: titles are in several languages and scripts.
    titles = (item["title"] or "" for item in listing["items"])
    words = sorted({quote(w.lower()) for title in titles for w in WORD.findall(title)})
    makers = {
        "list": lambda: "/" if rng.random() < 0.5 else f"/?page={rng.randint(1, pages)}",
        "article": lambda: f"/articles/{rng.choice(ids)}",
        "summary": lambda: f"/api/articles/{rng.choice(ids)}/summary?{rng.choice(SUMMARY_QUERIES)}",
        "search": lambda: (
            f"/search?q={rng.choice(words)}"
            if rng.random() < 0.5
            else f"/api/articles?q={rng.choice(words)}&limit=10"
        ),
    }
    kinds = [kind for kind, share in MIX.items() for _ in range(share)]
    return [makers[rng.choice(kinds)]() for _ in range(total)]


def report(result: LoadResult, memory: Memory, connections: int, articles: int) -> None:
    """Print the figures."""
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(result.statuses.items()))
    print(
        f"mixed load on inbrief serve ({articles} demo articles): {result.requests} requests, "
        f"{connections} connections, Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    print(f"  mix: {', '.join(f'{k} {v}%' for k, v in MIX.items())}")
    print(f"  requests/s      {result.per_second:10.0f}   ({result.seconds:.1f} s)")
    print(f"  latency p50     {result.percentile(0.50):10.2f} ms")
    print(f"  latency p99     {result.percentile(0.99):10.2f} ms")
    print(f"  latency max     {max(result.latencies_ms, default=0.0):10.2f} ms")
    print(f"  errors          {result.errors:10d}   (no complete answer)")
    print(f"  5xx answers     {result.server_errors:10d}")
    print(f"  statuses        {statuses}")
    print(
        f"  server RSS      {memory.before:.1f} MiB before, peak {memory.peak:.1f} MiB during "
        f"the load, {memory.end:.1f} MiB at its end; high-water mark {memory.high_water:.1f} MiB"
        " (includes the start-up ingest)"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the mixed load once and print its figures; 1 when a request failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=64)
    options = parser.parse_args(argv)
    if options.requests < 1 or not 1 <= options.connections <= 1024:
        parser.error("--requests must be positive and --connections between 1 and 1024")

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        server = Server(Path(tmp) / "load.db")
        try:
            print(f"server ready in {time.perf_counter() - started:.1f} s (demo ingest)")
            rng = random.Random(SEED)
            warm = mix_paths(server.url, WARMUP_REQUESTS, rng)
            paths = mix_paths(server.url, options.requests, rng)
            asyncio.run(run_load(server.port, warm, len(warm), options.connections))
            before = server.rss_mib()
            with MemorySampler(server) as sampler:
                result = asyncio.run(
                    run_load(server.port, paths, len(paths), options.connections, "mix")
                )
            memory = Memory(before, sampler.peak, server.rss_mib(), server.rss_mib("VmHWM"))
            articles = httpx.get(server.url + "/api/articles?limit=1", timeout=60).json()["total"]
        finally:
            errors = server.stop()
    report(result, memory, options.connections, articles)
    if "Traceback" in errors:
        print(f"the server logged an exception:\n{errors}", file=sys.stderr)
        return 1
    return 1 if result.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
