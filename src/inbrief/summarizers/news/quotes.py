# (Quotation marks of several typographic traditions are meant as written.)
"""Quotations that the sentence splitter cut over several sentences.

A quotation that opens in one sentence and closes in a later one is cut by the splitter, and the
attribution (``..., he said.``) is often only in the last part: a summary must take the span
whole or not at all, or show a quote without the sentence that says who spoke.

Only double quotation marks are trusted to delimit a quotation across sentences: a single quote
is too often an apostrophe ("players' union", PTB "' s"), and stand-alone ' marks in tabloid
text cannot be told apart as openers or closers.  Straight double quotes toggle.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from inbrief.summarizers.news.lines import ArticleLines

_TOKEN = re.compile(r"\w+")
_QUOTE_MARK = re.compile(r"``|''|[“«„”»\"]")
_QUOTE_EVENT = {"``": 1, "“": 1, "«": 1, "„": 1, "''": -1, "”": -1, "»": -1, '"': 0}


@dataclass(frozen=True)
class QuoteSpan:
    """Sentences ``first..last`` (inclusive) that one quotation runs across."""

    first: int
    last: int
    attributed_first: bool
    """True when the first sentence names the speaker before the quotation mark opens."""


@dataclass(frozen=True)
class QuoteStates:
    """Per sentence: starts inside a quotation, ends inside one, holds a quotation mark."""

    starts: np.ndarray
    ends: np.ndarray
    has_mark: np.ndarray


def quote_states(lines: ArticleLines) -> QuoteStates:
    """Where each sentence stands with respect to the article's quotation marks."""
    n = lines.size
    starts = np.zeros(n, dtype=bool)
    ends = np.zeros(n, dtype=bool)
    has = np.zeros(n, dtype=bool)
    marks = list(_QUOTE_MARK.finditer(lines.text))
    if not marks:
        return QuoteStates(starts, ends, has)
    owners = lines.sentence_of([m.start() for m in marks]).tolist()
    inside = False
    sentence = 0
    for mark, owner in zip(marks, owners, strict=True):
        while sentence < owner:
            ends[sentence] = inside
            sentence += 1
            starts[sentence] = inside
        has[owner] = True
        event = _QUOTE_EVENT[mark.group()]
        inside = (not inside) if event == 0 else event > 0
    ends[sentence] = inside
    starts[sentence + 1 :] = inside
    ends[sentence + 1 :] = inside
    return QuoteStates(starts, ends, has)


def spans(texts: Sequence[str], states: QuoteStates) -> tuple[QuoteSpan, ...]:
    """The quotations of ``texts`` (the article's sentences) that run over several sentences."""
    found = []
    for first in np.flatnonzero(states.ends & ~states.starts).tolist():
        closing = np.flatnonzero(~states.ends[first:])
        last = first + int(closing[0]) if closing.size else len(texts) - 1
        mark = _QUOTE_MARK.search(texts[first])
        before = texts[first][: mark.start()] if mark else ""
        found.append(QuoteSpan(first, last, attributed_first=len(_TOKEN.findall(before)) >= 2))
    return tuple(found)


def quote_spans(texts: Sequence[str]) -> list[QuoteSpan]:
    """Quotations that run over more than one sentence, in order."""
    return list(spans(texts, quote_states(ArticleLines(texts))))
