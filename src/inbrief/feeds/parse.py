"""Reading an RSS or Atom document, step 2 of a poll (see :mod:`inbrief.feeds`): its title, and
its entries each with the fullest text the feed gives for it."""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass
from typing import Any

import feedparser
import lxml.html
from lxml import etree

from inbrief.errors import FeedError
from inbrief.store import url_key

FEED_CONTENT_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)
"""Content types feeds are served as."""

MAX_ENTRIES_PER_POLL = 100
"""Entries read from one feed document, from its top (feeds list the newest first)."""


@dataclass(frozen=True)
class FeedEntry:
    """One entry of a feed, as the feed describes it.

    ``link`` is absolute (resolved against the feed's URL) or ``None``; ``content`` is the
    fullest text the feed carries for it, HTML when ``content_is_html``.
    """

    title: str | None
    link: str | None
    guid: str | None
    author: str | None
    date: str | None
    content: str | None
    content_is_html: bool

    @property
    def identity(self) -> str | None:
        """What names this entry across polls: its link (its URL key), else its guid."""
        if self.link:
            return url_key(self.link)
        return self.guid

    @property
    def label(self) -> str:
        """How messages name this entry."""
        return self.title or self.link or self.guid or "an untitled entry"


@dataclass(frozen=True)
class ParsedFeed:
    """A feed document: its title, and its entries in document order."""

    title: str | None
    entries: tuple[FeedEntry, ...]


_PROLOG_BYTES = 64 * 1024
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse an RSS or Atom document fetched from ``url`` (used to resolve relative links).

    Raises :class:`FeedError` when the document is not a feed, or is malformed and yields no
    entry.  A well-formed feed with no entries is not an error.
    """
    response_headers = {"content-location": url}
    if content_type:
        response_headers["content-type"] = content_type
    if _ENTITY_DECLARATION.search(body[:_PROLOG_BYTES]):
        # No real feed declares entities; refusing them up front spares the parser a
        # billion-laughs expansion (1-2 s of CPU before its own limit stops it).
        raise FeedError(f"{url} declares XML entities, which inbrief does not expand")
    try:
        # A stream, never bytes or str: feedparser opens a string that names a file or URL.
        parsed = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
        entries = tuple(_entry(raw) for raw in parsed.entries[:MAX_ENTRIES_PER_POLL])
    except (ValueError, LookupError, IndexError, KeyError, AttributeError, TypeError) as exc:
        # feedparser lets some malformed documents escape as bare exceptions (found by fuzzing:
        # a bogus encoding label, a <link> inside <image> inside <item>).
        raise FeedError(f"{url} is a malformed feed ({type(exc).__name__}: {exc})") from None
    if not entries:
        if not parsed.get("version"):
            raise FeedError(_not_a_feed(body, url))
        problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
        # Notices such as "declared us-ascii, parsed as utf-8" leave the feed perfectly usable.
        if problem is not None and not isinstance(problem, feedparser.ThingsNobodyCaresAboutButMe):
            raise FeedError(f"{url} is a broken feed with no readable entry ({problem})")
    feed = parsed.get("feed", {})
    return ParsedFeed(
        title=_clean(feed.get("title")),
        entries=entries,
    )


def _entry(raw: Any) -> FeedEntry:
    content, is_html = _fullest_content(raw)
    link = _clean(raw.get("link"))
    if link is not None and not link.lower().startswith(("http://", "https://")):
        link = None  # a relative link the feed gave no base for, or a non-web scheme
    return FeedEntry(
        title=_clean(raw.get("title")),
        link=link,
        guid=_clean(raw.get("id")),
        author=_clean(raw.get("author")),
        date=_date(raw),
        content=content,
        content_is_html=is_html,
    )


def _fullest_content(raw: Any) -> tuple[str | None, bool]:
    """The longest text the feed gives for an entry: full content first, else the summary."""
    candidates = [(item.get("value"), item.get("type")) for item in raw.get("content") or ()]
    if not any(value and value.strip() for value, _ in candidates):
        detail = raw.get("summary_detail") or {}
        candidates = [(raw.get("summary"), detail.get("type", "text/html"))]
    best = max(
        ((value, kind) for value, kind in candidates if value and value.strip()),
        key=lambda pair: len(pair[0]),
        default=None,
    )
    if best is None:
        return None, False
    value, kind = best
    return value, kind != "text/plain"


def _date(raw: Any) -> str | None:
    moment = raw.get("published_parsed") or raw.get("updated_parsed")
    return time.strftime("%Y-%m-%d", moment) if moment else None


def _clean(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _not_a_feed(body: bytes, url: str) -> str:
    """Why ``body`` is no feed, naming the feed an HTML page links to when there is one."""
    head = body[:2048].lower()
    if b"<html" not in head and b"<!doctype html" not in head:
        return f"{url} is not an RSS or Atom feed"
    advertised = _advertised_feeds(body, url)
    hint = f"; it links to a feed at {advertised[0]}: subscribe to that" if advertised else ""
    return f"{url} is a web page (HTML), not an RSS or Atom feed{hint}"


def _advertised_feeds(body: bytes, url: str) -> list[str]:
    """Feed URLs an HTML page declares with ``<link rel="alternate" type="...rss/atom...">``."""
    try:
        page = lxml.html.document_fromstring(body, base_url=url)
    except (ValueError, etree.ParserError):
        return []
    page.make_links_absolute(url, handle_failures="discard")
    found = []
    for link in page.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = link.get("href")
        if "alternate" in rel and kind in FEED_CONTENT_TYPES and href:
            found.append(href)
    return found
