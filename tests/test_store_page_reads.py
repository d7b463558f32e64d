"""The reader's one-statement reads agree with the store's general ones, on SQLite and
PostgreSQL: an article page's article and neighbours, and a summary found from its article."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from test_store import new_database  # noqa: F401  (the fixture: a SQLite file, a PG schema)

from inbrief import summarizers
from inbrief.cache import text_key
from inbrief.ingest import add_article
from inbrief.models import Article, Budget
from inbrief.pipeline import DEFAULT_METHOD
from inbrief.store import Store


def dispatch(n: int, day: str | None) -> Article:
    return Article(
        text=f"Ferry {n} left the quay at dawn. Its crew of {n + 2} sailed north for the isles.",
        title=f"Ferry {n} sails north" if n % 3 else None,
        url=f"https://harbour.example/ferry-{n}",
        date=day,
        language="en",
        origin=f"test:{n}",
    )


def test_the_page_read_finds_what_get_article_and_neighbours_find(
    new_database: Callable[[], str],  # noqa: F811
) -> None:
    start = datetime(2026, 3, 1, 9, tzinfo=UTC)
    # Same days, no days and out-of-order adds: the listing's three keys all decide a place.
    days = ["2026-03-02", "2026-03-01", "2026-03-02", None, "2026-03-03", "2026-03-02", None]
    with Store.open(new_database()) as store:
        ids = [
            store.add_article(dispatch(n, day), added_at=start + timedelta(minutes=7 * n))[0].id
            for n, day in enumerate(days)
        ]
        for article_id in ids:
            found = store.article_with_neighbours(article_id)
            assert found is not None
            assert found.stored == store.get_article(article_id)
            newer, older = store.neighbours(article_id)
            assert (found.previous and found.previous.id) == (newer and newer.id)
            assert (found.next and found.next.id) == (older and older.id)
            if newer is not None and found.previous is not None:
                assert found.previous.title == newer.article.title
        assert store.article_with_neighbours(max(ids) + 1) is None


def test_a_summary_is_found_under_the_key_its_article_makes(
    new_database: Callable[[], str],  # noqa: F811
) -> None:
    with Store.open(new_database()) as store:
        stored = add_article(store, dispatch(1, "2026-03-01")).article  # caches its summaries
        summarizer = summarizers.get(DEFAULT_METHOD)
        budget = Budget(unit="sentences", value=3)
        found = store.article_summaries(stored.id, summarizer.name, budget.describe())
        assert found is not None
        assert (found.text, found.language) == (stored.article.text, "en")
        key = text_key(found.text, found.language, summarizer, budget)
        assert found.payloads[key] == store.get_summary(key)
        none = store.article_summaries(stored.id, summarizer.name, "7 sentences")
        assert none is not None and none.payloads == {}
        assert store.article_summaries(stored.id + 1, summarizer.name, budget.describe()) is None
