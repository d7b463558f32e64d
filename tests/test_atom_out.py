"""Summaries out as Atom feeds: what a feed reader polling a real reader on 127.0.0.1 gets.

Every document is read by feedparser (no ``bozo``) and by atoma, a second, strict Atom parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
import httpx
import pytest
from lxml import etree
from lxml import html as lxml_html

from inbrief import summarizers
from inbrief.errors import SettingsError
from inbrief.ingest import add_article
from inbrief.models import Article
from inbrief.service import Settings, create_app
from inbrief.service.atom import FEED_ENTRIES
from inbrief.service.atom_feed import AtomEntry, AtomFeed, AtomLink, atom_document
from inbrief.service.server import running
from inbrief.store import Store, StoredArticle
from inbrief.summarizers.llm import LLMSettings

ATOM = "{http://www.w3.org/2005/Atom}"
KEY = "feed-reader-key-0123456789abcdef"


def story(topic: str, place: str) -> str:
    """A short news text of six sentences about ``topic`` in ``place``."""
    return (
        f"The council of {place} voted on Tuesday to fund the {topic} for another year. "
        f"Officials said the {topic} had served more people than expected since the spring. "
        f"Critics in {place} argued that the money should go to road repairs instead. "
        f"The mayor promised a public report on the {topic} before the winter. "
        f"Residents queued outside the town hall to hear the debate on the {topic}. "
        f"The next vote on the budget of {place} is due in March."
    )


STORIES = {
    "library": Article(
        text=story("mobile library", "Eastbrook"),
        title="Eastbrook keeps its mobile library",
        author="Dana Reyes",
        date="2024-03-05T08:00:00+01:00",
        site="Eastbrook Herald",
        url="https://herald.example/eastbrook-library",
        language="en",
        image="https://cdn.herald.example/photos/library-van.jpg",
        image_alt="The library van outside the school",
    ),
    "ferry": Article(
        text=story("night ferry", "Westhaven"),
        title="Westhaven saves the night ferry",
        date="Tue, 05 Mar 2024 07:30:00 GMT",
        site="Harbour News",
        url="https://harbour.example/night-ferry",
        language="en",
        image="http://insecure.example/ferry.png",  # not https: never sent to readers
    ),
    "pool": Article(
        text=story("swimming pool", "Northgate"),
        title="Northgate pool stays open",
        date="next week",  # not a date: no <published>
        language="en",
    ),
}


@dataclass(frozen=True)
class Reader:
    url: str
    store: Store
    articles: dict[str, StoredArticle]

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return httpx.get(self.url + path, timeout=120, **kwargs)

    def api_summary(self, stored: StoredArticle) -> list[str]:
        answer = self.get(f"/api/articles/{stored.id}/summary")
        assert answer.status_code == 200, answer.text
        return [s["text"] for s in answer.json()["sentences"]]


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    with Store.open(str(tmp_path_factory.mktemp("atom") / "inbrief.db")) as store:
        subscription, _ = store.add_feed("https://harbour.example/feed.xml", title="Harbour News")
        articles = {}
        start = datetime(2024, 3, 5, 12, 0, tzinfo=UTC)
        for n, (name, article) in enumerate(STORIES.items()):
            feed_id = subscription.id if name == "ferry" else None
            added = start + timedelta(minutes=n)
            articles[name], _ = store.add_article(article, feed_id=feed_id, added_at=added)
        with running(create_app(store)) as url:
            yield Reader(url, store, articles)


def parsed(answer: httpx.Response) -> Any:
    """The feed as feedparser reads it, after checking the answer and that atoma reads it too."""
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(answer.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    atoma = pytest.importorskip("atoma")
    strict = atoma.parse_atom_bytes(answer.content)
    assert len(strict.entries) == len(feed.entries)
    return feed


def entry_for(feed: Any, stored: StoredArticle) -> Any:
    wanted = f"/articles/{stored.id}"
    found = [e for e in feed.entries if any(link.href.endswith(wanted) for link in e.links)]
    assert len(found) == 1, [e.title for e in feed.entries]
    return found[0]


def content_root(entry: Any) -> Any:
    (content,) = entry.content
    assert content.type == "text/html"
    return lxml_html.fragment_fromstring(content.value, create_parent="div")


def summary_paragraph(entry: Any) -> str:
    """The content's paragraph of summary sentences (after the image, if any)."""
    paragraphs = [p for p in content_root(entry).iter("p") if p.find("img") is None]
    return str(paragraphs[0].text_content())


