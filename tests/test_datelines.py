"""Datelines: the date and dash a news story opens with ("12 mars 2021. - Le conseil ...").

The dateline is a sentence of its own, which summaries never choose, so no summary opens with
its dash; and an article whose page declares no date takes the dateline's.  The short texts are
written for these tests; the Wikinews pages are the demo corpus the package ships (CC BY 2.5).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import inbrief
from inbrief.models import Article

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
