"""inbrief.store against real databases: a SQLite file, and a PostgreSQL server.

Every behaviour runs on both backends.  PostgreSQL comes from ``INBRIEF_TEST_POSTGRES_URL``
(``.ci/postgres.sh`` sets one up); each test gets its own schema, dropped afterwards.  Without
the variable the PostgreSQL cases are skipped, except under ``CI=true`` where they fail.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from inbrief.models import Article
from inbrief.store import (
    DATA_DIR_ENV,
    SCHEMA_VERSION,
    ArticlePage,
    Store,
    StoredArticle,
    StoreError,
    content_hash,
    text_key,
    url_key,
)
from inbrief.store.schema import metadata

POSTGRES_URL_ENV = "INBRIEF_TEST_POSTGRES_URL"
T = TypeVar("T")


# --- databases --------------------------------------------------------------------------------


def _postgres_base_url() -> str:
    url = os.environ.get(POSTGRES_URL_ENV)
    if url:
        return url
    if os.environ.get("CI") == "true":
        pytest.fail(f"{POSTGRES_URL_ENV} is not set under CI; run .ci/postgres.sh first")
    pytest.skip(f"{POSTGRES_URL_ENV} is not set (run .ci/postgres.sh to test PostgreSQL)")


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A factory of URLs, each naming a new, empty database of the parametrized backend."""
    if request.param == "sqlite":
        paths = (tmp_path / f"inbrief-{n}.db" for n in range(1_000))
        yield lambda: f"sqlite:///{next(paths)}"
        return
    base = make_url(_postgres_base_url()).set(drivername="postgresql+psycopg")
    admin = create_engine(base, poolclass=NullPool)
    schemas: list[str] = []

    def new_schema() -> str:
        schema = f"test_{uuid.uuid4().hex[:16]}"
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        schemas.append(schema)
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        return url.render_as_string(hide_password=False)

    try:
        yield new_schema
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def database_url(new_database: Callable[[], str]) -> str:
    return new_database()


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    with Store.open(database_url) as opened:
        yield opened


@pytest.fixture
def raw(database_url: str) -> Iterator[Engine]:
    """A plain SQLAlchemy engine on the same database, to build or inspect it by hand."""
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def _article(n: int, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "text": f"Article number {n} reports on the harbour of town {n}.",
        "title": f"Story {n}",
        "url": f"https://news.example.org/story/{n}",
        "language": "en",
    }
    values.update(fields)
    return Article(**values)


def _at_once(count: int, action: Callable[[int], T]) -> list[T]:
    """Run ``action(0..count-1)`` in threads released together; re-raise the first error."""
    start = threading.Barrier(count)

    def run(i: int) -> T:
        start.wait()
        return action(i)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def _version(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT version FROM schema_version")).scalar_one())


def _titles(page: ArticlePage) -> list[str | None]:
    return [item.article.title for item in page.items]


# --- opening ----------------------------------------------------------------------------------


def test_open_creates_the_current_schema(store: Store, raw: Engine) -> None:
    assert _version(raw) == SCHEMA_VERSION
    assert {"articles", "feeds", "summaries"} <= set(inspect(raw).get_table_names())


def test_open_twice_keeps_the_data(database_url: str) -> None:
    with Store.open(database_url) as first:
        stored, _ = first.add_article(_article(1))
    with Store.open(database_url) as second:
        assert second.get_article(stored.id) == stored


def test_default_database_lives_in_the_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    with Store.open() as store:
        assert store.backend == "sqlite"
        assert store.location == str(tmp_path / "data" / "inbrief.db")
    assert (tmp_path / "data" / "inbrief.db").is_file()


def test_default_data_dir_is_var_under_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(DATA_DIR_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    Store.open().close()
    assert (tmp_path / "var" / "inbrief.db").is_file()


def test_a_bare_path_is_a_sqlite_file(tmp_path: Path) -> None:
    Store.open(str(tmp_path / "news.db")).close()
    assert (tmp_path / "news.db").is_file()


def test_sqlite_uses_write_ahead_logging(tmp_path: Path) -> None:
    Store.open(f"sqlite:///{tmp_path / 'inbrief.db'}").close()
    with sqlite3.connect(tmp_path / "inbrief.db") as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize(
    "url, message",
    [
        ("mysql://user@localhost/news", "unsupported database"),
        ("postgresql://user@localhost:notaport/news", "not a database URL"),
        ("not a url://x", "not a database URL"),
        ("sqlite://", "in-memory"),
        ("sqlite:///:memory:", "in-memory"),
    ],
)
def test_a_bad_url_is_a_store_error(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message):
        Store.open(url)


def test_an_unreachable_postgresql_is_a_store_error_without_the_password() -> None:
    # Port 1 on loopback: nothing listens there, the connection is refused at once.
    with pytest.raises(StoreError) as raised:
        Store.open("postgresql://inbrief:s3cret@127.0.0.1:1/inbrief")
    assert "127.0.0.1" in str(raised.value)
    assert "s3cret" not in str(raised.value)


def test_an_unwritable_location_is_a_store_error(tmp_path: Path) -> None:
    # A regular file where the directory should be fails even for root.
    (tmp_path / "occupied").write_text("not a directory")
    with pytest.raises(StoreError, match="occupied is not a folder"):
        Store.open(f"sqlite:///{tmp_path / 'occupied' / 'inbrief.db'}")


def test_an_unwritable_data_dir_is_a_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "occupied").write_text("not a directory")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "occupied" / "data"))
    with pytest.raises(StoreError, match="cannot create the data directory"):
        Store.open()


