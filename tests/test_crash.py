"""Crash safety: ``kill -9`` the real server in the middle of an ingest, ten times, and look.

What the store promises after a crash at any moment, checked after every kill:

* the database opens (and SQLite's ``PRAGMA integrity_check`` says ``ok``);
* every article whose ``POST /api/articles`` was answered 200/201 is stored, intact (the text,
  title and content hash the answer gave), with both of its default summaries: the answer is
  sent only after the article and its summaries are committed;
* nothing half-written is visible: each stored article's content hash is the SHA-256 of its
  text, and each cached summary is a whole JSON document, of its own article's text, whose
  sentences slice that text.  (An article and each of its summaries are separate
  transactions: a kill between them leaves an article with fewer summaries, never a partial
  one; the next ingest of the article adds what is missing.)

Then the whole ingest runs again on the same database and completes it: every article stored
exactly once, each with its default summaries.  Runs on SQLite and, when
``INBRIEF_TEST_POSTGRES_URL`` is set, PostgreSQL (the database fixture of ``test_store.py``).
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from test_store import new_database  # noqa: F401  (the fixture: a SQLite file or a PG schema)

from inbrief.cache import summary_key
from inbrief.ingest import DEFAULT_BUDGETS, demo_articles
from inbrief.pipeline import DEFAULT_METHOD
from inbrief.store import Store, content_hash

API_KEY = "crash-test-key-0123456789abcdef"
KILLS = 10
CLIENTS = 6
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class Acknowledged:
    """What the server said it stored for one article."""

    id: int
    text: str
    title: str | None
    content_hash: str


@contextmanager
def reader(database: str, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """``inbrief serve`` on a free loopback port over ``database``: the process and its URL.

    Its output goes to ``log`` (a pipe nobody reads could fill and stall it).  The process is
    killed on leaving, if the test has not killed it already.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "inbrief", "serve", "--port", str(port)]
    command += ["--database", database, "--no-demo"]
    env = {**os.environ, "INBRIEF_API_KEY": API_KEY}
    with log.open("ab") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                raise AssertionError(f"the server exited: {log.read_text(errors='replace')}")
            try:
                if httpx.get(f"{url}/api/articles?limit=1", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)
        yield process, url
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


def post_all(
    url: str,
    articles: list[tuple[int, Any]],
    acknowledged: dict[int, Acknowledged],
    on_answer: Callable[[], None] = lambda: None,
) -> None:
    """POST ``articles`` from :data:`CLIENTS` threads, recording every acknowledgement.

    A request the server did not answer (it was killed) leaves that article unacknowledged.
    """
    lock = threading.Lock()
    queue = list(articles)
    headers = {"authorization": f"Bearer {API_KEY}"}

    def client() -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as http:
            while True:
                with lock:
                    if not queue:
                        return
                    number, article = queue.pop(0)
                try:
                    body = {"text": article.text, "title": article.title}
                    response = http.post(
                        "/api/articles", json={**body, "language": article.language}
                    )
                except httpx.TransportError:
                    return  # the server is gone
                assert response.status_code in (200, 201), response.text
                answer = response.json()
                with lock:
                    acknowledged[number] = Acknowledged(
                        answer["id"], answer["text"], answer["title"], answer["content_hash"]
                    )
                on_answer()

    with ThreadPoolExecutor(CLIENTS) as pool:
        for future in [pool.submit(client) for _ in range(CLIENTS)]:
            future.result()


def summary_rows(database: str) -> list[Any]:
    """Every cached summary: its key, article id and payload, read with plain SQL."""
    engine = create_engine(
        database if "://" in database else f"sqlite:///{database}", poolclass=NullPool
    )
    try:
        with engine.connect() as conn:
            return list(conn.execute(text("SELECT cache_key, article_id, payload FROM summaries")))
    finally:
        engine.dispose()


def check_after_crash(database: str, acknowledged: dict[int, Acknowledged]) -> Store:
    """Check the promises of the module docstring on the database; return it opened."""
    url = make_url(database)
    if url.get_backend_name() == "sqlite":
        with sqlite3.connect(str(url.database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    store = Store.open(database)
    page = store.list_articles(limit=100)
    assert page.total == len(page.items)
    articles = {stored.id: stored for stored in page.items}
    for stored in articles.values():
        assert stored.content_hash == content_hash(stored.article.text), stored.id
    for key, article_id, payload in summary_rows(database):
        assert article_id in articles, f"summary {key[:12]} of a missing article {article_id}"
        text = articles[article_id].article.text
        summary = json.loads(payload)
        assert summary["text"] == text
        assert summary["sentences"]
        for sentence in summary["sentences"]:
            assert text[sentence["start"] : sentence["end"]] == sentence["text"]
    for ack in acknowledged.values():
        assert ack.id in articles, f"acknowledged article {ack.id} is gone"
        stored = articles[ack.id]
        assert (stored.article.text, stored.article.title) == (ack.text, ack.title)
        assert stored.content_hash == ack.content_hash
        for budget in DEFAULT_BUDGETS:
            key = summary_key(stored, budget, DEFAULT_METHOD)
            assert store.get_summary(key) is not None, f"article {ack.id}: {budget.describe()}"
    return store


class KillAt:
    """Called at each answer; sends SIGKILL at the ``answers``-th, while the other clients'
    adds are in flight: the middle of an ingest."""

    def __init__(self, process: subprocess.Popen[bytes], answers: int) -> None:
        self.process = process
        self.answers = answers
        self.seen = 0
        self.lock = threading.Lock()

    def __call__(self) -> None:
        with self.lock:
            self.seen += 1
            if self.seen == self.answers:
                os.kill(self.process.pid, signal.SIGKILL)


def test_kill_9_during_ingest_loses_nothing_acknowledged_and_reingest_completes(
    new_database: Callable[[], str],  # noqa: F811
    tmp_path: Path,
) -> None:
    database = new_database()
    log = tmp_path / "server.log"
    articles = list(enumerate(demo_articles()))
    assert len({article.text for _, article in articles}) == len(articles)
    acknowledged: dict[int, Acknowledged] = {}
    chance = random.Random(5)
    for kill in range(KILLS):
        waiting = [pair for pair in articles if pair[0] not in acknowledged]
        chance.shuffle(waiting)
        answers_before_kill = chance.randint(2, 6)
        with reader(database, log) as (process, url):
            post_all(url, waiting, acknowledged, KillAt(process, answers_before_kill))
            assert process.wait(timeout=30) == -signal.SIGKILL, f"kill {kill + 1} missed"
        check_after_crash(database, acknowledged).close()

    assert 0 < len(acknowledged) < len(articles), "the kills should land mid-ingest"
    with reader(database, log) as (_process, url):
        post_all(url, articles, acknowledged)
    store = check_after_crash(database, acknowledged)
    try:
        assert len(acknowledged) == len(articles)
        assert store.list_articles(limit=100).total == len(articles)
        assert len({ack.id for ack in acknowledged.values()}) == len(articles)
        assert len(summary_rows(database)) == len(articles) * len(DEFAULT_BUDGETS)
    finally:
        store.close()
