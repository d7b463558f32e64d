"""Cached-summary throughput and latency of the reader, beside a bare uvicorn endpoint.

    .venv/bin/python bench/serve_load.py [--requests 20000] [--connections 64] [--articles 20]

Both servers run in their own process on 127.0.0.1, one after the other, under the same load
generator: ``--connections`` keep-alive HTTP/1.1 connections, each sending its next request as
soon as the previous answer has arrived, for ``--requests`` requests in all (after a warm-up).

* **reader**: ``GET /api/articles/{id}/summary`` (3 sentences) from :func:`create_app` over a
  SQLite store whose summaries were cached at ingest, cycling through ``--articles`` articles.
* **store**: the same reader with its in-memory summary layer off (``summary_memo_size=0``),
  so every request reads the summary from the store's cache: shown for information.
* **bare**: a plain ASGI function under the same uvicorn returning one of those summaries'
  bytes from memory: the ceiling for any endpoint on this server and machine.

Goal (issue 4): reader throughput at least 50% of bare, reader p99 at most 20 ms. The load
generator shares the machine with the server, so absolute figures understate a dedicated host;
the ratio is the comparable figure. Prints one table and exits 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import multiprocessing
import statistics
import sys
import tempfile
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import Any

from loadgen import LoadResult, run_load, serve_bare, uvicorn_config

from inbrief.service.settings import DEFAULT_SUMMARY_MEMO_SIZE

GOAL_RATIO = 0.5
GOAL_P99_MS = 20.0
WARMUP_REQUESTS = 1000


# --- servers (each in its own process) --------------------------------------------------------


def _serve_reader(database: str, memo_size: int, http: str, ports: Any) -> None:
    import uvicorn

    from inbrief.service import Settings
    from inbrief.service.app import create_app
    from inbrief.service.server import bind
    from inbrief.store import Store

    store = Store.open(database)
    sock = bind("127.0.0.1", 0)
    ports.put(sock.getsockname()[1])
    app = create_app(store, Settings(summary_memo_size=memo_size))
    config = uvicorn_config(app, http)
    uvicorn.Server(config).run(sockets=[sock])


# --- load ------------------------------------------------------------------------------------


async def _load(port: int, paths: list[str], requests: int, connections: int) -> LoadResult:
    # Warm-up: every path at least once, so the measured run is all cached summaries.
    warm = max(WARMUP_REQUESTS, len(paths) * connections)
    await run_load(port, paths, warm, connections)
    return await run_load(port, paths, requests, connections)


def _measure(
    name: str, target: Any, args: tuple[Any, ...], paths: list[str], requests: int, connections: int
) -> LoadResult:
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(target=target, args=(*args, ports), daemon=True)
    server.start()
    try:
        port = ports.get(timeout=60)
        result = asyncio.run(_load(port, paths, requests, connections))
    finally:
        server.terminate()
        server.join(timeout=10)
    return replace(result, name=name)


# --- set-up and report ------------------------------------------------------------------------


def _prepare(database: str, articles: int) -> tuple[list[str], bytes]:
    """Store ``articles`` demo articles (summaries cached at ingest); their summary paths and
    the first summary's bytes."""
    from inbrief.cache import summary_key
    from inbrief.ingest import DEFAULT_BUDGETS, add_article, demo_articles
    from inbrief.store import Store

    with Store.open(database) as store:
        stored = [add_article(store, a).article for a in islice(demo_articles(), articles)]
        payload = store.get_summary(summary_key(stored[0], DEFAULT_BUDGETS[0]))
    if payload is None:
        raise SystemExit("bench: ingest did not cache the default summary")
    paths = [f"/api/articles/{s.id}/summary?sentences=3" for s in stored]
    return paths, payload.encode("utf-8")


def _server_name(http: str) -> str:
    if http == "h11":
        return "uvicorn h11 + asyncio"
    fast = [name for name in ("httptools", "uvloop") if importlib.util.find_spec(name)]
    return "uvicorn " + (" + ".join(fast) if fast else "h11 + asyncio")


def _row(result: LoadResult) -> str:
    return (
        f"{result.name:<8} {result.requests:>9} {result.per_second:>10.0f} "
        f"{result.percentile(0.5):>8.2f} {result.percentile(0.99):>8.2f} {result.failures:>6}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run both measurements and print the comparison; 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument(
        "--http",
        choices=("auto", "h11"),
        default="auto",
        help="auto: uvicorn's choice (httptools + uvloop when installed); h11: pure Python",
    )
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        database = str(Path(tmp) / "bench.db")
        paths, payload = _prepare(database, options.articles)
        run = (options.requests, options.connections)
        http = options.http
        bare = _measure("bare", serve_bare, (payload, http), paths, *run)
        memo = DEFAULT_SUMMARY_MEMO_SIZE
        reader = _measure("reader", _serve_reader, (database, memo, http), paths, *run)
        store_only = _measure("store", _serve_reader, (database, 0, http), paths, *run)

    print(
        f"cached summary, {options.connections} connections, {options.requests} requests, "
        f"{len(payload)} byte body, Python {sys.version.split()[0]}, {_server_name(http)}"
    )
    print(f"{'endpoint':<8} {'requests':>9} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} failed")
    print(_row(bare))
    print(_row(reader))
    print(_row(store_only) + "   (memory layer off: every request reads the store's cache)")
    ratio = reader.per_second / bare.per_second
    p99 = reader.percentile(0.99)
    mean = statistics.fmean(reader.latencies_ms)
    print(f"reader/bare throughput: {ratio:.0%} (goal >= {GOAL_RATIO:.0%})")
    print(f"reader p99: {p99:.2f} ms (goal <= {GOAL_P99_MS:g} ms); mean {mean:.2f} ms")
    failed = reader.failures or bare.failures
    return 1 if failed or ratio < GOAL_RATIO or p99 > GOAL_P99_MS else 0


if __name__ == "__main__":
    raise SystemExit(main())
