"""Persistence: articles, feeds and cached summaries, in SQLite (default) or PostgreSQL.

This is the only package that speaks SQL (SQLAlchemy Core).  Everything crosses its boundary as
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
* ``sqlite:///path/to/file.db`` or a bare path: that SQLite file, in a folder that must exist.
* ``postgresql://user:password@host:port/database`` (also ``postgres://`` or any
  ``postgresql+driver://``): PostgreSQL through psycopg 3, the ``postgres`` extra
  (``pip install 'inbrief[postgres]'``).

The schema is versioned: opening a database applies, in one transaction, every migration step
it lacks, so a database written by an older inbrief is upgraded in place.

Guarantees:

* Every write is one transaction: no reader ever sees half an article or half a summary.
* An article is stored once: adding one whose URL key (:func:`url_key`) or text key
  (:func:`text_key`: a SHA-256 of its words, layout and case aside) is already stored returns
  the stored row.  Unique constraints back this, so concurrent writers in threads or processes
  cannot duplicate a row.
* Listing order is defined once, :data:`NEWEST_FIRST` (publication day descending, the day
  added for an article without a date: :mod:`~inbrief.store.listing`; then ``added_at``, then
  ``id``), and paging, filters and :meth:`Store.neighbours` all follow it.
* Search has one grammar and one meaning on both databases (see :meth:`Store.search`); input
  that is not valid syntax never raises, it is read as plain words.

One module per job: :mod:`~inbrief.store.identity` (when two articles are one),
:mod:`~inbrief.store.schema` and :mod:`~inbrief.store.migrations` (the tables and their
history), :mod:`~inbrief.store.search` (the search-box language),
:mod:`~inbrief.store.dialects` and :mod:`~inbrief.store.engine` (the two databases), and the
:class:`Store` methods by what they keep: :mod:`~inbrief.store.articles`,
:mod:`~inbrief.store.summaries`, :mod:`~inbrief.store.feeds`, and the leases that let one of
many processes do a job (:mod:`~inbrief.store.lease`).
"""

from __future__ import annotations

from inbrief.errors import StoreError
from inbrief.store.articles import (
    ArticleLink,
    ArticlePage,
    ArticlesMixin,
    ArticleWithNeighbours,
    StoredArticle,
)
from inbrief.store.bulk import BulkMixin
from inbrief.store.engine import DATA_DIR_ENV, open_engine
from inbrief.store.feeds import KEEP, FeedsMixin, Keep, StoredFeed
from inbrief.store.identity import content_hash, text_key, url_key
from inbrief.store.lease import Lease, LeaseMixin
from inbrief.store.migrations import SCHEMA_VERSION, migrate
from inbrief.store.schema import NEWEST_FIRST
from inbrief.store.summaries import SummariesMixin


class Store(BulkMixin, ArticlesMixin, SummariesMixin, FeedsMixin, LeaseMixin):
    """Articles, feeds and cached summaries in one database; safe to share between threads.

    Build it with :meth:`Store.open`; close it with :meth:`close` or a ``with`` block.  Every
    method runs in its own transaction and raises :class:`StoreError` when the database fails.
    """

    @classmethod
    def open(cls, url: str | None = None) -> Store:
        """Open (creating or upgrading as needed) the database at ``url``.

        ``None`` is the SQLite file ``inbrief.db`` in ``$INBRIEF_DATA_DIR``, else in ``./var``
        under the current directory.  A ``sqlite:///`` URL or a bare path names another SQLite
        file; ``postgresql://`` (or ``postgres://``) URLs use PostgreSQL through psycopg.
        Raises :class:`StoreError` for a bad URL, an unreachable server, a SQLite path in a
        folder that does not exist, an unwritable path or a database from a newer inbrief.
        :attr:`created` says whether this call created the database.
        """
        engine, backend, location = open_engine(url)
        store = cls(engine, backend, location)
        try:
            with store._writing() as conn:
                previous_version = migrate(conn, backend)
        except BaseException:
            engine.dispose()
            raise
        store._created = previous_version == 0
        return store


__all__ = [
    "DATA_DIR_ENV",
    "KEEP",
    "NEWEST_FIRST",
    "SCHEMA_VERSION",
    "ArticleLink",
    "ArticlePage",
    "ArticleWithNeighbours",
    "Keep",
    "Lease",
    "Store",
    "StoreError",
    "StoredArticle",
    "StoredFeed",
    "content_hash",
    "text_key",
    "url_key",
]
