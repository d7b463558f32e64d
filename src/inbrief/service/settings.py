"""How one reader instance is configured: access, limits, CORS origins, paging and the language
model, from code or env.

    settings = Settings.from_env()      # INBRIEF_CORS_ORIGINS="https://news.example, https://b.example"
    app = create_app(store, settings)

Every field has a safe default, so ``Settings()`` is a working configuration for a reader that
only serves its own pages: reads are public, changes are accepted from this machine only (no API
key is configured), and each client may ask ``POST /api/summarize`` 30 times a minute.
Cross-origin use (the publisher widget on another site) must be allowed explicitly with
:attr:`Settings.cors_origins`. Written summaries (the ``llm`` method) are offered only when
:attr:`Settings.llm` names a model server; that address is the operator's setting alone, never a
request's. SECURITY.md describes what each setting guards.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from inbrief.errors import SettingsError
from inbrief.feeds.schedule import DEFAULT_INTERVAL, parse_duration
from inbrief.summarizers.llm import LLMSettings

# A news article's HTML is rarely above a few hundred KiB; 2 MiB leaves room for heavy pages
# sent by value while keeping one request from holding much memory.
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
# The whole body must arrive within this: 2 MiB in 30 s is 70 KB/s, slower than any link a
# client sending a page would use, and a client that stalls holds a connection no longer.
DEFAULT_BODY_TIMEOUT_SECONDS = 30.0
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Summaries kept in memory for the API (see service/memo.py): ~10 KB each, so ~40 MB at most.
DEFAULT_SUMMARY_MEMO_SIZE = 4096
DEFAULT_SUMMARY_MEMO_SECONDS = 60.0
# Rendered pages kept in memory (service/read_cache.py): an article page is ~20-40 KB.
DEFAULT_PAGE_CACHE_SIZE = 512
# Articles extracted from URLs the API fetched (the widget's clicks): a few tens of KB of text
# each, and a publisher who corrects a story sees it summarized anew within five minutes.
DEFAULT_PAGE_MEMO_SIZE = 512
DEFAULT_PAGE_MEMO_SECONDS = 300.0
# The poller's lease (service/poller.py) is renewed every third of this: a reader that dies
# hands polling to another reader on the same database within a minute.
DEFAULT_POLL_LEASE_SECONDS = 60.0
# A key shorter than this is guessable; secrets.token_urlsafe(32) gives 43 characters.
MIN_KEY_LENGTH = 16
KEY_HINT = "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
_SECONDS_PER = {"second": 1.0, "minute": 60.0, "hour": 3600.0, "day": 86400.0}
_RATE = re.compile(r"\s*([0-9]+)\s*/\s*(second|minute|hour|day)s?\s*", re.IGNORECASE)
_TRUE = frozenset({"1", "true", "yes", "on"})
FEED_SUMMARIES = ("extract", "written")
"""What the Atom feeds carry as an entry's content (:attr:`Settings.feed_summaries`)."""
_FALSE = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class Rate:
    """``requests`` per ``seconds``: a client may burst up to ``requests`` at once, then gets
    one more every ``seconds / requests``."""

    requests: int
    seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or self.seconds <= 0:
            raise SettingsError(f"a rate needs at least 1 request per period, got {self}")

    @classmethod
    def parse(cls, text: str) -> Rate | None:
        """``"30/minute"`` (or ``/second``, ``/hour``, ``/day``); ``"off"`` means no limit."""
        if text.strip().lower() in ("off", "none", "unlimited"):
            return None
        match = _RATE.fullmatch(text)
        if match is None:
            raise SettingsError(
                f"a rate looks like 30/minute (or N/second, N/hour, N/day, or off), got {text!r}"
            )
        return cls(int(match.group(1)), _SECONDS_PER[match.group(2).lower()])

    def __str__(self) -> str:
        unit = next((u for u, s in _SECONDS_PER.items() if s == self.seconds), None)
        return f"{self.requests}/{unit}" if unit else f"{self.requests}/{self.seconds:g}s"


DEFAULT_SUMMARIZE_RATE = Rate(30, 60.0)


