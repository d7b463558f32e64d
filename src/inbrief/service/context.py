"""What every request handler shares: the app's store and settings as FastAPI dependencies, and
the types of the ids in its paths."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Query, Request

from inbrief.service.memo import PageMemo, SummaryMemo, WrittenMemo
from inbrief.service.settings import Settings
from inbrief.store import Store

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


async def memo_of(request: Request) -> SummaryMemo:
    """The app's in-memory layer of summaries."""
    memo: SummaryMemo = request.app.state.summary_memo
    return memo


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
MemoDep = Annotated[SummaryMemo, Depends(memo_of)]
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
