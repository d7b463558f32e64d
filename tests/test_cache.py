"""The summary cache, on a real SQLite store: keyed by content, computed once, read back as is."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import inbrief.cache
from inbrief import summarizers
from inbrief.cache import article_key, cache_key, cached_summaries, cached_summary, summary_key
from inbrief.errors import MethodError
from inbrief.models import Article, Budget
from inbrief.pipeline import summarize_article
from inbrief.render import summary_to_dict
from inbrief.store import Store, StoredArticle
from inbrief.summarizers.news import News

DEMO = Path(__file__).parents[1] / "src" / "inbrief" / "data" / "demo" / "articles.jsonl"


def demo_article(index: int) -> Article:
    row = json.loads(DEMO.read_text(encoding="utf-8").splitlines()[index])
    return Article(
        text=row["body"],
        title=row["title"],
        date=row["date"],
        language=row["language"],
        site=row["source_site"],
        url=row["url"],
        origin=row["url"],
    )


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "inbrief.db")) as opened:
        yield opened


@pytest.fixture
def stored(store: Store) -> StoredArticle:
    article, _ = store.add_article(demo_article(0))
    return article


def test_a_first_request_computes_the_summary_and_stores_it_under_its_key(
    store: Store, stored: StoredArticle
) -> None:
    budget = Budget("sentences", 3)
    key = summary_key(stored, budget)
    assert store.get_summary(key) is None

    summary = cached_summary(store, stored, budget)

    fresh = summary_to_dict(summarize_article(stored.article, budget))
    assert summary == fresh
    payload = store.get_summary(key)
    assert payload is not None
    assert json.loads(payload) == fresh


def test_a_cache_hit_returns_the_identical_dict(store: Store, stored: StoredArticle) -> None:
    budget = Budget("words", 60)
    first = cached_summary(store, stored, budget)
    second = cached_summary(store, stored, budget)
    assert second == first
    # Identical down to the JSON a client receives, including number types (60, not 60.0).
    assert json.dumps(second, ensure_ascii=False) == json.dumps(first, ensure_ascii=False)


def test_a_cache_hit_reads_the_store_instead_of_recomputing(
    store: Store, stored: StoredArticle
) -> None:
    budget = Budget("sentences", 2)
    computed = cached_summary(store, stored, budget)
    key = summary_key(stored, budget)
    # Mark the stored entry: only a read from the store can return the mark.
    marked = {**computed, "keyphrases": ["read from the cache"]}
    store.put_summary(
        key,
        stored.id,
        computed["stats"]["method"],
        computed["stats"]["method_version"],
        budget.describe(),
        stored.article.language,
        json.dumps(marked),
    )

    assert cached_summary(store, stored, budget) == marked


def test_each_budget_and_method_is_its_own_entry(store: Store, stored: StoredArticle) -> None:
    three = cached_summary(store, stored, Budget("sentences", 3))
    one = cached_summary(store, stored, Budget("sentences", 1))
    lead = cached_summary(store, stored, Budget("sentences", 3), "lead")

    assert len(three["sentences"]) == 3
    assert len(one["sentences"]) == 1
    assert lead["stats"]["method"] == "lead"
    keys = {
        summary_key(stored, Budget("sentences", 3)),
        summary_key(stored, Budget("sentences", 1)),
        summary_key(stored, Budget("sentences", 3), "lead"),
    }
    assert len(keys) == 3
    assert all(store.get_summary(key) is not None for key in keys)


def test_news_and_its_former_name_share_one_entry(stored: StoredArticle) -> None:
    budget = Budget("sentences", 3)
    assert summary_key(stored, budget, "learned") == summary_key(stored, budget, "news")


def test_the_key_names_the_weights_the_summarizer_loaded(stored: StoredArticle) -> None:
    budget = Budget("sentences", 3)
    news = summarizers.get("news")
    assert news.model_digest
    assert summary_key(stored, budget) == article_key(stored.article, news, budget)
    assert summary_key(stored, budget) != cache_key(
        stored.article.text, stored.article.language, news.name, news.version, budget
    )


def test_retrained_weights_never_share_a_key_with_the_shipped_ones(
    tmp_path: Path, stored: StoredArticle
) -> None:
    shipped_file = Path(str(resources.files("inbrief") / "data" / "news_model.npz"))
    with np.load(shipped_file) as data:
        arrays = {name: data[name] for name in data.files}
    # A model retrained without anyone bumping a version: same file layout, same version label,
    # one weight moved.
    arrays["en.intercept"] = arrays["en.intercept"] + 0.25
    retrained_file = tmp_path / "news_model.npz"
    np.savez_compressed(retrained_file, **arrays)
    unchanged_file = tmp_path / "copy.npz"
    unchanged_file.write_bytes(shipped_file.read_bytes())

    shipped, retrained, copy = News(), News(retrained_file), News(unchanged_file)
    assert (retrained.name, retrained.version) == (shipped.name, shipped.version)
    assert retrained.model.version == shipped.model.version
    article, budget = stored.article, Budget("sentences", 3)
    shipped_key = article_key(article, shipped, budget)
    assert article_key(article, retrained, budget) != shipped_key
    assert article_key(article, copy, budget) == shipped_key


def test_equal_budgets_spelled_differently_share_one_entry(
    store: Store, stored: StoredArticle
) -> None:
    as_float = cached_summary(store, stored, Budget("words", 60.0))
    as_int = cached_summary(store, stored, Budget("words", 60))
    assert summary_key(stored, Budget("words", 60.0)) == summary_key(stored, Budget("words", 60))
    assert as_float == as_int
    assert as_int["budget"] == {"unit": "words", "value": 60}


def test_a_changed_text_gets_a_new_key_and_its_own_summary(store: Store) -> None:
    original = demo_article(1)
    edited = Article(
        text=original.text.replace("\n\n", "\n\nCorrection: an earlier version erred.\n\n", 1),
        title=original.title,
        language=original.language,
    )
    first, _ = store.add_article(original)
    second, _ = store.add_article(edited)
    budget = Budget("sentences", 3)

    assert summary_key(first, budget) != summary_key(second, budget)
    cached_summary(store, first, budget)
    assert store.get_summary(summary_key(second, budget)) is None
    assert cached_summary(store, second, budget)["text"] == edited.text


def test_every_input_of_the_key_changes_it() -> None:
    budget = Budget("sentences", 3)
    base = ("Text of the article.", "en", "centrality", "1", budget)
    variants = [
        ("Text of the article!", "en", "centrality", "1", budget),
        ("Text of the article.", "fr", "centrality", "1", budget),
        ("Text of the article.", None, "centrality", "1", budget),
        ("Text of the article.", "en", "lead", "1", budget),
        ("Text of the article.", "en", "centrality", "2", budget),
        ("Text of the article.", "en", "centrality", "1", Budget("sentences", 4)),
        ("Text of the article.", "en", "centrality", "1", Budget("words", 3)),
    ]
    keys = {cache_key(*base)} | {cache_key(*variant) for variant in variants}
    assert len(keys) == 1 + len(variants)
    assert cache_key(*base, keywords=3) != cache_key(*base)
    assert cache_key(*base, model_digest="0" * 64) != cache_key(*base)


def test_the_key_is_the_same_in_another_process() -> None:
    args = ("Ein Artikel über Wahlen.", "de", "centrality", "1", Budget("ratio", 0.2))
    script = (
        "from inbrief.cache import cache_key; from inbrief.models import Budget; "
        "print(cache_key('Ein Artikel über Wahlen.', 'de', 'centrality', '1', "
        "Budget('ratio', 0.2)))"
    )
    keys = set()
    for seed in ("1", "2"):
        # A different hash seed would change any key built on Python's hash().
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        keys.add(result.stdout.strip())
    assert keys == {cache_key(*args)}


def test_an_unknown_method_is_refused_before_anything_is_stored(
    store: Store, stored: StoredArticle
) -> None:
    with pytest.raises(MethodError, match="unknown summarization method"):
        cached_summary(store, stored, Budget(), "no-such-method")


def test_an_article_deleted_while_its_summary_is_made_still_gets_it(
    store: Store, stored: StoredArticle
) -> None:
    # The reader asked while the article existed; another writer deleted it before the
    # summary was stored: the answer is the summary, and nothing is cached for a gone article.
    assert store.delete_article(stored.id)
    budget = Budget("sentences", 2)

    result = cached_summary(store, stored, budget)

    assert result == summary_to_dict(summarize_article(stored.article, budget))
    assert store.get_summary(summary_key(stored, budget, "news")) is None


def test_several_budgets_at_once_read_the_cached_and_compute_the_rest_together(
    store: Store, stored: StoredArticle, monkeypatch: pytest.MonkeyPatch
) -> None:
    three, sixty, one = Budget("sentences", 3), Budget("words", 60), Budget("sentences", 1)
    marked = {**cached_summary(store, stored, three), "keyphrases": ["read from the cache"]}
    store.put_summary(
        summary_key(stored, three),
        stored.id,
        "news",
        News.version,
        three.describe(),
        stored.article.language,
        json.dumps(marked),
    )
    calls: list[list[Budget]] = []
    summarize_budgets = inbrief.cache.summarize_budgets

    def counted(article: Article, budgets: list[Budget], **options: object) -> object:
        calls.append(list(budgets))
        return summarize_budgets(article, budgets, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(inbrief.cache, "summarize_budgets", counted)
    got = cached_summaries(store, stored, [three, sixty, one, Budget("words", 60.0)])

    assert calls == [[sixty, one]]  # one computation for the two not cached, once each
    fresh = [summary_to_dict(summarize_article(stored.article, b)) for b in (sixty, one)]
    assert got == [marked, fresh[0], fresh[1], fresh[0]]
    assert [cached_summary(store, stored, b) for b in (sixty, one)] == fresh
    assert cached_summaries(store, stored, [one, three]) == [fresh[1], marked]
    assert len(calls) == 1
