"""Small in-memory layers: answers to public reads, and fetched pages and their summaries.

:class:`AnswerMemo` keeps recent answers to the reads a reader repeats (article pages,
summaries, the lists) with the entity tag they were made under; :mod:`.read_cache` sends one
only while the store's change counters still give that tag, so a kept answer is never stale,
whichever process or SQL statement changed the store. Entries are keyed by the path and the
*raw* query string, and only answers the app gave (or the store's own cached summary, for
options the API's model accepted) are kept: another spelling of the same options is simply
another entry, and a query the endpoint would refuse never finds one.

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
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

# The cache's per-key single flight: concurrent requests for one summary make one model call,
# whichever layer keeps it.
from inbrief.cache import one_at_a_time
from inbrief.models import Article

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


@dataclass(frozen=True)
class Kept:
    """An answer kept in memory: the entity tag it was made under, its body and its type."""

    etag: str
    body: bytes
    content_type: bytes


AnswerMemo = TimedLRU[tuple[str, bytes], Kept]
"""Answers by the path and raw query string they answered."""


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
