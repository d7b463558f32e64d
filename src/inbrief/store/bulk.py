"""Many articles in one transaction, each with the summaries cached beside it.

An archive goes in a few hundred rows a commit instead of one (:func:`inbrief.ingest.add_archive`):
the commit, with its fsync, is what a single add pays most for.  Nothing is weaker for it: an
article and its summaries are one transaction, so once :meth:`BulkMixin.add_articles` returns,
every article it stored has its summaries, durably (see ``docs/archives.md``).

    found = store.match_stored([Probe(url_key=url_key(url)), Probe(text_key=text_key(text))])
    results = store.add_articles([NewArticle(article, summaries=(cached, ...)), ...])
    missing = store.missing_summaries(["3f2a...", "9b1c..."])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from inbrief.models import Article
from inbrief.store.articles import ArticlesMixin, StoredArticle, _stored_article, article_values
from inbrief.store.schema import articles, summaries
from inbrief.store.summaries import summary_upsert

# Values bound in one IN (...) list; far below SQLite's 32,766 variables and PostgreSQL's 65,535.
_IN_LIST = 500


@dataclass(frozen=True)
class CachedSummary:
    """One summary to cache beside its article, as :mod:`inbrief.cache` keys and encodes it."""

    cache_key: str
    method: str
    method_version: str
    budget: str
    language: str | None
    payload: str


@dataclass(frozen=True)
class Probe:
    """What names an article that may be stored: its URL key, text key and content hash
    (:mod:`~inbrief.store.identity`), each None when unknown."""

    url_key: str | None = None
    text_key: str | None = None
    digest: str | None = None


@dataclass(frozen=True)
class NewArticle:
    """An article to store, and the summaries to cache with it if this adds it.

    The summaries must be made from :func:`~inbrief.store.articles.stored_form` of the
    article, which is what the store gives back.
    """

    article: Article
    source_url: str | None = None
    feed_id: int | None = None
    summaries: tuple[CachedSummary, ...] = ()


def _slices(values: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(values), _IN_LIST):
        yield values[start : start + _IN_LIST]


class BulkMixin(ArticlesMixin):
    """The :class:`~inbrief.store.Store` methods that read and write many articles at once."""

    def match_stored(self, probes: Sequence[Probe]) -> list[StoredArticle | None]:
        """The stored article each probe names, or None, found for all of them at once.

        A probe names an article as :meth:`add_article` looks one up: by URL key, text key
        or exact text (content hash), and a URL match wins over a text match.
        """
        wanted = [
            (articles.c.canonical_url, sorted({p.url_key for p in probes if p.url_key})),
            (articles.c.text_key, sorted({p.text_key for p in probes if p.text_key})),
            (articles.c.content_hash, sorted({p.digest for p in probes if p.digest})),
        ]
        by_url: dict[str, StoredArticle] = {}
        by_text: dict[str, StoredArticle] = {}
        by_digest: dict[str, StoredArticle] = {}
        with self._reading() as conn:
            for column, values in wanted:
                for part in _slices(values):
                    for row in conn.execute(select(articles).where(column.in_(part))):
                        stored = _stored_article(row)
                        if row.canonical_url:
                            by_url.setdefault(row.canonical_url, stored)
                        if row.text_key:
                            by_text.setdefault(row.text_key, stored)
                        by_digest.setdefault(row.content_hash, stored)
        return [
            (p.url_key and by_url.get(p.url_key))
            or (p.text_key and by_text.get(p.text_key))
            or (p.digest and by_digest.get(p.digest))
            or None
            for p in probes
        ]

    def missing_summaries(self, cache_keys: Iterable[str]) -> set[str]:
        """Which of these summary cache keys hold no cached summary."""
        keys = sorted(set(cache_keys))
        cached: set[str] = set()
        with self._reading() as conn:
            for part in _slices(keys):
                cached.update(
                    conn.scalars(
                        select(summaries.c.cache_key).where(summaries.c.cache_key.in_(part))
                    )
                )
        return set(keys) - cached

    def add_articles(self, entries: Sequence[NewArticle]) -> list[tuple[StoredArticle, bool]]:
        """Store each entry's article unless already stored, as :meth:`add_article` does,
        all in one transaction; ``True`` for each that this call added.

        An added article's summaries are cached in the same transaction.  An article already
        stored (before, or by an earlier entry of the same call) keeps the summaries it has:
        the ones given were made from the entry's article, not from the stored one.  Raises
        :class:`~inbrief.errors.StoreError`, storing none of them, when the database refuses
        any: call again with fewer to find which.
        """
        if not entries:
            return []
        now = datetime.now(UTC)
        results: list[tuple[StoredArticle, bool]] = []
        cached: list[dict[str, object]] = []
        feeds = sorted({entry.feed_id for entry in entries if entry.feed_id is not None})
        missing_feed = f"feed {', '.join(map(str, feeds))} does not exist" if feeds else None
        with self._writing(conflict=missing_feed) as conn:
            for entry in entries:
                values = article_values(
                    entry.article, source_url=entry.source_url, feed_id=entry.feed_id
                )
                # The look-ups before an insert are left to find_stored, once for many rows:
                # a duplicate that slips past it only costs the insert that finds it.
                stored, created = self._insert_or_find(conn, values)
                results.append((stored, created))
                if created:
                    cached += [
                        {
                            "cache_key": summary.cache_key,
                            "article_id": stored.id,
                            "method": summary.method,
                            "method_version": summary.method_version,
                            "budget": summary.budget,
                            "language": summary.language,
                            "payload": summary.payload,
                            "created_at": now,
                        }
                        for summary in entry.summaries
                    ]
            if cached:
                conn.execute(summary_upsert(self._backend), cached)
        return results


__all__ = ["BulkMixin", "CachedSummary", "NewArticle", "Probe"]
