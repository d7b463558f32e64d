"""Today in brief: stories made of several sources' articles, their summaries, and /today itself.

The articles are the look-alike reports of ``tests/fixtures/stories/`` (invented events, each
told by two or three sources, wire copy republished, and different events on the same topics).
The page tests serve them as RSS feeds from the local HTTP server, poll them with ``poll_all``
and read ``/today`` from a real reader on 127.0.0.1.
"""

from __future__ import annotations

import html
import itertools
import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx
import lxml.etree
import lxml.html
import pytest
from conftest import LocalServer

from inbrief.feeds import poll_all
from inbrief.ingest import demo_articles
from inbrief.models import Article
from inbrief.service import create_app
from inbrief.service.server import running
from inbrief.service.today import parse_day
from inbrief.store import Store, StoredArticle
from inbrief.stories import group_stories
from inbrief.stories.cluster import cluster
from inbrief.stories.digest import digest
from inbrief.text import split_sentences

FIXTURES = Path(__file__).parent / "fixtures" / "stories"
ROWS = {row["id"]: row for row in json.loads((FIXTURES / "articles.json").read_text("utf-8"))}
ATOM = "{http://www.w3.org/2005/Atom}"


def fixture(key: str) -> Article:
    row = ROWS[key]
    return Article(text=row["text"], title=row["title"], language="en", site=row["source"])


def groups_of(keys: Sequence[str]) -> set[frozenset[str]]:
    return {frozenset(keys[i] for i in group) for group in cluster([fixture(k) for k in keys])}


# --- clustering -------------------------------------------------------------------------------


def test_reports_of_one_event_in_different_words_are_one_story() -> None:
    keys = ["bridge-courier", "bridge-ledger", "bridge-radio", "rates-ledger", "rates-marketwatch"]
    assert groups_of(keys) == {
        frozenset({"bridge-courier", "bridge-ledger", "bridge-radio"}),
        frozenset({"rates-ledger", "rates-marketwatch"}),
    }


def test_different_events_on_one_topic_stay_apart() -> None:
    keys = ["quake-wire", "quake-harbour", "other-quake", "rates-ledger", "other-rates-hold"]
    assert groups_of(keys) == {
        frozenset({"quake-wire", "quake-harbour"}),
        frozenset({"other-quake"}),
        frozenset({"rates-ledger"}),
        frozenset({"other-rates-hold"}),
    }


def test_the_same_team_or_the_same_city_is_not_the_same_event() -> None:
    keys = ["final-sport", "other-castlegate-draw", "strike-ledger", "other-teachers"]
    assert groups_of(keys) == {frozenset({key}) for key in keys}


def test_republished_wire_copy_joins_its_story() -> None:
    keys = ["fire-wire", "fire-valley", "other-canyon-fire"]
    assert groups_of(keys) == {
        frozenset({"fire-wire", "fire-valley"}),
        frozenset({"other-canyon-fire"}),
    }


def test_the_stories_do_not_depend_on_the_order_articles_came_in() -> None:
    keys = sorted(ROWS)
    expected = groups_of(keys)
    shuffled = keys[:]
    random.Random(7).shuffle(shuffled)
    assert groups_of(shuffled) == expected


def test_articles_in_different_languages_are_never_one_story() -> None:
    english = fixture("museum-courier")
    # The same words, said to be German: stems of another language are not comparable.
    german = Article(text=english.text, title=english.title, language="de", site="Zeitung")
    assert cluster([english, german]) == [[0], [1]]


def test_on_the_labelled_set_same_story_pairs_are_found_with_f1_over_0_9() -> None:
    events = json.loads((FIXTURES / "demo_events.json").read_text("utf-8"))["events"]
    demo_event = {url_id: event for event, ids in events.items() for url_id in ids}
    articles = [fixture(key) for key in ROWS]
    labels = [ROWS[key]["event"] for key in ROWS]
    demo_ids = {
        row["url"]: row["id"]
        for line in (FIXTURES.parents[2] / "src/inbrief/data/demo/articles.jsonl")
        .read_text("utf-8")
        .splitlines()
        if (row := json.loads(line))
    }
    for article in demo_articles():
        if article.language == "en":
            articles.append(article)
            key = demo_ids[article.url or ""]
            labels.append(demo_event.get(key, key))
    story = {i: n for n, group in enumerate(cluster(articles)) for i in group}
    tp = fp = fn = 0
    for i, j in itertools.combinations(range(len(articles)), 2):
        same, together = labels[i] == labels[j], story[i] == story[j]
        tp, fp, fn = tp + (same and together), fp + (together and not same), fn + (same > together)
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert 2 * precision * recall / (precision + recall) > 0.9, (tp, fp, fn)


