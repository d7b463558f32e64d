# ruff: noqa: RUF001
"""What a figure counts: money, a share, the day of a month, a year, or a plain count.

A figure swapped in from elsewhere in the article often changes its role as well as its value
("sold for £18" from "January 18", "on May 7,500" from "7,500 applicants"), while a writer
who restates a figure keeps what it counts.  The role is read from the characters right
around the figure, in every language the check reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from inbrief.verify.dates import calendar_words
from inbrief.verify.numbers import Quantity

Role = Literal["money", "share", "day", "year", "count"]

_CURRENCY_BEFORE = re.compile(r"(?:[$£€¥₽₹]|\b(?:US|USD|EUR|GBP|CHF|Rs)\.?)\s?\Z", re.IGNORECASE)
_CURRENCY_AFTER = re.compile(
    r"\s?(?:[$£€¥₽₹]|(?:dollars?|pounds?|euros?|yen|yuan|francs?|pesos?|dólares|"
    r"rupees?|roubles?|rubles?|usd|eur|gbp|chf|доллар\w*|евро|рубл\w*|руб)\b)",
    re.IGNORECASE,
)
_SHARE_AFTER = re.compile(
    r"\s?(?:%|percent\b|per\s?cent\b|pour\s?cent\b|por\s?ciento\b|prozent\b|процент)",
    re.IGNORECASE,
)
# The letters an ordinal day may carry, and the words between a day and its month.
_DAY_TAIL = re.compile(r"(?:st|nd|rd|th|er|e|\.)?\s*(?:of\s+|de\s+)?\Z", re.IGNORECASE)
_REACH = 16
# English month abbreviations, which the date check leaves alone ("mar" is Spanish for sea)
# but which next to a figure name its month: "Aug. 6, 1976".
_ABBREVIATED_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?", re.I)


def roles(text: str, numbers: Sequence[Quantity], language: str | None) -> tuple[Role, ...]:
    """The role of each of ``numbers`` (found in ``text``)."""
    if not numbers:
        return ()
    months = [(d.start, d.end) for d in calendar_words(text, language) if d.key[0] == "m"]
    months += [m.span() for m in _ABBREVIATED_MONTH.finditer(text)]
    return tuple(_role(text, quantity, months) for quantity in numbers)


def _role(text: str, quantity: Quantity, months: list[tuple[int, int]]) -> Role:
    if quantity.year:
        return "year"
    before = text[max(0, quantity.start - _REACH) : quantity.start]
    after = text[quantity.end : quantity.end + _REACH]
    if _CURRENCY_BEFORE.search(before) or _CURRENCY_AFTER.match(after):
        return "money"
    if _SHARE_AFTER.match(after):
        return "share"
    for start, end in months:
        if end <= quantity.start and not text[end : quantity.start].strip(" ,."):
            return "day"
        if start >= quantity.end and _DAY_TAIL.match(text[quantity.end : start]):
            return "day"
    return "count"


def same_role(mine: Role, theirs: Role) -> bool:
    """Whether a summary's figure in role ``mine`` may restate an article's in ``theirs``:
    only in the same role (measured against letting a plain count stand for any role, in
    docs/verify.md)."""
    return mine == theirs
