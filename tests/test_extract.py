# ruff: noqa: RUF001
# (Look-alike articles in Russian.)
"""Extraction: a news page or plain text in, the article's paragraphs and metadata out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import trafilatura
from seed import seed_blocks, seed_layout_html, seed_text

from inbrief.errors import ExtractError
from inbrief.evaluate.extraction import evaluate_extraction, score_page, trafilatura_extractor
from inbrief.extract import clean_paragraphs, extract
from inbrief.extract.body import reconcile
from inbrief.extract.markup import unwrap_wiki_markup
from inbrief.extract.metadata import read_metadata
from inbrief.models import Document

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "shared" / "demo"
BENCHMARK = Path(__file__).resolve().parents[2] / "shared" / "data" / "extraction-dev"

SEED_TITLE = "Armenia and CSTO: Kazakhstan Highlights Ongoing Security Role"
SEED_OPENINGS = (
    "In response to Armenia",
    "Vasilenko underscored that Kazakhstan is actively working",
    "During recent events in Yerevan",
    "Earlier statements by Prime Minister Nikol Pashinyan",
    "Analysts note that the CSTO",
    "Ultimately, the situation reflects ongoing negotiations",
)
SEED_FURNITURE = (
    "No time to read?",
    "Get a summary",
    "Previous Article",
    "Next Article",
    "Hungarian Official Voices",  # the headline linked under "Previous Article"
    "New Statutes for Forest Firefighters",  # ... and under "Next Article"
)


def assert_seed_article(paragraphs: list[str]) -> None:
    """Exactly the six article paragraphs, each verbatim as published, in order."""
    assert len(paragraphs) == len(SEED_OPENINGS)
    for paragraph, opening in zip(paragraphs, SEED_OPENINGS, strict=True):
        assert paragraph.startswith(opening)
        assert paragraph in seed_blocks()
    text = "\n\n".join(paragraphs)
    for furniture in SEED_FURNITURE:
        assert furniture not in text


def html_document(path: Path, url: str | None = None) -> Document:
    return Document(path.read_text(encoding="utf-8"), "html", str(path), url)


def news_page(body: str, head: str = "", lang: str | None = "en") -> str:
    """A small news page around ``body``, with the seed article's paragraphs as its story."""
    story = "\n".join(f"<p>{block}</p>" for block in seed_blocks()[2:8])
    lang_attribute = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attribute}><head><meta charset='utf-8'>{head}</head>"
        f"<body><header><a href='/'>Home</a> <a href='/world/'>World</a></header>"
        f"<main><article><div class='entry-content'>{story}{body}</div></article></main>"
        f"<footer>About us · Contact</footer></body></html>"
    )


# --- the seed page --------------------------------------------------------------------------


def test_seed_layout_page_gives_its_six_paragraphs_and_title():
    article = extract(Document(seed_layout_html(), "html", "seed_layout.html"))

    assert article.title == SEED_TITLE
    assert_seed_article(article.paragraphs)


def test_seed_layout_page_metadata_comes_from_its_declarations():
    article = extract(
        Document(seed_layout_html(), "html", "seed_layout.html", "https://news.example/?p=4121")
    )

    assert article.date == "2024-03-01"
    assert article.site == "Example News"
    assert article.language == "en"
    assert article.url == (
        "https://news.example/world/armenia-and-csto-kazakhstan-highlights-ongoing-security-role"
    )
    assert article.origin == "seed_layout.html"


def test_seed_page_as_plain_text_gives_title_and_six_paragraphs():
    article = extract(Document(seed_text(), "text", "page.txt"))

    assert article.title == SEED_TITLE
    assert article.language == "en"
    assert_seed_article(article.paragraphs)


def test_seed_page_gives_the_same_article_from_html_and_from_text():
    from_html = extract(Document(seed_layout_html(), "html", "seed_layout.html"))
    from_text = extract(Document(seed_text(), "text", "page.txt"))

    assert from_html.text == from_text.text