def test_latest_feed_has_an_entry_per_article_with_its_parts(reader: Reader) -> None:
    feed = parsed(reader.get("/feeds/latest.atom"))
    assert feed.feed.title == "inbrief: latest summaries"
    assert feed.feed.link == reader.url + "/"
    assert len(feed.entries) == len(STORIES)
    library = entry_for(feed, reader.articles["library"])
    assert library.title == "Eastbrook keeps its mobile library"
    assert library.link == "https://herald.example/eastbrook-library"  # rel=alternate
    related = [link.href for link in library.links if link.rel == "related"]
    assert related == [f"{reader.url}/articles/{reader.articles['library'].id}"]
    assert library.author == "Dana Reyes"
    assert library.source.title == "Eastbrook Herald"
    assert library.published == "2024-03-05T07:00:00Z"
    assert library.updated == "2024-03-05T12:00:00Z"
    assert library.id.startswith("tag:inbrief,2024-03-05:article/")
    assert len({e.id for e in feed.entries}) == len(STORIES)


def test_each_entry_carries_the_summary_the_api_and_pages_show(reader: Reader) -> None:
    feed = parsed(reader.get("/feeds/latest.atom"))
    for stored in reader.articles.values():
        expected = " ".join(reader.api_summary(stored))
        assert summary_paragraph(entry_for(feed, stored)) == expected
        assert len(expected) > 50


def test_the_entry_names_its_feed_as_source(reader: Reader) -> None:
    feed = parsed(reader.get("/feeds/latest.atom"))
    ferry = entry_for(feed, reader.articles["ferry"])
    assert ferry.source.title == "Harbour News"
    assert ferry.source.id == "https://harbour.example/feed.xml"
    assert ferry.published == "2024-03-05T07:30:00Z"
    pool = entry_for(feed, reader.articles["pool"])
    assert "published" not in pool  # "next week" is not a date
    assert pool.link.endswith(f"/articles/{reader.articles['pool'].id}")  # no original


def test_the_top_image_is_the_publishers_own_address(reader: Reader) -> None:
    feed = parsed(reader.get("/feeds/latest.atom"))
    library = entry_for(feed, reader.articles["library"])
    picture = "https://cdn.herald.example/photos/library-van.jpg"
    assert library.enclosures == [{"href": picture, "type": "image/jpeg"}]
    (img,) = content_root(library).iter("img")
    assert img.get("src") == picture
    assert img.get("alt") == "The library van outside the school"
    ferry = entry_for(feed, reader.articles["ferry"])
    assert ferry.enclosures == []
    assert list(content_root(ferry).iter("img")) == []


def test_a_subscription_has_its_own_feed(reader: Reader) -> None:
    subscription = reader.store.feed_by_url("https://harbour.example/feed.xml")
    assert subscription is not None
    feed = parsed(reader.get(f"/feeds/{subscription.id}/summaries.atom"))
    assert feed.feed.title == "inbrief: Harbour News"
    assert [e.title for e in feed.entries] == ["Westhaven saves the night ferry"]
    assert reader.get("/feeds/999/summaries.atom").status_code == 404
    assert reader.get("/feeds/0/summaries.atom").status_code == 422


def test_a_search_has_its_own_feed(reader: Reader) -> None:
    feed = parsed(reader.get("/search.atom", params={"q": "ferry or pool"}))
    assert sorted(e.title for e in feed.entries) == [
        "Northgate pool stays open",
        "Westhaven saves the night ferry",
    ]
    assert feed.feed.links[0].href == f"{reader.url}/search.atom?q=ferry+or+pool"
    assert parsed(reader.get("/search.atom", params={"q": "volcano"})).entries == []
    refused = reader.get("/search.atom", params={"q": "  "})
    assert refused.status_code == 400
    assert "needs something to search for" in refused.text


