"""A small HTTP/1.1 load generator for the benchmarks: keep-alive connections on raw asyncio.

    result = asyncio.run(run_load(port, paths, requests=10_000, connections=64))
    result.per_second, result.percentile(0.99), result.errors, result.server_errors

Each of ``connections`` connections sends its next ``GET`` as soon as the previous answer has
been read in full, cycling through ``paths``. Raw asyncio rather than an HTTP client library:
the generator shares the machine with the server, and every CPU cycle it spends is one the
server does not get (httpx's async client costs several times more per request).

An *error* is a request that got no complete answer (connection refused or reset, a
malformed or missing status line, a timeout); the connection is then opened again. Answers
with any status are counted by status, so 4xx and 5xx are reported, not hidden.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class LoadResult:
    """What one load run measured."""

    name: str
    requests: int
    seconds: float
    latencies_ms: tuple[float, ...]
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0

    @property
    def per_second(self) -> float:
        """Completed requests per second of wall time."""
        return self.requests / self.seconds

    @property
    def server_errors(self) -> int:
        """Answers with a 5xx status."""
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def failures(self) -> int:
        """Requests that did not get a 2xx or 3xx answer."""
        return self.errors + sum(n for status, n in self.statuses.items() if status >= 400)

    def percentile(self, share: float) -> float:
        """Latency (ms) at ``share`` (0-1) of the sorted latencies of answered requests."""
        ordered = sorted(self.latencies_ms)
        return ordered[min(int(share * len(ordered)), len(ordered) - 1)] if ordered else 0.0


@dataclass
class _Tally:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: int = 0


async def _read_answer(reader: asyncio.StreamReader) -> int:
    """Read one whole response; its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        await reader.readexactly(size + 2)  # the chunk and its CRLF
        if size == 0:
            return status


async def _connection(
    port: int,
    paths: Sequence[str],
    first: int,
    count: int,
    tally: _Tally,
    headers: Sequence[str] | None,
) -> None:
    """Send ``count`` requests on one keep-alive connection, from ``paths[first]`` on."""
    stream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    for number in range(first, first + count):
        path = paths[number % len(paths)]
        extra = headers[number % len(paths)] if headers else ""
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode()
        started = time.perf_counter()
        try:
            if stream is None:
                stream = await asyncio.open_connection("127.0.0.1", port)
            reader, writer = stream
            writer.write(request)
            status = await asyncio.wait_for(_read_answer(reader), TIMEOUT_SECONDS)
        except (
            OSError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ValueError,
            TimeoutError,
        ):
            tally.errors += 1
            if stream is not None:
                stream[1].close()
            stream = None  # open a fresh connection for the next request
            continue
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        tally.statuses[status] += 1
    if stream is not None:
        stream[1].close()


async def run_load(
    port: int,
    paths: Sequence[str],
    requests: int,
    connections: int,
    name: str = "",
    headers: Sequence[str] | None = None,
) -> LoadResult:
    """Send ``requests`` GETs over ``connections`` connections to 127.0.0.1:``port``;
    ``headers[i]``, when given, are the header lines (each ending in CRLF) sent with
    ``paths[i]``."""
    shares = [requests // connections + (i < requests % connections) for i in range(connections)]
    # Connection i starts at a different place in the path list, so the mix is the same at
    # every moment of the run, not one kind of page after another.
    stride = max(len(paths) // connections, 1)
    tally = _Tally()
    started = time.perf_counter()
    await asyncio.gather(
        *(_connection(port, paths, i * stride, n, tally, headers) for i, n in enumerate(shares))
    )
    seconds = time.perf_counter() - started
    return LoadResult(
        name, requests, seconds, tuple(tally.latencies_ms), tally.statuses, tally.errors
    )


# --- what the benchmarks measure the reader against ------------------------------------------


def serve_bare(
    payload: bytes, http: str, ports: Any, content_type: bytes = b"application/json"
) -> None:
    """Serve ``payload`` to every request from a bare ASGI endpoint under uvicorn (the ceiling a
    route is measured against), on a free loopback port put on the ``ports`` queue."""
    import uvicorn

    from inbrief.service.server import bind

    headers = [(b"content-type", content_type), (b"content-length", str(len(payload)).encode())]

    async def bare(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    sock = bind("127.0.0.1", 0)
    ports.put(sock.getsockname()[1])
    config = uvicorn_config(bare, http, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


def uvicorn_config(app: Any, http: str = "auto", **options: Any) -> Any:
    """uvicorn's settings for a benchmark server: quiet, no access log; ``http="h11"`` for the
    pure-Python stack ("auto", uvicorn's default, takes httptools and uvloop when installed)."""
    import uvicorn

    if http == "h11":
        options.update(http="h11", loop="asyncio")
    return uvicorn.Config(app, log_level="warning", access_log=False, **options)


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process ``pid`` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
