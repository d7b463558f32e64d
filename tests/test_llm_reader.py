"""Written summaries in the reader and the widget, in a real headless Chromium, from a real model.

The reader is configured with SmolLM2-135M on llama.cpp's server (the ``llm_url`` fixture),
behind the counting proxy of ``test_llm_service``, so that a test can hold the model's answer
and use the page while the model "writes".  What a page shows is compared with what the API
answers for the same summary (the cached dict the page got).  Which article gives which case
depends on the model and the prompt, so the cases are found when the tests start, among a few
look-alike articles: one whose written summary passed the check, one with sentences the check
removed; a test fails, not skips, when the model gives neither.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from conftest import LocalServer
from test_accessibility import RULES, RUN_AXE, _axe_source
from test_browser import (  # noqa: F401  (browser, page, screenshots: shared fixtures)
    DESKTOP,
    TRANSPARENT,
    browser,
    expect,
    flat,
    page,
    screenshots,
)
from test_llm_service import FLOOD, LIBRARY, SHORT, ModelProxy, model_settings, reader_over

from inbrief.models import Article
from inbrief.service import Settings
from inbrief.store import Store, StoredArticle

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

FERRY = "\n\n".join(
    [
        "The harbour town of Kelmouth opened its new ferry terminal on Saturday after four years "
        "of building work.",
        "The terminal cost 38 million pounds and replaces a wooden pier that storms wrecked in "
        "2019.",
        "Mayor Ruth Anselm cut the ribbon in front of about 2,000 residents gathered on the quay.",
        "The first ferry left for the island of Skarra at nine in the morning with 140 passengers "
        "on board.",
        "The new ferry carries 400 passengers and 60 cars, and the crossing takes 35 minutes.",
        "Fishermen complained that the terminal takes up space where their boats used to moor.",
    ]
)
# A news brief of one sentence: a written summary of it needs one sentence to pass the check.
BRIEF = "A storm cut power to 4,000 homes in the valley of Brenn on Sunday night."
ARTICLES = {"brief": BRIEF, "library": LIBRARY, "ferry": FERRY, "flood": FLOOD, **SHORT}
LENGTHS = {"3 sentences": {"sentences": 3}, "60 words": {"words": 60}}
# Where to look for each case, in order (each look is one summary the model writes; "flood"
# is kept for the test that watches the model write).
CANDIDATES = [
    (name, length)
    for name in ("brief", "library", "ferry", "school", "bakery", "bridge")
    for length in LENGTHS
]
WAITING = "The model is writing the summary… (this can take half a minute)"


@dataclass(frozen=True)
class Case:
    """An article and a length of the reader's menu, and the written summary the API gives."""

    name: str
    length: str
    summary: dict[str, Any]


@dataclass
class Reader:
    url: str
    store: Store
    model: ModelProxy
    articles: dict[str, StoredArticle]

    def page_of(self, name: str) -> str:
        return f"{self.url}/articles/{self.articles[name].id}"

    def written(self, name: str, length: str) -> dict[str, Any]:
        """The API's written summary (the cached dict the page shows)."""
        path = f"/api/articles/{self.articles[name].id}/summary"
        query = {"method": "llm", **LENGTHS[length]}
        answer = httpx.get(self.url + path, params=query, timeout=300)
        assert answer.status_code == 200, answer.text
        summary: dict[str, Any] = answer.json()
        return summary

    def find(self, wanted: Callable[[dict[str, Any]], bool], what: str) -> Case:
        for name, length in CANDIDATES:
            summary = self.written(name, length)
            if wanted(summary):
                return Case(name, length, summary)
        pytest.fail(f"the model wrote {what} for none of {CANDIDATES}")


