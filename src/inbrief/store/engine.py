"""From a database URL (or none) to a connected SQLAlchemy engine and its dialect.

* ``None``: a SQLite file ``inbrief.db`` in the data directory, ``$INBRIEF_DATA_DIR`` or else
  ``./var`` relative to the current directory; the directory is created when missing.
* ``sqlite:///path/to/file.db`` or a bare path: that SQLite file, in a folder that must exist
  (a mistyped path is refused, not answered with new folders).
* ``postgresql://user:password@host:port/database`` (also ``postgres://`` or any
  ``postgresql+driver://``): PostgreSQL through psycopg 3, the ``postgres`` extra.

Each engine is set up here for what the store promises: SQLite in WAL mode, with writers that
take the write lock up front and commits that reach the disk; PostgreSQL with a connect timeout
and a pool that survives a server restart.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from inbrief.errors import StoreError
from inbrief.store.dialects import Backend, PostgreSQL, SQLite

DATA_DIR_ENV = "INBRIEF_DATA_DIR"
"""Environment variable naming the data directory that holds the default SQLite file."""
DEFAULT_DATA_DIR = Path("var")
DATABASE_FILENAME = "inbrief.db"

# A writer waits this long for another writer's transaction before giving up.  Writes here are
# single rows and take milliseconds, so only a stuck process would exhaust it.
_BUSY_TIMEOUT_SECONDS = 10
_CONNECT_TIMEOUT_SECONDS = 10
WRITES = "inbrief_writes"
"""Our own (non-SQLAlchemy) execution option marking a connection that will write."""


def _default_database() -> Path:
    return Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR) / DATABASE_FILENAME


def _make_data_dir(path: Path) -> None:
    """The default database's folder is inbrief's own to create."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(
            f"cannot create the data directory {path.parent}: {error.strerror or error}; "
            f"choose a writable place with {DATA_DIR_ENV} or a sqlite:/// URL"
        ) from error


def _check_folder(path: Path) -> None:
    """A database named by the user goes in a folder that exists: a mistyped path is refused
    rather than answered with new folders and an empty database."""
    folder = path.parent
    if folder.is_dir():
        return
    if folder.exists():
        raise StoreError(f"{folder} is not a folder, so it cannot hold the database {path}")
    raise StoreError(
        f"the folder {folder} does not exist, so it cannot hold the database {path}; "
        "create it first, or check the path"
    )


def _into_wal(cursor: Any) -> None:
    # Connections that open a new file at the same moment race to switch its journal mode,
    # and SQLite answers the losers "database is locked" at once, without its busy handler:
    # wait for the winner, as busy_timeout would, then the file is in WAL already.
    deadline = time.monotonic() + _BUSY_TIMEOUT_SECONDS
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def _sqlite_engine(path: Path) -> Engine:
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
        _into_wal(cursor)
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
        writes = conn.get_execution_options().get(WRITES, False)
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


def open_engine(url: str | None) -> tuple[Engine, Backend, str]:
    """The engine, backend and a printable location (password hidden) for ``url``."""
    if not url:
        path = _default_database()
        _make_data_dir(path)
        return _sqlite_engine(path), SQLite(), str(path)
    if "://" not in url:
        path = Path(url).expanduser()
        _check_folder(path)
        return _sqlite_engine(path), SQLite(), str(path)
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
        _check_folder(path)
        return _sqlite_engine(path), SQLite(), str(path)
    if backend in ("postgresql", "postgres"):
        return (
            _postgresql_engine(parsed),
            PostgreSQL(),
            parsed.render_as_string(hide_password=True),
        )
    raise StoreError(
        f"unsupported database {parsed.drivername!r}; use sqlite:///path/to/file.db "
        "or postgresql://user:password@host/database"
    )
