"""Ingest into a real SQLite store: from files, from a real HTTP server, and the demo corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import LocalServer

from inbrief.cache import summary_key
from inbrief.errors import FetchError, SourceError
from inbrief.extract.markup import unwrap_wiki_markup
from inbrief.ingest import (
    DEFAULT_BUDGETS,
    add_article,
    add_document,
    add_source,
    load_demo_corpus,
)
from inbrief.models import Article
from inbrief.sources import from_text
from inbrief.store import Store, StoredArticle

DEMO = Path(__file__).parents[1] / "src" / "inbrief" / "data" / "demo"
PAGE = DEMO / "html" / "en-globalvoices-004-china-a-leaking-dam.html"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "inbrief.db")) as opened:
        yield opened


def demo_rows() -> list[dict[str, str]]:
    lines = (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def default_summaries(store: Store, stored: StoredArticle) -> list[dict[str, Any] | None]:
    payloads = [store.get_summary(summary_key(stored, budget)) for budget in DEFAULT_BUDGETS]
    return [json.loads(p) if p is not None else None for p in payloads]


def test_the_reader_default_budgets_are_three_sentences_and_sixty_words() -> None:
    assert [(b.unit, b.value) for b in DEFAULT_BUDGETS] == [("sentences", 3), ("words", 60)]


def test_adding_a_file_stores_its_article_with_default_summaries(store: Store) -> None:
    result = add_source(store, str(PAGE))

    assert result.created
    assert store.get_article(result.article.id) == result.article
    assert "dam" in (result.article.article.title or "").lower()
    three, sixty = default_summaries(store, result.article)
    assert three is not None and three["budget"] == {"unit": "sentences", "value": 3}
    assert len(three["sentences"]) == 3
    assert sixty is not None and sixty["budget"] == {"unit": "words", "value": 60}


def test_adding_a_url_fetches_it_and_records_where_it_came_from(
    store: Store, http_server: LocalServer
) -> None:
    url = http_server.route("/2009/06/leaking-dam", PAGE.read_bytes())

    result = add_source(store, url)

    assert result.created
    assert result.article.source_url == url
    assert all(summary is not None for summary in default_summaries(store, result.article))


def test_adding_the_same_url_again_returns_the_stored_article(
    store: Store, http_server: LocalServer
) -> None:
    url = http_server.route("/story", PAGE.read_bytes())
    first = add_source(store, url)
    second = add_source(store, url)

    assert not second.created
    assert second.article.id == first.article.id
    assert store.list_articles().total == 1


def test_the_same_text_from_another_address_is_not_stored_twice(
    store: Store, http_server: LocalServer
) -> None:
    first = add_source(store, http_server.route("/a", PAGE.read_bytes()))
    second = add_source(store, str(PAGE))

    assert not second.created
    assert second.article.id == first.article.id


def test_a_document_and_an_article_go_in_the_same_way(store: Store) -> None:
    text = demo_rows()[2]["body"]
    from_document = add_document(store, from_text(text, origin="story.txt"))
    again = add_article(store, from_document.article.article)

    assert from_document.created
    assert not again.created
    assert again.article.id == from_document.article.id


def test_a_source_that_cannot_be_read_stores_nothing(
    store: Store, tmp_path: Path, refused_url: str
) -> None:
    with pytest.raises(SourceError, match="no such file"):
        add_source(store, str(tmp_path / "missing.html"))
    with pytest.raises(FetchError, match="connection refused"):
        add_source(store, refused_url)
    assert store.list_articles().total == 0


def test_an_already_stored_article_gets_its_missing_summaries(store: Store) -> None:
    article = Article(text=demo_rows()[3]["body"], language="en")
    stored, _ = store.add_article(article)  # stored by another path, never summarized
    assert default_summaries(store, stored) == [None, None]

    result = add_article(store, article)

    assert not result.created
    assert None not in default_summaries(store, stored)


def test_the_demo_corpus_fills_an_empty_store_with_its_metadata(store: Store) -> None:
    rows = demo_rows()

    assert load_demo_corpus(store) == len(rows)

    page = store.list_articles(limit=len(rows) + 1)
    assert page.total == len(rows)
    by_url = {item.article.url: item.article for item in page.items}
    for row in rows:
        article = by_url[row["url"]]
        assert article.text == unwrap_wiki_markup(row["body"]).strip()  # links as their text
        assert (article.title, article.date, article.site, article.language) == (
            row["title"],
            row["date"] or None,
            row["source_site"],
            row["language"],
        )
    # Listed newest first: the latest publication date is on top.
    dated = [item.article.date for item in page.items if item.article.date]
    assert dated[0] == max(row["date"] for row in rows if row["date"])
    assert None not in default_summaries(store, page.items[0])


def test_loading_the_demo_corpus_again_adds_nothing(store: Store) -> None:
    first = load_demo_corpus(store)
    assert load_demo_corpus(store) == 0
    assert store.list_articles().total == first