# --- the story's summary ----------------------------------------------------------------------


def stored(keys: Sequence[str]) -> list[StoredArticle]:
    added = datetime(2026, 3, 2, 8, tzinfo=UTC)
    return [
        StoredArticle(n + 1, added + timedelta(minutes=n), fixture(key), f"hash-{key}")
        for n, key in enumerate(keys)
    ]


def test_a_story_summary_draws_on_several_sources_and_points_into_each_article() -> None:
    articles = stored(["strike-wire", "strike-capital", "strike-ledger"])
    summary = digest(articles)
    assert len(summary) == 3
    by_id = {s.id: s for s in articles}
    for sentence in summary:
        text = by_id[sentence.article_id].article.text
        assert text[sentence.start : sentence.end] == sentence.text
        split = split_sentences(text, "en")
        assert split[sentence.index].text == sentence.text  # the page's #s-N anchor
    assert len({s.article_id for s in summary}) > 1


def test_no_sentence_of_republished_wire_copy_is_shown_twice() -> None:
    articles = stored(["fire-wire", "fire-valley", "recall-tech", "recall-gadget"])
    for story in group_stories(articles):
        texts = [" ".join(s.text.split()[1:]) for s in story.summary]  # "Almost"/"Nearly" aside
        assert len(texts) == len(set(texts))
    fire = next(story for story in group_stories(articles) if story.lead.id in (1, 2))
    assert {s.article_id for s in fire.summary} <= {1, 2}
    openings = [s.text for s in fire.summary if s.text.startswith("About 3,000 residents")]
    assert len(openings) == 1


def test_stories_with_more_sources_come_first_then_the_more_recent() -> None:
    keys = ["other-quake", "final-sport", "final-courier", "mayor-courier", "mayor-harbour"]
    keys += ["bridge-courier", "bridge-ledger", "bridge-radio", "other-kettle-recall"]
    stories = group_stories(stored(keys))
    shape = [
        (len(story.sources), sorted(ROWS[keys[s.id - 1]]["event"] for s in story.articles)[0])
        for story in stories
    ]
    assert shape == [
        (3, "bridge-collapse"),
        (2, "doveport-election"),  # added after the cup final's reports: more recent
        (2, "cup-final"),
        (1, "other-kettle-recall"),
        (1, "other-tarvos-quake"),
    ]
    assert stories[-1].lone and stories[-1].summary == ()


def test_a_date_is_a_day_or_a_clear_error() -> None:
    today = datetime(2026, 3, 2, tzinfo=UTC).date()
    assert parse_day(None, today) == today
    assert parse_day(" ", today) == today
    assert parse_day("2026-02-28", today).isoformat() == "2026-02-28"
    for wrong in ("2026-02-30", "02/03/2026", "yesterday", "2026-3-2"):
        with pytest.raises(Exception, match="YYYY-MM-DD"):
            parse_day(wrong, today)


# --- /today from feeds polled off the local server --------------------------------------------


def page_html(key: str) -> str:
    row = ROWS[key]
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in row["text"].split("\n\n"))
    return (
        f"<!doctype html><html lang='en'><head><title>{html.escape(row['title'])}</title>"
        f"<meta property='og:site_name' content='{html.escape(row['source'])}'></head><body>"
        f"<article><h1>{html.escape(row['title'])}</h1>{paragraphs}</article></body></html>"
    )


def serve_feed(server: LocalServer, name: str, entries: Sequence[tuple[str, datetime]]) -> str:
    """An RSS feed at /NAME.rss whose entries link to the fixture articles' pages."""
    items = ""
    for key, published in entries:
        link = server.route(f"/{name}/{key}.html", page_html(key))
        items += (
            f"<item><title>{html.escape(ROWS[key]['title'])}</title><link>{link}</link>"
            f"<pubDate>{format_datetime(published)}</pubDate></item>"
        )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{name}</title><link>{server.url('/')}</link><description>{name}</description>"
        f"{items}</channel></rss>"
    )
    return server.route(f"/{name}.rss", rss, content_type="application/rss+xml")


@dataclass(frozen=True)
class Reader:
    url: str
    store: Store
    ids: dict[str, int]


