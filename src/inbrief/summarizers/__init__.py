"""Summarizers behind one interface, found by name: ``get("news")``.

Methods: ``lead`` (first sentences), ``textrank`` and ``lexrank`` (the classic graph baselines),
``centrality`` (position-aware directed centrality, the best method without training data) and
``learned`` (a logistic regression over cheap sentence features, fitted on CNN/DailyMail and
OrangeSum, with news-aware selection).  ``news`` is not a method of its own: it names the
default, so callers never change when a better method lands.

    summarizer = get("news")
    selection = summarizer.summarize(sentences, language, Budget.from_options(words=60))
"""

from __future__ import annotations

# Importing a method's module registers it.
from inbrief.summarizers import centrality, lead, learned, lexrank, textrank  # noqa: F401
from inbrief.summarizers.base import RedundancyFilter, Selection, Summarizer, TrigramBlocking
from inbrief.summarizers.registry import (
    DEFAULT_NAME,
    default_method,
    get,
    names,
    register,
    set_default,
)

__all__ = [
    "DEFAULT_NAME",
    "RedundancyFilter",
    "Selection",
    "Summarizer",
    "TrigramBlocking",
    "default_method",
    "get",
    "names",
    "register",
    "set_default",
]

# The best measured method: bench/train_news.py reports its cross-validated ROUGE against Lead-N.
set_default(learned.Learned.name)
