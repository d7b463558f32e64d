"""Errors as HTTP answers: JSON problem responses (RFC 9457) for the API, HTML pages for people.

One table, :data:`STATUS_OF`, says which status each :class:`~inbrief.errors.InbriefError`
becomes, so every endpoint answers the same failure the same way:

* 400: the request is well formed but inbrief refuses it (two budgets, an unknown method, no
  source, a source it cannot read);
* 401: the request needs an API key and gave none, or a wrong one (``WWW-Authenticate`` says
  how to send it);
* 403: the caller may not change the reader (see :mod:`.access`);
* 404: no such article or feed;
* 408: the body did not arrive within :attr:`Settings.body_timeout_seconds` (the connection
  is then closed);
* 413: the body is larger than :attr:`Settings.max_body_bytes`;
* 415: a body that is not JSON;
* 422: the JSON is malformed or does not match the schema (a string or ``true`` where a
  number belongs, too), a page holds no article text, or inbrief refuses to fetch the URL
  (:class:`~inbrief.errors.URLRefused`: a private address, a bad scheme after a redirect, a
  URL too long, an invalid host; the reason is in ``detail``);
* 429: the client asked for too many summaries; ``Retry-After`` says when to ask again;
* 502: the site at a URL failed: unreachable, timed out, an error status, not a web page (the
  reason is in ``detail``), or the language model server gave no usable answer where no
  fallback applies;
* 503: the database failed (unreachable, its file gone, disk full), or too many written
  summaries are waiting for the language model already (:class:`~inbrief.errors.LLMBusy`,
  with ``Retry-After``): the request was fine and may be retried, so it is the service, not the
  client, that is at fault.
"""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from inbrief.errors import (
    BudgetError,
    ExtractError,
    FetchError,
    InbriefError,
    LLMBusy,
    LLMError,
    MethodError,
    SourceError,
    StoreError,
    URLRefused,
)

PROBLEM_JSON = "application/problem+json"
# Checked in order: the first class the error is an instance of decides its status.
STATUS_OF: tuple[tuple[type[InbriefError], int], ...] = (
    (StoreError, 503),
    (LLMBusy, 503),
    (LLMError, 502),
    (URLRefused, 422),
    (FetchError, 502),
    (ExtractError, 422),
    (BudgetError, 400),
    (MethodError, 400),
    (SourceError, 400),
)
_TYPE_OF = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    408: "request-timeout",
    413: "body-too-large",
    415: "unsupported-media-type",
    422: "invalid-request",
    429: "too-many-requests",
    500: "internal-error",
    502: "upstream-failed",
    503: "service-unavailable",
}


class Problem(HTTPException):
    """An error to answer with ``status``, a ``detail`` a person can act on, and ``headers``
    (``Retry-After``, ``WWW-Authenticate``)."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=detail, headers=headers)


def status_of(error: InbriefError) -> int:
    """The HTTP status an inbrief error becomes (400 when no entry is more specific)."""
    return next((status for kind, status in STATUS_OF if isinstance(error, kind)), 400)


def headers_of(error: InbriefError) -> dict[str, str]:
    """The headers an inbrief error's answer carries: when to ask again, for a busy model."""
    if isinstance(error, LLMBusy):
        return {"Retry-After": str(max(1, error.retry_after))}
    return {}


def problem_body(status: int, detail: str, **extra: Any) -> dict[str, Any]:
    """The problem document: ``type``, ``title``, ``status``, ``detail`` and any extensions."""
    return {
        "type": f"urn:inbrief:problem:{_TYPE_OF.get(status, 'error')}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem_response(status: int, detail: str, **extra: Any) -> Response:
    """A JSON problem response (``application/problem+json``)."""
    body = json.dumps(problem_body(status, detail, **extra), ensure_ascii=False)
    return Response(body, status_code=status, media_type=PROBLEM_JSON)


def validation_detail(error: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    """One readable sentence for a validation failure, plus the per-field list for clients."""
    fields: list[dict[str, Any]] = []
    for item in error.errors():
        if item.get("type") == "json_invalid":
            where, reason = item.get("loc", ("body", "?"))[-1], item.get("ctx", {}).get("error")
            detail = f"the request body is not valid JSON ({reason} at character {where})"
            return detail, [{"field": None, "message": detail}]
        # The location's first part (body, query, path) says nothing a client needs.
        where = ".".join(str(part) for part in item.get("loc", ())[1:])
        message = str(item.get("msg", "invalid")).removeprefix("Value error, ")
        fields.append({"field": where or None, "message": message + _given(item)})
    described = "; ".join(
        f"{f['field']}: {f['message']}" if f["field"] else str(f["message"]) for f in fields
    )
    return described or "the request is not valid", fields


def _given(item: Any) -> str:
    """For a value of the wrong JSON type, what was given: ``, not "3"`` (a string for a
    number is the usual slip, and pydantic's message alone does not show it)."""
    if not str(item.get("type", "")).endswith("_type") or "input" not in item:
        return ""
    given = json.dumps(item["input"], ensure_ascii=False, default=str)
    return f", not {given if len(given) <= 40 else given[:40] + '...'}"


def wants_json(request: Request) -> bool:
    """Whether the caller is an API client (answered with JSON) rather than a browser page."""
    return request.url.path.startswith(request.scope.get("root_path", "") + "/api")
