"""How one reader instance is configured: limits, CORS origins and paging, from code or env.

    settings = Settings.from_env()      # INBRIEF_CORS_ORIGINS="https://news.example, https://b.example"
    app = create_app(store, settings)

Every field has a safe default, so ``Settings()`` is a working configuration for a reader that
only serves its own pages. Cross-origin use (the publisher widget on another site) must be
allowed explicitly with :attr:`Settings.cors_origins`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from inbrief.errors import InbriefError

# A news article's HTML is rarely above a few hundred KiB; 2 MiB leaves room for heavy pages
# sent by value while keeping one request from holding much memory.
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Summaries kept in memory for the API (see service/memo.py): ~10 KB each, so ~40 MB at most.
DEFAULT_SUMMARY_MEMO_SIZE = 4096
DEFAULT_SUMMARY_MEMO_SECONDS = 60.0


class SettingsError(InbriefError):
    """A setting of the web service is invalid (a bad environment variable, for example)."""


@dataclass(frozen=True)
class Settings:
    """The reader's configuration.

    ``cors_origins`` lists the origins (``https://news.example``) whose pages may call the API
    from the browser, as the widget does; ``("*",)`` allows any origin. No cookies are ever
    used, so no credentials are allowed either way. ``max_body_bytes`` caps a request body,
    counted as it arrives rather than trusted from ``Content-Length``.
    ``summary_memo_size`` summaries (0: none) are kept in memory for at most
    ``summary_memo_seconds`` each, which bounds how long an article deleted by another process
    can still be summarized here.
    """

    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    page_size: int = DEFAULT_PAGE_SIZE
    site_name: str = "inbrief"
    summary_memo_size: int = DEFAULT_SUMMARY_MEMO_SIZE
    summary_memo_seconds: float = DEFAULT_SUMMARY_MEMO_SECONDS

    def __post_init__(self) -> None:
        if self.max_body_bytes < 1:
            raise SettingsError(f"max_body_bytes must be at least 1, got {self.max_body_bytes}")
        if not 1 <= self.page_size <= MAX_PAGE_SIZE:
            raise SettingsError(
                f"page_size must be between 1 and {MAX_PAGE_SIZE}, got {self.page_size}"
            )
        for origin in self.cors_origins:
            if origin != "*" and not origin.startswith(("http://", "https://")):
                raise SettingsError(
                    f"CORS origin {origin!r} must look like https://news.example (or be *)"
                )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``INBRIEF_CORS_ORIGINS`` (comma-separated), ``INBRIEF_MAX_BODY_BYTES``,
        ``INBRIEF_PAGE_SIZE`` and ``INBRIEF_SITE_NAME``; unset variables keep the defaults."""
        env = os.environ if environ is None else environ
        origins = tuple(
            o.strip().rstrip("/") for o in env.get("INBRIEF_CORS_ORIGINS", "").split(",")
        )
        return cls(
            cors_origins=tuple(o for o in origins if o),
            max_body_bytes=_int(env, "INBRIEF_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            page_size=_int(env, "INBRIEF_PAGE_SIZE", DEFAULT_PAGE_SIZE),
            site_name=env.get("INBRIEF_SITE_NAME", "").strip() or "inbrief",
        )


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
