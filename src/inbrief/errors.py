"""One exception hierarchy: callers catch :class:`InbriefError` and know what they get.

Every message is written for the person running inbrief: it names the source and says what
to do, so the CLI can print it as one line and the API can return it as a problem response.
"""

from __future__ import annotations


class InbriefError(Exception):
    """Base class of every error inbrief raises on purpose."""


class SourceError(InbriefError):
    """The source cannot be read: a missing file, a directory, stdin closed, too large."""


class FetchError(InbriefError):
    """A URL could not be fetched: refused, timed out, bad status, wrong content type."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class DecodeError(SourceError):
    """The bytes are not text in any encoding we can trust (binary file, invalid UTF-8)."""


class ExtractError(InbriefError):
    """The page holds no article text we can find (empty page, only navigation)."""


class BudgetError(InbriefError, ValueError):
    """A summary budget is invalid: zero, negative, or several budgets at once."""


class MethodError(InbriefError, ValueError):
    """No summarizer is registered under that name."""


class FeedError(InbriefError):
    """A feed document cannot be used: not RSS or Atom, or malformed beyond use."""


class StoreError(InbriefError):
    """The database cannot be used: a bad URL, an unreachable server, an unwritable path."""


class BatchError(InbriefError):
    """A batch cannot start: no input matches, an unreadable output, a missing engine."""
