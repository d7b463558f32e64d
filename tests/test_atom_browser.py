"""The Atom feeds in a real headless Chromium: pages announce them, and they load and parse.

A feed served on 127.0.0.1 by the local HTTP server is polled into the reader; Chromium then
finds each page's ``<link rel="alternate" type="application/atom+xml">`` and loads the feed it
names, parsed by Chromium's own XML parser.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest
from conftest import LocalServer
from test_browser import browser, page  # noqa: F401  (shared fixtures)

from inbrief.feeds import poll_feed
from inbrief.service import create_app
from inbrief.service.server import running
from inbrief.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Page

RSS_TYPE = "application/rss+xml"
STORIES = {
    "orchard": (
        "Orchard town opens a seed library",
        "Volunteers in Orchard town opened a seed library in the old post office on Saturday. "
        "Gardeners may borrow seeds in spring and return seeds from their harvest in autumn. "
        "The organisers said two hundred packets went out in the first hour. "
        "The council lent the building for a year at no cost to the volunteers. "
        "A second library is planned for the school in the north of the town.",
    ),
    "bridge": (
        "Lakeside footbridge reopens after repairs",
        "The footbridge over Lakeside canal reopened on Friday after four months of repairs. "
        "Engineers replaced the rotten planks and strengthened the iron frame underneath. "
        "Cyclists must still dismount while the new surface settles during the winter. "
        "The repairs cost less than the council had budgeted in the summer. "
        "Residents had walked a mile around the canal while the bridge was shut.",
    ),
}


def story_page(title: str, text: str) -> str:
    sentences = "".join(f"<p>{s.strip()}.</p>" for s in text.split(". ") if s.strip())
    return (
        f"<html><head><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{sentences}</article></body></html>"
    )


def rss(server: LocalServer) -> str:
    items = "".join(
        f"<item><title>{title}</title><link>{server.url(f'/news/{name}.html')}</link>"
        f"<pubDate>Mon, 04 Mar 2024 09:00:00 +0000</pubDate></item>"
        for name, (title, _) in STORIES.items()
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        "<title>Valley Gazette</title><link>http://127.0.0.1/</link>"
        f"<description>Local news</description>{items}</channel></rss>"
    )


@dataclass(frozen=True)
class Reader:
    url: str
    feed_id: int


@pytest.fixture
def reader(http_server: LocalServer, tmp_path: Any) -> Iterator[Reader]:
    for name, (title, text) in STORIES.items():
        http_server.route(f"/news/{name}.html", story_page(title, text))
    feed_url = http_server.route("/gazette.rss", rss(http_server), content_type=RSS_TYPE)
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        subscription, _ = store.add_feed(feed_url)
        polled = poll_feed(store, subscription)
        assert polled.error is None and len(polled.added) == len(STORIES), polled
        with running(create_app(store)) as url:
            yield Reader(url, subscription.id)


LOAD_FEED = """async (href) => {
    const answer = await fetch(href);
    const text = await answer.text();
    // XMLHttpRequest parses the XML as Chromium does (DOMParser is a Trusted Types sink).
    const xml = await new Promise((resolve, reject) => {
        const request = new XMLHttpRequest();
        request.open("GET", href);
        request.responseType = "document";
        request.overrideMimeType("application/xml");
        request.onload = () => resolve(request.responseXML);
        request.onerror = reject;
        request.send();
    });
    const atom = "http://www.w3.org/2005/Atom";
    return {
        status: answer.status,
        type: answer.headers.get("content-type"),
        etag: answer.headers.get("etag"),
        root: xml.documentElement.localName,
        ns: xml.documentElement.namespaceURI,
        errors: xml.getElementsByTagName("parsererror").length,
        titles: [...xml.getElementsByTagNameNS(atom, "entry")].map(
            (e) => e.getElementsByTagNameNS(atom, "title")[0].textContent),
        contents: [...xml.getElementsByTagNameNS(atom, "content")].map((c) => c.textContent),
        length: text.length,
    };
}"""


def discovered(opened: Page, url: str) -> dict[str, str]:
    """The Atom feeds the page at ``url`` announces: title -> absolute address."""
    opened.goto(url)
    links = opened.locator('head link[rel="alternate"][type="application/atom+xml"]')
    found = links.evaluate_all("links => links.map(l => [l.title, l.href])")
    return dict(found)


def load(opened: Page, href: str) -> dict[str, Any]:
    """The feed at ``href`` as Chromium fetches and parses it, from the page ``opened``."""
    loaded: dict[str, Any] = opened.evaluate(LOAD_FEED, href)
    assert loaded["status"] == 200, loaded
    assert loaded["type"] == "application/atom+xml; charset=utf-8"
    assert (loaded["root"], loaded["ns"], loaded["errors"]) == (
        "feed",
        "http://www.w3.org/2005/Atom",
        0,
    )
    return loaded


def test_every_page_announces_the_latest_summaries(reader: Reader, page: Page) -> None:  # noqa: F811
    feeds = discovered(page, reader.url + "/")
    assert feeds == {"inbrief: latest summaries": reader.url + "/feeds/latest.atom"}
    loaded = load(page, feeds["inbrief: latest summaries"])
    assert sorted(loaded["titles"]) == sorted(title for title, _ in STORIES.values())
    # Each entry's content is a summary of its article, sentences of its own text.
    sentences = [s.strip(" .") for _, text in STORIES.values() for s in text.split(". ")]
    for content in loaded["contents"]:
        assert any(sentence in content for sentence in sentences), content
        assert "Read it in inbrief" in content


def test_a_feeds_listing_announces_that_feeds_summaries(reader: Reader, page: Page) -> None:  # noqa: F811
    feeds = discovered(page, f"{reader.url}/?feed={reader.feed_id}")
    href = feeds["inbrief: this feed's summaries"]
    assert href == f"{reader.url}/feeds/{reader.feed_id}/summaries.atom"
    assert len(load(page, href)["titles"]) == len(STORIES)


def test_a_search_announces_its_feed_and_the_feed_loads(reader: Reader, page: Page) -> None:  # noqa: F811
    feeds = discovered(page, f"{reader.url}/search?q=seed+library")
    href = feeds["inbrief: search “seed library”"]
    assert href == f"{reader.url}/search.atom?q=seed%20library"
    assert load(page, href)["titles"] == ["Orchard town opens a seed library"]
    # Opened as a page of its own, the feed loads too.
    answer = page.goto(href)
    assert answer is not None and answer.status == 200
    assert answer.headers["content-type"] == "application/atom+xml; charset=utf-8"
