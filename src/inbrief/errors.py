"""One exception hierarchy: callers catch :class:`InbriefError` and know what they get.

Every message is written for the person running inbrief: it names the source and says what
to do, so the CLI can print it as one line and the API can return it as a problem response.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class InbriefError(Exception):
    """Base class of every error inbrief raises on purpose."""


class SourceError(InbriefError):
    """The source cannot be read: a missing file, a directory, stdin closed, too large."""


class FetchError(InbriefError):
    """A URL could not be fetched: refused, unreachable, timed out, bad status, wrong content
    type. ``status`` is the HTTP status the server answered, when that was the failure;
    ``retry_after`` its ``Retry-After`` header, when it sent one (a 429 or 503)."""

    def __init__(
        self, message: str, *, status: int | None = None, retry_after: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class URLRefused(FetchError):
    """inbrief will not fetch this URL: not http(s), too long, a control character or an invalid
    host in it, or a private address or a port it does not reach, whether given or reached
    by a redirect (the policy is in :mod:`inbrief.fetch`).

    The caller's to change, where any other :class:`FetchError` is the remote site's failure:
    the web API answers 422 for this one and 502 for those. Its message starts ``refused:``
    or ``cannot fetch``.
    """


class AddressRefused(URLRefused):
    """The address guard refused a connection (internal to :mod:`inbrief.fetch`).

    Raised inside the network backend, which knows the address but not the URL being fetched;
    :func:`~inbrief.fetch.fetch_response` re-raises it as a :class:`URLRefused` that names the
    URL, so its callers never see this class. :func:`~inbrief.fetch.check_destination` raises
    it directly.
    """


class DecodeError(SourceError):
    """The bytes are not text in any encoding we can trust (binary file, invalid UTF-8)."""


class ExtractError(InbriefError):
    """The page holds no article text we can find (empty page, only navigation)."""


class BudgetError(InbriefError, ValueError):
    """A summary budget is invalid: zero, negative, or several budgets at once.

    The message names each budget by its keyword, as Python callers write it (``words must
    be a whole number of at least 1``); ``options`` lists those keywords, and :meth:`naming`
    words the same message with other names for them, as the CLI does with its flags
    (``--words must be ...``).
    """

    def __init__(self, template: str, *options: str) -> None:
        self.template = template
        self.options = options
        super().__init__(self.naming(str))

    def naming(self, name: Callable[[str], str]) -> str:
        """The message with each budget named ``name(keyword)``; ``{}`` in the template
        stand for the options, in order."""
        return self.template.format(*map(name, self.options)) if self.options else self.template


class MethodError(InbriefError, ValueError):
    """No summarizer is registered under that name."""


class ModelError(InbriefError):
    """A summarizer's weights file is missing, unreadable, or does not fit this version."""


class VerifyError(InbriefError):
    """A summary cannot be checked: no summary sentences, or the check's word data (the
    ``llm`` extra) is not installed."""


class LLMError(InbriefError):
    """The language model server could not give a usable answer: not configured, down, too
    slow, or talking nonsense.  Written summaries fall back to the extractive one on it."""


class LLMBusy(LLMError):
    """Too many written summaries are waiting for the model already; ``retry_after`` says in
    how many seconds to ask again."""

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FeedError(InbriefError):
    """A feed document cannot be used: not RSS or Atom, or malformed beyond use."""


class OPMLError(FeedError):
    """An OPML file inbrief cannot read at all; nothing of it is imported."""


class OPMLTooLarge(OPMLError):
    """The OPML file is larger than :data:`inbrief.feeds.opml.MAX_OPML_BYTES` (the web
    service answers 413)."""


class StoreError(InbriefError):
    """The database cannot be used: a bad URL, an unreachable server, an unwritable path."""


class SettingsError(InbriefError):
    """A setting of the web service is invalid (a bad environment variable, for example)."""


class BatchError(InbriefError):
    """A batch cannot start: no input matches, an unreadable output, a missing engine."""


class BatchOptionError(BatchError, ValueError):
    """A batch's options cannot work: ``--out`` not .jsonl/.parquet, ``--jobs 0``, no content
    column, an input of unknown format or that is also the output (the CLI's usage error)."""


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
