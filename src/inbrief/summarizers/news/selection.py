"""News-aware selection: what the ``news`` model scores, fitted to a budget with the news rules.

* by score, ties to the earlier sentence, with trigram blocking against repetition;
* never a byline, time stamp, photo caption or credit, scraped code or subheading;
* a quotation split over several sentences is taken whole or not at all, so a quote is never
  shown without the sentence that says who spoke.

The budget step itself is the one every summarizer shares,
:func:`inbrief.summarizers.base.select_groups`; this module only says which candidates there
are (single sentences and whole quotations) and in what order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from inbrief.models import Budget, Sentence
from inbrief.summarizers.base import Selection, TrigramBlocking, select_groups
from inbrief.summarizers.news.features import ArticleFeatures
from inbrief.summarizers.news.rules import headings

MAX_QUOTE_SENTENCES = 3
"""A quotation running over more sentences than this is left out of summaries entirely."""


def candidates(
    features: ArticleFeatures, scores: np.ndarray, excluded: np.ndarray
) -> list[tuple[int, ...]]:
    """Sentences and whole quotations that may be chosen, best first (ties to the earlier).

    A quotation scores the mean of its sentences.  A sentence inside a quotation is no
    candidate of its own, except the opening one when it names the speaker before the quote
    opens; ``excluded`` sentences are never candidates, nor any quotation holding one.
    """
    alone = ~excluded
    groups: list[tuple[int, ...]] = []
    for span in features.quotes:
        # Sentences after the opening one continue someone's words: never alone.
        alone[span.first : span.last + 1] = False
        # The opener may stand alone only when it names the speaker before the quote opens.
        alone[span.first] = span.attributed_first and not excluded[span.first]
        size = span.last - span.first + 1
        members = tuple(range(span.first, span.last + 1))
        if size <= MAX_QUOTE_SENTENCES and not excluded[list(members)].any():
            groups.append(members)
    ranked: list[tuple[tuple[int, ...], float]] = [
        ((i,), float(scores[i])) for i in range(features.size) if alone[i]
    ]
    ranked += [(members, float(scores[list(members)].mean())) for members in groups]
    ranked.sort(key=lambda unit: (-unit[1], unit[0][0], len(unit[0])))
    return [members for members, _ in ranked]


def choose(
    sentences: Sequence[Sentence],
    scores: np.ndarray,
    features: ArticleFeatures,
    budget: Budget,
) -> Selection:
    """Best-scoring sentences within ``budget``, in article order, news rules applied."""
    texts = [s.text for s in sentences]
    excluded = features.boilerplate | headings(texts, features.token_counts)
    ranked = candidates(features, scores, excluded)
    if not ranked:
        # Nothing but furniture: still never return nothing for a non-empty article.
        ranked = [(int(np.lexsort((np.arange(len(scores)), -scores))[0]),)]
    return select_groups(sentences, ranked, budget, TrigramBlocking(features.tokens))
