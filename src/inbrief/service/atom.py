"""Summarized feeds out, as Atom: the latest articles, one feed's, a search's (issue 15.3).

    GET /feeds/latest.atom               the newest articles, as the front page lists them
    GET /feeds/{id}/summaries.atom       one subscription's articles
    GET /search.atom?q=climate+-coal     a search's matches, newest first

Each entry is an article: its title, a link to the original (the reader's page when it has
none), one to the reader's page, its source, dates, top image, and as content the summary
the reader and the API show for default options (3 sentences), from the same cache. With
``INBRIEF_FEED_SUMMARIES=written`` an entry carries the model's summary where one was
written already (at ingest, or for a reader who asked); a feed never waits for the model,
so the others carry the extractive one. docs/feeds-out.md says what feed readers get.

Feed readers poll: every answer has an ``ETag`` made from what decides the document (the
articles' ids, their summaries' cache keys, their sources' titles, the feed's own address
and :data:`~.atom_feed.FORMAT_VERSION`), so a poll that finds nothing new is a 304 without
computing a summary or writing XML.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

from fastapi import APIRouter, Query, Request, Response
from lxml.html import builder as html
from lxml.html import tostring

from inbrief.cache import summary_key
from inbrief.ingest import WRITTEN_METHOD
from inbrief.pipeline import DEFAULT_METHOD
from inbrief.service.access import ReadAccess
from inbrief.service.article_view import UNTITLED, picture_url, web_url
from inbrief.service.atom_feed import (
    AtomEntry,
    AtomFeed,
    AtomLink,
    AtomSource,
    atom_document,
    atom_response,
    etag_of,
    xml_text,
)
from inbrief.service.context import FeedId, SettingsDep, StoreDep
from inbrief.service.memo import TimedLRU
from inbrief.service.problems import Problem
from inbrief.service.schemas import SummaryOptions
from inbrief.service.settings import Settings
from inbrief.service.summaries import stored_summary_json
from inbrief.service.written import told_to_readers
from inbrief.store import Store, StoredArticle, StoredFeed

router = APIRouter(include_in_schema=False, dependencies=[ReadAccess])

FEED_ENTRIES = 50
"""Entries in a feed: feed readers keep what they saw, so a poll needs only the newest."""
DEFAULT_OPTIONS = SummaryOptions.model_validate({})
"""The summary an entry carries: the one the reader's button and the API give by default."""
TAG_AUTHORITY = "inbrief"
# Documents by ETag: many feed readers poll the same feed, the first time without one; the
# ETag names every input of the document, so a hit is the very bytes it would write again.
DOCUMENTS_KEPT = 32
DOCUMENTS_SECONDS = 300.0
# Image types a feed reader can be told from the address alone; others get no type.
IMAGE_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Chosen:
    """The summary an entry will carry: its cache key (part of the ETag) and, for a written
    one already read to learn it exists, its JSON."""

    key: str
    payload: str | None = None


