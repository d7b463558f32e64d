"""Hostile stored content stays inert on every page, in real headless Chromium.

A corpus of articles and feeds whose every field (title, byline, site, date, language, URL,
text and so its summaries, the partial-article reason, feed titles, URLs and errors) carries
markup that would run script if it reached the page as HTML, stored through the real store.
Each payload tries to set ``window.__pwned`` or open a dialog. The browser visits every kind
of page (the list, each article with its summary opened by both buttons, the summary view
without JavaScript, search, feeds and its form, error pages, /docs) and checks that nothing
ran, nothing was blocked (a CSP report would mean markup got through and only the policy
stopped it), nothing was requested from elsewhere and the payloads show as text.

The tour runs twice: under the reader's Content-Security-Policy, and with the browser told
to ignore it (escaping alone must hold). A third test injects a script into a real answer to
show that the policy alone also stops it. Pages are checked without a browser too (lxml), so
the escaping is tested wherever the suite runs.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx
import lxml.html
import pytest
from conftest import LocalServer
from test_browser import browser  # noqa: F401  (shared fixture)

from inbrief.ingest import add_article
from inbrief.models import Article
from inbrief.service import Settings, create_app
from inbrief.service.server import running
from inbrief.store import Store, StoredArticle, StoredFeed

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

PWN = "window.__pwned=1"
PAYLOADS = (
    f"<script>{PWN}</script>",
    f'<img src=x onerror="{PWN}">',
    f'"><svg onload={PWN}>',
    "'><svg/onload=alert(1)>",
    "</textarea><script>alert(1)</script>",
    f"</title><script>{PWN}</script>",
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    f'<a href="javascript:{PWN}">read more</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    f'<details open ontoggle="{PWN}">',
    f'<input autofocus onfocus="{PWN}">',
    "<body onload=alert(1)>",
    '<base href="http://attacker.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    "<!--<script>alert(1)</script>-->",
    "]]><script>alert(1)</script>",
    '<link rel="stylesheet" href="http://attacker.example/x.css">',
)
TEMPLATE_SYNTAX = "{{ 7*7 }} {% print(7*7) %} ${7*7} #{7*7} {{ config }}"
RLO, PDF, RLI, PDI = "\u202e", "\u202c", "\u2067", "\u2069"
LONG_WORD = "Donaudampfschiffahrtsgesellschaft" * 200
# Elements no page of the reader has: any of them in a page came from stored text.
FOREIGN = (
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "base",
    "style",
    "details",
    "textarea",
)
# The <link>s that are not stylesheets: the reader's own icon and its own Atom feeds
# (autodiscovery, always a path on the reader).
ICON = "/static/favicon.svg"
ATOM = "application/atom+xml"
FOREIGN_ELEMENTS = ", ".join(
    (
        *FOREIGN,
        "script:not([src])",
        "meta[http-equiv]",
        f'link:not([rel=stylesheet]):not([rel=icon][href^="{ICON}"])'
        f':not([rel=alternate][type="{ATOM}"][href^="/"])',
        "[autofocus]",
    )
)
FOREIGN_XPATH = " | ".join(
    [f"//{name}" for name in FOREIGN]
    + ["//script[not(@src)]", "//meta[@http-equiv]"]
    + [
        "//link[not(@rel='stylesheet')"
        f" and not(@rel='icon' and starts-with(@href, '{ICON}'))"
        f" and not(@rel='alternate' and @type='{ATOM}' and starts-with(@href, '/')"
        " and not(starts-with(@href, '//')))]"
    ]
    + ["//*[@autofocus]"]
)


def _sentences(*payloads: str) -> str:
    """News-like sentences, each holding a payload, so the summaries carry them too."""
    lines = [
        f"The harbour board met on Monday and {payload} was read into the record."
        for payload in payloads
    ]
    return "\n\n".join(" ".join(lines[i : i + 3]) for i in range(0, len(lines), 3))


HOSTILE = Article(
    title=f"Harbour vote {PAYLOADS[0]} {PAYLOADS[2]} {PAYLOADS[5]}",
    author=PAYLOADS[1],
    site=PAYLOADS[3],
    date=f"2024-05-01{PAYLOADS[4]}",
    language=f'en" onmouseover="{PWN}',
    url=f"javascript:{PWN}",
    origin="hostile-test",
    text=_sentences(*PAYLOADS),
    complete=False,
    incomplete_reason=PAYLOADS[6],
)
BIDI = Article(
    title=f"Council {RLO}etov eurt{PDF} {PDI}{RLO} ends",
    author=f"{RLO}nnA",
    site=f"{RLI}news{PDI}{RLO}",
    url=f"http://rtl.example/{RLO}story",
    origin="bidi-test",
    language="en",
    text=(
        f"The council {RLO}passed the budget on Tuesday. "
        f"Members {RLI}argued for hours before the vote. "
        "The new budget funds two schools and a clinic. "
        f"Critics said the plan {RLO}ignores the harbour."
    ),
)
LONG = Article(
    title=f"Longest words {LONG_WORD}",
    author=LONG_WORD[:400],
    site=LONG_WORD[:300],
    url="http://long.example/" + "a" * 3000,
    origin="long-test",
    language="de",
    text=(
        f"Der Bericht nennt {LONG_WORD} als Beispiel. "
        "Die Stadt plant eine neue Brücke über den Fluss. "
        f"Die Kosten liegen bei {LONG_WORD[:3000]} Euro. "
        "Der Rat entscheidet im Herbst."
    ),
)
TEMPLATE = Article(
    title=f"Template {TEMPLATE_SYNTAX}",
    author="{{ request }}",
    origin="template-test",
    language="en",
    text=_sentences(TEMPLATE_SYNTAX, "{% raw %}", "{{ ''.__class__.__mro__ }}", "{# comment #}"),
)


@dataclass(frozen=True)
class Corpus:
    url: str
    store: Store
    hostile: StoredArticle
    bidi: StoredArticle
    long: StoredArticle
    template: StoredArticle
    feed: StoredFeed

    @property
    def articles(self) -> tuple[StoredArticle, ...]:
        return (self.hostile, self.bidi, self.long, self.template)

    def stored_texts(self) -> list[str]:
        """Every stored string a page may show."""
        values: list[str] = []
        for stored in self.articles:
            article = stored.article
            values += [article.title or "", article.author or "", article.site or ""]
            values += [article.date or "", article.text, article.incomplete_reason or ""]
        for feed in self.store.list_feeds():
            values += [feed.url, feed.title or "", feed.last_error or ""]
        return [v for v in values if v]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Corpus]:
    database = tmp_path_factory.mktemp("xss") / "inbrief.db"
    with Store.open(str(database)) as store:
        feed, _ = store.add_feed(
            f'http://feeds.example/"><svg onload={PWN}>', f"<script>{PWN}</script> Daily"
        )
        store.update_feed(
            feed.id, last_polled_at=datetime.now(UTC), last_error=f'<img src=x onerror="{PWN}">'
        )
        store.add_feed("javascript:alert(1)")
        store.add_feed("http://feeds.example/rtl.xml", f"{RLO}sweN yliaD")
        hostile = add_article(store, HOSTILE, feed_id=feed.id).article
        bidi = add_article(store, BIDI).article
        long = add_article(store, LONG, source_url=f"javascript:{PWN}").article
        template = add_article(store, TEMPLATE).article
        # Small pages, so the list has a pager whose links carry the query.
        with running(create_app(store, Settings(page_size=2))) as url:
            yield Corpus(url, store, hostile, bidi, long, template, feed)


def tour(corpus: Corpus) -> list[str]:
    """Every kind of page, each path once."""
    paths = ["/", "/?page=2", f"/?feed={corpus.feed.id}", "/feeds", "/search"]
    paths += ["/search?q=harbour", "/search?q=" + quote(PAYLOADS[0]), "/search?q=" + quote(RLO)]
    for stored in corpus.articles:
        paths.append(f"/articles/{stored.id}")
        paths.append(f"/articles/{stored.id}?summary=sentences-3&at=top")
        paths.append(f"/articles/{stored.id}?summary=bullets&at=bottom")
    paths.append("/nothing/" + quote(f'"><svg onload={PWN}>'))
    paths.append("/articles/" + quote(PAYLOADS[0]))
    return paths


# --- without a browser: the HTML itself -------------------------------------------------------


def test_every_page_renders_stored_text_as_text(corpus: Corpus) -> None:
    with httpx.Client(base_url=corpus.url, timeout=60) as web:
        for path in tour(corpus):
            response = web.get(path)
            assert response.headers["content-type"].startswith("text/html"), path
            root = lxml.html.fromstring(response.text)
            assert root.xpath(FOREIGN_XPATH) == [], path
            handlers = [a for e in root.iter() for a in e.attrib if a.lower().startswith("on")]
            assert handlers == [], path
            links = root.xpath("//@href | //@src | //@action")
            assert all(_safe_link(link) for link in links), (path, links)


def test_payloads_show_literally(corpus: Corpus) -> None:
    with httpx.Client(base_url=corpus.url, timeout=60) as web:
        page = lxml.html.fromstring(web.get(f"/articles/{corpus.hostile.id}").text)
        shown = page.text_content()
        for payload in PAYLOADS:
            assert payload in shown, payload
        assert page.xpath("//article/@lang") == [HOSTILE.language]
        template = lxml.html.fromstring(web.get(f"/articles/{corpus.template.id}").text)
        assert TEMPLATE_SYNTAX in template.text_content()
        feeds = lxml.html.fromstring(web.get("/feeds").text).text_content()
        assert f"<script>{PWN}</script> Daily" in feeds and "onerror" in feeds


def test_the_api_never_answers_stored_text_as_html(corpus: Corpus) -> None:
    paths = [f"/api/articles/{corpus.hostile.id}", f"/api/articles/{corpus.hostile.id}/summary"]
    paths += ["/api/feeds", "/api/articles?q=harbour"]
    with httpx.Client(base_url=corpus.url, timeout=60) as web:
        for path in paths:
            response = web.get(path)
            assert response.headers["content-type"] == "application/json", path
            assert response.headers["x-content-type-options"] == "nosniff"
            assert PWN in response.text  # the data is there, as JSON


def _safe_link(link: str) -> bool:
    scheme = link.split(":", 1)[0].lower() if ":" in link.split("/", 1)[0] else ""
    return scheme in ("", "http", "https")


# --- in the browser ---------------------------------------------------------------------------

WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""
DOM_CHECK = """
(foreign) => {
  const found = [];
  for (const element of document.querySelectorAll(foreign)) found.push(element.outerHTML);
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith("on")) found.push(`${element.tagName} ${attribute.name}`);
    }
  }
  for (const element of document.querySelectorAll("[href], [src], [action]")) {
    const link = element.href || element.src || element.action;
    if (!/^https?:$/.test(new URL(link, location.href).protocol)) found.push(link);
  }
  return found;
}
"""
# Text holding a direction control must sit in an isolate (a <bdi>, a unicode-bidi: isolate
# element, or a block) that holds stored text only: then it cannot reorder the page's words.
BIDI_CHECK = """
(stored) => {
  const controls = /[\\u202A-\\u202E\\u2066-\\u2069]/;
  const flat = (text) => text.replace(/\\s+/g, " ").trim().replace(/…$/, "");
  const known = stored.map(flat);
  const leaks = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!controls.test(node.data)) continue;
    let box = node.parentElement;
    while (box !== document.body) {
      const style = getComputedStyle(box);
      if (box.tagName === "BDI" || /isolate|plaintext/.test(style.unicodeBidi)
          || style.display !== "inline") break;
      box = box.parentElement;
    }
    const text = flat(box.textContent);
    if (!known.some((value) => value.includes(text))) leaks.push(text.slice(0, 160));
  }
  return leaks;
}
"""


@dataclass
class Watch:
    """What a page did that it should not have."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)


