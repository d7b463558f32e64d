"""``inbrief serve``: listen, fill an empty store with the demo corpus, run uvicorn.

    serve("127.0.0.1", 8000, "var/inbrief.db")   # what ``inbrief serve`` runs
    with running(create_app(store, settings)) as url: ...   # a real server, for tests

The app itself is :func:`inbrief.service.app.create_app`.
"""

from __future__ import annotations

import logging
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass

import uvicorn
from starlette.types import ASGIApp
from uvicorn.config import STARTUP_FAILURE

from inbrief.errors import InbriefError
from inbrief.feeds.schedule import format_duration
from inbrief.ingest import load_demo_corpus, written_at_ingest
from inbrief.service.access import is_loopback
from inbrief.service.access_log import AccessLog, logging_to_stderr
from inbrief.service.app import create_app
from inbrief.service.settings import Settings
from inbrief.store import Store


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port), or a clear error."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio disables Nagle's algorithm (TCP_NODELAY) only on sockets
    # whose proto says TCP, and without it every response waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except (OSError, OverflowError) as error:  # OverflowError: a port past 65535
        sock.close()
        raise InbriefError(
            f"cannot listen on {host}:{port}: {getattr(error, 'strerror', None) or error}; "
            "choose another address with --host or --port"
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The http:// URL a bound socket serves."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


@contextmanager
def running(
    app: ASGIApp,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    access_log: bool = False,
    lifespan: bool = False,
) -> Iterator[str]:
    """Serve ``app`` with uvicorn in a background thread; yields its base URL (no final ``/``).

    For tests and benchmarks that need a real server on a free loopback port. The server
    stops when the block ends. ``access_log`` logs each request to ``uvicorn.access``.
    ``lifespan`` runs the app's startup and shutdown, as ``inbrief serve`` does: the feed
    poller then runs (when its settings have it on).
    """
    sock = bind(host, port)
    # Lifespan off by default: tests poll by hand, and a background poller would race them.
    level = "info" if access_log else "warning"
    config = uvicorn.Config(
        app, log_level=level, access_log=access_log, lifespan="on" if lifespan else "off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise InbriefError(f"the server on {url_of(sock)} did not start")
        time.sleep(0.01)
    try:
        yield url_of(sock).rstrip("/")
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _say_model(settings: Settings, at_ingest: bool) -> None:
    """One line on stderr about written summaries, when the operator asked for them."""
    if settings.llm.configured:
        when = "at ingest and on request" if at_ingest else "on a reader's first request"
        print(
            f"Written summaries by {settings.llm.model} at {', '.join(settings.llm.urls)}, "
            f"made {when}.",
            file=sys.stderr,
        )
    elif at_ingest:
        print(
            "INBRIEF_LLM_AT_INGEST is set but no language model is: set INBRIEF_LLM_URL and "
            "INBRIEF_LLM_MODEL (or --llm-url and --llm-model) for written summaries.",
            file=sys.stderr,
        )


def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    database: str | None = None,
    *,
    settings: Settings | None = None,
    demo: bool = True,
    workers: int = 1,
) -> None:
    """Run the reader until interrupted: open the store, fill an empty one with the demo corpus
    (unless ``demo`` is false), listen on ``host:port`` and print the URL; then one line per
    request on stderr unless ``settings.access_log`` is false (``INBRIEF_ACCESS_LOG=false``).

    ``workers`` above 1 serves the socket from that many processes, each with its own store
    and in-memory layers (docs/workers.md); this process then only watches them.

    Raises :class:`~inbrief.errors.InbriefError` (a bad database, a port in use) before
    serving anything.
    """
    if workers < 1:
        raise InbriefError(f"--workers must be 1 or more, not {workers}")
    settings = settings or Settings.from_env()
    at_ingest = written_at_ingest()  # a bad value fails here, not at the first add
    # The port first: a taken one must fail before a database is created, or any slow work.
    with closing(bind(host, port)) as sock, Store.open(database) as store:
        if store.created:  # as every command says it, so that a mistyped path is noticed
            print(f"inbrief: created a new database at {store.location}", file=sys.stderr)
        # The app first: it configures the model that ingest-time written summaries use.
        app = create_app(store, settings)
        if demo and store.list_articles(0, 1).total == 0:
            print("Empty database: adding the demo articles (once)...", file=sys.stderr)
            added = load_demo_corpus(store)
            print(f"Added {added} demo articles.", file=sys.stderr)
        if not settings.api_keys and not is_loopback(str(sock.getsockname()[0])):
            print(
                "No API key is set (INBRIEF_API_KEY): reading is open to the network, but "
                "adding, deleting and polling are accepted only from this machine.",
                file=sys.stderr,
            )
        _say_model(settings, at_ingest)
        if settings.poll:
            every = format_duration(settings.poll_interval)
            print(f"Polling feeds every {every} (--no-poll turns it off).", file=sys.stderr)
        if workers > 1:
            print(f"Serving from {workers} worker processes.", file=sys.stderr)
        print(f"inbrief reader: {url_of(sock)}  (database {store.location}; Ctrl+C stops it)")
        sys.stdout.flush()
        if workers > 1:
            store.close()  # each worker opens its own; this process only watches them
            _serve_workers(sock, WorkerApp(database, settings), workers)
            return
        # Our access log, not uvicorn's: it gives each request's duration (service/access_log.py).
        served: ASGIApp = AccessLog(app) if settings.access_log else app
        config = uvicorn.Config(served, log_level="warning", access_log=False)
        try:
            with logging_to_stderr():
                uvicorn.Server(config).run(sockets=[sock])
        except KeyboardInterrupt:
            # uvicorn shuts down cleanly on Ctrl+C, then raises it again for the caller.
            print("Stopped.", file=sys.stderr)


@dataclass(frozen=True)
class WorkerApp:
    """What a worker process serves, built in that process: its own store and app.

    Picklable (a database URL and the settings), as worker processes start afresh (spawn)
    rather than inherit this one's connections and threads.
    """

    database: str | None
    settings: Settings

    def __call__(self) -> ASGIApp:
        try:
            store = Store.open(self.database)
        except InbriefError as exc:
            print(f"inbrief: a worker cannot open the database: {exc}", file=sys.stderr)
            # uvicorn's supervisor stops rather than restart a worker that exits so.
            raise SystemExit(STARTUP_FAILURE) from None
        app = create_app(store, self.settings)
        if not self.settings.access_log:
            return app
        # For the worker's whole life: it ends with the process.
        _worker_logs.enter_context(logging_to_stderr())
        return AccessLog(app)


_worker_logs = ExitStack()


class _SupervisorLines(logging.Filter):
    """uvicorn's supervisor speaks at INFO: of its lines, say the ones about a worker that died
    or could not start as one line of ours each, and drop the routine ones."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.levelno >= logging.WARNING:
            return True
        pid = message.split("[", 1)[-1].split("]", 1)[0]
        if message.endswith(" died"):
            print(f"inbrief: worker {pid} died; starting another", file=sys.stderr, flush=True)
        elif "failed to start" in message:
            print(f"inbrief: worker {pid} could not start; stopping", file=sys.stderr, flush=True)
        return False


def _serve_workers(sock: socket.socket, app: WorkerApp, workers: int) -> None:
    """Serve ``sock`` from ``workers`` processes under uvicorn's supervisor, which restarts
    one that dies and stops them all on Ctrl+C or SIGTERM."""
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        app, factory=True, workers=workers, log_level="warning", access_log=False
    )
    supervisor_log = logging.getLogger("uvicorn.error")
    lines = _SupervisorLines()
    supervisor_log.addFilter(lines)
    level = supervisor_log.level
    supervisor_log.setLevel(logging.INFO)  # to hear of workers; the filter keeps it quiet
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        supervisor_log.removeFilter(lines)
        supervisor_log.setLevel(level)
    print("Stopped.", file=sys.stderr)
