"""The store's hold on one database: its engine and dialect, and the two kinds of transaction.

Every method of :class:`~inbrief.store.Store` runs in one transaction opened here, which turns
whatever the driver raises into :class:`~inbrief.errors.StoreError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal, Self

from sqlalchemy import Connection, Engine, exc

from inbrief.errors import StoreError
from inbrief.store.dialects import Backend
from inbrief.store.engine import WRITES

INSERT_ATTEMPTS = 3
"""An insert retries when the row it collided with vanished before it could read it."""


def _reason(error: exc.DBAPIError) -> str:
    """The driver's own words, first line: enough to act on, without a traceback."""
    lines = [line.strip() for line in str(error.orig or error).splitlines() if line.strip()]
    return lines[0] if lines else type(error.orig or error).__name__


class StoreBase:
    """One database, shared between threads: the engine's pool hands each its own connection."""

    def __init__(self, engine: Engine, backend: Backend, location: str) -> None:
        self._engine = engine
        self._backend = backend
        self._location = location
        self._created = False

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
        self._engine.dispose()

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
