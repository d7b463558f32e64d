"""Extraction: a news page or plain text in, the article's paragraphs and metadata out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import trafilatura
from seed import seed_blocks, seed_layout_html, seed_text

from inbrief.errors import ExtractError
from inbrief.evaluate.extraction import score_page
from inbrief.extract import clean_paragraphs, extract
from inbrief.models import Document

FIXTURES = Path(__file__).parent / "fixtures"
DEMO = Path(__file__).resolve().parents[2] / "shared" / "demo"

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


def test_demo_bodies_pass_clean_up_unchanged_except_whitespace():
    articles = DEMO / "articles.jsonl"
    if not articles.is_file():
        pytest.skip("demo corpus absent (../shared/demo)")
    for line in articles.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        paragraphs = [" ".join(p.split()) for p in item["body"].split("\n\n") if p.strip()]

        assert clean_paragraphs(paragraphs, item["language"]) == paragraphs, item["id"]
        assert clean_paragraphs(paragraphs) == paragraphs, item["id"]


def test_demo_bodies_pass_the_plain_text_path_unchanged_except_whitespace():
    articles = DEMO / "articles.jsonl"
    if not articles.is_file():
        pytest.skip("demo corpus absent (../shared/demo)")
    for line in articles.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        source = f"{item['title']}\n\n{item['body']}"
        paragraphs = [" ".join(p.split()) for p in item["body"].split("\n\n") if p.strip()]

        article = extract(Document(source, "text", item["id"]))

        assert article.title == item["title"], item["id"]
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
        (None, "", "en"),  # nothing declared: guessed from the text
    ],
)
def test_html_language_is_the_declared_one_else_guessed(lang, head, expected):
    article = extract(Document(news_page("", head, lang=lang), "html", "page.html"))

    assert article.language == expected


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
