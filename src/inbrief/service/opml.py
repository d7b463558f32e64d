"""OPML in and out on the reader and the API (issue 15.2): the subscriptions as the file every
feed reader imports and exports (:mod:`inbrief.feeds.opml`).

* ``GET /feeds/export.opml`` and ``GET /api/feeds/opml``: the file, as a download;
* ``POST /feeds/import`` (the upload form on ``/feeds``, ``multipart/form-data`` with the file
  as ``opml``) and ``POST /api/feeds/opml`` (JSON ``{"opml": "<opml ...>"}``, as every API
  body is JSON) subscribe to its feeds; both change the reader and need write access.

A file that cannot be read at all (malformed XML, entities, not OPML, too many feeds) adds
nothing: the page says why, the API answers 400 (413 for a file over the size cap).  A feed
refused for its address is named with the reason, and the file's other feeds are imported.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from inbrief.feeds.opml import (
    MAX_OPML_BYTES,
    MEDIA_TYPE,
    ImportReport,
    OPMLError,
    OPMLTooLarge,
    import_opml,
    write_opml,
)
from inbrief.service.access import ReadAccess, WriteAccess
from inbrief.service.api import feed_json, json_response
from inbrief.service.context import StoreDep
from inbrief.service.pages import Notice, _feeds_page
from inbrief.service.problems import Problem
from inbrief.service.schemas import BODY_CONFIG, problems
from inbrief.store import Store, StoredFeed

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])
api_router = APIRouter(prefix="/api", dependencies=[ReadAccess])
"""Included ahead of the API's own routes: ``/api/feeds/opml`` is no feed's number."""

FILENAME = "inbrief-feeds.opml"
# A page lists this many refused feeds one by one; the rest are counted.
_REFUSALS_SHOWN = 20


def _download(store: Store) -> Response:
    return Response(
        write_opml(store.list_feeds()),
        media_type=f"{MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{FILENAME}"'},
    )


# --- the page ---------------------------------------------------------------------------------


@router.get("/feeds/export.opml")
def export_page(store: StoreDep) -> Response:
    """Every subscription as an OPML file to download."""
    return _download(store)


@router.post("/feeds/import", response_class=HTMLResponse, dependencies=[WriteAccess])
def import_page(
    request: Request,
    store: StoreDep,
    opml: Annotated[UploadFile | None, File(description="The OPML file.")] = None,
) -> HTMLResponse:
    """Subscribe to the feeds of an uploaded OPML file; the feeds page says what came of it."""
    if opml is None or not opml.filename:
        return _feeds_page(request, store, [Notice("error", "Choose an OPML file to import.")])
    name = opml.filename
    # One byte over the cap is enough for read_opml to refuse the file as too large.
    data = opml.file.read(MAX_OPML_BYTES + 1)
    try:
        report = import_opml(store, data)
    except OPMLError as exc:
        refused = Notice("error", "Nothing was imported from ", name, f": {exc}.")
        return _feeds_page(request, store, [refused])
    return _feeds_page(request, store, _notices(name, report))


def _notices(name: str, report: ImportReport) -> list[Notice]:
    # Good news when anything came in; each refused feed has its own error line below.
    kind = "ok" if report.added or report.already or not report.refused else "error"
    notices = [Notice(kind, "Imported ", name, f": {report.summary()}.")]
    for refusal in report.refused[:_REFUSALS_SHOWN]:
        notices.append(Notice("error", "Refused ", refusal.url, f": {refusal.reason}."))
    hidden = len(report.refused) - _REFUSALS_SHOWN
    if hidden > 0:
        notices.append(Notice("error", f"... and {hidden} more refused."))
    return notices


# --- the API ----------------------------------------------------------------------------------


class OPMLRequest(BaseModel):
    """An OPML file to import, as text."""

    model_config = BODY_CONFIG

    opml: str = Field(description="The OPML document, as another reader exported it.")


@api_router.get(
    "/feeds/opml",
    tags=["feeds"],
    summary="Export the feeds as OPML",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPE: {}}}},
)
def export_api(store: StoreDep) -> Response:
    """Every subscription as OPML 2.0, each category a folder."""
    return _download(store)


@api_router.post(
    "/feeds/opml",
    tags=["feeds"],
    summary="Import feeds from OPML",
    responses=problems(400, 401, 403, 408, 413, 415, 422),
    dependencies=[WriteAccess],
)
def import_api(body: OPMLRequest, store: StoreDep) -> Response:
    """Subscribe to the feeds an OPML file lists (its folders become their categories).

    200 with the feeds ``added``, those ``already_subscribed`` and those ``refused`` with the
    reason (the others are imported all the same); 400 when the file cannot be read at all, and
    413 when it is larger than the cap: then nothing is imported.
    """
    try:
        report = import_opml(store, body.opml)
    except OPMLTooLarge as exc:
        raise Problem(413, str(exc)) from None
    except OPMLError as exc:
        raise Problem(400, str(exc)) from None
    refused = [{"url": r.url, "title": r.title, "reason": r.reason} for r in report.refused]
    return json_response(
        {
            "summary": report.summary(),
            "added": [_feed(feed) for feed in report.added],
            "already_subscribed": [_feed(feed) for feed in report.already],
            "refused": refused,
            "listed_twice": report.repeated,
        }
    )


def _feed(feed: StoredFeed) -> dict[str, Any]:
    return {**feed_json(feed), "category": feed.category}