def test_clean_up_removes_the_summary_button_that_default_trafilatura_keeps():
    # trafilatura's default mode lets the plugin's "No time to read?" through, twice.
    leaked = trafilatura.extract(seed_layout_html(), include_comments=False)
    assert leaked is not None and leaked.count("No time to read?") == 2

    assert_seed_article(clean_paragraphs(leaked.split("\n"), "en"))


# --- news furniture -------------------------------------------------------------------------

FURNITURE = [
    ("en", "Share this article"),
    ("en", "Share on Facebook"),
    ("en", "Facebook Twitter Email"),
    ("en", "Subscribe to our newsletter"),
    ("en", "Sign up for our daily newsletter to get the top stories in your inbox"),
    ("en", "Follow us on Twitter"),
    ("en", "Photo: Reuters/Vasily Fedosenko"),
    ("en", "Protesters gather outside the parliament in Yerevan. (AP Photo/Hayk Baghdasaryan)"),
    ("en", "Image copyright Getty Images"),
    ("en", "Getty Images"),
    ("en", "AFP/Getty Images"),
    ("en", "Credit: Sergei Grits/AP"),
    ("en", "© Reuters"),
    ("en", "Read more: Armenia freezes its participation in the CSTO"),
    ("en", "READ MORE"),
    ("en", "Related: Hungarian Official Voices Security Concerns Over EU Leadership"),
    ("en", "Advertisement"),
    ("en", "Story continues below advertisement"),
    ("en", "» Read more"),
    ("fr", "Pas le temps de lire ?"),
    ("fr", "Partager sur Facebook"),
    ("fr", "Lire aussi : L'Arménie gèle sa participation à l'OTSC"),
    ("fr", "Photo : AFP"),
    ("fr", "Publicité"),
    ("de", "Keine Zeit zum Lesen?"),
    ("de", "Artikel teilen"),
    ("de", "Lesen Sie auch: Armenien friert Teilnahme an der OVKS ein"),
    ("de", "Foto: dpa"),
    ("de", "Anzeige"),
    ("es", "¿No tienes tiempo para leer?"),
    ("es", "Compartir en Twitter"),
    ("es", "Lee también: Armenia congela su participación en la OTSC"),
    ("es", "Foto: EFE"),
    ("es", "Publicidad"),
    ("ru", "Нет времени читать?"),
    ("ru", "Поделиться"),
    ("ru", "Читайте также: Армения заморозила участие в ОДКБ"),
    ("ru", "Фото: РИА Новости"),
    ("ru", "Реклама"),
]


@pytest.mark.parametrize(("language", "furniture"), FURNITURE)
def test_clean_up_drops_news_furniture(language, furniture):
    story = seed_blocks()[2:4]

    assert clean_paragraphs([story[0], furniture, story[1]], language) == story


@pytest.mark.parametrize(("language", "furniture"), FURNITURE)
def test_clean_up_drops_news_furniture_when_the_language_is_unknown(language, furniture):
    story = seed_blocks()[2:4]

    assert clean_paragraphs([story[0], furniture, story[1]]) == story


@pytest.mark.parametrize(
    ("label", "language"),
    [
        ("Previous Article", "en"),
        ("Next story", "en"),
        ("Article suivant", "fr"),
        ("Nächster Artikel", "de"),
        ("Artículo anterior", "es"),
        ("Следующая статья", "ru"),
        ("Read more:", "en"),
    ],
)
def test_navigation_label_takes_the_headline_linked_under_it(label, language):
    story = seed_blocks()[2:4]
    headline = "Hungarian Official Voices Security Concerns Over EU Leadership"

    assert clean_paragraphs([*story, label, headline], language) == story


def test_a_sentence_after_a_navigation_label_is_kept():
    story = seed_blocks()[2:4]
    sentence = "The ministry did not say when the talks would resume."

    assert clean_paragraphs([story[0], "Next Article", sentence], "en") == [story[0], sentence]


def test_long_paragraph_is_never_furniture_whatever_it_starts_with():
    paragraph = "Photo: " + seed_blocks()[2]  # over 50 words

    assert clean_paragraphs([paragraph], "en") == [paragraph]