@pytest.mark.parametrize("form", ["sqlite:///{}", "{}"])
def test_a_sqlite_file_in_a_folder_that_does_not_exist_is_refused(
    tmp_path: Path, form: str
) -> None:
    path = tmp_path / "mistyped" / "news.db"
    with pytest.raises(StoreError) as raised:
        Store.open(form.format(path))
    assert str(raised.value) == (
        f"the folder {path.parent} does not exist, so it cannot hold the database {path}; "
        "create it first, or check the path"
    )
    assert not path.parent.exists()


def test_a_store_says_whether_opening_it_created_the_database(database_url: str) -> None:
    with Store.open(database_url) as first:
        assert first.created
    with Store.open(database_url) as again:
        assert not again.created


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_bytes(b"these are my notes, not a database\n" * 100)
    with pytest.raises(StoreError, match="not a database"):
        Store.open(f"sqlite:///{tmp_path / 'notes.db'}")


def test_a_database_from_a_newer_inbrief_is_refused(database_url: str, raw: Engine) -> None:
    Store.open(database_url).close()
    with raw.begin() as conn:
        conn.execute(text("UPDATE schema_version SET version = :v"), {"v": SCHEMA_VERSION + 1})
    with pytest.raises(StoreError, match="newer"):
        Store.open(database_url)


def test_stores_opened_at_once_on_a_new_database_all_work(database_url: str, raw: Engine) -> None:
    stores = _at_once(4, lambda _: Store.open(database_url))
    try:
        assert _version(raw) == SCHEMA_VERSION
        stored, _ = stores[0].add_article(_article(1))
        assert all(s.get_article(stored.id) == stored for s in stores)
    finally:
        for opened in stores:
            opened.close()


# --- articles ---------------------------------------------------------------------------------


def test_an_added_article_reads_back_whole(store: Store) -> None:
    article = Article(
        text="First paragraph.\n\nSecond paragraph, with ünïcode.",
        title="A title",
        author="A. Reporter",
        date="2024-05-01",
        language="en",
        site="Example News",
        url="https://news.example.org/a",
        origin="https://news.example.org/a",
        complete=False,
        incomplete_reason="paywall",
    )
    before = datetime.now(UTC)
    stored, created = store.add_article(article, source_url="https://example.org/short")
    assert created
    assert stored.article == article
    assert stored.source_url == "https://example.org/short"
    assert stored.content_hash == content_hash(article.text)
    assert before <= stored.added_at <= datetime.now(UTC)
    assert store.get_article(stored.id) == stored


def test_the_same_url_is_stored_once(store: Store) -> None:
    first, created = store.add_article(_article(1, url="https://News.Example.org/story/1"))
    again, created_again = store.add_article(
        _article(2, url="https://news.example.org:443/story/1?utm_source=feed#comments")
    )
    assert created and not created_again
    assert again == first
    assert first.article.url == "https://news.example.org/story/1"
    assert store.list_articles().total == 1


def test_the_same_text_is_stored_once(store: Store) -> None:
    first, _ = store.add_article(_article(1))
    again, created = store.add_article(_article(1, url="https://mirror.example.net/copy"))
    assert not created
    assert again == first
    assert store.list_articles().total == 1


