"""The articles of one day, and the days around it: what "Today in brief" reads.

A day's articles are those the listing files under it (:func:`~inbrief.store.listing.listing_day`:
the publication day, else the day, in UTC, the article was added), read through the same
indexed column the listing sorts by::

    day = day_articles(store, date(2026, 3, 2))       # oldest first, at most DAY_LIMIT
    day.articles, day.total                           # total counts those left out too
    earlier, later = neighbouring_days(store, date(2026, 3, 2))
    older = articles_before(store, date(2026, 3, 2), 200)   # newest first

These are functions over a :class:`~inbrief.store.Store` rather than methods on it, so that the
shared store modules stay as they are; they use its transactions and its row reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from inbrief.store.articles import StoredArticle, _stored_article
from inbrief.store.base import StoreBase
from inbrief.store.schema import articles

DAY_LIMIT = 400
"""Articles of one day read at most, the earliest added first: grouping compares every pair,
and a day past this is a bulk import rather than a day of news."""


@dataclass(frozen=True)
class DayArticles:
    """The articles filed under ``day``, oldest added first; ``total`` counts them all, also
    those past the ``limit`` that were not read."""

    day: date
    articles: tuple[StoredArticle, ...]
    total: int


def day_articles(store: StoreBase, day: date, limit: int = DAY_LIMIT) -> DayArticles:
    """The articles the listing files under ``day``, in the order they were added."""
    if limit < 1:
        raise ValueError(f"limit must be 1 or more, got {limit}")
    on_day = articles.c.listing_day == day
    with store._reading() as conn:
        total = conn.scalar(select(func.count()).select_from(articles).where(on_day)) or 0
        rows = conn.execute(
            select(articles).where(on_day).order_by(articles.c.added_at, articles.c.id).limit(limit)
        ).all()
    return DayArticles(day, tuple(_stored_article(row) for row in rows), total)


def neighbouring_days(store: StoreBase, day: date) -> tuple[date | None, date | None]:
    """The nearest day before ``day`` and the nearest after it that have articles (or None)."""
    column = articles.c.listing_day
    with store._reading() as conn:
        earlier = conn.scalar(select(func.max(column)).where(column < day))
        later = conn.scalar(select(func.min(column)).where(column > day))
    return _as_date(earlier), _as_date(later)


def latest_day(store: StoreBase) -> date | None:
    """The newest day that has articles, or None for an empty store."""
    with store._reading() as conn:
        return _as_date(conn.scalar(select(func.max(articles.c.listing_day))))


def _as_date(value: object) -> date | None:
    # SQLite hands back what the Date type stored; an aggregate over it can come back as text.
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def articles_before(store: StoreBase, day: date, limit: int) -> tuple[StoredArticle, ...]:
    """Up to ``limit`` of the articles filed under days before ``day``, the newest first."""
    if limit < 1:
        return ()
    column = articles.c.listing_day
    with store._reading() as conn:
        rows = conn.execute(
            select(articles)
            .where(column < day)
            .order_by(column.desc(), articles.c.added_at.desc(), articles.c.id.desc())
            .limit(limit)
        ).all()
    return tuple(_stored_article(row) for row in rows)