@pytest.mark.parametrize(
    "sentence",
    [
        "Share prices fell 3% on Monday.",
        "More — much more — is needed, the minister said.",
        "Related to the dispute, the court heard two appeals.",
        "Next week, the council will vote on the budget.",
        "Advertisement revenue fell for the third quarter.",
        "The procession at the Rue nationale. Image: Genium.",
    ],
)
def test_article_sentences_that_resemble_furniture_are_kept(sentence):
    assert clean_paragraphs([sentence], "en") == [sentence]


@pytest.mark.parametrize(
    "sign_off",
    [
        "Have a tip? Aigerim Sadykova may be reached at asadykova@news.example. Follow her on "
        "Twitter @asadykova.",
        "Email the reporter at desk@news.example or follow him @desk.",
        "Follow us on Twitter @examplenews and on Facebook.",
        "Get the latest updates right in your inbox. Subscribe to Example.com's newsletters.",
        "Filed under: World | Security",
        "Subscribe to continue reading",
        "Already a subscriber? Log in",
    ],
)
def test_clean_up_drops_a_sign_off_that_closes_the_article(sign_off):
    story = seed_blocks()[2:4]

    assert clean_paragraphs([*story, sign_off], "en") == story


def test_clean_up_keeps_a_sign_off_sentence_inside_the_article():
    story = seed_blocks()[2:4]
    sentence = "The ministry said its envoy may be reached at the embassy in Yerevan until Friday."

    assert clean_paragraphs([story[0], sentence, story[1]], "en") == [story[0], sentence, story[1]]


def test_clean_up_keeps_a_newsletter_that_is_the_article():
    # A newsletter's last paragraph may say how to get more of the newsletter itself.
    closing = 'Friends can also subscribe to this newsletter online — just pick "Morning Ledger".'
    story = seed_blocks()[2:4]

    assert clean_paragraphs([*story, closing], "en") == [*story, closing]


def test_clean_up_keeps_an_editorial_insertion_in_brackets():
    quote = '"[We] have decided to return the rights of [our] singers\' recordings," it said.'

    assert clean_paragraphs([quote], "en") == [quote]


def test_demo_bodies_pass_clean_up_unchanged_except_whitespace():
    articles = DEMO / "articles.jsonl"
    if not articles.is_file():
        pytest.skip("demo corpus absent (../shared/demo)")
    for line in articles.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        paragraphs = [" ".join(p.split()) for p in item["body"].split("\n\n") if p.strip()]

        assert clean_paragraphs(paragraphs, item["language"]) == paragraphs, item["id"]
        assert clean_paragraphs(paragraphs) == paragraphs, item["id"]


def test_demo_bodies_pass_the_plain_text_path_unchanged_but_for_markup_and_captions():
    # Whitespace is normalised, wiki markup unwrapped, and a caption line glued to the story
    # (Russian Wikinews) made a paragraph of its own; no word is lost or added.
    articles = DEMO / "articles.jsonl"
    if not articles.is_file():
        pytest.skip("demo corpus absent (../shared/demo)")
    for line in articles.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        source = f"{item['title']}\n\n{item['body']}"
        body = unwrap_wiki_markup(item["body"])
        paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]

        article = extract(Document(source, "text", item["id"]))

        assert article.title == item["title"], item["id"]
        assert " ".join(article.paragraphs) == " ".join(paragraphs), item["id"]
        if "\n" not in body.strip().replace("\n\n", ""):
            assert article.paragraphs == paragraphs, item["id"]
        assert article.language == item["language"], item["id"]


# --- plain text -----------------------------------------------------------------------------


def test_text_paragraphs_are_separated_by_one_blank_line_and_trimmed():
    source = "  The council met on Monday\nand voted.  \n\n\n\n  It closed\tthe bridge.\u00a0 \n \n"

    article = extract(Document(source, "text", "<text>"))

    assert article.text == "The council met on Monday and voted.\n\nIt closed the bridge."
    assert article.title is None


def test_text_first_line_ending_in_a_period_is_not_a_title():
    source = "The council met on Monday.\n\nIt voted to close the bridge."

    article = extract(Document(source, "text", "<text>"))

    assert article.title is None
    assert article.paragraphs == ["The council met on Monday.", "It voted to close the bridge."]