def test_the_same_story_with_other_blank_lines_under_another_url_is_stored_once(
    store: Store,
) -> None:
    story = "Ships returned to the harbour.\n\nThe port reopened on Monday.\n\n"
    first, _ = store.add_article(_article(1, text=story, url="https://example.org/harbour"))
    again, created = store.add_article(
        _article(1, text=story.replace("\n\n", "\n"), url="https://feeds.example.net/item/7")
    )
    assert not created and again == first
    assert store.list_articles().total == 1


@pytest.mark.parametrize(
    "copy",
    [
        "Ships returned to the harbour.\nThe port  reopened on Monday.",
        "  Ships returned\tto the harbour.\n\n\n\nThe port reopened on Monday.\n",
        "SHIPS RETURNED TO THE HARBOUR. The port reopened on Monday.",
        "Ships returned to the harbour.\u00a0The port reopened on Monday.",
    ],
    ids=["line break", "spacing", "case", "no-break space"],
)
def test_the_text_key_ignores_layout_and_case(copy: str) -> None:
    assert text_key(copy) == text_key(
        "Ships returned to the harbour.\n\nThe port reopened on Monday."
    )


def test_the_text_key_tells_other_words_apart() -> None:
    assert text_key("The port reopened on Monday.") != text_key("The port reopened on Tuesday.")
    assert text_key("The port reopened.") != text_key("The portre opened.")


def test_the_source_url_stands_in_for_a_missing_article_url(store: Store) -> None:
    first, _ = store.add_article(_article(1, url=None), source_url="https://example.org/x")
    again, created = store.add_article(_article(2, url=None), source_url="https://example.org/x")
    assert first.article.url == "https://example.org/x"
    assert not created and again.id == first.id


def test_articles_without_a_url_are_told_apart_by_text(store: Store) -> None:
    one, _ = store.add_article(_article(1, url=None, origin="story1.txt"))
    two, created = store.add_article(_article(2, url=None, origin="story2.txt"))
    assert created and one.id != two.id
    assert one.article.url is None and one.article.origin == "story1.txt"


def test_a_missing_article_is_none(store: Store) -> None:
    assert store.get_article(12345) is None


def test_delete_article(store: Store) -> None:
    stored, _ = store.add_article(_article(1))
    assert store.delete_article(stored.id)
    assert store.get_article(stored.id) is None
    assert not store.delete_article(stored.id)


def test_an_id_is_never_reused(store: Store) -> None:
    first, _ = store.add_article(_article(1))
    store.delete_article(first.id)
    second, _ = store.add_article(_article(2))
    assert second.id > first.id


def test_an_unknown_feed_is_refused_and_leaves_no_trace(store: Store) -> None:
    with pytest.raises(StoreError, match="feed 999 does not exist"):
        store.add_article(_article(1), feed_id=999)
    assert store.list_articles().total == 0
    assert store.search("harbour").total == 0


def test_added_at_must_be_timezone_aware(store: Store) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.add_article(_article(1), added_at=datetime(2024, 5, 1, 8, 0))


# --- listing, paging, neighbours --------------------------------------------------------------


@pytest.fixture
def five_articles(store: Store) -> list[StoredArticle]:
    """Five articles, three added at the same instant, returned in the expected listing order."""
    t0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    times = [t0, t0 + timedelta(hours=1), t0 + timedelta(hours=1), t0 + timedelta(hours=1)]
    times.append(t0 - timedelta(days=1))
    added = [store.add_article(_article(n), added_at=at)[0] for n, at in enumerate(times)]
    return sorted(added, key=lambda s: (s.added_at, s.id), reverse=True)


def test_articles_are_listed_newest_first_then_by_higher_id(
    store: Store, five_articles: list[StoredArticle]
) -> None:
    page = store.list_articles()
    assert page.items == tuple(five_articles)
    # The three added at one instant come highest id first.
    tied = [s.id for s in page.items[:3]]
    assert tied == sorted(tied, reverse=True)


def test_paging_walks_the_whole_listing(store: Store, five_articles: list[StoredArticle]) -> None:
    pages = [store.list_articles(offset=offset, limit=2) for offset in (0, 2, 4)]
    assert [item for page in pages for item in page.items] == five_articles
    assert [page.total for page in pages] == [5, 5, 5]
    assert [(page.has_previous, page.has_next) for page in pages] == [
        (False, True),
        (True, True),
        (True, False),
    ]


