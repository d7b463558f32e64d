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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

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


HEADLINE_RULE = "headline-after-label"
"""The rule that a label alone ("Next Article", "Read more") takes the headline right after it."""

_KINDS = ("widget", "navigation", "share", "caption", "teaser", "advert", "sign_off")


def rule_name(language: str, kind: str, index: int) -> str:
    """The name of one phrase of a table, by which it is switched off: ``en.caption.3``;
    ``en.share_words`` names a table's whole list of share-bar words."""
    return f"{language}.{kind}" if kind == "share_words" else f"{language}.{kind}.{index}"


def phrase_rules(tables: Mapping[str, Phrases] = BOILERPLATE) -> list[tuple[str, str]]:
    """Every phrase rule of ``tables`` as (name, pattern), the share-word lists included."""
    rules = []
    for language, table in tables.items():
        for kind in _KINDS:
            for index, pattern in enumerate(getattr(table, kind)):
                rules.append((rule_name(language, kind, index), pattern))
        if table.share_words:
            rules.append((rule_name(language, "share_words", 0), " ".join(table.share_words)))
    return rules


@dataclass(frozen=True)
class _Rules:
    drop: re.Pattern[str]
    takes_headline: re.Pattern[str]
    sign_off: re.Pattern[str]
    share_words: frozenset[str]


def _on(language: str, table: Phrases, kind: str, off: frozenset[str]) -> list[str]:
    return [
        pattern
        for index, pattern in enumerate(getattr(table, kind))
        if rule_name(language, kind, index) not in off
    ]


@lru_cache(maxsize=512)  # one entry per language and set of rules switched off
def _rules(key: str | None, off: frozenset[str]) -> _Rules:
    """The rules for text whose language has table ``key`` (None: every table), without those
    named in ``off``."""
    _, chosen = tables_for(key, BOILERPLATE)
    tables = [(language, t) for language, t in BOILERPLATE.items() if t in chosen]

    def patterns(*kinds: str) -> list[str]:
        return [p for language, t in tables for kind in kinds for p in _on(language, t, kind, off)]

    labels = patterns("navigation", "teaser")
    return _Rules(
        drop=union(
            [*patterns("widget", "share", "caption", "advert")]
            + [f"(?:{label}){_TAIL}" for label in labels]
        ),
        takes_headline=union([rf"(?:{label})\s*:?" for label in labels])
        if HEADLINE_RULE not in off
        else _NEVER,
        sign_off=union(patterns("sign_off")),
        share_words=frozenset(
            w
            for language, t in tables
            if rule_name(language, "share_words", 0) not in off
            for w in t.share_words
        ),
    )


_NEVER = re.compile(r"(?!)")


_SHARE_TOKEN = re.compile(r"[\w@+-]+")


def is_headline(unit: str) -> bool:
    """A short line that does not end like a sentence: the headline a label links to."""
    return is_heading(unit, max_words=_HEADLINE_WORDS, stops=HEADLINE_STOPS, closers="")


def boilerplate_mask(
    units: Sequence[str], language: str | None, *, off: frozenset[str] = frozenset()
) -> list[bool]:
    """For each unit (a normalised paragraph or line), whether it is page furniture; ``off``
    names rules not to apply (see :func:`phrase_rules`)."""
    rules = _rules(tables_for(language, BOILERPLATE)[0], off)
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


def clean_paragraphs(
    paragraphs: Sequence[str], language: str | None = None, *, off: frozenset[str] = frozenset()
) -> list[str]:
    """Normalise whitespace in each paragraph and drop the news furniture among them.

    ``language`` picks the phrase tables (unknown: all of them); article sentences pass
    unchanged; ``off`` names rules not to apply.
    """
    units = [normalize(p) for p in paragraphs]
    mask = boilerplate_mask(units, language, off=off)
    return [unit for unit, drop in zip(units, mask, strict=True) if unit and not drop]