def test_text_first_line_joined_to_the_next_is_not_a_title():
    source = "Council closes bridge\nafter a vote on Monday\n\nThe decision takes effect in May."

    article = extract(Document(source, "text", "<text>"))

    assert article.title is None
    assert article.paragraphs[0] == "Council closes bridge after a vote on Monday"


@pytest.mark.parametrize("source", ["", "   \n\n  ", "No time to read?\nGet a summary"])
def test_text_without_article_raises_extract_error_naming_the_source(source):
    with pytest.raises(ExtractError, match=r"no article text found in notes\.txt"):
        extract(Document(source, "text", "notes.txt"))


# --- HTML -----------------------------------------------------------------------------------


def test_html_without_article_raises_extract_error_naming_the_source():
    page = "<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav></body></html>"

    with pytest.raises(ExtractError, match=r"no article text found in https://news\.example/"):
        extract(Document(page, "html", "https://news.example/"))


def test_html_fragment_is_extracted_like_a_page():
    story = "The council met on Monday. It voted to close the bridge after a long debate."

    article = extract(Document(f"<p>{story}</p>", "html", "<stdin>"))

    assert article.text == story


def test_empty_html_raises_extract_error():
    with pytest.raises(ExtractError, match=r"no article text found in empty\.html"):
        extract(Document("", "html", "empty.html"))


def test_html_title_falls_back_to_title_element_without_site_name():
    head = "<title>Kazakhstan backs the CSTO | Example News</title>"
    head += "<meta property='og:site_name' content='Example News'>"

    article = extract(Document(news_page("", head), "html", "page.html"))

    assert article.title == "Kazakhstan backs the CSTO"


def test_html_title_keeps_its_own_separators():
    head = "<title>CSTO - what Armenia's freeze means | Example News</title>"
    head += "<meta property='og:site_name' content='Example News'>"

    article = extract(Document(news_page("", head), "html", "page.html"))

    assert article.title == "CSTO - what Armenia's freeze means"


def test_html_title_is_not_repeated_as_first_paragraph():
    body_first = "<h1>Kazakhstan backs the CSTO</h1>"
    page = news_page("", "<title>Kazakhstan backs the CSTO</title>").replace(
        "<div class='entry-content'>", f"<div class='entry-content'>{body_first}"
    )

    article = extract(Document(page, "html", "page.html"))

    assert article.title == "Kazakhstan backs the CSTO"
    assert article.paragraphs[0].startswith(SEED_OPENINGS[0])


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        ("fr-FR", "", "fr"),
        (None, "<meta property='og:locale' content='de_DE'>", "de"),
        (None, "<meta http-equiv='content-language' content='es'>", "es"),
    ],
)
def test_html_declared_language_is_read_from_lang_or_meta(lang, head, expected):
    # Declared, not yet checked: extraction overrules a declaration the text contradicts
    # (these pages' text is English; see test_a_page_declaring_english_whose_text_is_german...).
    tree = trafilatura.load_html(news_page("", head, lang=lang))

    assert read_metadata(tree, None).language == expected


def test_html_language_is_guessed_from_the_text_when_nothing_is_declared():
    article = extract(Document(news_page("", lang=None), "html", "page.html"))

    assert article.language == "en"


def test_html_canonical_url_is_made_absolute_and_falls_back_to_document_url():
    relative = "<link rel='canonical' href='/world/csto'>"
    url = "https://news.example/?p=1"

    with_canonical = extract(Document(news_page("", relative), "html", url, url))
    without = extract(Document(news_page(""), "html", url, url))

    assert with_canonical.url == "https://news.example/world/csto"
    assert without.url == url


def test_html_author_and_date_from_json_ld():
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Kazakhstan backs the CSTO",
        "datePublished": "2024-03-01T09:30:00+06:00",
        "author": [{"@type": "Person", "name": "Aigerim Sadykova"}],
        "publisher": {"@type": "Organization", "name": "Example News"},
    }
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"

    article = extract(Document(news_page("", head), "html", "page.html"))

    assert article.author == "Aigerim Sadykova"
    assert article.date == "2024-03-01"
    assert article.site == "Example News"
    assert article.title == "Kazakhstan backs the CSTO"