def test_a_page_past_the_end_is_empty_but_counts(
    store: Store, five_articles: list[StoredArticle]
) -> None:
    page = store.list_articles(offset=10, limit=5)
    assert page.items == () and page.total == 5


@pytest.mark.parametrize("offset, limit", [(-1, 20), (0, 0)])
def test_invalid_paging_is_refused(store: Store, offset: int, limit: int) -> None:
    with pytest.raises(ValueError):
        store.list_articles(offset=offset, limit=limit)


def test_listing_filters_by_language_and_feed(store: Store) -> None:
    feed, _ = store.add_feed("https://news.example.org/feed.xml")
    english, _ = store.add_article(_article(1), feed_id=feed.id)
    store.add_article(_article(2, language="de"), feed_id=feed.id)
    store.add_article(_article(3))
    assert [s.article.language for s in store.list_articles(language="de").items] == ["de"]
    assert store.list_articles(feed_id=feed.id).total == 2
    assert store.list_articles(language="en", feed_id=feed.id).items == (english,)


def test_neighbours_follow_the_listing(store: Store, five_articles: list[StoredArticle]) -> None:
    for i, here in enumerate(five_articles):
        newer = five_articles[i - 1] if i > 0 else None
        older = five_articles[i + 1] if i + 1 < len(five_articles) else None
        assert store.neighbours(here.id) == (newer, older)


def test_neighbours_respect_the_filters(store: Store) -> None:
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    old_en, _ = store.add_article(_article(1), added_at=t0)
    store.add_article(_article(2, language="de"), added_at=t0 + timedelta(minutes=1))
    new_en, _ = store.add_article(_article(3), added_at=t0 + timedelta(minutes=2))
    assert store.neighbours(new_en.id, language="en") == (None, old_en)
    assert store.neighbours(old_en.id, language="en") == (new_en, None)


def test_neighbours_of_a_missing_article_are_none(store: Store) -> None:
    assert store.neighbours(12345) == (None, None)


# --- search -----------------------------------------------------------------------------------

CORPUS = [
    (
        "Climate deal signed in Paris",
        "Leaders agreed to cut emissions. The deal limits coal power.",
    ),
    ("Coal plants close early", "Three coal plants will close as emissions rules tighten."),
    ("New York marathon", "Runners crossed the finish line in New York on Sunday."),
    ("École reopens", "The village school reopened after the storm; parents were relieved."),
    ("Election results", "Voters in York chose a new mayor. The climate was calm on the day."),
    ("Straße renamed", "Die Hauptstraße wurde umbenannt."),
]


@pytest.fixture
def corpus(store: Store) -> Store:
    for n, (title, body) in enumerate(CORPUS):
        store.add_article(Article(text=body, title=title, url=f"https://example.org/{n}"))
    return store


@pytest.mark.parametrize(
    "query, expected",
    [
        ("climate", {"Climate deal signed in Paris", "Election results"}),
        ("CLIMATE", {"Climate deal signed in Paris", "Election results"}),
        ("climate deal", {"Climate deal signed in Paris"}),
        ("new york", {"New York marathon", "Election results"}),
        ('"new york"', {"New York marathon"}),
        ("emissions -paris", {"Coal plants close early"}),
        ('york -"new york"', {"Election results"}),
        ("marathon or election", {"New York marathon", "Election results"}),
        ("deal paris OR marathon", {"Climate deal signed in Paris", "New York marathon"}),
        ("école", {"École reopens"}),
        ("ecole", set()),
        ("hauptstraße", {"Straße renamed"}),
        ("STRASSE", set()),
        ("nowhere", set()),
        ('"climate', {"Climate deal signed in Paris", "Election results"}),
        ("climate*", {"Climate deal signed in Paris", "Election results"}),
        ("(climate)", {"Climate deal signed in Paris", "Election results"}),
        ("-coal", set()),
        ("", set()),
        ("   ", set()),
    ],
)
def test_search_grammar(corpus: Store, query: str, expected: set[str]) -> None:
    page = corpus.search(query)
    assert set(_titles(page)) == expected
    assert page.total == len(expected)


