# ruff: noqa: RUF001
# (Russian letters and curly apostrophes are meant as written.)
"""Weekdays and months named in a text, in en/fr/de/es/ru (with Russian's case endings).

>>> [day.key for day in calendar_words("Talks resume on Tuesday, March 3", "en")]
['weekday 2', 'month 3']

A day or month is compared by what it names (``key``), so "mardi" in a French summary of an
English article still finds "Tuesday".  English "may" and "march" are also a verb: they name a
month only next to a figure or after a word that introduces a date ("in May", "May 5").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday",
    "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "lunes martes miércoles jueves viernes sábado domingo",
)
_MONTHS = (
    "january february march april may june july august september october november december",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
)
# Russian names decline: each is a stem and the case endings it takes.
_MASCULINE = "(?:а|у|ом|е)?"
_FEMININE = "(?:а|у|ы|е|ой)"
_RUSSIAN_WEEKDAYS = (
    f"понедельник{_MASCULINE}",
    f"вторник{_MASCULINE}",
    f"сред{_FEMININE}",
    f"четверг{_MASCULINE}",
    f"пятниц{_FEMININE}",
    f"суббот{_FEMININE}",
    "воскресень(?:е|я|ю|ем)",
)
_SOFT = "(?:ь|я|е|ю|ем)"
_HARD = "(?:а|е|у|ом)?"
_RUSSIAN_MONTHS = (
    f"январ{_SOFT}",
    f"феврал{_SOFT}",
    f"март{_HARD}",
    f"апрел{_SOFT}",
    "ма(?:й|я|е|ю|ем)",
    f"июн{_SOFT}",
    f"июл{_SOFT}",
    f"август{_HARD}",
    f"сентябр{_SOFT}",
    f"октябр{_SOFT}",
    f"ноябр{_SOFT}",
    f"декабр{_SOFT}",
)
_AMBIGUOUS = frozenset({"may", "march"})
_DATE_LEADS = frozenset(
    [
        "in",
        "on",
        "of",
        "since",
        "until",
        "till",
        "by",
        "from",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "before",
        "after",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class CalendarWord:
    """A weekday or month named in a text: as written, where, and what it names."""

    text: str
    start: int
    end: int
    key: str  # "weekday 1".."weekday 7", "month 1".."month 12"


@cache
def _names() -> dict[str, str]:
    names: dict[str, str] = {}
    for line in _WEEKDAYS:
        for number, word in enumerate(line.split(), start=1):
            names[word] = f"weekday {number}"
    for line in _MONTHS:
        for number, word in enumerate(line.split(), start=1):
            names[word] = f"month {number}"
    return names


@cache
def _russian() -> list[tuple[re.Pattern[str], str]]:
    patterns = [
        (re.compile(f"{form}\\Z"), f"weekday {number}")
        for number, form in enumerate(_RUSSIAN_WEEKDAYS, start=1)
    ]
    patterns += [
        (re.compile(f"{form}\\Z"), f"month {number}")
        for number, form in enumerate(_RUSSIAN_MONTHS, start=1)
    ]
    return patterns


def _key(word: str) -> str | None:
    key = _names().get(word)
    if key is None and not word.isascii() and "а" <= word[0] <= "я":
        for pattern, russian in _russian():
            if pattern.match(word):
                return russian
    return key


def calendar_words(text: str, language: str | None = None) -> list[CalendarWord]:
    """The weekdays and months ``text`` names, in order (all five languages are looked for:
    news quotes dates across languages, and the names barely collide)."""
    found = []
    previous = ""
    for match in _WORD.finditer(text):
        word = match.group().lower()
        key = _key(word)
        if key is not None and (word not in _AMBIGUOUS or _dated(text, match, previous)):
            found.append(CalendarWord(match.group(), match.start(), match.end(), key))
        previous = word
    return found


def _dated(text: str, match: re.Match[str], previous: str) -> bool:
    """Whether an English "may" or "march" stands as a month: capitalised inside a cased
    sentence, next to a figure, or after a word that leads a date."""
    word = match.group()
    if word[0].isupper() and match.start() > 0 and not text.islower():
        return True
    before = text[max(0, match.start() - 6) : match.start()]
    after = text[match.end() : match.end() + 6]
    return (
        previous in _DATE_LEADS
        or bool(re.search(r"\d\W{0,2}\Z", before))
        or bool(re.match(r"\W{0,2}\d", after))
    )
