"""Public reads answered from what is known to be current: 304s, kept answers, stored summaries.

The reads a reader repeats most are article pages, their summaries, the front page, search and
``/today``. Each request for one of them first reads the store's change counters
(:meth:`~inbrief.store.Store.changes`: one small query, kept by the database's own triggers,
so a change by another process or by plain SQL counts too). Its entity tag is made of those
counters, the code and settings (:func:`~.http_cache.code_fingerprint`), the path and query
and, for ``/today``, the day; then, in order:

1. a client (or CDN) holding that tag gets 304, with no rendering at all;
2. an answer kept in memory under that very tag is sent (:class:`~.memo.Kept`);
3. a summary with plain options is read straight from the store's cache, and an article page
   asked with no query is rendered (:func:`~.pages.plain_article_page`), without the framework;
4. anything else goes to the app, and a 200 it gives is kept for the next request; requests
   for the same answer under the same tag that arrive while it is being made wait for it
   instead of making it again (a new day's ``/today`` takes a second to group: 64 readers
   arriving at once would otherwise each group it).

Since the tag holds the counters read *before* the answer was made, an answer made from newer
data than its tag says is only ever asked for again, never served stale: a change anywhere in
what a page reads changes its tag, and a kept answer under an old tag is never sent.

Only public reads: when reading needs a key (or a request sends one), every answer is
``Cache-Control: private, no-store`` and the app alone decides who may read it. Answers the
app makes itself keep their own ``Cache-Control``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import parse_qsl

from anyio import Event, to_thread
from pydantic import ValidationError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inbrief import summarizers
from inbrief.cache import text_key
from inbrief.models import Budget
from inbrief.service.context import MAX_ROW_ID
from inbrief.service.http_cache import (
    PRIVATE,
    PUBLIC,
    entity_tag,
    http_date,
    last_modified,
    not_modified,
)
from inbrief.service.memo import AnswerMemo, Kept
from inbrief.service.schemas import SummaryOptions
from inbrief.service.today import today_utc
from inbrief.store import Store
from inbrief.store.base import StoreChanges, TableChange

JSON = b"application/json"
HTML = b"text/html; charset=utf-8"
_ARTICLE = re.compile(r"/articles/([0-9]{1,10})")
_SUMMARY = re.compile(r"/api/articles/([0-9]{1,10})/summary")
_LISTS = {"/": "home", "/search": "search", "/today": "today"}
# What a summary request may say for this lane to read its answer from the store itself; any
# other parameter (a method, a format) goes to the endpoint.
_PLAIN_SUMMARY = frozenset({"sentences", "words", "chars", "ratio", "keywords"})
_KEYED = (b"authorization", b"x-api-key")
ArticlePage = Callable[[int, str], bytes | None]
"""An article page's bytes from its id and the root path, None when there is no such article."""
# An answer larger than this is not kept (a page of 100 long leads is ~60 KB).
MAX_KEPT_BYTES = 512 * 1024


@dataclass(frozen=True)
class Read:
    """A cacheable request: what it is, where its answer is kept, and what decides it."""

    kind: str
    key: tuple[str, bytes]
    article_id: int | None
    query: dict[str, str]


