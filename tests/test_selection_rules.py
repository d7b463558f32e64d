"""The ``news`` selection rules that read how a sentence opens and what language it is in, and
the choice of a short summary as the set of sentences most likely to belong in it.

As in ``test_news.py``, the test gives the scores, so each test states which sentences the model
would have wanted; ``choose`` then applies the rules.  Every text here is written for these
tests.
"""

from __future__ import annotations

import re

import numpy as np
from pytest import MonkeyPatch, raises

from inbrief.models import Budget, Sentence
from inbrief.summarizers.base import TrigramBlocking, select_groups
from inbrief.summarizers.news import selection
from inbrief.summarizers.news.features import featurize
from inbrief.summarizers.news.lines import ArticleLines
from inbrief.summarizers.news.references import continuing, pointing
from inbrief.summarizers.news.rules import unfit
from inbrief.summarizers.news.selection import best_set, choose
from inbrief.text import split_sentences

# The company is named only in the third sentence; the fourth points back at it.
COMPANY = (
    "Floods closed three schools in the valley on Monday. "
    "Rescue teams moved two hundred families to the sports hall. "
    "Harlan Mills, a paper maker, shut its plant by the river for the week. "
    "The company said it would pay its workers during the closure. "
    "Forecasters expect more rain on Thursday."
)
# The mayor is named only in the second sentence; the third continues with "He".
MAYOR = (
    "Floods closed three schools in the valley on Monday. "
    "Mayor Ines Varga asked the army for help late in the evening. "
    "He said the water had never risen so fast. "
    "Rescue teams moved two hundred families to the sports hall. "
    "Forecasters expect more rain on Thursday."
)


def picked(
    text: str,
    best: dict[int, float],
    count: int,
    language: str = "en",
    title: str | None = None,
) -> list[int]:
    """The sentences ``choose`` takes for a ``count``-sentence budget when the model's scores
    fall with position, except for the sentences ``best`` lifts to the given values."""
    sentences = split_sentences(text, language)
    scores = -np.arange(len(sentences), dtype=np.float64)
    for index, value in best.items():
        scores[index] = value
    features = featurize([s.text for s in sentences], language)
    budget = Budget("sentences", count)
    selection = choose(sentences, scores, features, budget, language, title=title)
    return [s.index for s in selection.sentences]


def test_a_sentence_pointing_back_comes_with_the_sentence_before_it() -> None:
    # The model wants the opening and "The company said ..."; the company is in sentence 2.
    assert picked(COMPANY, {0: 5.0, 3: 4.0}, 3) == [0, 2, 3]


def test_a_sentence_pointing_back_is_left_out_when_its_pair_does_not_fit() -> None:
    # Two sentences: after the opening, "The company ..." and its antecedent need two more.
    assert picked(COMPANY, {0: 5.0, 3: 4.0}, 2) == [0, 1]


def test_a_he_sentence_never_opens_the_summary_alone() -> None:
    # The model likes "He said ..." best, then the forecast, then the sentence naming the mayor:
    # "He said ..." comes with that sentence rather than open the summary alone.
    assert picked(MAYOR, {2: 5.0, 4: 4.0, 1: 1.0}, 2) == [1, 2]


def test_a_he_sentence_is_left_out_when_its_pair_is_worth_less_than_two_others() -> None:
    # Here the mayor's sentence scores lowest: the opening and the forecast are the better pair.
    assert picked(MAYOR, {2: 5.0, 4: 4.0}, 2) == [0, 4]


def test_a_he_sentence_may_follow_another_chosen_sentence() -> None:
    assert picked(MAYOR, {0: 5.0, 2: 4.0}, 2) == [0, 2]


def test_lower_cased_tokenized_text_is_read_the_same_way() -> None:
    ptb = (
        "floods closed three schools in the valley on monday . "
        "mayor ines varga asked the army for help late in the evening . "
        "he said the water had never risen so fast . "
        "rescue teams moved two hundred families to the sports hall . "
        "forecasters expect more rain on thursday ."
    )
    assert picked(ptb, {2: 5.0, 4: 4.0, 1: 1.0}, 2) == [1, 2]


def test_a_time_phrase_is_not_a_reference() -> None:
    lines = ArticleLines(["Floods closed the schools.", "This week the river rose again."])
    assert not pointing(lines, "en").any()


