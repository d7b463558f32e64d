"""Feed subscriptions in the store, and what the poller last learned about each feed.

Polling itself (fetching, parsing, storing entries) is :mod:`inbrief.feeds`; this module only
keeps its records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Row, delete, select, update

from inbrief.errors import StoreError
from inbrief.store.base import INSERT_ATTEMPTS, StoreBase
from inbrief.store.identity import url_key
from inbrief.store.schema import feeds


@dataclass(frozen=True)
class StoredFeed:
    """A subscribed RSS/Atom feed and what the poller last learned about it."""

    id: int
    url: str
    added_at: datetime
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    last_polled_at: datetime | None = None
    last_error: str | None = None


class Keep(Enum):
    """The type of :data:`KEEP`."""

    KEEP = "keep"


KEEP = Keep.KEEP
"""Default of :meth:`Store.update_feed` arguments: leave that field as it is."""

# Ids are INTEGER on PostgreSQL: a larger number names no feed (and the driver refuses it).
_MAX_ID = 2**31 - 1


def _stored_feed(row: Row[Any]) -> StoredFeed:
    return StoredFeed(
        id=row.id,
        url=row.url,
        added_at=row.added_at,
        title=row.title,
        etag=row.etag,
        last_modified=row.last_modified,
        last_polled_at=row.last_polled_at,
        last_error=row.last_error,
    )


class FeedsMixin(StoreBase):
    """The :class:`~inbrief.store.Store` methods that subscribe to and record feeds."""

    def add_feed(self, url: str, title: str | None = None) -> tuple[StoredFeed, bool]:
        """Subscribe to a feed unless already subscribed; ``True`` when this call added it.

        The URL is stored in :func:`~inbrief.store.url_key` form, so trivially different
        spellings of one feed are one subscription.
        """
        url = url_key(url)
        with self._writing() as conn:
            for _ in range(INSERT_ATTEMPTS):
                inserted = conn.execute(
                    self._backend.insert(feeds)
                    .values(url=url, title=title, added_at=datetime.now(UTC))
                    .on_conflict_do_nothing()
                    .returning(*feeds.c)
                ).first()
                if inserted is not None:
                    return _stored_feed(inserted), True
                existing = conn.execute(select(feeds).where(feeds.c.url == url)).first()
                if existing is not None:
                    return _stored_feed(existing), False
        raise StoreError("the feed kept colliding with rows being deleted; try again")

    def get_feed(self, feed_id: int) -> StoredFeed | None:
        """The feed with this id, or ``None``."""
        if not 0 < feed_id <= _MAX_ID:
            return None
        with self._reading() as conn:
            row = conn.execute(select(feeds).where(feeds.c.id == feed_id)).first()
        return _stored_feed(row) if row is not None else None

    def feed_by_url(self, url: str) -> StoredFeed | None:
        """The feed subscribed under ``url`` (any spelling with the same URL key), or ``None``."""
        with self._reading() as conn:
            row = conn.execute(select(feeds).where(feeds.c.url == url_key(url))).first()
        return _stored_feed(row) if row is not None else None

    def list_feeds(self) -> tuple[StoredFeed, ...]:
        """Every feed, in the order they were added."""
        with self._reading() as conn:
            rows = conn.execute(select(feeds).order_by(feeds.c.id)).all()
        return tuple(_stored_feed(row) for row in rows)

    def update_feed(
        self,
        feed_id: int,
        *,
        title: str | Keep | None = KEEP,
        etag: str | Keep | None = KEEP,
        last_modified: str | Keep | None = KEEP,
        last_polled_at: datetime | Keep | None = KEEP,
        last_error: str | Keep | None = KEEP,
    ) -> StoredFeed | None:
        """Record what a poll learned; an argument left out keeps its value, ``None`` clears it.

        Returns the updated feed, or ``None`` if there is no such feed.
        """
        changes = {
            name: value
            for name, value in (
                ("title", title),
                ("etag", etag),
                ("last_modified", last_modified),
                ("last_polled_at", last_polled_at),
                ("last_error", last_error),
            )
            if value is not KEEP
        }
        if not changes:
            return self.get_feed(feed_id)
        with self._writing() as conn:
            row = conn.execute(
                update(feeds).where(feeds.c.id == feed_id).values(changes).returning(*feeds.c)
            ).first()
        return _stored_feed(row) if row is not None else None

    def delete_feed(self, feed_id: int) -> bool:
        """Unsubscribe; its articles stay, no longer linked to a feed.  ``False`` if none."""
        with self._writing() as conn:
            deleted = conn.execute(delete(feeds).where(feeds.c.id == feed_id))
        return deleted.rowcount > 0