def _watched_page(browser: Browser, corpus: Corpus, **options: Any) -> tuple[Page, Watch]:  # noqa: F811
    context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
    context.add_init_script(WATCH)
    page = context.new_page()
    watch = Watch()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    origin = corpus.url + "/"
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(origin) else watch.foreign_requests.append(request.url)
        ),
    )
    return page, watch


def assert_inert(page: Page, watch: Watch, where: str, *, csp: bool = True) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined", where
    assert watch.dialogs == [], where
    assert watch.errors == [], where
    assert watch.foreign_requests == [], where
    if csp:
        assert page.evaluate("window.__violations") == [], where


def open_both_summaries(page: Page) -> None:
    """Both buttons, the bottom one as bullets (answered in place by reader.js)."""
    page.locator("#summary-top button.summary-button").click()
    page.locator("#summary-top .summary-sentence").first.wait_for()
    bottom = page.locator("#summary-bottom")
    bottom.get_by_label("Summary length").select_option("bullets")
    bottom.locator("button.summary-button").click()
    bottom.locator("li .summary-sentence").first.wait_for()


@pytest.mark.parametrize("csp", [True, False], ids=["with-csp", "escaping-alone"])
def test_no_script_runs_on_any_page(
    browser: Browser,  # noqa: F811
    corpus: Corpus,
    csp: bool,
) -> None:
    page, watch = _watched_page(browser, corpus, bypass_csp=not csp)
    stored = corpus.stored_texts()
    try:
        for path in tour(corpus):
            page.goto(corpus.url + path)
            if path.startswith("/articles/") and "summary=" not in path and path[10:].isdigit():
                open_both_summaries(page)
                for link in page.locator(".summary-sentence").all()[:2]:
                    link.click()
            assert page.evaluate(DOM_CHECK, FOREIGN_ELEMENTS) == [], path
            assert page.evaluate(BIDI_CHECK, stored) == [], path
            # The longest word wraps: the page never scrolls sideways.
            assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path
            assert_inert(page, watch, path, csp=csp)
        # Swagger UI must not load a description someone names in the address.
        spec = quote("http://attacker.example/spec.json")
        page.goto(f"{corpus.url}/docs?url={spec}&configUrl={spec}")
        page.locator(".opblock").first.wait_for()
        assert "inbrief" in page.locator(".info .title").inner_text()
        assert_inert(page, watch, "/docs", csp=csp)
    finally:
        page.context.close()