@pytest.fixture
def reader(http_server: LocalServer, tmp_path: Path) -> Iterator[Reader]:
    now = datetime.now(UTC)
    yesterday = now - timedelta(days=1)
    courier = [("bridge-courier", now), ("museum-courier", now), ("frog-courier", yesterday)]
    ledger = [("bridge-ledger", now), ("other-kettle-recall", now)]
    arts = [("museum-arts", now), ("frog-science", yesterday)]
    with Store.open(str(tmp_path / "today.db")) as store:
        for name, entries in (("courier", courier), ("ledger", ledger), ("arts", arts)):
            store.add_feed(serve_feed(http_server, name, entries))
        results = poll_all(store)
        assert [r.error for r in results] == [None] * 3
        assert all(not r.entry_errors for r in results)
        ids = {}
        for item in store.list_articles(0, 50).items:
            ids[(item.source_url or "").rsplit("/", 1)[-1].removesuffix(".html")] = item.id
        with running(create_app(store)) as url:
            yield Reader(url, store, ids)


def stories_on(page: str) -> list[lxml.html.HtmlElement]:
    return list(lxml.html.fromstring(page).xpath("//ol[contains(@class, 'stories')]/li"))


def by_class(element: lxml.html.HtmlElement, name: str) -> list[lxml.html.HtmlElement]:
    """The descendants of ``element`` with class ``name``."""
    has = f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
    return list(element.xpath(f".//*[{has}]"))


def test_today_shows_one_story_with_two_sources_linking_to_both(reader: Reader) -> None:
    response = httpx.get(f"{reader.url}/today")
    assert response.status_code == 200
    stories = stories_on(response.text)
    bridge = next(s for s in stories if "Varnholm" in s.text_content() and "story" in s.classes)
    assert by_class(bridge, "source-count")[0].text_content() == "2 sources"
    links = {a.get("href") for a in by_class(bridge, "source-link")}
    assert links == {f"/articles/{reader.ids[k]}" for k in ("bridge-courier", "bridge-ledger")}
    for sentence in by_class(bridge, "brief-sentence"):
        article_id, index = sentence.get("data-article"), sentence.get("data-index")
        assert sentence.get("href") == f"/articles/{article_id}#s-{index}"
        stored = reader.store.get_article(int(article_id))
        assert stored is not None
        start, end = int(sentence.get("data-start")), int(sentence.get("data-end"))
        assert stored.article.text[start:end] == sentence.text_content()


def test_lone_articles_appear_as_themselves_after_the_stories(reader: Reader) -> None:
    stories = stories_on(httpx.get(f"{reader.url}/today").text)
    kinds = [" ".join(s.classes) for s in stories]
    assert kinds == ["story", "story", "lone-article"]
    lone = stories[-1]
    assert lone.xpath(".//h2/a")[0].get("href") == f"/articles/{reader.ids['other-kettle-recall']}"
    assert "Brightway is recalling 40,000" in by_class(lone, "lead")[0].text_content()
    assert not by_class(lone, "brief-sentence")


def test_a_past_day_is_shown_with_date(reader: Reader) -> None:
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    page = httpx.get(f"{reader.url}/today", params={"date": yesterday}).text
    stories = stories_on(page)
    assert len(stories) == 1
    assert by_class(stories[0], "source-count")[0].text_content() == "2 sources"
    assert "Nanorana kaverica" in stories[0].text_content()
    today_page = httpx.get(f"{reader.url}/today").text
    assert "Nanorana" not in today_page
    assert f'href="/today?date={yesterday}"' in today_page  # the earlier day is a link away


def test_a_date_that_is_no_day_is_a_clear_400_page(reader: Reader) -> None:
    response = httpx.get(f"{reader.url}/today", params={"date": "2026-02-30"})
    assert response.status_code == 400
    assert "text/html" in response.headers["content-type"]
    assert "YYYY-MM-DD" in response.text and "Traceback" not in response.text
    assert httpx.get(f"{reader.url}/today.atom", params={"date": "soon"}).status_code == 400


def test_today_atom_has_an_entry_per_story_with_its_summary(reader: Reader) -> None:
    response = httpx.get(f"{reader.url}/today.atom")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = lxml.etree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    first = entries[0].find(f"{ATOM}content")
    assert first is not None and "2 sources" in (first.text or "")
    related = [link.get("href") for link in entries[0].findall(f"{ATOM}link[@rel='related']")]
    assert len(related) == 2 and all(href.startswith(reader.url) for href in related)
