"""The one interface every summarizer implements, and the selection step they share.

Contract (the pipeline relies on it; helpers may refine internals, not this):

    summarizer = inbrief.summarizers.get("news")
    selection = summarizer.summarize(sentences, language, budget)
    selection.sentences   # chosen Sentence objects, in article order
    selection.over_budget # True only if the first chosen sentence alone exceeds a word/char budget
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from inbrief.models import Budget, Sentence


@dataclass(frozen=True)
class Selection:
    """The sentences a summarizer chose, in article order."""

    sentences: tuple[Sentence, ...]
    over_budget: bool = False


class Summarizer(ABC):
    """Rank the sentences of one article; the shared :meth:`summarize` fits them to a budget."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"

    @abstractmethod
    def scores(self, sentences: Sequence[Sentence], language: str | None) -> Sequence[float]:
        """One score per sentence, higher is more summary-worthy."""

    def summarize(
        self, sentences: Sequence[Sentence], language: str | None, budget: Budget
    ) -> Selection:
        """Choose the best sentences within ``budget`` and return them in article order."""
        raise NotImplementedError
