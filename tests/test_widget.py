"""The publisher widget on a publisher's page served from another port, in real Chromium.

The page is the seed news page (../shared/seed/page.txt, through tests/seed.py, which skips
when it is absent) in its news site's layout, served by a plain HTTP server with a strict
Content-Security-Policy that allows only the widget's script and requests to the reader, and
requires Trusted Types (the widget writes no HTML). The widget loads from the reader, puts the
button above and below the article, and shows the reader's summary when either is clicked.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from conftest import LocalServer
from seed import seed_article, seed_blocks
from test_browser import browser, screenshots  # noqa: F401  (shared fixtures)

from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

THEME = "body { font-family: 'DejaVu Serif', Georgia, serif; font-size: 19px; max-width: 42rem; }"
ARTICLE = ".entry-content"


def publisher_page(
    reader_url: str, *, send: str | None = None, integrity: str | None = None
) -> str:
    """The seed article in its news site's layout (header, menu, title, the text, Previous /
    Next Article), with the widget's one tag where the site's own summary plugin was."""
    title, paragraphs = seed_article()
    blocks = seed_blocks()
    previous = blocks[blocks.index("Next Article") - 1]
    following = blocks[blocks.index("Next Article") + 1]
    text = "\n".join(f"        <p>{html.escape(p)}</p>" for p in paragraphs)
    extra = f' data-send="{send}"' if send else ""
    if integrity:
        extra += f' integrity="{integrity}" crossorigin="anonymous"'
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)} | Example News</title>
  <link rel="stylesheet" href="/theme.css">
</head>
<body class="single single-post">
  <header class="site-header">
    <a class="site-logo" href="/">Example News</a>
    <nav class="main-navigation" aria-label="Main menu">
      <a href="/">Home</a> <a href="/world/">World</a> <a href="/politics/">Politics</a>
    </nav>
  </header>
  <main id="main" class="site-main">
    <article class="post type-post">
      <header class="entry-header">
        <h1 class="entry-title">{html.escape(title)}</h1>
        <time class="entry-date" datetime="2024-03-01T09:30:00+00:00">March 1, 2024</time>
      </header>
      <div class="entry-content">
{text}
      </div>
      <nav class="navigation post-navigation" aria-label="Posts">
        <a href="/previous" rel="prev"><p>Previous Article</p><p>{html.escape(previous)}</p></a>
        <a href="/next" rel="next"><p>Next Article</p><p>{html.escape(following)}</p></a>
      </nav>
    </article>
  </main>
  <footer class="site-footer"><p>&copy; 2024 Example News.</p></footer>
  <script src="{reader_url}/widget.js" data-article="{ARTICLE}"{extra} async></script>
</body>
</html>
"""


