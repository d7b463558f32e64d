"""Lead: the article's first sentences, the classic and strong baseline for news."""

from __future__ import annotations

from collections.abc import Sequence

from inbrief.models import Sentence
from inbrief.summarizers.base import Summarizer
from inbrief.summarizers.registry import register


@register
class Lead(Summarizer):
    """Rank sentences by position: news is written with the most important facts first."""

    name = "lead"
    version = "1"

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> list[float]:
        """Earlier sentences score higher."""
        return [-float(position) for position in range(len(sentences))]
