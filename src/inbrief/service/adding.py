"""Add an article from the reader (by URL or pasted text or HTML), and the bookmarklet (15.4).

``GET /add`` is the form, filled in from ``?url=`` when the bookmarklet sent the page the
reader was on; it adds nothing by itself, so no link or script on another site can add an
article by sending the browser there. ``POST /add`` adds: it needs write access exactly as the
API's changes and the feed forms do (:mod:`inbrief.service.access`: a key, given as the
password when the browser asks, or this machine; and never a request another site made the
browser send). It goes the API's way (``POST /api/articles``): the same request model
(:class:`~inbrief.service.schemas.ArticleRequest`), so the same safe fetch (no private
address), the same size caps, then :func:`inbrief.ingest.add_article`, which stores an article
once and makes its summaries. A success lands on the article's page; a failure shows the form
again with what was typed and the reason in plain words.

``GET /bookmarklet`` explains and offers the bookmarklet: a ``javascript:`` link that opens
``/add?url=<the page it is clicked on>`` on this reader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException

from inbrief.errors import InbriefError
from inbrief.ingest import IngestResult, add_article
from inbrief.service.access import ReadAccess, WriteAccess
from inbrief.service.context import SettingsDep, StoreDep
from inbrief.service.pages import render
from inbrief.service.problems import status_of
from inbrief.service.schemas import ArticleRequest
from inbrief.sizes import format_size
from inbrief.sources import sniff_kind
from inbrief.store import Store

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])

BOOKMARKLET_NAME = "Summarize in inbrief"
# Characters a javascript: URL may carry as they are; every other one is percent-encoded, as
# the browser decodes the URL once before running it (a "%" in the reader's address stays one).
_URL_SAFE = "'\"()+=:/?.,;_-~"


@dataclass(frozen=True)
class AddForm:
    """What the add page shows: the values typed (kept after a failure), and the failure.

    ``failed`` names the form the error belongs to: ``url`` or ``paste``.
    """

    url: str = ""
    title: str = ""
    pasted: str = ""
    error: str | None = None
    failed: str | None = None


def _page(request: Request, form: AddForm, status: int = 200) -> HTMLResponse:
    settings = request.app.state.settings
    limit = format_size(settings.max_body_bytes)
    return render(request, "add.html", status=status, form=form, limit=limit)


@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request, url: Annotated[str, Query()] = "") -> HTMLResponse:
    """The add form; ``?url=`` fills in the address (the bookmarklet's link). Adds nothing."""
    return _page(request, AddForm(url=url.strip()))


@router.post("/add", response_class=HTMLResponse, dependencies=[WriteAccess])
async def add(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """Add the page at ``url``, or the ``pasted`` text or HTML (with an optional ``title``),
    then go to its page (303): the one already stored, if it was."""
    try:
        # The body is capped before this runs (service/guard.py); a pasted field may take it
        # all, where Starlette's own cap for one part of a multipart form is 1 MiB.
        fields = await request.form(max_part_size=settings.max_body_bytes)
    except MultiPartException as error:
        return _page(request, AddForm(error=f"The form could not be read: {error}."), 400)
    form = _form_of(fields)
    problem = _missing(form)
    if problem is not None:
        return _page(request, problem, 422)
    try:
        result = await run_in_threadpool(_add, store, form)
    except ValidationError as error:
        return _page(request, _failed(form, _validation_message(error)), 422)
    except InbriefError as error:
        message = f"It could not be added: {_sentence(_plain(str(error)))}"
        return _page(request, _failed(form, message), status_of(error))
    root = request.scope.get("root_path", "")
    return RedirectResponse(f"{root}/articles/{result.article.id}", status_code=303)


def _form_of(fields: FormData) -> AddForm:
    def text(name: str) -> str:
        value = fields.get(name)
        return value if isinstance(value, str) else ""

    # The address form has a url field and the paste form has none: that says which was sent.
    failed = "url" if "url" in fields else "paste"
    return AddForm(text("url").strip(), text("title").strip(), text("pasted"), failed=failed)


def _missing(form: AddForm) -> AddForm | None:
    """The form with an error when it gives nothing to add."""
    if form.failed == "url" and not form.url:
        return _failed(form, "Give the address of a web page, starting with http:// or https://.")
    if form.failed == "paste" and not form.pasted.strip():
        return _failed(form, "Paste the article's text, or the page's HTML, into the box.")
    return None


def _failed(form: AddForm, message: str) -> AddForm:
    return AddForm(form.url, form.title, form.pasted, message, form.failed)


def _add(store: Store, form: AddForm) -> IngestResult:
    """What ``POST /api/articles`` does with the same source (this runs in a worker thread:
    fetching and extracting block)."""
    if form.failed == "url":
        given: dict[str, str | None] = {"url": form.url}
    else:
        given = {sniff_kind(form.pasted): form.pasted, "title": form.title or None}
    article, source_url = ArticleRequest.model_validate(given).article()
    return add_article(store, article, source_url=source_url)


def _validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    message = str(first["msg"]).removeprefix("Value error, ")
    named = {"url": "the address", "title": "the title"}.get(field)
    if named and not message.startswith(named):
        message = f"{named}: {message}"
    return _sentence(message)


def _plain(message: str) -> str:
    """``message`` naming the pasted source as the person knows it, not by its origin tag."""
    return message.replace("<html>", "the pasted HTML").replace("<text>", "the pasted text")


def _sentence(message: str) -> str:
    """``message`` as a sentence: a capital first letter and a full stop."""
    message = message.strip()
    if not message:
        return "Something went wrong."
    message = message[0].upper() + message[1:]
    return message if message.endswith((".", "!", "?")) else message + "."


# --- the bookmarklet --------------------------------------------------------------------------


def bookmarklet(add_url: str) -> str:
    """The ``javascript:`` link that opens ``add_url?url=<the page it is clicked on>``.

    It only navigates (a top-level ``location`` change), so it works the same on pages with
    Trusted Types, and it sends the address, never the page's text or cookies. ``add_url`` is
    put in as a JSON string, which is a JavaScript string literal whatever it holds.
    """
    code = f"location.href={json.dumps(add_url + '?url=')}+encodeURIComponent(location.href)"
    return "javascript:" + quote(code, safe=_URL_SAFE)


@router.get("/bookmarklet", response_class=HTMLResponse)
def bookmarklet_page(request: Request) -> HTMLResponse:
    """How to install the bookmarklet, with the link to drag to the bookmarks bar."""
    add_url = str(request.url_for("add_form"))
    return render(
        request,
        "bookmarklet.html",
        bookmarklet=bookmarklet(add_url),
        bookmarklet_name=BOOKMARKLET_NAME,
        add_url=add_url,
    )
