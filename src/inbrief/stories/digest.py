"""A story's short summary, drawn from all its articles: no sentence said twice.

Each article of the story is summarized as the ``news`` summarizer summarizes it alone: its
sentences scored by the shipped model, and its own selection (:func:`~inbrief.summarizers.news
.selection.choose`, with its rules: no bylines or captions, quotations whole, no sentence that
leans on a skipped one) offers :data:`PER_ARTICLE` candidates.  The candidates of all articles
are then ranked together by the model's score (log-odds, comparable across articles), and taken
best first, skipping any that repeats a sentence already taken: one whose content-word stems are
at least :data:`SAME_SENTENCE` contained in the other's (the wire copy's sentence that another
outlet republished, or shortened).  Each sentence keeps its article, its index in the article's
sentences (the reader's ``#s-N`` anchor) and its offsets in the article's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from inbrief import summarizers
from inbrief.models import Budget, Sentence
from inbrief.pipeline import MAX_SUMMARIZED_SENTENCES
from inbrief.store import StoredArticle
from inbrief.summarizers.news import News
from inbrief.summarizers.news.features import featurize
from inbrief.summarizers.news.selection import choose
from inbrief.text import normalize_language, split_sentences, terms

PER_ARTICLE = 3
"""Sentences each article offers to the story's summary."""

STORY_SENTENCES = 3
"""Sentences in a story's summary."""

SAME_SENTENCE = 0.6
"""Share of the shorter sentence's content-word stems found in the other at which two sentences
say the same thing."""


@dataclass(frozen=True)
class DigestSentence:
    """One sentence of a story's summary: ``text == article.text[start:end]`` of the article
    ``article_id``, which is sentence ``index`` of that article."""

    article_id: int
    index: int
    start: int
    end: int
    text: str
    score: float


@dataclass(frozen=True)
class _Offer:
    """A sentence an article offers, before it is known which story it is in."""

    sentence: Sentence
    score: float
    stems: frozenset[str]


# Every request for a day's page digests the same articles again: each is scored once.
@lru_cache(maxsize=2048)
def _offers(text: str, title: str | None, given: str | None) -> tuple[_Offer, ...]:
    # Split exactly as the article page splits (its #s-N anchors are these indexes).
    sentences = split_sentences(text, given)[:MAX_SUMMARIZED_SENTENCES]
    language = normalize_language(given)
    if not sentences:
        return ()
    features = featurize([s.text for s in sentences], language)
    summarizer = summarizers.get("news")
    if not isinstance(summarizer, News):  # the registry maps "news" to News
        raise TypeError(f"the news summarizer is a {type(summarizer).__name__}")
    scores = summarizer.model.for_language(language).scores(features)
    chosen = choose(
        sentences, scores, features, Budget("sentences", PER_ARTICLE), language, title=title
    )
    return tuple(
        # A sentence of stop words alone is compared by its words as they stand.
        _Offer(
            s,
            round(float(scores[s.index]), 6),
            frozenset(terms(s.text, language) or s.text.lower().split()),
        )
        for s in chosen.sentences
    )


def repeats(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sentences' stems say the same thing (see :data:`SAME_SENTENCE`)."""
    if not a or not b:
        return a == b
    return len(a & b) / min(len(a), len(b)) >= SAME_SENTENCE


def digest(
    articles: Sequence[StoredArticle], sentences: int = STORY_SENTENCES
) -> tuple[DigestSentence, ...]:
    """The story's summary: its best ``sentences`` across ``articles``, none repeating another
    (see the module's notes).  The article of the best sentence comes first, then the article
    of the best among the rest; an article's sentences keep their order in it."""
    pool = [
        (offer, order, stored.id)
        for order, stored in enumerate(articles)
        for offer in _offers(stored.article.text, stored.article.title, stored.article.language)
    ]
    pool.sort(key=lambda entry: (-entry[0].score, entry[1], entry[0].sentence.index))
    taken: list[tuple[_Offer, int, int]] = []
    for entry in pool:
        if len(taken) == sentences:
            break
        if not any(repeats(entry[0].stems, other[0].stems) for other in taken):
            taken.append(entry)
    rank: dict[int, int] = {}
    for _, order, _ in taken:
        rank.setdefault(order, len(rank))
    taken.sort(key=lambda entry: (rank[entry[1]], entry[0].sentence.index))
    return tuple(
        DigestSentence(article_id, s.index, s.start, s.end, s.text, offer.score)
        for offer, _, article_id in taken
        for s in (offer.sentence,)
    )
