# ruff: noqa: RUF001
# (Russian letters and curly apostrophes are meant as written.)
"""Names in a summary sentence, and whether a set of article sentences names them too.

In cased text a name is a capitalised word that does not open the sentence ("the deal Obama
made"), nor is a stop word, a weekday or a month (in German, where every noun is capitalised,
it must also be a rare word).  Lower-cased text (CNN/DailyMail's form) has
no capitals to find names by: there the check's word test (:mod:`inbrief.verify.words`) covers
them as the rare words they are.  A name matches in its inflections: the same stem, or the
same first letters ("Путина" for "Путин", "Merkels" for "Merkel").
"""

from __future__ import annotations

import re

from inbrief.text import stems, stopwords
from inbrief.text.language import normalize_language
from inbrief.verify.dates import calendar_words
from inbrief.verify.words import PREFIX, zipf

# Languages that capitalise every noun: there a capital marks a name only on a word rare in
# the language at large (Zipf scale), which leaves out common names (Merkel 4.8) with the
# nouns (Bibliothek 4.4): a noun taken for a name would be held to its sentence.
_NOUNS_CAPITALISED = frozenset({"de", "lb"})
CAPITALISED_NOUN_NAME_ZIPF = 3.0
# A word of letters, with inner hyphens and apostrophes (Jean-Luc, d'Estaing, O'Brien).
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# Where a sentence (or a quotation inside one) opens: its capital says nothing of a name.
_OPENING = re.compile(r"(?:\A|[.!?:;]\s|[\"“«„(]\s?)\W*\Z")


def names(text: str, language: str | None) -> list[tuple[str, ...]]:
    """The names of a cased ``text``: each run of capitalised words, lower-cased, each part of
    a compound on its own ("Jean-Luc Mélenchon" -> ``("jean", "luc", "mélenchon")``); none in
    lower-cased text."""
    if text.islower() or not any(c.isupper() for c in text):
        return []
    code = normalize_language(language)
    stop = stopwords(code) if code else stopwords("en")
    calendar = {(word.start, word.end) for word in calendar_words(text, code)}
    nouns_capitalised = code in _NOUNS_CAPITALISED
    found: list[tuple[str, ...]] = []
    run: list[str] = []
    last_end = -1
    for match in _WORD.finditer(text):
        word = match.group()
        start = match.start()
        parts = re.split(r"['’]", word, maxsplit=1)
        if len(parts) == 2 and len(parts[0]) <= 2 and parts[0].islower():
            word, start = parts[1], start + len(parts[0]) + 1  # d'Emmanuel, l'Iran
        if (
            not word[0].isupper()
            or _OPENING.search(text[:start])
            or (match.start(), match.end()) in calendar
            or word.lower() in stop
            or (word.isupper() and len(word) > 4)  # a shouted heading word (POLITIQUE.)
            or (nouns_capitalised and zipf(word.lower(), code) >= CAPITALISED_NOUN_NAME_ZIPF)
        ):
            continue
        if run and text[last_end : match.start()].strip():
            found.append(tuple(run))
            run = []
        run.extend(part for part in re.split(r"[-'’]", word.lower()) if part not in stop)
        last_end = match.end()
    if run:
        found.append(tuple(run))
    return [name for name in found if name]


def named_in(
    name: str, tokens: frozenset[str], stem_set: frozenset[str], language: str | None
) -> bool:
    """Whether ``name`` (lower-cased) is among ``tokens``, in any inflection."""
    if name in tokens:
        return True
    (stem,) = stems([name], language)
    if stem in stem_set:
        return True
    if len(name) >= PREFIX:
        opening = name[:PREFIX]
        return any(token.startswith(opening) for token in tokens)
    return False
