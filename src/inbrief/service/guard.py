"""Request limits enforced before any endpoint runs: body size and time and, for the API, JSON
bodies.

A pure ASGI middleware (not Starlette's ``BaseHTTPMiddleware``, which adds a task and a copy
per request). The body is read here, counted as it arrives, and replayed to the app: a client
that sends more than the cap gets 413 whatever its ``Content-Length`` claims, and the app
never holds more than ``max_body_bytes`` of it. A client that stops sending (it declared
``Content-Length: 100`` and sent 10 bytes) gets 408 once ``body_timeout_seconds`` have
passed, and the connection is closed: uvicorn itself puts no limit on how long a body takes.
"""

from __future__ import annotations

from email.message import Message

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

from inbrief.service.problems import problem_response
from inbrief.sizes import format_size

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class RequestGuard:
    """Answer 413 for bodies over ``max_body_bytes``, 408 for bodies that take longer than
    ``body_timeout_seconds`` to arrive, and 415 for non-JSON API bodies."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        body_timeout_seconds: float,
        api_prefix: str = "/api",
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_timeout_seconds = body_timeout_seconds
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._reject_too_large(scope, receive, send)
            return
        try:
            with anyio.fail_after(self.body_timeout_seconds):
                body = await self._read_body(receive)
        except TimeoutError:
            await self._reject_too_slow(scope, receive, send)
            return
        if body is None:
            await self._reject_too_large(scope, receive, send)
            return
        path: str = scope["path"]
        if body and path.startswith(self.api_prefix) and not _is_json(headers.get("content-type")):
            given = headers.get("content-type") or "no Content-Type"
            detail = f"send the body as JSON (Content-Type: application/json), not {given}"
            response = problem_response(415, detail)
            await response(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, receive: Receive) -> bytes | None:
        """The whole body, or None as soon as it grows past the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    async def _reject_too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = format_size(self.max_body_bytes)
        detail = f"the request body is larger than the {limit} limit"
        await _answer_and_close(413, detail, scope, receive, send)

    async def _reject_too_slow(self, scope: Scope, receive: Receive, send: Send) -> None:
        seconds = f"{self.body_timeout_seconds:g} s"
        detail = f"the request body did not arrive within {seconds}"
        await _answer_and_close(408, detail, scope, receive, send)


async def _answer_and_close(
    status: int, detail: str, scope: Scope, receive: Receive, send: Send
) -> None:
    response = problem_response(status, detail)
    # Connection: close, so the server neither reads nor waits for the rest of the body.
    response.headers["Connection"] = "close"
    await response(scope, receive, send)


def _is_json(content_type: str | None) -> bool:
    if not content_type:
        return False
    message = Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> ASGIMessage:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # after the body: wait for the client to disconnect

    return replay
