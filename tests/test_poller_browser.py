"""The feeds page in a real headless Chromium while the reader polls by itself: last poll, next
poll, the error in plain words and the number of articles, against a real server on 127.0.0.1
whose feeds the local HTTP server serves (see tests/test_browser.py for the browser set-up)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import test_browser
from conftest import LocalServer
from test_browser import expect
from test_poller import FAST, serve_feed

from inbrief.service import create_app
from inbrief.service.server import running
from inbrief.store import Store

# test_browser's Chromium and page fixtures, shared rather than launched again here.
browser = test_browser.browser
page = test_browser.page

if TYPE_CHECKING:
    from playwright.sync_api import Page


def stamp(page: Page, row: str, cell: str) -> datetime:
    """The machine-readable time in a cell of a feed's row."""
    value = page.locator(f"{row} td.{cell} time").get_attribute("datetime")
    assert value is not None
    return datetime.fromisoformat(value)


def reload_until(page: Page, row: str, articles: str, polled_after: datetime | None) -> None:
    """Reload the page (nothing else: the poller works meanwhile) until the row shows
    ``articles`` from a finished poll, later than ``polled_after`` when given."""
    for _ in range(150):
        cells = page.locator(f"{row} td.articles"), page.locator(f"{row} td.last-poll time")
        finished = cells[0].inner_text() == articles and cells[1].count()
        if finished and (polled_after is None or stamp(page, row, "last-poll") > polled_after):
            return
        page.wait_for_timeout(100)
        page.reload()
    pytest.fail(f"{row} never showed {articles} after a poll")


def test_the_feeds_page_shows_each_feeds_polls_errors_and_articles(
    page: Page, http_server: LocalServer, tmp_path: Path
) -> None:
    with Store.open(str(tmp_path / "inbrief.db")) as store:
        good, _ = store.add_feed(serve_feed(http_server, "/arlen.xml", range(1, 3)))
        bad, _ = store.add_feed(http_server.route("/gone.xml", "nothing here", status=404))
        with running(create_app(store, FAST), lifespan=True) as url:
            page.goto(f"{url}/feeds")
            good_row, bad_row = f"#feed-{good.id}", f"#feed-{bad.id}"
            reload_until(page, good_row, "2 articles", None)
            reload_until(page, bad_row, "0 articles", None)  # each feed has its own due time
            expect(page.locator(f"{good_row} td.articles")).to_have_text("2 articles")
            expect(page.locator(f"{good_row} td.status")).to_have_text("ok")
            last, upcoming = stamp(page, good_row, "last-poll"), stamp(page, good_row, "next-poll")
            # 0.2-0.22 s after the last poll; while a poll is under way, its lease's 1 s from
            # when it started, which a loaded machine starts late (CI saw 1.2048 s): well
            # under the minutes of a default interval either way.
            assert 0.2 <= (upcoming - last).total_seconds() <= 2.5
            expect(page.locator(f"{bad_row} td.articles")).to_have_text("0 articles")
            # A slow browser may see a second failed poll, which adds "(2 polls in a row failed…)".
            expect(page.locator(f"{bad_row} td.status .error-text")).to_contain_text(
                "The feed is not at this address any more, or is closed to us"
            )
            expect(page.locator(f"{bad_row} td.status")).to_contain_text("HTTP 404 Not Found")

            serve_feed(http_server, "/arlen.xml", range(1, 4))  # a new entry, no command given
            reload_until(page, good_row, "3 articles", last)
            expect(page.locator(f"{good_row} td.articles")).to_have_text("3 articles")
            page.goto(f"{url}/")
            expect(page.locator("ol.article-list li h2").first).to_contain_text(
                "Arlen council approves ferry plan number 3"
            )
