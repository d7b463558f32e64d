"""OPML on the feeds page in a real headless Chromium: upload a file another reader exported,
poll what it subscribed to (served on 127.0.0.1), download the export and upload it again.

Skipped without /usr/bin/chromium, except under CI=true (see :mod:`test_browser`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import LocalServer
from test_browser import browser, expect, page, screenshots  # noqa: F401  (their fixtures)
from test_feeds import GLOBAL_VOICES, RSS_TYPE, as_html, demo_bodies, item, rss

from inbrief.feeds.opml import read_opml
from inbrief.service.app import create_app
from inbrief.service.server import running
from inbrief.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Page


def feedly_export(news: str, notes: str) -> str:
    """Subscriptions as Feedly writes them: a folder per category, one a folder inside another,
    and two addresses inbrief must refuse."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
    <head><title>Sam subscriptions in feedly Cloud</title></head>
    <body>
        <outline text="World" title="World">
            <outline text="Features" title="Features">
                <outline type="rss" text="Voices" title="Voices" xmlUrl="{news}"/>
            </outline>
        </outline>
        <outline text="Local" title="Local">
            <outline type="rss" text="Notes" title="Notes" xmlUrl="{notes}"/>
            <outline type="rss" text="Trap" title="Trap" xmlUrl="javascript:alert(1)"/>
            <outline type="rss" text="Router" title="Router" xmlUrl="http://192.168.1.1/rss"/>
        </outline>
    </body>
</opml>
"""


@pytest.fixture
def reader(tmp_path: Path) -> Iterator[tuple[str, Store]]:
    with (
        Store.open(f"sqlite:///{tmp_path / 'reader.db'}") as store,
        running(create_app(store)) as url,
    ):
        yield url, store


def upload(tab: Page, reader_url: str, file: Path) -> None:
    """Choose ``file`` in the feeds page's OPML form and send it."""
    tab.goto(f"{reader_url}/feeds")
    tab.set_input_files("#opml-file", str(file))
    tab.get_by_role("button", name="Import feeds").click()
    tab.wait_for_load_state()


def test_an_opml_file_is_uploaded_polled_downloaded_and_uploaded_again(
    page: Page,  # noqa: F811
    reader: tuple[str, Store],
    http_server: LocalServer,
    tmp_path: Path,
    screenshots: Path,  # noqa: F811
) -> None:
    url, store = reader
    news = http_server.route("/feeds/gv.rss", GLOBAL_VOICES.read_bytes(), content_type=RSS_TYPE)
    body = as_html(demo_bodies(1)[0])
    notes_items = item("Town notes", http_server.url("/notes/1.html"), content=body)
    notes = http_server.route("/feeds/notes.rss", rss("Notes", notes_items), content_type=RSS_TYPE)
    exported_elsewhere = tmp_path / "feedly.opml"
    exported_elsewhere.write_text(feedly_export(news, notes), encoding="utf-8")

    upload(page, url, exported_elsewhere)
    notices = page.locator(".notice")
    expect(notices.first).to_contain_text(
        "Imported feedly.opml: 2 added, 0 already subscribed, 2 refused."
    )
    expect(notices.filter(has_text="javascript:alert(1)")).to_contain_text(
        "uses the javascript: scheme"
    )
    expect(notices.filter(has_text="192.168.1.1")).to_contain_text("a private address")
    expect(page.locator("table.feeds tbody tr")).to_have_count(2)
    page.screenshot(path=screenshots / "feeds-opml-imported.png", full_page=True)
    assert {(f.url, f.category) for f in store.list_feeds()} == {
        (news, "World/Features"),
        (notes, "Local"),
    }

    # What was imported is a working subscription: polling it stores its entries.
    page.get_by_role("button", name="Poll every feed").click()
    expect(page.locator(".notice").filter(has_text="Notes")).to_contain_text("1 new")
    assert store.list_articles().total > 1

    with page.expect_download() as started:
        page.locator("#opml-export").click()
    download = started.value
    assert download.suggested_filename == "inbrief-feeds.opml"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    listing = read_opml(saved.read_bytes())
    assert {(s.url, s.category) for s in listing.subscriptions} == {
        (news, "World/Features"),
        (notes, "Local"),
    }

    upload(page, url, saved)
    expect(page.locator(".notice").first).to_contain_text(
        "Imported inbrief-feeds.opml: 0 added, 2 already subscribed, 0 refused."
    )
    expect(page.locator("table.feeds tbody tr")).to_have_count(2)
