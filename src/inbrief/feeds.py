"""RSS and Atom feeds: poll a subscribed feed and store each new entry's article.

    feed, _ = store.add_feed("https://example.org/news/feed.xml")
    result = poll_feed(store, feed)
    result.added, result.duplicates, result.entry_errors, result.error
    poll_all(store)        # every feed; one feed's failure never stops the others

One poll:

1. **Fetch** the feed through inbrief's safe fetcher (limits, redirects, the destination
   guard), as a conditional GET: the ETag and Last-Modified stored from the previous poll go
   out as ``If-None-Match`` / ``If-Modified-Since``, and ``304 Not Modified`` ends the poll
   with nothing new.
2. **Parse** the bytes with feedparser, which never fetches anything itself here (it is handed
   a stream, never a URL or a string it could take for a path).  Relative entry links resolve
   against the feed's URL.  A malformed feed (feedparser's *bozo*) is used for whatever entries
   it yields; with no entries it is an error.  A document that is no feed at all (an HTML page)
   is an error naming the feed the page links to, when it links to one.
3. For each entry not seen before (its link or guid is already stored for this feed), **fetch
   and extract** the linked page; when the link is empty or the page fails, fall back to the
   feed's own text (``content:encoded``, Atom ``content``, else the summary).  The article is
   stored through :func:`inbrief.ingest.add_article` (which also skips the same text or URL
   arriving from elsewhere, and caches the default summaries).  One bad entry never stops the
   others: it is reported in :attr:`PollResult.entry_errors`.
4. **Record** the outcome on the feed: its title (when it has none), the new validators, the
   poll time, and ``last_error`` for a feed-level failure (cleared by a good poll).
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol

import feedparser
import lxml.html
from lxml import etree

from inbrief import fetch, sources
from inbrief.errors import FeedError, InbriefError
from inbrief.ingest import add_article
from inbrief.models import Article, Document
from inbrief.pipeline import extract
from inbrief.store import Store, StoredArticle, StoredFeed, canonical_url

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

MAX_ENTRIES_PER_POLL = 100
"""Entries read from one feed document, from its top (feeds list the newest first)."""

# Entries already stored for a feed are recognised among its most recent articles; a feed
# document rarely holds more than a few dozen entries, so this window covers it many times.
_KNOWN_ENTRIES_WINDOW = 1000
_PAGE = 200


# --- fetching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedResponse:
    """What a conditional GET of a feed returned.

    ``status`` is 200 (``body`` holds the document) or 304 (not modified, empty ``body``);
    ``url`` is the final URL after redirects; ``etag`` and ``last_modified`` are the
    validators to send next time (``None`` when the server sent none).
    """

    url: str
    status: int
    body: bytes
    content_type: str | None
    etag: str | None
    last_modified: str | None

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
        """The entry's page through :func:`inbrief.fetch.fetch`."""
        return fetch.fetch(url, limits=self.page_limits)


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
    )


# --- parsing ----------------------------------------------------------------------------------


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
        """What names this entry across polls: its link (canonical form), else its guid."""
        if self.link:
            return canonical_url(self.link)
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


# --- polling ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryError:
    """An entry that could not be stored, and why; the poll went on without it."""

    entry: str
    message: str


@dataclass(frozen=True)
class PollResult:
    """What one poll of one feed did.

    ``feed`` is the feed as recorded after the poll.  ``error`` is set when the feed itself
    failed (unreachable, not a feed); then nothing was added.  ``duplicates`` counts entries
    already stored (recognised by link, guid, URL or text).
    """

    feed: StoredFeed
    added: tuple[StoredArticle, ...] = ()
    duplicates: int = 0
    entry_errors: tuple[EntryError, ...] = ()
    not_modified: bool = False
    error: str | None = None


