"""Small in-memory layers for the API's hottest requests: stored summaries and fetched pages.

``GET /api/articles/{id}/summary`` is what the reader's button and API clients repeat most. The
store already caches every summary by content, but reading it back costs two queries and the
framework's parameter validation per request; this keeps recent answers' JSON text in memory,
and :class:`SummaryFastLane` answers a repeated request from it before the framework runs.

Entries are keyed by the article id and the request's *raw* query string, and only the API
endpoint, after validating that query, puts them there: the fast lane never parses or judges
parameters, so it cannot accept a request the endpoint would refuse. Another spelling of the
same options (``sentences=03``, or the parameters in another order) is simply another entry.

Why it cannot serve a wrong summary: an article's row is never rewritten (re-adding the same
article returns the stored row, and ids are never reused), so the summary for an id and
options never changes while the article exists. The one staleness is deletion by another
process (this process forgets an article when its API deletes it): each entry therefore lives
at most ``max_age`` seconds.

:data:`PageMemo` keeps the article extracted from a URL that ``POST /api/summarize`` fetched,
for the widget: every reader of a publisher's page who clicks the button sends the same URL,
and without it each click would fetch and extract the publisher's page again.
:class:`WrittenMemo` does the same for the written summaries of such articles, which are not
in the store's cache: without it each click would be another 5-30 s of the operator's model.

Neither layer keeps a summary whose language model was not reached (:func:`model_reached`): as
in the store's cache, the next request asks the model again instead of getting the fallback
for as long as the entry lives.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from starlette.types import ASGIApp, Receive, Scope, Send

# The cache's per-key single flight: concurrent requests for one summary make one model call,
# whichever layer keeps it.
from inbrief.cache import one_at_a_time
from inbrief.models import Article

MemoKey = tuple[int, bytes]
"""An article id and the raw query string that chose its summary."""

SUMMARY_PATH = re.compile(r"/api/articles/([0-9]{1,18})/summary")

Key = TypeVar("Key")
Value = TypeVar("Value")


class TimedLRU(Generic[Key, Value]):
    """A thread-safe LRU whose entries also expire ``max_age`` seconds after they were put;
    ``size`` 0 keeps nothing."""

    def __init__(
        self,
        size: int,
        max_age: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = size
        self.max_age = max_age
        self._clock = clock
        self._entries: OrderedDict[Key, tuple[float, Value]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> Value | None:
        """The remembered value, or None when absent or older than ``max_age``."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_at, value = entry
            if self._clock() - stored_at > self.max_age:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: Key, value: Value) -> None:
        """Remember ``value``, dropping the least recently used entry when full."""
        if self.size <= 0:
            return
        with self._lock:
            self._entries[key] = (self._clock(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


class SummaryMemo(TimedLRU[MemoKey, bytes]):
    """Summary JSON (UTF-8 bytes) by article id and raw query string."""

    def forget(self, article_id: int) -> None:
        """Drop every entry of an article (it was deleted)."""
        with self._lock:
            for key in [k for k in self._entries if k[0] == article_id]:
                del self._entries[key]


PageMemo = TimedLRU[str, Article]
"""Articles extracted from fetched pages, by the URL asked for."""


def model_reached(summary: dict[str, Any]) -> bool:
    """Whether a summary dict may be remembered: any but a written summary's fallback made
    because its model could not be asked (a server down or slow), which the next request
    should try again."""
    return summary.get("fallback") is None or summary.get("written") is not None


class WrittenMemo(TimedLRU[str, str]):
    """Written summaries of articles not in the store, as JSON text by their cache key
    (:func:`inbrief.cache.article_key`)."""

    def summary(self, key: str, write: Callable[[], dict[str, Any]]) -> str:
        """The remembered summary of ``key``, else ``write()``'s, remembered when the model
        was reached; concurrent callers for one key wait for one ``write()``."""
        text = self.get(key)
        if text is not None:
            return text
        with one_at_a_time(key):
            text = self.get(key)
            if text is None:
                summary = write()
                text = json.dumps(summary, ensure_ascii=False)
                if model_reached(summary):
                    self.put(key, text)
        return text


class SummaryFastLane:
    """Answer ``GET /api/articles/{id}/summary`` from a :class:`SummaryMemo` when it holds the
    answer; pass every other request, and every miss, on to the app."""

    def __init__(self, app: ASGIApp, *, memo: SummaryMemo) -> None:
        self.app = app
        self.memo = memo

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            path: str = scope["path"]
            root: str = scope.get("root_path", "")
            match = SUMMARY_PATH.fullmatch(path, len(root)) if path.startswith(root) else None
            if match:
                body = self.memo.get((int(match.group(1)), scope["query_string"]))
                if body is not None:
                    await _send_json(send, body)
                    return
        await self.app(scope, receive, send)


async def _send_json(send: Send, body: bytes) -> None:
    headers = [
        (b"content-length", str(len(body)).encode("latin-1")),
        (b"content-type", b"application/json"),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
