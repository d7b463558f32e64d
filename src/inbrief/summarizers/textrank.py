"""TextRank (Mihalcea & Tarau 2004): PageRank over a word-overlap sentence graph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from inbrief.models import Sentence
from inbrief.summarizers.base import Summarizer
from inbrief.summarizers.matrix import TermMatrix, pagerank
from inbrief.summarizers.registry import register


@register
class TextRank(Summarizer):
    """Sentences recommended by many similar sentences rank high.

    Similarity is the paper's: shared terms divided by ``log|Si| + log|Sj|``, so long sentences
    do not win by length alone.  Terms are content-word stems, as in sumy's implementation.
    """

    name = "textrank"
    version = "1"
    damping = 0.85

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> np.ndarray:
        """PageRank score of each sentence in the overlap graph."""
        matrix = TermMatrix.build(sentences, language)
        overlap = matrix.gram(np.ones_like(matrix.counts))
        log_length = np.log(np.maximum(matrix.lengths, 1).astype(np.float64))
        normaliser = log_length[:, None] + log_length[None, :]
        # Two one-term sentences have log 1 + log 1 = 0: count their overlap as is.
        weights = np.divide(overlap, normaliser, out=overlap.copy(), where=normaliser > 0)
        np.fill_diagonal(weights, 0.0)
        return pagerank(weights, self.damping)