@pytest.mark.parametrize(
    "query",
    [
        '"foo',
        "AND(",
        "NEAR(climate deal)",
        "climate AND",
        "OR",
        "or or or",
        "NOT climate",
        "title:climate",
        "^climate",
        "*",
        "-",
        "--climate",
        '""',
        '"""',
        "(",
        ")",
        "'; DROP TABLE articles; --",
        "%s %(x)s ?",
        "\\",
        "_",
        "\x00climate\x01",
        "🙂",
        "x" * 5_000,
        " ".join(f"w{n}" for n in range(200)),
    ],
)
def test_hostile_queries_never_raise(corpus: Store, query: str) -> None:
    corpus.search(query)
    corpus.list_articles(query=query)
    assert corpus.list_articles().total == len(CORPUS)


def test_a_title_hit_ranks_above_a_body_hit(store: Store) -> None:
    t0 = datetime(2024, 5, 1, tzinfo=UTC)
    store.add_article(
        Article(text="Ships returned on Monday.", title="Harbour reopens"), added_at=t0
    )
    # Newer, so the listing order alone would put it first.
    store.add_article(
        Article(text="The harbour was busy as ships returned.", title="Monday news"),
        added_at=t0 + timedelta(hours=1),
    )
    assert _titles(store.search("harbour")) == ["Harbour reopens", "Monday news"]


def test_search_pages_and_filters(store: Store) -> None:
    for n in range(5):
        store.add_article(_article(n, language="en" if n % 2 else "fr"))
    first = store.search("harbour", offset=0, limit=3)
    rest = store.search("harbour", offset=3, limit=3)
    assert (first.total, len(first.items), len(rest.items)) == (5, 3, 2)
    assert {s.id for s in first.items} | {s.id for s in rest.items} == {
        s.id for s in store.list_articles().items
    }
    assert store.search("harbour", language="en").total == 2


def test_listing_with_a_query_keeps_newest_first(corpus: Store) -> None:
    listed = corpus.list_articles(query="climate or coal")
    assert {s.id for s in listed.items} == {s.id for s in corpus.search("climate or coal").items}
    order = [(s.added_at, s.id) for s in listed.items]
    assert order == sorted(order, reverse=True)
    assert corpus.list_articles(query="  ").total == len(CORPUS)


def test_deleted_articles_leave_the_search_index(corpus: Store) -> None:
    (hit,) = corpus.search("marathon").items
    corpus.delete_article(hit.id)
    assert corpus.search("marathon").total == 0


def test_the_sqlite_search_index_stays_in_step_with_the_articles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'inbrief.db'}"
    with Store.open(url) as store:
        for n in range(6):
            store.add_article(_article(n))
        store.delete_article(2)
        store.delete_article(5)
    with sqlite3.connect(tmp_path / "inbrief.db") as conn:
        conn.execute("UPDATE articles SET title = 'Renamed' WHERE id = 1")
        # FTS5 compares its index with the articles table and raises if they differ.
        conn.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    with Store.open(url) as store:
        assert _titles(store.search("renamed")) == ["Renamed"]


# --- summaries --------------------------------------------------------------------------------


def _put(store: Store, key: str, article_id: int, payload: str) -> None:
    store.put_summary(key, article_id, "news", "1", "3 sentences", "en", payload)


def test_a_cached_summary_reads_back(store: Store) -> None:
    stored, _ = store.add_article(_article(1))
    assert store.get_summary("key-1") is None
    _put(store, "key-1", stored.id, '{"summary": ["One."]}')
    assert store.get_summary("key-1") == '{"summary": ["One."]}'


def test_putting_a_summary_again_is_harmless_and_keeps_the_latest(store: Store) -> None:
    stored, _ = store.add_article(_article(1))
    _put(store, "key-1", stored.id, '{"v": 1}')
    _put(store, "key-1", stored.id, '{"v": 1}')
    _put(store, "key-1", stored.id, '{"v": 2}')
    assert store.get_summary("key-1") == '{"v": 2}'


def test_a_summary_of_a_missing_article_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="article 999 does not exist"):
        _put(store, "key-1", 999, "{}")
    assert store.get_summary("key-1") is None


def test_deleting_an_article_deletes_its_summaries(store: Store) -> None:
    doomed, _ = store.add_article(_article(1))
    kept, _ = store.add_article(_article(2))
    _put(store, "doomed", doomed.id, "{}")
    _put(store, "kept", kept.id, "{}")
    store.delete_article(doomed.id)
    assert store.get_summary("doomed") is None
    assert store.get_summary("kept") == "{}"


# --- feeds ------------------------------------------------------------------------------------


