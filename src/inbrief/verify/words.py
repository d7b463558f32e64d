"""Content words as the check compares them: the word, its stem, how common it is.

A summary's word is accounted for by the article when the article has the same stem (Snowball:
"killed" and "killing"), or a word opening with the same first letters (derivations and
inflections Snowball leaves apart: "negotiators" and "negotiations", "Путин" and "Путина").
How common a word is in the language at large comes from ``wordfreq``, whose frequency lists
ship in its wheel: the check loads no data at run time, but needs the ``llm`` extra.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from inbrief.errors import VerifyError
from inbrief.text import stems, stopwords, tokenize
from inbrief.text.language import normalize_language

# Letters two words must open with alike to count as one word's inflection or derivation of
# the other; shorter words must share their stem.
PREFIX = 5
_LETTERS = re.compile(r"[^\W\d_]")
# Languages that elide articles and prepositions into the next word: l'homme, dell'anno.
_ELIDING = frozenset({"fr", "it", "ca"})
# Zipf frequency given to a word of a language wordfreq has no list for: a middling word.
_UNKNOWN_ZIPF = 3.0


@dataclass(frozen=True)
class Word:
    """A content word: as the tokenizer gave it (lower-cased, elision dropped) and its stem."""

    text: str
    stem: str

    @property
    def prefix(self) -> str:
        """Its first :data:`PREFIX` letters, or empty when it is shorter than that."""
        return self.text[:PREFIX] if len(self.text) > PREFIX else ""


def content_words(text: str, language: str | None) -> list[Word]:
    """The content words of ``text`` in order: tokens with a letter, stop words left out."""
    code = normalize_language(language)
    stop = stopwords(code) if code else stopwords("en")
    eliding = code in _ELIDING
    kept = []
    for token in tokenize(text):
        if token in stop or not _LETTERS.search(token):
            continue
        if "'" in token:
            head, _, rest = token.partition("'")
            if eliding and (head in stop or len(head) == 1):
                token = rest
            elif not eliding and rest in ("s", ""):
                token = head  # the English possessive: obama's -> obama
            if not token or token in stop:
                continue
        kept.append(token)
    return [Word(token, stem) for token, stem in zip(kept, stems(kept, code), strict=True)]


def _wordfreq() -> Callable[[str, str], float]:
    try:
        from wordfreq import zipf_frequency
    except ImportError:
        raise VerifyError(
            "checking summaries needs the llm extra: pip install 'inbrief[llm]'"
        ) from None
    return zipf_frequency


@cache
def _frequency_languages() -> frozenset[str]:
    _wordfreq()
    from wordfreq import available_languages

    return frozenset(available_languages())


def require_wordfreq() -> None:
    """Raise :class:`VerifyError` now, before any work, when wordfreq is not installed."""
    _frequency_languages()


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str | None) -> float:
    """How common ``word`` is in ``language`` at large, on the Zipf scale (log10 of its count
    per billion words: "the" 7.7, "swing" 4.3, "kestrel" 2.5, 0 for unseen words)."""
    code = normalize_language(language) or "en"
    if code not in _frequency_languages():
        return _UNKNOWN_ZIPF
    return float(_wordfreq()(word, code))
