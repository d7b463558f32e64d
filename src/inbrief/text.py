"""Language-aware text primitives: sentence splitting, word tokens, stems, stop words, language id.

Everything the summarizers need from raw text goes through here, dispatched per language.
(Interim implementation; see tests/test_text.py for the behaviour it must have.)
"""

from __future__ import annotations

import re
from functools import lru_cache

import razdel
import snowballstemmer

from inbrief.models import Sentence

_WORD = re.compile(r"\w+(?:['’]\w+)*", re.UNICODE)

_SNOWBALL = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "ru": "russian",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
}


def normalize_language(code: str | None) -> str | None:
    """Reduce a language tag such as ``en-US`` or ``fr_FR`` to its two-letter code."""
    if not code:
        return None
    return re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0] or None


def split_sentences(text: str, language: str | None = None) -> list[Sentence]:
    """Split ``text`` into sentences whose offsets slice ``text`` exactly, in order."""
    sentences = []
    for span in razdel.sentenize(text):
        if span.text.strip():
            sentences.append(Sentence(len(sentences), span.start, span.stop, span.text))
    return sentences


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; apostrophes kept inside words)."""
    return _WORD.findall(text.lower())


@lru_cache(maxsize=16)
def _stemmer(language: str | None) -> snowballstemmer.stemmer | None:
    name = _SNOWBALL.get(normalize_language(language) or "")
    return snowballstemmer.stemmer(name) if name else None


def stems(tokens: list[str], language: str | None = None) -> list[str]:
    """Snowball stems of ``tokens`` for ``language``; tokens unchanged when it has no stemmer."""
    stemmer = _stemmer(language)
    return stemmer.stemWords(tokens) if stemmer else list(tokens)


def stopwords(language: str | None = None) -> frozenset[str]:
    """Stop words of ``language`` (empty when unknown)."""
    return frozenset()


def detect_language(text: str) -> str | None:
    """Best guess of the two-letter language of ``text``, offline; None when too short to tell."""
    import py3langid

    if len(text.strip()) < 20:
        return None
    code, _ = py3langid.classify(text[:5000])
    return str(code)
