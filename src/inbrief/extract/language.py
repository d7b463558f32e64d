"""The article's language: what the page declares, unless its text says otherwise::

    >>> checked_language("en", "Der Bundestag hat am Donnerstag ein Gesetz beschlossen. " * 10)
    'de'

Pages declare a language in ``<html lang>`` or a meta tag, and some declare it wrongly: a
template's ``lang="en"`` around a German article summarizes it with English rules (stop words,
abbreviations, openers).  The declaration stands unless the text is long enough for a sure
guess and py3langid is sure of another language.
"""

from __future__ import annotations

import math

from inbrief.text import detect_language, normalize_language

# From 400 characters on, py3langid names the language of all 83 demo articles and of 300
# OrangeSum and 300 CNN/DailyMail articles correctly (``text/language.py``); a page's text must
# be this long before it may overrule the page.  1,000 characters cost py3langid 0.55 ms.
_MIN_CHARS = 400
_SAMPLE_CHARS = 1000
# py3langid's probabilities, normalised over its 97 languages: a 400-character sample of one
# language scores 1.0; 0.99 leaves out texts that mix two.
_MIN_PROBABILITY = 0.99


def checked_language(declared: str | None, text: str) -> str | None:
    """The two-letter language of the article ``text`` on a page declaring ``declared``: the
    declared one unless the text, of at least 400 characters, is surely in another; the text's
    guess when the page declares none."""
    declared = normalize_language(declared)
    if declared is None:
        return normalize_language(detect_language(text))
    sample = text.strip()[:_SAMPLE_CHARS]
    if len(sample) < _MIN_CHARS:
        return declared
    guess, probability = _guess(sample)
    if guess != declared and probability >= _MIN_PROBABILITY:
        return guess
    return declared


def _guess(sample: str) -> tuple[str | None, float]:
    """py3langid's language for ``sample`` and its probability among all it knows."""
    from inbrief.text import langid_model  # maps its model on first use, as detect_language does

    ranked = langid_model.rank(sample)
    best, top = ranked[0]
    total = sum(math.exp(score - top) for _, score in ranked)
    return normalize_language(str(best)), 1.0 / total
