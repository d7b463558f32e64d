"""The access log ``inbrief serve`` writes: one line per request on stderr.

    2026-11-27T09:30:12Z GET /articles/12?summary=sentences-3 200 4.2 ms

Time (UTC), method, path with its query string, status and how long the answer took.  On by
default; ``INBRIEF_ACCESS_LOG=false`` turns it off (:attr:`Settings.access_log`).  The path is
written as the client sent it, still percent-encoded, and any byte outside printable ASCII is
percent-encoded too: a request cannot break a line of the log or write a terminal escape into it.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER = logging.getLogger("inbrief.access")
FORMAT = "%(asctime)s %(message)s"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


def target(scope: Scope) -> str:
    """The request's path and query string as the client sent them, printable ASCII only."""
    raw = scope.get("raw_path") or scope["path"].encode("utf-8")
    query = scope.get("query_string", b"")
    sent = raw + b"?" + query if query else raw
    return "".join(chr(b) if 0x20 < b < 0x7F else f"%{b:02X}" for b in sent)


def line(scope: Scope, status: int | None, seconds: float) -> str:
    """One request's line, without the time stamp the log handler adds."""
    shown = "-" if status is None else str(status)
    return f"{scope['method']} {target(scope)} {shown} {seconds * 1000:.1f} ms"


class AccessLog:
    """Log every HTTP request once its answer has been sent (or has failed)."""

    def __init__(
        self,
        app: ASGIApp,
        log: Callable[[str], None] = LOGGER.info,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.app = app
        self.log = log
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = self.clock()
        status: int | None = None

        async def send_logged(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_logged)
        finally:
            self.log(line(scope, status, self.clock() - started))


@contextmanager
def logging_to_stderr() -> Iterator[None]:
    """Write :data:`LOGGER`'s lines to stderr, time-stamped in UTC, while the block runs."""
    handler = logging.StreamHandler(sys.stderr)
    formatter = logging.Formatter(FORMAT, TIME_FORMAT)
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    LOGGER.addHandler(handler)
    LOGGER.setLevel(logging.INFO)
    LOGGER.propagate = False
    try:
        yield
    finally:
        LOGGER.removeHandler(handler)
