"""The one interface every summarizer implements, and the selection step they share.

Contract (the pipeline relies on it; helpers may refine internals, not this):

    summarizer = inbrief.summarizers.get("news")
    selection = summarizer.summarize(sentences, language, budget)
    selection.sentences   # chosen Sentence objects, in article order
    selection.over_budget # True only if the first chosen sentence alone exceeds a word/char budget
    summarizer.summarize_each(sentences, language, budgets)  # the same, for several budgets

A summarizer only *ranks*: it implements :meth:`Summarizer.scores`. The shared
:meth:`Summarizer.summarize` turns scores into a selection the same way for every method (the
shape of sumy's ``_get_best_sentences``): rank by score, ties to the earlier sentence, take the
best while they fit the budget, restore article order.  Sentences are never cut.

Budgets (:class:`inbrief.models.Budget`):

* ``sentences``: the N best sentences.
* ``words`` / ``chars``: greedy by rank.  The best sentence is always taken, and the selection is
  flagged ``over_budget`` if it alone exceeds the budget; each later sentence is taken only if it
  still fits in what is left.  Words are :func:`inbrief.text.count_words` (white-space-separated
  runs, a character each in Chinese and Japanese), the count the pipeline reports; characters
  are ``len(sentence.text)``.
* ``ratio``: a word budget of ``ratio`` times the article's words, filled the same way; at least
  one sentence, and never flagged, since the reader asked for a share, not a hard limit.

:func:`select_groups` is the same step over candidates that are groups of sentences taken
together or not at all (``news`` keeps a quotation cut over several sentences whole); a group
never overflows the budget unless no candidate fits at all.  :func:`select` is its special case
of one sentence per candidate.

A method may also refuse sentences that repeat what was already chosen by returning a
:class:`RedundancyFilter` from :meth:`Summarizer.redundancy_filter`; :class:`TrigramBlocking` is
the usual one for learned extractive models (Paulus et al. 2018; Liu & Lapata 2019).

A method that scores with trained weights says which (:attr:`Summarizer.model_digest`, part of
the summary cache key) and what they were fitted on (:attr:`Summarizer.training`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol, TypeAlias

import numpy as np

from inbrief.models import Budget, Sentence, Written
from inbrief.summarizers.training import TrainingRecord
from inbrief.text.tokens import count_words, tokenize

# One score per sentence: a list, or the numpy array the graph methods compute.
Scores: TypeAlias = Sequence[float] | np.ndarray


@dataclass(frozen=True)
class Selection:
    """The sentences a summarizer chose, in article order."""

    sentences: tuple[Sentence, ...]
    over_budget: bool = False
    # A written summary (the ``llm`` method): its checked sentences; ``sentences`` are then
    # the article sentences that support them.
    written: Written | None = None
    # Why the method asked for gave way to another (which one: ``method``), or None.
    fallback: str | None = None
    method: str | None = None


class RedundancyFilter(Protocol):
    """Decides, one ranked candidate at a time, whether a sentence adds something new.

    Sentences are named by their position in the list being summarized.  A fresh filter is
    made for every :meth:`Summarizer.summarize` call, so it may keep state.
    """

    def admits(self, position: int) -> bool:
        """Whether the sentence at ``position`` may join the sentences already accepted."""

    def accept(self, position: int) -> None:
        """Record that the sentence at ``position`` was chosen."""


class TrigramBlocking:
    """Refuse a sentence that shares any word trigram with a sentence already chosen.

    ``words`` gives the tokens of the sentence at a position; :meth:`of` uses
    :func:`inbrief.text.tokenize`, a method that has tokenized the article already passes its own.
    """

    def __init__(self, words: Callable[[int], Sequence[str]]) -> None:
        self._words = words
        self._trigrams: dict[int, set[tuple[str, str, str]]] = {}
        self._seen: set[tuple[str, str, str]] = set()

    @classmethod
    def of(cls, sentences: Sequence[Sentence]) -> TrigramBlocking:
        """Blocking over ``sentences`` tokenized by :func:`inbrief.text.tokenize`."""
        return cls(lambda position: tokenize(sentences[position].text))

    def trigrams(self, position: int) -> set[tuple[str, str, str]]:
        """The word trigrams of the sentence at ``position``."""
        grams = self._trigrams.get(position)
        if grams is None:
            words = self._words(position)
            grams = self._trigrams[position] = set(zip(words, words[1:], words[2:], strict=False))
        return grams

    def admits(self, position: int) -> bool:
        """True when the sentence has no trigram in common with the chosen ones."""
        return self._seen.isdisjoint(self.trigrams(position))

    def accept(self, position: int) -> None:
        """Remember the trigrams of a chosen sentence."""
        self._seen.update(self.trigrams(position))


def word_count(sentence: Sentence) -> int:
    """Words in ``sentence`` as the pipeline reports them (:func:`inbrief.text.count_words`)."""
    return count_words(sentence.text)


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
    return select_groups(sentences, ((position,) for position in ranking), budget, redundancy)


def select_groups(
    sentences: Sequence[Sentence],
    candidates: Iterable[Sequence[int]],
    budget: Budget,
    redundancy: RedundancyFilter | None = None,
    partial: bool = False,
) -> Selection:
    """:func:`select` over candidates that are groups of positions, each taken whole or not at all.

    A candidate is skipped when it shares a sentence with one already taken (with ``partial``,
    only when all its sentences are taken: the rest of it is added, as when ``news`` adds
    "He said ..." to the chosen sentence it refers to), when the ``redundancy`` filter refuses
    any of its new sentences, or when it does not fit in what is left of the budget.  The first
    candidate taken may overflow a word, character or ratio budget only if it is a single
    sentence; when no candidate fits at all, the best one is taken whole (a whole quotation
    rather than half of one) and a word or character budget is flagged.
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
    flagged_unit = budget.unit in ("words", "chars")

    chosen: list[int] = []
    best: tuple[int, ...] | None = None
    used = 0
    over_budget = False
    for candidate in candidates:
        whole = tuple(candidate)
        if best is None:
            best = whole
        # With ``partial``, members already taken complete the group: only the rest is added.
        members = tuple(position for position in whole if position not in chosen)
        if not members or (len(members) < len(whole) and not partial):
            continue
        if (
            chosen
            and redundancy is not None
            and not all(redundancy.admits(position) for position in members)
        ):
            continue
        cost = sum(size(sentences[position]) for position in members)
        if used + cost > limit:
            # Keep scanning: a shorter, lower-ranked candidate may still fit (never cut one).
            if chosen or len(members) > 1 or budget.unit == "sentences":
                continue
            over_budget = flagged_unit
        chosen.extend(members)
        used += cost
        if redundancy is not None:
            for position in members:
                redundancy.accept(position)
        if budget.unit == "sentences" and used >= limit:
            break
    if not chosen and best is not None:
        chosen = list(best)
        over_budget = flagged_unit
    return Selection(tuple(sentences[p] for p in sorted(chosen)), over_budget=over_budget)