@dataclass
class Publisher:
    """The publisher's page, the reader it uses, and what the browser did on it."""

    page_url: str
    reader_url: str
    requests: list[Request] = field(default_factory=list)
    console: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def store(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:  # noqa: F811
    with Store.open(str(tmp_path_factory.mktemp("widget") / "inbrief.db")) as opened:
        yield opened


def serve_publisher(
    http_server: LocalServer,
    reader_url: str,
    send: str | None = None,
    integrity: str | None = None,
) -> str:
    csp = (
        "default-src 'none'; "
        f"script-src {reader_url}/widget.js; connect-src {reader_url}; style-src 'self'; "
        "require-trusted-types-for 'script'"
    )
    http_server.route("/theme.css", THEME, content_type="text/css")
    return http_server.route(
        "/world/armenia-and-csto.html",
        publisher_page(reader_url, send=send, integrity=integrity),
        headers={"Content-Security-Policy": csp},
    )


@pytest.fixture
def reader_url(store: Store, http_server: LocalServer) -> Iterator[str]:
    """A reader that lets the publisher's origin call its API."""
    settings = Settings(cors_origins=(http_server.base_url,))
    with running(create_app(store, settings)) as url:
        yield url


def open_page(browser: Browser, publisher: Publisher, **context: Any) -> Page:  # noqa: F811
    context_ = browser.new_context(**context)
    # A cookie the reader's origin set earlier: the widget must not send it.
    context_.add_cookies([{"name": "session", "value": "secret", "url": publisher.reader_url}])
    page = context_.new_page()
    page.on("request", lambda request: publisher.requests.append(request))
    page.on("console", lambda message: publisher.console.append(message.text))
    page.on("pageerror", lambda error: publisher.console.append(f"page error: {error}"))
    page.goto(publisher.page_url)
    return page


def widget_summary(page: Page, position: str) -> list[str]:
    host = page.locator(f".inbrief-widget-{position}")
    host.get_by_role("button", name="Get a summary").click()
    items = host.locator("li")
    items.first.wait_for()
    return [" ".join(t.split()) for t in items.all_inner_texts()]


def expected_summary(reader_url: str, **source: str) -> list[str]:
    response = httpx.post(f"{reader_url}/api/summarize", json=source, timeout=60)
    assert response.status_code == 200, response.text
    return [" ".join(s.split()) for s in response.json()["summary"]]


def test_both_buttons_show_the_summary_of_the_page(
    browser: Browser,  # noqa: F811
    reader_url: str,
    http_server: LocalServer,
    screenshots: Path,  # noqa: F811
) -> None:
    publisher = Publisher(serve_publisher(http_server, reader_url), reader_url)
    page = open_page(browser, publisher, viewport={"width": 1100, "height": 900})
    try:
        article = page.locator(ARTICLE)
        # Above and below the article's text, outside it.
        assert article.evaluate(
            """text => text.previousElementSibling.classList.contains("inbrief-widget-top")
                && text.nextElementSibling.classList.contains("inbrief-widget-bottom")"""
        )
        expected = expected_summary(reader_url, url=publisher.page_url)
        assert widget_summary(page, "top") == expected
        page.screenshot(path=screenshots / "widget-top.png")
        assert widget_summary(page, "bottom") == expected
        assert seed_article()[1][0][:40] in article.inner_text()

        calls = [r for r in publisher.requests if r.url.endswith("/api/summarize")]
        assert len(calls) == 1  # the second button reuses the first answer
        assert calls[0].post_data_json == {"url": publisher.page_url, "sentences": 3}
        assert "cookie" not in calls[0].all_headers()
        origins = {r.url.split("/")[2] for r in publisher.requests}
        assert origins <= {publisher.page_url.split("/")[2], reader_url.split("/")[2]}

        # Styled by the widget's own sheet under the strict CSP, in the page's font.
        button = page.locator(".inbrief-widget-top").get_by_role("button", name="Get a summary")
        style = button.evaluate(
            """b => ({font: getComputedStyle(b).fontFamily,
                      page: getComputedStyle(document.body).fontFamily,
                      radius: getComputedStyle(b).borderTopLeftRadius})"""
        )
        assert style["font"] == style["page"]
        assert style["radius"] not in ("0px", "")
        assert not [m for m in publisher.console if "Content Security Policy" in m], (
            publisher.console
        )
        assert not [m for m in publisher.console if m.startswith("page error")]
    finally:
        page.context.close()


def test_the_article_text_can_be_sent_instead_of_the_url(
    browser: Browser,  # noqa: F811
    reader_url: str,
    http_server: LocalServer,
    screenshots: Path,  # noqa: F811
) -> None:
    url = serve_publisher(http_server, reader_url, send="text")
    publisher = Publisher(url, reader_url)
    page = open_page(browser, publisher, viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        shown = widget_summary(page, "bottom")
        [call] = [r for r in publisher.requests if r.url.endswith("/api/summarize")]
        sent = call.post_data_json or {}
        assert set(sent) == {"text", "sentences"}
        assert seed_article()[1][1] in sent["text"]
        assert shown == expected_summary(reader_url, text=sent["text"])
        page.screenshot(path=screenshots / "widget-phone-bottom.png", full_page=True)
        assert not [m for m in publisher.console if "Content Security Policy" in m]
    finally:
        page.context.close()


def test_an_origin_the_reader_does_not_allow_gets_no_summary(
    browser: Browser,  # noqa: F811
    store: Store,
    http_server: LocalServer,
) -> None:
    with running(create_app(store, Settings(cors_origins=("https://other.example",)))) as url:
        publisher = Publisher(serve_publisher(http_server, url), url)
        page = open_page(browser, publisher)
        try:
            host = page.locator(".inbrief-widget-top")
            host.get_by_role("button", name="Get a summary").click()
            region = host.get_by_role("region", name="Summary")
            region.wait_for()
            assert "No summary right now" in region.inner_text()
            assert host.locator("li").count() == 0
        finally:
            page.context.close()


def test_a_publisher_can_pin_the_widget_with_subresource_integrity(
    browser: Browser,  # noqa: F811
    store: Store,
    http_server: LocalServer,
) -> None:
    # integrity= makes the browser fetch the script with CORS: the reader must allow any
    # origin to read /widget.js even when it lets no origin call its API.
    with running(create_app(store, Settings())) as url:
        script = httpx.get(f"{url}/widget.js").content
        digest = base64.b64encode(hashlib.sha384(script).digest()).decode()
        publisher = Publisher(serve_publisher(http_server, url, integrity=f"sha384-{digest}"), url)
        page = open_page(browser, publisher)
        try:
            button = page.locator(".inbrief-widget-top").get_by_role("button", name="Get a summary")
            button.wait_for()
            assert page.locator(".inbrief-widget").count() == 2
            assert not [m for m in publisher.console if "integrity" in m or "CORS" in m]
        finally:
            page.context.close()
        tampered = Publisher(serve_publisher(http_server, url, integrity="sha384-" + "A" * 64), url)
        page = open_page(browser, tampered)
        try:
            page.wait_for_load_state("load")
            assert page.locator(".inbrief-widget").count() == 0  # a changed script never runs
        finally:
            page.context.close()