def test_a_feed_is_subscribed_once(store: Store) -> None:
    feed, created = store.add_feed("https://News.Example.org/feed.xml", title="News")
    again, created_again = store.add_feed("https://news.example.org/feed.xml#top")
    assert created and not created_again
    assert again == feed
    assert (feed.url, feed.title) == ("https://news.example.org/feed.xml", "News")
    assert store.get_feed(feed.id) == feed


def test_feeds_are_listed_in_the_order_added(store: Store) -> None:
    added = [store.add_feed(f"https://example.org/{n}.xml")[0] for n in (3, 1, 2)]
    assert store.list_feeds() == tuple(added)
    assert store.get_feed(12345) is None


def test_update_feed_changes_only_what_is_given(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed.xml", title="Old title")
    polled = datetime(2024, 5, 1, 8, 30, tzinfo=UTC)
    updated = store.update_feed(
        feed.id,
        etag='"abc"',
        last_modified="Wed, 01 May 2024 08:00:00 GMT",
        last_polled_at=polled,
        last_error="timed out",
    )
    assert updated is not None
    assert (updated.title, updated.etag, updated.last_polled_at) == ("Old title", '"abc"', polled)
    cleared = store.update_feed(feed.id, last_error=None, title="New title")
    assert cleared is not None
    assert (cleared.title, cleared.last_error, cleared.etag) == ("New title", None, '"abc"')
    assert store.get_feed(feed.id) == cleared
    assert store.update_feed(12345, title="nobody") is None


def test_deleting_a_feed_keeps_its_articles(store: Store) -> None:
    feed, _ = store.add_feed("https://example.org/feed.xml")
    stored, _ = store.add_article(_article(1), feed_id=feed.id)
    assert store.delete_feed(feed.id)
    assert not store.delete_feed(feed.id)
    kept = store.get_article(stored.id)
    assert kept is not None and kept.feed_id is None


# --- schema upgrades --------------------------------------------------------------------------

# The schema exactly as inbrief's schema version 1 created it: a database in the wild.
V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE feeds (
    id {id}, url TEXT NOT NULL, title TEXT, etag TEXT, last_modified TEXT,
    last_polled_at {timestamp}, last_error TEXT, added_at {timestamp} NOT NULL,
    UNIQUE (url)
);
CREATE TABLE articles (
    id {id}, source_url TEXT, canonical_url TEXT, origin TEXT NOT NULL, title TEXT,
    author TEXT, published TEXT, language TEXT, site TEXT, text TEXT NOT NULL,
    content_hash TEXT NOT NULL, complete BOOLEAN NOT NULL, incomplete_reason TEXT,
    feed_id INTEGER, added_at {timestamp} NOT NULL,
    UNIQUE (canonical_url), UNIQUE (content_hash),
    FOREIGN KEY (feed_id) REFERENCES feeds (id) ON DELETE SET NULL
);
CREATE INDEX articles_feed_id ON articles (feed_id);
CREATE INDEX articles_added_at_id ON articles (added_at, id);
CREATE INDEX articles_language ON articles (language);
CREATE TABLE summaries (
    cache_key TEXT NOT NULL, article_id INTEGER NOT NULL, method TEXT NOT NULL,
    method_version TEXT NOT NULL, budget TEXT NOT NULL, language TEXT, payload TEXT NOT NULL,
    created_at {timestamp} NOT NULL,
    PRIMARY KEY (cache_key),
    FOREIGN KEY (article_id) REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX summaries_article_id ON summaries (article_id);
INSERT INTO schema_version (version) VALUES (1);
"""
V1_TYPES = {
    "sqlite": {"id": "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT", "timestamp": "DATETIME"},
    "postgresql": {"id": "SERIAL PRIMARY KEY", "timestamp": "TIMESTAMP WITH TIME ZONE"},
}
V1_ADDED_AT = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


def _build_v1(engine: Engine, *extra_statements: str) -> None:
    """A version-1 database holding one feed, one article and its cached summary."""
    sqlite_db = engine.dialect.name == "sqlite"
    # Version 1 wrote timestamps as SQLAlchemy does: naive UTC text on SQLite.
    stamp: Any = "2024-05-01 08:00:00.000000" if sqlite_db else V1_ADDED_AT
    with engine.begin() as conn:
        for statement in V1_SCHEMA.format(**V1_TYPES[engine.dialect.name]).split(";"):
            if statement.strip():
                conn.exec_driver_sql(statement)
        conn.execute(
            text("INSERT INTO feeds (url, added_at) VALUES ('https://example.org/feed', :at)"),
            {"at": stamp},
        )
        conn.execute(
            text(
                "INSERT INTO articles (source_url, canonical_url, origin, title, text, "
                "content_hash, complete, feed_id, added_at) VALUES (:url, :url, :url, "
                "'Harbour reopens', :text, :hash, :complete, 1, :at)"
            ),
            {
                "url": "https://example.org/harbour",
                "text": "Ships returned to the harbour on Monday.",
                "hash": content_hash("Ships returned to the harbour on Monday."),
                "complete": True,
                "at": stamp,
            },
        )
        conn.execute(
            text(
                "INSERT INTO summaries VALUES ('k1', 1, 'news', '1', '3 sentences', 'en', "
                "'{\"summary\": []}', :at)"
            ),
            {"at": stamp},
        )
        for statement in extra_statements:
            conn.exec_driver_sql(statement)


def test_a_version_1_database_is_upgraded_in_place(database_url: str, raw: Engine) -> None:
    _build_v1(raw)
    with Store.open(database_url) as store:
        assert _version(raw) == SCHEMA_VERSION
        (old,) = store.search("harbour").items  # indexed by the upgrade
        assert (old.id, old.added_at, old.feed_id) == (1, V1_ADDED_AT, 1)
        assert old.article.title == "Harbour reopens"
        assert store.get_summary("k1") == '{"summary": []}'
        new, created = store.add_article(_article(7))
        assert created and new.id == 2
        assert store.list_articles().items == (new, old)


def _v1_article(n: int, url: str, text: str) -> str:
    """An INSERT of a version-1 article row, for :func:`_build_v1`'s extra statements."""
    return (
        "INSERT INTO articles (source_url, canonical_url, origin, text, content_hash, complete, "
        f"added_at) VALUES ('{url}', '{url}', '{url}', '{text}', '{content_hash(text)}', TRUE, "
        f"'2024-05-0{n} 08:00:00.000000')"
    )


def test_an_upgrade_identifies_stored_articles_by_their_text(
    database_url: str, raw: Engine
) -> None:
    _build_v1(raw, _v1_article(2, "https://example.org/storm", "A storm closed the port."))
    with Store.open(database_url) as store:
        copy = _article(9, text="A storm  closed\nthe port.", url="https://mirror.example/s")
        again, created = store.add_article(copy)
        assert not created and again.id == 2


def test_an_upgrade_keeps_copies_an_older_inbrief_stored_twice(
    database_url: str, raw: Engine
) -> None:
    _build_v1(
        raw,
        _v1_article(2, "https://example.org/storm", "A storm closed the port.\n\nShips wait."),
        _v1_article(3, "https://feeds.example/item/4", "A storm closed the port.\nShips wait."),
    )
    with Store.open(database_url) as store:
        assert [stored.id for stored in store.list_articles().items] == [3, 2, 1]
        third = _article(9, text="A storm closed the port. Ships wait.", url="https://x.example/")
        again, created = store.add_article(third)
        assert not created and again.id == 2  # the first copy stored
        assert store.delete_article(2)
        # The second copy stands alone now, and is still found by its text.
        found, created = store.add_article(
            _article(9, text="A storm closed the port.\nShips wait.")
        )
        assert not created and found.id == 3


def test_an_upgraded_database_has_the_same_schema_as_a_new_one(
    new_database: Callable[[], str],
) -> None:
    upgraded, fresh = new_database(), new_database()
    engine = create_engine(upgraded, poolclass=NullPool)
    _build_v1(engine)
    engine.dispose()
    for url in (upgraded, fresh):
        Store.open(url).close()
    assert _schema_of(upgraded) == _schema_of(fresh)


def test_the_tables_the_store_queries_are_the_tables_the_migrations_build(
    new_database: Callable[[], str],
) -> None:
    migrated, described = new_database(), new_database()
    Store.open(migrated).close()
    engine = create_engine(described, poolclass=NullPool)
    metadata.create_all(engine)
    engine.dispose()

    # The full-text index is each backend's own (migration 2), outside the table definitions.
    described_indexes = {
        index.name for table in metadata.tables.values() for index in table.indexes
    }

    def tables(url: str) -> dict[str, Any]:
        schema = _schema_of(url)
        compared = {}
        for name in metadata.tables:
            columns, indexes, *constraints = schema[name]
            # Column order aside: a column a migration adds comes last in the database.
            kept = [index for index in indexes if index[0] in described_indexes]
            compared[name] = (sorted(columns), kept, *constraints)
        return compared

    assert tables(migrated) == tables(described)


def _schema_of(url: str) -> dict[str, Any]:
    """Tables with their columns, indexes and constraints (and SQLite's triggers), comparable."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            inspector = inspect(conn)
            schema: dict[str, Any] = {}
            for name in inspector.get_table_names():
                columns = inspector.get_columns(name)
                indexes = inspector.get_indexes(name)
                uniques = inspector.get_unique_constraints(name)
                foreign_keys = inspector.get_foreign_keys(name)
                schema[name] = (
                    [(c["name"], str(c["type"]), c["nullable"]) for c in columns],
                    sorted(
                        (i["name"], str(i["column_names"]), str(i.get("expressions")), i["unique"])
                        for i in indexes
                    ),
                    sorted(str(u["column_names"]) for u in uniques),
                    sorted(
                        (str(f["constrained_columns"]), f["referred_table"], str(f["options"]))
                        for f in foreign_keys
                    ),
                )
            if conn.dialect.name == "sqlite":
                triggers = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                schema["triggers"] = sorted(tuple(row) for row in conn.exec_driver_sql(triggers))
            return schema
    finally:
        engine.dispose()


def test_a_failed_upgrade_changes_nothing(database_url: str, raw: Engine) -> None:
    # An object already holding a name that migration 2 creates late in its work.
    conflict = (
        "CREATE TRIGGER articles_fts_update AFTER UPDATE ON feeds BEGIN SELECT 1; END"
        if raw.dialect.name == "sqlite"
        else "CREATE TABLE articles_search (id INTEGER)"
    )
    _build_v1(raw, conflict)
    before = _schema_of(database_url)
    with pytest.raises(StoreError, match="already exists"):
        Store.open(database_url)
    assert _version(raw) == 1
    assert _schema_of(database_url) == before


# --- concurrent writers -----------------------------------------------------------------------

WRITERS = 8


def _add_at_once(store: Store, article: Article) -> list[tuple[StoredArticle, bool]]:
    return _at_once(WRITERS, lambda _: store.add_article(article))


def test_writers_adding_one_article_at_once_store_it_once(store: Store) -> None:
    for n in range(5):
        results = _add_at_once(store, _article(n))
        assert sum(created for _, created in results) == 1
        assert len({stored.id for stored, _ in results}) == 1
    assert store.list_articles().total == 5


def test_writers_adding_one_text_under_many_urls_store_it_once(store: Store) -> None:
    results = _at_once(
        WRITERS,
        lambda i: store.add_article(_article(0, url=f"https://mirror{i}.example.net/copy")),
    )
    assert sum(created for _, created in results) == 1
    assert store.list_articles().total == 1


def test_writers_adding_shared_and_distinct_articles_at_once(store: Store) -> None:
    def add(i: int) -> tuple[StoredArticle, bool]:
        return store.add_article(_article(1000 if i % 2 else i))

    results = _at_once(WRITERS, add)
    shared = [result for i, result in enumerate(results) if i % 2]
    distinct = [result for i, result in enumerate(results) if not i % 2]
    assert sum(created for _, created in shared) == 1
    assert all(created for _, created in distinct)
    assert store.list_articles().total == 1 + len(distinct)


def test_summaries_and_feeds_written_at_once_are_stored_once(store: Store) -> None:
    stored, _ = store.add_article(_article(1))
    _at_once(WRITERS, lambda i: _put(store, "shared", stored.id, f'{{"writer": {i}}}'))
    feeds = _at_once(WRITERS, lambda _: store.add_feed("https://example.org/feed.xml"))
    assert store.get_summary("shared") is not None
    assert sum(created for _, created in feeds) == 1
    assert len(store.list_feeds()) == 1


# --- URL keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, key",
    [
        ("HTTPS://News.Example.ORG/a/B?x=1#top", "https://news.example.org/a/B?x=1"),
        ("http://example.org:80", "http://example.org/"),
        ("https://example.org:8443/a", "https://example.org:8443/a"),
        ("https://example.org/a?utm_source=rss&id=7&fbclid=abc", "https://example.org/a?id=7"),
        ("  https://example.org/a  ", "https://example.org/a"),
        ("https://[2001:DB8::1]/a", "https://[2001:db8::1]/a"),
        ("story.html", "story.html"),
    ],
)
def test_url_key(url: str, key: str) -> None:
    assert url_key(url) == key
