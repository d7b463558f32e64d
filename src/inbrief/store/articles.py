"""Articles in the store: each stored once, listed newest first, found by full-text search.

An article is already stored when a row has the same URL key (:func:`~inbrief.store.url_key`)
or the same text, whatever its layout (:func:`~inbrief.store.text_key`); unique constraints
back this, so concurrent writers in threads or processes cannot duplicate a row.  Listing order
is defined once, :data:`~inbrief.store.NEWEST_FIRST`, and paging, filters
(:class:`~inbrief.store.listing.ArticleFilter`) and ``neighbours`` follow it.
"""

from __future__ import annotations

import json
from collections import namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, delete, func, or_, select, tuple_
from sqlalchemy.sql.expression import FromClause

from inbrief.errors import StoreError
from inbrief.models import Article
from inbrief.store.base import INSERT_ATTEMPTS, StoreBase
from inbrief.store.identity import content_hash, text_key, web_url_key
from inbrief.store.listing import ArticleFilter, FilterChoices, listing_day
from inbrief.store.schema import NEWEST_FIRST, articles
from inbrief.store.search import parse_search


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored: its row id, when it was added, and the article itself.

    ``article.url`` is its URL key (:func:`~inbrief.store.url_key`) and ``article.date`` the
    published date exactly as extracted.  ``source_url`` is what the article was added from.
    """

    id: int
    added_at: datetime
    article: Article
    content_hash: str
    source_url: str | None = None
    feed_id: int | None = None


@dataclass(frozen=True)
class ArticlePage:
    """One page of a listing or a search: ``items`` from position ``offset`` of ``total``."""

    items: tuple[StoredArticle, ...]
    total: int
    offset: int
    limit: int

    @property
    def has_previous(self) -> bool:
        """Whether a page comes before this one."""
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        """Whether a page comes after this one."""
        return self.offset + len(self.items) < self.total


@dataclass(frozen=True)
class ArticleLink:
    """Where a Previous/Next Article link goes: the article's id and its title."""

    id: int
    title: str | None


@dataclass(frozen=True)
class ArticleWithNeighbours:
    """An article page's data: the article and its neighbours in :data:`NEWEST_FIRST` order
    (``previous`` the newer one, ``next`` the older one), as :meth:`Store.neighbours` finds
    them."""

    stored: StoredArticle
    previous: ArticleLink | None
    next: ArticleLink | None


# A form offers sites to choose from, not every site ever stored: a page of options at most.
MAX_SITE_CHOICES = 200

# The page's reads as plain statements on the store's hot-read path: SQLAlchemy's statement
# layer cost ~1 ms for the three reads of neighbours() + get_article(), the reads themselves
# ~30 us.  The neighbours are one statement, each side an indexed range of articles_listing
# (row values compared as NEWEST_FIRST's key, as neighbours() compares them).
_ARTICLE_COLUMNS = tuple(column.name for column in articles.c)
_ARTICLE_SQL = f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles WHERE id = ?"
_KEY = "listing_day, added_at, id"
_HERE = f"(SELECT {_KEY} FROM articles WHERE id = ?)"
_NEIGHBOURS_SQL = (
    f"SELECT 0, id, title FROM (SELECT id, title FROM articles WHERE ({_KEY}) > {_HERE}"
    " ORDER BY listing_day, added_at, id LIMIT 1) AS newer"
    f" UNION ALL SELECT 1, id, title FROM (SELECT id, title FROM articles WHERE ({_KEY}) < {_HERE}"
    " ORDER BY listing_day DESC, added_at DESC, id DESC LIMIT 1) AS older"
)


# A plain statement's row, read by column name as _stored_article reads a SQLAlchemy row.
_HotRow = namedtuple("_HotRow", _ARTICLE_COLUMNS)  # type: ignore[misc]


