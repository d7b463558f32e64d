# ruff: noqa: RUF001, RUF002, RUF003
# (Dashes and month names of several languages are meant as written.)
"""Datelines: the date, and perhaps the place, a news story opens with, closed by a dash::

    >>> dateline_date("12 mars 2021. - Le conseil municipal a voté le budget.", "fr")
    '2021-03-12'

Wikinews and the wire services open a story with when (and where) it was written:
``30 octobre 2012. - Un nouveau projet ...``, ``WASHINGTON, March 3, 2021 — The Senate ...``,
or with where and which agency: ``WASHINGTON (AP) —``, ``Berlin, 3. März (dpa) –``,
``MADRID, 3 mar (EFE).-``, ``МОСКВА, 3 марта. /ТАСС/.`` (a sentence of their own too, but no
date: they give no year).
A dateline opens the text or, after a lede, one of its first :data:`OPENING_PARAGRAPHS`
paragraphs.  The splitter ends the dateline's sentence at its dash (:func:`story_start`), so the
story's first sentence does not open with the dash, and the dateline is a line of a few words,
mostly numbers, that the news summarizer never chooses.  Extraction takes the dateline's date
when the page declares none (:func:`dateline_date`).

The dateline's shape is one regular expression: a day, a month word and a year (in either
order), after at most two words that are not stop words (a weekday, a place), and before a full
stop, a dash or the end of the line.  Whether the month word is a month is dateparser's call, in
the article's language; dateparser is the parser htmldate itself relies on, and htmldate's own
text patterns read English, French and German months but not Spanish or Russian ones.
"""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta

from inbrief.text.language import all_stopwords, normalize_language, stopwords
from inbrief.text.punctuation import paragraph_spans

OPENING_PARAGRAPHS = 3
"""A dateline opens one of the text's first this-many paragraphs (Wikinews puts a lede first)."""

# Possessive word runs (*+, {3,}+) never give back a letter: a paragraph that opens with no
# dateline fails at once.  The look-ahead for a digit early on clears most paragraphs before
# any of it is tried.
_DATELINE = re.compile(
    r"""\s*
    (?=\D{0,40}+\d)
    (?P<before>(?:[^\W\d_][\w'’.-]*+,?[ \t]+){0,2}?)          # Vendredi | WASHINGTON, | Freitag,
    (?P<date>
        \d{1,2}(?:er|st|nd|rd|th|\.|º)?[ \t]+(?:de[ \t]+)?      # 30 | 1er | 5. | 5 de
        [^\W\d_]{3,}+\.?[ \t]+(?:del?[ \t]+)?\d{4}              # octobre 2012 | marzo de 2012
      | [^\W\d_]{3,}+\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?,?[ \t]+\d{4}  # March 3, 2021
    )
    (?:[ \t]+(?:г\.|года))?                                     # 5 марта 2021 года | 2021 г.
    (?P<stop>\.)?
    (?:[ \t]*(?P<dash>--|[-–—])(?=\s))?
    (?=\s|\Z)
    """,
    re.VERBOSE,
)
# A wire service's dateline: a place, perhaps a state and a day without the year, the agency in
# brackets or slashes, and a dash: "WASHINGTON (AP) —", "NEW YORK, March 3 (Reuters) -",
# "Berlin, 3. März (dpa) –", "MADRID, 3 mar (EFE).-", "МОСКВА, 3 марта. /ТАСС/."; or, without
# an agency, a place in capitals ("WASHINGTON —") or a place and a day ("Berlin, 3. März –"), or
# the agency alone ("(CNN) —").
# PTB text ("washington ( cnn ) --") is never matched: it has no capitals and spaced brackets.
_WIRE_DATELINE = re.compile(
    r"""\s*
    (?:
    (?P<place>(?:[^\W\d_][\w'’.-]*+[ \t]+){0,3}?[^\W\d_][\w'’.-]*+)   # WASHINGTON | NEW YORK
    (?:,[ \t]+[^\W\d_][\w'’.]*+)?                                  # , Ill.
    (?:,[ \t]+(?P<day>
        \d{1,2}\.?[ \t]+[^\W\d_]{3,}+\.?                           # 3. März | 3 mar | 3 марта
      | [^\W\d_]{3,}+\.?[ \t]+\d{1,2}                              # March 3
    )(?:,?[ \t]+\d{4})?\.?)?                                        # , 2021
    )?                                                              # or the agency alone: (CNN)
    [ \t]*(?P<agency>\([^\W\d_][\w.&'’ /-]{0,24}\)|/[^\W\d_][\w.-]{0,24}/)?
    [ \t]*(?P<dash>\.?[ \t]*(?:--|[-–—])|(?<=/)\.)                  # — | .- | /ТАСС/.
    (?=\s)
    """,
    re.VERBOSE,
)
_WIRE_DATELINE_CHARS = 100  # "SPRINGFIELD, Ill., March 3, 2021 (Reuters) -" is 45
_LINE_END = re.compile(r"[ \t]*(?:\n|\Z)")
_EARLIEST_YEAR = 1900