def test_html_table_rows_become_paragraphs_with_cells_side_by_side():
    table = (
        "<table><tr><th>Country</th><th>Joined</th></tr>"
        "<tr><td>Armenia</td><td>1992</td></tr><tr><td>Kazakhstan</td><td>1992</td></tr></table>"
    )

    article = extract(Document(news_page(table), "html", "page.html"))

    assert article.paragraphs[-3:] == ["Country | Joined", "Armenia | 1992", "Kazakhstan | 1992"]


def test_html_furniture_inside_the_article_body_is_removed():
    furniture = (
        "<p>Share this article</p><p>Advertisement</p><p>Photo: Reuters/Vasily Fedosenko</p>"
    )

    article = extract(Document(news_page(furniture), "html", "page.html"))

    assert_seed_article(article.paragraphs)


def test_html_story_whose_last_sentence_lacks_a_full_stop_is_still_an_article():
    story = " ".join(seed_blocks()[2:4]) + " Only those who love themselves find real love"

    article = extract(
        Document(
            f"<html><body><article><p>{story}</p></article></body></html>", "html", "page.html"
        )
    )

    assert article.text == story


TWEET = (
    '<div class="social-media-embed"><blockquote class="twitter-tweet"><p lang="en" dir="ltr">'
    "Kazakhstan will keep working within the CSTO whatever Armenia decides.<br><br>Talks go on. "
    '<a href="https://t.co/abc">pic.twitter.com/abc</a></p>&mdash; Example Ministry '
    '(@example_mfa) <a href="https://twitter.com/example_mfa/status/1">March 1, 2024</a>'
    "</blockquote></div>"
)
SIDEBAR_TWEET = (
    '<aside class="sidebar"><blockquote class="twitter-tweet"><p>Our newsroom is hiring '
    "reporters in Almaty and Astana this spring.</p>&mdash; Example News (@examplenews) "
    '<a href="#">March 2, 2024</a></blockquote></aside>'
)


def page_with_tweet() -> str:
    story = seed_blocks()[2:8]
    body = "".join(f"<p>{p}</p>" for p in story[:3]) + TWEET
    body += "".join(f"<p>{p}</p>" for p in story[3:])
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head><body><main>"
        f"<article><div class='entry-content'>{body}</div></article>{SIDEBAR_TWEET}"
        "</main></body></html>"
    )


def test_html_embedded_tweet_is_kept_where_the_story_quotes_it():
    # trafilatura alone drops a tweet its embed wrapper hides.
    assert "whatever Armenia decides" not in (trafilatura.extract(page_with_tweet()) or "")

    article = extract(Document(page_with_tweet(), "html", "page.html"))

    assert article.paragraphs[3:6] == [
        "Kazakhstan will keep working within the CSTO whatever Armenia decides.",
        "Talks go on. pic.twitter.com/abc",
        "\u2014 Example Ministry (@example_mfa) March 1, 2024",
    ]
    assert article.paragraphs[2] == seed_blocks()[4]
    assert article.paragraphs[6] == seed_blocks()[5]


def test_html_tweet_outside_the_story_stays_out():
    article = extract(Document(page_with_tweet(), "html", "page.html"))

    assert "newsroom is hiring" not in article.text


# --- two opinions: trafilatura's and readability's ---------------------------------------------


def story() -> list[str]:
    return seed_blocks()[2:8]


HEADLINES = [
    "Hungarian Official Voices Security Concerns Over EU Leadership",
    "New Statutes for Forest Firefighters Approved",
]


def test_paragraphs_only_the_main_extractor_keeps_after_the_story_are_dropped():
    assert reconcile([*story(), *HEADLINES], story()) == story()


def test_paragraphs_only_the_main_extractor_keeps_before_the_story_are_dropped():
    dek = "Kazakhstan says the alliance will keep working whatever Armenia decides"

    assert reconcile([dek, *story()], story()) == story()


def test_a_paragraph_inside_the_story_is_kept_even_if_readability_lacks_it():
    inside = [*story()[:3], "A paragraph only trafilatura found.", *story()[3:]]

    assert reconcile(inside, story()) == inside


