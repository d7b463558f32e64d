"""Persistence: articles, feeds and cached summaries, in SQLite (default) or PostgreSQL.

This is the only module that speaks SQL (SQLAlchemy Core).  Everything crosses its boundary as
frozen dataclasses::

    store = Store.open()                         # SQLite file: $INBRIEF_DATA_DIR/inbrief.db
    stored, created = store.add_article(article, source_url="https://example.org/a")
    page = store.list_articles(offset=0, limit=20)          # newest first
    newer, older = store.neighbours(stored.id)              # the reader's Previous / Next links
    hits = store.search('"climate deal" or emissions -coal')
    store.close()

Where the data lives (:meth:`Store.open`):

* ``None``: a SQLite file ``inbrief.db`` in the data directory, ``$INBRIEF_DATA_DIR`` or else
  ``./var`` relative to the current directory; the directory is created when missing.
* ``sqlite:///path/to/file.db`` or a bare path: that SQLite file.
* ``postgresql://user:password@host:port/database`` (also ``postgres://`` or any
  ``postgresql+driver://``): PostgreSQL through psycopg 3, the ``postgres`` extra
  (``pip install 'inbrief[postgres]'``).

The schema is versioned: opening a database applies, in one transaction, every migration step
it lacks, so a database written by an older inbrief is upgraded in place.

Guarantees:

* Every write is one transaction: no reader ever sees half an article or half a summary.
* An article is stored once: adding one whose canonical URL (:func:`canonical_url`) or text
  (SHA-256, :func:`content_hash`) is already stored returns the stored row.  Unique
  constraints back this, so concurrent writers in threads or processes cannot duplicate a row.
* Listing order is defined once, :data:`NEWEST_FIRST` (``added_at`` descending, then ``id``
  descending), and paging, filters and :meth:`Store.neighbours` all follow it.
* Search has one grammar and one meaning on both databases (see :meth:`Store.search`); input
  that is not valid syntax never raises, it is read as plain words.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import (
    Boolean,
    Column,
    ColumnElement,
    Connection,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Row,
    Table,
    Text,
    TypeDecorator,
    create_engine,
    delete,
    event,
    exc,
    func,
    inspect,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.sql import column, table
from sqlalchemy.sql.expression import FromClause, UnaryExpression

from inbrief.errors import StoreError
from inbrief.models import Article

DATA_DIR_ENV = "INBRIEF_DATA_DIR"
"""Environment variable naming the data directory that holds the default SQLite file."""
DEFAULT_DATA_DIR = Path("var")
DATABASE_FILENAME = "inbrief.db"

# A writer waits this long for another writer's transaction before giving up.  Writes here are
# single rows and take milliseconds, so only a stuck process would exhaust it.
_BUSY_TIMEOUT_SECONDS = 10
_CONNECT_TIMEOUT_SECONDS = 10
# Our own (non-SQLAlchemy) execution option marking a connection that will write.
_WRITES = "inbrief_writes"
# add_article retries when the row it collided with vanished before it could read it.
_INSERT_ATTEMPTS = 3
# Bounds the work one search box can ask of the database.
_MAX_QUERY_ITEMS = 32


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored: its row id, when it was added, and the article itself.

    ``article.url`` is the canonical URL (:func:`canonical_url`) and ``article.date`` the
    published date exactly as extracted.  ``source_url`` is what the article was added from.
    """

    id: int
    added_at: datetime
    article: Article
    content_hash: str
    source_url: str | None = None
    feed_id: int | None = None


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


class Keep(Enum):
    """The type of :data:`KEEP`."""

    KEEP = "keep"


KEEP = Keep.KEEP
"""Default of :meth:`Store.update_feed` arguments: leave that field as it is."""


# --- identity of an article -------------------------------------------------------------------

# Query parameters that only say how a reader arrived; they never change the article.
_TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "ocid"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """The form of a web URL under which an article is stored once.

    Lower-cases the scheme and host, drops the default port, the ``#fragment`` and tracking
    parameters (``utm_*``, ``fbclid``, ``gclid``, ...), and writes an empty path as ``/``.  The
    path and the other parameters are kept as they are: they may well name another article.
    Anything that is not an ``http(s)`` URL is returned stripped of surrounding whitespace.
    """
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: not ours to repair
        return url
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        host = f"{host}:{port}"
    if parts.username is not None:
        credentials = parts.username
        if parts.password is not None:
            credentials += f":{parts.password}"
        host = f"{credentials}@{host}"
    kept = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not name.lower().startswith("utm_") and name.lower() not in _TRACKING_PARAMETERS
    ]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(kept), ""))


