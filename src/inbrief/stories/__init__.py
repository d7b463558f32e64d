"""Today in brief: a day's articles grouped into stories, each with one summary from all of them.

    brief = day_brief(store, date(2026, 3, 2))
    for story in brief.stories:            # most sources first, then the most recent
        story.title, story.sources, story.summary, story.lone

The day's articles are those the listing files under it (:mod:`inbrief.store.days`: the
publication day, else the day added, in UTC).  :mod:`.cluster` groups the ones that report one
event, by their text; :mod:`.digest` writes each story's summary from all its articles, every
sentence naming its article and its place there.  A story's sources are the outlets of its
articles (the article's site, else its web address's host), each linked to its articles.  An
article that no other resembles is a story of one: it appears as itself, with no digest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from inbrief.store import Store, StoredArticle
from inbrief.store.days import DAY_LIMIT, articles_before, day_articles
from inbrief.stories.cluster import THRESHOLD, Terms, average_link, similarities
from inbrief.stories.digest import DigestSentence, digest

BACKGROUND = 200
"""Earlier articles read to steady the document frequencies (see :mod:`.cluster`)."""

UNKNOWN_SOURCE = "Unknown source"


@dataclass(frozen=True)
class Source:
    """One outlet covering a story, and its articles in the story."""

    name: str
    articles: tuple[StoredArticle, ...]


@dataclass(frozen=True)
class Story:
    """Articles about one event: ``articles`` in the order they were added, ``lead`` the one
    whose sentence opens the summary (the best-scored), ``latest`` the newest article's time."""

    articles: tuple[StoredArticle, ...]
    lead: StoredArticle
    sources: tuple[Source, ...]
    summary: tuple[DigestSentence, ...]
    latest: datetime

    @property
    def key(self) -> int:
        """The story's first article id: stays as later articles join it."""
        return min(stored.id for stored in self.articles)

    @property
    def lone(self) -> bool:
        """Whether this is one article that no other resembles."""
        return len(self.articles) == 1

    @property
    def title(self) -> str | None:
        """The lead article's title."""
        return self.lead.article.title


@dataclass(frozen=True)
class DayBrief:
    """The stories of ``day``; ``total`` counts the day's articles, ``read`` those grouped
    (at most :data:`~inbrief.store.days.DAY_LIMIT`)."""

    day: date
    stories: tuple[Story, ...]
    total: int
    read: int


def source_name(stored: StoredArticle) -> str:
    """The outlet an article came from: its site, else its address's host."""
    if stored.article.site and stored.article.site.strip():
        return stored.article.site.strip()
    for url in (stored.article.url, stored.source_url):
        host = urlsplit(url or "").hostname
        if host:
            return host.removeprefix("www.")
    return UNKNOWN_SOURCE


def moment(stored: StoredArticle) -> datetime:
    """When an article came out: its date when that carries a time, else when it was added."""
    text = (stored.article.date or "").strip()
    if len(text) > 10:  # more than YYYY-MM-DD
        try:
            published = datetime.fromisoformat(text)
        except ValueError:
            published = None
        if published is not None and published.tzinfo is not None:
            return min(published.astimezone(UTC), stored.added_at.astimezone(UTC))
    return stored.added_at.astimezone(UTC)


def _sources(articles: Sequence[StoredArticle]) -> tuple[Source, ...]:
    by_name: dict[str, list[StoredArticle]] = {}
    for stored in articles:
        by_name.setdefault(source_name(stored), []).append(stored)
    return tuple(Source(name, tuple(group)) for name, group in by_name.items())


def _story(articles: Sequence[StoredArticle]) -> Story:
    summary = digest(articles) if len(articles) > 1 else ()
    lead = articles[0]
    if summary:
        lead = next(s for s in articles if s.id == summary[0].article_id)
    return Story(
        articles=tuple(articles),
        lead=lead,
        sources=_sources(articles),
        summary=summary,
        latest=max(moment(stored) for stored in articles),
    )


def group_stories(
    articles: Sequence[StoredArticle],
    background: Sequence[StoredArticle] = (),
    threshold: float = THRESHOLD,
) -> tuple[Story, ...]:
    """``articles`` as stories: the most sources first, then the most recent, then the earliest
    article; ``background`` (earlier articles) only steadies the clustering's word weights."""
    documents = [Terms.of(stored.article) for stored in articles]
    others = [Terms.of(stored.article) for stored in background]
    groups = average_link(similarities(documents, background=others), threshold)
    stories = [_story([articles[i] for i in group]) for group in groups]
    stories.sort(key=lambda story: (-len(story.sources), -story.latest.timestamp(), story.key))
    return tuple(stories)


def day_brief(store: Store, day: date, limit: int = DAY_LIMIT) -> DayBrief:
    """The stories of ``day`` in ``store`` (see the module's notes)."""
    found = day_articles(store, day, limit)
    background = articles_before(store, day, BACKGROUND)
    stories = group_stories(found.articles, background)
    return DayBrief(day, stories, found.total, len(found.articles))


__all__ = [
    "BACKGROUND",
    "DayBrief",
    "DigestSentence",
    "Source",
    "Story",
    "day_brief",
    "digest",
    "group_stories",
    "moment",
    "source_name",
]