@pytest.fixture(scope="module")
def model(llm_url: str) -> Iterator[ModelProxy]:
    proxy = ModelProxy(llm_url)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def reader(
    browser: Browser,  # noqa: F811
    model: ModelProxy,
    llm_model: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Reader]:
    with Store.open(str(tmp_path_factory.mktemp("llm-reader") / "inbrief.db")) as store:
        articles = {
            name: store.add_article(Article(text=text, language="en"))[0]
            for name, text in ARTICLES.items()
        }
        with reader_over(store, model_settings(model.url, llm_model)) as url:
            yield Reader(url, store, model, articles)


@pytest.fixture(scope="module")
def written(reader: Reader) -> Case:
    """A written summary that passed the check."""
    return reader.find(lambda s: s["fallback"] is None, "a summary that passed the check")


@pytest.fixture(scope="module")
def removed(reader: Reader) -> Case:
    """A written summary with sentences the check removed."""
    return reader.find(
        lambda s: bool(s["written"] and s["written"]["removed"]), "a sentence the check removed"
    )


def written_button(page: Page, position: str = "top") -> Locator:  # noqa: F811
    return page.locator(f"#summary-{position}").get_by_role("button", name="Written summary")


def open_written(page: Page, reader: Reader, case: Case, position: str = "top") -> Locator:  # noqa: F811
    """Open the written summary of ``case`` on its article's page; its panel, once shown."""
    page.goto(reader.page_of(case.name))
    menu = page.locator(f"#summary-{position}").get_by_label("Summary length")
    menu.select_option(label=case.length)
    written_button(page, position).click()
    panel = page.locator(f"#summary-panel-{position}")
    panel.locator(".summary:not(.summary-pending)").wait_for(timeout=300_000)
    return panel


def assert_shows(panel: Locator, summary: dict[str, Any], length: str, model_name: str) -> None:
    """The panel shows the API's written summary as the reader's rules say."""
    minutes = summary["stats"]["minutes_saved"]
    saves = f" · saves about {minutes} min" if minutes else ""
    sentences = [flat(t) for t in panel.locator(".summary-sentence").all_inner_texts()]
    assert sentences == [flat(s) for s in summary["summary"]]
    marks = panel.get_by_role("img", name="checked")
    if summary["fallback"] is None:
        expect(panel.locator(".summary-lead")).to_have_text(f"Written summary, {length}{saves}")
        expect(panel.locator(".summary-by")).to_have_text(
            f"Written by {model_name}; each sentence checked against the article."
        )
        expect(marks).to_have_count(len(sentences))
        expect(panel.locator(".summary-fallback")).to_have_count(0)
    else:
        expect(panel.locator(".summary-lead")).to_have_text(f"Summary, {length}{saves}")
        expect(panel.locator(".summary-fallback")).to_have_text(
            f"No written summary this time: {summary['fallback']}. "
            "Here is the summary made of the article's own sentences."
        )
        expect(marks).to_have_count(0)
    gone = summary["written"]["removed_sentences"] if summary["written"] else []
    details = panel.locator("details.summary-removed")
    expect(details).to_have_count(1 if gone else 0)
    if gone:
        count = f"{len(gone)} {'sentence' if len(gone) == 1 else 'sentences'}"
        expect(details.locator("summary")).to_have_text(f"{count} removed by the check")


def test_the_written_summary_names_its_model_and_marks_each_checked_sentence(
    reader: Reader,
    written: Case,
    page: Page,  # noqa: F811
    llm_model: str,
    screenshots: Path,  # noqa: F811
) -> None:
    panel = open_written(page, reader, written)
    assert_shows(panel, written.summary, written.length, llm_model)
    expect(written_button(page)).to_have_attribute("aria-expanded", "true")
    extract = page.locator("#summary-top button.summary-button")
    expect(extract).to_have_attribute("aria-expanded", "false")
    page.screenshot(path=screenshots / "written-summary.png")