def test_nothing_is_trimmed_when_the_opinions_disagree_on_the_story():
    other = [*story()[:2], *HEADLINES]  # readability holds a third of the main text

    assert reconcile([*story(), *HEADLINES], other) == [*story(), *HEADLINES]


def test_readability_replaces_a_teaser_the_main_extractor_took():
    teaser = ["Armenia and the CSTO: what next?"]

    assert reconcile(teaser, story()) == story()


def test_readability_replaces_a_different_short_block():
    sidebar = ["Kazakhstan's budget for 2025 is under debate in parliament this week, again."] * 2

    assert reconcile(sidebar * 3, story()) == story()


def test_the_main_text_wins_over_a_listing_around_it():
    # Readability sometimes takes a short post together with the teasers of other posts.
    post = story()[:1]
    listing = [*post, *(f"{p} (another post)" for p in story()[1:])]

    assert reconcile(post, listing) == post


def test_no_second_opinion_leaves_the_main_text_alone():
    assert reconcile([*story(), *HEADLINES], []) == [*story(), *HEADLINES]


# --- the benchmark's dev pages ------------------------------------------------------------------


@pytest.mark.skipif(not BENCHMARK.is_dir(), reason="../shared/data/extraction-dev absent")
def test_extraction_beats_trafilatura_on_the_benchmark_dev_pages():
    inbrief = evaluate_extraction(BENCHMARK).score
    alone = evaluate_extraction(BENCHMARK, trafilatura_extractor(favor_precision=True)).score

    assert inbrief.f1 >= 0.98
    assert inbrief.f1 >= alone.f1 + 0.01
    assert inbrief.precision > alone.precision and inbrief.recall > alone.recall


# --- real pages from the demo corpus ----------------------------------------------------------

DEMO_PAGES = sorted((DEMO / "en").glob("*/source.html")) if DEMO.is_dir() else []


def _plain_quotes(text: str) -> str:
    # The page prints typographic apostrophes where meta.json has straight ones.
    return text.replace("\u2019", "'")


@pytest.mark.skipif(not DEMO_PAGES, reason="demo corpus absent (../shared/demo)")
@pytest.mark.parametrize("page", DEMO_PAGES, ids=lambda page: page.parent.name[:40])
def test_real_demo_page_gives_its_title_date_language_and_body(page):
    meta = json.loads((page.parent / "meta.json").read_text(encoding="utf-8"))
    body = (page.parent / "body.txt").read_text(encoding="utf-8")

    article = extract(html_document(page))

    assert _plain_quotes(article.title or "") == _plain_quotes(meta["title"])
    assert article.date == meta["date"]
    assert article.language == meta["language"]
    # The body must be there (recall) and the page's comments and sidebars not (precision).
    score = score_page(page.parent.name, article.text, body)
    assert score.recall is not None and score.recall >= 0.9
    assert score.precision is not None and score.precision >= 0.75


# --- pages of foreign markup only (SVG, MathML) ---------------------------------------------

STORY_SENTENCES = (
    "The council voted on Tuesday to close the old bridge to all traffic. "
    "Repairs will take two years and cost four million pounds, officials said."
)


@pytest.mark.parametrize("name", ["svg_only.html", "mathml_only.html"])
def test_a_page_of_only_svg_or_mathml_has_no_article_text(name: str) -> None:
    page = FIXTURES / name
    with pytest.raises(ExtractError, match=re.escape(f"no article text found in {page}")):
        extract(html_document(page))


def test_the_sentences_of_a_page_that_is_only_svg_are_its_article() -> None:
    page = (
        '<svg xmlns="http://www.w3.org/2000/svg"><circle r="5"/>'
        f"<text>{STORY_SENTENCES}</text></svg>"
    )

    article = extract(Document(page, "html", "chart.svg.html"))

    assert article.text == STORY_SENTENCES
    assert article.date is None


# --- wiki markup, captions and the declared language ------------------------------------------

