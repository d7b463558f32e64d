"""One exception hierarchy: callers catch :class:`InbriefError` and know what they get.

Every message is written for the person running inbrief: it names the source and says what
to do, so the CLI can print it as one line and the API can return it as a problem response.
"""

from __future__ import annotations

from typing import Any


class InbriefError(Exception):
    """Base class of every error inbrief raises on purpose."""


class SourceError(InbriefError):
    """The source cannot be read: a missing file, a directory, stdin closed, too large."""


class FetchError(InbriefError):
    """A URL could not be fetched: refused, timed out, bad status, wrong content type."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class AddressRefused(FetchError):
    """The address guard refused a connection (internal to :mod:`inbrief.fetch`).

    Raised inside the network backend, which knows the address but not the URL being fetched;
    :func:`~inbrief.fetch.fetch_response` re-raises it as a plain :class:`FetchError` that names
    the URL, so its callers never see this class. :func:`~inbrief.fetch.check_destination`
    raises it directly.
    """


class DecodeError(SourceError):
    """The bytes are not text in any encoding we can trust (binary file, invalid UTF-8)."""


class ExtractError(InbriefError):
    """The page holds no article text we can find (empty page, only navigation)."""


class BudgetError(InbriefError, ValueError):
    """A summary budget is invalid: zero, negative, or several budgets at once."""


class MethodError(InbriefError, ValueError):
    """No summarizer is registered under that name."""


class ModelError(InbriefError):
    """A summarizer's weights file is missing, unreadable, or does not fit this version."""


class FeedError(InbriefError):
    """A feed document cannot be used: not RSS or Atom, or malformed beyond use."""


class StoreError(InbriefError):
    """The database cannot be used: a bad URL, an unreachable server, an unwritable path."""


class SettingsError(InbriefError):
    """A setting of the web service is invalid (a bad environment variable, for example)."""


class BatchError(InbriefError):
    """A batch cannot start: no input matches, an unreadable output, a missing engine."""


class BatchInterrupted(BatchError):
    """The batch was stopped (Ctrl-C); what was written stays, and a re-run resumes.

    ``report`` is the :class:`inbrief.batch.BatchReport` as of the stop (typed loosely: this
    module imports nothing of inbrief, so that every module can import it).
    """

    def __init__(self, message: str, report: Any) -> None:
        super().__init__(message)
        self.report = report


def internal_error(exc: BaseException, *, detail: bool = True) -> str:
    """The one-line message for a failure that is inbrief's bug, not the input's.

    Every interface catches what is not an :class:`InbriefError` around each unit of work (a
    source, a batch row, a feed, a request), so one bad input never takes the others down nor
    shows a traceback; this is the line it reports.  ``detail=False`` leaves out the exception's
    own message, for answers that leave the machine (the web API).
    """
    what = f"{type(exc).__name__}: {exc}" if detail else type(exc).__name__
    return f"internal error ({what}); please report it"
