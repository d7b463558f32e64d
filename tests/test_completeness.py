"""The quality gate: whole articles pass, teasers are reported with the reason.

Incomplete pages are built from real ones the way sites cut them: a demo page truncated after
its first paragraphs with a paywall box where the story stops, a single-page-app shell, a
story whose server sends the lede and leaves the rest to JavaScript, a text cut mid-sentence.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import lxml.html
import pytest
from seed import seed_layout_html, seed_text

from inbrief.errors import ExtractError
from inbrief.evaluate.extraction import load_benchmark
from inbrief.extract import extract
from inbrief.extract.gate import assess
from inbrief.extract.html import RECOVER_RULE, extract_html
from inbrief.extract.signals import PageSignals, page_signals
from inbrief.models import Document
from inbrief.pipeline import summarize
from inbrief.render import summary_to_dict

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared"
DEMO = SHARED / "demo"
BENCHMARK = SHARED / "data" / "extraction-dev"
PACKAGED = resources.files("inbrief").joinpath("data", "demo")
BRAZIL = "en-globalvoices-001-brazil-amplified-conversations-to-fight-the-digita"

PAYWALL_BOX = (
    '<div class="paywall"><p>Subscribe to continue reading</p>'
    '<p>Already a subscriber? <a href="/login">Log in</a></p></div>'
)


def packaged_page(name: str) -> str:
    """A page of the demo corpus that ships inside the package (always present)."""
    return PACKAGED.joinpath("html", f"{name}.html").read_text(encoding="utf-8")


def packaged_articles() -> list[dict[str, str]]:
    lines = PACKAGED.joinpath("articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def packaged_article(article_id: str) -> dict[str, str]:
    return next(item for item in packaged_articles() if item["id"] == article_id)


def truncated(page: str, *, keep: int = 2, box: str = "", head: str = "") -> str:
    """``page`` cut the way a paywall cuts it: the story's container keeps its first ``keep``
    paragraphs of text, everything after them goes, and ``box`` takes their place."""
    document = lxml.html.document_fromstring(page)
    container = max(
        (element for element in document.iter() if isinstance(element.tag, str)),
        key=lambda element: len(element.findall("p")),
    )
    paragraphs = [p for p in container.findall("p") if len(p.text_content().split()) >= 8]
    last = paragraphs[keep - 1]
    for later in list(last.itersiblings()):
        container.remove(later)
    for element in lxml.html.fragments_fromstring(box) if box else []:
        container.append(element)
    if head:
        document.head.append(lxml.html.fragment_fromstring(head))
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def html_article(page: str, origin: str = "page.html"):
    return extract(Document(page, "html", origin))


def not_free_json_ld(headline: str) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline,
        "isAccessibleForFree": False,
        "hasPart": {"@type": "WebPageElement", "isAccessibleForFree": False},
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# --- whole articles pass --------------------------------------------------------------------

DEMO_PAGES = sorted(DEMO.glob("*/*/source.html")) if DEMO.is_dir() else []


@pytest.mark.skipif(not DEMO_PAGES, reason="demo corpus absent (../shared/demo)")
@pytest.mark.parametrize("page", DEMO_PAGES, ids=lambda page: page.parent.name[:40])
def test_every_demo_page_is_complete(page):
    article = html_article(page.read_text(encoding="utf-8"), str(page))

    assert article.complete, article.incomplete_reason
    assert article.incomplete_reason is None


@pytest.mark.parametrize("name", [Path(p.name).stem for p in PACKAGED.joinpath("html").iterdir()])
def test_every_packaged_demo_page_is_complete(name):
    article = html_article(packaged_page(name), name)

    assert article.complete, article.incomplete_reason


CUT_DEMO_ARTICLE = "de-wikinews-002-diskussion-um-sterbehilfe-in-deutschland"


def test_every_demo_article_is_complete_but_the_one_stored_cut_off():
    # Four of them end without a full stop (a link title, a photo credit, a colon): whole.
    flagged = {}
    for item in packaged_articles():
        article = extract(Document(f"{item['title']}\n\n{item['body']}", "text", item["id"]))
        if not article.complete:
            flagged[item["id"]] = article.incomplete_reason

    assert flagged == {CUT_DEMO_ARTICLE: "the text stops in the middle of a sentence"}


def test_a_demo_article_stored_cut_off_is_reported_as_cut():
    # Its source (a language-learning app's copy of German Wikinews) kept the article only up
    # to "... werden hierzulande mit großer Sorge betrachtet," -- the gate sees the comma.
    item = packaged_article(CUT_DEMO_ARTICLE)

    article = extract(Document(item["body"], "text", item["id"]))

    assert not article.complete
    assert article.incomplete_reason == "the text stops in the middle of a sentence"


def test_the_seed_page_is_complete_as_html_and_as_text():
    from_html = html_article(seed_layout_html(), "seed_layout.html")
    from_text = extract(Document(seed_text(), "text", "page.txt"))

    assert from_html.complete and from_text.complete


@pytest.mark.skipif(not BENCHMARK.is_dir(), reason="../shared/data/extraction-dev absent")
def test_no_page_of_the_benchmark_dev_set_is_called_incomplete():
    pages, _, urls = load_benchmark(BENCHMARK)
    flagged = {}
    for page_id, page in pages.items():
        article = extract(Document(page, "html", page_id, urls.get(page_id)))
        if not article.complete:
            flagged[page_id] = article.incomplete_reason

    assert flagged == {}


def test_a_metered_page_that_ships_the_whole_story_is_complete():
    # Metered sites mark every story not free and still send all of it.
    page = packaged_page(BRAZIL).replace("</head>", not_free_json_ld("Brazil") + "</head>")

    article = html_article(page)

    assert article.complete, article.incomplete_reason


def test_a_whole_story_with_a_log_in_link_and_an_empty_paywall_slot_is_complete():
    document = lxml.html.document_fromstring(packaged_page(BRAZIL))
    header = '<div class="account">Already a subscriber? <a href="/login">Log in</a></div>'
    slot = '<div class="paywall-slot" data-vendor="piano"></div>'
    for fragment in (slot, header):
        document.body.insert(0, lxml.html.fragment_fromstring(fragment))

    article = html_article(lxml.html.tostring(document, encoding="unicode"))

    assert article.complete, article.incomplete_reason


# --- paywalls and consent walls -----------------------------------------------------------------


def test_a_page_truncated_behind_a_paywall_is_incomplete():
    page = truncated(packaged_page(BRAZIL), box=PAYWALL_BOX)

    article = html_article(page)

    assert not article.complete
    assert article.incomplete_reason == (
        "the article stops at a paywall prompt (\u201cSubscribe to continue reading\u201d)"
    )
    # The prompt is not part of the story a summary is made from.
    assert "Subscribe" not in article.text and "subscriber" not in article.text


def test_a_paywall_prompt_without_paywall_markup_is_enough_where_the_story_stops():
    box = "<div class='box'><p>Subscribe to continue reading.</p></div>"

    article = html_article(truncated(packaged_page(BRAZIL), box=box))

    assert not article.complete
    assert "paywall prompt" in (article.incomplete_reason or "")


def test_a_log_in_link_where_the_story_stops_counts_on_a_page_marked_not_free():
    box = "<div class='account'><p>Already a subscriber? <a href='/login'>Log in</a></p></div>"
    page = truncated(packaged_page(BRAZIL), box=box, head=not_free_json_ld("Brazil"))

    article = html_article(page)

    assert not article.complete
    assert "Already a subscriber" in (article.incomplete_reason or "")


def test_a_short_story_on_a_page_marked_not_free_is_incomplete():
    page = truncated(packaged_page(BRAZIL), keep=1, head=not_free_json_ld("Brazil"))

    article = html_article(page)

    assert not article.complete
    assert (article.incomplete_reason or "").startswith("the page marks the article as not free")


def test_a_paywall_box_where_a_short_story_stops_is_incomplete():
    box = "<div class='article-paywall__fade'><a href='/offers'>See our offers</a></div>"

    article = html_article(truncated(packaged_page(BRAZIL), keep=1, box=box))

    assert not article.complete
    assert (article.incomplete_reason or "").startswith("a paywall box ('paywall') follows")


def test_a_consent_wall_is_incomplete():
    box = (
        "<div class='consent'><p>Accept cookies to continue reading this article.</p>"
        "<button>Accept</button></div>"
    )

    article = html_article(truncated(packaged_page(BRAZIL), box=box))

    assert not article.complete
    assert "Accept cookies to continue" in (article.incomplete_reason or "")


@pytest.mark.parametrize(
    ("name", "prompt"),
    [
        ("fr-wikinews-011-lancement-du-projet-wikidata", "La suite est réservée aux abonnés."),
        ("de-globalvoices-001-ein-jahr-voller-proteste-nicaragua", "Bereits Abonnent? Anmelden"),
    ],
)
def test_paywall_prompts_in_the_page_language_are_recognised(name, prompt):
    page = truncated(packaged_page(name), box=f"<div class='paywall'><p>{prompt}</p></div>")

    article = html_article(page, name)

    assert not article.complete
    assert "paywall prompt" in (article.incomplete_reason or "")


def _small_page(language: str, title: str, paragraphs: list[str], box: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html lang='{language}'><head><meta charset='utf-8'>"
        f"<title>{title}</title></head><body><article><h1>{title}</h1>{body}{box}</article>"
        "</body></html>"
    )


def test_a_russian_paywall_prompt_is_recognised():
    item = next(i for i in packaged_articles() if i["language"] == "ru")
    paragraphs = item["body"].split("\n\n")[:2]
    box = "<div class='paywall'><p>Подпишитесь, чтобы продолжить чтение</p></div>"

    article = html_article(_small_page("ru", item["title"], paragraphs, box))

    assert not article.complete
    assert "Подпишитесь, чтобы продолжить" in (article.incomplete_reason or "")


def test_a_spanish_paywall_prompt_is_recognised():
    paragraphs = [
        "El Gobierno de Kazajistán afirmó el lunes que la alianza seguirá trabajando aunque "
        "Armenia reduzca su participación en las reuniones del bloque.",
        "El viceministro de Exteriores recordó que la organización mantiene sus compromisos de "
        "seguridad con todos sus miembros.",
    ]
    box = "<div class='paywall'><p>Suscríbete para seguir leyendo</p></div>"

    article = html_article(_small_page("es", "Kazajistán y la OTSC", paragraphs, box))

    assert not article.complete
    assert "Suscríbete para seguir leyendo" in (article.incomplete_reason or "")


# --- pages that need JavaScript -----------------------------------------------------------------


def test_a_javascript_app_shell_gives_an_error_that_says_why():
    page = (FIXTURES / "gate_js_shell.html").read_text(encoding="utf-8")

    with pytest.raises(ExtractError, match=r"no article text found in shell\.html: .*JavaScript"):
        html_article(page, "shell.html")


def test_a_lede_whose_story_loads_with_javascript_is_incomplete():
    rest = (
        "<div id='story-rest' data-src='/api/story/4121'></div>"
        "<noscript>Please enable JavaScript to read the full article.</noscript>"
        "<script src='/static/story.js'></script>"
    )

    article = html_article(truncated(packaged_page(BRAZIL), keep=1, box=rest))

    assert not article.complete
    assert "needs JavaScript" in (article.incomplete_reason or "")


# --- texts cut short ---------------------------------------------------------------------------


def _body(article_id: str = "en-wikinews-001-magnitogorsk-apartment-building-collapses-after-ex"):
    return packaged_article(article_id)["body"]


@pytest.mark.parametrize(
    ("cut", "ending"),
    [
        (lambda text: text[: text.index(",", 400) + 1], "on a comma"),
        (lambda text: text[: text.index(" the ", 400) + 4], "on an article"),
        (lambda text: text[: text.index(" ", 400)] + "\u2026", "on an ellipsis glued to a word"),
        (lambda text: text[: text.index(" ", 400)] + " [\u2026]", "on an excerpt's [\u2026]"),
    ],
    ids=["comma", "article", "ellipsis", "excerpt"],
)
def test_a_text_cut_mid_sentence_is_incomplete(cut, ending):
    article = extract(Document(cut(_body()), "text", "cut.txt"))

    assert not article.complete, ending
    assert article.incomplete_reason == "the text stops in the middle of a sentence"


def test_a_story_closing_on_a_credit_line_without_a_full_stop_is_complete():
    credit = "Reporting by Aigerim Sadykova; additional reporting by Nikol Harutyunyan; Editing by"
    credit += " Dan Grebler"

    article = extract(Document(f"{_body()}\n\n{credit}", "text", "story.txt"))

    assert article.complete, article.incomplete_reason


def test_a_very_short_text_is_incomplete():
    lede = " ".join(_body().split()[:30]) + "."

    article = extract(Document(lede, "text", "lede.txt"))

    assert not article.complete
    assert article.incomplete_reason == (
        "only 30 words were found: this looks like a teaser, not the article"
    )
    assert lede.count(" ") == 29


# --- the summary carries the verdict ----------------------------------------------------------


def test_the_summary_json_says_the_article_is_partial_and_why():
    page = truncated(packaged_page(BRAZIL), box=PAYWALL_BOX)

    summary = summarize(Document(page, "html", "teaser.html"), sentences=1, method="lead")
    record = summary_to_dict(summary)

    assert record["complete"] is False
    assert "paywall" in record["incomplete_reason"]


# --- page signals -----------------------------------------------------------------------------


def test_page_signals_see_what_a_reader_sees():
    page = (
        "<html><head><title>Title</title><script>var hidden = 'Subscribe';</script>"
        "<style>p { color: red }</style></head><body><p>Visible <b>words</b> here.</p>"
        "<script>track()</script><noscript>Enable JavaScript</noscript><p>More.</p>"
        '<script type=\'application/ld+json\'>{"isAccessibleForFree": "false"}</script>'
        "<div class='c-paywall__box'></div></body></html>"
    )

    signals = page_signals(lxml.html.document_fromstring(page))

    assert signals == PageSignals(
        visible_text="Visible words here. More.",
        noscript_text="Enable JavaScript",
        scripts=2,
        paywall_markup="paywall",
        paywall_offsets=(len("Visible words here. More. "),),
        not_free=True,
    )
    assert signals.visible_words == 4


def test_microdata_not_free_is_read():
    page = (
        "<html><body><span itemprop='hasPart'><meta itemprop='isAccessibleForFree' "
        "content='False'></span><p>Text.</p></body></html>"
    )

    assert page_signals(lxml.html.document_fromstring(page)).not_free


def test_plain_text_is_judged_on_itself():
    assert assess(_body().split("\n\n"), "en").complete
    assert not assess(["Subscribe to continue reading"], "en").complete


# --- a body shorter than the page's own article markup says ----------------------------------

SIDES = ["north", "south", "east", "west"]


def works_paragraph(n: int) -> str:
    """The ``n``-th paragraph of a made-up report on bridge works, 54 words long."""
    return (
        f"On day {n} of the works, the crew replaced {n * 3 + 2} metres of railing on the "
        f"{SIDES[n % 4]} side of the old bridge, the council's engineer told residents at "
        f"meeting number {n}. She said the {n % 7 + 2} remaining spans would need another "
        f"{n % 5 + 3} weeks, and that traffic would keep using the single lane opened in week "
        f"{n % 9 + 1}."
    )


REPORT = [works_paragraph(n) for n in range(26)]  # 1,404 words
NEWSLETTER_BOX = (
    '<div class="newsletter-signup"><h3>Get the morning briefing</h3>'
    "<p>Sign up for our newsletter</p><form><input name='email'></form></div>"
)


def works_page(body: str, json_ld: object = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(json_ld)}</script>' if json_ld else ""
    return (
        f'<html lang="en"><head><title>Bridge works run late</title>{script}</head><body>'
        '<header><nav><a href="/">Home</a></nav></header><main><article>'
        f"<h1>Bridge works run late</h1>{body}</article></main>"
        "<footer><p>Contact us</p></footer></body></html>"
    )


def paragraphs_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def test_a_body_much_shorter_than_the_json_ld_word_count_is_incomplete():
    shown = REPORT[:9]  # 486 of 1,404 words
    page = works_page(paragraphs_html(shown), {"@type": "NewsArticle", "wordCount": 1404})

    article = html_article(page)

    assert article.text.split("\n\n") == shown
    assert not article.complete
    assert article.incomplete_reason == (
        "the page's JSON-LD wordCount says the article has 1404 words, but only 486 were "
        "found: the text stops early"
    )


def test_a_body_much_shorter_than_the_json_ld_article_body_is_incomplete():
    ld = {"@type": "NewsArticle", "articleBody": "\n".join(REPORT)}

    article = html_article(works_page(paragraphs_html(REPORT[:10]), ld))

    assert not article.complete
    assert "JSON-LD articleBody says the article has 1404 words" in (
        article.incomplete_reason or ""
    )


def test_a_whole_body_its_word_count_agrees_with_is_complete():
    page = works_page(paragraphs_html(REPORT), {"@type": "NewsArticle", "wordCount": 1404})

    article = html_article(page)

    assert article.complete, article.incomplete_reason


def test_a_word_count_of_another_article_does_not_count():
    # Two articles on one page (a feed), two word counts: neither is this article's.
    ld = [{"@type": "NewsArticle", "wordCount": 1404}, {"@type": "NewsArticle", "wordCount": 900}]

    article = html_article(works_page(paragraphs_html(REPORT[:9]), ld))

    assert article.complete, article.incomplete_reason


def split_body() -> str:
    """The body in two article-body blocks with a newsletter box between them: trafilatura
    takes the first block of that class it finds and stops there."""
    first, rest = paragraphs_html(REPORT[:9]), paragraphs_html(REPORT[9:])
    return (
        f'<div class="article-body">{first}</div>{NEWSLETTER_BOX}'
        f'<div class="article-body">{rest}</div>'
    )


def test_a_body_split_around_a_newsletter_box_is_extracted_whole():
    article = html_article(works_page(split_body()))

    assert article.text.split("\n\n") == REPORT
    assert article.complete, article.incomplete_reason


def test_the_article_element_shows_the_gate_a_body_that_stops_at_a_mid_article_box():
    # Without the recovery, the text stops at the box, and the <article> element says so.
    page = works_page(split_body())

    article = extract_html(Document(page, "html", "page.html"), off=frozenset({RECOVER_RULE}))

    assert article.text.split("\n\n") == REPORT[:9]
    assert not article.complete
    assert "the page's <article> element says the article has" in (article.incomplete_reason or "")
