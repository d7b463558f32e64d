"""When a feed is next due: its interval, a deterministic jitter, back-off while it fails, and
the waits its server asks for (``Retry-After``, ``Cache-Control: max-age``).

    schedule = Schedule(interval=parse_duration("15m"))
    schedule.next_poll(url, polled_at, failures=0, max_age=parse_max_age("max-age=3600"))

Pure arithmetic on the clock it is handed: no I/O, no clock of its own, so every rule is a
plain function of its inputs.
"""

from __future__ import annotations

import email.utils
import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DEFAULT_INTERVAL = 15 * 60.0
"""Seconds between two polls of a feed, unless the feed or ``INBRIEF_POLL_INTERVAL`` says
otherwise: news sites update a few times an hour at most, and most ask for no more."""
JITTER = 0.1
"""Up to this fraction of the wait is added, so that feeds added together (an OPML import, a
restart) spread out instead of being fetched in one burst for ever after."""
MAX_BACKOFF = 24 * 3600.0
"""A failing feed waits twice as long after each failure, up to a day (or its interval, when
that is longer): a feed down for a week costs a few requests, and comes back within a day."""
MAX_SERVER_WAIT = 7 * 24 * 3600.0
"""A ``Retry-After`` or ``max-age`` past a week is read as a week: a mistyped header must not
silence a feed for good."""

_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0}
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)


def parse_duration(text: str) -> float:
    """Seconds in ``30s``, ``15m``, ``2h``, ``0.2s`` (a bare number is minutes, as ``--every``).

    Raises :class:`ValueError` with a message naming the accepted forms.
    """
    raw = text.strip().lower()
    value, unit = (raw[:-1], raw[-1]) if raw[-1:] in _UNITS else (raw, "m")
    try:
        seconds = float(value) * _UNITS[unit]
    except ValueError:
        seconds = math.nan
    if not 0 < seconds < math.inf:
        raise ValueError(f"a duration looks like 30s, 15m or 2h, not {text!r}")
    return seconds


def format_duration(seconds: float) -> str:
    """``seconds`` the way :func:`parse_duration` reads it back: ``15m``, ``2h``, ``0.2s``."""
    for unit, size in (("h", 3600.0), ("m", 60.0)):
        if seconds >= size and (seconds / size).is_integer():
            return f"{seconds / size:g}{unit}"
    return f"{seconds:g}s"


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds from ``now`` that a ``Retry-After`` header asks to wait: a number of seconds or
    an HTTP date (RFC 9110 10.2.3); ``None`` when absent or unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if text.isascii() and text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # an HTTP date is always GMT, even when written without a zone
        when = when.replace(tzinfo=UTC)
    return max((when - now).total_seconds(), 0.0)


def parse_max_age(cache_control: str | None) -> float | None:
    """The ``max-age`` of a ``Cache-Control`` header in seconds, or ``None``."""
    if not cache_control:
        return None
    match = _MAX_AGE.search(cache_control)
    return float(match.group(1)) if match else None


def jitter_fraction(url: str, polled_at: datetime) -> float:
    """A number in [0, 1) fixed by the feed and the poll time: the same inputs always give the
    same schedule, yet feeds polled together drift apart."""
    digest = hashlib.sha256(f"{url}\n{polled_at.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass(frozen=True)
class Schedule:
    """How often feeds are polled: ``interval`` seconds by default (a feed may have its own),
    stretched by up to ``jitter`` of itself, doubled per failure up to ``max_backoff``."""

    interval: float = DEFAULT_INTERVAL
    jitter: float = JITTER
    max_backoff: float = MAX_BACKOFF

    def __post_init__(self) -> None:
        if not 0 < self.interval < math.inf:
            raise ValueError(f"a poll interval must be a positive number of seconds: {self}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"jitter is a fraction from 0 to 1: {self}")

    def wait(
        self,
        url: str,
        polled_at: datetime,
        *,
        failures: int = 0,
        interval: float | None = None,
        retry_after: float | None = None,
        max_age: float | None = None,
    ) -> float:
        """Seconds from ``polled_at`` to the next poll of the feed at ``url``.

        ``failures`` counts the polls in a row that failed, this one included; ``interval`` is
        the feed's own (else :attr:`interval`); ``retry_after`` and ``max_age`` are what its
        server asked for, each a floor: the feed is never asked sooner than its server allows.
        """
        base = interval or self.interval
        if failures > 0:
            # min() before the power keeps a long failing streak from overflowing.
            base = min(base * 2.0 ** min(failures, 64), max(self.max_backoff, base))
        wait = base * (1 + self.jitter * jitter_fraction(url, polled_at))
        for asked in (retry_after, max_age):
            if asked is not None and asked > 0:
                wait = max(wait, min(asked, MAX_SERVER_WAIT))
        return wait

    def next_poll(
        self,
        url: str,
        polled_at: datetime,
        *,
        failures: int = 0,
        interval: float | None = None,
        retry_after: float | None = None,
        max_age: float | None = None,
    ) -> datetime:
        """When the feed at ``url`` is next due (see :meth:`wait`)."""
        seconds = self.wait(
            url,
            polled_at,
            failures=failures,
            interval=interval,
            retry_after=retry_after,
            max_age=max_age,
        )
        return polled_at + timedelta(seconds=seconds)
