"""Dropping the news furniture that extractors let through: the rules that apply the phrase
tables of :mod:`inbrief.extract.phrases` to an article's units.

A unit is a paragraph, or a line of plain text.  Summary buttons, previous/next links and the
headlines under them, share and subscribe bars, photo captions and credits, read-more teasers
and advertisement labels go wherever they stand; the sign-offs that close a story (the
reporter's contact line, a newsletter pitch, a paywall's prompt) only at its end.  Only a whole
short unit is ever removed: one longer than :data:`MAX_BOILERPLATE_WORDS` words is article text
whatever it starts with.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from inbrief.extract.paragraphs import normalize
from inbrief.extract.phrases import BOILERPLATE, Phrases
from inbrief.extract.tables import tables_for, union
from inbrief.text.punctuation import HEADLINE_STOPS, is_heading

MAX_BOILERPLATE_WORDS = 50
"""Units longer than this are never dropped: no caption or share bar runs to 50 words."""

_HEADLINE_WORDS = 20  # the headline linked under "Next Article" is short

# A label may carry its target on the same line: "Read more: <headline>", "Related | <headline>".
# Dashes are not separators here: "More — much more — is needed." is a sentence.
_TAIL = r"(?:\s*[:|\u00bb\u203a>]\s*.*)?"  # colon, bar, guillemet, angle quote

# Decoration around a label ("» Read more", "Share →", "• Advertisement •") is not the label:
# dashes, bullets, bars, guillemets, arrows.
_DECORATION = " \t-\u2013\u2014\u2022\u00b7|\u00bb\u00ab\u203a\u2039>\u2192\u2190\u25b6\u25ba"


@dataclass(frozen=True)
class _Rules:
    drop: re.Pattern[str]
    takes_headline: re.Pattern[str]
    sign_off: re.Pattern[str]
    share_words: frozenset[str]


def _compile(tables: Sequence[Phrases]) -> _Rules:
    labels = [label for t in tables for label in (*t.navigation, *t.teaser)]
    whole = [p for t in tables for p in (*t.widget, *t.share, *t.caption, *t.advert)]
    return _Rules(
        drop=union([*whole, *(f"(?:{label}){_TAIL}" for label in labels)]),
        takes_headline=union([rf"(?:{label})\s*:?" for label in labels]),
        sign_off=union([p for t in tables for p in t.sign_off]),
        share_words=frozenset(w for t in tables for w in t.share_words),
    )


_RULES_BY_LANGUAGE: dict[str | None, _Rules] = {}


def _rules(language: str | None) -> _Rules:
    """The rules for ``language``: its own table plus English, or every table when the
    language is unknown (see :func:`inbrief.extract.tables.tables_for`)."""
    key, tables = tables_for(language, BOILERPLATE)
    if key not in _RULES_BY_LANGUAGE:
        _RULES_BY_LANGUAGE[key] = _compile(tables)
    return _RULES_BY_LANGUAGE[key]


_SHARE_TOKEN = re.compile(r"[\w@+-]+")


def is_headline(unit: str) -> bool:
    """A short line that does not end like a sentence: the headline a label links to."""
    return is_heading(unit, max_words=_HEADLINE_WORDS, stops=HEADLINE_STOPS, closers="")


def boilerplate_mask(units: Sequence[str], language: str | None) -> list[bool]:
    """For each unit (a normalised paragraph or line), whether it is page furniture."""
    rules = _rules(language)
    mask = [False] * len(units)
    take_next = False
    for i, unit in enumerate(units):
        label = unit.strip(_DECORATION)
        if take_next and is_headline(unit):
            mask[i] = True
            take_next = False
            continue
        take_next = False
        if len(unit.split()) > MAX_BOILERPLATE_WORDS:
            continue
        words = _SHARE_TOKEN.findall(label.lower())
        if (
            not label
            or rules.drop.fullmatch(label)
            or (words and all(w in rules.share_words for w in words))
        ):
            mask[i] = True
            take_next = bool(rules.takes_headline.fullmatch(label))
    # Sign-offs close the article: drop them from its end, up to the last unit that is not one.
    for i in reversed(range(len(units))):
        if mask[i]:
            continue
        if len(units[i].split()) > MAX_BOILERPLATE_WORDS or not rules.sign_off.fullmatch(units[i]):
            break
        mask[i] = True
    return mask


def clean_paragraphs(paragraphs: Sequence[str], language: str | None = None) -> list[str]:
    """Normalise whitespace in each paragraph and drop the news furniture among them.

    ``language`` picks the phrase tables (unknown: all of them); article sentences pass
    unchanged.
    """
    units = [normalize(p) for p in paragraphs]
    mask = boilerplate_mask(units, language)
    return [unit for unit, drop in zip(units, mask, strict=True) if unit and not drop]