def content_hash(text: str) -> str:
    """The SHA-256 of an article's text (UTF-8), hex: the same text is stored once."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _web_url(*candidates: str | None) -> str | None:
    """The canonical form of the first candidate that is an http(s) URL."""
    for candidate in candidates:
        if candidate and urlsplit(candidate.strip()).scheme.lower() in _DEFAULT_PORTS:
            return canonical_url(candidate)
    return None


# --- the current schema -----------------------------------------------------------------------


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


_metadata = MetaData()

# AUTOINCREMENT on SQLite: an id is never reused, so a link to a deleted article never shows
# another one.  PostgreSQL sequences never reuse ids anyway.
feeds = Table(
    "feeds",
    _metadata,
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

articles = Table(
    "articles",
    _metadata,
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
    Index("articles_added_at_id", "added_at", "id"),
    Index("articles_language", "language"),
    Index("articles_feed_id", "feed_id"),
    sqlite_autoincrement=True,
)

summaries = Table(
    "summaries",
    _metadata,
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

_schema_version = Table("schema_version", MetaData(), Column("version", Integer, nullable=False))

NEWEST_FIRST: tuple[UnaryExpression[Any], ...] = (articles.c.added_at.desc(), articles.c.id.desc())
"""The one listing order: newest first, the higher id first among equal ``added_at``."""


# --- search -----------------------------------------------------------------------------------

_SEARCH_ITEM = re.compile(r'(?P<negated>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
_WORD_CHARACTER = re.compile(r"[^\W_]")


@dataclass(frozen=True)
class _SearchGroup:
    """Items that must all match (``required``) while none of ``excluded`` does."""

    required: tuple[str, ...]
    excluded: tuple[str, ...]


def _parse_search(text: str) -> tuple[_SearchGroup, ...]:
    """Read a search box the way :meth:`Store.search` documents; groups are alternatives.

    Each item (a word or a quoted phrase) is kept as its text, without quotes; each database
    splits it into words with the same tokenizer it used on the articles, so both compare like
    with like.  Items with no letter or digit are dropped.
    """
    groups: list[tuple[list[str], list[str]]] = [([], [])]
    pending_or = False
    items = 0
    for match in _SEARCH_ITEM.finditer(_CONTROL_CHARACTERS.sub(" ", text)):
        if items == _MAX_QUERY_ITEMS:
            break
        item = match["phrase"] if match["phrase"] is not None else match["word"]
        negated = bool(match["negated"])
        is_or = match["word"] is not None and not negated and item.lower() == "or"
        if is_or and (groups[-1][0] or groups[-1][1]):  # "or" after an item is the operator
            pending_or = True
            continue
        if not _WORD_CHARACTER.search(item):
            continue
        if pending_or:
            groups.append(([], []))
            pending_or = False
        groups[-1][1 if negated else 0].append(item.strip())
        items += 1
    if pending_or:  # a trailing "or" is a word
        groups[-1][0].append("or")
    # A group must say what to find: "-coal" alone would match nearly every article.
    return tuple(
        _SearchGroup(tuple(required), tuple(excluded)) for required, excluded in groups if required
    )


def _fts5_query(groups: Sequence[_SearchGroup]) -> str:
    """The groups as an FTS5 expression; every item is a quoted FTS5 string, never syntax."""

    def group(g: _SearchGroup) -> str:
        required = " AND ".join(f'"{item}"' for item in g.required)
        return "(" + required + "".join(f' NOT "{item}"' for item in g.excluded) + ")"

    return " OR ".join(group(g) for g in groups)


def _websearch_query(groups: Sequence[_SearchGroup]) -> str:
    """The groups in PostgreSQL's websearch syntax: quoted items, ``-`` and ``or`` only."""

    def group(g: _SearchGroup) -> str:
        return " ".join(
            [f'"{item}"' for item in g.required] + [f'-"{item}"' for item in g.excluded]
        )

    return " or ".join(group(g) for g in groups)


@dataclass(frozen=True)
class _TextMatch:
    """How one backend restricts a query to full-text matches and orders them best first."""

    source: FromClause
    condition: ColumnElement[bool]
    best_first: ColumnElement[Any]


# --- the two databases ------------------------------------------------------------------------


