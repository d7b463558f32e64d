"""Polling RSS and Atom feeds served by a real HTTP server on 127.0.0.1 into a real SQLite store."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LocalServer

from inbrief.errors import FeedError, FetchError
from inbrief.feeds import FeedResponse, WebFetcher, fetch_feed, parse_feed, poll_all, poll_feed
from inbrief.fetch import FetchLimits
from inbrief.ingest import demo_articles
from inbrief.pipeline import extract
from inbrief.sources import from_html
from inbrief.store import Store, StoredFeed

DEMO = Path(__file__).parents[1] / "src" / "inbrief" / "data" / "demo"
GLOBAL_VOICES = DEMO / "feeds" / "globalvoices-feature-2009-06-11.rss"
WIKINEWS = DEMO / "feeds" / "wikinews-en-sample.generated.atom"
DAM_PAGE = DEMO / "html" / "en-globalvoices-004-china-a-leaking-dam.html"
BRAZIL_PAGE = (
    DEMO / "html" / "en-globalvoices-001-brazil-amplified-conversations-to-fight-the-digita.html"
)
ATOM = "{http://www.w3.org/2005/Atom}"
RSS_TYPE = "application/rss+xml"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(str(tmp_path / "inbrief.db")) as opened:
        yield opened


def subscribe(store: Store, url: str) -> StoredFeed:
    feed, _ = store.add_feed(url)
    return feed


def demo_bodies(count: int) -> list[str]:
    lines = (DEMO / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["body"] for line in lines[-count:]]


def opening(text: str) -> str:
    """The first sentence of ``text``, whitespace runs as single spaces (as extraction has them)."""
    return " ".join(text.split(". ", 1)[0].split())


def flat(text: str) -> str:
    return " ".join(text.split())


def rss(title: str, items: str) -> str:
    """A small RSS 2.0 document with the content module declared."""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>http://127.0.0.1/</link>"
        f"<description>Test feed</description>{items}</channel></rss>"
    )


def item(title: str, link: str = "", *, guid: str = "", content: str = "") -> str:
    parts = [f"<title>{title}</title>", f"<link>{link}</link>"]
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if content:
        parts.append(f"<content:encoded><![CDATA[{content}]]></content:encoded>")
    parts.append("<pubDate>Tue, 02 Jun 2009 10:00:00 +0000</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def as_html(text: str) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))


def page_requests(server: LocalServer, prefix: str) -> int:
    return sum(1 for request in server.requests if request.path.startswith(prefix))


# --- the bundled demo feeds -------------------------------------------------------------------


def test_global_voices_rss_is_stored_from_its_full_content_when_links_lead_nowhere(
    store: Store, http_server: LocalServer
) -> None:
    feed = subscribe(
        store, http_server.route("/feeds/gv.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE)
    )
    channel = ET.parse(GLOBAL_VOICES).getroot().find("channel")
    assert channel is not None
    expected = [entry.findtext("title") for entry in channel.iter("item")]

    result = poll_feed(store, feed)

    assert result.error is None and result.entry_errors == ()
    assert [stored.article.title for stored in result.added] == expected
    assert result.feed.title == "Global Voices Online » Feature"
    # The feed's links are relative junk ("gv/index_1.html"): each was tried, each 404'd.
    assert page_requests(http_server, "/feeds/gv/index_") == len(expected)
    first = result.added[0]
    assert first.feed_id == feed.id
    assert first.article.author == "Diego Casaes"
    assert first.article.date == "2009-06-11"
    assert "Digital Crimes Bill" in first.article.text
    assert store.list_articles(feed_id=feed.id).total == len(expected)


def test_an_entry_whose_page_works_is_read_from_the_page(
    store: Store, http_server: LocalServer
) -> None:
    http_server.route("/feeds/gv/index_1.html", BRAZIL_PAGE.read_bytes())
    feed = subscribe(
        store, http_server.route("/feeds/gv.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE)
    )

    result = poll_feed(store, feed)

    brazil = result.added[0]
    page_url = http_server.url("/feeds/gv/index_1.html")
    assert brazil.source_url == page_url
    from_page = extract(from_html(BRAZIL_PAGE.read_text(encoding="utf-8"), url=page_url))
    assert brazil.article.text == from_page.text
    assert page_requests(http_server, "/feeds/gv/index_") == len(result.added)


def test_the_generated_wikinews_atom_feed_is_stored_from_its_text_content(
    store: Store, http_server: LocalServer
) -> None:
    # Its links point at en.wikinews.org; the test keeps every request on this machine.
    atom = WIKINEWS.read_text(encoding="utf-8").replace(
        "https://en.wikinews.org/wiki/", http_server.url("/wiki/")
    )
    feed = subscribe(
        store, http_server.route("/wikinews.atom", atom, content_type="application/atom+xml")
    )
    entries = list(ET.parse(WIKINEWS).getroot().iter(f"{ATOM}entry"))

    result = poll_feed(store, feed)

    assert result.error is None and result.entry_errors == ()
    assert len(result.added) == len(entries)
    first, entry = result.added[0], entries[0]
    assert first.article.title == entry.findtext(f"{ATOM}title")
    assert first.article.date == (entry.findtext(f"{ATOM}updated") or "")[:10]
    assert first.article.language == "en"
    content = entry.findtext(f"{ATOM}content") or ""
    assert flat(first.article.text).startswith(opening(content))


# --- conditional GET --------------------------------------------------------------------------


def test_etag_and_last_modified_are_sent_back_and_304_means_nothing_new(
    store: Store, http_server: LocalServer
) -> None:
    validators = {"ETag": '"feed-v1"', "Last-Modified": "Thu, 11 Jun 2009 17:15:44 GMT"}
    url = http_server.route(
        "/feeds/gv.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE, headers=validators
    )
    feed = subscribe(store, url)
    first = poll_feed(store, feed)
    assert first.feed.etag == '"feed-v1"'
    assert first.feed.last_modified == "Thu, 11 Jun 2009 17:15:44 GMT"
    assert first.feed.last_polled_at is not None

    http_server.route("/feeds/gv.rss", b"", status=304, content_type=None, headers=validators)
    requests_before = len(http_server.requests)
    second = poll_feed(store, first.feed)

    conditional = http_server.requests[requests_before]
    assert conditional.header("If-None-Match") == '"feed-v1"'
    assert conditional.header("If-Modified-Since") == "Thu, 11 Jun 2009 17:15:44 GMT"
    assert second.not_modified
    assert second.added == () and second.error is None
    assert len(http_server.requests) == requests_before + 1  # no entry page was fetched
    assert second.feed.last_polled_at is not None
    assert second.feed.last_polled_at >= first.feed.last_polled_at
    assert store.list_articles().total == len(first.added)


def test_a_first_poll_sends_no_validators(store: Store, http_server: LocalServer) -> None:
    feed = subscribe(store, http_server.route("/f.rss", rss("Empty", ""), content_type=RSS_TYPE))
    poll_feed(store, feed)
    assert http_server.requests[0].header("If-None-Match") is None
    assert http_server.requests[0].header("If-Modified-Since") is None


# --- entries ----------------------------------------------------------------------------------


def test_an_entry_whose_page_is_missing_falls_back_to_the_feed_content(
    store: Store, http_server: LocalServer
) -> None:
    body = demo_bodies(1)[0]
    dam = http_server.route("/news/dam.html", DAM_PAGE.read_bytes())
    items = item("China: A leaking dam", dam) + item(
        "Gone story", http_server.url("/news/gone.html"), guid="gone-1", content=as_html(body)
    )
    feed = subscribe(store, http_server.route("/f.rss", rss("Local", items), content_type=RSS_TYPE))

    result = poll_feed(store, feed)

    assert result.entry_errors == ()
    by_source = {stored.source_url: stored for stored in result.added}
    assert set(by_source) == {dam, http_server.url("/news/gone.html")}
    # The page's own metadata wins over the feed's ("China: A leaking dam?" on the page).
    assert by_source[dam].article.title == "China: A leaking dam?"
    gone = by_source[http_server.url("/news/gone.html")]
    assert gone.article.title == "Gone story"
    assert flat(gone.article.text).startswith(opening(body))
    assert gone.article.date == "2009-06-02"


def test_polling_again_adds_no_duplicates_and_fetches_no_page_again(
    store: Store, http_server: LocalServer
) -> None:
    bodies = demo_bodies(2)
    dam = http_server.route("/news/dam.html", DAM_PAGE.read_bytes())
    items = (
        item("Dam", dam)
        + item("Gone", http_server.url("/news/gone.html"), content=as_html(bodies[0]))
        + item("Linkless", guid="urn:example:linkless", content=as_html(bodies[1]))
    )
    feed = subscribe(store, http_server.route("/f.rss", rss("Local", items), content_type=RSS_TYPE))
    first = poll_feed(store, feed)
    assert len(first.added) == 3
    pages_before = page_requests(http_server, "/news/")

    second = poll_feed(store, first.feed)

    assert second.added == ()
    assert second.duplicates == 3
    assert page_requests(http_server, "/news/") == pages_before
    assert store.list_articles().total == 3


def test_an_entry_already_stored_from_elsewhere_is_a_duplicate(
    store: Store, http_server: LocalServer
) -> None:
    dam = http_server.route("/news/dam.html", DAM_PAGE.read_bytes())
    other = subscribe(
        store, http_server.route("/a.rss", rss("A", item("Dam", dam)), content_type=RSS_TYPE)
    )
    poll_feed(store, other)
    feed = subscribe(
        store, http_server.route("/b.rss", rss("B", item("Dam", dam)), content_type=RSS_TYPE)
    )

    result = poll_feed(store, feed)

    assert result.added == () and result.duplicates == 1
    assert store.list_articles().total == 1


def test_one_bad_entry_does_not_stop_the_others(store: Store, http_server: LocalServer) -> None:
    body = demo_bodies(1)[0]
    items = item("Nothing to read", http_server.url("/news/missing.html")) + item(
        "Readable", http_server.url("/news/also-missing.html"), content=as_html(body)
    )
    url = http_server.route(
        "/f.rss", rss("Local", items), content_type=RSS_TYPE, headers={"ETag": '"v2"'}
    )
    feed = subscribe(store, url)

    result = poll_feed(store, feed)

    assert [stored.article.title for stored in result.added] == ["Readable"]
    assert len(result.entry_errors) == 1
    failure = result.entry_errors[0]
    assert failure.entry == "Nothing to read"
    assert "404" in failure.message and "no text" in failure.message
    assert result.error is None  # the feed itself was read
    assert result.feed.last_error == (
        f'1 of 2 entries failed (first: "Nothing to read": {failure.message})'
    )
    # The failed entry must be retried: no validator is kept that would turn the next poll
    # into a 304.
    assert result.feed.etag is None


def test_an_entry_whose_page_answers_404_reports_the_status_not_its_teaser(
    store: Store, http_server: LocalServer
) -> None:
    gone = http_server.url("/news/gone.html")
    teaser = (
        f"<item><title>Gone</title><link>{gone}</link><description>Read more.</description></item>"
    )
    feed = subscribe(
        store, http_server.route("/f.rss", rss("Local", teaser), content_type=RSS_TYPE)
    )

    (failure,) = poll_feed(store, feed).entry_errors

    assert failure.message == (
        f"HTTP 404 Not Found from {gone}, and the feed's own text for it holds no article"
    )


def test_a_poll_where_every_entry_failed_is_recorded_on_the_feed(
    store: Store, http_server: LocalServer
) -> None:
    items = item("One", http_server.url("/news/one.html")) + item(
        "Two", http_server.url("/news/two.html")
    )
    feed = subscribe(store, http_server.route("/f.rss", rss("Local", items), content_type=RSS_TYPE))

    result = poll_feed(store, feed)

    assert result.added == () and len(result.entry_errors) == 2
    assert result.failed
    recorded = store.get_feed(feed.id)
    assert recorded is not None and recorded.last_error is not None
    assert recorded.last_error.startswith('2 of 2 entries failed (first: "Two": HTTP 404')
    assert recorded.last_error.endswith("; and 1 more)")


def test_the_same_story_from_a_feed_under_another_url_is_stored_once(
    store: Store, http_server: LocalServer
) -> None:
    # The demo corpus holds "China: A leaking dam?"; the Global Voices feed carries it too, under
    # another URL and with a single line break where the corpus has a blank line.
    dam = next(a for a in demo_articles() if a.title == "China: A leaking dam?")
    store.add_article(dam)
    feed = subscribe(
        store, http_server.route("/feeds/gv.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE)
    )

    result = poll_feed(store, feed)

    assert dam.title not in [added.article.title for added in result.added]
    assert result.duplicates == 1
    titles = [stored.article.title for stored in store.list_articles(limit=50).items]
    assert titles.count(dam.title) == 1


# --- feeds that are not feeds -----------------------------------------------------------------


def test_an_html_page_is_refused_as_a_feed_with_a_hint_and_recorded_on_the_feed(
    store: Store, http_server: LocalServer
) -> None:
    feed = subscribe(store, http_server.route("/news/dam.html", DAM_PAGE.read_bytes()))

    result = poll_feed(store, feed)

    assert result.error is not None
    assert "is a web page (HTML), not an RSS or Atom feed" in result.error
    assert "http://globalvoicesonline.org/feed/" in result.error
    assert result.feed.last_error == result.error
    assert store.list_articles().total == 0


def test_a_malformed_feed_still_gives_the_entries_it_has(
    store: Store, http_server: LocalServer
) -> None:
    body = demo_bodies(1)[0]
    items = item("Kept", guid="urn:kept", content=as_html(body))
    broken = rss("Broken", items).replace("</channel></rss>", "<item><title>Cut off")
    feed = subscribe(store, http_server.route("/f.rss", broken, content_type=RSS_TYPE))

    result = poll_feed(store, feed)

    assert result.error is None
    assert [stored.article.title for stored in result.added] == ["Kept"]


def test_a_malformed_feed_without_entries_is_an_error(
    store: Store, http_server: LocalServer
) -> None:
    feed = subscribe(
        store, http_server.route("/f.rss", "<rss><channel><title>x", content_type=RSS_TYPE)
    )

    result = poll_feed(store, feed)

    assert result.error is not None and "broken feed" in result.error
    assert result.feed.last_error == result.error


def test_a_valid_feed_with_no_entries_is_not_an_error(
    store: Store, http_server: LocalServer
) -> None:
    feed = subscribe(store, http_server.route("/f.xml", rss("Quiet", ""), content_type="text/xml"))
    result = poll_feed(store, feed)
    assert result.error is None and result.added == ()
    assert result.feed.title == "Quiet"


def test_a_good_poll_clears_the_previous_error(store: Store, http_server: LocalServer) -> None:
    url = http_server.route("/f.rss", "<html><body><p>Down for maintenance</p></body></html>")
    failed = poll_feed(store, subscribe(store, url))
    assert failed.feed.last_error is not None

    http_server.route("/f.rss", rss("Back", ""), content_type=RSS_TYPE)
    assert poll_feed(store, failed.feed).feed.last_error is None


def test_feedparser_never_follows_a_url_or_reads_a_path_given_as_the_body(
    store: Store, http_server: LocalServer, tmp_path: Path
) -> None:
    secret = http_server.route("/secret.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE)
    local = tmp_path / "local.rss"
    local.write_bytes(GLOBAL_VOICES.read_bytes())
    for body in (secret, str(local)):
        feed = subscribe(
            store, http_server.route(f"/as-feed/{len(body)}", body, content_type="text/xml")
        )
        result = poll_feed(store, feed)
        assert result.error is not None and "not an RSS or Atom feed" in result.error
    assert page_requests(http_server, "/secret.rss") == 0
    assert store.list_articles().total == 0


def test_poll_all_isolates_each_feeds_failure(
    store: Store, http_server: LocalServer, refused_url: str
) -> None:
    unreachable = subscribe(store, refused_url)
    html = subscribe(store, http_server.route("/page.html", DAM_PAGE.read_bytes()))
    good = subscribe(
        store,
        http_server.route(
            "/f.rss",
            rss("Good", item("Story", guid="g1", content=as_html(demo_bodies(1)[0]))),
            content_type=RSS_TYPE,
        ),
    )

    results = {result.feed.id: result for result in poll_all(store)}

    assert results[unreachable.id].error is not None
    assert "connection refused" in (results[unreachable.id].error or "")
    assert results[html.id].error is not None
    assert results[good.id].error is None and len(results[good.id].added) == 1
    recorded = {feed.id: feed.last_error for feed in store.list_feeds()}
    assert recorded[good.id] is None
    assert recorded[unreachable.id] == results[unreachable.id].error
    assert recorded[html.id] == results[html.id].error


# --- the fetch adapter and the parser on their own --------------------------------------------


def test_fetch_feed_follows_redirects_and_resolves_links_against_the_final_url(
    http_server: LocalServer,
) -> None:
    http_server.route("/new/gv.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE)
    old = http_server.redirect("/old/gv.rss", "/new/gv.rss", status=301)

    response = fetch_feed(old)
    parsed = parse_feed(response.body, url=response.url, content_type=response.content_type)

    assert response.status == 200 and response.url == http_server.url("/new/gv.rss")
    assert parsed.entries[0].link == http_server.url("/new/gv/index_1.html")
    assert "application/atom+xml" in (http_server.requests[0].header("Accept") or "")


def test_fetch_feed_refuses_what_cannot_be_a_feed(http_server: LocalServer) -> None:
    url = http_server.route("/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), content_type="image/png")
    with pytest.raises(FetchError, match="image/png"):
        fetch_feed(url)
    with pytest.raises(FetchError, match="404"):
        fetch_feed(http_server.url("/nothing.rss"))


# --- fetchers ---------------------------------------------------------------------------------


def test_a_fetcher_with_tighter_page_limits_falls_back_to_the_feed_text(
    store: Store, http_server: LocalServer
) -> None:
    body = demo_bodies(1)[0]
    dam = http_server.route("/news/dam.html", DAM_PAGE.read_bytes())
    items = item("Dam", dam, content=as_html(body))
    feed = subscribe(store, http_server.route("/f.rss", rss("Local", items), content_type=RSS_TYPE))
    fetcher = WebFetcher(page_limits=FetchLimits(max_bytes=4096))

    result = poll_feed(store, feed, fetcher=fetcher)

    assert page_requests(http_server, "/news/dam.html") == 1
    assert [stored.source_url for stored in result.added] == [dam]
    assert flat(result.added[0].article.text).startswith(opening(body))


class BrokenFetcher(WebFetcher):
    """A fetcher with a bug for one feed: the poll must record it, not raise it."""

    def feed(self, url: str, *, etag: str | None, last_modified: str | None) -> FeedResponse:
        if url.endswith("/buggy.rss"):
            raise RuntimeError("fetcher bug")
        return super().feed(url, etag=etag, last_modified=last_modified)


def test_a_bug_while_polling_one_feed_is_recorded_and_the_others_are_polled(
    store: Store, http_server: LocalServer
) -> None:
    buggy = subscribe(
        store, http_server.route("/buggy.rss", rss("Buggy", ""), content_type=RSS_TYPE)
    )
    good = subscribe(store, http_server.route("/good.rss", rss("Good", ""), content_type=RSS_TYPE))

    results = {result.feed.id: result for result in poll_all(store, fetcher=BrokenFetcher())}

    assert "internal error (RuntimeError: fetcher bug)" in (results[buggy.id].error or "")
    assert results[good.id].error is None and results[good.id].feed.title == "Good"
    recorded = store.get_feed(buggy.id)
    assert recorded is not None and recorded.last_error == results[buggy.id].error


@pytest.mark.parametrize(
    "body",
    [
        b'<?xml version="1.0" encoding="s\xd7\xcf"?><rss/>',
        b'<?xml version="1.0" encoding="u\x00"?><rss/>',
        b"<rss><item><image><link><b/>x</link></image></item></rss>",
        b"<rss><channel><item><link></item></link></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><rss/>',
    ],
    ids=["bad encoding label", "nul in encoding", "link in image", "crossed tags", "entities"],
)
def test_a_malformed_feed_found_by_fuzzing_is_a_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, url="https://news.example/feed")
