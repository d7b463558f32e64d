"""How far one fetch may go (:class:`FetchLimits`), and the errors for going further.

One frozen object holds every limit so that a caller (the feed poller, the web API) states
its whole policy in one place, and every hop of a fetch reads the same one.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from inbrief.errors import FetchError
from inbrief.fetch.urls import parse_network
from inbrief.sizes import MAX_SOURCE_BYTES, format_size

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
WEB_PORTS = frozenset({80, 443, 8080, 8443})
"""Ports fetched from by default: HTTP, HTTPS and their two common alternates."""


def _user_agent() -> str:
    try:
        release = version("inbrief")
    except PackageNotFoundError:  # a source tree that was never installed
        release = "dev"
    return f"inbrief/{release} (self-hosted news summarizer)"


USER_AGENT = _user_agent()


@dataclass(frozen=True)
class FetchLimits:
    """How far :func:`~inbrief.fetch.fetch_response` will go for one page. Times are seconds,
    sizes bytes.

    ``total_timeout`` bounds the whole fetch, redirects included; it is checked between
    reads, so a trickling server can overrun it by at most one ``read_timeout``.
    ``max_bytes`` counts the body after decompression, so a small gzip bomb is refused too.
    ``ports`` are the ports fetched from (``$INBRIEF_ALLOW_PORTS`` adds more);
    ``allow_private`` names networks (``"127.0.0.1/8"``) the address guard lets through,
    on any port, besides those in ``$INBRIEF_ALLOW_PRIVATE`` (see :mod:`inbrief.fetch`).
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = MAX_SOURCE_BYTES
    max_redirects: int = 10
    content_types: frozenset[str] = HTML_TYPES | TEXT_TYPES
    user_agent: str = USER_AGENT
    ports: frozenset[int] = WEB_PORTS
    allow_private: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout", "max_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"FetchLimits.{name} must be positive")
        if self.max_redirects < 0:
            raise ValueError("FetchLimits.max_redirects must be 0 or more")
        if not all(1 <= port <= 65535 for port in self.ports):
            raise ValueError("FetchLimits.ports must be TCP ports (1 to 65535)")
        for entry in self.allow_private:
            if parse_network(entry) is None:
                raise ValueError(f"FetchLimits.allow_private: {entry!r} is not a network")


def too_large(where: str, limits: FetchLimits) -> FetchError:
    return FetchError(f"{where} is larger than the {format_size(limits.max_bytes)} limit")


def deadline_error(origin: str, limits: FetchLimits) -> FetchError:
    return FetchError(f"fetching {origin} took longer than {limits.total_timeout:g} s; gave up")
