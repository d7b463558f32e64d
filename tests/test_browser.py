"""The reader in a real headless Chromium (Debian's ``chromium``, driven by Playwright).

Skipped when /usr/bin/chromium is missing, except under CI=true, where that is a failure
(``.ci/browser.sh`` installs it). Screenshots go to $INBRIEF_SCREENSHOTS, else a temporary
directory named in the test output.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from inbrief.ingest import add_article, demo_articles
from inbrief.service import create_app
from inbrief.service.server import running
from inbrief.store import Store, StoredArticle

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
# Playwright gives each launch a fresh temporary profile (user-data dir) and removes it after.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRANSPARENT = "rgba(0, 0, 0, 0)"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: dict[str, Any] = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def _require_browser() -> None:
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing (install it with .ci/browser.sh)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            missing = "the playwright package is missing (pip install playwright)"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"browser tests must run in CI: {missing}")
    if missing:
        pytest.skip(missing)


def expect(locator: Any) -> Any:
    """Playwright's retrying assertions (imported late: the module may be missing)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, under Playwright (never a browser Playwright downloads)."""
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots are saved."""
    chosen = os.environ.get("INBRIEF_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@dataclass(frozen=True)
class Reader:
    url: str
    store: Store

    def article_path(self, position: int) -> tuple[str, StoredArticle]:
        """The page of the article at ``position`` in the newest-first list."""
        stored = self.store.list_articles(position, 1).items[0]
        return f"{self.url}/articles/{stored.id}", stored

    def summary(self, stored: StoredArticle, **budget: int) -> list[str]:
        url = f"{self.url}/api/articles/{stored.id}/summary"
        return list(httpx.get(url, params=budget, timeout=60).json()["summary"])


@pytest.fixture(scope="module")
def reader(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    database = tmp_path_factory.mktemp("browser") / "inbrief.db"
    with Store.open(str(database)) as store:
        for article in list(demo_articles())[-5:]:
            add_article(store, article)
        with running(create_app(store)) as url:
            yield Reader(url, store)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert errors == [], errors


def flat(text: str) -> str:
    return " ".join(text.split())


def summary_texts(page: Page, position: str) -> list[str]:
    links = page.locator(f"#summary-{position} .summary-sentence")
    links.first.wait_for()
    return [flat(t) for t in links.all_inner_texts()]


def test_the_top_button_shows_the_summary_in_place(
    reader: Reader, page: Page, screenshots: Path
) -> None:
    url, stored = reader.article_path(2)
    page.goto(url)
    page.evaluate("window.stillTheSamePage = true")
    assert page.locator("#summary-top .summary-panel").is_hidden()
    page.locator("#summary-top").get_by_role(
        "button", name="No time to read? Get a summary"
    ).click()
    assert summary_texts(page, "top") == [flat(s) for s in reader.summary(stored, sentences=3)]
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.url == url
    assert page.locator("#summary-bottom .summary-panel").is_hidden()
    page.screenshot(path=screenshots / "desktop-article-summary.png")


def test_the_button_hides_the_summary_it_opened(reader: Reader, page: Page) -> None:
    url, _ = reader.article_path(2)
    page.goto(url)
    top = page.locator("#summary-top")
    button = top.get_by_role("button", name="No time to read? Get a summary")
    panel = top.locator(".summary-panel")
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()
    expect(panel.locator(".summary-sentence").first).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")
    button.click()
    expect(panel).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    button.click()  # and shows it again
    expect(panel.locator(".summary-sentence").first).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "true")


def test_with_another_length_chosen_the_open_summary_changes_instead(
    reader: Reader, page: Page
) -> None:
    url, stored = reader.article_path(1)
    page.goto(url)
    top = page.locator("#summary-top")
    button = top.locator("button.summary-button")
    button.click()
    expect(top.locator(".summary")).to_have_attribute("data-budget", "sentences-3")
    top.get_by_label("Summary length").select_option(label="60 words")
    button.click()
    expect(top.locator(".summary")).to_have_attribute("data-budget", "words-60")
    assert summary_texts(page, "top") == [flat(s) for s in reader.summary(stored, words=60)]
    expect(button).to_have_attribute("aria-expanded", "true")


@pytest.mark.parametrize("opened_by", ["the button", "the page address"])
def test_hide_summary_hides_it_in_place(reader: Reader, page: Page, opened_by: str) -> None:
    url, _ = reader.article_path(3)
    if opened_by == "the button":
        page.goto(url)
        page.locator("#summary-bottom button.summary-button").click()
    else:  # the no-JavaScript path: the server rendered the summary open
        page.goto(f"{url}?at=bottom&summary=sentences-3#summary-bottom")
    page.evaluate("window.stillTheSamePage = true")
    bottom = page.locator("#summary-bottom")
    bottom.get_by_role("link", name="Hide summary").click()
    expect(bottom.locator(".summary-panel")).to_be_hidden()
    expect(bottom.locator("button.summary-button")).to_have_attribute("aria-expanded", "false")
    expect(bottom.locator("button.summary-button")).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True


def test_a_summary_that_is_the_opening_says_so(reader: Reader, page: Page) -> None:
    seen = set()
    for position in range(5):
        url, stored = reader.article_path(position)
        api = httpx.get(f"{reader.url}/api/articles/{stored.id}/summary", timeout=60).json()
        opening = [s["index"] for s in api["sentences"]] == list(range(len(api["sentences"])))
        page.goto(url)
        page.locator("#summary-top button.summary-button").click()
        page.locator("#summary-top .summary-sentence").first.wait_for()
        notes = page.locator("#summary-top .summary-opening").all_inner_texts()
        assert notes == (["The article's opening says it:"] if opening else []), stored.id
        seen.add(opening)
    assert seen == {True, False}


def test_the_icon_loads_under_the_page_s_policy(reader: Reader, page: Page) -> None:
    violations: list[str] = []
    page.on(
        "console", lambda m: violations.append(m.text) if "Content Security" in m.text else None
    )
    page.goto(reader.url + "/")
    href = page.locator("link[rel=icon]").get_attribute("href")
    # Loaded as the browser loads an icon, as an image, under the page's img-src policy.
    size = page.evaluate(
        """async href => {
            const icon = new Image();
            icon.src = href;
            await icon.decode();
            return [icon.naturalWidth, icon.naturalHeight];
        }""",
        href,
    )
    assert size[0] > 0 and size[0] == size[1]
    assert violations == []


def test_the_bottom_button_with_another_length(reader: Reader, page: Page) -> None:
    url, stored = reader.article_path(1)
    page.goto(url)
    page.evaluate("window.stillTheSamePage = true")
    bottom = page.locator("#summary-bottom")
    bottom.get_by_label("Summary length").select_option(label="60 words")
    bottom.get_by_role("button", name="No time to read? Get a summary").click()
    assert summary_texts(page, "bottom") == [flat(s) for s in reader.summary(stored, words=60)]
    assert bottom.locator(".summary").get_attribute("data-budget") == "words-60"
    assert page.evaluate("window.stillTheSamePage") is True


def test_bullets_list_the_sentences(reader: Reader, page: Page) -> None:
    url, stored = reader.article_path(1)
    page.goto(url)
    top = page.locator("#summary-top")
    top.get_by_label("Summary length").select_option("bullets")
    top.get_by_role("button", name="No time to read? Get a summary").click()
    items = top.locator("ul.summary-sentences li")
    items.first.wait_for()
    assert [flat(t) for t in items.all_inner_texts()] == [
        flat(s) for s in reader.summary(stored, sentences=3)
    ]


def test_next_and_previous_article(reader: Reader, page: Page) -> None:
    url, stored = reader.article_path(2)
    _, older = reader.article_path(3)
    page.goto(url)
    page.get_by_role("link", name="Next Article").click()
    page.wait_for_url(f"{reader.url}/articles/{older.id}")
    assert page.locator("h1").inner_text() == older.article.title
    page.get_by_role("link", name="Previous Article").click()
    page.wait_for_url(url)
    assert page.locator("h1").inner_text() == stored.article.title


def test_a_summary_sentence_click_highlights_it_in_the_article(
    reader: Reader, page: Page, screenshots: Path
) -> None:
    url, _ = reader.article_path(0)
    page.goto(url)
    page.locator("#summary-top button.summary-button").click()
    last = page.locator("#summary-top .summary-sentence").last
    last.wait_for()
    index = last.get_attribute("data-index")
    last.click()
    highlighted = page.locator(".sentence.highlighted")
    highlighted.first.wait_for()
    assert set(highlighted.evaluate_all("spans => spans.map(s => s.dataset.index)")) == {index}
    assert flat(highlighted.first.inner_text()) == flat(last.inner_text())
    # Scrolled into view (the scroll is smooth: wait for it to settle inside the viewport).
    page.wait_for_function(
        """index => {
            const box = document.querySelector(`.sentence[data-index="${index}"]`)
                .getBoundingClientRect();
            return box.top >= 0 && box.bottom <= window.innerHeight;
        }""",
        arg=index,
    )
    expect(highlighted.first).not_to_have_css("background-color", TRANSPARENT)
    page.screenshot(path=screenshots / "desktop-highlighted-sentence.png")


def test_the_front_page_and_search(reader: Reader, page: Page, screenshots: Path) -> None:
    page.goto(reader.url + "/")
    newest = reader.store.list_articles(0, 1).items[0]
    assert page.locator(".article-list h2").first.inner_text() == newest.article.title
    page.screenshot(path=screenshots / "desktop-front-page.png")
    word = max(newest.article.title.split(), key=len)
    page.get_by_role("searchbox", name="Search articles").fill(word)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(f"{reader.url}/search?q=*")
    assert newest.article.title in page.locator(".article-list").inner_text()


def test_a_phone_gets_the_same_page_without_sideways_scrolling(
    browser: Browser, reader: Reader, screenshots: Path
) -> None:
    context = browser.new_context(**PHONE)
    try:
        phone = context.new_page()
        url, stored = reader.article_path(2)
        phone.goto(url)
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        button = phone.locator("#summary-top button.summary-button")
        width = button.bounding_box()["width"]  # type: ignore[index]
        assert width > 300  # full width on a narrow screen: an easy target for a thumb
        button.tap()
        assert summary_texts(phone, "top") == [flat(s) for s in reader.summary(stored, sentences=3)]
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.screenshot(path=screenshots / "phone-article-summary.png")
        phone.goto(reader.url + "/")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        phone.screenshot(path=screenshots / "phone-front-page.png")
    finally:
        context.close()


SMALL_PHONE: dict[str, Any] = {**PHONE, "viewport": {"width": 375, "height": 667}}


def test_on_a_small_phone_the_open_summary_leaves_the_article_on_the_first_screen(
    browser: Browser, reader: Reader, screenshots: Path
) -> None:
    context = browser.new_context(**SMALL_PHONE)
    try:
        phone = context.new_page()
        for position in range(5):
            url, _ = reader.article_path(position)
            phone.goto(url)
            phone.locator("#summary-top button.summary-button").tap()
            phone.locator("#summary-top .summary-sentence").first.wait_for()
            shot = screenshots / f"small-phone-summary-{position}.png"
            phone.screenshot(path=shot)
            # Measured on what the screenshot shows: the first screen, unscrolled.
            first = phone.locator(".story-text p").first
            box = first.bounding_box()
            assert box is not None
            line = float(first.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)"))
            assert box["y"] + line <= 667, f"{shot}: the first paragraph starts at {box['y']:.0f}"
            summary = phone.locator("#summary-top .summary").bounding_box()
            assert summary is not None and summary["y"] + summary["height"] <= box["y"]
    finally:
        context.close()


def test_without_javascript_the_summary_and_highlight_still_work(
    browser: Browser, reader: Reader, screenshots: Path
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        url, stored = reader.article_path(3)
        page.goto(url)
        page.locator("#summary-bottom button.summary-button").click()
        page.wait_for_url(f"{url}?at=bottom&summary=sentences-3#summary-bottom")
        assert summary_texts(page, "bottom") == [
            flat(s) for s in reader.summary(stored, sentences=3)
        ]
        first = page.locator("#summary-bottom .summary-sentence").first
        target = first.get_attribute("href")
        first.click()
        page.wait_for_url(f"**{target}")
        expect(page.locator(f"{target}")).not_to_have_css("background-color", TRANSPARENT)
        page.screenshot(path=screenshots / "no-javascript-summary.png")
    finally:
        context.close()
