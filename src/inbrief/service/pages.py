"""The reader's HTML pages: the newest-first list, an article with "Get a summary", search, feeds.

Every page is complete HTML rendered on the server (readable with JavaScript off); the static
``reader.js`` only makes the summary button answer in place. Stored text is always rendered as
text: Jinja autoescapes it, no template marks user data ``|safe``, links to stored URLs are
made only for http(s) addresses (:func:`web_url`), and text from the store sits in ``<bdi>``
where it runs into the page's own words, so right-to-left controls in it cannot reorder them.
The feed forms change the reader and need write access (:mod:`inbrief.service.access`).

An article's text is rendered sentence by sentence, each in a ``<span class="sentence"
data-index="N">``, split by :func:`inbrief.text.split_sentences` exactly as the summarizer split
it, so a summary sentence's ``index`` names the span to scroll to and highlight (a written
sentence names the spans that support it); its paragraphs, subheadings and lists come from
:mod:`.story`, the summary panel's views from :mod:`.summary_panel`.

With a language model configured the summary control also offers the written summary; with
JavaScript off, its page waits for the model (5-30 s on a CPU) and then shows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from inbrief import __version__
from inbrief.errors import LLMBusy
from inbrief.feeds import PollResult, poll_all, poll_feed
from inbrief.feeds.schedule import Schedule
from inbrief.fetch.urls import web_address_problem
from inbrief.service.access import ReadAccess, WriteAccess
from inbrief.service.article_view import UNTITLED, article_context
from inbrief.service.context import (
    ArticleId,
    ChoicesDep,
    ChoicesMemo,
    FeedId,
    ListingFilter,
    SettingsDep,
    StoreDep,
    filter_query,
)
from inbrief.service.problems import Problem, headers_of
from inbrief.service.settings import Settings
from inbrief.service.summary_panel import (
    BUDGET_OPTIONS,
    summary_view,
)
from inbrief.service.written import require_model
from inbrief.store import (
    ArticlePage,
    Store,
    StoredFeed,
    StoreError,
)
from inbrief.store.listing import ArticleFilter

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])
templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
# Templates are read once: a page's entity tag holds their digest as of the start
# (http_cache.code_fingerprint), so an edit shows with a restart, under a new tag; it also
# saves a stat() of each template on every render.
templates.env.auto_reload = False
# Unicode's explicit direction controls: embeddings, overrides and isolates.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])

# The list shows the opening of each article, cut at a word; ~2-3 lines on a desktop column.
LEAD_CHARS = 240


@dataclass(frozen=True)
class ListItem:
    """One article in a listing: enough to choose it.

    ``added`` is the day it was added, shown for an article without a date: the day the list
    files it under (:func:`inbrief.store.listing.listing_day`).
    """

    id: int
    title: str
    site: str | None
    date: str | None
    language: str | None
    lead: str
    added: str | None = None


@dataclass(frozen=True)
class ListPage:
    """A page of a listing with the links to its neighbouring pages."""

    items: tuple[ListItem, ...]
    total: int
    offset: int
    newer_url: str | None
    older_url: str | None


def isolated(text: str) -> str:
    """``text`` for a place that takes no markup (the ``<title>``): its direction controls
    removed, then wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE, the plain-text
    form of ``<bdi>``, so it cannot reorder the words around it."""
    return "\u2068" + text.translate(BIDI_CONTROLS) + "\u2069"


templates.env.filters["isolated"] = isolated


def lead_of(text: str, limit: int = LEAD_CHARS) -> str:
    """The opening of ``text`` up to ``limit`` characters, cut at a word, with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def list_page(page: ArticlePage, url_for_offset: Callable[[int], str]) -> ListPage:
    """A store page as the list template shows it; ``url_for_offset(n)`` links other pages."""
    items = tuple(
        ListItem(
            id=s.id,
            title=s.article.title or UNTITLED,
            site=s.article.site,
            date=s.article.date,
            language=s.article.language,
            lead=lead_of(s.article.text),
            added=None if s.article.date else s.added_at.date().isoformat(),
        )
        for s in page.items
    )
    newer = url_for_offset(max(page.offset - page.limit, 0)) if page.has_previous else None
    older = url_for_offset(page.offset + page.limit) if page.has_next else None
    return ListPage(items, page.total, page.offset, newer, older)


def page_globals(settings: Settings, root: str, listed_feed: str = "") -> dict[str, Any]:
    """What every page's template is given besides its own context: the site name, the root
    path, the version, the language model that writes summaries (if any) and the feed whose
    list this is (its Atom feed is linked)."""
    return {
        "site_name": settings.site_name,
        "root": root,
        "version": __version__,
        "written_model": settings.llm.model if settings.llm.configured else None,
        "listed_feed": listed_feed,
    }


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with what every page needs (:func:`page_globals`)."""
    settings = request.app.state.settings
    root = request.scope.get("root_path", "")
    shared = page_globals(settings, root, request.query_params.get("feed", ""))
    return templates.TemplateResponse(request, template, {**shared, **context}, status_code=status)


def _paged_url(request: Request, path: str, offset: int, **params: Any) -> str:
    page_size = request.app.state.settings.page_size
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if offset:
        query["page"] = offset // page_size + 1
    root = request.scope.get("root_path", "")
    return f"{root}{path}" + (f"?{urlencode(query)}" if query else "")


PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page of results, from 1.")]


def _filter_controls(
    store: Store, choices: ChoicesMemo, filters: ArticleFilter, action: str
) -> dict[str, Any]:
    """What the list's filter form shows: the filters in force and the values on offer."""
    return {
        "filters": filters,
        "filtered": bool(filter_query(filters)),
        "filter_action": action,
        "filter_feeds": store.list_feeds(),
        "filter_choices": choices.get(store),
    }


