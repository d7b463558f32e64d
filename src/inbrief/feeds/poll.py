"""Polling a subscribed feed, steps 3 and 4 (see :mod:`inbrief.feeds`): store each new entry's
article, then record the outcome on the feed, with when it is next due
(:mod:`~inbrief.feeds.schedule`).  One bad entry never stops the others, and one bad feed never
stops :func:`poll_all`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from inbrief import sources
from inbrief.errors import ExtractError, FeedError, InbriefError, internal_error
from inbrief.feeds.fetcher import FeedResponse, Fetcher, WebFetcher, retry_after_of
from inbrief.feeds.parse import FeedEntry, ParsedFeed, parse_feed
from inbrief.feeds.schedule import Schedule, parse_max_age, parse_retry_after
from inbrief.ingest import add_article
from inbrief.models import Article, Document
from inbrief.pipeline import extract
from inbrief.store import Store, StoredArticle, StoredFeed, url_key

# Entries already stored for a feed are recognised among its most recent articles; a feed
# document rarely holds more than a few dozen entries, so this window covers it many times.
_KNOWN_ENTRIES_WINDOW = 1000
_PAGE = 200


@dataclass(frozen=True)
class EntryError:
    """An entry that could not be stored, and why; the poll went on without it."""

    entry: str
    message: str


@dataclass(frozen=True)
class PollResult:
    """What one poll of one feed did.

    ``feed`` is the feed as recorded after the poll.  ``error`` is set when the feed itself
    failed (unreachable, not a feed); then nothing was added.  ``entry_errors`` are the entries
    that could not be stored; the others were.  ``duplicates`` counts entries already stored
    (recognised by link, guid, URL or text).
    """

    feed: StoredFeed
    added: tuple[StoredArticle, ...] = ()
    duplicates: int = 0
    entry_errors: tuple[EntryError, ...] = ()
    not_modified: bool = False
    error: str | None = None

    @property
    def failed(self) -> bool:
        """Whether anything went wrong: the feed itself, or one of its entries."""
        return self.error is not None or bool(self.entry_errors)


def poll_feed(
    store: Store,
    feed: StoredFeed,
    *,
    fetcher: Fetcher | None = None,
    schedule: Schedule | None = None,
) -> PollResult:
    """Poll one feed and store its new entries; failures are recorded, never raised.

    A feed-level failure (fetch error, not a feed) is returned in :attr:`PollResult.error`,
    failed entries in :attr:`PollResult.entry_errors`; either is stored as the feed's
    ``last_error`` ("2 of 10 entries failed (first: ...)"), which a good poll clears.
    The feed's next poll is recorded too, by ``schedule`` (default :class:`Schedule`): a
    feed-level failure counts towards its back-off, a good poll resets it.
    Database failures (:class:`~inbrief.store.StoreError`) while recording the outcome do
    raise: there is nowhere left to record them.
    """
    fetcher = fetcher or WebFetcher()
    schedule = schedule or Schedule()
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
                **_succeeded(schedule, feed, response, polled_at),
            )
            return PollResult(feed=updated or feed, not_modified=True)
        parsed = parse_feed(response.body, url=response.url, content_type=response.content_type)
    except InbriefError as exc:
        return _failed(store, feed, str(exc), polled_at, schedule, retry_after_of(exc))
    except Exception as exc:  # a bug must not stop poll_all, nor lose the poll's record
        return _failed(store, feed, _internal(feed.url, exc), polled_at, schedule)

    added, duplicates, errors = _store_entries(store, feed, parsed, fetcher)
    # Validators are kept only once every entry is handled: a 304 next time would otherwise
    # hide the entries that failed now (a page down, a database hiccup) until the feed changes.
    # Entries that failed are their pages' trouble, not the feed's: no back-off for them.
    changes: dict[str, Any] = {
        "last_polled_at": polled_at,
        "last_error": _entries_failed(errors, len(parsed.entries)) if errors else None,
        **_succeeded(schedule, feed, response, polled_at),
    }
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


def poll_all(
    store: Store, *, fetcher: Fetcher | None = None, schedule: Schedule | None = None
) -> tuple[PollResult, ...]:
    """Poll every subscribed feed in turn; one feed's failure never stops the others.

    Failures are recorded on their feed (see :func:`poll_feed`).  If even recording fails (the
    database), that feed's result carries the error and the next feed is polled all the same.
    """
    results = []
    for feed in store.list_feeds():
        try:
            results.append(poll_feed(store, feed, fetcher=fetcher, schedule=schedule))
        except InbriefError as exc:
            results.append(PollResult(feed=feed, error=str(exc)))
        except Exception as exc:  # a bug in one poll must not cost the other feeds theirs
            results.append(PollResult(feed=feed, error=_internal(feed.url, exc)))
    return tuple(results)


def _succeeded(
    schedule: Schedule, feed: StoredFeed, response: FeedResponse, polled_at: datetime
) -> dict[str, Any]:
    """The schedule after a poll the feed answered: its interval, or longer if its server's
    ``max-age`` says the document stays fresh longer."""
    next_poll = schedule.next_poll(
        feed.url,
        polled_at,
        interval=feed.poll_interval,
        max_age=parse_max_age(response.cache_control),
    )
    return {"next_poll_at": next_poll, "failures": 0}


def _failed(
    store: Store,
    feed: StoredFeed,
    message: str,
    polled_at: datetime,
    schedule: Schedule,
    retry_after: str | None = None,
) -> PollResult:
    failures = feed.failures + 1
    next_poll = schedule.next_poll(
        feed.url,
        polled_at,
        failures=failures,
        interval=feed.poll_interval,
        retry_after=parse_retry_after(retry_after, polled_at),
    )
    updated = store.update_feed(
        feed.id,
        last_polled_at=polled_at,
        last_error=message,
        next_poll_at=next_poll,
        failures=failures,
    )
    return PollResult(feed=updated or feed, error=message)


def _internal(where: str, exc: Exception) -> str:
    return f"{where}: {internal_error(exc)}"


def _entries_failed(errors: Sequence[EntryError], entries: int) -> str:
    """The feed's ``last_error`` after a poll whose ``errors`` were among ``entries``."""
    first = errors[0]
    more = f"; and {len(errors) - 1} more" if len(errors) > 1 else ""
    return (
        f'{len(errors)} of {entries} entries failed (first: "{first.entry}": {first.message}{more})'
    )


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
            yield url_key(item.source_url)
        if item.article.url:
            yield url_key(item.article.url)


def _entry_article(entry: FeedEntry, feed: ParsedFeed, fetcher: Fetcher) -> Article:
    """The entry's article: its page when that works, else the text the feed carries.

    When neither gives an article, the page's failure is what the entry reports (an HTTP
    status, a refused address): most feeds carry only a teaser, whose "no article text" would
    hide what went wrong.
    """
    if entry.link is None:
        page_problem = "it has no link"
    else:
        try:
            return _with_entry_metadata(extract(fetcher.page(entry.link)), entry, feed)
        except InbriefError as exc:
            page_problem = str(exc)
    if entry.content is None:
        raise FeedError(f"{page_problem}, and the feed carries no text for it")
    try:
        article = extract(_content_document(entry))
    except ExtractError:
        raise FeedError(
            f"{page_problem}, and the feed's own text for it holds no article"
        ) from None
    # The feed's own title names the entry better than whatever heads its content.
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
