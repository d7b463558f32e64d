"""Readers who ask for the same page at the same moment wait for one answer to be made.

The read layer is run here around a small app that takes its time and counts its calls, over a
real SQLite store, as a burst of readers arrives together (a new day's ``/today`` is the page
this matters for: grouping a day's stories takes a second)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anyio
import httpx
import pytest
from starlette.types import Receive, Scope, Send

from inbrief.service.memo import AnswerMemo
from inbrief.service.read_cache import CachedReads
from inbrief.store import Store


class SlowPage:
    """An app that needs a moment to make each answer and counts how many it made."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.made = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.made += 1
        await anyio.sleep(0.2)
        await send(
            {
                "type": "http.response.start",
                "status": self.status,
                "headers": [(b"content-type", b"text/html; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": b"<p>the day's stories</p>"})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(f"sqlite:///{tmp_path / 'reader.db'}") as opened:
        yield opened


def reads(store: Store, app: SlowPage) -> CachedReads:
    return CachedReads(
        app,
        store=store,
        public=True,
        fingerprint=b"test",
        summaries=AnswerMemo(16, 60.0),
        pages=AnswerMemo(16, 60.0),
        started_at=0.0,
    )


async def burst(layer: CachedReads, path: str, readers: int) -> list[httpx.Response]:
    answers: list[httpx.Response] = []
    transport = httpx.ASGITransport(app=layer)
    async with httpx.AsyncClient(transport=transport, base_url="http://reader.test") as client:

        async def read() -> None:
            answers.append(await client.get(path))

        async with anyio.create_task_group() as readers_group:
            for _ in range(readers):
                readers_group.start_soon(read)
    return answers


def test_a_burst_of_readers_gets_one_page_made_once(store: Store) -> None:
    app = SlowPage()
    answers = anyio.run(burst, reads(store, app), "/today", 20)

    assert app.made == 1
    assert {answer.status_code for answer in answers} == {200}
    assert {answer.text for answer in answers} == {"<p>the day's stories</p>"}
    assert len({answer.headers["etag"] for answer in answers}) == 1


def test_different_pages_are_made_side_by_side(store: Store) -> None:
    app = SlowPage()
    layer = reads(store, app)

    async def both() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(burst, layer, "/today", 5)
            group.start_soon(burst, layer, "/search?q=harbour", 5)

    anyio.run(both)
    assert app.made == 2


def test_an_answer_that_is_not_kept_is_made_again_for_each_waiting_reader(store: Store) -> None:
    app = SlowPage(status=500)
    answers = anyio.run(burst, reads(store, app), "/today", 4)

    assert app.made == 4
    assert {answer.status_code for answer in answers} == {500}
