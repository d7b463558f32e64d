"""The schema's history, one numbered step at a time, applied to any database that lacks them.

Opening a database runs every step it lacks inside the opening transaction, so a database an
older inbrief wrote is upgraded in place, and one a newer inbrief wrote is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    bindparam,
    delete,
    func,
    inspect,
    select,
    update,
)

from inbrief.errors import StoreError
from inbrief.store.dialects import Backend
from inbrief.store.identity import text_key
from inbrief.store.listing import listing_day
from inbrief.store.schema import (
    MEDIA_COLUMNS,
    articles,
    articles_listing,
    articles_text_key,
    schema_version,
)

# The tables exactly as version 1 created them, frozen: later steps change them from here.
_V1 = MetaData()
_V1_TIMESTAMP = DateTime(timezone=True)
Table(
    "feeds",
    _V1,
    Column("id", Integer, primary_key=True),
    Column("url", Text, nullable=False, unique=True),
    Column("title", Text),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", _V1_TIMESTAMP),
    Column("last_error", Text),
    Column("added_at", _V1_TIMESTAMP, nullable=False),
    sqlite_autoincrement=True,
)
Table(
    "articles",
    _V1,
    Column("id", Integer, primary_key=True),
    Column("source_url", Text),
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
    Column("added_at", _V1_TIMESTAMP, nullable=False),
    Index("articles_added_at_id", "added_at", "id"),
    Index("articles_language", "language"),
    Index("articles_feed_id", "feed_id"),
    sqlite_autoincrement=True,
)
Table(
    "summaries",
    _V1,
    Column("cache_key", Text, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id", ondelete="CASCADE"), nullable=False),
    Column("method", Text, nullable=False),
    Column("method_version", Text, nullable=False),
    Column("budget", Text, nullable=False),
    Column("language", Text),
    Column("payload", Text, nullable=False),
    Column("created_at", _V1_TIMESTAMP, nullable=False),
    Index("summaries_article_id", "article_id"),
)

# The lease table exactly as version 6 created it.
_V6 = MetaData()
Table(
    "leases",
    _V6,
    Column("name", Text, primary_key=True),
    Column("holder", Text, nullable=False),
    Column("expires_at", _V1_TIMESTAMP, nullable=False),
)

# Rows read and keyed at a time when migration 3 fills the text key of stored articles.
_TEXT_KEY_BATCH = 500
# Rows read at a time when migration 4 fills the listing day of stored articles.
_LISTING_DAY_BATCH = 500


@dataclass(frozen=True)
class _Migration:
    """One step of schema history; ``apply`` runs inside the opening transaction."""

    version: int
    description: str
    apply: Callable[[Connection, Backend], None]


def _create_tables(conn: Connection, _backend: Backend) -> None:
    _V1.create_all(conn)


def _create_search_index(conn: Connection, backend: Backend) -> None:
    backend.create_search_index(conn)


def _add_text_key(conn: Connection, _backend: Backend) -> None:
    """Key every stored article by its normalised text (:func:`~inbrief.store.text_key`).

    Copies of one story that an older inbrief stored twice are all kept, so that no link to
    one breaks: the earliest holds the key, and the others keep none (``NULL``).
    """
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN text_key TEXT")
    seen: set[str] = set()
    last_id = 0
    while True:
        rows = conn.execute(
            select(articles.c.id, articles.c.text)
            .where(articles.c.id > last_id)
            .order_by(articles.c.id)
            .limit(_TEXT_KEY_BATCH)
        ).all()
        if not rows:
            break
        last_id = rows[-1].id
        keyed = []
        for row in rows:
            key = text_key(row.text)
            if key not in seen:
                seen.add(key)
                keyed.append({"row_id": row.id, "key": key})
        if keyed:
            conn.execute(
                update(articles)
                .where(articles.c.id == bindparam("row_id"))
                .values(text_key=bindparam("key")),
                keyed,
            )
    articles_text_key.create(conn)


def _add_listing_day(conn: Connection, _backend: Backend) -> None:
    """List articles by publication day (:func:`~inbrief.store.listing.listing_day`), not by
    when they were added: the day of every stored article, and the index the order uses."""
    conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN listing_day DATE")
    last_id = 0
    while rows := conn.execute(
        select(articles.c.id, articles.c.published, articles.c.added_at)
        .where(articles.c.id > last_id)
        .order_by(articles.c.id)
        .limit(_LISTING_DAY_BATCH)
    ).all():
        last_id = rows[-1].id
        conn.execute(
            update(articles)
            .where(articles.c.id == bindparam("row_id"))
            .values(listing_day=bindparam("day")),
            [{"row_id": r.id, "day": listing_day(r.published, r.added_at)} for r in rows],
        )
    conn.exec_driver_sql("DROP INDEX articles_added_at_id")
    articles_listing.create(conn)


def _add_media(conn: Connection, _backend: Backend) -> None:
    """Room for the top image, description, tags, categories and videos; stored articles keep
    none (``NULL``): their pages are gone, and re-reading them is no upgrade's business."""
    for name in MEDIA_COLUMNS:
        conn.exec_driver_sql(f"ALTER TABLE articles ADD COLUMN {name} TEXT")


