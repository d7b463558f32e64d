"""Where the reader's own language model is and how inbrief may use it: the operator's settings.

    settings = LLMSettings.from_env()   # INBRIEF_LLM_URL=http://127.0.0.1:11434/v1 ...
    settings = LLMSettings(urls=("http://127.0.0.1:8080/v1",), model="qwen2.5:3b")

The server address is a setting of whoever runs inbrief (environment, CLI options), never of a
caller: no API request or widget can name one, so inbrief cannot be made to send articles, or
requests, anywhere the operator did not choose.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from inbrief.errors import SettingsError

DEFAULT_CONTEXT_TOKENS = 4096
"""What the model accepts, prompt and answer together, unless the operator says otherwise: the
smallest context of the models people run for this (Ollama's default is 2048-4096)."""

DEFAULT_TIMEOUT_SECONDS = 120.0
"""A CPU model writes 5-30 s for a summary; a server silent for two minutes is not coming back."""

DEFAULT_CONCURRENCY = 2
"""Requests in flight to each server: a local model server works on one or two at a time."""

DEFAULT_QUEUE = 16
"""Written summaries that may wait for a free slot before new ones are refused as busy."""


@dataclass(frozen=True)
class LLMSettings:
    """One model on one or more OpenAI-compatible servers (``urls``, used in turn)."""

    urls: tuple[str, ...] = ()
    model: str = ""
    api_key: str | None = None
    context_tokens: int = DEFAULT_CONTEXT_TOKENS
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    concurrency: int = DEFAULT_CONCURRENCY
    queue: int = DEFAULT_QUEUE

    def __post_init__(self) -> None:
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise SettingsError(
                    f"a model server URL looks like http://127.0.0.1:11434/v1, got {url!r}"
                )
        if self.context_tokens < 512:
            raise SettingsError(
                f"the model's context must be at least 512 tokens, got {self.context_tokens}"
            )
        if self.timeout <= 0 or self.concurrency < 1 or self.queue < 0:
            raise SettingsError(
                "the model server's timeout must be positive, its concurrency at least 1 and "
                "its queue at least 0"
            )

    @property
    def configured(self) -> bool:
        """A server and a model are named: written summaries can be asked for."""
        return bool(self.urls and self.model)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> LLMSettings:
        """Read ``INBRIEF_LLM_URL`` (one URL, or several separated by commas),
        ``INBRIEF_LLM_MODEL``, ``INBRIEF_LLM_API_KEY``, ``INBRIEF_LLM_CONTEXT`` (tokens),
        ``INBRIEF_LLM_TIMEOUT`` (seconds), ``INBRIEF_LLM_CONCURRENCY`` and
        ``INBRIEF_LLM_QUEUE``; unset ones keep their defaults."""
        env = os.environ if environ is None else environ
        urls = tuple(u.strip().rstrip("/") for u in env.get("INBRIEF_LLM_URL", "").split(","))
        return cls(
            urls=tuple(u for u in urls if u),
            model=env.get("INBRIEF_LLM_MODEL", "").strip(),
            api_key=env.get("INBRIEF_LLM_API_KEY") or None,
            context_tokens=_number(env, "INBRIEF_LLM_CONTEXT", DEFAULT_CONTEXT_TOKENS, int),
            timeout=_number(env, "INBRIEF_LLM_TIMEOUT", DEFAULT_TIMEOUT_SECONDS, float),
            concurrency=_number(env, "INBRIEF_LLM_CONCURRENCY", DEFAULT_CONCURRENCY, int),
            queue=_number(env, "INBRIEF_LLM_QUEUE", DEFAULT_QUEUE, int),
        )

    def replace(self, **changes: object) -> LLMSettings:
        """These settings with the given fields changed (None values are ignored)."""
        fields = {**self.__dict__, **{k: v for k, v in changes.items() if v is not None}}
        return LLMSettings(**fields)


def _number(env: Mapping[str, str], name: str, default: float, kind: type) -> Any:
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        return kind(text)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {text!r}") from None