def test_french_demonstratives_and_pronouns_are_known() -> None:
    lines = ArticleLines(
        [
            "Des orages ont frappé la région lundi.",
            "Ces intempéries ont coupé trois routes.",
            "Il y a eu deux blessés.",
            "Elle a demandé l'aide de l'État.",
        ]
    )
    assert pointing(lines, "fr").tolist() == [False, True, False, False]
    assert continuing(lines, "fr").tolist() == [False, False, False, True]


def test_a_one_sentence_summary_may_still_be_a_he_sentence() -> None:
    # One sentence leaves no room for a pair: the model's choice stands.
    assert picked(MAYOR, {2: 5.0}, 1) == [2]


def test_a_sentence_in_another_language_is_not_chosen() -> None:
    text = (
        "The minister of culture opened the new library in Valencia on Friday. "
        "Los libros de la biblioteca estarán abiertos para todos los vecinos desde mañana. "
        "The building cost twelve million euros and took four years to finish. "
        "Local schools will hold reading classes there every week."
    )
    # The model wants the Spanish quotation most; an English sentence takes its place.
    assert picked(text, {1: 5.0}, 2) == [0, 2]


def test_a_group_whose_first_sentence_is_chosen_adds_only_the_rest() -> None:
    sentences = [Sentence(i, 0, 0, f"Sentence number {i} of the story.") for i in range(4)]
    selection = select_groups(sentences, [(1,), (0, 1), (3,)], Budget("sentences", 2), partial=True)
    assert [s.index for s in selection.sentences] == [0, 1]


# A short opening the model would pass over for the details after it.
BRIDGE = (
    "The old bridge is gone. "
    "Engineers brought down the last steel span over the Alder river on Sunday morning. "
    "The crossing had been closed to traffic since cracks were found in its piers in 2019. "
    "A new bridge, two hundred metres downstream, is due to open next spring."
)


def test_an_opening_that_carries_the_headline_news_is_kept() -> None:
    low_opening = {0: -9.0}
    assert picked(BRIDGE, low_opening, 2) == [1, 2]
    title = "Last span of the old Alder bridge comes down"
    assert picked(BRIDGE, low_opening, 2, title=title) == [0, 1]


def test_an_opening_about_something_else_than_the_headline_is_not_forced() -> None:
    title = "Engineers demolish river crossing closed since 2019"
    assert picked(BRIDGE, {0: -9.0}, 2, title=title) == [1, 2]


def test_a_sentence_opening_with_however_comes_with_the_sentence_before_it() -> None:
    text = (
        "Floods closed three schools in the valley on Monday. "
        "Rescue teams moved two hundred families to the sports hall. "
        "Officials said the river would fall by Wednesday. "
        "However, forecasters expect more rain on Thursday."
    )
    # "However" answers the forecast of sentence 2, not the opening: it brings it along.
    assert picked(text, {0: 5.0, 3: 4.0}, 3) == [0, 2, 3]
    assert picked(text, {0: 5.0, 3: 4.0}, 2) == [0, 1]


def test_fragments_and_metadata_strips_fill_only_what_nothing_else_can() -> None:
    text = (
        "Reviewed by: Ada Brook Price: 24 euros More info: example.org\n\n"
        "Business focus!\n\n"
        "The manual covers every model the maker sold in Europe since 2004. "
        "Its wiring diagrams are printed in colour for each market."
    )
    # The model likes the strip and the fragment best; the prose sentences are taken instead.
    assert picked(text, {0: 9.0, 1: 8.0}, 2) == [2, 3]
    # With room for three, the fragment fills the last place (the strip, unpunctuated and
    # short, reads as a heading: never chosen).
    assert picked(text, {0: 9.0, 1: 8.0}, 3) == [1, 2, 3]


def test_unfit_marks_fragments_long_metadata_strips_and_list_items() -> None:
    texts = [
        "Business focus!",
        "05/10/2018 - Published by: Clara Berg - Category: Health - Tags: ambulance break-in van",
        "3) Box set: the complete detective series on disc, with a booklet",
        "The van was found with its windows broken on Tuesday morning.",
        "Police said: the doors were forced.",
    ]
    lengths = np.array([len(re.findall(r"\w+", t)) for t in texts])
    assert unfit(ArticleLines(texts), lengths).tolist() == [True, True, True, False, False]


