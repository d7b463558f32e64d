"""The one interface every summarizer implements, and the selection step they share.

Contract (the pipeline relies on it; helpers may refine internals, not this):

    summarizer = inbrief.summarizers.get("news")
    selection = summarizer.summarize(sentences, language, budget)
    selection.sentences   # chosen Sentence objects, in article order
    selection.over_budget # True only if the first chosen sentence alone exceeds a word/char budget

A summarizer only *ranks*: it implements :meth:`Summarizer.scores`. The shared
:meth:`Summarizer.summarize` turns scores into a selection the same way for every method (the
shape of sumy's ``_get_best_sentences``): rank by score, ties to the earlier sentence, take the
best while they fit the budget, restore article order.  Sentences are never cut.

Budgets (:class:`inbrief.models.Budget`):

* ``sentences``: the N best sentences.
* ``words`` / ``chars``: greedy by rank.  The best sentence is always taken, and the selection is
  flagged ``over_budget`` if it alone exceeds the budget; each later sentence is taken only if it
  still fits in what is left.  Words are ``len(sentence.text.split())``, the count the pipeline
  reports; characters are ``len(sentence.text)``.
* ``ratio``: a word budget of ``ratio`` times the article's words, filled the same way; at least
  one sentence, and never flagged, since the reader asked for a share, not a hard limit.

A method may also refuse sentences that repeat what was already chosen by returning a
:class:`RedundancyFilter` from :meth:`Summarizer.redundancy_filter`; :class:`TrigramBlocking` is
the usual one for learned extractive models (Paulus et al. 2018; Liu & Lapata 2019).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol, TypeAlias

import numpy as np

from inbrief.models import Budget, Sentence
from inbrief.text import tokenize

# One score per sentence: a list, or the numpy array the graph methods compute.
Scores: TypeAlias = Sequence[float] | np.ndarray


@dataclass(frozen=True)
class Selection:
    """The sentences a summarizer chose, in article order."""

    sentences: tuple[Sentence, ...]
    over_budget: bool = False


class RedundancyFilter(Protocol):
    """Decides, one ranked candidate at a time, whether a sentence adds something new.

    A fresh filter is made for every :meth:`Summarizer.summarize` call, so it may keep state.
    """

    def admits(self, sentence: Sentence) -> bool:
        """Whether ``sentence`` may join the sentences already accepted."""

    def accept(self, sentence: Sentence) -> None:
        """Record that ``sentence`` was chosen."""


class TrigramBlocking:
    """Refuse a sentence that shares any word trigram with a sentence already chosen."""

    def __init__(self) -> None:
        self._seen: set[tuple[str, str, str]] = set()

    @staticmethod
    def _trigrams(sentence: Sentence) -> set[tuple[str, str, str]]:
        words = tokenize(sentence.text)
        return set(zip(words, words[1:], words[2:], strict=False))

    def admits(self, sentence: Sentence) -> bool:
        """True when ``sentence`` has no trigram in common with the chosen ones."""
        return self._seen.isdisjoint(self._trigrams(sentence))

    def accept(self, sentence: Sentence) -> None:
        """Remember the trigrams of a chosen sentence."""
        self._seen.update(self._trigrams(sentence))


def word_count(sentence: Sentence) -> int:
    """Words in ``sentence`` as the pipeline reports them: whitespace-separated runs."""
    return len(sentence.text.split())


def char_count(sentence: Sentence) -> int:
    """Characters in ``sentence``."""
    return len(sentence.text)


def rank(scores: Scores) -> list[int]:
    """Sentence positions from best to worst score; ties go to the earlier sentence.

    A score that is not a finite number (NaN from a degenerate graph) ranks last, so one bad
    value cannot make the order depend on how the sort treats NaN.
    """

    def key(position: int) -> tuple[float, int]:
        score = float(scores[position])
        return (-score if math.isfinite(score) else math.inf, position)

    return sorted(range(len(scores)), key=key)


def select(
    sentences: Sequence[Sentence],
    ranking: Iterable[int],
    budget: Budget,
    redundancy: RedundancyFilter | None = None,
) -> Selection:
    """Take sentences in ``ranking`` order while they fit ``budget``; return them in article order.

    ``ranking`` holds positions into ``sentences``, best first.  The best admissible sentence is
    always taken, so a non-empty article never yields an empty selection.
    """
    if not sentences:
        return Selection(())
    if budget.unit == "sentences":
        limit: float = int(budget.value)
        size = _one
    elif budget.unit == "words":
        limit, size = int(budget.value), word_count
    elif budget.unit == "chars":
        limit, size = int(budget.value), char_count
    else:
        limit = budget.value * sum(word_count(sentence) for sentence in sentences)
        size = word_count

    chosen: list[Sentence] = []
    used = 0
    over_budget = False
    for position in ranking:
        sentence = sentences[position]
        if chosen and redundancy is not None and not redundancy.admits(sentence):
            continue
        cost = size(sentence)
        if not chosen:
            over_budget = cost > limit and budget.unit in ("words", "chars")
        elif used + cost > limit:
            # Keep scanning: a shorter, lower-ranked sentence may still fit (never cut one).
            if budget.unit == "sentences":
                break
            continue
        chosen.append(sentence)
        used += cost
        if redundancy is not None:
            redundancy.accept(sentence)
    chosen.sort(key=lambda sentence: sentence.index)
    return Selection(tuple(chosen), over_budget=over_budget)


def _one(sentence: Sentence) -> int:
    return 1


class Summarizer(ABC):
    """Rank the sentences of one article; the shared :meth:`summarize` fits them to a budget.

    Subclasses set ``name`` (the registry key) and ``version`` (bumped whenever the output for
    the same input may change: it is part of the summary cache key).
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"

    @abstractmethod
    def scores(self, sentences: Sequence[Sentence], language: str | None) -> Scores:
        """One score per sentence, higher is more summary-worthy."""

    def redundancy_filter(self, language: str | None) -> RedundancyFilter | None:
        """A fresh filter refusing repetitive sentences, or None to take sentences by rank only."""
        return None

    def summarize(
        self, sentences: Sequence[Sentence], language: str | None, budget: Budget
    ) -> Selection:
        """Choose the best sentences within ``budget`` and return them in article order."""
        if not sentences:
            return Selection(())
        scores = self.scores(sentences, language)
        if len(scores) != len(sentences):
            raise RuntimeError(
                f"summarizer {self.name!r} gave {len(scores)} scores for {len(sentences)} sentences"
            )
        return select(sentences, rank(scores), budget, self.redundancy_filter(language))
