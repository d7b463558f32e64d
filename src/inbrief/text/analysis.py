"""An article's text analysed once: its sentences and its word count, shared by every step.

The pipeline splits an article a single time and hands the same :class:`Analysis` to the
summarizer and to the key phrases, instead of each splitting the text again::

    >>> analysis = analyse("The council met. It voted to close the bridge.", "en")
    >>> [s.text for s in analysis.sentences], analysis.words
    (['The council met.', 'It voted to close the bridge.'], 9)
"""

from __future__ import annotations

from dataclasses import dataclass

from inbrief.models import Sentence
from inbrief.text.sentences import split_sentences
from inbrief.text.tokens import count_words


@dataclass(frozen=True)
class Analysis:
    """``text`` split into sentences for ``language``, and its words as a reader counts them.

    Made by :func:`analyse` only, so that the sentences always belong to the text and the
    language beside them.
    """

    text: str
    language: str | None
    sentences: tuple[Sentence, ...]
    words: int


def analyse(text: str, language: str | None) -> Analysis:
    """The one split (:func:`split_sentences`) and word count (:func:`count_words`) of ``text``."""
    return Analysis(text, language, tuple(split_sentences(text, language)), count_words(text))
