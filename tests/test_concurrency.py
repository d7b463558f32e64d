"""Concurrent readers and writers never see an error: through the Store, across processes, and
through two real servers sharing one database.  SQLite (WAL, a busy timeout) and PostgreSQL,
the latter when ``INBRIEF_TEST_POSTGRES_URL`` is set (the database fixture of ``test_store.py``).

``test_store.py`` covers writers racing to add the same row; here readers and writers of every
kind run together for a while, as a busy reader would see them.
"""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_crash import API_KEY, reader
from test_store import new_database  # noqa: F401  (the fixture: a SQLite file or a PG schema)

from inbrief.cache import cached_summary
from inbrief.models import Article, Budget
from inbrief.store import Store

PROCESSES = 3
OPERATIONS = 60
SHARED = 5
WORDS = ("harbour", "bridge", "council", "ferry", "election", "storm", "budget", "school")


@pytest.fixture(autouse=True)
def _bounded(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test here finishes well within a minute; a hang should fail, not stall CI."""
    began = time.monotonic()
    yield
    assert time.monotonic() - began < 90, f"{request.node.name} took too long"


def article(kind: str, number: int) -> Article:
    """A short article; ``kind`` keeps the texts of different writers apart."""
    word = WORDS[number % len(WORDS)]
    text = (
        f"The {word} story number {number} from {kind} opens the day. "
        f"Officials said the {word} plan would change by spring. "
        f"Residents of town {number} asked what it will cost them."
    )
    return Article(text=text, title=f"{kind} {number}", language="en", url=None)


def mixed_work(database: str, worker: int, operations: int) -> dict[str, Any]:
    """One process's share: a writer thread and a reader thread on one Store, at once.

    The writer adds its own articles and the shared ones, caches summaries and deletes every
    third article it added; the reader lists, searches, pages through neighbours and reads
    summaries.  Returns what each did and every error it met (as text: it crosses processes).
    """
    errors: list[str] = []
    kept: list[int] = []
    reads = 0
    with Store.open(database) as store:

        def write() -> None:
            for n in range(operations):
                try:
                    mine, _ = store.add_article(article(f"writer {worker}", n))
                    shared, _ = store.add_article(article("shared", n % SHARED))
                    cached_summary(store, shared, Budget("sentences", 2))
                    if n % 3 == 2:
                        store.delete_article(mine.id)
                    else:
                        kept.append(mine.id)
                        cached_summary(store, mine, Budget("words", 30))
                except Exception as error:  # every error is a failure: collect them all
                    errors.append(f"write {n}: {type(error).__name__}: {error}")

        def read() -> None:
            nonlocal reads
            for n in range(operations * 2):
                try:
                    page = store.list_articles(offset=n % 7, limit=10)
                    store.search(WORDS[n % len(WORDS)], limit=5)
                    for item in page.items[:2]:
                        store.neighbours(item.id)
                        store.get_article(item.id)
                    store.list_articles(query="bridge or ferry", language="en", limit=5)
                    reads += 1
                except Exception as error:
                    errors.append(f"read {n}: {type(error).__name__}: {error}")

        threads = [threading.Thread(target=write), threading.Thread(target=read)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return {"errors": errors, "kept": kept, "reads": reads}


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "inbrief.db"
    with Store.open(str(path)) as store:
        store.add_article(article("first", 1))
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_a_writer_waits_for_another_writers_lock_while_readers_go_on(tmp_path: Path) -> None:
    path = tmp_path / "inbrief.db"
    with Store.open(str(path)) as store:
        store.add_article(article("first", 1))
        holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # another process's write lock, held for a second
        release = threading.Timer(1.0, holder.execute, args=("COMMIT",))
        release.start()
        try:
            began = time.monotonic()
            assert store.list_articles().total == 1  # WAL: reading does not wait
            assert time.monotonic() - began < 0.5
            store.add_article(article("second", 2))  # waits under busy_timeout, then writes
            assert time.monotonic() - began >= 0.9
        finally:
            release.join()
            holder.close()
        assert store.list_articles().total == 2


def test_readers_and_writers_in_several_processes_never_error(
    new_database: Callable[[], str],  # noqa: F811
) -> None:
    database = new_database()
    Store.open(database).close()  # create the schema once, before the rush
    # spawn: each worker is a fresh interpreter with its own connections, as separate
    # `inbrief` processes sharing a database are.
    with multiprocessing.get_context("spawn").Pool(PROCESSES) as pool:
        results = pool.starmap(mixed_work, [(database, w, OPERATIONS) for w in range(PROCESSES)])
    assert [error for result in results for error in result["errors"]] == []
    assert all(result["reads"] == OPERATIONS * 2 for result in results)
    with Store.open(database) as store:
        kept = {i for result in results for i in result["kept"]}
        assert all(store.get_article(i) is not None for i in kept)
        shared = [store.search(f'"from shared" "number {n}"').total for n in range(SHARED)]
        assert shared == [1] * SHARED
        expected = len(kept) + SHARED
        assert store.list_articles(limit=1).total == expected


def test_two_servers_on_one_database_serve_concurrent_readers_and_writers(
    new_database: Callable[[], str],  # noqa: F811
    tmp_path: Path,
) -> None:
    database = new_database()
    Store.open(database).close()
    log = tmp_path / "servers.log"
    headers = {"authorization": f"Bearer {API_KEY}"}
    failures: list[str] = []
    created: list[int] = []
    lock = threading.Lock()

    def check(response: httpx.Response, *allowed: int) -> httpx.Response:
        if response.status_code not in allowed:
            with lock:
                failures.append(f"{response.request.method} {response.request.url.path}: "
                                f"{response.status_code} {response.text[:200]}")  # fmt: skip
        return response

    with reader(database, log) as (_one, first), reader(database, log) as (_two, second):

        def write(worker: int) -> None:
            with httpx.Client(
                base_url=(first, second)[worker % 2], headers=headers, timeout=60
            ) as http:
                for n in range(12):
                    body = {"text": article(f"api writer {worker}", n).text, "language": "en"}
                    answer = check(http.post("/api/articles", json=body), 200, 201)
                    shared = {"text": article("api shared", n % SHARED).text}
                    check(http.post("/api/articles", json=shared), 200, 201)
                    if answer.status_code == 201 and n % 4 == 3:
                        check(http.delete(f"/api/articles/{answer.json()['id']}"), 204)
                    elif answer.status_code in (200, 201):
                        with lock:
                            created.append(answer.json()["id"])

        def read(worker: int) -> None:
            with httpx.Client(base_url=(first, second)[worker % 2], timeout=60) as http:
                for n in range(25):
                    listing = check(http.get("/api/articles", params={"limit": 5}), 200)
                    check(http.get("/api/articles", params={"q": WORDS[n % len(WORDS)]}), 200)
                    check(http.get("/"), 200)
                    items = listing.json()["items"] if listing.status_code == 200 else []
                    for item in items[:2]:
                        # A writer may delete it meanwhile: 404 is then the right answer.
                        check(http.get(f"/api/articles/{item['id']}"), 200, 404)
                        summary = f"/api/articles/{item['id']}/summary"
                        check(http.get(summary, params={"sentences": 1 + n % 3}), 200, 404)
                        check(http.get(f"/articles/{item['id']}"), 200, 404)

        with ThreadPoolExecutor(8) as pool:
            jobs = [pool.submit(write, w) for w in range(4)]
            jobs += [pool.submit(read, r) for r in range(4)]
            for job in jobs:
                job.result()
    assert failures == []
    with Store.open(database) as store:
        assert all(store.get_article(i) is not None for i in created)
        assert store.list_articles(limit=1).total == len(set(created)) + SHARED
