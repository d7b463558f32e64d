# ruff: noqa: RUF001
# (Russian words are meant as written.)
"""Negations: whether a sentence says "not", in en/fr/de/es/ru.

>>> negated("The council did n't vote", "en"), negated("Le conseil a voté", "fr")
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from inbrief.text.language import normalize_language

_NEGATIONS = {
    "en": r"n't|not|never|no|nobody|nothing|none|neither|nor|cannot",
    "fr": r"ne|n'|n’|pas|jamais|aucun|aucune|rien|ni|nullement",
    "de": r"nicht|nie|niemals|nichts|niemand|kein|keine|keinen|keinem|keiner|keines",
    "es": r"no|nunca|jamás|ningún|ninguno|ninguna|nadie|nada|ni|tampoco",
    "ru": r"не|нет|никогда|ни|ничего|никто|нельзя",
}


@cache
def _pattern(language: str | None) -> re.Pattern[str]:
    code = normalize_language(language)
    words = _NEGATIONS[code] if code in _NEGATIONS else "|".join(_NEGATIONS.values())
    # "n'" and "n't" end on an apostrophe, glued to the next or the last word.
    return re.compile(rf"(?<![\w'’-])(?:{words})(?![\w'’-])|n['’]t\b|(?<![\w'’])n['’]", re.I)


def negation_spans(text: str, language: str | None) -> list[tuple[int, int]]:
    """Where ``text`` negates: the offsets of each negation word."""
    return [match.span() for match in _pattern(language).finditer(text)]


def negated(text: str, language: str | None) -> bool:
    """Whether ``text`` holds a negation word of ``language`` (of any language when unknown)."""
    return _pattern(language).search(text) is not None


# Words with elisions and clitics apart: "didn't" -> did n't, "n'a" -> n' a, "l'État" -> l' État.
_TOKEN = re.compile(r"\w+?(?=n['’]t\b)|n['’]t\b|\w['’](?=\w)|\w+")
_WEAK = frozenset(
    [
        "a",
        "an",
        "the",
        "to",
        "of",
        "in",
        "on",
        "at",
        "and",
        "or",
        "de",
        "la",
        "le",
        "les",
        "l",
        "d",
        "du",
        "des",
        "à",
        "et",
        "en",
        "un",
        "une",
    ]
)


@dataclass(frozen=True)
class Cuts:
    """A sentence's words without its negations: ``pairs`` are its neighbouring words, and
    ``cuts`` the pairs a negation stood between ("did not vote" -> ("did", "vote"))."""

    pairs: frozenset[tuple[str, str]]
    cuts: frozenset[tuple[str, str]]
    word: str = ""  # the first negation word, as the sentence writes it (lower-cased)


def negation_cuts(text: str, language: str | None) -> Cuts:
    """The word pairs of ``text`` once its negation words are taken out, and those a negation
    stood between; pairs of two function words are left out (they say nothing alone)."""
    negations = _pattern(language)
    words: list[str] = []
    cut_before: set[int] = set()
    first = ""
    for match in _TOKEN.finditer(text.lower()):
        token = match.group()
        if negations.fullmatch(token):
            cut_before.add(len(words))
            first = first or token
            continue
        words.append(token)
    pairs = set()
    cuts = set()
    for at in range(1, len(words)):
        pair = (words[at - 1], words[at])
        if pair[0] in _WEAK and pair[1] in _WEAK:
            continue
        pairs.add(pair)
        if at in cut_before:
            cuts.add(pair)
    return Cuts(frozenset(pairs), frozenset(cuts), first)
