"""Which article sentences support a summary sentence: alignment by shared content.

Each content word, number and date of the summary sentence weighs by how specific it is (a
rare word more than a common one: wordfreq's Zipf frequency); the sentence that holds the most
weight is the support, and further sentences join it while each adds enough of what is still
unaccounted for (a summary sentence often fuses two or three article sentences).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from inbrief.models import Sentence
from inbrief.verify.numbers import Quantity, same_value
from inbrief.verify.reading import Reading, read
from inbrief.verify.roles import Role, same_role
from inbrief.verify.words import zipf

MAX_SUPPORT = 3
"""A summary sentence rests on at most this many article sentences."""
JOIN_SHARE = 0.2
"""A further sentence joins the support when it adds this share of the summary sentence's
weight (measured in docs/verify.md)."""
EXTEND_SHARE = 0.2
"""A sentence holding a fact the support lacks (a number, a name, a quotation) joins it when it
shares this share of the summary sentence's weight besides: a highlight often takes its date
or its figure from another sentence than its words, while a figure swapped in from elsewhere
in the article comes with nothing else of the sentence."""
JOIN_UNITS = 2
"""... and when it adds at least this many of its words, numbers or dates: one rare word alone
(a name, a figure) is what a swapped fact brings, not what a fused sentence does."""
ROUNDED_FROM = 1000
ROUNDED_DIGITS = 2
"""A figure of at least :data:`ROUNDED_FROM`, written with a separator or a scale and with at
least this many significant digits, stands for an article's figure that rounds to it: a writer
rounds 6,525 to 6,500 and $3.64 million to $3.6 million.  One significant digit (6,000) is too
loose; a small figure is a count, a flight or a model number; a bare one (1490) is a year or a
code."""
NUMBER_WEIGHT = 3.0
DATE_WEIGHT = 1.5
# A word's weight: how much rarer than a function word it is, on the Zipf scale.
_COMMONEST = 7.0


def word_weight(word: str, language: str | None) -> float:
    """How much a word says: 1 for the commonest content words, up to 7 for unseen ones."""
    return max(1.0, _COMMONEST - zipf(word, language))


def _value_key(value: float) -> float:
    return round(value, 6)


def significant_digits(value: float) -> int:
    """How many significant digits ``value`` is written with (6,500 and 3.6 million: 2)."""
    digits = f"{abs(value):.6f}".replace(".", "").strip("0")
    return len(digits)


def _rounded(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    magnitude = math.floor(math.log10(abs(value)))
    return _value_key(round(value, digits - 1 - magnitude))


@dataclass
class ArticleIndex:
    """An article's sentences read once, with look-ups from a stem, a prefix, a value or a
    date to the positions (in ``sentences``) of the sentences holding it."""

    sentences: tuple[Sentence, ...]
    language: str | None
    readings: tuple[Reading, ...]
    by_stem: dict[str, set[int]] = field(default_factory=dict)
    by_prefix: dict[str, set[int]] = field(default_factory=dict)
    by_value: dict[float, set[int]] = field(default_factory=dict)
    by_date: dict[str, set[int]] = field(default_factory=dict)
    positions: dict[int, int] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)  # what later checks compute once

    @classmethod
    def build(cls, sentences: Sequence[Sentence], language: str | None) -> ArticleIndex:
        """Read every sentence of the article and index what it holds."""
        readings = tuple(read(s.text, language, with_names=False) for s in sentences)
        index = cls(tuple(sentences), language, readings)
        by_stem: defaultdict[str, set[int]] = defaultdict(set)
        by_prefix: defaultdict[str, set[int]] = defaultdict(set)
        by_value: defaultdict[float, set[int]] = defaultdict(set)
        by_date: defaultdict[str, set[int]] = defaultdict(set)
        for position, reading in enumerate(readings):
            for stem in reading.stems:
                by_stem[stem].add(position)
            for prefix in reading.prefixes:
                by_prefix[prefix].add(position)
            for quantity in reading.quantities:
                for value in quantity.values:
                    by_value[_value_key(value)].add(position)
            for key in reading.calendar:
                by_date[key].add(position)
        index.by_stem, index.by_prefix = dict(by_stem), dict(by_prefix)
        index.by_value, index.by_date = dict(by_value), dict(by_date)
        index.positions = {s.index: position for position, s in enumerate(sentences)}
        return index

    def holding_word(self, stem: str, prefix: str) -> set[int]:
        """Positions of the sentences with this stem, or a word opening with this prefix."""
        found = self.by_stem.get(stem, set())
        if prefix and prefix in self.by_prefix:
            return found | self.by_prefix[prefix]
        return found

    def holding_value(self, quantity: Quantity, role: Role | None = None) -> set[int]:
        """Positions of the sentences stating the quantity's value (in the same ``role``,
        when given), or, when none does, a value it rounds: "6,500" for the article's 6,525,
        "$3.6 million" for $3.64 million."""
        found: set[int] = set()
        for value in quantity.values:
            found |= self.by_value.get(_value_key(value), set())
        if role is not None:
            found = {p for p in found if self._in_role(p, quantity, role)}
        if found or quantity.text.isdigit():
            return found
        for value in quantity.values:
            digits = significant_digits(value)
            if value < ROUNDED_FROM or digits < ROUNDED_DIGITS:
                continue
            for stated, positions in self.by_value.items():
                if stated != value and _rounded(stated, digits) == _value_key(value):
                    found |= positions
        return found

    def _in_role(self, position: int, quantity: Quantity, role: Role) -> bool:
        reading = self.readings[position]
        return any(
            same_value(quantity, theirs) and same_role(role, their_role)
            for theirs, their_role in zip(reading.quantities, reading.roles, strict=True)
        )


def _units(summary: Reading, index: ArticleIndex) -> list[tuple[float, set[int]]]:
    """What the summary sentence says, as (weight, positions of the sentences holding it)."""
    units: list[tuple[float, set[int]]] = []
    seen: set[str] = set()
    for word in summary.words:
        if word.stem in seen:
            continue
        seen.add(word.stem)
        units.append(
            (word_weight(word.text, index.language), index.holding_word(word.stem, word.prefix))
        )
    for quantity, role in zip(summary.quantities, summary.roles, strict=True):
        units.append((NUMBER_WEIGHT, index.holding_value(quantity, role)))
    for key in sorted(summary.calendar):
        units.append((DATE_WEIGHT, index.by_date.get(key, set())))
    return units


def extension(
    summary: Reading,
    support: Sequence[int],
    holders: set[int],
    index: ArticleIndex,
    share: float | None = None,
) -> int | None:
    """The sentence among ``holders`` (positions) that may join ``support`` to account for a
    fact: the one sharing the most of the summary sentence's weight besides what every holder
    shares (the fact itself), if that is at least ``share`` (default :data:`EXTEND_SHARE`)
    of it; None otherwise.  With one holder, all it shares counts as the fact: a fact stated
    once, outside the support, never joins by this test (counting it as shared instead was
    measured in docs/verify.md: fewer false flags, as many more swapped figures missed)."""
    candidates = holders.difference(support)
    if not candidates:
        return None
    units = _units(summary, index)
    total = sum(weight for weight, _ in units)
    shared: defaultdict[int, float] = defaultdict(float)
    for weight, positions in units:
        if holders <= positions:
            total -= weight
            continue
        for position in positions & candidates:
            shared[position] += weight
    if not shared:
        return None
    best = min(shared, key=lambda position: (-shared[position], position))
    needed = EXTEND_SHARE if share is None else share
    return best if shared[best] >= needed * total else None


def align(summary: Reading, index: ArticleIndex) -> list[int]:
    """Positions of the sentences supporting ``summary``, in article order (empty when no
    sentence shares anything with it)."""
    every = _units(summary, index)
    total = sum(weight for weight, _ in every)
    units = [unit for unit in every if unit[1]]
    chosen: list[int] = []
    while units and len(chosen) < MAX_SUPPORT:
        gains: defaultdict[int, float] = defaultdict(float)
        counts: defaultdict[int, int] = defaultdict(int)
        for weight, positions in units:
            for position in positions:
                gains[position] += weight
                counts[position] += 1
        if chosen:
            gains = defaultdict(float, {p: g for p, g in gains.items() if counts[p] >= JOIN_UNITS})
            if not gains:
                break
        best = min(gains, key=lambda position: (-gains[position], position))
        if chosen and gains[best] < JOIN_SHARE * total:
            break
        chosen.append(best)
        units = [unit for unit in units if best not in unit[1]]
    return sorted(chosen)
