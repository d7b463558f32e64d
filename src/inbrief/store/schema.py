"""The tables as this inbrief writes them, and the one order articles are listed in.

:mod:`inbrief.store.migrations` builds every database, new or older, up to these definitions.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.sql.expression import UnaryExpression


class _UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware, in UTC.

    PostgreSQL stores ``timestamptz``.  SQLite has no timestamp type and SQLAlchemy writes
    naive ISO text there, so values are converted to UTC first: the text then sorts in time
    order, which the listing order and :meth:`Store.neighbours` rely on.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"timestamps must be timezone-aware, got {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

# AUTOINCREMENT on SQLite: an id is never reused, so a link to a deleted article never shows
# another one.  PostgreSQL sequences never reuse ids anyway.
feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", _UTCDateTime),
    Column("last_error", Text),
    Column("added_at", _UTCDateTime, nullable=False),
    sqlite_autoincrement=True,
)
# The folder an OPML file filed the feed under, outer folders first ("Tech/Linux"), from schema
# version 7; NULL for a feed in no folder (:mod:`inbrief.feeds.opml`).
feeds.append_column(Column("category", Text))
# The poller's schedule for each feed, from schema version 6 (:mod:`inbrief.feeds.schedule`):
# when it is next due (NULL: now), how many polls in a row failed, and its own interval in
# seconds (NULL: the reader's default).
feeds.append_column(Column("next_poll_at", _UTCDateTime))
feeds.append_column(Column("failures", Integer, nullable=False, server_default=text("0")))
feeds.append_column(Column("poll_interval", Float))

# Named leases (:mod:`inbrief.store.lease`), from schema version 6: a row is held by one
# process until it expires, so that of many readers on one database only one polls feeds.
leases = Table(
    "leases",
    metadata,
    Column("name", Text, primary_key=True),
    Column("holder", Text, nullable=False),
    Column("expires_at", _UTCDateTime, nullable=False),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_url", Text),
    # NULL for articles without a web URL (a file, stdin): unique constraints allow many NULLs.
    Column("canonical_url", Text, unique=True),
    Column("origin", Text, nullable=False),
    Column("title", Text),
    Column("author", Text),
    Column("published", Text),
    Column("language", Text),
    Column("site", Text),
    Column("text", Text, nullable=False),
    Column("content_hash", Text, nullable=False, unique=True),
    Column("complete", Boolean, nullable=False),
    Column("incomplete_reason", Text),
    Column("feed_id", Integer, ForeignKey("feeds.id", ondelete="SET NULL")),
    Column("added_at", _UTCDateTime, nullable=False),
    Index("articles_language", "language"),
    Index("articles_feed_id", "feed_id"),
    sqlite_autoincrement=True,
)
# The digest of the normalised text (:func:`~inbrief.store.text_key`), from schema version 3;
# NULL only on a later copy of a story that an older inbrief had stored twice.
articles.append_column(Column("text_key", Text))
articles_text_key = Index("articles_text_key", articles.c.text_key, unique=True)
# The day the listing files an article under (:mod:`~inbrief.store.listing`): published, else
# added; from schema version 4.  Always set by the store: nullable only because SQLite cannot
# add a NOT NULL column to a table that has rows.
articles.append_column(Column("listing_day", Date))
articles_listing = Index(
    "articles_listing", articles.c.listing_day, articles.c.added_at, articles.c.id
)
# What the page gives besides the text, from schema version 5: the top image's address and its
# alternative text, the page's description, and the publisher's tags, categories and video links
# as JSON arrays of strings (NULL on articles stored before, read as none).
MEDIA_COLUMNS = ("image", "image_alt", "description", "tags", "categories", "videos")
for _name in MEDIA_COLUMNS:
    articles.append_column(Column(_name, Text))

summaries = Table(
    "summaries",
    metadata,
    Column("cache_key", Text, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("method", Text, nullable=False),
    Column("method_version", Text, nullable=False),
    Column("budget", Text, nullable=False),
    Column("language", Text),
    Column("payload", Text, nullable=False),
    Column("created_at", _UTCDateTime, nullable=False),
    # Deleting an article cascades here; without an index each delete scans the cache.
    Index("summaries_article_id", "article_id"),
)

# How far each table has changed, from schema version 8: one row per watched table, whose
# ``version`` the database's own triggers raise on every INSERT, UPDATE and DELETE of it (a
# feed only when its address or title changes, not on every poll), with the time in seconds
# since 1970 (``changed_at``). Readers compare versions to know, in one small query, that
# nothing a page shows changed, whichever process or plain SQL statement wrote
# (:meth:`~inbrief.store.Store.changes`).
store_changes = Table(
    "store_changes",
    metadata,
    Column("name", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("changed_at", Float, nullable=False),
)
WATCHED_TABLES = ("articles", "summaries", "feeds")
"""The tables :data:`store_changes` counts the changes of, by name."""

# Its own MetaData: it records which migrations ran, so it is no table of theirs to create.
schema_version = Table("schema_version", MetaData(), Column("version", Integer, nullable=False))

NEWEST_FIRST: tuple[UnaryExpression[Any], ...] = (
    articles.c.listing_day.desc(),
    articles.c.added_at.desc(),
    articles.c.id.desc(),
)
"""The one listing order: newest first by publication day, the day added for an article without
a date (:func:`~inbrief.store.listing.listing_day`), then the later added, then the higher id."""