@router.get("/feeds/latest.atom")
def latest(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The newest articles, summarized."""
    found = store.list_articles(0, FEED_ENTRIES).items
    feed = _feed(request, settings, "latest summaries", "/feeds/latest.atom", "/")
    return _answer(request, store, settings, feed, found)


@router.get("/feeds/{feed_id}/summaries.atom")
def feed_summaries(
    request: Request, store: StoreDep, settings: SettingsDep, feed_id: FeedId
) -> Response:
    """One subscription's newest articles, summarized."""
    subscribed = store.get_feed(feed_id)
    if subscribed is None:
        raise Problem(404, f"There is no feed {feed_id}; it may have been removed.")
    found = store.list_articles(0, FEED_ENTRIES, feed_id=feed_id).items
    name = subscribed.title or subscribed.url
    path = f"/feeds/{feed_id}/summaries.atom"
    feed = _feed(request, settings, name, path, f"/?{urlencode({'feed': feed_id})}")
    return _answer(request, store, settings, feed, found)


@router.get("/search.atom")
def search_summaries(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    """A search's matches, newest first (new matches come on top, as a feed's should)."""
    words = " ".join(xml_text(q).split())
    if not words:
        raise Problem(400, "a search feed needs something to search for: /search.atom?q=words")
    found = store.list_articles(0, FEED_ENTRIES, query=words).items
    query = urlencode({"q": words})
    feed = _feed(
        request, settings, f"search “{words}”", f"/search.atom?{query}", f"/search?{query}"
    )
    return _answer(request, store, settings, feed, found)


def _base(request: Request) -> str:
    # The reader's own address as the client named it (root path included): feed readers
    # need absolute links.
    return str(request.base_url).rstrip("/")


def _feed(request: Request, settings: Settings, name: str, path: str, home: str) -> AtomFeed:
    base = _base(request)
    # The feed's id is its address: feed readers key a subscription by it anyway.
    return AtomFeed(
        id=base + path,
        title=f"{settings.site_name}: {name}",
        self_url=base + path,
        home_url=base + home,
        author=settings.site_name,
    )


def _answer(
    request: Request,
    store: Store,
    settings: Settings,
    feed: AtomFeed,
    found: Sequence[StoredArticle],
) -> Response:
    sources = {f.id: f for f in store.list_feeds()} if found else {}
    written = settings.feed_summaries == "written"
    chosen = [_choose(store, stored, written) for stored in found]
    etag = etag_of(
        feed.self_url,
        feed.title,
        settings.site_name,
        # added_at too: another database's article 7 with the same text is another entry.
        [
            (s.id, str(s.added_at), c.key, _source_title(s, sources))
            for s, c in zip(found, chosen, strict=True)
        ],
    )
    newest = max((s.added_at for s in found), default=None)
    kept = _documents(request)

    def document() -> bytes:
        written = kept.get(etag)
        if written is None:
            entries = [
                entry_of(_base(request), settings, s, _summary(store, s, c), sources)
                for s, c in zip(found, chosen, strict=True)
            ]
            written = atom_document(feed, entries)
            kept.put(etag, written)
        return written

    return atom_response(
        request, document, etag=etag, last_modified=newest, public=settings.public_read
    )


def _documents(request: Request) -> TimedLRU[str, bytes]:
    """The app's documents by ETag, made on first use (one per app: tests run several)."""
    state = request.app.state
    kept: TimedLRU[str, bytes] | None = getattr(state, "atom_documents", None)
    if kept is None:
        kept = state.atom_documents = TimedLRU(DOCUMENTS_KEPT, DOCUMENTS_SECONDS)
    return kept


def _choose(store: Store, stored: StoredArticle, written: bool) -> Chosen:
    budget = DEFAULT_OPTIONS.budget()
    if written:
        key = summary_key(stored, budget, WRITTEN_METHOD, keywords=DEFAULT_OPTIONS.keywords)
        payload = store.get_summary(key)
        if payload is not None:
            return Chosen(key, payload)
    return Chosen(summary_key(stored, budget, DEFAULT_METHOD, keywords=DEFAULT_OPTIONS.keywords))


def _summary(store: Store, stored: StoredArticle, chosen: Chosen) -> dict[str, Any]:
    if chosen.payload is not None:
        written: dict[str, Any] = told_to_readers(json.loads(chosen.payload))
        return written
    # The API's own path for GET /api/articles/{id}/summary: the same JSON, computed once.
    summary: dict[str, Any] = json.loads(stored_summary_json(store, stored, DEFAULT_OPTIONS)[0])
    return summary


def _source_title(stored: StoredArticle, sources: dict[int, StoredFeed]) -> str | None:
    feed = sources.get(stored.feed_id) if stored.feed_id is not None else None
    return (feed.title or feed.url) if feed is not None else stored.article.site


def entry_of(
    base: str,
    settings: Settings,
    stored: StoredArticle,
    summary: dict[str, Any],
    sources: dict[int, StoredFeed],
) -> AtomEntry:
    """The entry of one stored article with its ``summary`` (the API's JSON)."""
    article = stored.article
    reader_page = f"{base}/articles/{stored.id}"
    original = web_url(article.url) or web_url(stored.source_url)
    image = picture_url(article.image)
    links = [AtomLink(reader_page, rel="related", type="text/html", title="The reader's page")]
    if image:
        links.append(AtomLink(image, rel="enclosure", type=_image_type(image)))
    source = _source(stored, sources, original)
    updated = _utc(stored.added_at)
    return AtomEntry(
        # Named by its text, not the row id: another database's article 7 is another story.
        id=f"tag:{TAG_AUTHORITY},{updated:%Y-%m-%d}:article/{stored.content_hash}",
        title=article.title or UNTITLED,
        updated=updated,
        published=_published(article.date, updated),
        link=original or reader_page,
        author=article.author or article.site or (source.title if source else None),
        source=source,
        links=tuple(links),
        categories=article.categories[:10],
        content_html=content_html(
            summary,
            reader_page=reader_page,
            original=original,
            site=article.site,
            site_name=settings.site_name,
            image=image,
            image_alt=article.image_alt or "",
        ),
    )


def content_html(
    summary: dict[str, Any],
    *,
    reader_page: str,
    original: str | None,
    site: str | None,
    site_name: str,
    image: str | None = None,
    image_alt: str = "",
) -> str:
    """An entry's content: the top image from the publisher's own address (never a copy),
    the summary's sentences, who wrote them if a model did, and the two links."""
    blocks = []
    if image:
        blocks.append(html.P(html.IMG(src=image, alt=xml_text(image_alt))))
    sentences = " ".join(xml_text(s["text"]) for s in summary["sentences"])
    blocks.append(html.P(sentences))
    made = summary.get("written")
    if made and summary.get("fallback") is None:
        note = f"Written by {xml_text(made['model'])}; every sentence checked against the article."
        blocks.append(html.P(html.EM(note)))
    links: list[Any] = [html.A(f"Read it in {xml_text(site_name)}", href=reader_page)]
    if original:
        where = site or urlsplit(original).hostname or original
        links += [" · ", html.A(f"the original at {xml_text(where)}", href=original)]
    blocks.append(html.P(*links))
    return "".join(tostring(block, encoding="unicode") for block in blocks)


def _source(
    stored: StoredArticle, sources: dict[int, StoredFeed], original: str | None
) -> AtomSource | None:
    feed = sources.get(stored.feed_id) if stored.feed_id is not None else None
    if feed is not None and web_url(feed.url):
        return AtomSource(id=feed.url, title=feed.title or feed.url, self_url=feed.url)
    site = stored.article.site
    if site and original:
        parts = urlsplit(original)
        home = f"{parts.scheme}://{parts.netloc}/"
        return AtomSource(id=home, title=site, home_url=home)
    return None


def _image_type(url: str) -> str | None:
    path = urlsplit(url).path.lower()
    return next((kind for end, kind in IMAGE_TYPES.items() if path.endswith(end)), None)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _published(date: str | None, added: datetime) -> datetime | None:
    """The publication date as the article gives it (ISO 8601 or RFC 822), or None when it
    gives none we can read, or one after the reader got it (as the listing does)."""
    if not date:
        return None
    text = date.strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    moment = _utc(moment)
    return moment if moment <= added else None
