"""What differs between SQLite and PostgreSQL once connected: upserts, full-text search, locks.

The :class:`~inbrief.store.Store` holds one :class:`Backend` and writes the rest of its SQL once,
in SQLAlchemy Core, for both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, Integer, Table, func, literal_column, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import column, table
from sqlalchemy.sql.expression import FromClause

from inbrief.store.schema import articles
from inbrief.store.search import SearchGroup, fts5_query, websearch_query


@dataclass(frozen=True)
class TextMatch:
    """How one backend restricts a query to full-text matches and orders them best first."""

    source: FromClause
    condition: ColumnElement[bool]
    best_first: ColumnElement[Any]


class Backend(ABC):
    """What differs between SQLite and PostgreSQL; the :class:`Store` holds one of these."""

    name: Literal["sqlite", "postgresql"]

    @abstractmethod
    def insert(self, target: Table) -> Any:
        """An INSERT construct that supports ``on_conflict_do_nothing`` / ``_do_update``."""

    @abstractmethod
    def text_match(self, groups: Sequence[SearchGroup]) -> TextMatch:
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


class SQLite(Backend):
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

    def text_match(self, groups: Sequence[SearchGroup]) -> TextMatch:
        fts: ColumnElement[Any] = literal_column("articles_fts")
        # bm25 weights per column (title, text): a title hit counts 2.5 times a body hit,
        # the ratio of PostgreSQL's default weights for the A and B labels used there.
        return TextMatch(
            source=articles.join(self._FTS, self._FTS.c.rowid == articles.c.id),
            condition=fts.op("MATCH")(fts5_query(groups)),
            best_first=func.bm25(fts, literal_column("2.5"), literal_column("1.0")).asc(),
        )

    def create_search_index(self, conn: Connection) -> None:
        for statement in self._FTS_DDL:
            conn.exec_driver_sql(statement)

    def lock_schema(self, conn: Connection) -> None:
        """Nothing to do: the migrating transaction began IMMEDIATE, holding the write lock."""


class PostgreSQL(Backend):
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

    def text_match(self, groups: Sequence[SearchGroup]) -> TextMatch:
        document: ColumnElement[Any] = literal_column(self._DOCUMENT)
        query = func.websearch_to_tsquery(
            literal_column("'simple'::regconfig"), websearch_query(groups)
        )
        return TextMatch(
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