def poll_feed(store: Store, feed: StoredFeed, *, fetcher: Fetcher | None = None) -> PollResult:
    """Poll one feed and store its new entries; failures are recorded, never raised.

    A feed-level failure (fetch error, not a feed) is returned in :attr:`PollResult.error` and
    stored as the feed's ``last_error``.  Database failures (:class:`~inbrief.store.StoreError`)
    while recording the outcome do raise: there is nowhere left to record them.
    """
    fetcher = fetcher or WebFetcher()
    polled_at = datetime.now(UTC)
    try:
        response = fetcher.feed(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if response.not_modified:
            updated = store.update_feed(
                feed.id,
                etag=response.etag or feed.etag,
                last_modified=response.last_modified or feed.last_modified,
                last_polled_at=polled_at,
                last_error=None,
            )
            return PollResult(feed=updated or feed, not_modified=True)
        parsed = parse_feed(response.body, url=response.url, content_type=response.content_type)
    except InbriefError as exc:
        return _failed(store, feed, str(exc), polled_at)
    except Exception as exc:  # a bug must not stop poll_all, nor lose the poll's record
        return _failed(store, feed, _internal(feed.url, exc), polled_at)

    added, duplicates, errors = _store_entries(store, feed, parsed, fetcher)
    # Validators are kept only once every entry is handled: a 304 next time would otherwise
    # hide the entries that failed now (a page down, a database hiccup) until the feed changes.
    changes: dict[str, Any] = {"last_polled_at": polled_at, "last_error": None}
    if not errors:
        changes.update(etag=response.etag, last_modified=response.last_modified)
    if feed.title is None and parsed.title:
        changes["title"] = parsed.title  # a title someone gave the feed is theirs to keep
    updated = store.update_feed(feed.id, **changes)
    return PollResult(
        feed=updated or feed,
        added=added,
        duplicates=duplicates,
        entry_errors=errors,
    )


def poll_all(store: Store, *, fetcher: Fetcher | None = None) -> tuple[PollResult, ...]:
    """Poll every subscribed feed in turn; one feed's failure never stops the others.

    Failures are recorded on their feed (see :func:`poll_feed`).  If even recording fails (the
    database), that feed's result carries the error and the next feed is polled all the same.
    """
    results = []
    for feed in store.list_feeds():
        try:
            results.append(poll_feed(store, feed, fetcher=fetcher))
        except InbriefError as exc:
            results.append(PollResult(feed=feed, error=str(exc)))
        except Exception as exc:  # a bug in one poll must not cost the other feeds theirs
            results.append(PollResult(feed=feed, error=_internal(feed.url, exc)))
    return tuple(results)


def _failed(store: Store, feed: StoredFeed, message: str, polled_at: datetime) -> PollResult:
    updated = store.update_feed(feed.id, last_polled_at=polled_at, last_error=message)
    return PollResult(feed=updated or feed, error=message)


def _internal(where: str, exc: Exception) -> str:
    return f"{where}: internal error ({type(exc).__name__}: {exc}); please report it"


def _store_entries(
    store: Store, feed: StoredFeed, parsed: ParsedFeed, fetcher: Fetcher
) -> tuple[tuple[StoredArticle, ...], int, tuple[EntryError, ...]]:
    known = _known_identities(store, feed.id)
    added: list[StoredArticle] = []
    duplicates = 0
    errors: list[EntryError] = []
    # Oldest first, so that the newest entry is the newest article in the listing.
    for entry in reversed(parsed.entries):
        identity = entry.identity
        if identity is not None and identity in known:
            duplicates += 1
            continue
        try:
            article = _entry_article(entry, parsed, fetcher)
            result = add_article(
                store, article, source_url=entry.link or entry.guid, feed_id=feed.id
            )
        except InbriefError as exc:
            errors.append(EntryError(entry.label, str(exc)))
            continue
        except Exception as exc:  # one entry's bug must not cost the others
            errors.append(EntryError(entry.label, _internal(entry.label, exc)))
            continue
        if identity is not None:
            known.add(identity)
        if result.created:
            added.append(result.article)
        else:
            duplicates += 1
    added.reverse()  # back to the feed's order, newest first
    return tuple(added), duplicates, tuple(errors)


def _known_identities(store: Store, feed_id: int) -> set[str]:
    """Links and guids of the feed's most recent stored articles."""
    known: set[str] = set()
    for offset in range(0, _KNOWN_ENTRIES_WINDOW, _PAGE):
        page = store.list_articles(offset=offset, limit=_PAGE, feed_id=feed_id)
        known.update(_identities(page.items))
        if not page.has_next:
            break
    return known


def _identities(stored: Iterable[StoredArticle]) -> Iterable[str]:
    for item in stored:
        if item.source_url:
            yield canonical_url(item.source_url)
        if item.article.url:
            yield canonical_url(item.article.url)


def _entry_article(entry: FeedEntry, feed: ParsedFeed, fetcher: Fetcher) -> Article:
    """The entry's article: its page when that works, else the text the feed carries."""
    page_problem = "it has no link" if entry.link is None else None
    article = None
    if entry.link is not None:
        try:
            article = extract(fetcher.page(entry.link))
        except InbriefError as exc:
            page_problem = str(exc)
    if article is None:
        if entry.content is None:
            raise FeedError(f"{entry.label}: {page_problem}, and the feed carries no text for it")
        # The feed's own title names the entry better than whatever heads its content.
        article = extract(_content_document(entry))
        article = replace(article, title=entry.title or article.title)
    return _with_entry_metadata(article, entry, feed)


def _content_document(entry: FeedEntry) -> Document:
    origin = entry.link or entry.guid or entry.label
    if entry.content_is_html:
        return sources.from_html(entry.content or "", origin=origin, url=entry.link)
    return sources.from_text(entry.content or "", origin=origin)


def _with_entry_metadata(article: Article, entry: FeedEntry, feed: ParsedFeed) -> Article:
    """Fill what extraction left empty from the entry; the page's own metadata wins."""
    return replace(
        article,
        title=article.title or entry.title,
        author=article.author or entry.author,
        date=article.date or entry.date,
        site=article.site or feed.title,
        url=article.url or entry.link,
    )


__all__ = [
    "FEED_CONTENT_TYPES",
    "FEED_LIMITS",
    "MAX_ENTRIES_PER_POLL",
    "EntryError",
    "FeedEntry",
    "FeedError",
    "FeedResponse",
    "Fetcher",
    "ParsedFeed",
    "PollResult",
    "WebFetcher",
    "fetch_feed",
    "parse_feed",
    "poll_all",
    "poll_feed",
]
