# ruff: noqa: RUF001, RUF003
# (Datelines of several languages, with their own dashes.)
"""Datelines: the date and dash a news story opens with ("12 mars 2021. - Le conseil ...").

The dateline is a sentence of its own, which summaries never choose, so no summary opens with
its dash; and an article whose page declares no date takes the dateline's.  The short texts are
written for these tests; the Wikinews pages are the demo corpus the package ships (CC BY 2.5).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

import inbrief
from inbrief.models import Article
from inbrief.text import split_sentences

DEMO = Path(str(resources.files("inbrief").joinpath("data", "demo")))
STORY = (
    "Le conseil municipal de Lyon a voté le budget de la ville pour l'année prochaine. "
    "Les écoles recevront deux millions d'euros de plus, a précisé le maire.\n\n"
    "L'opposition a voté contre le texte, qu'elle juge trop prudent sur les transports."
)
DASHES = ("-", "\u2013", "\u2014")


def page(body: str, head: str = "") -> str:
    return (
        f'<html lang="fr"><head><title>Lyon vote son budget</title>{head}</head>'
        f"<body><article><h1>Lyon vote son budget</h1>{body}</article></body></html>"
    )


def paragraphs(text: str) -> str:
    return "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))


def test_a_text_opening_with_a_dateline_takes_its_date() -> None:
    article = inbrief.extract(f"12 mars 2021. - {STORY}")
    assert article.date == "2021-03-12"


def test_a_page_declaring_no_date_takes_the_dateline_date() -> None:
    article = inbrief.extract(page(paragraphs(f"12 mars 2021. \u2013 {STORY}")))
    assert article.date == "2021-03-12"


def test_a_date_the_page_declares_wins_over_the_dateline() -> None:
    head = '<meta property="article:published_time" content="2021-03-13T08:00:00+01:00">'
    article = inbrief.extract(page(paragraphs(f"12 mars 2021. \u2013 {STORY}"), head))
    assert article.date == "2021-03-13"


def test_a_text_without_a_dateline_has_no_date() -> None:
    assert inbrief.extract(STORY).date is None


def test_a_summary_never_opens_on_a_dateline_dash() -> None:
    summary = inbrief.summarize(f"12 mars 2021. - {STORY}", sentences=3)
    assert summary.sentences[0].text.startswith("Le conseil municipal")
    assert not any(s.text.startswith(DASHES) for s in summary.sentences)


def test_the_wikinews_demo_page_has_its_dateline_date_and_a_summary_without_the_dash() -> None:
    path = DEMO / "html" / "fr-wikinews-011-lancement-du-projet-wikidata.html"
    assert inbrief.extract(path).date == "2012-10-30"
    summary = inbrief.summarize(path)
    assert summary.sentences
    assert not any(s.text.startswith(DASHES) for s in summary.sentences)


def test_no_summary_of_a_demo_article_opens_on_a_dash() -> None:
    with (DEMO / "articles.jsonl").open(encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    datelined = [row for row in rows if row["id"].startswith("fr-wikinews-")]
    assert datelined
    for row in datelined:
        article = Article(text=row["body"].strip(), language=row["language"])
        for budget in ({"sentences": 3}, {"words": 60}, {"ratio": 0.5}):
            summary = inbrief.summarize_article(article, inbrief.Budget.from_options(**budget))
            assert not any(s.text.startswith(DASHES) for s in summary.sentences), row["id"]


# --- wire datelines: "WASHINGTON (AP) —", "Berlin, 3. März (dpa) –", "МОСКВА, 3 марта. /ТАСС/." ---

WIRE_DATELINES = [
    ("en", "WASHINGTON (AP) \u2014", "The Senate approved the bridge bill on Monday."),
    ("en", "LONDON (Reuters) -", "Shares in the harbour company rose by a fifth."),
    ("en", "NEW YORK, March 3 (Reuters) -", "Oil prices fell for a third day."),
    ("en", "SPRINGFIELD, Ill. (AP) \u2014", "A tornado damaged the county court house."),
    ("en", "DENVER \u2014", "The city council voted to close the old library."),
    ("en", "(CNN) \u2014", "The storm reached the coast on Tuesday night."),
    ("de", "Berlin, 3. März (dpa) \u2013", "Der Bundestag hat das Gesetz beschlossen."),
    ("de", "Lübeck (dpa) -", "Die Feuerwehr hat den Brand im Hafen gelöscht."),
    ("de", "Hamburg, 5. Mai \u2013", "Der Senat hat den Haushalt verabschiedet."),
    ("es", "MADRID, 3 mar (EFE).-", "El Gobierno aprobó hoy el plan de vivienda."),
    ("ru", "МОСКВА, 3 марта. /ТАСС/.", "Правительство утвердило план строительства."),
]


@pytest.mark.parametrize(("language", "dateline", "story"), WIRE_DATELINES)
def test_a_wire_dateline_is_a_sentence_of_its_own(language: str, dateline: str, story: str) -> None:
    text = f"{dateline} {story} Next sentence.\n\nA second paragraph."
    sentences = [s.text for s in split_sentences(text, language)]
    assert sentences[:2] == [dateline, story]


@pytest.mark.parametrize(
    ("language", "opening"),
    [
        ("en", "The European Union (EU) - a club of 27 states - agreed on Monday."),
        ("en", "Hello world - the first program - prints a line."),
        ("en", "(see below) - the figures are provisional."),
        ("en", "- the first item of a list."),
        ("de", "Die Regierung (CDU) \u2013 so heißt es \u2013 ist sich einig."),
    ],
)
def test_a_sentence_with_a_bracket_and_a_dash_is_no_dateline(language: str, opening: str) -> None:
    assert split_sentences(f"{opening} Then more.", language)[0].text == opening


def test_a_wire_dateline_later_in_the_article_is_left_alone() -> None:
    text = "\n\n".join(["First paragraph."] * 3 + ["LONDON (Reuters) - Shares rose on Monday."])
    assert split_sentences(text, "en")[-1].text == "LONDON (Reuters) - Shares rose on Monday."


def test_ptb_text_keeps_its_dateline_in_the_first_sentence() -> None:
    # CNN/DailyMail's lower-cased tokenised form: its summaries are left as they were.
    text = "washington ( cnn ) -- the senate voted on monday . the bill passed ."
    assert (
        split_sentences(text, "en")[0].text == "washington ( cnn ) -- the senate voted on monday ."
    )


FOLLOW_UPS = {
    "en": (
        "Officials said the work would take three years and cost about two billion dollars.",
        "Critics argued that the money should go to schools and hospitals instead.",
    ),
    "de": (
        "Die Arbeiten sollen drei Jahre dauern und rund zwei Milliarden Euro kosten.",
        "Kritiker forderten, das Geld lieber in Schulen und Krankenhäuser zu stecken.",
    ),
    "es": (
        "Las obras durarán tres años y costarán unos dos mil millones de euros.",
        "Los críticos pidieron destinar el dinero a escuelas y hospitales.",
    ),
    "ru": (
        "Работы продлятся три года и обойдутся примерно в два миллиарда рублей.",
        "Критики предложили направить эти деньги на школы и больницы.",
    ),
}


@pytest.mark.parametrize(("language", "dateline", "story"), WIRE_DATELINES)
def test_a_summary_never_shows_a_wire_dateline(language: str, dateline: str, story: str) -> None:
    follow_ups = "\n\n".join(FOLLOW_UPS[language])
    text = f"{dateline} {story}\n\n{follow_ups}"
    summary = inbrief.summarize_article(Article(text=text, language=language))
    assert summary.sentences[0].text == story
    assert not any(dateline in s.text for s in summary.sentences)
