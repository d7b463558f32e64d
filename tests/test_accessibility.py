"""Every reader page audited with axe-core 4 in Chromium: WCAG 2.0/2.1 A and AA, and best practice.

axe-core is the engine behind browsers' accessibility audits; it comes from the npm registry
(``npm ci`` in the project root installs the version package-lock.json pins into
node_modules/). Without it these tests skip, except under CI, where that is a failure. The
reader's pages forbid any script but their own (a strict CSP with Trusted Types), so the
audit runs in a browser context that bypasses the policy: in this test only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
import test_browser
from test_xss import open_both_summaries

from inbrief.ingest import add_article, demo_articles
from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

AXE = Path(__file__).parents[1] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
RUN_AXE = """async (tags) => {
    const results = await axe.run(document, { runOnly: { type: "tag", values: tags } });
    return results.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        help: v.help,
        where: v.nodes.map((n) => n.target.join(" ")),
    }));
}"""

browser = test_browser.browser  # Debian's Chromium under Playwright (see test_browser.py)
DAM = [a for a in demo_articles() if a.title == "China: A leaking dam?"]


def _axe_source() -> str:
    if not AXE.is_file():
        pytest.skip(f"{AXE} is missing: run `npm ci` in the project root to install axe-core")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reader(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A reader with five demo articles on pages of two (so the pager shows), one with
    subheadings and a list, and a feed."""
    database = tmp_path_factory.mktemp("accessibility") / "inbrief.db"
    with Store.open(str(database)) as store:
        for article in [*list(demo_articles())[-5:], *DAM]:
            add_article(store, article)
        store.add_feed("https://news.example.org/feed.xml")
        with running(create_app(store, Settings(page_size=2))) as url:
            yield url


@pytest.fixture(params=["light", "dark"])
def audited(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page whose policy lets the test inject axe-core, in light or dark colours."""
    source = _axe_source()
    context = browser.new_context(
        viewport=test_browser.DESKTOP, bypass_csp=True, color_scheme=request.param
    )
    page = context.new_page()
    page.add_init_script(source)
    yield page
    context.close()


def violations(page: Page) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE, RULES)
    return found


def first_article(page: Page, reader: str) -> str:
    page.goto(reader + "/")
    href = page.locator(".article-list h2 a").first.get_attribute("href")
    assert href is not None
    return reader + href


@pytest.mark.parametrize(
    "path",
    ["/", "/?page=2", "/search?q=the", "/search?q=zzqxjvw", "/search", "/feeds", "/no/such/page"],
)
def test_a_page_has_no_accessibility_violations(audited: Page, reader: str, path: str) -> None:
    audited.goto(reader + path)
    assert violations(audited) == [], path


def test_an_article_page_has_no_accessibility_violations(audited: Page, reader: str) -> None:
    audited.goto(first_article(audited, reader))
    assert violations(audited) == []


def test_an_article_with_subheadings_and_a_list_has_no_accessibility_violations(
    audited: Page, reader: str
) -> None:
    audited.goto(reader + "/search?q=" + quote('"green dam"'))
    audited.locator(".article-list h2 a").first.click()
    audited.locator(".story-text ul li").first.wait_for()
    assert audited.locator(".story-text h2").count() > 0
    assert violations(audited) == []


def test_an_open_summary_has_no_accessibility_violations(audited: Page, reader: str) -> None:
    audited.goto(first_article(audited, reader))
    open_both_summaries(audited)
    audited.locator("#summary-top .summary-sentence").last.click()  # highlighted in the text
    assert violations(audited) == []


def test_a_summary_opened_without_javascript_has_no_accessibility_violations(
    audited: Page, reader: str
) -> None:
    url = first_article(audited, reader)
    audited.goto(f"{url}?at=bottom&summary=words-60#summary-bottom")
    assert audited.locator("#summary-bottom .summary-sentence").count() > 0
    assert violations(audited) == []
