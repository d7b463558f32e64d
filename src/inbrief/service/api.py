"""The REST API under ``/api``: summarize anything, manage stored articles and feeds.

Summaries are :func:`inbrief.render.summary_to_dict` serialized as ``json.dumps(...,
ensure_ascii=False)``, the very text the summary cache stores: a stored article's summary is
the same bytes on every request, and the same dict the pages, the widget and the CLI's
``--format json`` (which indents it) give for the same text and options. Errors are problem
responses (see :mod:`inbrief.service.problems`).

Reading is public unless configured otherwise; every change needs write access (see
:mod:`inbrief.service.access`), and ``POST /api/summarize`` and ``POST /api/verify`` are
rate-limited per client.

Written summaries (``"method": "llm"``) come from the operator's model (:mod:`.written`):
cached like the others for stored articles, remembered a while for the rest (the widget's
pages, :class:`~.memo.WrittenMemo`), one model call however many readers ask at once, and 503
with ``Retry-After`` when too many are waiting for the model already.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from inbrief.feeds import PollResult, poll_all, poll_feed
from inbrief.ingest import add_article, add_document
from inbrief.render import article_to_dict, checked_to_dict
from inbrief.service.access import CredentialsDep, ReadAccess, WriteAccess, policy_of
from inbrief.service.context import (
    MAX_ROW_ID,
    ArticleId,
    FeedId,
    ListingFilter,
    PagesDep,
    SettingsDep,
    StoreDep,
    WrittenDep,
)
from inbrief.service.limits import summarize_quota
from inbrief.service.pages import lead_of
from inbrief.service.problems import Problem, problem_response
from inbrief.service.schemas import (
    VERIFY_ANSWER,
    ArticleRequest,
    FeedRequest,
    SummarizeRequest,
    SummaryOptions,
    VerifyRequest,
    problems,
)
from inbrief.service.summaries import (
    JSON,
    article_of,
    dumps,
    rendered,
    stored_summary_json,
    summary_json,
)
from inbrief.service.written import require_model
from inbrief.store import Store, StoredArticle, StoredFeed

router = APIRouter(prefix="/api", dependencies=[ReadAccess])

MAX_PAGE = 100


# --- JSON shapes ------------------------------------------------------------------------------


def json_response(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """``value`` as a JSON response."""
    return Response(dumps(value), status_code=status, media_type=JSON, headers=headers)


def article_json(
    request: Request, stored: StoredArticle, *, with_text: bool = True
) -> dict[str, Any]:
    """A stored article: its id and storage facts, the article's fields, and links."""
    body = article_to_dict(stored.article)
    if not with_text:
        body.pop("text")
        body["lead"] = lead_of(stored.article.text)
    root = request.scope.get("root_path", "")
    return {
        "id": stored.id,
        "added_at": stored.added_at.isoformat(),
        "source_url": stored.source_url,
        "feed_id": stored.feed_id,
        "content_hash": stored.content_hash,
        **body,
        "links": {
            "self": f"{root}/api/articles/{stored.id}",
            "summary": f"{root}/api/articles/{stored.id}/summary",
            "page": f"{root}/articles/{stored.id}",
        },
    }


def feed_json(feed: StoredFeed) -> dict[str, Any]:
    """A subscribed feed and what its last poll found."""
    return {
        "id": feed.id,
        "url": feed.url,
        "title": feed.title,
        "added_at": feed.added_at.isoformat(),
        "last_polled_at": feed.last_polled_at.isoformat() if feed.last_polled_at else None,
        "last_error": feed.last_error,
    }


def poll_json(result: PollResult) -> dict[str, Any]:
    """What one poll did: the articles it added, duplicates skipped, entries that failed."""
    return {
        "feed": feed_json(result.feed),
        "added": [{"id": a.id, "title": a.article.title} for a in result.added],
        "duplicates": result.duplicates,
        "entry_errors": [{"entry": e.entry, "message": e.message} for e in result.entry_errors],
        "not_modified": result.not_modified,
        "error": result.error,
    }


def _stored_or_404(store: Store, article_id: int) -> StoredArticle:
    stored = store.get_article(article_id)
    if stored is None:
        raise Problem(404, f"there is no article {article_id}")
    return stored


def _feed_or_404(store: Store, feed_id: int) -> StoredFeed:
    feed = store.get_feed(feed_id)
    if feed is None:
        raise Problem(404, f"there is no feed {feed_id}")
    return feed


# --- summarize --------------------------------------------------------------------------------