class _Backend(ABC):
    """What differs between SQLite and PostgreSQL; the :class:`Store` holds one of these."""

    name: Literal["sqlite", "postgresql"]

    @abstractmethod
    def insert(self, target: Table) -> Any:
        """An INSERT construct that supports ``on_conflict_do_nothing`` / ``_do_update``."""

    @abstractmethod
    def text_match(self, groups: Sequence[_SearchGroup]) -> _TextMatch:
        """Restrict ``articles`` to rows matching ``groups``, with a best-first order."""

    @abstractmethod
    def create_search_index(self, conn: Connection) -> None:
        """Migration 2: build the full-text index over every stored article."""

    @abstractmethod
    def lock_schema(self, conn: Connection) -> None:
        """Keep two processes from migrating one database at the same time."""

    def reading(self, conn: Connection) -> Connection:
        """Prepare a connection for a read transaction that must see one snapshot."""
        return conn


class _SQLite(_Backend):
    name = "sqlite"
    # External-content FTS5 table: the text lives once, in ``articles``; triggers keep the
    # index in step inside the writing transaction.  Diacritics are kept, as PostgreSQL's
    # 'simple' configuration keeps them: on both, "ecole" does not find "école".
    _FTS = table("articles_fts", column("rowid", Integer))
    _FTS_DDL = (
        "CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        "CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
        "CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END",
        "CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN "
        "INSERT INTO articles_fts(articles_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
        "INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')",
    )

    def insert(self, target: Table) -> Any:
        return sqlite.insert(target)

    def text_match(self, groups: Sequence[_SearchGroup]) -> _TextMatch:
        fts: ColumnElement[Any] = literal_column("articles_fts")
        # bm25 weights per column (title, text): a title hit counts 2.5 times a body hit,
        # the ratio of PostgreSQL's default weights for the A and B labels used there.
        return _TextMatch(
            source=articles.join(self._FTS, self._FTS.c.rowid == articles.c.id),
            condition=fts.op("MATCH")(_fts5_query(groups)),
            best_first=func.bm25(fts, literal_column("2.5"), literal_column("1.0")).asc(),
        )

    def create_search_index(self, conn: Connection) -> None:
        for statement in self._FTS_DDL:
            conn.exec_driver_sql(statement)

    def lock_schema(self, conn: Connection) -> None:
        """Nothing to do: the migrating transaction began IMMEDIATE, holding the write lock."""


class _PostgreSQL(_Backend):
    name = "postgresql"
    # The GIN index of migration 2 is built on exactly this expression, and queries must repeat
    # it verbatim for the planner to use the index: changing it needs a migration that rebuilds
    # the index.  'simple' lower-cases and keeps every word (no stemming, no stop words).
    _DOCUMENT = (
        "(setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('simple'::regconfig, text), 'B'))"
    )
    # Taken by every process that migrates this database; any fixed number would do.
    _MIGRATION_LOCK = 0x1B_B71E_F5

    def insert(self, target: Table) -> Any:
        return postgresql.insert(target)

    def text_match(self, groups: Sequence[_SearchGroup]) -> _TextMatch:
        document: ColumnElement[Any] = literal_column(self._DOCUMENT)
        query = func.websearch_to_tsquery(
            literal_column("'simple'::regconfig"), _websearch_query(groups)
        )
        return _TextMatch(
            source=articles,
            condition=document.op("@@")(query),
            best_first=func.ts_rank(document, query).desc(),
        )

    def create_search_index(self, conn: Connection) -> None:
        conn.exec_driver_sql(
            f"CREATE INDEX articles_search ON articles USING gin ({self._DOCUMENT})"
        )

    def lock_schema(self, conn: Connection) -> None:
        conn.execute(select(func.pg_advisory_xact_lock(self._MIGRATION_LOCK)))

    def reading(self, conn: Connection) -> Connection:
        # A page and its total are two statements; one snapshot keeps them consistent.
        return conn.execution_options(isolation_level="REPEATABLE READ")


# --- migrations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Migration:
    """One step of schema history; ``apply`` runs inside the opening transaction."""

    version: int
    description: str
    apply: Callable[[Connection, _Backend], None]


def _create_tables(conn: Connection, _backend: _Backend) -> None:
    # The tables have not changed since version 1, so the current definitions create them.
    # The day one changes, freeze the version-1 definitions here and add a migration.
    _metadata.create_all(conn, tables=[feeds, articles, summaries])


def _create_search_index(conn: Connection, backend: _Backend) -> None:
    backend.create_search_index(conn)


