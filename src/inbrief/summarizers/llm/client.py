"""Chat completions from OpenAI-compatible servers (Ollama's /v1, llama.cpp, vLLM, LM Studio,
hosted APIs), with bounded concurrency and servers taken in turn.

    client = ModelClient(settings)
    content = client.complete(messages, max_tokens=300)

httpx (already inbrief's HTTP client) is all it takes: one POST of JSON.  Every failure is an
:class:`~inbrief.errors.LLMError` in plain words; more requests than ``concurrency`` per server
wait, and more waiting than ``queue`` are refused at once with
:class:`~inbrief.errors.LLMBusy`, so a burst of readers never piles up on the model server.
Answers are asked for at temperature 0 with a fixed seed: the same prompt gives the same
summary where the server honours them.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Sequence
from typing import Any

import httpx

from inbrief.errors import LLMBusy, LLMError
from inbrief.summarizers.llm.settings import LLMSettings

SEED = 7
MAX_ANSWER_BYTES = 1 << 20
"""An answer larger than this is no summary: it is refused, not parsed."""


class ModelClient:
    """Requests to the servers of one :class:`LLMSettings`, safe to share between threads."""

    def __init__(self, settings: LLMSettings) -> None:
        if not settings.configured:
            raise LLMError(
                "no language model is configured: set INBRIEF_LLM_URL and INBRIEF_LLM_MODEL "
                "(or --llm-url and --llm-model)"
            )
        self.settings = settings
        # Each process starts at another server, so workers of a batch spread at once.
        self._turn = itertools.count(os.getpid())
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(settings.concurrency * len(settings.urls))
        self._waiting = 0
        self.requests = 0
        self.completion_tokens = 0
        # Per server, the first answer format it accepted (an index into _FORMATS).
        self._format: dict[str, int] = {}
        self._http = httpx.Client(
            timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
            follow_redirects=False,
            trust_env=False,
        )

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def complete(
        self,
        messages: Sequence[dict[str, str]],
        *,
        max_tokens: int,
        schema: dict[str, Any] | None = None,
    ) -> str:
        """The text of the model's answer to ``messages``, held to the JSON ``schema`` where
        the server can do it."""
        with self._lock:
            if self._waiting >= self.settings.queue + self.settings.concurrency * len(
                self.settings.urls
            ):
                raise LLMBusy("the language model is busy with other summaries; try again soon")
            self._waiting += 1
            url = self.settings.urls[next(self._turn) % len(self.settings.urls)]
        try:
            with self._slots:
                return self._post(url, messages, max_tokens, schema)
        finally:
            with self._lock:
                self._waiting -= 1

    def _post(
        self,
        url: str,
        messages: Sequence[dict[str, str]],
        max_tokens: int,
        schema: dict[str, Any] | None,
    ) -> str:
        body: dict[str, Any] = {
            "model": self.settings.model,
            "messages": list(messages),
            "temperature": 0,
            "seed": SEED,
            "max_tokens": max_tokens,
            "stream": False,
        }
        formats = _formats(schema)
        choice = self._format.get(url, 0)
        while True:
            if formats[choice] is None:
                body.pop("response_format", None)
            else:
                body["response_format"] = formats[choice]
            response = self._send(url, body)
            if response.status_code == 200 or choice + 1 == len(formats):
                break
            if not _refused_format(response):
                break
            # This server does not take that answer format: the next, down to plain text (the
            # tolerant reader copes with it).
            choice += 1
        if response.status_code == 200:
            self._format[url] = choice
        else:
            snippet = " ".join(response.text[:200].split())
            raise LLMError(f"the model server at {url} answered {response.status_code}: {snippet}")
        content = _content(url, response)
        tokens = _completion_tokens(response)
        with self._lock:
            self.requests += 1
            self.completion_tokens += tokens
        return content

    def _send(self, url: str, body: dict[str, Any]) -> httpx.Response:
        key = self.settings.api_key
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        try:
            return self._http.post(f"{url}/chat/completions", json=body, headers=headers)
        except httpx.TimeoutException:
            raise LLMError(
                f"the model server at {url} did not answer within {self.settings.timeout:g} s"
            ) from None
        except httpx.HTTPError as error:
            raise LLMError(f"the model server at {url} cannot be reached: {error}") from None


def _formats(schema: dict[str, Any] | None) -> list[dict[str, Any] | None]:
    """The answer formats to ask for, best first: OpenAI's JSON schema (vLLM, Ollama, hosted
    APIs), llama.cpp's schema-constrained JSON object, a plain JSON object, free text."""
    plain: list[dict[str, Any] | None] = [{"type": "json_object"}, None]
    if schema is None:
        return plain
    return [
        {
            "type": "json_schema",
            "json_schema": {"name": "summary", "strict": True, "schema": schema},
        },
        {"type": "json_object", "schema": schema},
        *plain,
    ]


def _refused_format(response: httpx.Response) -> bool:
    """The server refused the request's ``response_format`` (llama.cpp answers 500 to a JSON
    schema it does not know; others 400 or 422)."""
    if response.status_code not in (400, 422, 500):
        return False
    text = response.text[:2000].lower()
    return any(word in text for word in ("response_format", "json_schema", "json_object", "schema"))


def _completion_tokens(response: httpx.Response) -> int:
    """The tokens the server says it wrote (0 when it does not say)."""
    try:
        return int(response.json()["usage"]["completion_tokens"])
    except (ValueError, KeyError, TypeError):
        return 0


def _content(url: str, response: httpx.Response) -> str:
    if len(response.content) > MAX_ANSWER_BYTES:
        raise LLMError(f"the model server at {url} sent an answer too large to be a summary")
    try:
        message = response.json()["choices"][0]["message"]
        content = message.get("content") or ""
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise LLMError(
            f"the model server at {url} sent something that is not a chat completion"
        ) from None
    if not isinstance(content, str) or not content.strip():
        raise LLMError(f"the model server at {url} sent an empty answer")
    return content
