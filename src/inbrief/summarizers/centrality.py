"""Centrality: position-aware directed centrality for news (after PacSum, Zheng & Lapata 2019).

PacSum's observation: in news, a sentence that many *later* sentences echo is a summary sentence
(it introduces what the article goes on to develop), while one that mostly echoes *earlier*
sentences is elaboration.  A sentence's score is therefore its TF-IDF cosine similarity to the
sentences after it, minus its similarity to those before it, scaled to at most 1 in magnitude,
plus a position prior that decays slowly over the article.

Tuned on the CNN/DailyMail dev file (3 sentences, ROUGE-1 F) with two-fold cross-validation
over the penalty for earlier echoes (0 to 2), the prior's weight (0.5 to 2) and its decay (8 to
40 sentences); PacSum's edge threshold (beta) was best at 0, i.e. no threshold.  The README
gives its scores beside Lead-3's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from inbrief.models import Sentence
from inbrief.summarizers.base import Summarizer
from inbrief.summarizers.matrix import TermMatrix
from inbrief.summarizers.registry import register


@register
class Centrality(Summarizer):
    """Directed TF-IDF centrality blended with a position prior: unsupervised, any language."""

    name = "centrality"
    version = "1"
    # Weight of the similarity to earlier sentences, against 1 for later ones (PacSum's
    # lambda1 / lambda2; the tuning plateau spans -1.5 to -1).
    earlier_weight = -1.0
    # The position prior, prior_weight * exp(-index / prior_decay); a weight above 1 lets the
    # opening sentence win unless another is clearly more central.
    prior_weight = 1.25
    prior_decay = 20.0

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> np.ndarray:
        """Directed centrality plus position prior for each sentence."""
        n = len(sentences)
        prior = self.prior_weight * np.exp(-np.arange(n) / self.prior_decay)
        if n < 3:
            return prior
        matrix = TermMatrix.build(sentences, language)
        similarity = matrix.cosine(matrix.tfidf())
        # Similarity is symmetric: row sums of the upper triangle are echoes from later
        # sentences, its column sums echoes from earlier ones.
        upper = np.triu(similarity, 1)
        centrality = upper.sum(axis=1) + self.earlier_weight * upper.sum(axis=0)
        scale = np.abs(centrality).max()
        if scale > 0:
            centrality /= scale
        return centrality + prior
