"""Cached summaries: a payload (JSON text) per cache key, kept as long as its article is.

The store knows nothing of how a key is built or what a payload holds; :mod:`inbrief.cache`
does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from inbrief.store.base import StoreBase
from inbrief.store.dialects import Backend
from inbrief.store.schema import summaries


@dataclass(frozen=True)
class ArticleSummaries:
    """An article's text and language (what its summaries' cache keys are made of) and its
    cached payloads of one method and budget, by cache key (other versions or key phrase
    counts are other keys)."""

    text: str
    language: str | None
    payloads: dict[str, str]


# One round trip for the reader's summary read: the article's text to make the key from, and
# the few rows that key can be (the budget's one row, mostly), instead of the text and then
# the payload under the key made from it.
_ARTICLE_SUMMARIES_SQL = (
    "SELECT a.text, a.language, s.cache_key, s.payload FROM articles AS a"
    " LEFT JOIN summaries AS s ON s.article_id = a.id AND s.method = ? AND s.budget = ?"
    " WHERE a.id = ?"
)


class SummariesMixin(StoreBase):
    """The :class:`~inbrief.store.Store` methods that read and write the summary cache."""

    def get_summary(self, cache_key: str) -> str | None:
        """The cached summary payload (JSON text) under ``cache_key``, or ``None``."""
        # The reader's hottest read: one primary-key look-up, on the shortest path.
        rows = self._hot_rows("SELECT payload FROM summaries WHERE cache_key = ?", (cache_key,))
        return str(rows[0][0]) if rows else None

    def article_summaries(
        self, article_id: int, method: str, budget: str
    ) -> ArticleSummaries | None:
        """The article's text and language and its cached payloads made by ``method`` (the
        registered name) for ``budget`` (as :meth:`~inbrief.models.Budget.describe` words
        it), or ``None`` when there is no such article: one read on the shortest path."""
        rows = self._hot_rows(_ARTICLE_SUMMARIES_SQL, (method, budget, article_id))
        if not rows:
            return None
        text, language = rows[0][0], rows[0][1]
        payloads = {str(key): str(payload) for _, _, key, payload in rows if key is not None}
        return ArticleSummaries(str(text), language, payloads)

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
        with self._writing(conflict=f"article {article_id} does not exist") as conn:
            conn.execute(summary_upsert(self._backend), [values])


def summary_upsert(backend: Backend) -> Any:
    """The statement that caches summary rows (executed with a list of them): a key stored
    again is replaced.  :meth:`SummariesMixin.put_summary` and the bulk writer share it."""
    statement = backend.insert(summaries)
    replaced = [column.name for column in summaries.c if column.name != "cache_key"]
    return statement.on_conflict_do_update(
        index_elements=[summaries.c.cache_key],
        set_={name: statement.excluded[name] for name in replaced},
    )
