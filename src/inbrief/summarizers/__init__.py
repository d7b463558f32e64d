"""Summarizers behind one interface, found by name: ``get("news")``.

Methods: ``lead`` (first sentences), ``textrank`` and ``lexrank`` (the classic graph baselines),
and ``centrality`` (position-aware directed centrality, tuned for news).  ``news`` is not a
method of its own: it names the default, so callers never change when a better method lands.

    summarizer = get("news")
    selection = summarizer.summarize(sentences, language, Budget.from_options(words=60))
"""

from __future__ import annotations

# Importing a method's module registers it.
from inbrief.summarizers import centrality, lead, lexrank, textrank  # noqa: F401
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

# The best method that needs no training data.  When the learned model lands: import its module
# above and make it the default here (a one-line change; every caller of "news" follows).
set_default(centrality.Centrality.name)