class CachedReads:
    """The pure ASGI layer that answers public reads from validated state (module docstring)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        store: Store,
        public: bool,
        fingerprint: bytes,
        summaries: AnswerMemo,
        pages: AnswerMemo,
        started_at: float,
        article_page: ArticlePage | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app = app
        self.store = store
        self.public = public
        self.fingerprint = fingerprint
        self.summaries = summaries
        self.pages = pages
        self.article_page = article_page
        self.clock = clock
        # A template or static change shows only with a restart: answers are no older.
        self.started_at = started_at
        self._inline = store.backend == "sqlite"
        # Answers being made by the app, by where they are kept and the tag they will carry.
        self._making: dict[tuple[tuple[str, bytes], str], Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        if not self.public or any(name in headers for name in _KEYED):
            await self.app(scope, receive, _with_cache_control(send, PRIVATE))
            return
        read = _read_of(scope)
        if read is None:
            await self.app(scope, receive, send)
            return
        changes = (
            self.store.changes() if self._inline else await to_thread.run_sync(self.store.changes)
        )
        etag, modified = self._validators(read, changes)
        validators = _validator_headers(etag, modified)
        if not_modified(
            _text(headers.get(b"if-none-match")),
            _text(headers.get(b"if-modified-since")),
            etag,
            modified,
        ):
            await _send(send, 304, validators, b"")
            return
        memo = self.summaries if read.kind == "summary" else self.pages
        kept = memo.get(read.key)
        if kept is not None and kept.etag == etag:
            await _send_kept(send, kept, validators)
            return
        if read.kind == "summary":
            body = await self._stored_summary(read)
            if body is not None:
                memo.put(read.key, Kept(etag, body, JSON))
                await _send(send, 200, [(b"content-type", JSON), *validators], body)
                return
        if read.kind == "article" and not read.query:
            body = await self._plain_page(read, scope.get("root_path", ""))
            if body is not None:
                memo.put(read.key, Kept(etag, body, HTML))
                await _send(send, 200, [(b"content-type", HTML), *validators], body)
                return
        making = (read.key, etag)
        pending = self._making.get(making)
        if pending is not None:
            await pending.wait()
            kept = memo.get(read.key)
            if kept is not None and kept.etag == etag:
                await _send_kept(send, kept, validators)
                return
            # Not kept (an error, an answer with its own Cache-Control, too large): the app
            # answers this one too.
            await self.app(scope, receive, _keeping(send, memo, read.key, etag, validators))
            return
        done = self._making[making] = Event()
        try:
            await self.app(scope, receive, _keeping(send, memo, read.key, etag, validators))
        finally:
            del self._making[making]
            done.set()

    def _validators(self, read: Read, changes: StoreChanges) -> tuple[str, int | None]:
        """The entity tag and Last-Modified second of what this read shows now."""
        tables = _tables_of(read, changes)
        parts = [self.fingerprint, read.kind.encode(), read.key[0].encode(), read.key[1]]
        parts += [f"{table.version}".encode() for table in tables]
        if read.kind == "today":
            # "Today" and the heading depend on the day the page is asked for.
            parts.append(today_utc().isoformat().encode())
        changed_at = max([self.started_at, *(table.changed_at for table in tables)])
        return entity_tag(parts), last_modified(changed_at, self.clock())

    async def _plain_page(self, read: Read, root: str) -> bytes | None:
        """The article page rendered here, or None to let the app answer (no such article: its
        404; an id the route refuses: its 422)."""
        number = read.article_id
        if self.article_page is None or number is None or not 1 <= number <= MAX_ROW_ID:
            return None
        if self._inline:
            return self.article_page(number, root)
        return await to_thread.run_sync(self.article_page, number, root)

    async def _stored_summary(self, read: Read) -> bytes | None:
        """The summary's JSON from the store's cache when the options are plain and valid and
        the summary is cached; None sends the request to the endpoint (which judges it)."""
        plain = _plain_options(read.key[1])
        if read.article_id is None or plain is None:
            return None
        if self._inline:
            return _stored_summary(self.store, read.article_id, *plain)
        return await to_thread.run_sync(_stored_summary, self.store, read.article_id, *plain)


@lru_cache(maxsize=256)
def _plain_options(raw_query: bytes) -> tuple[SummaryOptions, Budget] | None:
    """A summary query's options and budget when it says only what :data:`_PLAIN_SUMMARY`
    names and the API's model accepts it; readers ask with a few queries, over and over."""
    pairs = parse_qsl(raw_query.decode("latin-1"), keep_blank_values=True)
    query = dict(pairs)
    if len(query) != len(pairs) or not set(query) <= _PLAIN_SUMMARY:
        return None
    try:
        options = SummaryOptions.model_validate(query)
    except ValidationError:
        return None
    return options, options.budget()