def _one(sentence: Sentence) -> int:
    return 1


class Summarizer(ABC):
    """Rank the sentences of one article; the shared :meth:`summarize` fits them to a budget.

    Subclasses set ``name`` (the registry key), ``version`` (bumped whenever the output for
    the same input may change: it is part of the summary cache key) and, for a method known by
    another name before, ``aliases``.
    """

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    aliases: ClassVar[tuple[str, ...]] = ()

    @property
    def model_digest(self) -> str:
        """SHA-256 (hex) of the weights this summarizer scores with; empty for a method without.

        Part of the summary cache key, so retrained weights never serve a stale summary.
        """
        return ""

    @property
    def training(self) -> TrainingRecord | None:
        """What the weights were fitted on and with; None for a method without weights."""
        return None

    @abstractmethod
    def scores(self, sentences: Sequence[Sentence], language: str | None) -> Scores:
        """One score per sentence, higher is more summary-worthy."""

    def redundancy_filter(
        self, sentences: Sequence[Sentence], language: str | None
    ) -> RedundancyFilter | None:
        """A fresh filter refusing repetitive sentences, or None to take sentences by rank only."""
        return None

    def summarize(
        self,
        sentences: Sequence[Sentence],
        language: str | None,
        budget: Budget,
        *,
        title: str | None = None,
    ) -> Selection:
        """Choose the best sentences within ``budget`` and return them in article order.

        ``title`` is the article's headline where known; methods that have no use for it
        ignore it."""
        if not sentences:
            return Selection(())
        scores = self.scores(sentences, language)
        if len(scores) != len(sentences):
            raise RuntimeError(
                f"summarizer {self.name!r} gave {len(scores)} scores for {len(sentences)} sentences"
            )
        redundancy = self.redundancy_filter(sentences, language)
        return select(sentences, rank(scores), budget, redundancy)

    def summarize_each(
        self,
        sentences: Sequence[Sentence],
        language: str | None,
        budgets: Sequence[Budget],
        *,
        title: str | None = None,
    ) -> tuple[Selection, ...]:
        """:meth:`summarize` for each of ``budgets``, in their order.

        The same selections as one call per budget; a method whose ranking does not depend on
        the budget overrides it to rank once (the reader stores two default summaries of
        every article it takes in)."""
        return tuple(self.summarize(sentences, language, b, title=title) for b in budgets)
