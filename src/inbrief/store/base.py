"""The store's hold on one database: its engine and dialect, and the two kinds of transaction.

Every method of :class:`~inbrief.store.Store` runs in one transaction opened here, which turns
whatever the driver raises into :class:`~inbrief.errors.StoreError`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Self

from sqlalchemy import Connection, Engine, exc

from inbrief.errors import StoreError
from inbrief.store.dialects import Backend
from inbrief.store.engine import WRITES
from inbrief.store.schema import WATCHED_TABLES

INSERT_ATTEMPTS = 3
"""An insert retries when the row it collided with vanished before it could read it."""


def _reason(error: exc.DBAPIError) -> str:
    """The driver's own words, first line: enough to act on, without a traceback."""
    lines = [line.strip() for line in str(error.orig or error).splitlines() if line.strip()]
    return lines[0] if lines else type(error.orig or error).__name__


@dataclass(frozen=True)
class TableChange:
    """How often a table has changed (``version``) and when it last did (``changed_at``,
    seconds since 1970 by the database's clock; 0.0 before its first change)."""

    version: int
    changed_at: float


@dataclass(frozen=True)
class StoreChanges:
    """The change counters of the watched tables (schema.store_changes), read together."""

    articles: TableChange
    summaries: TableChange
    feeds: TableChange


MMAP_BYTES = 1 << 30
"""How much of a SQLite file a hot-read connection maps into memory (address space, not RAM)."""
_CHANGES_SQL = "SELECT name, version, changed_at FROM store_changes"


class StoreBase:
    """One database, shared between threads: the engine's pool hands each its own connection."""

    def __init__(self, engine: Engine, backend: Backend, location: str) -> None:
        self._engine = engine
        self._backend = backend
        self._location = location
        self._created = False
        # SQLite's hot reads go through a plain sqlite3 connection per thread, off the pool:
        # a pool checkout and SQLAlchemy's statement layer cost more than the query itself.
        self._hot = threading.local()
        self._hot_connections: list[sqlite3.Connection] = []
        self._hot_lock = threading.Lock()

    @property
    def backend(self) -> Literal["sqlite", "postgresql"]:
        """Which database this store uses."""
        return self._backend.name

    @property
    def location(self) -> str:
        """Where the data lives: a file path, or the URL with its password hidden."""
        return self._location

    @property
    def created(self) -> bool:
        """Whether opening this store created its database: a new SQLite file, or the tables
        in an empty PostgreSQL database (interfaces say so, so a mistyped path is noticed)."""
        return self._created

    def close(self) -> None:
        """Close every pooled connection (a later call would open new ones)."""
        with self._hot_lock:
            hot, self._hot_connections = self._hot_connections, []
        for conn in hot:
            conn.close()
        self._hot = threading.local()
        self._engine.dispose()

    def changes(self) -> StoreChanges:
        """How far articles, summaries and feeds have changed: one small query, answered by
        the counters the database's triggers keep, so a change by any writer shows."""
        rows = self._hot_rows(_CHANGES_SQL, ())
        found = {name: TableChange(int(version), float(at)) for name, version, at in rows}
        try:
            return StoreChanges(*(found[name] for name in WATCHED_TABLES))
        except KeyError as missing:
            raise StoreError(
                f"database {self._location}: its change counters lack {missing}; "
                "it was changed by hand"
            ) from None

    def _hot_rows(self, sql: str, parameters: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """The rows of one read-only statement in the driver's own parameter style, on the
        shortest path to the database (one statement is its own transaction)."""
        driver_error = self._engine.dialect.loaded_dbapi.Error
        try:
            if self._backend.name == "sqlite":
                return self._hot_sqlite().execute(sql, parameters).fetchall()
            with self._errors(None):
                raw = self._engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute(sql.replace("?", "%s"), parameters)
                rows = list(cursor.fetchall())
                raw.rollback()
            finally:
                raw.close()
            return rows
        except driver_error as error:
            first = str(error).strip().splitlines()
            reason = first[0] if first else type(error).__name__
            raise StoreError(f"database {self._location}: {reason}") from error

    def _hot_sqlite(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._hot, "conn", None)
        if conn is None:
            # Autocommit, read-only: each statement sees the latest committed state.
            conn = sqlite3.connect(
                Path(self._location).resolve().as_uri() + "?mode=ro",
                uri=True,
                isolation_level=None,
                check_same_thread=False,
                timeout=10,
            )
            # Pages read through a memory map, not a read() call each: the hot reads are a
            # few B-tree pages, and a system call costs more than the look-up.
            conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            with self._hot_lock:
                self._hot_connections.append(conn)
            self._hot.conn = conn
        return conn

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

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
            conn.execution_options(**{WRITES: True}).begin(),
        ):
            yield conn
