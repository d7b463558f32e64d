"""The reader as one ASGI app.

    app = create_app(Store.open("var/inbrief.db"), Settings.from_env())

The app is the pages (:mod:`.pages`), the REST API under ``/api`` (:mod:`.api`, documented at
``/docs``), the publisher widget at ``/widget.js`` and the static files. Requests pass, in
order: :class:`~.headers.SecurityHeaders` (CSP and the other security headers on every
answer), CORS (when origins are configured), :class:`~.guard.RequestGuard` (body size cap
and deadline, JSON bodies for the API) and :class:`~.read_cache.CachedReads` (304s, kept
answers and stored summaries for public reads, each checked against the store's change
counters; ``Cache-Control: private, no-store`` on every answer when reading needs a key).
Who may read and change is decided per route by :mod:`.access`; ``POST /api/summarize`` is
rate-limited per client by :mod:`.limits`.
Every error leaves as a problem response or an HTML error page, never a traceback.

With a language model in the settings (:attr:`Settings.llm`) the app configures the ``llm``
method with it: written summaries are one model per process, the operator's.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from inbrief import __version__, summarizers
from inbrief.errors import InbriefError, internal_error
from inbrief.feeds.schedule import Schedule
from inbrief.ingest import WRITTEN_METHOD
from inbrief.service import adding, api, atom, opml, pages, today
from inbrief.service.access import AccessPolicy
from inbrief.service.guard import RequestGuard
from inbrief.service.headers import SecurityHeaders, secure_response
from inbrief.service.http_cache import (
    PUBLIC,
    code_fingerprint,
    entity_tag,
    http_date,
    last_modified,
    not_modified,
)
from inbrief.service.limits import RateLimiter
from inbrief.service.memo import AnswerMemo, PageMemo, WrittenMemo
from inbrief.service.poller import Poller
from inbrief.service.problems import (
    headers_of,
    problem_response,
    status_of,
    validation_detail,
    wants_json,
)
from inbrief.service.read_cache import CachedReads
from inbrief.service.settings import Settings
from inbrief.store import Store
from inbrief.summarizers.llm import LLM

HERE = Path(__file__).parent
STATIC = HERE / "static"
DESCRIPTION = """Summaries made of the article's own sentences, with offsets into its text.

Errors are `application/problem+json` documents with `type`, `title`, `status` and `detail`.

Changes (adding or deleting articles, feeds, polling, `"store": true`) need an API key when the
server has one (`Authorization: Bearer KEY` or `X-API-Key: KEY`), and come only from the
server's own machine when it has none. Reading is public unless the server says otherwise.
`POST /api/summarize` and `POST /api/verify` are rate-limited per client: `429` with
`Retry-After` past the limit.

When the server has a language model, `"method": "llm"` gives a summary written by that model,
every sentence checked against the article (`written` names the model; `fallback` says why the
extractive summary is shown instead). Written summaries wait for the model: `503` with
`Retry-After` when too many are waiting already. The model server is the operator's setting;
no request can name one. `POST /api/verify` checks any summary against its article.
"""


def create_app(
    store: Store,
    settings: Settings | None = None,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> FastAPI:
    """The reader's ASGI app over ``store``; ``settings`` default to :class:`Settings`.

    ``clock`` (seconds, monotonic) times the rate limits; tests pass one they can move.
    """
    settings = settings or Settings()
    app = FastAPI(
        title="inbrief",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=_polling(store, settings),
    )
    app.state.store = store
    app.state.settings = settings
    if settings.llm.configured:
        written = summarizers.get(WRITTEN_METHOD)
        if isinstance(written, LLM):
            written.configure(settings.llm)
    app.state.summary_memo = AnswerMemo(settings.summary_memo_size, settings.summary_memo_seconds)
    app.state.page_cache = AnswerMemo(settings.page_cache_size, settings.summary_memo_seconds)
    app.state.page_memo = PageMemo(settings.page_memo_size, settings.page_memo_seconds)
    # Written summaries of fetched pages live as long as the pages they summarize.
    app.state.written_memo = WrittenMemo(settings.page_memo_size, settings.page_memo_seconds)
    app.state.access = AccessPolicy(settings)
    rate = settings.summarize_rate
    app.state.summarize_limiter = RateLimiter(rate, clock=clock) if rate else None
    # Before the API's own: /api/feeds/opml is no feed's number.
    app.include_router(opml.api_router)
    app.include_router(api.router)
    # Before the pages: their /feeds/... paths must not be read as a feed's page.
    for extra in (atom, today, adding, opml):
        app.include_router(extra.router)
    app.include_router(pages.router)
    _add_widget(app)
    _add_docs(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)
    # Added last = runs first: CORS headers must reach the guard's 413/415 answers and the
    # cached answers too, and the security headers every answer.
    app.add_middleware(
        CachedReads,
        store=store,
        # It answers before any route's access check runs: only when reading is public.
        public=settings.public_read,
        fingerprint=code_fingerprint(
            settings.site_name,
            settings.page_size,
            settings.llm.model,
            settings.llm.configured,
            # A summarizer's new version or weights change its summaries' bytes.
            [
                (s.name, s.version, s.model_digest)
                for s in map(summarizers.get, summarizers.names())
            ],
        ),
        summaries=app.state.summary_memo,
        pages=app.state.page_cache,
        # Now, not when the first request builds the middleware.
        started_at=time.time(),
        article_page=partial(pages.plain_article_page, store, settings),
    )
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Accept"],
            # The widget may read when a busy model can be asked again (503 with Retry-After).
            expose_headers=["Retry-After"],
            allow_credentials=False,  # the reader sets no cookies; the widget sends none
            max_age=600,
        )
    app.add_middleware(SecurityHeaders)
    return app


def _polling(store: Store, settings: Settings) -> Callable[[FastAPI], Any]:
    """The app's lifespan: the background poller (service/poller.py) runs while the app
    serves, when ``settings.poll`` is on; ``app.state.poller`` is it, or None."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        poller = None
        if settings.poll:
            poller = Poller(
                store,
                Schedule(interval=settings.poll_interval),
                lease_seconds=settings.poll_lease_seconds,
            )
            poller.start()
        app.state.poller = poller
        try:
            yield
        finally:
            if poller is not None:
                # Off the event loop: stopping waits for a poll under way (a few seconds).
                await asyncio.to_thread(poller.stop)

    return lifespan