def _utc(value: datetime | str) -> datetime:
    """A stored ``added_at`` as the schema's type reads it: SQLite keeps naive UTC text."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _stored_article(row: Any) -> StoredArticle:
    return StoredArticle(
        id=row.id,
        added_at=row.added_at,
        content_hash=row.content_hash,
        source_url=row.source_url,
        feed_id=row.feed_id,
        article=Article(
            text=row.text,
            title=row.title,
            author=row.author,
            date=row.published,
            language=row.language,
            site=row.site,
            url=row.canonical_url,
            origin=row.origin,
            complete=bool(row.complete),
            incomplete_reason=row.incomplete_reason,
            image=row.image,
            image_alt=row.image_alt,
            description=row.description,
            tags=_strings(row.tags),
            categories=_strings(row.categories),
            videos=_strings(row.videos),
        ),
    )


def _stored_strings(values: tuple[str, ...]) -> str | None:
    """Tags, categories or video links as a JSON array; NULL for none."""
    return json.dumps(list(values), ensure_ascii=False) if values else None


def _strings(stored: str | None) -> tuple[str, ...]:
    """What :func:`_stored_strings` stored; a value it cannot have written reads as none."""
    try:
        values = json.loads(stored) if stored else []
    except ValueError:
        return ()
    if not isinstance(values, list):
        return ()
    return tuple(value for value in values if isinstance(value, str))


def _check_page(offset: int, limit: int) -> None:
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, got {offset}")
    if limit < 1:
        raise ValueError(f"limit must be 1 or more, got {limit}")


def _filter(
    filters: ArticleFilter | None, language: str | None, feed_id: int | None
) -> ArticleFilter:
    """``filters`` with the older ``language`` and ``feed_id`` arguments, where given, in it."""
    where = filters or ArticleFilter()
    if language is not None:
        where = replace(where, language=language)
    if feed_id is not None:
        where = replace(where, feed_id=feed_id)
    return where


def _filters(where: ArticleFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if where.language is not None:
        conditions.append(articles.c.language == where.language)
    if where.feed_id is not None:
        conditions.append(articles.c.feed_id == where.feed_id)
    if where.site is not None:
        conditions.append(articles.c.site == where.site)
    # The listing day, the order's first key, so a range is a slice of the listing's index.
    if where.since is not None:
        conditions.append(articles.c.listing_day >= where.since)
    if where.until is not None:
        conditions.append(articles.c.listing_day <= where.until)
    return conditions


def article_values(
    article: Article,
    *,
    source_url: str | None = None,
    feed_id: int | None = None,
    added_at: datetime | None = None,
) -> dict[str, Any]:
    """The ``articles`` row that stores ``article`` (keys computed), as :meth:`add_article`
    and the bulk writer (:mod:`~inbrief.store.bulk`) both insert it."""
    if added_at is not None and added_at.tzinfo is None:
        raise ValueError(f"added_at must be timezone-aware, got {added_at!r}")
    added_at = added_at or datetime.now(UTC)
    return {
        "source_url": source_url if source_url is not None else article.url,
        "canonical_url": web_url_key(article.url, source_url),
        "origin": article.origin,
        "title": article.title,
        "author": article.author,
        "published": article.date,
        "language": article.language,
        "site": article.site,
        "text": article.text,
        "content_hash": content_hash(article.text),
        "text_key": text_key(article.text),
        "complete": article.complete,
        "incomplete_reason": article.incomplete_reason,
        "image": article.image,
        "image_alt": article.image_alt,
        "description": article.description,
        "tags": _stored_strings(article.tags),
        "categories": _stored_strings(article.categories),
        "videos": _stored_strings(article.videos),
        "feed_id": feed_id,
        "added_at": added_at,
        "listing_day": listing_day(article.date, added_at),
    }


def stored_form(article: Article, source_url: str | None = None) -> Article:
    """``article`` as the store gives it back once added: its ``url`` becomes the URL key.

    What a summary computed before the article is stored must be made from, so that it is
    the summary :func:`~inbrief.cache.cached_summary` would make of the stored row.
    """
    return replace(article, url=web_url_key(article.url, source_url))


class ArticlesMixin(StoreBase):
    """The :class:`~inbrief.store.Store` methods that add, list, search and delete articles."""

    def add_article(
        self,
        article: Article,
        *,
        source_url: str | None = None,
        feed_id: int | None = None,
        added_at: datetime | None = None,
    ) -> tuple[StoredArticle, bool]:
        """Store ``article`` unless it is already stored; ``True`` when this call added it.

        An article is already stored when a row has the same URL key (of ``article.url``,
        else of ``source_url``) or the same text, read as its words (:func:`text_key`: layout
        and case aside).  ``source_url`` records what the article was
        added from (defaults to ``article.url``); ``feed_id`` the feed that brought it;
        ``added_at`` (timezone-aware, default now) is when it was added; the listing files it
        under its publication day, or that day when it has none (:func:`listing_day`).
        """
        values = article_values(article, source_url=source_url, feed_id=feed_id, added_at=added_at)
        url, key, digest = values["canonical_url"], values["text_key"], values["content_hash"]
        # Duplicates never reach a constraint error (below); only the feed's foreign key can.
        missing_feed = f"feed {feed_id} does not exist" if feed_id is not None else None
        with self._writing(conflict=missing_feed) as conn:
            existing = self._find_stored(conn, url, key, digest)
            if existing is not None:
                return existing, False
            return self._insert_or_find(conn, values)

    def _insert_or_find(
        self, conn: Connection, values: dict[str, Any]
    ) -> tuple[StoredArticle, bool]:
        """Insert the row :func:`article_values` made, or find the stored one it duplicates."""
        for _ in range(INSERT_ATTEMPTS):
            # A concurrent writer may insert the same article between a look-up and this
            # insert: the unique constraints turn that into "nothing inserted" (PostgreSQL
            # waits for the other transaction), and we read its row.
            inserted = conn.execute(
                self._backend.insert(articles)
                .values(values)
                .on_conflict_do_nothing()
                .returning(*articles.c)
            ).first()
            if inserted is not None:
                return _stored_article(inserted), True
            existing = self._find_stored(
                conn, values["canonical_url"], values["text_key"], values["content_hash"]
            )
            if existing is not None:
                return existing, False
        raise StoreError("the article kept colliding with rows being deleted; try again")

    @staticmethod
    def _find_stored(
        conn: Connection, url: str | None, key: str, digest: str
    ) -> StoredArticle | None:
        # The exact digest too: a copy that an older inbrief stored twice has no text key.
        same_text = or_(articles.c.text_key == key, articles.c.content_hash == digest)
        same = or_(articles.c.canonical_url == url, same_text) if url else same_text
        rows = conn.execute(select(articles).where(same)).all()
        # Two rows can match (one by URL, another by text); the URL names the article.
        best = min(rows, key=lambda row: row.canonical_url != url, default=None)
        return _stored_article(best) if best is not None else None

    def get_article(self, article_id: int) -> StoredArticle | None:
        """The stored article with this id, or ``None``."""
        with self._reading() as conn:
            row = conn.execute(select(articles).where(articles.c.id == article_id)).first()
        return _stored_article(row) if row is not None else None

    def article_with_neighbours(self, article_id: int) -> ArticleWithNeighbours | None:
        """The stored article with this id and its Previous/Next neighbours (as
        :meth:`neighbours` finds them, unfiltered), or ``None``: two reads on the shortest
        path, what the reader's article page shows."""
        found = self._hot_rows(_ARTICLE_SQL, (article_id,))
        if not found:
            return None
        row: Any = _HotRow(*found[0])
        stored = _stored_article(row._replace(added_at=_utc(row.added_at)))
        links: dict[int, ArticleLink] = {
            side: ArticleLink(int(id_), title)
            for side, id_, title in self._hot_rows(_NEIGHBOURS_SQL, (article_id, article_id))
        }
        # Two statements, each reading the latest commit: both are no older than the change
        # counters a page's tag was read from before, so a change between them is asked again.
        return ArticleWithNeighbours(stored, links.get(0), links.get(1))

    def filter_choices(self, max_sites: int = MAX_SITE_CHOICES) -> FilterChoices:
        """The languages of the stored articles, and the ``max_sites`` sites with the most
        articles, each sorted: what a filter form offers."""
        with self._reading() as conn:
            languages = conn.scalars(
                select(articles.c.language).where(articles.c.language.is_not(None)).distinct()
            ).all()
            counted = conn.execute(
                select(articles.c.site, func.count())
                .where(articles.c.site.is_not(None))
                .group_by(articles.c.site)
            ).all()
        # Ranked and sorted here, not in SQL: the two databases collate text differently.
        busiest = sorted(counted, key=lambda row: (-row[1], row[0]))[:max_sites]
        sites = sorted((row[0] for row in busiest), key=lambda site: (site.casefold(), site))
        return FilterChoices(tuple(sorted(languages)), tuple(sites))

    def delete_article(self, article_id: int) -> bool:
        """Delete an article and its cached summaries; ``False`` if there was none."""
        with self._writing() as conn:
            deleted = conn.execute(delete(articles).where(articles.c.id == article_id))
        return deleted.rowcount > 0

    def list_articles(
        self,
        offset: int = 0,
        limit: int = 20,
        language: str | None = None,
        feed_id: int | None = None,
        query: str | None = None,
        *,
        filters: ArticleFilter | None = None,
    ) -> ArticlePage:
        """A page of articles in :data:`NEWEST_FIRST` order, optionally filtered.

        ``filters`` keeps articles by feed, site, language and listing day
        (:class:`ArticleFilter`); ``language`` and ``feed_id``, where given, replace its
        own.  ``query`` keeps the articles that :meth:`search` finds for it (an empty or
        blank ``query`` filters nothing).
        """
        _check_page(offset, limit)
        conditions = _filters(_filter(filters, language, feed_id))
        source: FromClause = articles
        if query is not None and query.strip():
            groups = parse_search(query)
            if not groups:
                return ArticlePage((), 0, offset, limit)
            match = self._backend.text_match(groups)
            source = match.source
            conditions.append(match.condition)
        return self._page(source, conditions, NEWEST_FIRST, offset, limit)

    def search(
        self,
        query: str,
        offset: int = 0,
        limit: int = 20,
        *,
        language: str | None = None,
        feed_id: int | None = None,
        filters: ArticleFilter | None = None,
    ) -> ArticlePage:
        """Full-text search over titles and text, best match first (title hits weigh more).

        The grammar, the same on SQLite and PostgreSQL:

        * words are all required: ``climate deal`` finds articles with both words;
        * ``"quoted words"`` must appear together, in that order;
        * ``-word`` or ``-"some words"`` excludes articles containing them;
        * ``or`` between two items offers alternatives: ``a b or c`` is (a and b) or c.

        Case is ignored, accents are not (``ecole`` does not find ``école``), and words are not
        stemmed.  Anything else is read as plain words: stray quotes, brackets, ``AND``,
        ``NEAR``, ``*`` and ``:`` never raise.  A query with nothing to find (blank, only
        punctuation, only exclusions) gives an empty page.  Ties keep :data:`NEWEST_FIRST`.
        ``filters``, ``language`` and ``feed_id`` narrow it as in :meth:`list_articles`.
        """
        _check_page(offset, limit)
        groups = parse_search(query)
        if not groups:
            return ArticlePage((), 0, offset, limit)
        match = self._backend.text_match(groups)
        conditions = [match.condition, *_filters(_filter(filters, language, feed_id))]
        return self._page(
            match.source, conditions, (match.best_first, *NEWEST_FIRST), offset, limit
        )

    def _page(
        self,
        source: FromClause,
        conditions: Sequence[ColumnElement[bool]],
        order: Sequence[ColumnElement[Any]],
        offset: int,
        limit: int,
    ) -> ArticlePage:
        with self._reading() as conn:
            total = conn.scalar(select(func.count()).select_from(source).where(*conditions)) or 0
            rows = conn.execute(
                select(articles)
                .select_from(source)
                .where(*conditions)
                .order_by(*order)
                .offset(offset)
                .limit(limit)
            ).all()
        return ArticlePage(tuple(_stored_article(row) for row in rows), total, offset, limit)

    def neighbours(
        self, article_id: int, *, language: str | None = None, feed_id: int | None = None
    ) -> tuple[StoredArticle | None, StoredArticle | None]:
        """The articles just before and just after this one in :data:`NEWEST_FIRST` order.

        "Previous" is the *newer* neighbour (listed above it), "next" the *older* one (listed
        below it), like a news site's Previous/Next Article links on a newest-first front
        page.  ``language`` and ``feed_id`` restrict the listing as in :meth:`list_articles`.
        ``(None, None)`` when the article does not exist.
        """
        # The columns of NEWEST_FIRST compared as one key: newer means a greater key.
        key = [order.element for order in NEWEST_FIRST]
        with self._reading() as conn:
            here = conn.execute(select(*key).where(articles.c.id == article_id)).first()
            if here is None:
                return None, None
            conditions = _filters(_filter(None, language, feed_id))
            # A tuple of values takes the columns' types, so added_at binds as stored.
            newer = tuple_(*key) > tuple(here)
            older = tuple_(*key) < tuple(here)
            oldest_first = tuple(column.asc() for column in key)
            previous = conn.execute(
                select(articles).where(newer, *conditions).order_by(*oldest_first).limit(1)
            ).first()
            following = conn.execute(
                select(articles).where(older, *conditions).order_by(*NEWEST_FIRST).limit(1)
            ).first()
        return (
            _stored_article(previous) if previous is not None else None,
            _stored_article(following) if following is not None else None,
        )