def _without_blanks(request: Request) -> RedirectResponse | None:
    """A redirect to this URL less its empty parameters, if it has any: the filter form is a
    plain GET form, which sends every field, and the list's address is kept to bookmark."""
    given = request.query_params.multi_items()
    kept = [(name, value) for name, value in given if value.strip()]
    if len(kept) == len(given):
        return None
    return RedirectResponse(request.url.path + (f"?{urlencode(kept)}" if kept else ""), 303)


@router.get("/", response_class=HTMLResponse)
def index(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    filters: ListingFilter,
    choices: ChoicesDep,
    page: PageNumber = 1,
) -> Response:
    """The newest articles first, a page at a time, by feed, site, language and day if asked."""
    if (clean := _without_blanks(request)) is not None:
        return clean
    offset = (page - 1) * settings.page_size
    found = store.list_articles(offset, settings.page_size, filters=filters)
    query = filter_query(filters)
    listing = list_page(found, lambda n: _paged_url(request, "/", n, **query))
    controls = _filter_controls(store, choices, filters, "/")
    return render(request, "index.html", page=listing, **controls)


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    filters: ListingFilter,
    choices: ChoicesDep,
    q: Annotated[str, Query(max_length=500)] = "",
    page: PageNumber = 1,
) -> Response:
    """Full-text search, best match first, narrowed by the list's filters if asked."""
    if (clean := _without_blanks(request)) is not None:
        return clean
    offset = (page - 1) * settings.page_size
    found = store.search(q, offset, settings.page_size, filters=filters)
    query = filter_query(filters)
    listing = list_page(found, lambda n: _paged_url(request, "/search", n, q=q, **query))
    controls = _filter_controls(store, choices, filters, "/search")
    return render(request, "search.html", page=listing, query=q.strip(), **controls)


@router.get("/articles/{article_id}", response_class=HTMLResponse)
def article(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    article_id: ArticleId,
    summary: Annotated[str | None, Query(max_length=40)] = None,
    at: Annotated[str, Query(pattern="^(top|bottom)$")] = "top",
    method: Literal["llm"] | None = None,
) -> HTMLResponse:
    """One article, with the summary buttons, and the summary open when ``?summary=`` asks:
    the written one with ``method=llm`` (without JavaScript the page waits for the model)."""
    if method is not None:
        require_model(settings, method)
    written = method is not None
    found = store.article_with_neighbours(article_id)
    if found is None:
        raise Problem(404, f"There is no article {article_id}; it may have been deleted.")
    stored = found.stored
    option = next((o for o in BUDGET_OPTIONS if o.key == summary), None)
    shown, busy = None, None
    try:
        shown = summary_view(store, stored, option, written=written) if option else None
    except LLMBusy as error:
        # The article still shows; the panel says when to ask again.
        busy = error
    page = render(
        request,
        "article.html",
        status=503 if busy else 200,
        **article_context(found, option, shown, busy, at),
    )
    if busy:
        page.headers.update(headers_of(busy))
    return page


def plain_article_page(
    store: Store, settings: Settings, article_id: int, root: str
) -> bytes | None:
    """The bytes of ``/articles/{article_id}`` asked with no query (no summary open), exactly as
    the route renders them, or None when there is no such article (the route's 404).

    For :mod:`.read_cache`, which answers the plain page without the framework: its
    dependencies and the thread hop cost more than the page's reads.
    """
    found = store.article_with_neighbours(article_id)
    if found is None:
        return None
    context = {**page_globals(settings, root), **article_context(found, None, None, None, "top")}
    return templates.get_template("article.html").render(context).encode("utf-8")