def _add_widget(app: FastAPI) -> None:
    path = STATIC / "widget.js"
    script = path.read_bytes()
    etag = entity_tag([script])
    modified = last_modified(path.stat().st_mtime, time.time())
    headers = {
        # Publishers' pages load it on every view: kept an hour, then asked again with its
        # validators (a 304 while it is the same script).
        "Cache-Control": PUBLIC.replace("no-cache", "max-age=3600"),
        "ETag": etag,
        # Publisher pages on other origins (even with Cross-Origin-Embedder-Policy) load it,
        # and so do pages that pin it with Subresource Integrity (<script integrity=...
        # crossorigin="anonymous">, a CORS request): it is public and sent without cookies.
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Access-Control-Allow-Origin": "*",
        "X-Content-Type-Options": "nosniff",
    }

    if modified is not None:
        headers["Last-Modified"] = http_date(modified)

    @app.get("/widget.js", include_in_schema=False)
    async def widget(request: Request) -> Response:
        asked = request.headers
        if not_modified(asked.get("if-none-match"), asked.get("if-modified-since"), etag, modified):
            return Response(status_code=304, headers=headers)
        return Response(script, media_type="text/javascript; charset=utf-8", headers=headers)


def _swagger_assets() -> Path | None:
    # fastapi-offline ships Swagger UI's files; served from here, /docs makes no request to a
    # CDN (the reader is self-hosted and may run offline).
    try:
        assets = resources.files("fastapi_offline") / "static"
    except ModuleNotFoundError:
        return None
    path = Path(str(assets))
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def _add_docs(app: FastAPI) -> None:
    assets = _swagger_assets()
    if assets is None:

        @app.get("/docs", include_in_schema=False)
        def cdn_docs(request: Request) -> HTMLResponse:
            # Without the bundled assets, FastAPI's page loads Swagger UI from its CDN.
            root = request.scope.get("root_path", "")
            return get_swagger_ui_html(openapi_url=f"{root}/openapi.json", title="inbrief API")

        return
    app.mount("/docs-assets", StaticFiles(directory=assets), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return pages.render(request, "docs.html")


def _error_page(request: Request, status: int, title: str, detail: str) -> Response:
    return pages.render(request, "error.html", status=status, title=title, detail=detail)


def _answer(request: Request, status: int, detail: str, title: str) -> Response:
    if wants_json(request):
        return problem_response(status, detail)
    return _error_page(request, status, title, detail)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 404 and error.detail == "Not Found":
            detail = f"There is nothing at {request.url.path}."
        else:
            detail = str(error.detail)
        title = "Not found" if error.status_code == 404 else "Something is wrong"
        response = _answer(request, error.status_code, detail, title)
        response.headers.update(error.headers or {})
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        detail, fields = validation_detail(error)
        if wants_json(request):
            return problem_response(422, detail, errors=fields)
        return _error_page(request, 422, "That address has a value we cannot use", detail)

    @app.exception_handler(InbriefError)
    async def inbrief_error(request: Request, error: InbriefError) -> Response:
        response = _answer(request, status_of(error), str(error), "That did not work")
        response.headers.update(headers_of(error))
        return response

    @app.exception_handler(Exception)
    async def unexpected_error(request: Request, error: Exception) -> Response:
        # Logged by the server with its traceback; the client gets one line, not the trace.
        # This answer is sent from outside the middleware stack: add the headers here.
        detail = internal_error(error, detail=False)
        return secure_response(_answer(request, 500, detail, "Something went wrong"), request.scope)
