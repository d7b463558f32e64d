"""inbrief: extract news articles and summarize them faithfully.

    >>> import inbrief
    >>> summary = inbrief.summarize("https://example.org/news/story.html", sentences=3)
    >>> for sentence in summary.sentences:
    ...     print(sentence.index, sentence.text)

Every error inbrief raises on purpose is an :class:`InbriefError`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

try:
    __version__ = _version("inbrief")
except _PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

from inbrief.errors import (
    BudgetError,
    DecodeError,
    ExtractError,
    FetchError,
    InbriefError,
    MethodError,
    SourceError,
    StoreError,
    URLRefused,
)
from inbrief.models import Article, Budget, Document, Sentence, Summary
from inbrief.pipeline import extract, summarize, summarize_article

__all__ = [
    "Article",
    "Budget",
    "BudgetError",
    "DecodeError",
    "Document",
    "ExtractError",
    "FetchError",
    "InbriefError",
    "MethodError",
    "Sentence",
    "SourceError",
    "StoreError",
    "Summary",
    "URLRefused",
    "__version__",
    "extract",
    "summarize",
    "summarize_article",
]