def _add_polling(conn: Connection, _backend: Backend) -> None:
    """The poller's state on each feed, and the lease that lets one process poll: feeds
    subscribed before are due at once (``next_poll_at`` NULL), with no failures counted."""
    timestamp = _V1_TIMESTAMP.compile(dialect=conn.dialect)
    seconds = Float().compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE feeds ADD COLUMN next_poll_at {timestamp}")
    conn.exec_driver_sql("ALTER TABLE feeds ADD COLUMN failures INTEGER NOT NULL DEFAULT 0")
    conn.exec_driver_sql(f"ALTER TABLE feeds ADD COLUMN poll_interval {seconds}")
    _V6.create_all(conn)


def _add_feed_category(conn: Connection, _backend: Backend) -> None:
    """Room for the folder an OPML file filed a feed under; feeds subscribed before are in none."""
    conn.exec_driver_sql("ALTER TABLE feeds ADD COLUMN category TEXT")


# The change counters of version 8 (schema.store_changes), frozen as created.
_V8 = MetaData()
Table(
    "store_changes",
    _V8,
    Column("name", Text, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("changed_at", Float, nullable=False),
)
# What each watched table's triggers fire on: a feed's poll state changes every poll and no
# page shows it, so only its address and title count.
_CHANGES_ON = {
    "articles": ("INSERT", "UPDATE", "DELETE"),
    "summaries": ("INSERT", "UPDATE", "DELETE"),
    "feeds": ("INSERT", "UPDATE OF url, title", "DELETE"),
}
_SQLITE_NOW = "(julianday('now') - 2440587.5) * 86400.0"
# One function for every watched table, which it is told by the trigger's argument.
_POSTGRESQL_BUMP = (
    "CREATE FUNCTION inbrief_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "UPDATE store_changes SET version = version + 1, "
    "changed_at = extract(epoch FROM clock_timestamp()) WHERE name = TG_ARGV[0]; "
    "RETURN NULL; END $$"
)


def _add_change_counters(conn: Connection, backend: Backend) -> None:
    """Count every change to articles, summaries and feeds in the database itself, so that a
    reader's cached page is checked against any writer: another process, or plain SQL.

    SQLite counts per row (it has no statement triggers; its writers take turns anyway).
    PostgreSQL counts per statement, *before* the statement takes its row locks: every writer
    then locks the one counter row first, so concurrent writers queue on it instead of
    deadlocking on it, and a bulk insert counts once.
    """
    _V8.create_all(conn)
    conn.execute(
        _V8.tables["store_changes"].insert(),
        [{"name": name, "version": 0, "changed_at": 0.0} for name in _CHANGES_ON],
    )
    if backend.name == "postgresql":
        conn.exec_driver_sql(_POSTGRESQL_BUMP)
    for name, events in _CHANGES_ON.items():
        if backend.name == "postgresql":
            conn.exec_driver_sql(
                f"CREATE TRIGGER store_changes_{name} BEFORE {' OR '.join(events)} OR TRUNCATE "
                f"ON {name} FOR EACH STATEMENT EXECUTE FUNCTION inbrief_store_changed('{name}')"
            )
            continue
        for event in events:
            conn.exec_driver_sql(
                f"CREATE TRIGGER store_changes_{name}_{event.split()[0].lower()} "
                f"AFTER {event} ON {name} BEGIN UPDATE store_changes SET "
                f"version = version + 1, changed_at = {_SQLITE_NOW} WHERE name = '{name}'; END"
            )


# New databases are built by these same steps, from the frozen version 1 up: a change to
# schema.py takes effect only through a step here.
_MIGRATIONS = (
    _Migration(1, "articles, feeds and summaries", _create_tables),
    _Migration(2, "full-text search over article titles and text", _create_search_index),
    _Migration(3, "articles identified by their normalised text", _add_text_key),
    _Migration(4, "articles listed by publication day", _add_listing_day),
    _Migration(5, "articles' top image, description, tags, categories and videos", _add_media),
    _Migration(6, "feeds polled on a schedule, by one process at a time", _add_polling),
    _Migration(7, "feeds filed under categories (OPML folders)", _add_feed_category),
    _Migration(
        8, "changes to articles, summaries and feeds counted by the database", _add_change_counters
    ),
)
SCHEMA_VERSION = _MIGRATIONS[-1].version
"""The schema version this inbrief writes; :meth:`Store.open` upgrades older databases to it."""


def migrate(conn: Connection, backend: Backend) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION` inside the caller's transaction.

    Returns the version the database had before: 0 for a new database.
    """
    backend.lock_schema(conn)
    if inspect(conn).has_table(schema_version.name):
        current = conn.scalar(select(func.max(schema_version.c.version))) or 0
    else:
        schema_version.create(conn)
        current = 0
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"the database has schema version {current}, newer than this inbrief understands "
            f"({SCHEMA_VERSION}); upgrade inbrief to use it"
        )
    for migration in _MIGRATIONS:
        if migration.version > current:
            migration.apply(conn, backend)
    if current < SCHEMA_VERSION:
        conn.execute(delete(schema_version))
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
    return current