def words_of(texts: list[str]) -> TrigramBlocking:
    """Blocking over ``texts`` split on spaces."""
    return TrigramBlocking(lambda position: texts[position].lower().split())


FOUR = [
    "The council approved the new budget on Monday.",
    "It had been debated for months.",
    "Taxes will rise by two per cent next year.",
    "Schools get most of the extra money.",
]


def test_a_short_summary_is_the_set_of_sentences_most_likely_to_belong() -> None:
    # Best ranked is "It had been debated ..." with the opening it leans on, but the pair holds
    # one likely sentence (0.9) and one unlikely (0.3); two single sentences hold more.
    ranked = [(0, 1), (2,), (3,), (0,)]
    chances = np.array([0.9, 0.3, 0.8, 0.7])
    assert best_set(ranked, chances, 2, words_of(FOUR)) == (0, 2)
    assert best_set(ranked, chances, 3, words_of(FOUR)) == (0, 2, 3)


def test_the_set_holds_the_required_candidate() -> None:
    ranked = [(2,), (3,), (1,)]
    chances = np.array([0.1, 0.2, 0.9, 0.8])
    assert best_set(ranked, chances, 2, words_of(FOUR), required=(1,)) == (1, 2)


def test_the_set_never_holds_two_sentences_sharing_a_word_trigram() -> None:
    texts = [*FOUR, "The council approved the plan for the harbour too."]
    chances = np.array([0.9, 0.1, 0.5, 0.4, 0.8])
    assert best_set([(0,), (4,), (2,), (3,)], chances, 2, words_of(texts)) == (0, 2)


def test_a_set_left_short_by_repetition_is_filled_by_score(monkeypatch: MonkeyPatch) -> None:
    text = (
        "The storm cut power to ten thousand homes in the north. "
        "The storm cut power to the hospital for an hour. "
        "Crews worked through the night to clear fallen trees. "
        "Schools will open late on Wednesday."
    )
    # Among the two best candidates only one can be chosen (they share "the storm cut power");
    # the second place goes to the best-scoring sentence beyond them.
    monkeypatch.setattr(selection, "SET_CANDIDATES", 2)
    assert picked(text, {0: 5.0, 1: 4.0, 2: -3.0, 3: -2.0}, 2) == [0, 3]


def test_a_line_start_pattern_is_tried_at_line_starts_as_a_whole_text_search_finds_it() -> None:
    opener = re.compile(r"^[^\w\n]*(?:he|the\s+company)\b", re.MULTILINE)
    lines = ArticleLines(
        [
            "The company grew.",
            "He said so.",
            "Sales rose, he said.",  # "he" inside a line is no opening
            "`` He left . ''",
            "The",  # "the" + the next line's "company": one match over two lines ...
            "company hired him.",  # ... which hides this line's start, as finditer does
            "He",
        ]
    )
    found = lines.opening(opener)
    assert found.tolist() == [True, True, False, True, True, False, True]
    assert found.tolist() == lines.flags(opener).tolist()


def test_only_a_line_start_pattern_may_be_tried_at_line_starts() -> None:
    lines = ArticleLines(["He said so."])
    for pattern in (re.compile(r"he\b"), re.compile(r"^he\b")):  # unanchored; no MULTILINE
        with raises(ValueError, match="not a line-start pattern"):
            lines.opening(pattern)


def test_several_budgets_at_once_choose_what_one_budget_at_a_time_chooses() -> None:
    budgets = [Budget("sentences", 2), Budget("sentences", 1), Budget("words", 25)]
    for text in (COMPANY, MAYOR):
        sentences = split_sentences(text, "en")
        scores = -np.arange(len(sentences), dtype=np.float64)
        scores[3 if text is COMPANY else 2] = 5.0  # the sentence leaning on the one before
        features = featurize([s.text for s in sentences], "en")
        together = selection.choose_each(sentences, scores, features, budgets, "en")
        one_each = [choose(sentences, scores, features, budget, "en") for budget in budgets]
        assert list(together) == one_each
        # The pair rule holds at two sentences; one sentence has no room for it.
        assert [len(chosen.sentences) for chosen in together[:2]] == [2, 1]