GERMAN_STORY = (
    "Der Stadtrat von Kassel hat am Montag beschlossen, die alte Brücke über die Fulda zu "
    "schließen. Die Stadt will im kommenden Jahr mit dem Bau einer neuen Brücke beginnen, die "
    "nach Angaben der Verwaltung rund zwanzig Millionen Euro kosten soll. Die Opposition "
    "kritisierte die Entscheidung und verlangte ein Gutachten über die Sanierung der alten "
    "Brücke. Bis zur Eröffnung der neuen Brücke sollen Busse die Fahrgäste über die "
    "Nachbarbrücke bringen, teilte der Oberbürgermeister mit."
)


def text_document(text: str) -> Document:
    return Document(text, "text", "<test>")


def test_plain_text_keeps_the_text_of_a_wiki_link_and_drops_its_markup() -> None:
    text = (
        "The council [https://example.org/vote/12 voted] to close the bridge on Monday, and the "
        "mayor [http://example.org/mayor said] it would reopen in May."
    )
    assert extract(text_document(text)).text == (
        "The council voted to close the bridge on Monday, and the mayor said it would reopen "
        "in May."
    )


def test_plain_text_keeps_brackets_that_hold_no_link() -> None:
    text = "The mayor wrote that [the bridge] would close on Monday for three months of repairs."
    assert extract(text_document(text)).text == text


def test_plain_text_drops_the_image_options_before_a_caption() -> None:
    text = "thumb|Мост через Волгу\nВ понедельник в Самаре открыли новый мост через Волгу."
    assert extract(text_document(text)).text.startswith("Мост через Волгу\n\n")


def test_plain_text_caption_glued_to_the_story_is_a_paragraph_but_no_title() -> None:
    text = (
        "Мэр города на открытии моста\nВ понедельник в Самаре открыли новый мост через Волгу.\n\n"
        "Строительство моста продолжалось четыре года и обошлось в десять миллиардов рублей."
    )
    article = extract(text_document(text))
    assert article.title is None
    assert article.text.split("\n\n")[:2] == [
        "Мэр города на открытии моста",
        "В понедельник в Самаре открыли новый мост через Волгу.",
    ]


def test_a_page_declaring_english_whose_text_is_german_is_german() -> None:
    page = f'<html lang="en"><body><article><p>{GERMAN_STORY}</p></article></body></html>'
    assert extract(Document(page, "html", "<test>")).language == "de"


def test_a_page_declaring_english_whose_text_is_english_stays_english() -> None:
    assert extract(Document(news_page(""), "html", "<test>")).language == "en"


def test_a_declared_language_stands_when_the_text_is_too_short_to_overrule_it() -> None:
    short = GERMAN_STORY[:150]
    page = f'<html lang="en"><body><article><p>{short}</p></article></body></html>'
    assert extract(Document(page, "html", "<test>")).language == "en"


def test_the_demo_corpus_is_stored_without_wiki_link_markup() -> None:
    from inbrief.ingest import demo_articles

    texts = {article.origin: article.text for article in demo_articles()}
    assert not [origin for origin, text in texts.items() if "[http" in text]
    assert any("сыграли два сета" in text for text in texts.values())


HOVER_CARD = (
    '<span class="rollover-people"><a class="rollover-people-link" href="/people/ines-varga">'
    'Ines Varga</a><span class="rollover-people-block"><span class="rollover-block">'
    '<img src="/varga.jpg" alt=""><a class="name" href="/people/ines-varga">Ines Maria Varga</a>'
    '<a href="/news/1">Valley mayor asks army for flood help</a> '
    '<a class="more" href="/people/ines-varga">MORE</a></span></span></span>'
)


def test_a_hover_card_inside_a_sentence_is_dropped_and_the_name_kept():
    story = seed_blocks()[2:8]
    body = f"<p>Valley mayor {HOVER_CARD} asked the army for help late on Monday evening.</p>"
    body += "".join(f"<p>{p}</p>" for p in story)
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'></head><body><main>"
        f"<article><div class='entry-content'>{body}</div></article></main></body></html>"
    )

    article = extract(Document(page, "html", "page.html"))

    assert article.paragraphs[0] == (
        "Valley mayor Ines Varga asked the army for help late on Monday evening."
    )
    assert "MORE" not in article.text and "Ines Maria Varga" not in article.text