# --- feeds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    """One line on the feeds page: ``before``, then ``subject`` (a feed's name or address,
    isolated in ``<bdi>``), then ``after``; ``kind`` is ``ok`` or ``error``."""

    kind: str
    before: str = ""
    subject: str = ""
    after: str = ""


@dataclass(frozen=True)
class FeedRow:
    """A feed as the feeds page shows it: its record, how many articles it brought, when it is
    next polled (``None``: not automatically, or now) and what went wrong, in plain words."""

    feed: StoredFeed
    articles: int
    next_poll: datetime | None
    due_now: bool
    problem: str | None


# What a failed poll's message means to a reader, first match wins; the message stays beside it.
_PLAIN_WORDS = (
    (r"not an RSS or Atom feed", "This address is a web page, not a feed"),
    (r"entries failed", "Some articles of this feed could not be read"),
    (r"^refused|cannot fetch", "inbrief does not fetch from this address"),
    (r"HTTP 40[14]|HTTP 410", "The feed is not at this address any more, or is closed to us"),
    (r"HTTP 403", "The site refuses to give us this feed"),
    (r"HTTP 429", "The site says we ask too often; we wait as long as it asks"),
    (r"HTTP 5\d\d", "The site has trouble on its side"),
    (r"timed out|within \S+ s|took longer", "The site took too long to answer"),
    (r"resolve|refused by|connect|broke off", "The site cannot be reached"),
)


def plain_problem(feed: StoredFeed) -> str | None:
    """The feed's last error in a reader's words, with how often it failed in a row."""
    if feed.last_error is None:
        return None
    said = next(
        (words for pattern, words in _PLAIN_WORDS if re.search(pattern, feed.last_error)),
        "The last poll failed",
    )
    if feed.failures > 1:
        said += f" ({feed.failures} polls in a row failed; polling less often until it works)"
    return said + "."


def _feeds_page(request: Request, store: Store, notices: Sequence[Notice] = ()) -> HTMLResponse:
    settings = request.app.state.settings
    counts = store.feed_article_counts()
    now = datetime.now(UTC)
    rows = tuple(
        FeedRow(
            feed=feed,
            articles=counts.get(feed.id, 0),
            next_poll=feed.next_poll_at if settings.poll else None,
            due_now=settings.poll and (feed.next_poll_at is None or feed.next_poll_at <= now),
            problem=plain_problem(feed),
        )
        for feed in store.list_feeds()
    )
    return render(request, "feeds.html", feeds=rows, polling=settings.poll, notices=tuple(notices))


def _schedule(settings: Settings) -> Schedule:
    """The schedule a poll asked for by hand records its next poll with."""
    return Schedule(interval=settings.poll_interval)


def poll_notice(result: PollResult) -> Notice:
    """One line on what a poll did, and whether it is good news (``ok``) or an ``error``."""
    name = result.feed.title or result.feed.url
    if result.error:
        return Notice("error", "", name, f": {result.error}")
    if result.not_modified:
        return Notice("ok", "", name, ": nothing new since the last poll.")
    line = f": {len(result.added)} new, {result.duplicates} already stored"
    if result.entry_errors:
        first = result.entry_errors[0]
        line += f"; {len(result.entry_errors)} failed (first: {first.entry}: {first.message})"
        return Notice("error", "", name, line + ".")
    return Notice("ok", "", name, line + ".")


@router.get("/feeds", response_class=HTMLResponse)
def feeds_page(request: Request, store: StoreDep) -> HTMLResponse:
    """The subscribed feeds, with forms to add, poll and remove them."""
    return _feeds_page(request, store)


@router.post("/feeds", response_class=HTMLResponse, dependencies=[WriteAccess])
def add_feed(
    request: Request, store: StoreDep, url: Annotated[str, Form(max_length=2000)]
) -> HTMLResponse:
    """Subscribe to a feed (it is polled when someone asks, here or with ``inbrief feeds``)."""
    url = url.strip()
    problem = web_address_problem(url)
    if problem is not None:
        refused = Notice("error", "The feed address ", repr(url), f" {problem}.")
        return _feeds_page(request, store, [refused])
    try:
        feed, created = store.add_feed(url)
    except StoreError as error:
        return _feeds_page(request, store, [Notice("error", str(error))])
    said = "Added " if created else "Already subscribed to "
    when = " It is polled in the background." if request.app.state.settings.poll else ""
    added = Notice("ok", said, feed.url, f".{when or ' Poll it to fetch articles.'}")
    return _feeds_page(request, store, [added])


@router.post("/feeds/poll", response_class=HTMLResponse, dependencies=[WriteAccess])
def poll_every_feed(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Poll every feed; each one's outcome is reported on its own line."""
    results = poll_all(store, schedule=_schedule(settings))
    notices = [poll_notice(r) for r in results] or [Notice("ok", "There are no feeds to poll.")]
    return _feeds_page(request, store, notices)


@router.post("/feeds/{feed_id}/poll", response_class=HTMLResponse, dependencies=[WriteAccess])
def poll_one_feed(
    request: Request, store: StoreDep, settings: SettingsDep, feed_id: FeedId
) -> HTMLResponse:
    """Poll one feed now."""
    feed = store.get_feed(feed_id)
    if feed is None:
        raise Problem(404, f"There is no feed {feed_id}; it may have been removed.")
    result = poll_feed(store, feed, schedule=_schedule(settings))
    return _feeds_page(request, store, [poll_notice(result)])


@router.post("/feeds/{feed_id}/delete", response_class=HTMLResponse, dependencies=[WriteAccess])
def remove_feed(request: Request, store: StoreDep, feed_id: FeedId) -> HTMLResponse:
    """Unsubscribe from a feed; its articles stay."""
    feed = store.get_feed(feed_id)
    if feed is None or not store.delete_feed(feed_id):
        raise Problem(404, f"There is no feed {feed_id}; it may have been removed.")
    return _feeds_page(request, store, [Notice("ok", "Removed ", feed.url, "; its articles stay.")])