def story_start(text: str, start: int, end: int, language: str | None) -> int | None:
    """Where the story starts when the paragraph ``text[start:end]`` opens with a dateline
    closed by a dash: the offset just after the dash; None otherwise."""
    found = _dateline(text, start, end, language)
    if found is not None and found.group("dash"):
        return found.end("dash")
    wire = _wire_dateline(text, start, end, language)
    return wire.end("dash") if wire is not None else None


def dateline_date(text: str, language: str | None) -> str | None:
    """The date (``YYYY-MM-DD``) of the dateline opening ``text``, read in ``language``.

    The first of the opening paragraphs that starts with a dateline gives it.  None when there
    is none (a date inside a sentence, ``Le 12 mars 2021, le conseil ...``, is no dateline), when
    the language is unknown, or when the words are no date there (``12 sujets 2021``,
    ``31 février 2021``), before 1900 or after tomorrow.
    """
    if language is None:
        return None
    for start, end in itertools.islice(paragraph_spans(text), OPENING_PARAGRAPHS):
        found = _dateline(text, start, end, language)
        if found is not None and (
            found.group("stop") or found.group("dash") or _LINE_END.match(text, found.end(), end)
        ):
            return _parse(found.group("date"), language)
    return None


def _dateline(text: str, start: int, end: int, language: str | None) -> re.Match[str] | None:
    found = _DATELINE.match(text, start, end)
    if found is None:
        return None
    # "Le 12 mars 2021 - jour du vote - ...", "On March 3, 2021 ...": a sentence, not a dateline.
    words = stopwords(language) if normalize_language(language) else all_stopwords()
    if any(word.rstrip(",.").lower() in words for word in found.group("before").split()):
        return None
    return found


def _wire_dateline(text: str, start: int, end: int, language: str | None) -> re.Match[str] | None:
    # Most paragraphs have no dash near their start: a substring test clears them (the regex
    # alone was 3% of the splitting time on the demo articles).
    head = text[start : min(end, start + _WIRE_DATELINE_CHARS)]
    if "-" not in head and "–" not in head and "—" not in head and "/" not in head:
        return None
    found = _WIRE_DATELINE.match(text, start, end)
    if found is None:
        return None
    place = found.group("place") or ""
    agency = found.group("agency")
    # "The European Union (EU) - ...", "Hello world - ...", "(see below) - ...": no dateline;
    # after a place, an agency may be written in lower case ("Berlin (dpa) –").
    if agency is not None and not place and not agency[1].isupper():
        return None
    if agency is None and not (place and (found.group("day") or place.isupper())):
        return None
    words = stopwords(language) if normalize_language(language) else all_stopwords()
    for word in place.split():
        if not word[0].isupper() or word.lower() in words:
            return None
    return found


def _parse(written: str, language: str) -> str | None:
    # Imported here: dateparser loads its language data, which only a dateline needs.
    import dateparser

    try:
        parsed = dateparser.parse(
            written,
            languages=[normalize_language(language) or language],
            settings={
                "STRICT_PARSING": True,
                "REQUIRE_PARTS": ["day", "month", "year"],
                "PARSERS": ["absolute-time"],
            },
        )
    except ValueError:  # a language dateparser does not know
        return None
    if parsed is None:
        return None
    day = parsed.date()
    if day.year < _EARLIEST_YEAR or day > date.today() + timedelta(days=1):
        return None
    return day.isoformat()
