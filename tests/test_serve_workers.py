"""``inbrief serve --workers 2``: two processes serve one socket and one SQLite file.

A real server is started as a user starts it, and its workers are found in ``/proc`` as the
children of the server's process.  To know which worker answers, the other one is stopped
(SIGSTOP): it then accepts nothing, as if busy, and every answer comes from the one left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from conftest import free_port

STARTUP_SECONDS = 60

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def workers(self) -> list[int]:
        """The worker processes: the server's children other than multiprocessing's tracker."""
        found = []
        for pid in _children(self.process.pid):
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            if b"spawn_main" in command:
                found.append(pid)
        return sorted(found)

    def lines(self) -> list[str]:
        return self.log.read_text(errors="replace").splitlines()


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(child) for child in text.split()]


@contextmanager
def serving(tmp_path: Path, *extra: str) -> Iterator[Server]:
    """``inbrief serve --workers 2`` on a new SQLite file, in its own session (as a terminal
    would run it), until both workers answer."""
    port = free_port()
    log = tmp_path / f"serve-{port}.log"
    command = [sys.executable, "-m", "inbrief", "serve", "--port", str(port), "--workers", "2"]
    command += ["--database", str(tmp_path / "reader.db"), "--no-demo", "--no-poll", *extra]
    with log.open("wb") as output:
        process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while len(server.workers()) < 2 or not _answers(server.url):
            assert process.poll() is None, "\n".join(server.lines())
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)
        # Both workers have started once each answered with the other stopped.
        for worker in server.workers():
            with only(server, worker):
                _wait_answering(server.url, deadline)
        yield server
    finally:
        for worker in server.workers():
            _resume(worker)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/api/articles?limit=1", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _wait_answering(url: str, deadline: float) -> None:
    while not _answers(url):
        assert time.monotonic() < deadline, "a worker did not start"
        time.sleep(0.1)


def _resume(pid: int) -> None:
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGCONT)


@contextmanager
def only(server: Server, worker: int) -> Iterator[None]:
    """Every other worker stopped while the block runs, so ``worker`` answers alone."""
    others = [pid for pid in server.workers() if pid != worker]
    for pid in others:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in others:
            _resume(pid)


def test_two_workers_each_answer_while_the_other_is_busy(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        workers = server.workers()
        assert len(workers) == 2 and server.process.pid not in workers
        for worker in workers:
            with only(server, worker), httpx.Client(base_url=server.url, timeout=10) as http:
                statuses = [http.get("/api/articles?limit=1").status_code for _ in range(5)]
            assert statuses == [200] * 5


def test_an_article_added_through_one_worker_is_read_by_the_other(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        first, second = server.workers()
        with only(server, second):
            # The second worker's in-memory layers hold the empty listing from here on.
            assert httpx.get(f"{server.url}/api/articles").json()["total"] == 0
        body = {"text": "The harbour board of Eastcliff voted to dredge the channel. " * 3}
        with only(server, first):
            added = httpx.post(f"{server.url}/api/articles", json=body, timeout=60)
            assert added.status_code in (200, 201), added.text
        with only(server, second):
            listing = httpx.get(f"{server.url}/api/articles", timeout=10).json()
            assert [item["id"] for item in listing["items"]] == [added.json()["id"]]


def test_ctrl_c_stops_every_worker(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        workers = server.workers()
        os.killpg(server.process.pid, signal.SIGINT)  # what Ctrl+C in a terminal sends
        assert server.process.wait(timeout=30) == 0
        for pid in workers:
            assert not Path(f"/proc/{pid}").exists() or _zombie(pid)
        assert server.lines()[-1] == "Stopped."
        assert not any("Traceback" in line for line in server.lines())


def test_a_worker_that_dies_is_reported_and_replaced(tmp_path: Path) -> None:
    with serving(tmp_path) as server:
        dead, kept = server.workers()
        os.kill(dead, signal.SIGKILL)
        deadline = time.monotonic() + STARTUP_SECONDS
        while len(server.workers()) < 2 or dead in server.workers():
            assert time.monotonic() < deadline, "no worker replaced the dead one"
            time.sleep(0.1)
        assert f"inbrief: worker {dead} died; starting another" in server.lines()
        (replacement,) = set(server.workers()) - {kept}
        with only(server, replacement):
            _wait_answering(server.url, deadline)


def test_one_worker_is_the_default_and_starts_no_process(tmp_path: Path) -> None:
    port = free_port()
    command = [sys.executable, "-m", "inbrief", "serve", "--port", str(port), "--no-demo"]
    command += ["--no-poll", "--database", str(tmp_path / "one.db")]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        _wait_answering(f"http://127.0.0.1:{port}", deadline)
        assert _children(process.pid) == []
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert b"worker processes" not in err
    assert out.decode().startswith(f"inbrief reader: http://127.0.0.1:{port}/")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1].startswith("Z")
    except FileNotFoundError:
        return True
