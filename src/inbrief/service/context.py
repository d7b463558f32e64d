"""What every request handler shares: the app's store and settings as FastAPI dependencies, the
types of the ids in its paths, and the listing's filters in its query string."""

from __future__ import annotations

import re
import threading
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator, Field

from inbrief.service.memo import PageMemo, WrittenMemo
from inbrief.service.settings import Settings
from inbrief.store import Store
from inbrief.store.listing import ArticleFilter, FilterChoices

# The dependencies are coroutines only so that FastAPI calls them in place: a plain function
# would be sent to the thread pool, one hop per dependency per request.


async def store_of(request: Request) -> Store:
    """The store the app was created with."""
    store: Store = request.app.state.store
    return store


async def settings_of(request: Request) -> Settings:
    """The settings the app was created with."""
    settings: Settings = request.app.state.settings
    return settings


async def pages_of(request: Request) -> PageMemo:
    """The app's in-memory layer of articles fetched from URLs."""
    pages: PageMemo = request.app.state.page_memo
    return pages


async def written_of(request: Request) -> WrittenMemo:
    """The app's in-memory layer of written summaries of articles not in the store."""
    written: WrittenMemo = request.app.state.written_memo
    return written


StoreDep = Annotated[Store, Depends(store_of)]
SettingsDep = Annotated[Settings, Depends(settings_of)]
PagesDep = Annotated[PageMemo, Depends(pages_of)]
WrittenDep = Annotated[WrittenMemo, Depends(written_of)]


# The largest id the schema holds on every backend (PostgreSQL's integer): a larger number in
# a URL is a 422, not a database error.
MAX_ROW_ID = 2**31 - 1
ArticleId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A stored article's id.")]
FeedId = Annotated[int, Path(ge=1, le=MAX_ROW_ID, description="A feed's id.")]
FeedFilter = Annotated[
    int | None, Query(ge=1, le=MAX_ROW_ID, description="Only articles from this feed.")
]


# --- the listing's filters --------------------------------------------------------------------

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _given(value: object) -> object:
    """A query value without surrounding spaces; an empty one is no value: a plain GET form
    sends its empty fields too (``?site=&from=``), and they filter nothing."""
    if isinstance(value, str):
        return value.strip() or None
    return value


def _day(value: object) -> object:
    value = _given(value)
    if not isinstance(value, str):
        return value
    if not _DAY.fullmatch(value):
        raise ValueError(f"give a day as YYYY-MM-DD, like 2026-03-01, not {value[:40]!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value} is not a day of the calendar") from None


async def listing_filter(
    feed: Annotated[
        Annotated[int, Field(ge=1, le=MAX_ROW_ID)] | None,
        BeforeValidator(_given),
        Query(description="Only articles from this feed (its id)."),
    ] = None,
    site: Annotated[
        Annotated[str, Field(max_length=1000)] | None,
        BeforeValidator(_given),
        Query(description="Only articles from this site, named as the articles name it."),
    ] = None,
    language: Annotated[
        Annotated[str, Field(max_length=20)] | None,
        BeforeValidator(_given),
        Query(description="Only articles in this language: its code, like en, ru or kk."),
    ] = None,
    since: Annotated[
        date | None,
        BeforeValidator(_day),
        Query(
            alias="from",
            description=(
                "Only articles of this day (YYYY-MM-DD) or later: the day each was published, "
                "or added when it has no date, as the listing files it."
            ),
        ),
    ] = None,
    until: Annotated[
        date | None,
        BeforeValidator(_day),
        Query(alias="to", description="Only articles of this day (YYYY-MM-DD) or earlier."),
    ] = None,
) -> ArticleFilter:
    """Dependency: the filters of a listing, from ``?feed=&site=&language=&from=&to=``."""
    if since is not None and until is not None and since > until:
        message = f"{until} comes before the first day asked for, from={since}"
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", "to"), "msg": message, "input": str(until)}]
        )
    return ArticleFilter(feed_id=feed, site=site, language=language, since=since, until=until)


ListingFilter = Annotated[ArticleFilter, Depends(listing_filter)]


def filter_query(filters: ArticleFilter) -> dict[str, str]:
    """The query string parameters that give ``filters`` back: a listing's link to itself."""
    values = {
        "feed": filters.feed_id,
        "site": filters.site,
        "language": filters.language,
        "from": filters.since.isoformat() if filters.since else None,
        "to": filters.until.isoformat() if filters.until else None,
    }
    return {name: str(value) for name, value in values.items() if value is not None}


class ChoicesMemo:
    """The store's :meth:`~inbrief.store.Store.filter_choices`, counted again only when the
    articles changed: counting every article takes ~10 ms per 10,000 on SQLite, and a front
    page is shown many times between two changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: tuple[int, FilterChoices] | None = None

    def get(self, store: Store) -> FilterChoices:
        """The choices, counted again when the articles changed since they were counted."""
        version = store.changes().articles.version
        with self._lock:
            kept = self._kept
        if kept is not None and kept[0] == version:
            return kept[1]
        # Counted outside the lock: two requests may both count, neither waits for the other.
        # The version was read first, so choices newer than it are only counted again.
        choices = store.filter_choices()
        with self._lock:
            self._kept = (version, choices)
        return choices


async def choices_of(request: Request) -> ChoicesMemo:
    """The app's memo of filter choices, made on first use (no await: no other request can
    make a second one meanwhile)."""
    memo: ChoicesMemo | None = getattr(request.app.state, "filter_choices", None)
    if memo is None:
        memo = ChoicesMemo()
        request.app.state.filter_choices = memo
    return memo


ChoicesDep = Annotated[ChoicesMemo, Depends(choices_of)]