@dataclass(frozen=True)
class Settings:
    """The reader's configuration.

    ``cors_origins`` lists the origins (``https://news.example``) whose pages may call the API
    from the browser, as the widget does; ``("*",)`` allows any origin. No cookies are ever
    used, so no credentials are allowed either way. ``max_body_bytes`` caps a request body,
    counted as it arrives rather than trusted from ``Content-Length``, and the whole body must
    arrive within ``body_timeout_seconds`` of the request's headers (408 and the connection
    closed otherwise).
    ``summary_memo_size`` summaries and ``page_cache_size`` pages (0: none) are kept in
    memory, each for at most ``summary_memo_seconds``, and checked against the store's change
    counters before each use (:mod:`.read_cache`).  ``page_memo_size`` articles fetched from
    a URL by ``POST /api/summarize`` are kept ``page_memo_seconds``, so many readers clicking
    the widget on one story cost one fetch of the publisher's page.

    ``api_keys``: when any is given, every change (adding, deleting, polling) needs one of
    them; when none is, changes are accepted only from a loopback client (see
    :mod:`.access`). ``public_read`` false makes reading need a key too. Keys are never part
    of the settings' ``repr``. ``summarize_rate`` limits ``POST /api/summarize`` per client
    (None: no limit). ``access_log``: ``inbrief serve`` writes a line per request on stderr
    (:mod:`.access_log`).

    ``llm`` says where the operator's language model is (:class:`LLMSettings`, the
    ``INBRIEF_LLM_*`` variables); unconfigured, as by default, the reader offers no written
    summary and the API refuses ``"method": "llm"``.

    ``poll``: the reader polls its feeds in the background, each every ``poll_interval``
    seconds unless the feed has its own (``INBRIEF_POLL``, ``INBRIEF_POLL_INTERVAL``; see
    docs/polling.md).  Of the readers sharing one database only one polls: the one holding a
    lease of ``poll_lease_seconds``, renewed while it lives.

    ``feed_summaries``: the summary the Atom feeds carry, ``extract`` (default) or
    ``written``, the model's wherever it has written one already (feeds never wait for it;
    see docs/feeds-out.md); ``written`` needs ``llm``.
    """

    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    body_timeout_seconds: float = DEFAULT_BODY_TIMEOUT_SECONDS
    page_size: int = DEFAULT_PAGE_SIZE
    site_name: str = "inbrief"
    summary_memo_size: int = DEFAULT_SUMMARY_MEMO_SIZE
    summary_memo_seconds: float = DEFAULT_SUMMARY_MEMO_SECONDS
    page_cache_size: int = DEFAULT_PAGE_CACHE_SIZE
    page_memo_size: int = DEFAULT_PAGE_MEMO_SIZE
    page_memo_seconds: float = DEFAULT_PAGE_MEMO_SECONDS
    api_keys: tuple[str, ...] = field(default=(), repr=False)
    public_read: bool = True
    summarize_rate: Rate | None = DEFAULT_SUMMARIZE_RATE
    access_log: bool = True
    # Not in the repr: LLMSettings' own repr would show the model server's API key.
    llm: LLMSettings = field(default_factory=LLMSettings, repr=False)
    poll: bool = True
    poll_interval: float = DEFAULT_INTERVAL
    poll_lease_seconds: float = DEFAULT_POLL_LEASE_SECONDS
    feed_summaries: str = "extract"

    def __post_init__(self) -> None:
        if self.feed_summaries not in FEED_SUMMARIES:
            raise SettingsError(
                f"INBRIEF_FEED_SUMMARIES must be extract or written, got {self.feed_summaries!r}"
            )
        if self.feed_summaries == "written" and not self.llm.configured:
            raise SettingsError(
                "INBRIEF_FEED_SUMMARIES=written needs a language model: set INBRIEF_LLM_URL "
                "and INBRIEF_LLM_MODEL"
            )
        for number, key in enumerate(self.api_keys, 1):
            # The message names the key's position, never the key.
            if len(key) < MIN_KEY_LENGTH or not key.isascii() or not key.isprintable():
                raise SettingsError(
                    f"API key {number} must be at least {MIN_KEY_LENGTH} printable ASCII "
                    f"characters; {KEY_HINT}"
                )
            if any(c.isspace() or c == "," for c in key):
                raise SettingsError(f"API key {number} must not hold spaces or commas")
        if not self.public_read and not self.api_keys:
            raise SettingsError(
                "INBRIEF_PUBLIC_READ=false needs an API key to read with: set INBRIEF_API_KEY"
            )
        for name in ("poll_interval", "poll_lease_seconds"):
            if not 0 < getattr(self, name) < float("inf"):
                raise SettingsError(
                    f"{name} must be a number of seconds above 0, got {getattr(self, name)}"
                )
        if self.max_body_bytes < 1:
            raise SettingsError(f"max_body_bytes must be at least 1, got {self.max_body_bytes}")
        if not 0 < self.body_timeout_seconds < float("inf"):
            raise SettingsError(
                f"body_timeout_seconds must be a number of seconds above 0, "
                f"got {self.body_timeout_seconds}"
            )
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
        """Settings from the environment; unset variables keep the defaults.

        ``INBRIEF_CORS_ORIGINS`` (comma-separated), ``INBRIEF_MAX_BODY_BYTES``,
        ``INBRIEF_BODY_TIMEOUT`` (seconds), ``INBRIEF_PAGE_SIZE``, ``INBRIEF_SITE_NAME``,
        ``INBRIEF_API_KEY`` (one key or several, comma-separated), ``INBRIEF_API_KEYS_FILE``
        (one key a line; ``#`` starts a comment), ``INBRIEF_PUBLIC_READ`` (true/false),
        ``INBRIEF_SUMMARIZE_RATE`` (``30/minute``, ``off``), ``INBRIEF_ACCESS_LOG``
        (true/false), ``INBRIEF_FEED_SUMMARIES`` (extract/written), ``INBRIEF_POLL``
        (true/false), ``INBRIEF_POLL_INTERVAL`` (``30s``, ``15m``, ``2h``) and the language model's
        ``INBRIEF_LLM_*`` (:meth:`LLMSettings.from_env`).
        """
        env = os.environ if environ is None else environ
        rate = env.get("INBRIEF_SUMMARIZE_RATE", "").strip()
        return cls(
            cors_origins=_list(env.get("INBRIEF_CORS_ORIGINS", ""), strip="/"),
            max_body_bytes=_int(env, "INBRIEF_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES),
            body_timeout_seconds=_seconds(
                env, "INBRIEF_BODY_TIMEOUT", DEFAULT_BODY_TIMEOUT_SECONDS
            ),
            page_size=_int(env, "INBRIEF_PAGE_SIZE", DEFAULT_PAGE_SIZE),
            site_name=env.get("INBRIEF_SITE_NAME", "").strip() or "inbrief",
            api_keys=_keys(env),
            public_read=_bool(env, "INBRIEF_PUBLIC_READ", default=True),
            summarize_rate=Rate.parse(rate) if rate else DEFAULT_SUMMARIZE_RATE,
            access_log=_bool(env, "INBRIEF_ACCESS_LOG", default=True),
            llm=LLMSettings.from_env(env),
            poll=_bool(env, "INBRIEF_POLL", default=True),
            poll_interval=_duration(env, "INBRIEF_POLL_INTERVAL", DEFAULT_INTERVAL),
            feed_summaries=env.get("INBRIEF_FEED_SUMMARIES", "").strip().lower() or "extract",
        )


def _list(raw: str, strip: str = "") -> tuple[str, ...]:
    items = (item.strip().rstrip(strip) for item in raw.split(","))
    return tuple(item for item in items if item)


def _keys(env: Mapping[str, str]) -> tuple[str, ...]:
    keys = list(_list(env.get("INBRIEF_API_KEY", "")))
    path = env.get("INBRIEF_API_KEYS_FILE", "").strip()
    if path:
        try:
            lines = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or error
            raise SettingsError(f"cannot read INBRIEF_API_KEYS_FILE {path}: {reason}") from None
        keys += [line.split("#", 1)[0].strip() for line in lines]
    # Order kept (log lines name a key by its position), repeats dropped.
    return tuple(dict.fromkeys(key for key in keys if key))


def _bool(env: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}")


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds, as ``30``, ``2.5`` or ``30s``."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw.lower().removesuffix("s"))
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None


def _duration(env: Mapping[str, str], name: str, default: float) -> float:
    """A duration as ``inbrief feeds poll --every`` takes it: ``30s``, ``15m``, ``2h``."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return parse_duration(raw)
    except ValueError as error:
        raise SettingsError(f"{name}: {error}") from None


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
