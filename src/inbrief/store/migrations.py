"""The schema's history, one numbered step at a time, applied to any database that lacks them.

Opening a database runs every step it lacks inside the opening transaction, so a database an
older inbrief wrote is upgraded in place, and one a newer inbrief wrote is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, inspect, select

from inbrief.errors import StoreError
from inbrief.store.dialects import Backend
from inbrief.store.schema import articles, feeds, metadata, schema_version, summaries


@dataclass(frozen=True)
class _Migration:
    """One step of schema history; ``apply`` runs inside the opening transaction."""

    version: int
    description: str
    apply: Callable[[Connection, Backend], None]


def _create_tables(conn: Connection, _backend: Backend) -> None:
    # The tables have not changed since version 1, so the current definitions create them.
    # The day one changes, freeze the version-1 definitions here and add a migration.
    metadata.create_all(conn, tables=[feeds, articles, summaries])


def _create_search_index(conn: Connection, backend: Backend) -> None:
    backend.create_search_index(conn)


_MIGRATIONS = (
    _Migration(1, "articles, feeds and summaries", _create_tables),
    _Migration(2, "full-text search over article titles and text", _create_search_index),
)
SCHEMA_VERSION = _MIGRATIONS[-1].version
"""The schema version this inbrief writes; :meth:`Store.open` upgrades older databases to it."""


def migrate(conn: Connection, backend: Backend) -> None:
    """Bring the schema to :data:`SCHEMA_VERSION` inside the caller's transaction."""
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
