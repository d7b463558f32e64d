# ruff: noqa: RUF001
# (the dashes of datelines are meant as written.)
"""A reader's metrics of a summary, on look-alike articles small enough to check by hand."""

from __future__ import annotations

import pytest

from inbrief.evaluate.reader import (
    Figure,
    ReadSummary,
    covers_headline,
    covers_main_news,
    dangling,
    furniture_kinds,
    has_opening,
    other_language,
    page_tags,
    phrase_flaw_kinds,
    render_table,
    tag_match,
)

HARBOUR = (
    "The harbour board of Port Elwin approved a new ferry terminal on Tuesday.",
    "Its chair, Mara Quist, said construction would start in the spring.",
    "He added that the old pier would close for a year.",
    "Local fishermen have asked for a temporary landing stage.",
    "The terminal is expected to cost twelve million dollars.",
)


def _read(
    chosen: tuple[int, ...],
    title: str | None = None,
    keyphrases: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
) -> ReadSummary:
    return ReadSummary(HARBOUR, chosen, title, "en", keyphrases, tags)


def test_a_pronoun_without_its_antecedent_sentence_dangles():
    assert dangling(_read((0, 2, 4)))


def test_a_pronoun_with_its_antecedent_sentence_does_not_dangle():
    assert not dangling(_read((0, 1, 2)))


def test_a_definite_reference_without_the_sentence_before_dangles():
    sentences = (
        "Brightwater Foods agreed to buy a rival bakery chain.",
        "The company said the deal would close in March.",
    )

    assert dangling(ReadSummary(sentences, (1,), language="en"))
    assert not dangling(ReadSummary(sentences, (0, 1), language="en"))


def test_this_week_points_at_the_calendar_not_back():
    sentences = ("Rain fell across the valley.", "This week the dam will be inspected again.")

    assert not dangling(ReadSummary(sentences, (1,), language="en"))


def test_connectives_are_looked_up_in_the_articles_language():
    sentences = ("Le conseil a voté le budget.", "Mais l'opposition a quitté la salle en criant.")

    assert dangling(ReadSummary(sentences, (1,), language="fr"))
    assert not dangling(ReadSummary(sentences, (1,), language="de"))


def test_an_agency_dateline_is_furniture():
    assert "dateline" in furniture_kinds("PORT ELWIN, Maine (AP) — The harbour board voted.")


def test_a_german_place_and_date_dateline_is_furniture():
    sentence = "Elwingen, 3. Mai 2019 – Der Hafenrat hat einen neuen Anleger beschlossen."

    assert "dateline" in furniture_kinds(sentence)


def test_a_dateline_split_off_as_a_sentence_of_its_own_is_a_dateline_only():
    assert furniture_kinds("PORT ELWIN, Maine —") == {"dateline"}


def test_a_photo_credit_inside_a_sentence_is_furniture():
    assert "caption or credit" in furniture_kinds(
        "Mara Quist at the pier (Photo: Jon Vell/Getty Images) spoke to reporters on Tuesday."
    )


def test_an_inline_promo_wiki_markup_a_heading_and_a_fragment_are_furniture():
    assert "promo" in furniture_kinds("The board voted. READ MORE: Ferry fares to rise again.")
    assert "markup" in furniture_kinds("The [https://example.org/vote board voted] on Tuesday.")
    assert "heading" in furniture_kinds("A new terminal for Port Elwin")
    assert "fragment" in furniture_kinds("Staff reports")


def test_a_plain_sentence_is_not_furniture():
    assert furniture_kinds(HARBOUR[0]) == set()


def test_the_opening_sentence_covers_the_main_news():
    assert has_opening(_read((0, 3, 4)))
    assert not has_opening(_read((1, 3, 4)))


def test_the_headline_is_covered_when_half_its_content_words_are_in_the_summary():
    title = "Ferry terminal to cost twelve million"
    covered = _read((3, 4), title=title)  # terminal, cost, twelve, million: 4 of 5
    missed = _read((3,), title=title)

    assert covers_headline(covered)
    assert covers_main_news(covered)
    assert not covers_headline(missed)
    assert not covers_main_news(missed)


def test_a_french_summary_of_a_french_article_is_not_in_another_language():
    sentences = (
        "Le conseil municipal de Valbrune a voté mardi la construction d'une nouvelle école.",
        "Les travaux commenceront au printemps et dureront deux ans selon le maire de la ville.",
    )

    assert not other_language(ReadSummary(sentences, (0, 1), language="fr"))


def test_a_spanish_quotation_in_an_english_article_is_in_another_language():
    sentences = (
        "The council of Valbrune voted on Tuesday to build a new school for the town.",
        "El gobierno municipal no ha consultado a los vecinos sobre la nueva escuela del pueblo.",
    )

    assert other_language(ReadSummary(sentences, (0, 1), language="en"))


TAGGED_PAGE = """<html><head>
<meta name="keywords" content="Port Elwin, ferry terminal">
<meta property="article:tag" content="harbour">
<script type="application/ld+json">{"@graph": [{"keywords": ["ferries", "Maine"]}]}</script>
</head><body><p>The harbour board voted.</p></body></html>"""


def test_tags_are_read_from_meta_keywords_article_tags_and_json_ld():
    assert page_tags(TAGGED_PAGE) == ("Port Elwin", "ferry terminal", "harbour", "ferries", "Maine")


def test_tag_precision_and_recall_count_content_words_by_stem():
    read = _read((0,), keyphrases=("ferry", "Mara Quist"), tags=page_tags(TAGGED_PAGE))

    match = tag_match(read)

    # phrase words: ferry, mara, quist; tag words: port, elwin, ferry (ferries), terminal,
    # harbour, maine
    assert match.precision == pytest.approx(1 / 3)
    assert match.recall == pytest.approx(1 / 6)


def test_a_first_name_standing_in_a_longer_name_is_a_fragment():
    sentences = ("Mara Quist chairs the board.", "Mara Quist said the pier would close.")

    flaws = phrase_flaw_kinds("Mara", ReadSummary(sentences, (0,), language="en"))

    assert flaws == {"name fragment"}


def test_weekdays_months_and_stop_words_are_flawed_phrases_and_names_are_not():
    read = _read((0,))

    assert phrase_flaw_kinds("Tuesday", read) == {"date, weekday or month"}
    assert phrase_flaw_kinds("their", read) == {"stop word"}
    assert phrase_flaw_kinds("ferry terminal", read) == set()


def test_a_table_has_a_row_per_figure_and_a_column_per_summarizer():
    table = render_table(
        "look-alike corpus",
        {"news": [Figure("dangling", 4, 1)], "lead-3": [Figure("dangling", 4, 0)]},
    )

    assert table.splitlines()[1].split() == ["news", "lead-3"]
    assert table.splitlines()[2].split() == ["dangling", "1/4", "25%", "0/4", "0%"]
