"""Which of a day's articles tell the same story: TF-IDF cosine of their text, plus their titles.

Each article becomes a vector of its content-word stems (:func:`inbrief.text.terms`: stop words
out, Snowball stems, the title read as part of the text), weighted by sublinear term frequency
(``1 + log tf``) times the smoothed inverse document frequency over the day's articles
(``1 + log((1 + N) / (1 + df))``), so the words every article shares say little and a name or
number two articles share says much.  The document frequencies count the day's articles, a
*background* of the reader's earlier ones, and the demo corpus that ships with inbrief (83
articles in five languages, :func:`reference`): over a day of five articles alone, "said" would
weigh as much as "Varnholm", and the same two reports would score lower on a quiet day, or in a
new reader, than on a busy one.  Two articles' similarity is the cosine of their vectors plus
:data:`TITLE_WEIGHT` times the overlap of their titles' stems (Jaccard).  Articles in different
languages are never one story.

Stories are grown by average-link agglomerative clustering: start with every article alone,
and repeatedly join the two stories whose articles are most similar on average, while that
average is at least :data:`THRESHOLD`.  Average link, unlike single link, does not chain
one protest's report to another's through a third that mentions both.  Ties go to the earliest
articles, so the same articles always give the same stories.  ``bench/story_clusters.py``
measures the threshold on a labelled set (figures in ``docs/today.md``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from inbrief.models import Article
from inbrief.text import normalize_language, terms

THRESHOLD = 0.3
"""Average similarity at which two groups of articles are one story (chosen on the labelled
set of ``bench/story_clusters.py``; see ``docs/today.md``)."""

TITLE_WEIGHT = 0.0
"""How much the titles' overlap (Jaccard of their stems) adds to the text's cosine.  The title
already counts among the text's stems; on the labelled set an extra title term of 0.25 gained
nothing at its best threshold (and cost precision at this one, full texts and teasers alike),
so it is off, kept as a setting for ``bench/story_clusters.py``."""


@dataclass(frozen=True)
class Terms:
    """What clustering compares of one article: its language and its stems."""

    language: str | None
    text: Counter[str]
    title: frozenset[str]

    @classmethod
    def of(cls, article: Article) -> Terms:
        """The stems of ``article``'s title and text."""
        return _terms(article.text, article.title, article.language)


# The page is built on every request from the same articles: their stems are read once.
@lru_cache(maxsize=4096)
def _terms(text: str, title: str | None, language: str | None) -> Terms:
    language = normalize_language(language)
    heading = terms(title or "", language)
    return Terms(language, Counter(heading + terms(text, language)), frozenset(heading))


def similarities(
    documents: Sequence[Terms],
    title_weight: float = TITLE_WEIGHT,
    background: Sequence[Terms] = (),
) -> np.ndarray:
    """The pairwise similarity of ``documents`` (a symmetric matrix, zero on the diagonal);
    ``background`` articles, and :func:`reference`, count in the document frequencies only."""
    n = len(documents)
    if n < 2:
        return np.zeros((n, n))
    frequency = Counter(stem for doc in documents for stem in doc.text)
    others = (*background, *reference())
    everywhere = frequency + Counter(stem for doc in others for stem in doc.text)
    total = n + len(others)
    idf = {stem: 1.0 + math.log((1 + total) / (1 + everywhere[stem])) for stem in frequency}
    # Only stems in two articles or more add to a dot product; the rest count in the norms.
    shared = sorted(stem for stem, df in frequency.items() if df > 1)
    column = {stem: j for j, stem in enumerate(shared)}
    vectors = np.zeros((n, len(shared)))
    for i, doc in enumerate(documents):
        weights = {s: (1.0 + math.log(tf)) * idf[s] for s, tf in doc.text.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for stem, weight in weights.items():
            if stem in column:
                vectors[i, column[stem]] = weight / norm
    similarity = vectors @ vectors.T
    if title_weight:
        titles = [[_jaccard(a.title, b.title) for b in documents] for a in documents]
        similarity = similarity + title_weight * np.array(titles)
    languages = [doc.language for doc in documents]
    same_language = np.array([[a == b for b in languages] for a in languages])
    similarity = np.where(same_language, similarity, 0.0)
    np.fill_diagonal(similarity, 0.0)
    return np.asarray(similarity)


@lru_cache(maxsize=1)
def reference() -> tuple[Terms, ...]:
    """The bundled demo corpus's stems: a background every day's word weights share."""
    from inbrief.ingest import demo_articles  # ingest imports the pipeline: load it on use

    return tuple(Terms.of(article) for article in demo_articles())


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def average_link(similarity: np.ndarray, threshold: float = THRESHOLD) -> list[list[int]]:
    """Groups of positions, joined while two groups' mean pairwise similarity is at least
    ``threshold``; each group sorted, groups by their first position."""
    n = similarity.shape[0]
    sums = similarity.astype(np.float64).copy()
    sizes = np.ones(n)
    members: list[list[int]] = [[i] for i in range(n)]
    active = np.ones(n, dtype=bool)
    while active.sum() > 1:
        mean = sums / np.outer(sizes, sizes)
        usable = np.outer(active, active)
        np.fill_diagonal(usable, False)
        mean[~usable] = -np.inf
        # argmax takes the first maximum: the pair of earliest groups wins a tie.
        i, j = np.unravel_index(int(np.argmax(mean)), mean.shape)
        if mean[i, j] < threshold:
            break
        keep, gone = min(i, j), max(i, j)
        sums[keep, :] += sums[gone, :]
        sums[:, keep] += sums[:, gone]
        sizes[keep] += sizes[gone]
        active[gone] = False
        members[keep] += members[gone]
    groups = [sorted(members[i]) for i in range(n) if active[i]]
    return sorted(groups, key=lambda group: group[0])


def cluster(
    articles: Sequence[Article],
    background: Sequence[Article] = (),
    *,
    threshold: float = THRESHOLD,
    title_weight: float = TITLE_WEIGHT,
) -> list[list[int]]:
    """The stories among ``articles``: groups of their positions (see the module's notes).

    ``background`` (earlier articles) only steadies the document frequencies."""
    documents = [Terms.of(article) for article in articles]
    others = [Terms.of(article) for article in background]
    return average_link(similarities(documents, title_weight, others), threshold)