def _stored_summary(
    store: Store, article_id: int, options: SummaryOptions, budget: Budget
) -> bytes | None:
    summarizer = summarizers.get(options.method)
    found = store.article_summaries(article_id, summarizer.name, budget.describe())
    if found is None:
        return None  # the endpoint's 404
    key = text_key(found.text, found.language, summarizer, budget, keywords=options.keywords)
    payload = found.payloads.get(key)
    return payload.encode("utf-8") if payload is not None else None


def _tables_of(read: Read, changes: StoreChanges) -> tuple[TableChange, ...]:
    """The tables whose rows can change this read's bytes."""
    if read.kind == "summary":
        return changes.articles, changes.summaries
    if read.kind == "article":
        shown = "summary" in read.query
        return (changes.articles, changes.summaries) if shown else (changes.articles,)
    if read.kind == "today":
        return (changes.articles,)
    # The lists' filter form names the feeds.
    return changes.articles, changes.feeds


def _read_of(scope: Scope) -> Read | None:
    """The cacheable read this request is, or None."""
    root: str = scope.get("root_path", "")
    path: str = scope["path"]
    if not path.startswith(root):
        return None
    local = path[len(root) :]
    raw: bytes = scope["query_string"]
    try:
        pairs = parse_qsl(raw.decode("latin-1"), keep_blank_values=True)
    except ValueError:
        return None
    query = dict(pairs)
    # A written summary waits for a model and may fall back: the endpoint decides each time.
    if len(query) != len(pairs) or "method" in query:
        return None
    key = (path, raw)
    if (kind := _LISTS.get(local)) is not None:
        return Read(kind, key, None, query)
    if match := _ARTICLE.fullmatch(local):
        return Read("article", key, int(match.group(1)), query)
    if match := _SUMMARY.fullmatch(local):
        return Read("summary", key, int(match.group(1)), query)
    return None


def _text(value: bytes | None) -> str | None:
    return value.decode("latin-1") if value is not None else None


def _validator_headers(etag: str, modified: int | None) -> list[tuple[bytes, bytes]]:
    headers = [(b"etag", etag.encode()), (b"cache-control", PUBLIC.encode())]
    if modified is not None:
        headers.append((b"last-modified", http_date(modified).encode()))
    return headers


async def _send_kept(send: Send, kept: Kept, validators: list[tuple[bytes, bytes]]) -> None:
    await _send(send, 200, [(b"content-type", kept.content_type), *validators], kept.body)


async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    if status != 304:
        headers = [(b"content-length", str(len(body)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _with_cache_control(send: Send, value: str) -> Send:
    """``send`` adding ``Cache-Control: value`` to an answer that has none of its own."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            if not any(name.lower() == b"cache-control" for name, _ in headers):
                headers.append((b"cache-control", value.encode()))
                message = {**message, "headers": headers}
        await send(message)

    return sending


@dataclass
class _Capture:
    """What :func:`_keeping` has seen of one answer."""

    keep: bool = False
    size: int = 0
    content_type: bytes = b""
    chunks: list[bytes] = field(default_factory=list)


def _keeping(
    send: Send,
    memo: AnswerMemo,
    key: tuple[str, bytes],
    etag: str,
    validators: list[tuple[bytes, bytes]],
) -> Send:
    """``send`` tagging a 200 with ``validators`` and keeping its body in ``memo``; an answer
    that sets its own ``Cache-Control`` (a written summary's fallback) is neither."""
    seen = _Capture()

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            names = {name.lower(): value for name, value in headers}
            if message["status"] == 200 and b"cache-control" not in names:
                message = {**message, "headers": [*headers, *validators]}
                seen.keep = True
                seen.content_type = names.get(b"content-type", b"")
        elif message["type"] == "http.response.body" and seen.keep:
            chunk = message.get("body", b"")
            seen.size += len(chunk)
            if seen.size > MAX_KEPT_BYTES:
                seen.keep = False
                seen.chunks.clear()
            else:
                seen.chunks.append(chunk)
                if not message.get("more_body", False):
                    memo.put(key, Kept(etag, b"".join(seen.chunks), seen.content_type))
        await send(message)

    return sending
