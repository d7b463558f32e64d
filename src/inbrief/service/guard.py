"""Request limits enforced before any endpoint runs: body size and, for the API, JSON bodies.

A pure ASGI middleware (not Starlette's ``BaseHTTPMiddleware``, which adds a task and a copy
per request). The body is read here, counted as it arrives, and replayed to the app: a client
that sends more than the cap gets 413 whatever its ``Content-Length`` claims, and the app
never holds more than ``max_body_bytes`` of it.
"""

from __future__ import annotations

from email.message import Message

from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.types import Message as ASGIMessage

from inbrief.service.problems import problem_response
from inbrief.sizes import format_size

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class RequestGuard:
    """Answer 413 for bodies over ``max_body_bytes`` and 415 for non-JSON API bodies."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, api_prefix: str = "/api") -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
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
        body = await self._read_body(receive)
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
        response = problem_response(413, f"the request body is larger than the {limit} limit")
        # Connection: close, so the server does not try to read the rest of a huge body.
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
