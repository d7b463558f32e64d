"""The day an article is listed under: the day it was published, else the day it was added.

``Article.date`` is stored exactly as it came: an ISO date from extraction and feeds, but any
text an API caller or a JSONL row gave.  So the listing does not sort that text; it sorts by
:func:`listing_day`, computed once when the article is stored and kept in its own indexed
column, which gives every listing, its pages and :meth:`Store.neighbours` one order, the
same on SQLite and PostgreSQL::

    >>> from datetime import UTC, datetime
    >>> added = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
    >>> listing_day("2009-06-11", added), listing_day("Thu, 11 Jun 2020 10:00:00 GMT", added)
    (datetime.date(2009, 6, 11), datetime.date(2020, 6, 11))
    >>> listing_day(None, added), listing_day("next week", added), listing_day("2031-01-01", added)
    (datetime.date(2026, 11, 27), datetime.date(2026, 11, 27), datetime.date(2026, 11, 27))

The same day is what a listing's date range filters on (:class:`ArticleFilter`): an article
from ``since`` to ``until`` is one the list shows between those days.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {name: n for n, month in enumerate(_MONTH_NAMES, 1) for name in (month, month[:3])}
_MONTHS["sept"] = 9
# 2020-06-11, 2020/6/11, 2020.06.11, with anything after (a time: 2020-06-11T10:00:00Z).
_YEAR_FIRST = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)")
# 2020-06 or 2020 alone: the start of that month or year.
_YEAR_MONTH = re.compile(r"(\d{4})(?:-(\d{1,2}))?")
# 11 June 2020; Thu, 11 Jun 2020 10:00:00 +0000 (RFC 822, as feeds write it). English names only:
# a date this cannot read lists by the day it was added, never in a wrong place.
_DAY_MONTH_YEAR = re.compile(r"(?:[a-z]+,?\s+)?(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4})(?!\d)", re.I)
# June 11, 2020; Jun. 11th 2020; Thursday, June 11, 2020.
_MONTH_DAY_YEAR = re.compile(
    r"(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)", re.I
)


def published_day(text: str | None) -> date | None:
    """The day ``text`` names, in the forms publication dates come in; None when it names none."""
    if not text:
        return None
    text = text.strip()
    if match := _YEAR_FIRST.match(text):
        return _day(match[1], match[3], match[4])
    if match := _YEAR_MONTH.fullmatch(text):
        return _day(match[1], match[2] or "1", "1")
    if match := _DAY_MONTH_YEAR.match(text):
        return _day(match[3], _MONTHS.get(match[2].lower()), match[1])
    if match := _MONTH_DAY_YEAR.match(text):
        return _day(match[3], _MONTHS.get(match[1].lower()), match[2])
    return None


def _day(year: str, month: str | int | None, day: str) -> date | None:
    if month is None:
        return None
    try:
        return date(int(year), int(month), int(day))
    except ValueError:  # 2020-02-30, month 13
        return None


def listing_day(published: str | None, added_at: datetime) -> date:
    """The day the listing files an article under: its publication day, else (no date, one it
    cannot read, or one after the article was added) the day, in UTC, it was added."""
    added = added_at.astimezone(UTC).date()
    day = published_day(published)
    return day if day is not None and day <= added else added


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a listing or a search keeps; a field left None keeps every article.

    ``feed_id``, ``site`` and ``language`` match exactly; ``since`` and ``until`` are the first
    and last :func:`listing_day` kept, both included.
    """

    feed_id: int | None = None
    site: str | None = None
    language: str | None = None
    since: date | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.since > self.until:
            raise ValueError(f"the range starts ({self.since}) after it ends ({self.until})")


@dataclass(frozen=True)
class FilterChoices:
    """The values a filter can usefully take: the languages and sites of stored articles."""

    languages: tuple[str, ...]
    sites: tuple[str, ...]
