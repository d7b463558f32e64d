"""Adding an article in a real headless Chromium: the add form, and the bookmarklet run on a
publisher's page (served by the local HTTP server) that leads to the form and the article.

Skipped without Debian's Chromium, except under CI (see tests/test_browser.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
import test_browser
from conftest import LocalServer
from test_accessibility import audited, violations  # noqa: F401  (axe-core in Chromium)
from test_adding import PARAGRAPHS, STORY_TEXT, other_story, story_page
from test_browser import expect

from inbrief.service import create_app
from inbrief.service.server import running
from inbrief.store import Store

# test_browser's Chromium and page fixtures, shared rather than launched again here.
browser = test_browser.browser
page = test_browser.page

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Page

PASTE_LABEL = "The article\u2019s text, or the page\u2019s HTML"


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    """A reader with an empty store, as ``inbrief serve`` gives (changes from this machine)."""
    with Store.open(str(tmp_path / "inbrief.db")) as store, running(create_app(store)) as url:
        yield url, store


def test_the_add_form_adds_a_page_and_lands_on_it(
    page: Page, reader: tuple[str, Store], http_server: LocalServer
) -> None:
    url, store = reader
    story = http_server.route("/news/ferries.html", story_page("Ferries every fifteen minutes"))
    page.goto(url + "/")
    page.get_by_role("link", name="Add", exact=True).click()
    page.wait_for_url(url + "/add")
    page.get_by_label("Page address").fill(story)
    page.get_by_role("button", name="Add this page").click()
    stored = store.list_articles().items
    page.wait_for_url(f"{url}/articles/*")
    assert len(stored) == 1
    assert page.url == f"{url}/articles/{stored[0].id}"
    expect(page.locator("h1")).to_have_text("Ferries every fifteen minutes")
    expect(page.locator(".story-text")).to_contain_text(PARAGRAPHS[1])


def test_the_add_form_adds_pasted_text_and_keeps_it_when_it_fails(
    page: Page, reader: tuple[str, Store]
) -> None:
    url, store = reader
    page.goto(url + "/add")
    # A page with no article in it: refused, and the paste is still in the box.
    empty = "<html><body><nav><a href='/'>Home</a></nav></body></html>"
    page.get_by_label(PASTE_LABEL).fill(empty)
    page.get_by_role("button", name="Add this text").click()
    alert = page.get_by_role("alert")
    expect(alert).to_have_text("It could not be added: No article text found in the pasted HTML.")
    expect(page.get_by_label(PASTE_LABEL)).to_have_value(empty)
    assert store.list_articles().total == 0
    # Plain text with a title is added.
    page.get_by_label("Title").fill("Ferry timetable")
    page.get_by_label(PASTE_LABEL).fill(STORY_TEXT)
    page.get_by_role("button", name="Add this text").click()
    page.wait_for_url(f"{url}/articles/*")
    expect(page.locator("h1")).to_have_text("Ferry timetable")
    assert store.list_articles().total == 1


def test_the_bookmarklet_opens_the_form_for_the_page_and_adding_confirms(
    page: Page, reader: tuple[str, Store], http_server: LocalServer
) -> None:
    url, store = reader
    story = http_server.route("/2026/harbour.html", story_page("Harbour board", other_story(7)))
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    page.on("console", on_console)
    page.goto(url + "/bookmarklet")
    link = page.get_by_role("link", name="Summarize in inbrief")
    # Shown under the reader's policy with nothing refused, and draggable to a bookmarks bar.
    assert problems == []
    assert link.evaluate("a => a.draggable") is True
    href = link.get_attribute("href")
    assert href is not None and href.startswith("javascript:")
    # Clicked here it does nothing: the reader's pages run no script but their own files.
    link.click()
    assert page.url == url + "/bookmarklet"
    assert store.list_articles().total == 0

    # On the publisher's page the bookmark runs as the browser runs any javascript: link there.
    page.goto(story)
    page.evaluate(
        """href => {
            const bookmark = document.createElement("a");
            bookmark.href = href;
            bookmark.textContent = "the bookmark";
            document.body.append(bookmark);
        }""",
        href,
    )
    page.get_by_role("link", name="the bookmark").click()
    page.wait_for_url(f"{url}/add?url={quote(story, safe='')}")
    # Only the form: nothing is added until the person confirms.
    expect(page.get_by_label("Page address")).to_have_value(story)
    assert store.list_articles().total == 0
    page.get_by_role("button", name="Add this page").click()
    page.wait_for_url(f"{url}/articles/*")
    expect(page.locator("h1")).to_have_text("Harbour board")
    stored = store.list_articles().items
    assert [s.source_url for s in stored] == [story]


def test_the_bookmarklet_s_target_address_alone_shows_the_form(
    page: Page, reader: tuple[str, Store], http_server: LocalServer
) -> None:
    """What the bookmark opens, followed directly: the form, filled in, then the article."""
    url, store = reader
    story = http_server.route("/2026/market.html", story_page("Market day", other_story(8)))
    page.goto(f"{url}/add?url={quote(story, safe='')}")
    expect(page.get_by_label("Page address")).to_have_value(story)
    assert store.list_articles().total == 0
    page.get_by_role("button", name="Add this page").click()
    page.wait_for_url(f"{url}/articles/*")
    expect(page.locator("h1")).to_have_text("Market day")


@pytest.mark.parametrize(
    "path", ["/add", "/add?url=https%3A%2F%2Fnews.example%2Fa", "/bookmarklet"]
)
def test_the_pages_have_no_accessibility_violations(
    audited: Page,  # noqa: F811
    reader: tuple[str, Store],
    path: str,
) -> None:
    audited.goto(reader[0] + path)
    assert violations(audited) == [], path


def test_an_error_on_the_form_has_no_accessibility_violations(
    audited: Page,  # noqa: F811
    reader: tuple[str, Store],
) -> None:
    audited.goto(reader[0] + "/add")
    audited.get_by_label("Page address").fill("http://10.20.30.40/story")
    audited.get_by_role("button", name="Add this page").click()
    expect(audited.get_by_role("alert")).to_contain_text("private address")
    assert violations(audited) == []
