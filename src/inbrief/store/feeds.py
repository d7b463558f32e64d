"""Feed subscriptions in the store, and what the poller last learned about each feed.

Polling itself (fetching, parsing, storing entries) is :mod:`inbrief.feeds`; this module only
keeps its records.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, Executable, Row, bindparam, delete, func, or_, select, update

from inbrief.errors import StoreError
from inbrief.store.base import INSERT_ATTEMPTS, StoreBase
from inbrief.store.identity import url_key
from inbrief.store.schema import articles, feeds


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
    category: str | None = None
    # The poller's schedule (inbrief.feeds.schedule): when it is next due (None: now), the
    # polls in a row that failed, and the feed's own interval in seconds (None: the default).
    next_poll_at: datetime | None = None
    failures: int = 0
    poll_interval: float | None = None


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
        category=row.category,
        next_poll_at=row.next_poll_at,
        failures=row.failures,
        poll_interval=row.poll_interval,
    )


class FeedsMixin(StoreBase):
    """The :class:`~inbrief.store.Store` methods that subscribe to and record feeds."""

    def add_feed(
        self, url: str, title: str | None = None, category: str | None = None
    ) -> tuple[StoredFeed, bool]:
        """Subscribe to a feed unless already subscribed; ``True`` when this call added it.

        The URL is stored in :func:`~inbrief.store.url_key` form, so trivially different
        spellings of one feed are one subscription.  ``category`` is the folder it is filed
        under ("Tech/Linux"); a feed already subscribed keeps its own title and category.
        """
        with self._writing() as conn:
            return self._subscribe(conn, self._subscribing(), url_key(url), title, category)

    def add_feeds(
        self, wanted: Sequence[tuple[str, str | None, str | None]]
    ) -> tuple[tuple[StoredFeed, bool], ...]:
        """Subscribe to each ``(url, title, category)`` as :meth:`add_feed` does, all in one
        transaction (an OPML import: one commit, not thousands); a feed already subscribed
        gains the title and category given where it has none.  In the order given."""
        # Statements with bound parameters, built once: an import runs them thousands of times,
        # and building each anew was most of an import's time.
        statements = self._subscribing()
        with self._writing() as conn:
            return tuple(
                self._subscribe(conn, statements, url_key(url), title, category, fill=True)
                for url, title, category in wanted
            )

    def _subscribe(
        self,
        conn: Connection,
        statements: tuple[Executable, Executable],
        url: str,
        title: str | None,
        category: str | None,
        *,
        fill: bool = False,
    ) -> tuple[StoredFeed, bool]:
        insert, find = statements
        for _ in range(INSERT_ATTEMPTS):
            given = {"url": url, "title": title, "category": category, "now": datetime.now(UTC)}
            inserted = conn.execute(insert, given).first()
            if inserted is not None:
                return _stored_feed(inserted), True
            existing = conn.execute(find, {"url": url}).first()
            if existing is None:
                continue
            gaps = {"title": title} if existing.title is None and title else {}
            if existing.category is None and category:
                gaps["category"] = category
            if fill and gaps:
                existing = conn.execute(
                    update(feeds).where(feeds.c.id == existing.id).values(gaps).returning(*feeds.c)
                ).one()
            return _stored_feed(existing), False
        raise StoreError("the feed kept colliding with rows being deleted; try again")

    def _subscribing(self) -> tuple[Executable, Executable]:
        insert = (
            self._backend.insert(feeds)
            .values(
                url=bindparam("url"),
                title=bindparam("title"),
                category=bindparam("category"),
                added_at=bindparam("now"),
            )
            .on_conflict_do_nothing()
            .returning(*feeds.c)
        )
        return insert, select(feeds).where(feeds.c.url == bindparam("url"))

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
        category: str | Keep | None = KEEP,
        next_poll_at: datetime | Keep | None = KEEP,
        failures: int | Keep = KEEP,
        poll_interval: float | Keep | None = KEEP,
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
                ("category", category),
                ("next_poll_at", next_poll_at),
                ("failures", failures),
                ("poll_interval", poll_interval),
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

    def due_feeds(self, now: datetime) -> tuple[StoredFeed, ...]:
        """The feeds due at ``now`` (never polled, or ``next_poll_at`` passed), longest
        overdue first."""
        with self._reading() as conn:
            rows = conn.execute(
                select(feeds)
                .where(_due(now))
                .order_by(feeds.c.next_poll_at.is_not(None), feeds.c.next_poll_at, feeds.c.id)
            ).all()
        return tuple(_stored_feed(row) for row in rows)

    def claim_feed(self, feed_id: int, now: datetime, until: datetime) -> StoredFeed | None:
        """Take a due feed for polling: its ``next_poll_at`` moves to ``until`` unless another
        process moved it first.  The feed, or ``None`` when it is not due (any more).

        One UPDATE with the due test in its WHERE, so of two pollers racing for one due time
        exactly one wins; ``until`` frees the feed again should its poller die mid-poll.
        """
        with self._writing() as conn:
            row = conn.execute(
                update(feeds)
                .where(feeds.c.id == feed_id, _due(now))
                .values(next_poll_at=until)
                .returning(*feeds.c)
            ).first()
        return _stored_feed(row) if row is not None else None

    def next_poll_due(self) -> datetime | None:
        """The earliest ``next_poll_at`` of any feed (a feed never polled counts as the epoch
        start), or ``None`` with no feeds."""
        with self._reading() as conn:
            never = conn.scalar(
                select(func.count()).select_from(feeds).where(feeds.c.next_poll_at.is_(None))
            )
            earliest = conn.scalar(select(func.min(feeds.c.next_poll_at)))
        if never:
            return datetime.min.replace(tzinfo=UTC)
        return earliest

    def feed_article_counts(self) -> dict[int, int]:
        """How many stored articles each feed brought, by feed id (feeds with none left out)."""
        with self._reading() as conn:
            rows = conn.execute(
                select(articles.c.feed_id, func.count())
                .where(articles.c.feed_id.is_not(None))
                .group_by(articles.c.feed_id)
            ).all()
        return {int(feed_id): int(count) for feed_id, count in rows}


def _due(now: datetime) -> Any:
    return or_(feeds.c.next_poll_at.is_(None), feeds.c.next_poll_at <= now)
