"""Cached summaries: a payload (JSON text) per cache key, kept as long as its article is.

The store knows nothing of how a key is built or what a payload holds; :mod:`inbrief.cache`
does.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from inbrief.store.base import StoreBase
from inbrief.store.schema import summaries


class SummariesMixin(StoreBase):
    """The :class:`~inbrief.store.Store` methods that read and write the summary cache."""

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
