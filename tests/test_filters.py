"""The article list's filters: by feed, site, language and day, in the store (SQLite and
PostgreSQL), on the reader's pages (as bookmarkable URLs) and in the API, and in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import httpx
import lxml.html
import pytest
from test_api import assert_problem
from test_browser import browser, expect  # noqa: F401  (shared fixture)
from test_store import database_url, new_database  # noqa: F401  (both backends)

from inbrief.models import Article
from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.store import Store
from inbrief.store.listing import ArticleFilter

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ADDED = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Row:
    """One article of the test set, named so that tests can say which they expect."""

    name: str
    feed: str | None
    site: str | None
    language: str | None
    published: str | None


ROWS = (
    Row("quay", "gazette", "Alder Gazette", "en", "2026-03-02"),
    Row("market", "gazette", "Alder Gazette", "ru", "2026-03-05T09:30:00+03:00"),
    Row("bridge", "post", "Birch Post", "en", "2026-02-20"),
    # No date: the list files it under the day it was added, 2026-03-10.
    Row("library", None, "Birch Post", "kk", None),
    Row("school", None, None, "en", "Thu, 05 Mar 2026 10:00:00 GMT"),
)


def fill(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    """The test set in ``store``: five articles and two feeds; their ids by name."""
    feeds = {
        "gazette": store.add_feed("http://feeds.example/gazette.rss", "Alder Gazette news")[0].id,
        "post": store.add_feed("http://feeds.example/post.rss", "Birch Post")[0].id,
    }
    ids = {}
    for row in ROWS:
        article = Article(
            text=f"The {row.name} story opens here. It has a second sentence about the {row.name}.",
            title=f"The {row.name} story",
            site=row.site,
            language=row.language,
            date=row.published,
            origin=f"test:{row.name}",
        )
        feed_id = feeds[row.feed] if row.feed else None
        stored, _ = store.add_article(article, feed_id=feed_id, added_at=ADDED)
        ids[row.name] = stored.id
    return ids, feeds


def names(ids: dict[str, int], found: Any) -> set[str]:
    by_id = {number: name for name, number in ids.items()}
    return {by_id[item.id] for item in found.items}


# --- the store, on both databases -------------------------------------------------------------


def test_the_store_filters_by_feed_site_language_and_day(database_url: str) -> None:  # noqa: F811
    with Store.open(database_url) as store:
        ids, feeds = fill(store)

        def kept(**fields: Any) -> set[str]:
            return names(ids, store.list_articles(0, 50, filters=ArticleFilter(**fields)))

        assert kept() == {row.name for row in ROWS}
        assert kept(feed_id=feeds["gazette"]) == {"quay", "market"}
        assert kept(site="Birch Post") == {"bridge", "library"}
        assert kept(site="birch post") == set()  # exact, as the article names its site
        assert kept(language="en") == {"quay", "bridge", "school"}
        # Both ends included; the undated article counts on the day it was added.
        assert kept(since=date(2026, 3, 5)) == {"market", "school", "library"}
        assert kept(until=date(2026, 3, 2)) == {"quay", "bridge"}
        assert kept(since=date(2026, 3, 2), until=date(2026, 3, 5)) == {"quay", "market", "school"}
        assert kept(since=date(2026, 3, 10), until=date(2026, 3, 10)) == {"library"}
        assert kept(language="en", since=date(2026, 3, 1), site="Alder Gazette") == {"quay"}
        # The older arguments still work, and win over the filter's own.
        older = store.list_articles(0, 50, language="ru", filters=ArticleFilter(language="en"))
        assert names(ids, older) == {"market"}
        # Search is narrowed the same way.
        found = store.search("story", filters=ArticleFilter(until=date(2026, 3, 2)))
        assert names(ids, found) == {"quay", "bridge"}
        choices = store.filter_choices()
        assert choices.languages == ("en", "kk", "ru")
        assert choices.sites == ("Alder Gazette", "Birch Post")
        # Past the cap, the sites with the most articles; a tie goes by name.
        store.add_article(Article(text="A third Birch Post story.", site="Birch Post", origin="t"))
        assert store.filter_choices(max_sites=1).sites == ("Birch Post",)
        assert store.filter_choices(max_sites=2).sites == ("Alder Gazette", "Birch Post")


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="starts"):
        ArticleFilter(since=date(2026, 3, 5), until=date(2026, 3, 1))


# --- the pages and the API --------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    url: str
    store: Store
    ids: dict[str, int]
    feeds: dict[str, int]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=60)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    database = tmp_path_factory.mktemp("filters") / "inbrief.db"
    with Store.open(str(database)) as store:
        ids, feeds = fill(store)
        with running(create_app(store, Settings(page_size=2))) as url:
            yield Reader(url, store, ids, feeds)


@pytest.fixture
def web(reader: Reader) -> Iterator[httpx.Client]:
    with reader.client() as client:
        yield client


def listed(reader: Reader, web: httpx.Client, path: str) -> tuple[set[str], lxml.html.HtmlElement]:
    """The names of the articles a page lists, following its Older links, and its first page."""
    seen: set[str] = set()
    first = None
    by_id = {f"/articles/{n}": name for name, n in reader.ids.items()}
    url: str | None = path
    while url:
        answer = web.get(url)
        assert answer.status_code == 200, answer.text
        page = lxml.html.fromstring(answer.text)
        first = first if first is not None else page
        seen |= {by_id[href] for href in page.xpath("//ol[@class='article-list']//h2/a/@href")}
        older = page.xpath("//a[@rel='next']/@href")
        url = older[0] if older else None
    assert first is not None
    return seen, first


def api_names(reader: Reader, web: httpx.Client, params: dict[str, Any]) -> set[str]:
    answer = web.get("/api/articles", params={**params, "limit": 100})
    assert answer.status_code == 200, answer.text
    by_id = {n: name for name, n in reader.ids.items()}
    return {by_id[item["id"]] for item in answer.json()["items"]}


CASES = [
    ({"feed": "gazette"}, {"quay", "market"}),
    ({"site": "Birch Post"}, {"bridge", "library"}),
    ({"language": "en"}, {"quay", "bridge", "school"}),
    ({"from": "2026-03-05"}, {"market", "school", "library"}),
    ({"to": "2026-03-02"}, {"quay", "bridge"}),
    ({"from": "2026-03-02", "to": "2026-03-05", "language": "en"}, {"quay", "school"}),
    ({"feed": "post", "language": "ru"}, set()),
]


@pytest.mark.parametrize(("params", "expected"), CASES)
def test_the_list_and_the_api_filter_alike(
    reader: Reader, web: httpx.Client, params: dict[str, str], expected: set[str]
) -> None:
    if "feed" in params:
        params = {**params, "feed": str(reader.feeds[params["feed"]])}
    # Two to a page: the filters must hold on every page the Older links lead to.
    on_pages, _ = listed(reader, web, "/?" + str(httpx.QueryParams(params)))
    assert on_pages == expected
    assert api_names(reader, web, params) == expected


def test_a_filtered_list_is_a_url_that_gives_it_back(reader: Reader, web: httpx.Client) -> None:
    gazette = reader.feeds["gazette"]
    query = {"feed": str(gazette), "language": "ru", "from": "2026-03-01", "to": "2026-03-31"}
    _, page = listed(reader, web, "/?" + str(httpx.QueryParams(query)))
    # The form shows the filters in force, so submitting it again asks for the same list.
    form = page.xpath("//form[@aria-label='Filter the articles']")[0]
    assert form.xpath(".//select[@name='feed']/option[@selected]/@value") == [str(gazette)]
    assert form.xpath(".//select[@name='language']/option[@selected]/@value") == ["ru"]
    assert form.xpath(".//input[@name='from']/@value") == ["2026-03-01"]
    assert form.xpath(".//input[@name='to']/@value") == ["2026-03-31"]
    # The languages and sites on offer are the stored ones; the feeds, the subscribed ones.
    assert form.xpath(".//select[@name='language']/option/@value") == ["", "en", "kk", "ru"]
    assert form.xpath(".//datalist/option/@value") == ["Alder Gazette", "Birch Post"]
    assert form.xpath(".//select[@name='feed']/option/text()") == [
        "All feeds",
        "Alder Gazette news",
        "Birch Post",
    ]


def test_the_pager_keeps_the_filters(reader: Reader, web: httpx.Client) -> None:
    page = lxml.html.fromstring(web.get("/", params={"language": "en", "from": "2026-02-01"}).text)
    older = page.xpath("//a[@rel='next']/@href")[0]
    assert parse_qs(urlsplit(older).query) == {
        "language": ["en"],
        "from": ["2026-02-01"],
        "page": ["2"],
    }


def test_empty_fields_of_the_form_filter_nothing(reader: Reader, web: httpx.Client) -> None:
    everything = {row.name for row in ROWS}
    # What the plain GET form sends when nothing is chosen: the list, at its plain address.
    sent = web.get("/?feed=&site=&language=&from=&to=")
    assert sent.status_code == 303
    assert sent.headers["location"] == "/"
    chosen = web.get("/search?q=story&feed=&site=Birch+Post&language=&from=&to=")
    assert chosen.headers["location"] == "/search?q=story&site=Birch+Post"
    assert listed(reader, web, chosen.headers["location"])[0] == {"bridge", "library"}
    params = {"feed": "", "site": " ", "language": "", "from": "", "to": ""}
    assert api_names(reader, web, params) == everything


def test_a_site_in_the_list_links_to_its_articles(reader: Reader, web: httpx.Client) -> None:
    page = lxml.html.fromstring(web.get("/").text)
    link = page.xpath("//p[@class='meta']//a[bdi='Birch Post']/@href")[0]
    assert listed(reader, web, link)[0] == {"bridge", "library"}


def test_a_filter_that_keeps_nothing_says_so(reader: Reader, web: httpx.Client) -> None:
    page = lxml.html.fromstring(web.get("/", params={"site": "Nowhere Times"}).text)
    assert page.xpath("//p[@class='empty']/text()") == ["No article matches these filters."]
    # A value no stored article has is still shown as chosen.
    assert page.xpath("//input[@name='site']/@value") == ["Nowhere Times"]


def test_search_is_filtered_too(reader: Reader, web: httpx.Client) -> None:
    page = lxml.html.fromstring(
        web.get("/search", params={"q": "story", "language": "en", "to": "2026-03-02"}).text
    )
    by_id = {f"/articles/{n}": name for name, n in reader.ids.items()}
    found = {by_id[h] for h in page.xpath("//ol[@class='article-list']//h2/a/@href")}
    assert found == {"quay", "bridge"}
    # The filter form searches again for the same words: its button sends them.
    form = page.xpath("//form[@aria-label='Filter the articles']")[0]
    assert form.xpath(".//button[@name='q']/@value") == ["story"]
    assert page.xpath("//input[@name='q']/@value") == ["story"]  # the search box alone


@pytest.mark.parametrize(
    ("params", "field", "said"),
    [
        (
            {"from": "yesterday"},
            "from",
            "give a day as YYYY-MM-DD, like 2026-03-01, not 'yesterday'",
        ),
        ({"to": "2026-02-30"}, "to", "2026-02-30 is not a day of the calendar"),
        ({"from": "2026-03-05", "to": "2026-03-01"}, "to", "2026-03-01 comes before"),
        ({"feed": "gazette"}, "feed", "valid integer"),
        ({"feed": "0"}, "feed", "greater than or equal to 1"),
    ],
)
def test_a_filter_that_is_not_one_is_a_clear_422(
    web: httpx.Client, params: dict[str, str], field: str, said: str
) -> None:
    problem = assert_problem(web.get("/api/articles", params=params), 422, said)
    assert [error["field"] for error in problem["errors"]] == [field]  # type: ignore[union-attr]
    page = web.get("/", params=params)
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    assert said in lxml.html.fromstring(page.text).text_content()


def test_the_api_documents_the_filters(web: httpx.Client) -> None:
    operation = web.get("/openapi.json").json()["paths"]["/api/articles"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert {"feed", "site", "language", "from", "to"} <= set(parameters)
    for name in ("feed", "site", "language", "from", "to"):
        assert parameters[name]["in"] == "query"
        assert parameters[name]["description"]
    for name in ("from", "to"):
        kinds = parameters[name]["schema"]["anyOf"]
        assert {"type": "string", "format": "date"} in kinds
    assert "to" in operation["description"] and "YYYY-MM-DD" in operation["description"]


# --- in Chromium --------------------------------------------------------------------------------


def test_choosing_filters_in_the_browser_gives_a_bookmarkable_list(
    browser: Browser,  # noqa: F811
    reader: Reader,
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(reader.url + "/")
        page.get_by_label("Language").select_option("en")
        page.get_by_label("From").fill("2026-03-01")
        page.get_by_role("button", name="Filter").click()
        # The form's empty fields are dropped: the address is the filters alone.
        page.wait_for_url(f"{reader.url}/?language=en&from=2026-03-01")
        titles = page.locator(".article-list h2").all_inner_texts()
        assert sorted(titles) == ["The quay story", "The school story"]
        # The URL is the bookmark: opened afresh, it gives the same list and form.
        bookmark = page.url
        again = context.new_page()
        again.goto(bookmark)
        expect(again.get_by_label("Language")).to_have_value("en")
        expect(again.get_by_label("From")).to_have_value("2026-03-01")
        assert sorted(again.locator(".article-list h2").all_inner_texts()) == sorted(titles)
        # Clearing the filters gives the whole list back.
        again.get_by_role("link", name="Clear filters").click()
        again.wait_for_url(reader.url + "/")
        assert again.locator(".article-list h2").count() == 2  # the first page of five
        # On search results the filters narrow the same search.
        again.goto(reader.url + "/search?q=story")
        again.get_by_label("Language").select_option("ru")
        again.get_by_label("Site").press("Enter")
        again.wait_for_url(reader.url + "/search?language=ru&q=story")
        assert again.locator(".article-list h2").all_inner_texts() == ["The market story"]
        expect(again.get_by_role("searchbox")).to_have_value("story")
        assert errors == []
    finally:
        context.close()


def test_filters_round_trip_through_the_query_string_helper() -> None:
    from inbrief.service.context import filter_query

    filters = ArticleFilter(feed_id=3, site="A & B", since=date(2026, 1, 2))
    assert filter_query(filters) == {"feed": "3", "site": "A & B", "from": "2026-01-02"}
    assert filter_query(ArticleFilter()) == {}


def test_the_form_s_choices_are_counted_again_as_soon_as_the_articles_change(
    tmp_path: Path,
) -> None:
    from inbrief.service.context import ChoicesMemo

    memo = ChoicesMemo()
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        fill(store)
        assert memo.get(store).languages == ("en", "kk", "ru")
        assert memo.get(store) is memo.get(store)  # kept while nothing changes
        store.add_article(Article(text="Ein neuer Artikel.", language="de", origin="t:de"))
        assert memo.get(store).languages == ("de", "en", "kk", "ru")
