"""One analysis of an article, shared: the pipeline splits the text once, and the summarizer and
the key phrases read the same sentences.  The articles are written for these tests, one in
normal cased news text and one in the lower-cased, PTB-tokenised form of CNN/DailyMail.
"""

from __future__ import annotations

import pytest

import inbrief.text.analysis
from inbrief.keyphrases import keyphrases, keyphrases_of
from inbrief.models import Article, Budget
from inbrief.pipeline import summarize_article, summarize_budgets
from inbrief.text import analyse, count_words, split_sentences

PTB = (
    "london ( cnn ) the city council voted on monday to close the old iron bridge . "
    "the old iron bridge carries 20,000 cars a day , city officials said . "
    "engineers found cracks in the iron bridge last year , the council said . "
    "the city council will meet again on friday to discuss a new bridge . "
    "`` we have no choice , '' council leader anna price told reporters ."
)
CASED = (
    "The city council of Riverton voted on Monday to close the Old Iron Bridge. "
    "Mayor Anna Price said the Old Iron Bridge carries 20,000 cars a day. "
    "Engineers found cracks in the bridge last year, the council said. "
    "Price said the council would meet again on Friday."
)
TITLE = "Riverton closes its Old Iron Bridge"


@pytest.mark.parametrize("text", [PTB, CASED])
def test_the_analysis_holds_the_sentences_split_sentences_gives(text: str) -> None:
    analysis = analyse(text, "en")
    assert list(analysis.sentences) == split_sentences(text, "en")
    assert analysis.words == count_words(text)


def test_key_phrases_of_the_shared_analysis_are_those_of_the_text() -> None:
    assert keyphrases_of(analyse(PTB, "en"), 5) == ("iron bridge", "city council")
    assert keyphrases(PTB, "en", 5) == ("iron bridge", "city council")
    cased = keyphrases_of(analyse(CASED, "en"), 5, title=TITLE)
    assert cased == keyphrases(CASED, "en", 5, title=TITLE)
    assert cased == ("Old Iron Bridge", "Anna Price", "council")


def test_an_analysis_without_a_language_takes_the_detected_one_as_keyphrases_does() -> None:
    assert keyphrases_of(analyse(CASED, None), 8) == keyphrases(CASED, None, 8)
    assert keyphrases_of(analyse(CASED, None), 8) == keyphrases_of(analyse(CASED, "en"), 8)


def test_no_phrases_are_asked_for_or_found() -> None:
    assert keyphrases_of(analyse(CASED, "en"), 0) == ()
    assert keyphrases_of(analyse("   ", "en"), 5) == ()


def test_the_pipeline_splits_an_article_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    split = inbrief.text.analysis.split_sentences

    def counted(text: str, language: str | None = None) -> list:  # type: ignore[type-arg]
        calls.append(text)
        return split(text, language)

    monkeypatch.setattr(inbrief.text.analysis, "split_sentences", counted)
    summary = summarize_article(Article(text=CASED, language="en"), Budget("sentences", 2))
    assert calls == [CASED]
    assert summary.keyphrases == ("Old Iron Bridge", "Anna Price", "council")
    assert [s.text for s in summary.sentences] == [
        s.text for s in split_sentences(CASED, "en") if s in summary.sentences
    ]


BUDGETS = (
    Budget("sentences", 3),
    Budget("words", 25),
    Budget("sentences", 1),
    Budget("ratio", 0.5),
)


@pytest.mark.parametrize("method", ["news", "lead", "lexrank", "textrank"])
@pytest.mark.parametrize("text", [PTB, CASED])
def test_several_budgets_at_once_give_the_summaries_one_call_each_gives(
    method: str, text: str
) -> None:
    article = Article(text=text, language="en", title=TITLE)
    together = summarize_budgets(article, BUDGETS, method=method)
    one_each = tuple(summarize_article(article, budget, method=method) for budget in BUDGETS)
    assert together == one_each
    assert [summary.budget for summary in together] == list(BUDGETS)


def test_several_budgets_share_one_split_and_one_set_of_key_phrases(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    split = inbrief.text.analysis.split_sentences

    def counted(text: str, language: str | None = None) -> list:  # type: ignore[type-arg]
        calls.append(text)
        return split(text, language)

    monkeypatch.setattr(inbrief.text.analysis, "split_sentences", counted)
    three, short = summarize_budgets(
        Article(text=CASED, language="en"), (Budget("sentences", 3), Budget("words", 12))
    )
    assert calls == [CASED]
    assert three.keyphrases == short.keyphrases == ("Old Iron Bridge", "Anna Price", "council")
    assert len(three.sentences) == 3
    assert sum(count_words(s.text) for s in short.sentences) <= 12 or short.over_budget