def test_a_hostile_feed_address_typed_into_the_form_stays_text(
    browser: Browser,  # noqa: F811
    corpus: Corpus,
) -> None:
    page, watch = _watched_page(browser, corpus)
    try:
        for typed in (f'http://typed.example/"><img src=x onerror="{PWN}">', f"javascript:{PWN}"):
            page.goto(corpus.url + "/feeds")
            field_ = page.get_by_label("Feed address")
            # type=url would stop a javascript: address in the browser; post it as typed.
            field_.evaluate("input => input.type = 'text'")
            field_.fill(typed)
            page.get_by_role("button", name="Add feed").click()
            page.wait_for_load_state()
            assert typed in page.locator(".notice").first.inner_text()
            assert page.evaluate(DOM_CHECK, FOREIGN_ELEMENTS) == []
            assert_inert(page, watch, typed)
    finally:
        page.context.close()
        for feed in corpus.store.list_feeds():
            if "typed.example" in feed.url:
                corpus.store.delete_feed(feed.id)


def test_the_titles_isolate_their_direction(
    browser: Browser,  # noqa: F811
    corpus: Corpus,
) -> None:
    page, _ = _watched_page(browser, corpus)
    try:
        page.goto(f"{corpus.url}/articles/{corpus.bidi.id}")
        controls = dict.fromkeys(map(ord, RLO + PDF + PDI))
        title = " ".join((corpus.bidi.article.title or "").translate(controls).split())
        assert page.title() == f"\u2068{title}\u2069 · inbrief"
    finally:
        page.context.close()


