"""An article's text as page HTML (service/story.py): every piece escaped, every sentence a
span, whatever characters the stored text holds."""

from __future__ import annotations

from inbrief.service.story import article_blocks, story_html
from inbrief.text import split_sentences


def html_of(text: str) -> str:
    return str(story_html(article_blocks(text, split_sentences(text, "en"))))


def test_markup_in_the_text_is_shown_as_text() -> None:
    shown = html_of('The mayor wrote <script>alert("x")</script> & left. Nobody replied.')
    assert "<script>" not in shown
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; left." in shown
    assert shown.count('<span class="sentence"') == 2


def test_paragraphs_subheadings_and_lists_keep_their_sentence_spans() -> None:
    text = (
        "The port reopened on Monday.\n\nThe ferry returned.\n\nWhat comes next\n\n"
        "The council votes in May.\n\n- First, the pier.\n- Then the road."
    )
    shown = html_of(text)
    assert shown.startswith('\n    <p><span class="sentence" data-index="0" id="s-0">')
    assert '<h2 class="story-heading">' in shown and '<ul class="story-list">' in shown
    assert "\n      <li>" in shown and "- First" not in shown


def test_a_text_holding_a_nul_character_is_escaped_piece_by_piece_the_same_way() -> None:
    plain = html_of("Fees rose <again>. Boats & crews waited.")
    odd = html_of("Fees rose <again>\x00. Boats & crews waited.")
    assert odd.replace("\x00", "") == plain
    assert "&lt;again&gt;\x00." in odd
