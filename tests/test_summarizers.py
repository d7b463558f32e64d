"""Summarizers: the shared budget step, the registry, and each method on real articles.

The budget tests use a small article written for these tests (``STORY``) and a summarizer whose
scores are given by the test, so each one shows exactly which sentences a budget admits.  The
method tests run on the demo corpus shipped with inbrief (Wikinews, CC BY 2.5; Global Voices,
CC BY 3.0) and, when ../shared/data is present, on the CNN/DailyMail dev set.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

from inbrief import summarizers
from inbrief.errors import MethodError
from inbrief.models import Budget, Sentence
from inbrief.summarizers import Selection, Summarizer, TrigramBlocking
from inbrief.summarizers.base import rank, select, select_groups
from inbrief.summarizers.centrality import Centrality
from inbrief.summarizers.matrix import TermMatrix, pagerank
from inbrief.text import split_sentences

SHARED = Path(__file__).resolve().parents[2] / "shared"
CNNDM = SHARED / "data" / "cnndm-dev.jsonl.gz"
METHODS = ("news", "centrality", "lead", "textrank", "lexrank")

# Written for these tests.  Words per sentence: 13, 6, 15, 4, 8, 10 (56 in all).
STORY = (
    "Heavy rain flooded the river town of Marlow on Tuesday night, officials said. "
    "Dozens of homes were evacuated overnight. "
    "The river rose two metres in six hours, the highest level the town has recorded. "
    "Schools stayed closed Wednesday.\n\n"
    "Rescue crews checked flooded homes along the river. "
    "The mayor said the town would ask for emergency funds."
)


def story() -> list[Sentence]:
    sentences = split_sentences(STORY, "en")
    assert [len(s.text.split()) for s in sentences] == [13, 6, 15, 4, 8, 10]
    return sentences


class Given(Summarizer):
    """A summarizer whose scores the test chooses (not registered)."""

    name = "given"

    def __init__(self, scores: Sequence[float], redundancy: bool = False) -> None:
        self._scores = list(scores)
        self._redundancy = redundancy

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> list[float]:
        return self._scores

    def redundancy_filter(
        self, sentences: Sequence[Sentence], language: str | None
    ) -> TrigramBlocking | None:
        return TrigramBlocking.of(sentences) if self._redundancy else None


def indices(selection: Selection) -> list[int]:
    return [s.index for s in selection.sentences]


def demo_articles() -> list[dict[str, str]]:
    """The demo corpus shipped in the package (or ../shared/demo in a checkout without it)."""
    packaged = resources.files("inbrief").joinpath("data", "demo", "articles.jsonl")
    path = Path(str(packaged))
    if not path.is_file():
        path = SHARED / "demo" / "articles.jsonl"
    if not path.is_file():
        pytest.skip("no demo corpus (src/inbrief/data/demo or ../shared/demo)")
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def demo_article(prefix: str) -> dict[str, str]:
    return next(a for a in demo_articles() if a["id"].startswith(prefix))


# --- the shared selection step: budgets -----------------------------------------------------


def test_sentence_budget_takes_the_best_and_restores_article_order() -> None:
    selection = Given([0.1, 0.9, 0.3, 0.8, 0.2, 0.5]).summarize(story(), "en", Budget())
    assert indices(selection) == [1, 3, 5]
    assert not selection.over_budget


def test_sentence_budget_larger_than_the_article_takes_everything() -> None:
    selection = Given([1, 2, 3, 4, 5, 6]).summarize(story(), "en", Budget("sentences", 10))
    assert indices(selection) == [0, 1, 2, 3, 4, 5]


def test_word_budget_is_filled_greedily_by_rank_skipping_what_does_not_fit() -> None:
    # Rank: 2 (15 words), 0 (13), 5 (10), 1 (6), 3 (4), 4 (8).  Budget 34: 15 + 13 = 28; the
    # 10-word sentence would overflow and is skipped; the 6-word one fits exactly.
    selection = Given([0.8, 0.5, 0.9, 0.3, 0.1, 0.7]).summarize(story(), "en", Budget("words", 34))
    assert indices(selection) == [0, 1, 2]
    assert sum(len(s.text.split()) for s in selection.sentences) == 34
    assert not selection.over_budget


def test_word_budget_smaller_than_the_best_sentence_takes_it_whole_and_flags_it() -> None:
    selection = Given([0.8, 0.5, 0.9, 0.3, 0.1, 0.7]).summarize(story(), "en", Budget("words", 4))
    assert indices(selection) == [2]  # 15 words, never cut
    assert selection.sentences[0].text.endswith("the town has recorded.")
    assert selection.over_budget


def test_char_budget_counts_characters() -> None:
    sentences = story()
    best, second = sentences[3], sentences[1]  # "Schools stayed closed Wednesday." first
    budget = Budget("chars", len(best.text) + len(second.text))
    selection = Given([0, 0.5, 0, 0.9, 0, 0]).summarize(sentences, "en", budget)
    assert indices(selection) == [1, 3]
    assert not selection.over_budget
    tighter = Budget("chars", len(best.text) + len(second.text) - 1)
    assert indices(Given([0, 0.5, 0, 0.9, 0, 0]).summarize(sentences, "en", tighter)) == [3]


def test_char_budget_over_budget_flag() -> None:
    selection = Given([1, 0, 0, 0, 0, 0]).summarize(story(), "en", Budget("chars", 10))
    assert indices(selection) == [0]
    assert selection.over_budget


def test_ratio_budget_is_a_share_of_the_article_words() -> None:
    # 56 words; ratio 0.45 allows 25.2: 15 (sentence 2) + 8 (sentence 4) = 23, and no other
    # sentence fits in what is left.
    scores = [0.1, 0.2, 0.9, 0.3, 0.8, 0.4]
    selection = Given(scores).summarize(story(), "en", Budget("ratio", 0.45))
    assert indices(selection) == [2, 4]


def test_ratio_budget_takes_at_least_one_sentence_without_a_flag() -> None:
    selection = Given([0.1, 0.2, 0.9, 0.3, 0.8, 0.4]).summarize(
        story(), "en", Budget("ratio", 0.01)
    )
    assert indices(selection) == [2]
    assert not selection.over_budget  # a share was asked for, not a hard limit


# Written for these tests: five Chinese sentences of 8 to 10 characters and a full stop.  Each
# character counts as a word (reading speed in Chinese is measured in characters): 44 in all.
CHINESE = (
    "市议会周一通过新预算。学校周三继续停课。河水六小时上涨两米。"
    "救援人员检查了房屋。市长申请紧急资金。"
)


def chinese() -> list[Sentence]:
    sentences = split_sentences(CHINESE, "zh")
    assert [len(s.text) - 1 for s in sentences] == [10, 8, 9, 9, 8]
    return sentences


def test_word_budget_counts_each_chinese_character_as_a_word() -> None:
    scores = [0.9, 0.8, 0.7, 0.6, 0.5]
    selection = Given(scores).summarize(chinese(), "zh", Budget("words", 20))
    assert indices(selection) == [0, 1]  # 10 + 8 words; no third one fits
    assert not selection.over_budget


def test_chosen_sentences_are_the_article_own_with_offsets_into_it() -> None:
    sentences = story()
    for budget in (Budget(), Budget("words", 25), Budget("chars", 120), Budget("ratio", 0.5)):
        selection = summarizers.get("news").summarize(sentences, "en", budget)
        assert selection.sentences, budget
        for sentence in selection.sentences:
            assert sentence in sentences
            assert STORY[sentence.start : sentence.end] == sentence.text


def test_ties_go_to_the_earlier_sentence() -> None:
    assert rank([0.5, 0.7, 0.5, 0.7]) == [1, 3, 0, 2]
    selection = Given([1.0] * 6).summarize(story(), "en", Budget("sentences", 2))
    assert indices(selection) == [0, 1]


def test_scores_that_are_not_numbers_rank_last() -> None:
    assert rank([math.nan, 0.2, math.inf * 0, -1.0]) == [1, 3, 0, 2]


def test_no_sentences_give_an_empty_selection() -> None:
    for name in METHODS:
        assert summarizers.get(name).summarize([], "en", Budget()) == Selection(())


def test_a_one_sentence_article_is_its_own_summary() -> None:
    text = "The council approved the new budget on Monday."
    sentences = split_sentences(text, "en")
    for name in METHODS:
        for budget in (Budget(), Budget("words", 3), Budget("ratio", 0.1)):
            selection = summarizers.get(name).summarize(sentences, "en", budget)
            assert selection.sentences == tuple(sentences), (name, budget)
    assert summarizers.get("news").summarize(sentences, "en", Budget("words", 3)).over_budget


def test_sentences_without_content_words_are_still_summarized() -> None:
    # Only stop words and punctuation: an all-zero term matrix must not produce NaN or fail.
    sentences = split_sentences("It was. And then? Yes! It is what it is. So be it.", "en")
    for name in METHODS:
        selection = summarizers.get(name).summarize(sentences, "en", Budget("sentences", 2))
        assert len(selection.sentences) == 2, name
        scores = summarizers.get(name).scores(sentences, "en")
        assert np.all(np.isfinite(scores)), name


def test_trigram_blocking_refuses_a_sentence_repeating_a_chosen_one() -> None:
    text = (
        "The central bank raised interest rates by half a point. "
        "Markets fell after the central bank raised interest rates. "
        "Mortgage costs will climb for millions of households."
    )
    sentences = split_sentences(text, "en")
    scores = [0.9, 0.8, 0.1]
    assert indices(Given(scores).summarize(sentences, "en", Budget("sentences", 2))) == [0, 1]
    blocked = Given(scores, redundancy=True).summarize(sentences, "en", Budget("sentences", 2))
    assert indices(blocked) == [0, 2]


def test_select_works_on_any_ranking() -> None:
    sentences = story()
    assert indices(select(sentences, [5, 4, 3], Budget("sentences", 2))) == [4, 5]


# --- the shared selection step: groups of sentences taken together ---------------------------


def test_a_group_is_taken_whole_when_it_fits() -> None:
    # Sentences 1 and 2 (6 + 15 words) are one candidate, ranked first.
    selection = select_groups(story(), [(1, 2), (0,), (5,)], Budget("sentences", 3))
    assert indices(selection) == [0, 1, 2]


def test_a_group_that_does_not_fit_gives_way_to_single_sentences() -> None:
    sentences = story()
    assert indices(select_groups(sentences, [(1, 2), (0,)], Budget("sentences", 1))) == [0]
    # 21 words do not fit in 20; the 13-word sentence does, and is not flagged.
    selection = select_groups(sentences, [(1, 2), (0,)], Budget("words", 20))
    assert indices(selection) == [0]
    assert not selection.over_budget


def test_when_no_candidate_fits_the_best_group_is_taken_whole_and_flagged() -> None:
    selection = select_groups(story(), [(1, 2), (3, 4)], Budget("words", 5))
    assert indices(selection) == [1, 2]
    assert selection.over_budget


def test_a_group_sharing_a_sentence_with_a_chosen_one_is_skipped() -> None:
    selection = select_groups(story(), [(1,), (1, 2), (4,)], Budget("sentences", 3))
    assert indices(selection) == [1, 4]


def test_trigram_blocking_refuses_a_group_if_any_of_its_sentences_repeats() -> None:
    text = (
        "The central bank raised interest rates by half a point. "
        "Mortgage costs will climb for millions of households. "
        "Markets fell after the central bank raised interest rates. "
        "Savers welcomed the news."
    )
    sentences = split_sentences(text, "en")
    blocking = TrigramBlocking.of(sentences)
    selection = select_groups(sentences, [(0,), (1, 2), (3,)], Budget("sentences", 3), blocking)
    assert indices(selection) == [0, 3]


# --- the registry ---------------------------------------------------------------------------


def test_names_lists_news_first_then_every_method() -> None:
    names = summarizers.names()
    assert names[0] == "news"
    assert {"centrality", "lead", "lexrank", "textrank"} <= set(names[1:])
    assert names[1:] == sorted(names[1:])


def test_news_is_the_default_method_and_its_own_name() -> None:
    assert summarizers.get() is summarizers.get("news")
    assert summarizers.get("news").name == summarizers.DEFAULT_NAME == "news"


def test_a_former_name_finds_the_method_but_is_not_offered() -> None:
    assert summarizers.get("learned") is summarizers.get("news")
    assert summarizers.get(" Learned ").name == "news"
    assert "learned" not in summarizers.names()


def test_names_are_matched_without_regard_to_case_or_spaces() -> None:
    assert summarizers.get(" LexRank ") is summarizers.get("lexrank")


def test_unknown_method_error_lists_the_valid_names() -> None:
    with pytest.raises(MethodError) as error:
        summarizers.get("bart")
    message = str(error.value)
    assert "'bart'" in message
    for name in ("news", "centrality", "lead", "lexrank", "textrank"):
        assert name in message


def test_a_name_or_an_alias_cannot_be_registered_twice() -> None:
    class Impostor(Given):
        name = "news"

    class Second(Given):
        name = "lead"

    class Borrower(Given):
        name = "borrower"
        aliases = ("learned",)

    class Shadow(Given):
        name = "learned"

    for cls in (Impostor, Second, Borrower, Shadow):
        with pytest.raises(ValueError, match="two summarizers"):
            summarizers.register(cls)
    assert summarizers.get("news").__class__.__name__ == "News"
    assert summarizers.get("lead").__class__.__name__ == "Lead"
    assert "borrower" not in summarizers.names()


def test_every_method_has_a_name_and_a_version() -> None:
    for name in METHODS:
        method = summarizers.get(name)
        assert method.name == name
        assert method.version and isinstance(method.version, str)


def test_only_a_method_with_weights_has_a_digest_and_a_training_record() -> None:
    news = summarizers.get("news")
    assert len(news.model_digest) == 64 and news.training is not None
    for name in METHODS[1:]:
        assert summarizers.get(name).model_digest == ""
        assert summarizers.get(name).training is None


# --- the methods on real articles -----------------------------------------------------------


@pytest.mark.parametrize("name", METHODS)
def test_each_method_summarizes_a_real_article_deterministically(name: str) -> None:
    article = demo_article("en-wikinews-012")  # Hong Kong protests, 2019
    sentences = split_sentences(article["body"], "en")
    first = summarizers.get(name).summarize(sentences, "en", Budget())
    again = summarizers.get(name).summarize(split_sentences(article["body"], "en"), "en", Budget())
    assert len(first.sentences) == 3
    assert indices(first) == sorted(indices(first))
    assert first == again
    for sentence in first.sentences:
        assert article["body"][sentence.start : sentence.end] == sentence.text


def test_lead_takes_the_opening_sentences() -> None:
    sentences = split_sentences(demo_article("en-wikinews-012")["body"], "en")
    assert indices(summarizers.get("lead").summarize(sentences, "en", Budget())) == [0, 1, 2]


@pytest.mark.parametrize("name", ["textrank", "lexrank", "centrality"])
def test_graph_methods_rank_the_sentence_others_echo_first(name: str) -> None:
    text = (
        "A concert was held in the old square. "
        "Floods hit the river valley, closing roads and farms near the dam. "
        "The river burst its banks at dawn. "
        "Roads into the valley were closed. "
        "Farms near the dam lost their crops."
    )
    scores = summarizers.get(name).scores(split_sentences(text, "en"), "en")
    assert int(np.argmax(scores)) == 1


def test_centrality_prefers_the_sentence_later_ones_echo_over_the_one_echoing_earlier() -> None:
    class WithoutPrior(Centrality):
        prior_weight = 0.0

    text = (
        "The mayor opened a new library downtown. "
        "Officials expect the library to draw thousands of readers. "
        "Its collection holds rare maps of the city. "
        "Local schools plan weekly visits. "
        "The mayor called the new library downtown a gift to everyone."
    )
    scores = WithoutPrior().scores(split_sentences(text, "en"), "en")
    assert scores[0] > scores[4]


@pytest.mark.parametrize("prefix", ["fr-", "de-", "ru-"])
def test_methods_work_in_other_languages(prefix: str) -> None:
    article = demo_article(prefix)
    sentences = split_sentences(article["body"], article["language"])
    for name in METHODS:
        selection = summarizers.get(name).summarize(sentences, article["language"], Budget())
        assert len(selection.sentences) == min(3, len(sentences))


def test_term_matrix_pair_and_block_products_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    from inbrief.summarizers import matrix

    sentences = split_sentences(demo_article("en-wikinews-025")["body"], "en")
    terms = TermMatrix.build(sentences, "en")
    by_pairs = terms.gram(terms.tfidf())
    monkeypatch.setattr(matrix, "_PAIR_LIMIT", 0)  # as for a book-length input
    monkeypatch.setattr(matrix, "_DENSE_LIMIT", 500)  # several column blocks
    by_blocks = terms.gram(terms.tfidf())
    assert np.allclose(by_pairs, by_blocks)
    assert np.allclose(by_pairs, by_pairs.T)


def test_pagerank_favours_the_hub_of_a_star() -> None:
    star = np.zeros((5, 5))
    star[0, 1:] = star[1:, 0] = 1.0
    scores = pagerank(star)
    assert scores.sum() == pytest.approx(1.0)
    assert int(np.argmax(scores)) == 0
    assert np.allclose(scores[1:], scores[1])


def test_pagerank_of_a_graph_without_edges_is_uniform() -> None:
    assert np.allclose(pagerank(np.zeros((4, 4))), 0.25)


@pytest.mark.skipif(not CNNDM.is_file(), reason="needs ../shared/data/cnndm-dev.jsonl.gz")
def test_news_matches_or_beats_lead_3_on_cnn_dailymail() -> None:
    from inbrief.evaluate.summaries import RougeScorer

    scorer = RougeScorer("en")
    totals = {"news": 0.0, "lead": 0.0}
    with gzip.open(CNNDM, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for _, line in zip(range(500), lines, strict=False)]
    for record in records:
        sentences = split_sentences(record["article"], "en")
        for name in totals:
            chosen = summarizers.get(name).summarize(sentences, "en", Budget()).sentences
            totals[name] += scorer.score([s.text for s in chosen], record["reference"])[0]
    news, lead = totals["news"] / len(records), totals["lead"] / len(records)
    assert news >= lead, (news, lead)