@router.post(
    "/summarize",
    tags=["summaries"],
    summary="Summarize a URL, HTML or text",
    response_description="The summary JSON (offsets into the article text, metadata, stats).",
    responses=problems(400, 401, 403, 408, 413, 415, 422, 429, 502, 503),
    dependencies=[Depends(summarize_quota)],
)
def summarize(
    body: SummarizeRequest,
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    credentials: CredentialsDep,
    pages: PagesDep,
    written: WrittenDep,
) -> Response:
    """Summarize a web page (``url``), a page's ``html`` or plain ``text``.

    Nothing is stored unless ``"store": true``, which needs write access; then the answer is
    the stored article's cached summary and ``Location`` names the article. Each client may
    ask a limited number of times a minute (429 with ``Retry-After`` past it). A page fetched
    from ``url`` is remembered for a few minutes (see :class:`Settings`), so the widget's
    readers do not each fetch the publisher's page. A URL inbrief will not fetch (a private
    address, a port or scheme it does not use, an invalid host) is 422; a site that fails
    (unreachable, an error status, not a web page) is 502.

    ``"method": "llm"`` asks for the summary the server's language model writes, each
    sentence checked against the article: 400 on a server without a model, 503 with
    ``Retry-After`` while too many wait for it. ``written`` names the model, ``fallback`` says
    why the extractive summary is given instead (the model down, too few sentences passing
    the check).
    """
    require_model(settings, body.method)
    if body.store:
        # Checked before fetching: a caller who may not store learns it at no cost to anyone.
        policy_of(request).write(request, credentials)
        result = add_document(store, body.document())
        stored = result.article
        headers = {"Location": article_json(request, stored)["links"]["self"]}
        if body.format != "json":
            return rendered(
                stored.article, body, lambda: stored_summary_json(store, stored, body)[0]
            )
        status = 201 if result.created else 200
        payload, _ = stored_summary_json(store, stored, body)
        return Response(payload, status, headers=headers, media_type=JSON)
    article = article_of(body, pages)
    if body.format != "json":
        return rendered(article, body, lambda: summary_json(article, body, written))
    return Response(summary_json(article, body, written), media_type=JSON)


@router.post(
    "/verify",
    tags=["summaries"],
    summary="Check a summary against its article",
    response_description=(
        "One entry per summary sentence, in the given order: whether the article supports it, "
        "the article sentences that do (offsets into the article's text) and the problems found."
    ),
    responses={
        200: {"content": {JSON: {"example": {"sentences": VERIFY_ANSWER}}}},
        **problems(400, 401, 403, 408, 413, 415, 422, 429, 502),
    },
    dependencies=[Depends(summarize_quota)],
)
def verify(body: VerifyRequest, pages: PagesDep) -> Response:
    """Check any summary, from any tool, against the article (``url``, ``html`` or ``text``, as
    ``POST /api/summarize`` takes it): every number, date, quotation and name of each
    summary sentence must be in the article sentences supporting it, and its words accounted
    for by them. ``cited`` names, per sentence, the article sentences its writer rests it on.
    Limited like ``POST /api/summarize``, and nothing is stored.
    """
    # The check's word data loads on first use, not with the service.
    from inbrief.verify import check_article

    checked = check_article(article_of(body, pages), body.summary, cited=body.cited)
    return json_response({"sentences": [checked_to_dict(c) for c in checked]})


# --- articles ---------------------------------------------------------------------------------


@router.get("/articles", tags=["articles"], summary="List stored articles", responses=problems(422))
def list_articles(
    request: Request,
    store: StoreDep,
    filters: ListingFilter,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    q: Annotated[str | None, Query(max_length=500, description="Full-text search.")] = None,
) -> Response:
    """Stored articles, newest first (without their text), filtered and paged.

    The filters are the reader's list's, with the same names: ``feed`` (a feed's id), ``site``
    and ``language`` (exact), ``from`` and ``to`` (days, YYYY-MM-DD, both included, of the
    day the list files each article under: published, or added when it has no date). An
    empty parameter filters nothing; a day that is not one, or ``to`` before ``from``, is 422.
    """
    page = store.list_articles(offset, limit, query=q, filters=filters)
    return json_response(
        {
            "items": [article_json(request, s, with_text=False) for s in page.items],
            "total": page.total,
            "offset": page.offset,
            "limit": page.limit,
        }
    )


@router.post(
    "/articles",
    tags=["articles"],
    status_code=201,
    summary="Store an article from a URL, HTML or text",
    responses=problems(400, 401, 403, 408, 413, 415, 422, 502),
    dependencies=[WriteAccess],
)
def create_article(body: ArticleRequest, request: Request, store: StoreDep) -> Response:
    """Extract and store an article (201), or find it already stored (200).

    Its default summaries are computed now, so the reader's button answers from the cache.
    """
    article, source_url = body.article()
    result = add_article(store, article, source_url=source_url)
    payload = article_json(request, result.article)
    status = 201 if result.created else 200
    return json_response(payload, status, headers={"Location": payload["links"]["self"]})


