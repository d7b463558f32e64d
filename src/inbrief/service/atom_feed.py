"""The Atom writer (RFC 4287) behind every feed the reader serves: ``/feeds/latest.atom``, a
subscription's and a search's (:mod:`.atom`), and ``/today.atom``.

Callers describe a feed with :class:`AtomFeed` and its entries with :class:`AtomEntry`;
:func:`atom_document` writes them with lxml, which escapes markup. Text from publishers may
still hold characters XML 1.0 cannot carry at all (controls, lone surrogates, U+FFFE):
:func:`xml_text` drops them, because one such character makes the whole feed unreadable.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response
from lxml import etree

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
FORMAT_VERSION = "1"
"""Part of every ETag (:func:`etag_of`): bump it when the documents' layout changes, so that
feed readers holding an old ETag get the new layout rather than 304."""

# Characters outside XML 1.0's Char production; lxml refuses most of them, and a feed reader
# would refuse the document if they slipped through.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class AtomLink:
    """One ``<link>``: ``rel`` is ``alternate``, ``related``, ``enclosure``, ``self``..."""

    href: str
    rel: str = "alternate"
    type: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class AtomSource:
    """Where an entry came from (RFC 4287 4.2.11): a subscribed feed (``self_url``, its
    address) or a site (``home_url``); ``id`` is an IRI naming it."""

    id: str
    title: str
    self_url: str | None = None
    home_url: str | None = None


@dataclass(frozen=True)
class AtomEntry:
    """One entry. ``content_html`` is HTML markup (written as ``type="html"``, so escaped once
    by the XML writer); ``links`` come after the ``alternate`` link to ``link``."""

    id: str
    title: str
    updated: datetime
    link: str
    content_html: str
    published: datetime | None = None
    author: str | None = None
    source: AtomSource | None = None
    links: tuple[AtomLink, ...] = ()
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class AtomFeed:
    """The feed's own metadata; ``self_url`` is where it is served, ``home_url`` the page it
    mirrors. ``updated`` defaults to the newest entry's (or the epoch for an empty feed, so
    that the document stays the same from one request to the next)."""

    id: str
    title: str
    self_url: str
    home_url: str
    author: str = "inbrief"
    subtitle: str | None = None
    updated: datetime | None = None
    generator: str = "inbrief"
    links: tuple[AtomLink, ...] = field(default=())


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry."""
    return _NOT_XML.sub("", text)


def rfc3339(moment: datetime) -> str:
    """An Atom date: UTC, seconds, ``Z``; a naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def newest(entries: Sequence[AtomEntry]) -> datetime:
    """The latest ``updated`` among ``entries`` (aware, UTC), the epoch when there are none."""
    moments = [_aware(e.updated) for e in entries]
    return max(moments, default=EPOCH)


def atom_document(feed: AtomFeed, entries: Sequence[AtomEntry]) -> bytes:
    """The Atom document of ``feed`` with ``entries`` in the order given, as UTF-8 bytes."""
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    _text(root, "id", feed.id)
    _text(root, "title", feed.title)
    if feed.subtitle:
        _text(root, "subtitle", feed.subtitle)
    _text(root, "updated", rfc3339(feed.updated or newest(entries)))
    _link(root, AtomLink(feed.self_url, rel="self", type=ATOM_MEDIA_TYPE))
    _link(root, AtomLink(feed.home_url, rel="alternate", type="text/html"))
    for link in feed.links:
        _link(root, link)
    # RFC 4287 4.1.1: a feed needs an author unless every entry has one.
    _text(_sub(root, "author"), "name", feed.author)
    _text(root, "generator", feed.generator)
    for entry in entries:
        _entry(root, entry)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _entry(root: etree._Element, entry: AtomEntry) -> None:
    node = _sub(root, "entry")
    _text(node, "id", entry.id)
    _text(node, "title", entry.title or entry.link)
    _text(node, "updated", rfc3339(entry.updated))
    if entry.published is not None:
        _text(node, "published", rfc3339(entry.published))
    if entry.author:
        _text(_sub(node, "author"), "name", entry.author)
    _link(node, AtomLink(entry.link, rel="alternate", type="text/html"))
    for link in entry.links:
        _link(node, link)
    for term in entry.categories:
        if xml_text(term).strip():
            _sub(node, "category").set("term", xml_text(term))
    if entry.source is not None:
        source = _sub(node, "source")
        _text(source, "id", entry.source.id)
        _text(source, "title", entry.source.title)
        if entry.source.self_url:
            _link(source, AtomLink(entry.source.self_url, rel="self"))
        if entry.source.home_url:
            _link(source, AtomLink(entry.source.home_url, rel="alternate", type="text/html"))
    content = _text(node, "content", entry.content_html)
    content.set("type", "html")


def _sub(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ATOM_NS}}}{name}")


def _text(parent: etree._Element, name: str, text: str) -> etree._Element:
    node = _sub(parent, name)
    node.text = xml_text(text)
    return node


def _link(parent: etree._Element, link: AtomLink) -> None:
    node = _sub(parent, "link")
    node.set("rel", link.rel)
    node.set("href", xml_text(link.href))
    if link.type:
        node.set("type", link.type)
    if link.title:
        node.set("title", xml_text(link.title))


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


# --- serving: ETag, Last-Modified, 304 ------------------------------------------------------


def etag_of(*parts: object) -> str:
    """A strong ETag over ``parts`` (JSON-serializable) and :data:`FORMAT_VERSION`.

    Callers pass what decides the document (ids, summary cache keys, titles, the feed's own
    address) rather than the document itself, so a 304 costs no summary and no XML.
    """
    encoded = json.dumps([FORMAT_VERSION, *parts], ensure_ascii=False, default=str)
    return '"' + hashlib.sha256(encoded.encode("utf-8")).hexdigest()[:32] + '"'


def http_date(moment: datetime) -> str:
    """``moment`` as an HTTP date (``Last-Modified``)."""
    return format_datetime(_aware(moment).replace(microsecond=0), usegmt=True)


def is_fresh(request: Request, etag: str, last_modified: datetime | None) -> bool:
    """Whether the client already holds this version (RFC 9110 13.1): ``If-None-Match``
    decides when sent (weak comparison), else ``If-Modified-Since``."""
    none_match = request.headers.get("if-none-match")
    if none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in none_match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        asked = parsedate_to_datetime(since)
    except (TypeError, ValueError, IndexError):
        return False  # a date we cannot read asks for nothing
    if asked.tzinfo is None:
        asked = asked.replace(tzinfo=UTC)
    return _aware(last_modified).replace(microsecond=0) <= asked


def atom_response(
    request: Request,
    document: Callable[[], bytes],
    *,
    etag: str,
    last_modified: datetime | None,
    public: bool,
    max_age: int = 60,
) -> Response:
    """``document()`` as an Atom response, or 304 when the client holds ``etag`` (or nothing
    changed since ``If-Modified-Since``); ``document`` is called only for a 200.

    ``public`` (reading needs no key) lets shared caches keep it; otherwise it is private.
    """
    headers = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={max_age}" if public else "private, no-cache",
    }
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    if not public:
        headers["Vary"] = "Authorization, X-API-Key"
    if is_fresh(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    return Response(document(), media_type=f"{ATOM_MEDIA_TYPE}; charset=utf-8", headers=headers)
