"""LexRank (Erkan & Radev 2004): eigenvector centrality over a TF-IDF cosine graph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from inbrief.models import Sentence
from inbrief.summarizers.base import Summarizer
from inbrief.summarizers.matrix import TermMatrix, pagerank
from inbrief.summarizers.registry import register


@register
class LexRank(Summarizer):
    """Sentences similar to many others are central; edges are cosine similarities above a
    threshold, as in the paper's thresholded LexRank (0.1, the paper's best on DUC 2004)."""

    name = "lexrank"
    version = "1"
    threshold = 0.1
    damping = 0.85

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> np.ndarray:
        """Stationary score of each sentence in the thresholded similarity graph."""
        matrix = TermMatrix.build(sentences, language)
        similarity = matrix.cosine(matrix.tfidf())
        edges = (similarity > self.threshold).astype(np.float64)
        return pagerank(edges, self.damping)
