"""How a poll reaches the web, step 1 of a poll (see :mod:`inbrief.feeds`): a conditional GET
of the feed document, and each entry's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from inbrief import fetch, sources
from inbrief.feeds.parse import FEED_CONTENT_TYPES
from inbrief.models import Document

# Misconfigured servers send feeds as text/html or text/plain; those are read too and judged
# by what they hold, which also lets an HTML page get a clearer error than "wrong type".
FEED_LIMITS = fetch.FetchLimits(
    content_types=FEED_CONTENT_TYPES | fetch.HTML_TYPES | fetch.TEXT_TYPES
)
"""Limits for fetching a feed document: the page defaults, with feed content types allowed."""

_ACCEPT = (
    "application/atom+xml,application/rss+xml,application/rdf+xml;q=0.9,"
    "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1"
)


@dataclass(frozen=True)
class FeedResponse:
    """What a conditional GET of a feed returned.

    ``status`` is 200 (``body`` holds the document) or 304 (not modified, empty ``body``);
    ``url`` is the final URL after redirects; ``etag`` and ``last_modified`` are the
    validators to send next time (``None`` when the server sent none); ``cache_control`` is
    the server's ``Cache-Control`` header, whose ``max-age`` the poll schedule honours.
    """

    url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None
    cache_control: str | None = None

    @property
    def not_modified(self) -> bool:
        """Whether the server answered 304: nothing changed since the validators were issued."""
        return self.status == 304


class Fetcher(Protocol):
    """How a poll reaches the web: the feed document, and each entry's page."""

    def feed(self, url: str, *, etag: str | None, last_modified: str | None) -> FeedResponse:
        """Fetch the feed at ``url``, conditionally when validators are given."""
        ...

    def page(self, url: str) -> Document:
        """Fetch an entry's web page."""
        ...


@dataclass(frozen=True)
class WebFetcher:
    """The default :class:`Fetcher`: inbrief's safe fetcher with these limits."""

    feed_limits: fetch.FetchLimits = FEED_LIMITS
    page_limits: fetch.FetchLimits | None = None

    def feed(self, url: str, *, etag: str | None, last_modified: str | None) -> FeedResponse:
        """Conditional GET of the feed (see :func:`fetch_feed`)."""
        return fetch_feed(url, etag=etag, last_modified=last_modified, limits=self.feed_limits)

    def page(self, url: str) -> Document:
        """The entry's page through :func:`inbrief.sources.from_url`."""
        return sources.from_url(url, limits=self.page_limits)


def fetch_feed(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    limits: fetch.FetchLimits | None = None,
) -> FeedResponse:
    """Fetch a feed's bytes and validators, as a conditional GET when validators are given.

    Goes through :func:`inbrief.fetch.fetch_response` (the address guard, redirects, size cap,
    content type, time limits) and keeps the raw bytes, so that feedparser can honour the
    document's own XML encoding declaration.  Raises :class:`~inbrief.errors.FetchError`.
    """
    headers = {"Accept": _ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = fetch.fetch_response(
        url, limits=limits or FEED_LIMITS, headers=headers, accept_not_modified=True
    )
    return FeedResponse(
        url=response.url,
        status=response.status,
        body=response.body,
        content_type=response.header("content-type"),
        etag=response.header("etag"),
        last_modified=response.header("last-modified"),
        cache_control=response.header("cache-control"),
    )


def retry_after_of(error: Exception) -> str | None:
    """The ``Retry-After`` a failed fetch carried (a 429 or 503), when the error holds it.

    :class:`~inbrief.errors.FetchError` keeps the status of a refused answer; its headers are
    read here only when it carries them as ``retry_after``, so that the schedule can wait as
    long as the site asked rather than only backing off.
    """
    value = getattr(error, "retry_after", None)
    return value if isinstance(value, str) else None
