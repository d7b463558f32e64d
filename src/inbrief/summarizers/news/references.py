"""Sentence openings that lean on the sentence before: pronouns, demonstratives, connectives.

A summary sentence that opens with "He", "This", "However" or "The company" reads as a
dangling reference when the sentence it points back to was not chosen ("He led it for ten
years." with the man named only in a skipped sentence).  Two tables, two strengths: a
:data:`POINTING` sentence ("This ...", "The company ...", "However, ...") is chosen only
together with the sentence before it; a :data:`CONTINUING` one ("He ...", "They ...") may also
follow any other chosen sentence, where the person is usually named already, but never opens a
summary alone (:mod:`~inbrief.summarizers.news.selection`).  What each choice costs in ROUGE is
in the README.

The tables hold lower-cased openings, matched case-insensitively at the start of a sentence,
so the lower-cased PTB text of CNN/DailyMail ("he said ...") is read like cased news.  An
opening followed by a time word ("This week", "Cette année") names a time, and an impersonal
"Il y a" or "Es gibt" nothing: neither refers back.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from inbrief.summarizers.news.lines import ArticleLines
from inbrief.text.language import normalize_language

POINTING: dict[str, tuple[str, ...]] = {
    "en": (
        "this", "these", "that", "those", "both", "the company", "the group", "the move",
        "however", "but", "also", "meanwhile", "still", "yet",
    ),
    "fr": ("ce", "cette", "ces", "cela", "ceci", "mais", "cependant", "toutefois", "pourtant"),
    "de": ("es", "dies", "diese", "dieser", "dieses", "aber", "doch", "jedoch", "allerdings"),
    "es": ("este", "esta", "estos", "estas", "esto", "pero", "sin embargo", "además"),
    "ru": ("оно", "это", "этот", "эта", "эти", "но", "однако", "также"),
    "it": (
        "questo", "questa", "questi", "queste", "ciò", "ma", "però", "tuttavia", "inoltre",
    ),
    "pt": (
        "este", "esta", "estes", "estas", "esse", "essa", "isso", "isto", "mas", "porém",
        "contudo", "entretanto", "além disso",
    ),
    "nl": ("dit", "deze", "dat", "die", "maar", "echter", "toch", "ook"),
}  # fmt: skip
"""Per language, openings that point at what the sentence before says (demonstratives, "the
company") or answer it (connectives: "However", "Mais", "Aber"): such a sentence is
taken only with the sentence before it."""

CONTINUING: dict[str, tuple[str, ...]] = {
    "en": ("he", "she", "they", "it", "his", "her", "their"),
    "fr": ("il", "elle", "ils", "elles"),
    "de": ("er", "sie"),
    "es": ("él", "ella", "ellos", "ellas"),
    "ru": ("он", "она", "они"),
    "it": ("lui", "lei", "loro", "egli", "essa", "esso"),
    "pt": ("ele", "ela", "eles", "elas"),
    "nl": ("hij", "zij", "ze"),
}  # fmt: skip
"""Per language, personal pronouns that continue the story: such a sentence may follow any
chosen sentence (the person is usually named in the summary already) but never opens a
summary without the sentence before it.  English "it" is here, not in :data:`POINTING`: "It is
thought that ..." and "It comes as ..." refer to nothing in particular (measured: as a pointing
word it cost 0.013 ROUGE-1 on CNN/DailyMail)."""

NOT_REFERRING: dict[str, tuple[str, ...]] = {
    "en": (
        "week", "weekend", "year", "month", "morning", "afternoon", "evening", "season",
        "summer", "winter", "spring", "autumn", "time", "monday", "tuesday", "wednesday",
        "thursday", "friday", "saturday", "sunday",
    ),
    "fr": (
        "semaine", "année", "mois", "matin", "soir", "week-end", "été", "hiver", "printemps",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        "y a", "y avait", "faut", "fallait", "s'agit", "s\u2019agit",
    ),
    "de": (
        "woche", "jahr", "monat", "morgen", "abend", "wochenende", "sommer", "winter",
        "gibt", "geht um",
    ),
    "es": ("semana", "año", "mes", "mañana", "verano", "invierno", "fin de semana"),
    "ru": ("неделе", "году", "месяце", "год", "утром"),
    "it": ("settimana", "anno", "mese", "mattina", "sera", "estate", "inverno"),
    "pt": ("semana", "ano", "mês", "manhã", "verão", "inverno"),
    "nl": ("week", "jaar", "maand", "ochtend", "avond", "zomer", "winter"),
}  # fmt: skip
"""Words after an opening that make it a time phrase ("This year, ...", "Ce mardi, ...") or an
impersonal one ("Il y a", "Il faut", "Es gibt"), which refer to nothing before."""


@cache
def _opening(table: str, language: str) -> re.Pattern[str] | None:
    openings = (POINTING if table == "pointing" else CONTINUING).get(language)
    if not openings:
        return None
    words = "|".join(re.escape(o).replace(r"\ ", r"\s+") for o in sorted(openings, key=len)[::-1])
    times = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in NOT_REFERRING.get(language, ()))
    time_guard = rf"(?!\s+(?:{times})\b)" if times else ""
    # Leading quotes or brackets are skipped: "`` he said ..." still opens with "he".
    return re.compile(rf"^[^\w\n]*(?:{words})\b{time_guard}(?!-)", re.MULTILINE)


def _flags(lines: ArticleLines, table: str, language: str | None) -> np.ndarray:
    pattern = _opening(table, normalize_language(language) or "")
    if pattern is None or lines.size == 0:
        return np.zeros(lines.size, dtype=bool)
    found = lines.opening(pattern)
    found[0] = False
    return found


def pointing(lines: ArticleLines, language: str | None) -> np.ndarray:
    """True for each sentence (after the first) that opens by pointing at the one before."""
    return _flags(lines, "pointing", language)


def continuing(lines: ArticleLines, language: str | None) -> np.ndarray:
    """True for each sentence (after the first) that opens by continuing the one before."""
    return _flags(lines, "continuing", language)
