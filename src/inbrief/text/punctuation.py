# ruff: noqa: RUF001
# (This module is about punctuation of many scripts; the marks are meant as written.)
"""How a line of news ends: the one definition of a sentence end and of a heading.

Extraction asks whether a paragraph is prose, the completeness gate whether an article stops
mid-sentence, and the news summarizer whether a short line is a subheading; they all ask it
here (and where a paragraph ends, for the splitter and the dateline reader).  What differs
between them is only which marks they accept as the end, and each caller names its choice:

    >>> ends_sentence("The bridge reopened on Monday.")
    True
    >>> ends_sentence("Read the full story:", stops=SENTENCE_STOPS)
    False
    >>> is_heading("What the council decided", max_words=12)
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

SENTENCE_STOPS = ".!?\u2026\u3002\uff01\uff1f\u0964\u061f"
"""Marks that end a sentence: Latin and Cyrillic . ! ? …, the CJK full stop, exclamation and
question marks, the Devanagari danda and the Arabic question mark."""

CLAUSE_STOPS = SENTENCE_STOPS + ":;"
"""Sentence stops, plus the colon and semicolon that end a line introducing what follows (a
quotation, a list): such a line is a sentence of the article, not a heading."""

HEADLINE_STOPS = ".,;:"
"""What a linked headline never ends on ("Next article: Council votes to close the bridge"):
a headline may end in ? or !, but a line ending in a full stop, comma or colon is a sentence."""

CLOSERS = "\"'\u201d\u2019\u00bb)]\u300d"
"""Closing quotation marks and brackets that may follow the stop: ." .” .’ .» .) .] 。」"""

HEADING_WORDS = 12
"""A line of at most this many words that does not end like a sentence is a heading."""

PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
"""A blank line (perhaps with spaces on it): where a paragraph ends, which no sentence crosses."""


def paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph of ``text``, in order: the text between blank lines."""
    if "\n" not in text:
        yield 0, len(text)
        return
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield start, match.start()
        start = match.end()
    yield start, len(text)


@cache
def _end_pattern(stops: str, closers: str, *, inside: bool) -> re.Pattern[str]:
    stop = f"[{re.escape(stops)}]"
    closing = f"[{re.escape(closers)}]*"
    if inside:
        return re.compile(rf"{stop}{closing}\s")
    # CNN/DailyMail's tokenized text writes a closing quote as '' after the stop's token.
    return re.compile(rf"{stop}{closing}$|''\s*$")


def ends_sentence(
    text: str, *, stops: str = SENTENCE_STOPS, closers: str = CLOSERS, trailing_space: bool = False
) -> bool:
    """True when ``text`` ends on one of ``stops``, perhaps followed by ``closers``.

    ``trailing_space`` also accepts white space after them (a line not yet stripped).
    """
    return (
        _end_pattern(
            stops, closers + (" \t\n\r\f\v" if trailing_space else ""), inside=False
        ).search(text)
        is not None
    )


def has_sentence_end(text: str, *, stops: str = SENTENCE_STOPS, closers: str = CLOSERS) -> bool:
    """True when a sentence ends somewhere inside ``text``: a stop, closers, then white space."""
    return _end_pattern(stops, closers, inside=True).search(text) is not None


def is_heading(
    text: str,
    *,
    max_words: int = HEADING_WORDS,
    words: int | None = None,
    stops: str = CLAUSE_STOPS,
    closers: str = CLOSERS,
) -> bool:
    """True for a heading: a line of at most ``max_words`` words that does not end like a
    sentence.  ``words`` is the line's word count when the caller has it already."""
    count = len(text.split()) if words is None else words
    return count <= max_words and not ends_sentence(
        text, stops=stops, closers=closers, trailing_space=True
    )