@router.get(
    "/articles/{article_id}",
    tags=["articles"],
    summary="One stored article",
    responses=problems(404),
)
def get_article(article_id: ArticleId, request: Request, store: StoreDep) -> Response:
    """The stored article with its text and metadata."""
    return json_response(article_json(request, _stored_or_404(store, article_id)))


@router.get(
    "/articles/{article_id}/summary",
    tags=["summaries"],
    summary="The summary of a stored article",
    responses=problems(400, 404, 422, 503),
)
async def get_summary(
    article_id: ArticleId,
    options: Annotated[SummaryOptions, Query()],
    store: StoreDep,
    settings: SettingsDep,
) -> Response:
    """The article's summary with these options, from the cache (computed once on a miss).

    ``method=llm``: written by the server's language model on the first request (5-30 s on
    a CPU), then from the cache; concurrent requests wait for one model call.
    """
    require_model(settings, options.method)
    if options.format != "json":
        return await run_in_threadpool(_rendered_of_id, store, article_id, options)
    # Database reads, and a summary computed on a miss, must not hold up the event loop.
    payload, lasting = await run_in_threadpool(_summary_of_id, store, article_id, options)
    # A written summary's fallback is asked for again: no cache may keep it.
    headers = None if lasting else {"Cache-Control": "no-store"}
    return Response(payload.encode("utf-8"), media_type=JSON, headers=headers)


def _summary_of_id(store: Store, article_id: int, options: SummaryOptions) -> tuple[str, bool]:
    return stored_summary_json(store, _stored_or_404(store, article_id), options)


def _rendered_of_id(store: Store, article_id: int, options: SummaryOptions) -> Response:
    stored = _stored_or_404(store, article_id)
    return rendered(stored.article, options, lambda: stored_summary_json(store, stored, options)[0])


@router.delete(
    "/articles/{article_id}",
    tags=["articles"],
    status_code=204,
    summary="Delete a stored article",
    responses=problems(401, 403, 404),
    dependencies=[WriteAccess],
)
def delete_article(article_id: ArticleId, store: StoreDep) -> Response:
    """Delete the article and its cached summaries."""
    # Answers kept in memory go by themselves: the deletion changes the store's counters.
    deleted = store.delete_article(article_id)
    if not deleted:
        raise Problem(404, f"there is no article {article_id}")
    return Response(status_code=204)


# --- feeds ------------------------------------------------------------------------------------


@router.get("/feeds", tags=["feeds"], summary="List feeds")
def list_feeds(store: StoreDep) -> Response:
    """Every subscribed feed, in the order they were added."""
    return json_response({"items": [feed_json(f) for f in store.list_feeds()]})


@router.post(
    "/feeds",
    tags=["feeds"],
    status_code=201,
    summary="Subscribe to a feed",
    responses=problems(401, 403, 408, 415, 422),
    dependencies=[WriteAccess],
)
def create_feed(body: FeedRequest, request: Request, store: StoreDep) -> Response:
    """Subscribe (201), or find the feed already subscribed (200). Poll it to fetch articles."""
    feed, created = store.add_feed(body.url, body.title)
    location = f"{request.scope.get('root_path', '')}/api/feeds/{feed.id}"
    return json_response(feed_json(feed), 201 if created else 200, {"Location": location})


@router.get("/feeds/{feed_id}", tags=["feeds"], summary="One feed", responses=problems(404))
def get_feed(feed_id: FeedId, store: StoreDep) -> Response:
    """A subscribed feed and the outcome of its last poll."""
    return json_response(feed_json(_feed_or_404(store, feed_id)))


@router.delete(
    "/feeds/{feed_id}",
    tags=["feeds"],
    status_code=204,
    summary="Unsubscribe",
    responses=problems(401, 403, 404),
    dependencies=[WriteAccess],
)
def delete_feed(feed_id: FeedId, store: StoreDep) -> Response:
    """Unsubscribe from a feed; the articles it brought stay."""
    if not store.delete_feed(feed_id):
        raise Problem(404, f"there is no feed {feed_id}")
    return Response(status_code=204)


@router.post(
    "/feeds/poll",
    tags=["feeds"],
    summary="Poll every feed",
    responses=problems(401, 403),
    dependencies=[WriteAccess],
)
def poll_feeds(store: StoreDep) -> Response:
    """Poll each feed in turn; a feed that fails reports its error and the others go on."""
    return json_response({"results": [poll_json(r) for r in poll_all(store)]})


@router.post(
    "/feeds/{feed_id}/poll",
    tags=["feeds"],
    summary="Poll one feed",
    responses=problems(401, 403, 404, 502),
    dependencies=[WriteAccess],
)
def poll_one(feed_id: FeedId, store: StoreDep) -> Response:
    """Poll one feed now: 200 with what it added, or 502 when the feed itself failed."""
    result = poll_feed(store, _feed_or_404(store, feed_id))
    if result.error:
        return problem_response(502, result.error, poll=poll_json(result))
    return json_response(poll_json(result))