def test_an_unchanged_feed_is_304_by_etag_or_date(reader: Reader) -> None:
    first = reader.get("/feeds/latest.atom")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert modified == "Tue, 05 Mar 2024 12:02:00 GMT"  # the newest entry's
    assert first.headers["cache-control"] == "public, max-age=60"
    again = reader.get("/feeds/latest.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    weak = reader.get("/feeds/latest.atom", headers={"If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    dated = reader.get("/feeds/latest.atom", headers={"If-Modified-Since": modified})
    assert dated.status_code == 304
    older = reader.get(
        "/feeds/latest.atom", headers={"If-Modified-Since": "Tue, 05 Mar 2024 11:00:00 GMT"}
    )
    assert older.status_code == 200
    # If-None-Match decides when both are sent: another version is a 200 whatever the date.
    both = {"If-None-Match": '"other"', "If-Modified-Since": modified}
    assert reader.get("/feeds/latest.atom", headers=both).status_code == 200
    junk = reader.get("/feeds/latest.atom", headers={"If-Modified-Since": "yesterday"})
    assert junk.status_code == 200
    assert reader.get("/feeds/latest.atom").content == first.content  # deterministic


def test_a_new_article_changes_the_etag_of_the_feeds_it_is_in(tmp_path: Any) -> None:
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        store.add_article(STORIES["library"])
        with running(create_app(store)) as url:
            latest = httpx.get(url + "/feeds/latest.atom")
            search = httpx.get(url + "/search.atom", params={"q": "ferry"})
            store.add_article(STORIES["ferry"])
            for before, path in ((latest, "/feeds/latest.atom"), (search, "/search.atom?q=ferry")):
                after = httpx.get(url + path, headers={"If-None-Match": before.headers["etag"]})
                assert after.status_code == 200
                assert after.headers["etag"] != before.headers["etag"]
                assert "Westhaven saves the night ferry" in after.text


def test_a_feed_holds_at_most_fifty_entries(tmp_path: Any) -> None:
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        for n in range(FEED_ENTRIES + 3):
            text = f"Item {n} of the series was filed today. It has a second sentence {n}."
            store.add_article(Article(text=text, title=f"Item {n}", language="en"))
        with running(create_app(store)) as url:
            feed = parsed(httpx.get(url + "/feeds/latest.atom", timeout=120))
    assert FEED_ENTRIES == 50
    assert len(feed.entries) == FEED_ENTRIES
    assert feed.entries[0].title == f"Item {FEED_ENTRIES + 2}"  # the newest


HOSTILE_TITLE = "Tom & Jerry <script>alert(1)</script> \x00\x01\x0b\x1b\ufffe]]> end"
HOSTILE_TEXT = (
    "The <b>mayor</b> said \x0c that <script>alert('x')</script> would & could not pass. "
    "A second <script>alert('y')</script> sentence holds a control \x07 and ]]> a CDATA end. "
    "A third <img src=x onerror=alert(3)> sentence speaks of \u202eevil\u202c and 🚲 too."
)


def test_hostile_titles_and_text_do_not_break_the_feed(tmp_path: Any) -> None:
    hostile = Article(
        text=HOSTILE_TEXT,
        title=HOSTILE_TITLE,
        author="Eve \x08<i>",
        site="Bad \x1f Site",
        url="https://bad.example/a?x=1&y=<2>",
        language="en",
        image='https://bad.example/a.jpg"onerror="alert(1)',
        image_alt='"><script>alert(2)</script>',
    )
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        stored = add_article(store, hostile).article
        with running(create_app(store)) as url:
            answer = httpx.get(url + "/feeds/latest.atom", timeout=120)
            api = httpx.get(f"{url}/api/articles/{stored.id}/summary").json()
    etree.fromstring(answer.content)  # well-formed XML
    feed = parsed(answer)
    (entry,) = feed.entries
    assert entry.title == "Tom & Jerry <script>alert(1)</script> ]]> end"
    assert entry.author == "Eve <i>"
    assert entry.link == stored.article.url == "https://bad.example/a?x=1&y=%3C2%3E"
    root = content_root(entry)
    assert list(root.iter("script")) == []  # the text's markup is text, not markup
    (img,) = root.iter("img")
    assert img.get("src") == 'https://bad.example/a.jpg"onerror="alert(1)'
    assert img.get("onerror") is None
    said = summary_paragraph(entry)
    assert "<script>alert(" in said
    # The summary is the API's, less the characters XML cannot carry.
    allowed = " ".join(s["text"] for s in api["sentences"]).translate({7: None, 12: None})
    assert said == allowed


def test_reading_behind_a_key_keeps_feeds_private(tmp_path: Any) -> None:
    settings = Settings(api_keys=(KEY,), public_read=False)
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        store.add_article(STORIES["pool"])
        with running(create_app(store, settings)) as url:
            refused = httpx.get(url + "/feeds/latest.atom")
            answer = httpx.get(url + "/feeds/latest.atom", headers={"X-API-Key": KEY})
    assert refused.status_code == 401
    assert answer.headers["cache-control"] == "private, no-cache"
    assert len(parsed(answer).entries) == 1


def test_written_summaries_in_feeds_need_a_model() -> None:
    with pytest.raises(SettingsError, match="needs a language model"):
        Settings.from_env({"INBRIEF_FEED_SUMMARIES": "written"})
    with pytest.raises(SettingsError, match="extract or written"):
        Settings.from_env({"INBRIEF_FEED_SUMMARIES": "abstract"})
    assert Settings.from_env({}).feed_summaries == "extract"


def test_written_summaries_where_the_model_wrote_one(
    tmp_path: Any, llm_url: str, llm_model: str
) -> None:
    settings = Settings(llm=LLMSettings(urls=(llm_url,), model=llm_model), feed_summaries="written")
    method = summarizers.get("llm")
    before = method.settings  # type: ignore[attr-defined]
    try:
        with Store.open(str(tmp_path / "inbrief.db")) as store:
            library = store.add_article(STORIES["library"])[0]
            ferry = store.add_article(STORIES["ferry"])[0]
            with running(create_app(store, settings)) as url:
                reader = Reader(url, store, {})
                unwritten = reader.get("/feeds/latest.atom")
                asked = reader.get(f"/api/articles/{library.id}/summary", params={"method": "llm"})
                written = reader.get(
                    "/feeds/latest.atom", headers={"If-None-Match": unwritten.headers["etag"]}
                )
                extractive = {s.id: " ".join(reader.api_summary(s)) for s in (library, ferry)}
    finally:
        method.configure(before)  # type: ignore[attr-defined]
    # Before the model wrote anything the feed carries the extractive summaries, unasked.
    first = parsed(unwritten)
    for stored in (library, ferry):
        assert summary_paragraph(entry_for(first, stored)) == extractive[stored.id]
    # Once it wrote one, that entry carries it: the feed changed, and says who wrote it.
    summary = asked.json()
    later = parsed(written)
    said = entry_for(later, library)
    assert summary_paragraph(said) == " ".join(s["text"] for s in summary["sentences"])
    if summary["fallback"] is None:
        assert f"Written by {llm_model}" in content_root(said).text_content()
    assert summary_paragraph(entry_for(later, ferry)) == extractive[ferry.id]


def test_the_writer_escapes_once_and_is_deterministic() -> None:
    feed = AtomFeed(
        "tag:example.org,2024:f", "A <feed>", "https://r.example/f", "https://r.example/"
    )
    entry = AtomEntry(
        id="tag:example.org,2024:1",
        title="Q&A",
        updated=datetime(2024, 1, 2, 3, 4, 5),  # naive: read as UTC
        link="https://o.example/1",
        content_html="<p>Fish &amp; chips</p>",
        links=(AtomLink("https://o.example/1.webp", rel="enclosure", type="image/webp"),),
    )
    document = atom_document(feed, [entry])
    assert document == atom_document(feed, [entry])
    root = etree.fromstring(document)
    assert root.findtext(f"{ATOM}updated") == "2024-01-02T03:04:05Z"
    assert root.findtext(f"{ATOM}entry/{ATOM}content") == "<p>Fish &amp; chips</p>"
    parsed_feed = feedparser.parse(document)
    assert parsed_feed.bozo == 0
    assert parsed_feed.entries[0].content[0].value == "<p>Fish &amp; chips</p>"
    empty = etree.fromstring(atom_document(feed, []))
    assert empty.findtext(f"{ATOM}updated") == "1970-01-01T00:00:00Z"
