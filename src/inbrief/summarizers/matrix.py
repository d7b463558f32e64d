"""One sentence-by-term matrix per article, the input of every graph-based summarizer.

Built once from :func:`inbrief.text.terms` (stems of content words) and kept sparse in
coordinate form; similarity graphs come from one matrix product, never a Python loop over
sentence pairs, which is what makes the graph methods fast enough for batch use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, count

import numpy as np

from inbrief.models import Sentence
from inbrief.text.tokens import terms

# Most sentence pairs sharing a term (summed over terms) handled pair by pair; about 40 bytes each.
# A news article has about 1,000; past the limit (book-length input) dense blocks of at most
# _DENSE_LIMIT cells are multiplied instead, so memory stays bounded either way.
_PAIR_LIMIT = 1_000_000
_DENSE_LIMIT = 2_000_000


@dataclass(frozen=True, eq=False)
class TermMatrix:
    """Term counts of an article's sentences: entry k is ``counts[k]`` of term ``cols[k]``
    in sentence ``rows[k]``; ``lengths`` holds the number of terms in each sentence.

    Entries are ordered by term, then sentence.  Term ids are below ``term_count`` but need
    not all be used.
    """

    rows: np.ndarray
    cols: np.ndarray
    counts: np.ndarray
    lengths: np.ndarray
    sentence_count: int
    term_count: int

    @classmethod
    def build(cls, sentences: Sequence[Sentence], language: str | None) -> TermMatrix:
        """Count the terms of each sentence of one article."""
        per_sentence = [terms(sentence.text, language) for sentence in sentences]
        lengths = np.fromiter(map(len, per_sentence), dtype=np.int64, count=len(per_sentence))
        total = int(lengths.sum())
        # A term's id is the position of its first occurrence: unique without a counter, so
        # the mapping runs in C rather than as a Python loop over every word of the article.
        first_seen: dict[str, int] = {}
        ids = np.fromiter(
            map(first_seen.setdefault, chain.from_iterable(per_sentence), count()),
            dtype=np.int64,
            count=total,
        )
        n = max(len(sentences), 1)
        rows = np.repeat(np.arange(len(sentences), dtype=np.int64), lengths)
        # Keyed term-major, so the entries come out grouped by term, as gram() wants them.
        keys, counts = np.unique(ids * n + rows, return_counts=True)
        return cls(
            rows=keys % n,
            cols=keys // n,
            counts=counts.astype(np.float64),
            lengths=lengths,
            sentence_count=len(sentences),
            term_count=max(total, 1),
        )

    def document_frequency(self) -> np.ndarray:
        """In how many sentences each term occurs."""
        return np.bincount(self.cols, minlength=self.term_count).astype(np.float64)

    def tfidf(self) -> np.ndarray:
        """Entry weights: term count times ``log(sentences / sentences containing the term)``,
        the sentence-level IDF of LexRank (no outside corpus, so any language works)."""
        return self.counts * np.log(self.sentence_count / self.document_frequency()[self.cols])

    def gram(self, values: np.ndarray) -> np.ndarray:
        """``X @ X.T`` for the matrix X holding ``values`` at this matrix's entries."""
        sentences_per_term = np.bincount(self.cols, minlength=self.term_count)
        if int((sentences_per_term**2).sum()) <= _PAIR_LIMIT:
            return self._gram_by_pairs(values, sentences_per_term)
        return self._gram_by_blocks(values)

    def _gram_by_pairs(self, values: np.ndarray, sentences_per_term: np.ndarray) -> np.ndarray:
        # Every pair of entries sharing a term adds the product of their values to the pair of
        # sentences.  An article has few such pairs (about 1,000 for CNN/DailyMail against
        # 35 x 35 x 230 multiply-adds dense), and this avoids BLAS, whose threads cost
        # milliseconds per tiny product on a busy machine.
        n, rows, cols, weights = self.sentence_count, self.rows, self.cols, values
        group_size = sentences_per_term[cols]
        group_start = (np.cumsum(sentences_per_term) - sentences_per_term)[cols]
        left = np.repeat(np.arange(len(cols)), group_size)
        step = np.arange(len(left)) - np.repeat(np.cumsum(group_size) - group_size, group_size)
        right = group_start[left] + step
        product = np.bincount(
            rows[left] * n + rows[right], weights=weights[left] * weights[right], minlength=n * n
        )
        # Sentences without a single term (".", "…") leave no pair, and numpy then counts in
        # integers: keep the float type every caller computes with.
        return product.astype(np.float64, copy=False).reshape(n, n)

    def _gram_by_blocks(self, values: np.ndarray) -> np.ndarray:
        # Book-length input: dense products over column blocks keep memory bounded.
        n, v = self.sentence_count, self.term_count
        product = np.zeros((n, n))
        width = max(1, _DENSE_LIMIT // max(n, 1))
        for first in range(0, v, width):
            inside = (self.cols >= first) & (self.cols < first + width)
            block = np.zeros((n, min(width, v - first)))
            block[self.rows[inside], self.cols[inside] - first] = values[inside]
            product += block @ block.T
        return product

    def cosine(self, values: np.ndarray) -> np.ndarray:
        """Cosine similarity between sentences weighted by ``values`` (0 for an empty sentence)."""
        product = self.gram(values)
        norms = np.sqrt(np.diag(product))
        norms[norms == 0] = 1.0
        return product / np.outer(norms, norms)


def pagerank(weights: np.ndarray, damping: float = 0.85) -> np.ndarray:
    """Stationary scores of a random walk over a weighted graph (PageRank, Brin & Page 1998).

    Solved exactly as one linear system rather than by power iteration: for article-sized graphs
    it is both faster and free of a convergence tolerance.  A sentence with no edges jumps
    uniformly, as in the original formulation.
    """
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out_weight = weights.sum(axis=1, keepdims=True)
    dangling = out_weight[:, 0] == 0
    transition = np.divide(
        weights, out_weight, out=np.zeros_like(weights), where=~dangling[:, None]
    )
    transition[dangling] = 1.0 / n
    system = np.eye(n) - damping * transition.T
    scores = np.linalg.solve(system, np.full(n, (1.0 - damping) / n))
    return np.asarray(scores / scores.sum())