def test_the_policy_alone_stops_a_script_that_got_into_a_page(
    browser: Browser,  # noqa: F811
    corpus: Corpus,
) -> None:
    """Were escaping ever to fail, the reader's CSP still blocks the markup: a real answer
    with a script and a handler spliced in, headers untouched."""
    page, watch = _watched_page(browser, corpus)
    injected = f'<script>{PWN}</script><img src="data:," onerror="{PWN}"><p id="marker">x</p>'

    def splice(route: Route) -> None:
        response = route.fetch()
        body = response.text().replace('<main id="content">', f'<main id="content">{injected}')
        route.fulfill(response=response, body=body)

    page.route(f"{corpus.url}/articles/*", splice)
    try:
        page.goto(f"{corpus.url}/articles/{corpus.template.id}")
        assert page.locator("#marker").count() == 1  # the markup did reach the page
        assert page.evaluate("typeof window.__pwned") == "undefined"
        violations = page.evaluate("window.__violations")
        assert any(v.startswith("script-src-elem") for v in violations), violations
        assert any(v.startswith("script-src-attr") for v in violations), violations
        open_both_summaries(page)  # the reader's own script still works
        assert watch.dialogs == [] and watch.errors == []
    finally:
        page.context.close()


def test_the_widget_shows_hostile_page_text_as_text(
    browser: Browser,  # noqa: F811
    corpus: Corpus,
    http_server: LocalServer,
) -> None:
    """A publisher page whose article text holds markup-like words: the widget's summary
    shows them as words, under the publisher's strict CSP."""
    settings = Settings(cors_origins=(http_server.base_url,))
    with running(create_app(corpus.store, settings)) as reader:
        text = "".join(f"<p>{html.escape(p)}</p>" for p in _sentences(*PAYLOADS).split("\n\n"))
        csp = (
            f"default-src 'none'; script-src {reader}/widget.js; connect-src {reader}; "
            "require-trusted-types-for 'script'"
        )
        url = http_server.route(
            "/story.html",
            f"""<!doctype html><html lang="en"><head><title>Story</title></head><body>
            <article>{text}</article>
            <script src="{reader}/widget.js" data-article="article" data-send="text"
              data-sentences="5" async></script></body></html>""",
            headers={"Content-Security-Policy": csp},
        )
        context = browser.new_context()
        context.add_init_script(WATCH)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: errors.append(f"dialog {dialog.message}"))
        try:
            page.goto(url)
            host = page.locator(".inbrief-widget-top")
            host.get_by_role("button", name="Get a summary").click()
            items = host.locator("li")
            items.first.wait_for()
            shown = " ".join(items.all_inner_texts())
            assert "<script>" in shown or "onerror" in shown or "<svg" in shown, shown
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.evaluate("window.__violations") == []
            assert errors == []
        finally:
            context.close()
