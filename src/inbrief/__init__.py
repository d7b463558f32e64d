"""inbrief: extract news articles and summarize them faithfully.

    >>> import inbrief
    >>> summary = inbrief.summarize("https://example.org/news/story.html", sentences=3)
    >>> for sentence in summary.sentences:
    ...     print(sentence.index, sentence.text)

Every error inbrief raises on purpose is an :class:`InbriefError`.
"""

from __future__ import annotations

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


def __getattr__(name: str) -> str:
    # importlib.metadata costs about a tenth of a second to import (it brings the email
    # package): a command that never asks for the version should not pay for it.
    if name != "__version__":
        raise AttributeError(f"module 'inbrief' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("inbrief")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
