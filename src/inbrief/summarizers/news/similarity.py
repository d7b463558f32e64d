"""TF-IDF graph cues of an article's sentences: centrality, lead similarity, redundancy, LexRank.

The sentence x stem matrix is kept as its non-zero entries: a sentence holds a dozen of an
article's few hundred stems, and small dense products go through a multi-threaded BLAS whose
start-up costs more than the arithmetic.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Put = Callable[[str, "np.ndarray | float"], None]
"""Writes one named dense column for every sentence."""


def relative_rank(values: np.ndarray) -> np.ndarray:
    """Rank of each value from the top (0 = largest) divided by the count; ties by index."""
    n = values.shape[0]
    order = np.lexsort((np.arange(n), -values))
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = np.arange(n, dtype=np.float64)
    return ranks / max(n, 1)


def similarity_features(
    put: Put, n: int, sentence_of_term: np.ndarray, stem_ids: np.ndarray, lengths: np.ndarray
) -> None:
    """Centrality, lead similarity, redundancy, LexRank and topic weight of ``n`` sentences.

    ``sentence_of_term[k]`` is the sentence of the article's k-th content word, ``stem_ids[k]``
    its stem; ``lengths`` are the sentences' token counts.
    """
    if stem_ids.size == 0:
        return
    # One entry per (stem, sentence) pair, sorted by stem, with the stem's count there.
    order = np.lexsort((sentence_of_term, stem_ids))
    stems, sentences = stem_ids[order], sentence_of_term[order]
    new_stem = np.ones(stems.shape[0], dtype=bool)
    new_stem[1:] = stems[1:] != stems[:-1]
    new_entry = new_stem.copy()
    new_entry[1:] |= sentences[1:] != sentences[:-1]
    starts = np.flatnonzero(new_entry)
    counts = np.diff(np.append(starts, stems.shape[0]))
    sentence = sentences[starts]
    term = np.cumsum(new_stem)[starts] - 1
    v = int(term[-1]) + 1
    # In-document IDF: a stem in every sentence says nothing about any of them.
    idf = np.log1p(n / np.bincount(term, minlength=v))
    weight = counts * idf[term]
    norms = np.sqrt(np.bincount(sentence, weight * weight, minlength=n))
    unit = weight / norms[sentence]

    similarity = _pair_sums(sentence, term, unit, n)
    np.fill_diagonal(similarity, 0.0)
    document = np.bincount(term, weight, minlength=v)
    centrality = np.bincount(sentence, unit * document[term], minlength=n) / max(
        float(np.sqrt(document @ document)), 1e-12
    )
    put("centrality", centrality)
    put("centrality_rank", relative_rank(centrality))
    put("centrality_relative", centrality / max(float(centrality.max()), 1e-12))
    put("similarity_first", similarity[:, 0])
    lead = np.bincount(term, weight * (sentence < 3), minlength=v)
    lead_similarity = np.bincount(sentence, unit * lead[term], minlength=n)
    put("similarity_lead3", lead_similarity / max(float(np.sqrt(lead @ lead)), 1e-12))
    put("degree", similarity.sum(axis=1) / max(n - 1, 1))
    if n > 1:
        put("redundancy_earlier", np.tril(similarity, -1).max(axis=1))
        put("redundancy_any", similarity.max(axis=1))

    # LexRank (Erkan & Radev 2004): 0.1 similarity threshold, damping 0.85, power iteration.
    adjacency = (similarity > 0.1).astype(np.float64)
    np.fill_diagonal(adjacency, 1.0)
    transition = adjacency / adjacency.sum(axis=1, keepdims=True)
    lexrank = np.full(n, 1.0 / n)
    for _ in range(20):
        lexrank = 0.15 / n + 0.85 * (lexrank @ transition)
    put("lexrank", lexrank * n)

    # Topic weight: how much the document repeats the sentence's content stems.
    document_tf = np.log1p(np.bincount(term, counts, minlength=v))
    topic = np.bincount(sentence, counts * document_tf[term], minlength=n) / np.maximum(lengths, 1)
    put("topic_weight", topic)
    put("topic_weight_rank", relative_rank(topic))


def _pair_sums(sentence: np.ndarray, term: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """``M @ M.T`` for the sparse matrix ``M[sentence, term] = value``, via same-term pairs.

    Entries must be sorted by ``term``.
    """
    group_size = np.bincount(term)
    group_start = np.cumsum(group_size) - group_size
    size = group_size[term]  # for each entry, how many entries share its stem
    left = np.repeat(np.arange(term.shape[0]), size)
    first_pair = np.cumsum(size) - size
    right = np.repeat(group_start[term] - first_pair, size) + np.arange(left.shape[0])
    products = value[left] * value[right]
    flat = np.bincount(sentence[left] * n + sentence[right], products, minlength=n * n)
    return flat.reshape(n, n)
