"""Summarizers behind one interface, found by name: ``get("news")``.

Methods: ``news``, the default (a logistic regression over cheap sentence features, fitted on
CNN/DailyMail and OrangeSum, with news-aware selection: :mod:`inbrief.summarizers.news`),
``lead`` (first sentences), ``textrank`` and ``lexrank`` (the classic graph baselines) and
``centrality`` (position-aware directed centrality, the best method without training data).

    summarizer = get("news")
    selection = summarizer.summarize(sentences, language, Budget.from_options(words=60))
"""

from __future__ import annotations

# Importing a method's module registers it.
from inbrief.summarizers import centrality, lead, lexrank, llm, news, textrank  # noqa: F401
from inbrief.summarizers.base import RedundancyFilter, Selection, Summarizer, TrigramBlocking
from inbrief.summarizers.registry import DEFAULT_NAME, get, names, register

__all__ = [
    "DEFAULT_NAME",
    "RedundancyFilter",
    "Selection",
    "Summarizer",
    "TrigramBlocking",
    "get",
    "names",
    "register",
]