def test_a_written_sentence_highlights_the_article_sentences_it_rests_on(
    reader: Reader,
    written: Case,
    page: Page,  # noqa: F811
) -> None:
    panel = open_written(page, reader, written)
    # The sentence resting on the most article sentences: each of them is marked.
    sentences = written.summary["sentences"]
    position, sentence = max(enumerate(sentences), key=lambda s: len(s[1]["support"]))
    support = [s["index"] for s in sentence["support"]]
    panel.locator(".summary-sentence").nth(position).click()
    highlighted = page.locator(".story-text .sentence.highlighted")
    expect(highlighted).to_have_count(len(support))
    marked = highlighted.evaluate_all("spans => spans.map(s => Number(s.dataset.index))")
    assert marked == support
    assert [flat(t) for t in highlighted.all_inner_texts()] == [
        flat(s["text"]) for s in sentence["support"]
    ]
    expect(highlighted.first).not_to_have_css("background-color", TRANSPARENT)
    assert page.url.endswith(f"#s-{support[0]}")


def test_the_sentences_the_check_removed_are_listed_on_request(
    reader: Reader,
    removed: Case,
    page: Page,  # noqa: F811
    llm_model: str,
    screenshots: Path,  # noqa: F811
) -> None:
    panel = open_written(page, reader, removed)
    assert_shows(panel, removed.summary, removed.length, llm_model)
    details = panel.locator("details.summary-removed")
    items = details.locator("li")
    expect(items.first).to_be_hidden()
    details.locator("summary").click()
    gone = removed.summary["written"]["removed_sentences"]
    expect(items).to_have_count(len(gone))
    for item, sentence in zip(items.all(), gone, strict=True):
        expect(item.locator(".removed-text")).to_have_text(sentence["text"])
        for problem in sentence["problems"]:
            expect(item.locator(".removed-why")).to_contain_text(problem["note"])
    page.screenshot(path=screenshots / "written-summary-removed.png")


def test_the_page_stays_usable_while_the_model_writes(
    reader: Reader,
    page: Page,  # noqa: F811
    llm_model: str,
    screenshots: Path,  # noqa: F811
) -> None:
    page.goto(reader.page_of("flood"))  # no summary of it is written yet
    page.evaluate("window.stillTheSamePage = true")
    top = page.locator("#summary-top")
    reader.model.hold()
    try:
        written_button(page).click()
        waiting = top.locator(".summary-waiting")
        expect(waiting).to_have_text(WAITING)
        # Said in the panel's live region, which screen readers announce.
        expect(top.locator(".summary-panel")).to_have_attribute("aria-live", "polite")
        expect(written_button(page)).to_have_attribute("aria-expanded", "true")
        reader.model.wait_for_a_call()
        page.screenshot(path=screenshots / "written-summary-waiting.png")
        # Meanwhile the reader reads on: the other summary, a sentence of it in the text.
        bottom = page.locator("#summary-bottom")
        bottom.locator("button.summary-button").click()
        bottom.locator(".summary-sentence").first.click()
        expect(page.locator(".story-text .sentence.highlighted")).to_have_count(1)
        expect(waiting).to_be_visible()
        expect(written_button(page)).to_be_enabled()
    finally:
        reader.model.release()
    panel = top.locator(".summary-panel")
    panel.locator(".summary:not(.summary-pending)").wait_for(timeout=300_000)
    assert page.evaluate("window.stillTheSamePage") is True
    assert_shows(panel, reader.written("flood", "3 sentences"), "3 sentences", llm_model)


def test_the_written_summary_has_no_accessibility_violations(
    browser: Browser,  # noqa: F811
    reader: Reader,
    written: Case,
    removed: Case,
) -> None:
    source = _axe_source()
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=DESKTOP, bypass_csp=True, color_scheme=scheme)
        try:
            audited = context.new_page()
            audited.add_init_script(source)
            panel = open_written(audited, reader, written)
            panel.locator(".summary-sentence").first.click()
            assert audited.evaluate(RUN_AXE, RULES) == [], scheme
            panel = open_written(audited, reader, removed, "bottom")
            panel.locator("details.summary-removed summary").click()
            assert audited.evaluate(RUN_AXE, RULES) == [], scheme
        finally:
            context.close()