_MIGRATIONS = (
    _Migration(1, "articles, feeds and summaries", _create_tables),
    _Migration(2, "full-text search over article titles and text", _create_search_index),
)
SCHEMA_VERSION = _MIGRATIONS[-1].version
"""The schema version this inbrief writes; :meth:`Store.open` upgrades older databases to it."""


def _migrate(conn: Connection, backend: _Backend) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION` inside the caller's transaction."""
    backend.lock_schema(conn)
    if inspect(conn).has_table(_schema_version.name):
        current = conn.scalar(select(func.max(_schema_version.c.version))) or 0
    else:
        _schema_version.create(conn)
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
        conn.execute(delete(_schema_version))
        conn.execute(_schema_version.insert().values(version=SCHEMA_VERSION))


# --- opening a database -----------------------------------------------------------------------


def _default_database() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR) / DATABASE_FILENAME


def _sqlite_engine(path: Path) -> Engine:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot create the data directory {path.parent}: {error.strerror or error}; "
            f"choose a writable place with {DATA_DIR_ENV} or a sqlite:/// URL"
        ) from error
    # File databases get a QueuePool and check_same_thread=False from SQLAlchemy, which is
    # what a threaded web server needs: each thread checks out its own connection.
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(path)),
        connect_args={"timeout": _BUSY_TIMEOUT_SECONDS},
    )

    @event.listens_for(engine, "connect")
    def configure(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below) to choose IMMEDIATE for writers; the sqlite3
        # module's own implicit BEGIN is always deferred and skips DDL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_SECONDS * 1000}")
        # WAL: readers never block the writer nor the writer the readers.
        cursor.execute("PRAGMA journal_mode = WAL")
        # FULL: a commit reaches the disk before add_article returns, so an article the reader
        # acknowledged survives a power cut, not only a crash (NORMAL may lose the last
        # commits then).  It costs one fsync per write, 2.7 ms on the project machine.
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # A writer takes the write lock up front (IMMEDIATE), so it waits its turn under
        # busy_timeout; a deferred transaction that read first would fail instead of waiting.
        writes = conn.get_execution_options().get(_WRITES, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def _postgresql_engine(url: URL) -> Engine:
    if importlib.util.find_spec("psycopg") is None:
        raise StoreError("PostgreSQL needs the psycopg driver: pip install 'inbrief[postgres]'")
    connect_args = (
        {} if "connect_timeout" in url.query else {"connect_timeout": _CONNECT_TIMEOUT_SECONDS}
    )
    # pre_ping: a server restart leaves dead connections in the pool; test before use.
    return create_engine(
        url.set(drivername="postgresql+psycopg"),
        connect_args=connect_args,
        pool_pre_ping=True,
    )


def _engine_for(url: str | None) -> tuple[Engine, _Backend, str]:
    """The engine, backend and a printable location (password hidden) for ``url``."""
    if url is None or "://" not in url:
        path = Path(url).expanduser() if url else _default_database()
        return _sqlite_engine(path), _SQLite(), str(path)
    try:
        parsed = make_url(url)
    except (exc.ArgumentError, ValueError) as error:  # ValueError: a port that is not a number
        raise StoreError(
            # The URL is not repeated: it may hold a password.
            "not a database URL; use sqlite:///path/to/file.db "
            "or postgresql://user:password@host:port/database"
        ) from error
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise StoreError(
                "an in-memory SQLite database is not supported (each connection would see its "
                "own empty database); give a file, e.g. sqlite:///var/inbrief.db"
            )
        path = Path(parsed.database or "")
        return _sqlite_engine(path), _SQLite(), str(path)
    if backend in ("postgresql", "postgres"):
        return (
            _postgresql_engine(parsed),
            _PostgreSQL(),
            parsed.render_as_string(hide_password=True),
        )
    raise StoreError(
        f"unsupported database {parsed.drivername!r}; use sqlite:///path/to/file.db "
        "or postgresql://user:password@host/database"
    )


def _reason(error: exc.DBAPIError) -> str:
    """The driver's own words, first line: enough to act on, without a traceback."""
    lines = [line.strip() for line in str(error.orig or error).splitlines() if line.strip()]
    return lines[0] if lines else type(error.orig or error).__name__


# --- the store --------------------------------------------------------------------------------


def _stored_article(row: Row[Any]) -> StoredArticle:
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
        ),
    )


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


def _check_page(offset: int, limit: int) -> None:
    if offset < 0:
        raise ValueError(f"offset must be 0 or more, got {offset}")
    if limit < 1:
        raise ValueError(f"limit must be 1 or more, got {limit}")


def _filters(language: str | None, feed_id: int | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if language is not None:
        conditions.append(articles.c.language == language)
    if feed_id is not None:
        conditions.append(articles.c.feed_id == feed_id)
    return conditions


class Store:
    """Articles, feeds and cached summaries in one database; safe to share between threads.

    Build it with :meth:`Store.open`; close it with :meth:`close` or a ``with`` block.  Every
    method runs in its own transaction and raises :class:`StoreError` when the database fails.
    """

    def __init__(self, engine: Engine, backend: _Backend, location: str) -> None:
        self._engine = engine
        self._backend = backend
        self._location = location

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open (creating or upgrading as needed) the database at ``url``.

        ``None`` is the SQLite file ``inbrief.db`` in ``$INBRIEF_DATA_DIR``, else in ``./var``
        under the current directory.  A ``sqlite:///`` URL or a bare path names another SQLite
        file; ``postgresql://`` (or ``postgres://``) URLs use PostgreSQL through psycopg.
        Raises :class:`StoreError` for a bad URL, an unreachable server, an unwritable path or
        a database from a newer inbrief.
        """
        engine, backend, location = _engine_for(url)
        store = cls(engine, backend, location)
        try:
            with store._writing() as conn:
                _migrate(conn, backend)
        except BaseException:
            engine.dispose()
            raise
        return store

    @property
    def backend(self) -> Literal["sqlite", "postgresql"]:
        """Which database this store uses."""
        return self._backend.name

    @property
    def location(self) -> str:
        """Where the data lives: a file path, or the URL with its password hidden."""
        return self._location

    def close(self) -> None:
        """Close every pooled connection (a later call would open new ones)."""
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    # -- transactions

    @contextmanager
    def _errors(self, conflict: str | None) -> Iterator[None]:
        """Turn driver errors into :class:`StoreError`; ``conflict`` words a broken constraint."""
        try:
            yield
        except exc.IntegrityError as error:
            raise StoreError(conflict or f"database {self._location}: {_reason(error)}") from error
        except exc.DBAPIError as error:
            raise StoreError(f"database {self._location}: {_reason(error)}") from error
        except UnicodeEncodeError as error:
            # The driver encodes every string as UTF-8: a lone surrogate (from a JSON "\ud800")
            # cannot be, and would otherwise escape as a bare UnicodeEncodeError.
            raise StoreError(
                f"text holding {error.object[error.start : error.end]!r}, which is not a "
                "character, cannot be stored; replace it (inbrief.sources.storable_text does)"
            ) from error

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with (
            self._errors(None),
            self._engine.connect() as conn,
            self._backend.reading(conn).begin(),
        ):
            yield conn

    @contextmanager
    def _writing(self, conflict: str | None = None) -> Iterator[Connection]:
        """One write transaction; ``conflict`` is the message if a constraint refuses it."""
        with (
            self._errors(conflict),
            self._engine.connect() as conn,
            conn.execution_options(**{_WRITES: True}).begin(),
        ):
            yield conn

    # -- articles

    def add_article(
        self,
        article: Article,
        *,
        source_url: str | None = None,
        feed_id: int | None = None,
        added_at: datetime | None = None,
    ) -> tuple[StoredArticle, bool]:
        """Store ``article`` unless it is already stored; ``True`` when this call added it.

        An article is already stored when a row has the same canonical URL (of ``article.url``,
        else of ``source_url``) or the same text.  ``source_url`` records what the article was
        added from (defaults to ``article.url``); ``feed_id`` the feed that brought it;
        ``added_at`` (timezone-aware, default now) places it in the listing order.
        """
        if added_at is not None and added_at.tzinfo is None:
            raise ValueError(f"added_at must be timezone-aware, got {added_at!r}")
        url = _web_url(article.url, source_url)
        digest = content_hash(article.text)
        values = {
            "source_url": source_url if source_url is not None else article.url,
            "canonical_url": url,
            "origin": article.origin,
            "title": article.title,
            "author": article.author,
            "published": article.date,
            "language": article.language,
            "site": article.site,
            "text": article.text,
            "content_hash": digest,
            "complete": article.complete,
            "incomplete_reason": article.incomplete_reason,
            "feed_id": feed_id,
            "added_at": added_at or datetime.now(UTC),
        }
        # Duplicates never reach a constraint error (below); only the feed's foreign key can.
        missing_feed = f"feed {feed_id} does not exist" if feed_id is not None else None
        with self._writing(conflict=missing_feed) as conn:
            for _ in range(_INSERT_ATTEMPTS):
                existing = self._find_stored(conn, url, digest)
                if existing is not None:
                    return existing, False
                # A concurrent writer may insert the same article between our look-up and
                # this insert: the unique constraints turn that into "nothing inserted"
                # (PostgreSQL waits for the other transaction), and we read its row.
                inserted = conn.execute(
                    self._backend.insert(articles)
                    .values(values)
                    .on_conflict_do_nothing()
                    .returning(*articles.c)
                ).first()
                if inserted is not None:
                    return _stored_article(inserted), True
        raise StoreError("the article kept colliding with rows being deleted; try again")

    @staticmethod
    def _find_stored(conn: Connection, url: str | None, digest: str) -> StoredArticle | None:
        same_text = articles.c.content_hash == digest
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
    ) -> ArticlePage:
        """A page of articles in :data:`NEWEST_FIRST` order, optionally filtered.

        ``language`` and ``feed_id`` match exactly; ``query`` keeps the articles that
        :meth:`search` finds for it (an empty or blank ``query`` filters nothing).
        """
        _check_page(offset, limit)
        conditions = _filters(language, feed_id)
        source: FromClause = articles
        if query is not None and query.strip():
            groups = _parse_search(query)
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
        """
        _check_page(offset, limit)
        groups = _parse_search(query)
        if not groups:
            return ArticlePage((), 0, offset, limit)
        match = self._backend.text_match(groups)
        conditions = [match.condition, *_filters(language, feed_id)]
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
        with self._reading() as conn:
            here = conn.execute(
                select(articles.c.added_at, articles.c.id).where(articles.c.id == article_id)
            ).first()
            if here is None:
                return None, None
            added_at, id_ = here
            conditions = _filters(language, feed_id)
            newer = or_(
                articles.c.added_at > added_at,
                (articles.c.added_at == added_at) & (articles.c.id > id_),
            )
            older = or_(
                articles.c.added_at < added_at,
                (articles.c.added_at == added_at) & (articles.c.id < id_),
            )
            oldest_first = (articles.c.added_at.asc(), articles.c.id.asc())
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

    # -- summaries

    def get_summary(self, cache_key: str) -> str | None:
        """The cached summary payload (JSON text) under ``cache_key``, or ``None``."""
        with self._reading() as conn:
            return conn.scalar(
                select(summaries.c.payload).where(summaries.c.cache_key == cache_key)
            )

    def put_summary(
        self,
        cache_key: str,
        article_id: int,
        method: str,
        method_version: str,
        budget: str,
        language: str | None,
        payload: str,
    ) -> None:
        """Cache a summary payload (JSON text) of an article; storing a key again replaces it.

        The entry goes when its article is deleted.  Raises :class:`StoreError` if the article
        does not exist (it may have been deleted while the summary was computed).
        """
        values = {
            "cache_key": cache_key,
            "article_id": article_id,
            "method": method,
            "method_version": method_version,
            "budget": budget,
            "language": language,
            "payload": payload,
            "created_at": datetime.now(UTC),
        }
        statement = self._backend.insert(summaries).values(values)
        statement = statement.on_conflict_do_update(
            index_elements=[summaries.c.cache_key],
            set_={name: statement.excluded[name] for name in values if name != "cache_key"},
        )
        with self._writing(conflict=f"article {article_id} does not exist") as conn:
            conn.execute(statement)

    # -- feeds

    def add_feed(self, url: str, title: str | None = None) -> tuple[StoredFeed, bool]:
        """Subscribe to a feed unless already subscribed; ``True`` when this call added it.

        The URL is stored in :func:`canonical_url` form, so trivially different spellings of
        one feed are one subscription.
        """
        url = canonical_url(url)
        with self._writing() as conn:
            for _ in range(_INSERT_ATTEMPTS):
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
        with self._reading() as conn:
            row = conn.execute(select(feeds).where(feeds.c.id == feed_id)).first()
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


__all__ = [
    "DATA_DIR_ENV",
    "KEEP",
    "NEWEST_FIRST",
    "SCHEMA_VERSION",
    "ArticlePage",
    "Keep",
    "Store",
    "StoreError",
    "StoredArticle",
    "StoredFeed",
    "canonical_url",
    "content_hash",
]
