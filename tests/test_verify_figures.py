"""How the check reads a figure: what it counts, how a writer rounds it, the words around it."""

from __future__ import annotations

import pytest

from inbrief.text import split_sentences
from inbrief.verify import check_sentence
from inbrief.verify.numbers import quantities
from inbrief.verify.roles import roles

AUCTION = (
    "The oak bed was found in a hotel car park in Chester on January 18 last year. "
    "It sold at auction for £2,250, and 6,525 people have since visited it at the museum. "
    "The museum expects 740 schoolchildren to see it this spring. "
    "Curator Mina Patel, 44, said the bed was the finest piece she had handled. "
    "Its frame was carved in 1486, the year of the king's wedding."
)


def auction() -> list:
    return split_sentences(AUCTION, "en")


def problems(sentence: str) -> list[tuple[str, str, str]]:
    checked = check_sentence(sentence, auction(), "en")
    return [(p.kind, p.text, p.note) for p in checked.problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It sold for £18 in all.", ["money"]),
        ("It cost 5 million dollars.", ["money"]),
        ("Sales rose 81 % last year.", ["share"]),
        ("Sales rose 4 per cent.", ["share"]),
        ("It opens on May 29 in New York.", ["day"]),
        ("It opens on the 12th of April.", ["day"]),
        ("He escaped on Aug. 6, 1976.", ["day", "year"]),
        ("La piscine rouvre le 12 avril.", ["day"]),
        ("It has 18 rooms and 2 floors.", ["count", "count"]),
        ("Of the 81, 70 % were children.", ["count", "share"]),
    ],
)
def test_a_figure_is_read_with_what_it_counts(text: str, expected: list[str]) -> None:
    found = quantities(text, "en" if text.isascii() else "fr")
    assert list(roles(text, found, "en" if text.isascii() else "fr")) == expected


def test_a_figure_that_changed_what_it_counts_is_not_in_the_article() -> None:
    # The article's 18 is a day of January, not a price.
    assert problems("The oak bed sold at auction for £18.") == [
        ("number", "18", "in the article, but not as a sum")
    ]


def test_a_day_taken_from_a_count_elsewhere_is_a_problem() -> None:
    assert [p[:2] for p in problems("The oak bed was found in Chester on January 740.")] == [
        ("number", "740")
    ]


def test_the_same_figure_in_the_same_role_is_supported() -> None:
    checked = check_sentence("The bed sold at auction for £2,250.", auction(), "en")
    assert checked.supported, checked.problems


def test_a_writer_may_round_a_large_figure() -> None:
    checked = check_sentence("About 6,500 people have visited the bed.", auction(), "en")
    assert checked.supported, checked.problems


def test_rounding_never_reaches_a_bare_figure_a_small_one_or_one_significant_digit() -> None:
    assert problems("Its frame was carved in 1490.")[0][:2] == ("number", "1490")
    assert problems("The museum expects 700 schoolchildren.")[0][:2] == ("number", "700")
    assert problems("About 7,000 people have visited the bed.")[0][:2] == ("number", "7,000")


def test_an_age_from_another_sentence_is_held_by_the_name_beside_it() -> None:
    # The age stands in a sentence that shares little else with the summary sentence, but
    # beside the same name.
    sentence = "Mina Patel, 44, will show the bed to schoolchildren."
    checked = check_sentence(sentence, auction(), "en")
    assert checked.supported, checked.problems


def test_a_figure_swapped_in_from_elsewhere_brings_no_frame() -> None:
    # 740 is in the article, but beside "expects" and "schoolchildren", not beside "Patel".
    assert problems("Mina Patel, 740, said the bed was the finest piece.") == [
        ("number", "740", "not in the supporting sentences")
    ]


def test_a_number_word_opening_a_hyphenated_word_is_its_value() -> None:
    article = split_sentences("Eighteen-month-old twins were rescued from the canal.", "en")
    checked = check_sentence("The twins, 18 months old, were rescued.", article, "en")
    assert checked.supported, checked.problems
    assert [q.text for q in quantities("a five-year sentence", "en")] == ["five"]