def test_without_javascript_the_written_summary_page_waits_for_the_model(
    browser: Browser,  # noqa: F811
    reader: Reader,
    written: Case,
    llm_model: str,
) -> None:
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(reader.page_of(written.name))
        plain.locator("#summary-bottom").get_by_label("Summary length").select_option(
            label=written.length
        )
        written_button(plain, "bottom").click()
        plain.wait_for_url("**method=llm**", timeout=300_000)
        panel = plain.locator("#summary-panel-bottom")
        assert_shows(panel, written.summary, written.length, llm_model)
        expect(written_button(plain, "bottom")).to_have_attribute("aria-expanded", "true")
        first = panel.locator(".summary-sentence").first
        target = first.get_attribute("href")
        first.click()
        expect(plain.locator(f"{target}")).not_to_have_css("background-color", TRANSPARENT)
    finally:
        context.close()


# --- the widget -------------------------------------------------------------------------------


def publisher_page(reader_url: str, text: str, budget: dict[str, int]) -> str:
    """A publisher's story with the widget asking for the written summary (and, in vain, for
    a model server of its own choosing)."""
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))
    length = " ".join(f'data-{unit}="{value}"' for unit, value in budget.items())
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Local news | Valley News</title></head>
<body>
  <main><h1>Local news</h1><article class="story">{paragraphs}</article></main>
  <script src="{reader_url}/widget.js" data-article=".story" data-send="text" {length}
          data-method="llm" data-llm-url="http://127.0.0.1:1/v1" async></script>
</body>
</html>
"""


def test_the_widget_shows_the_written_summary_and_names_its_model(
    browser: Browser,  # noqa: F811
    reader: Reader,
    written: Case,
    llm_model: str,
    http_server: LocalServer,
    screenshots: Path,  # noqa: F811
) -> None:
    settings = model_settings(reader.model.url, llm_model)
    widget_reader = Settings(llm=settings.llm, cors_origins=(http_server.base_url,))
    with reader_over(reader.store, widget_reader) as url:
        csp = (
            f"default-src 'none'; script-src {url}/widget.js; connect-src {url}; "
            "require-trusted-types-for 'script'"
        )
        page_html = publisher_page(url, ARTICLES[written.name], LENGTHS[written.length])
        story = http_server.route(
            "/story.html", page_html, headers={"Content-Security-Policy": csp}
        )
        context = browser.new_context(viewport=DESKTOP)
        try:
            publisher = context.new_page()
            sent: list[dict[str, Any]] = []
            publisher.on(
                "request",
                lambda r: sent.append(r.post_data_json) if r.url.endswith("/summarize") else None,
            )
            publisher.goto(story)
            host = publisher.locator(".inbrief-widget-top")
            region = host.get_by_role("region", name="Summary")
            reader.model.hold()
            try:
                host.get_by_role("button", name="Get a summary").click()
                expect(region).to_contain_text(WAITING)
            finally:
                reader.model.release()
            expect(region.locator("li").first).to_be_visible(timeout=300_000)
            [body] = sent  # the method's name, and no server
            assert set(body) == {"text", "method", *LENGTHS[written.length]}
            assert body["method"] == "llm"
            # The same text as the reader's article: the same written summary.
            summary = httpx.post(f"{url}/api/summarize", json=body, timeout=300).json()
            assert summary["summary"] == written.summary["summary"]
            assert summary["fallback"] is None
            expect(region.locator(".by")).to_have_text(
                f"Written by {llm_model}; each sentence checked against the article."
            )
            items = [flat(t) for t in region.locator("li").all_text_contents()]
            assert items == [flat(s) + "✓" for s in summary["summary"]]
            expect(region.get_by_role("img", name="checked")).to_have_count(len(items))
            publisher.screenshot(path=screenshots / "widget-written-summary.png")
        finally:
            context.close()
