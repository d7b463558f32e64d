"""/today in a real headless Chromium, against a reader on 127.0.0.1 whose feeds it polled.

Two feeds on the local HTTP server carry one event told in different words, and one article of
their own; the browser sees one story with both sources, follows a summary sentence to its place
in its article, and reads a past day through ``?date=``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import test_browser
from conftest import LocalServer
from test_browser import expect
from test_stories import serve_feed

from inbrief.feeds import poll_all
from inbrief.service import create_app
from inbrief.service.server import running
from inbrief.store import Store

# test_browser's Chromium and page fixtures, shared rather than launched again here.
browser = test_browser.browser
page = test_browser.page

if TYPE_CHECKING:
    from playwright.sync_api import Page


@pytest.fixture
def reader_url(http_server: LocalServer, tmp_path: Path) -> Iterator[str]:
    now = datetime.now(UTC)
    earlier = now - timedelta(days=3)
    wire = [("quake-wire", now), ("other-canyon-fire", now), ("mayor-courier", earlier)]
    radio = [("quake-harbour", now), ("mayor-harbour", earlier)]
    with Store.open(str(tmp_path / "today.db")) as store:
        store.add_feed(serve_feed(http_server, "wire", wire))
        store.add_feed(serve_feed(http_server, "radio", radio))
        assert all(result.error is None for result in poll_all(store))
        with running(create_app(store)) as url:
            yield url


def test_today_in_chromium_groups_the_event_and_links_into_the_articles(
    reader_url: str, page: Page, tmp_path: Path
) -> None:
    page.goto(reader_url + "/")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Today").click()
    expect(page.locator("h1")).to_contain_text("Today in brief")
    stories = page.locator("ol.stories > li")
    expect(stories).to_have_count(2)
    quake = stories.nth(0)
    expect(quake).to_contain_text("Selvara")
    expect(quake.locator(".source-count")).to_have_text("2 sources")
    expect(quake.locator("a.source-link")).to_have_count(2)
    lone = stories.nth(1)
    expect(lone).to_have_class("lone-article")
    expect(lone).to_contain_text("Red Canyon")
    page.screenshot(path=tmp_path / "today.png", full_page=True)

    sentence = quake.locator("a.brief-sentence").first
    words = " ".join(sentence.inner_text().split())
    index = sentence.get_attribute("data-index")
    sentence.click()
    page.wait_for_url(f"**/articles/*#s-{index}")
    marked = page.locator(f'.sentence[data-index="{index}"]').first
    expect(marked).to_have_class("sentence highlighted")
    assert " ".join(marked.inner_text().split()) in words


def test_a_past_day_in_chromium(reader_url: str, page: Page) -> None:
    page.goto(reader_url + "/today")
    page.get_by_role("link", name="← Earlier day").click()
    expect(page.locator("h1")).to_contain_text("In brief")
    story = page.locator("ol.stories > li")
    expect(story).to_have_count(1)
    expect(story.locator(".source-count")).to_have_text("2 sources")
    expect(story).to_contain_text("Doveport")
    page.get_by_role("link", name="Today", exact=True).last.click()
    expect(page.locator("h1")).to_contain_text("Today in brief")
