"""The listing order: newest first by publication day, the day added for an undated article.

On a real SQLite file and a real PostgreSQL schema (the ``store`` fixture of test_store.py).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import test_store
from sqlalchemy import Engine

from inbrief.models import Article
from inbrief.store import Store, StoredArticle
from inbrief.store.listing import listing_day, published_day

# test_store.py's databases: a SQLite file, and a PostgreSQL schema (INBRIEF_TEST_POSTGRES_URL).
new_database = test_store.new_database
database_url = test_store.database_url
store = test_store.store
raw = test_store.raw
ADDED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def _story(name: str, date: str | None = None, language: str = "en") -> Article:
    return Article(
        text=f"The story of {name} was reported on the day.",
        title=name,
        date=date,
        language=language,
        url=f"https://news.example.org/{name.replace(' ', '-')}",
    )


def _titles(stored: tuple[StoredArticle, ...] | list[StoredArticle]) -> list[str | None]:
    return [s.article.title for s in stored]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2020-06-11", date(2020, 6, 11)),  # what extraction and feeds store
        ("2020-06-11T23:30:00-05:00", date(2020, 6, 11)),
        ("2020/6/1", date(2020, 6, 1)),
        ("2009-06", date(2009, 6, 1)),
        ("2009", date(2009, 1, 1)),
        ("11 June 2020", date(2020, 6, 11)),
        ("Thu, 11 Jun 2020 10:00:00 GMT", date(2020, 6, 11)),
        ("June 11, 2020", date(2020, 6, 11)),
        ("Sept. 3rd, 2019", date(2019, 9, 3)),
        (" 2020-06-11 ", date(2020, 6, 11)),
    ],
)
def test_the_forms_dates_come_in_are_read(text: str, day: date) -> None:
    assert published_day(text) == day


@pytest.mark.parametrize(
    "text", ["", "yesterday", "2020-02-30", "2020-13-01", "11/06/2020", "12 Juni 2020", "20"]
)
def test_a_date_that_names_no_certain_day_is_none(text: str) -> None:
    assert published_day(text) is None


def test_an_article_without_a_readable_date_lists_by_the_day_it_was_added() -> None:
    assert listing_day(None, ADDED) == date(2026, 11, 27)
    assert listing_day("someday", ADDED) == date(2026, 11, 27)


def test_a_date_after_the_article_was_added_lists_by_the_day_added() -> None:
    # A wrong date must not pin an article to the top of the list for years.
    assert listing_day("2031-01-01", ADDED) == date(2026, 11, 27)


def test_articles_are_listed_by_publication_day_not_by_when_they_were_added(
    store: Store,
) -> None:
    store.add_article(_story("Twenty twenty", "2020-06-11"), added_at=ADDED)
    store.add_article(_story("Two thousand nine", "2009-06-11"), added_at=ADDED + timedelta(1))
    store.add_article(_story("Twenty fifteen", "2015-03-02"), added_at=ADDED + timedelta(2))
    listed = store.list_articles().items
    assert _titles(listed) == ["Twenty twenty", "Twenty fifteen", "Two thousand nine"]


def test_an_undated_article_lists_under_the_day_it_was_added(store: Store) -> None:
    store.add_article(_story("Last week", "2026-11-20"), added_at=ADDED)
    store.add_article(_story("Undated"), added_at=ADDED - timedelta(days=3))
    store.add_article(_story("Last year", "2025-11-27"), added_at=ADDED)
    assert _titles(store.list_articles().items) == ["Undated", "Last week", "Last year"]


def test_articles_of_one_day_list_the_latest_added_first(store: Store) -> None:
    for hour, name in enumerate(["Morning", "Noon", "Evening"]):
        store.add_article(_story(name, "2020-06-11"), added_at=ADDED + timedelta(hours=hour))
    assert _titles(store.list_articles().items) == ["Evening", "Noon", "Morning"]


@pytest.fixture
def mixed(store: Store) -> list[StoredArticle]:
    """Seven articles added in an order unlike their dates, in their expected listing order."""
    dated = [
        ("Oldest", "2009-06-11", "en"),
        ("Newest", "2020-06-11", "en"),
        ("Middle", "2015-01-01", "de"),
        ("Undated", None, "en"),
        ("Same day, added first", "2015-01-01", "en"),
        ("Same day, added last", "2015-01-01", "de"),
        ("Feed style", "Thu, 11 Jun 2015 10:00:00 GMT", "en"),
    ]
    added = [
        store.add_article(_story(name, day, lang), added_at=ADDED + timedelta(minutes=n))[0]
        for n, (name, day, lang) in enumerate(dated)
    ]
    by_name = {s.article.title: s for s in added}
    order = [
        "Undated",
        "Newest",
        "Feed style",
        "Same day, added last",
        "Same day, added first",
        "Middle",
        "Oldest",
    ]
    return [by_name[name] for name in order]


def test_paging_follows_the_publication_order(store: Store, mixed: list[StoredArticle]) -> None:
    pages = [store.list_articles(offset, 3).items for offset in (0, 3, 6)]
    assert [s for page in pages for s in page] == mixed


def test_previous_and_next_follow_the_publication_order(
    store: Store, mixed: list[StoredArticle]
) -> None:
    for i, here in enumerate(mixed):
        newer = mixed[i - 1] if i > 0 else None
        older = mixed[i + 1] if i + 1 < len(mixed) else None
        assert store.neighbours(here.id) == (newer, older)


def test_previous_and_next_within_a_language_follow_it_too(
    store: Store, mixed: list[StoredArticle]
) -> None:
    german = [s for s in mixed if s.article.language == "de"]
    assert _titles(german) == ["Same day, added last", "Middle"]
    assert store.neighbours(german[0].id, language="de") == (None, german[1])


def test_a_listing_filtered_by_a_search_keeps_the_publication_order(
    store: Store, mixed: list[StoredArticle]
) -> None:
    assert store.list_articles(query="story -oldest").items == tuple(mixed[:-1])


def test_an_upgraded_database_lists_its_articles_by_publication_day(
    database_url: str, raw: Engine
) -> None:
    # Version 1 holds one article (added 2024-05-01); give it a date, and add an older one
    # added later, as a feed catching up on an archive would.
    test_store._build_v1(
        raw,
        "UPDATE articles SET published = '2024-04-30'",
        "INSERT INTO articles (origin, title, text, content_hash, complete, added_at, published) "
        "SELECT 'x', 'Archive', 'An old story.', 'h2', complete, added_at, '2009-06-11' "
        "FROM articles",
        "UPDATE articles SET added_at = added_at + INTERVAL '1 day' WHERE title = 'Archive'"
        if raw.dialect.name == "postgresql"
        else "UPDATE articles SET added_at = datetime(added_at, '+1 day') WHERE title = 'Archive'",
    )
    with Store.open(database_url) as upgraded:
        upgraded.add_article(_story("Today"))
        assert _titles(upgraded.list_articles().items) == ["Today", "Harbour reopens", "Archive"]
