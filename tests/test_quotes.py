# ruff: noqa: RUF001, RUF003
# (Quotation marks of several typographic traditions are meant as written.)
"""Quotations cut over several sentences, in each language's quotation marks.

Every text is written for these tests: a quotation split by the sentence splitter into two
sentences, then news that is nobody's words.  The demo articles that ship with inbrief check
the German reading on real news.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np
import pytest

from inbrief.models import Article
from inbrief.pipeline import summarize_article
from inbrief.summarizers.news.lines import ArticleLines
from inbrief.summarizers.news.quotes import quote_spans, quote_states
from inbrief.text import split_sentences


def quoted(text: str, language: str) -> list[tuple[int, int]]:
    """(first, last) sentence of each quotation of ``text`` that runs over several sentences."""
    texts = [s.text for s in split_sentences(text, language)]
    return [(span.first, span.last) for span in quote_spans(texts, language)]


def inside(texts: list[str], language: str) -> list[int]:
    """The sentences that start inside a quotation."""
    return np.flatnonzero(quote_states(ArticleLines(texts), language).starts).tolist()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "en",
            "The mayor said: “The bridge will close for two years. Traffic will move to the "
            "ferry.” The council agreed. Work starts in May.",
        ),
        (
            "de",
            "Der Bürgermeister sagte: „Die Brücke bleibt zwei Jahre gesperrt. Der Verkehr "
            "läuft über die Fähre.“ Der Rat stimmte zu. Die Arbeiten beginnen im Mai.",
        ),
        (
            "cs",
            "Starosta řekl: „Most bude dva roky zavřený. Doprava pojede přes přívoz.“ "
            "Rada souhlasila. Práce začnou v květnu.",
        ),
        (
            "ru",
            "Мэр сказал: „Мост закроют на два года. Движение пустят по парому“. "
            "Совет согласился. Работы начнутся в мае.",
        ),
    ],
    ids=["english-curly", "german-low-high", "czech-low-high", "russian-low-high"],
)
def test_double_quotes_open_and_close_as_the_language_writes_them(language: str, text: str) -> None:
    assert quoted(text, language) == [(0, 1)]


def test_polish_low_quote_closes_with_a_high_right_quote() -> None:
    text = (
        "Burmistrz powiedział: „Most zostanie zamknięty na dwa lata. Ruch przejdzie na prom”. "
        "Rada się zgodziła. Prace ruszą w maju."
    )
    assert quoted(text, "pl") == [(0, 1)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "de",
            "»Die Brücke bleibt zwei Jahre gesperrt. Der Verkehr läuft über die Fähre«, "
            "sagte der Bürgermeister. Der Rat stimmte zu. Die Arbeiten beginnen im Mai.",
        ),
        (
            "da",
            "»Broen lukker i to år. Trafikken går over færgen«, sagde borgmesteren. "
            "Byrådet var enigt. Arbejdet begynder i maj.",
        ),
    ],
    ids=["german", "danish"],
)
def test_german_and_danish_chevrons_point_inward(language: str, text: str) -> None:
    assert quoted(text, language) == [(0, 1)]


def test_french_guillemets_with_spaces_open_and_close() -> None:
    text = (
        "Le maire a déclaré : « Le pont fermera pendant deux ans. La circulation passera par "
        "le bac. » Le conseil a approuvé. Les travaux commencent en mai."
    )
    assert quoted(text, "fr") == [(0, 1)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "de",
            "Der Stadtpräsident sagte: «Die Brücke bleibt zwei Jahre gesperrt. Der Verkehr "
            "läuft über die Fähre.» Der Rat stimmte zu. Die Arbeiten beginnen im Mai.",
        ),
        (
            "ru",
            "Мэр сказал: «Мост закроют на два года. Движение пустят по парому». "
            "Совет согласился. Работы начнутся в мае.",
        ),
    ],
    ids=["swiss-german", "russian"],
)
def test_swiss_and_russian_guillemets_point_outward(language: str, text: str) -> None:
    assert quoted(text, language) == [(0, 1)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "sv",
            "”Bron stängs i två år. Trafiken går via färjan”, sade borgmästaren. "
            "Fullmäktige höll med. Arbetet börjar i maj.",
        ),
        (
            "fi",
            "”Silta suljetaan kahdeksi vuodeksi. Liikenne kulkee lautalla”, pormestari sanoi. "
            "Valtuusto hyväksyi. Työt alkavat toukokuussa.",
        ),
        (
            "sv",
            "»Bron stängs i två år. Trafiken går via färjan», sade borgmästaren. "
            "Fullmäktige höll med. Arbetet börjar i maj.",
        ),
    ],
    ids=["swedish-high-right", "finnish-high-right", "swedish-chevrons"],
)
def test_swedish_and_finnish_quotes_open_and_close_with_the_same_mark(
    language: str, text: str
) -> None:
    assert quoted(text, language) == [(0, 1)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("ja", "市長は「橋は二年間閉鎖される。交通はフェリーに移る」と述べた。議会は同意した。"),
        ("ja", "市長は『橋は二年間閉鎖される。交通はフェリーに移る』と述べた。議会は同意した。"),
        ("zh", "市长表示「大桥将关闭两年。交通将改由渡轮承担」。议会表示同意。"),
    ],
    ids=["japanese-corner", "japanese-white-corner", "chinese-corner"],
)
def test_cjk_corner_brackets_delimit_a_quotation(language: str, text: str) -> None:
    assert quoted(text, language) == [(0, 1)]


def test_single_quotes_are_ignored_even_when_they_pair() -> None:
    # ‚…‘ and ‹…› are nested quotes, and ’ is also the apostrophe: none delimits a quotation.
    texts = [
        "Er nannte es ‚ein Projekt für alle.",
        "Wir packen’s an‘, so der Chef.",
        "Sie sprach von ‹grossen Plänen.",
        "Das dauert›, sagte sie.",
    ]
    assert inside(texts, "de") == []


def test_unclosed_quote_ends_with_its_sentence() -> None:
    texts = [
        "Der Bürgermeister sagte: „Die Brücke bleibt zwei Jahre gesperrt.",
        "Der Rat stimmte zu.",
        "Die Arbeiten beginnen im Mai.",
    ]
    assert inside(texts, "de") == []


def test_quote_reopened_at_a_new_paragraph_runs_on_to_its_close() -> None:
    # News style: a quote over two paragraphs opens again at the second and closes once.
    texts = [
        "„Die Brücke bleibt zwei Jahre gesperrt.",
        "„Der Verkehr läuft über die Fähre“, sagte der Bürgermeister.",
        "Der Rat stimmte zu.",
    ]
    assert inside(texts, "de") == [1]


def test_opener_inside_a_later_sentence_ends_an_unclosed_quote() -> None:
    texts = [
        "Der Bürgermeister sagte: „Die Brücke bleibt zwei Jahre gesperrt.",
        "Der Rat stimmte zu.",
        "Die Opposition nannte den Plan „mutig“.",
        "Die Arbeiten beginnen im Mai.",
    ]
    assert inside(texts, "de") == []


def test_english_keeps_the_reading_its_model_was_trained_on() -> None:
    # CNN/DailyMail's PTB marks: an unclosed quote still runs to the end of the article.
    texts = ["the mayor said : `` the bridge will close .", "traffic moves .", "work starts ."]
    assert inside(texts, "en") == [1, 2]


def _demo_articles(language: str) -> list[dict[str, str]]:
    demo = resources.files("inbrief") / "data" / "demo" / "articles.jsonl"
    with demo.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines]
    return [record for record in records if record["language"] == language]


def test_german_demo_articles_are_mostly_outside_quotations() -> None:
    for record in _demo_articles("de"):
        texts = [s.text for s in split_sentences(record["body"].strip(), "de")]
        assert len(inside(texts, "de")) <= len(texts) // 10, record["id"]


def test_every_german_demo_summary_has_three_sentences() -> None:
    for record in _demo_articles("de"):
        article = Article(text=record["body"].strip(), language="de")
        assert len(summarize_article(article).sentences) == 3, record["id"]
