"""The ``news`` summarizer, inbrief's default: a logistic regression over cheap sentence features.

Each sentence is scored by a linear model (:mod:`.model`) over :mod:`.features`: dense cues
(position, length, centrality, lead similarity, redundancy, ...) plus hashed word unigrams,
bigrams and position-bucket x word pairs.  The weights were fitted on CNN/DailyMail and
OrangeSum with greedy-oracle labels by ``bench/train_news.py`` and ship in
``inbrief/data/news_model.npz``.  Selection (:mod:`.selection`) applies the news rules
(:mod:`.rules`, :mod:`.quotes`, :mod:`.references`): no furniture, quotations whole or not at
all, no sentence leaning on a skipped one, none in another language than the article's.

    summarizer = News()                          # the shipped weights, loaded on first use
    retrained = News("build/news_model.npz")     # another weights file
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from inbrief.models import Budget, Sentence
from inbrief.summarizers.base import Selection, Summarizer
from inbrief.summarizers.news.features import featurize
from inbrief.summarizers.news.model import NewsModel, read_model, shipped_model
from inbrief.summarizers.news.selection import choose_each
from inbrief.summarizers.registry import register
from inbrief.summarizers.training import TrainingRecord

__all__ = ["News"]


@register
class News(Summarizer):
    """Logistic regression over position, centrality and word features; news-aware selection."""

    name = "news"
    # Its name in inbrief 0.1 (the CLI's help listed it, and JSON said "method": "learned"):
    # commands and API calls written then keep working.
    aliases = ("learned",)
    # Part of the summary cache key, beside the weights' digest: bump it with every change of
    # the features or the selection rules.
    version = "6"

    def __init__(self, model: NewsModel | str | Path | None = None) -> None:
        """Score with ``model``: loaded weights, the path of a weights file, or None for the
        weights that ship with inbrief (loaded on first use).  Raises ModelError for a file
        that cannot be used."""
        self._model = read_model(model) if isinstance(model, str | Path) else model

    @property
    def model(self) -> NewsModel:
        """The weights in use."""
        if self._model is None:
            self._model = shipped_model()
        return self._model

    @property
    def model_digest(self) -> str:
        """SHA-256 of the weights in use (:func:`~.model.weights_digest`)."""
        return self.model.digest

    @property
    def training(self) -> TrainingRecord:
        """What the weights in use were fitted on and with."""
        return self.model.training

    def scores(self, sentences: Sequence[Sentence], language: str | None) -> list[float]:
        """Log-odds of each sentence being in a good summary."""
        if not sentences:
            return []
        features = featurize([s.text for s in sentences], language)
        return self.model.for_language(language).scores(features).tolist()

    def summarize(
        self,
        sentences: Sequence[Sentence],
        language: str | None,
        budget: Budget,
        *,
        title: str | None = None,
    ) -> Selection:
        """Choose the best sentences within ``budget`` with the news rules, in article order;
        an opening sentence that carries the ``title``'s news is kept."""
        return self.summarize_each(sentences, language, (budget,), title=title)[0]

    def summarize_each(
        self,
        sentences: Sequence[Sentence],
        language: str | None,
        budgets: Sequence[Budget],
        *,
        title: str | None = None,
    ) -> tuple[Selection, ...]:
        """:meth:`summarize` for each of ``budgets``: the features and scores do not depend on
        the budget, so they are computed once."""
        if not sentences:
            return tuple(Selection(()) for _ in budgets)
        features = featurize([s.text for s in sentences], language)
        scores = self.model.for_language(language).scores(features)
        return choose_each(sentences, scores, features, budgets, language, title=title)
