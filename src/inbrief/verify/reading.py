"""What the check reads in a sentence: its content words, numbers, dates, names, negation.

A summary sentence and each article sentence are read once into a :class:`Reading`; every later
comparison (alignment, the problems) works on readings, never on the text again.
"""

from __future__ import annotations

from dataclasses import dataclass

from inbrief.verify.dates import calendar_words
from inbrief.verify.names import names
from inbrief.verify.negation import negated
from inbrief.verify.numbers import Quantity, quantities
from inbrief.verify.roles import Role, roles
from inbrief.verify.words import Word, content_words


@dataclass(frozen=True)
class Reading:
    """One sentence as the check sees it.

    ``words`` are its content words (numbers written as words, weekdays and months left out:
    ``quantities`` and ``calendar`` hold them), ``names`` the names of a cased text.
    """

    text: str
    words: tuple[Word, ...]
    stems: frozenset[str]
    prefixes: frozenset[str]
    tokens: frozenset[str]
    quantities: tuple[Quantity, ...]
    roles: tuple[Role, ...]  # what each of ``quantities`` counts
    calendar: frozenset[str]
    names: tuple[tuple[str, ...], ...]
    negated: bool


def read(text: str, language: str | None, *, with_names: bool = True) -> Reading:
    """Read ``text``; ``with_names=False`` skips the names (an article sentence's are looked up
    among its tokens, not found by their capitals)."""
    numbers = tuple(quantities(text, language))
    days = calendar_words(text, language)
    set_apart = {
        word.text
        for part in [*(q.text for q in numbers), *(day.text for day in days)]
        for word in content_words(part, language)
    }
    words = tuple(word for word in content_words(text, language) if word.text not in set_apart)
    return Reading(
        text=text,
        words=words,
        stems=frozenset(word.stem for word in words),
        prefixes=frozenset(word.prefix for word in words if word.prefix),
        tokens=frozenset(word.text for word in words),
        quantities=numbers,
        roles=roles(text, numbers, language),
        calendar=frozenset(day.key for day in days),
        names=tuple(names(text, language)) if with_names else (),
        negated=negated(text, language),
    )
