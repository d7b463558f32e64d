"""Words as summarizers compare them: tokens, Snowball stems, and terms (stems of content words).

>>> tokenize("Obama's U.S. plan cost $19,000.")
["obama's", 'u.s', 'plan', 'cost', '19,000']
>>> terms("The ministers were meeting in Paris.", "en")
['minist', 'meet', 'pari']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

import snowballstemmer

from inbrief.text.language import normalize_language, stopwords

# ISO 639-1 code -> Snowball algorithm, for every stemmer snowballstemmer ships.
_SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "eo": "esperanto",
    "es": "spanish",
    "et": "estonian",
    "eu": "basque",
    "fa": "persian",
    "fi": "finnish",
    "fr": "french",
    "ga": "irish",
    "hi": "hindi",
    "hu": "hungarian",
    "hy": "armenian",
    "id": "indonesian",
    "it": "italian",
    "lt": "lithuanian",
    "ne": "nepali",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "st": "sesotho",
    "sv": "swedish",
    "ta": "tamil",
    "tr": "turkish",
    "yi": "yiddish",
}

# A token is a run of word characters, joined across an apostrophe (don't, l'homme), a dot
# (U.S., 3.5, dailymail.com) or a thousands comma (19,000).
_TOKEN = re.compile(r"\w+(?:[.']\w+|(?<=\d),\d+)*")
# PTB pieces dropped before matching: bracket tokens (-lrb-) and the clitics PTB splits off
# (obama 's, does n't, i 'm).  A few str.replace calls cost microseconds; the same rules as
# regex alternatives made every findall ~40% slower (0.18 vs 0.13 ms per CNN/DailyMail article).
_PTB_PIECES = (
    " 's ",
    " 're ",
    " 'll ",
    " 've ",
    " 'm ",
    " 'd ",
    " n't ",
    "-lrb-",
    "-rrb-",
    "-lsb-",
    "-rsb-",
    "-lcb-",
    "-rcb-",
)


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens: Unicode letters and digits, apostrophes kept inside words
    (curly ones made straight), PTB punctuation and clitic tokens (`` '' -lrb- 's n't) left out."""
    words = text.lower().replace("\u2019", "'")
    if " '" in words or " n't" in words or "b-" in words:
        words = f" {words} "
        for piece in _PTB_PIECES:
            if piece in words:
                words = words.replace(piece, " ")
    return _TOKEN.findall(words)


# Entries per cache before it is emptied: bounds memory in a long-running service, while one
# article's vocabulary (a few hundred tokens) always fits.
_CACHE_LIMIT = 200_000


class _TokenCache(dict[str, str]):
    """token -> value, computed once by ``compute``; stemming is the hot path of every
    summarizer, and news vocabulary repeats, so almost every look-up is a hit."""

    def __init__(self, compute: Callable[[str], str]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, token: str) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        value = self[token] = self._compute(token)
        return value


@cache
def _stem_cache(language: str) -> _TokenCache | None:
    name = _SNOWBALL.get(language)
    if name is None:
        return None
    stem = snowballstemmer.stemmer(name).stemWord

    def stem_word(token: str) -> str:
        # Acronyms and numbers (u.s, 3.5) stay whole: the English stemmer cuts "u.s" to "u.".
        return token if "." in token else stem(token)

    return _TokenCache(stem_word)


def stems(tokens: Iterable[str], language: str | None = None) -> list[str]:
    """Snowball stems of ``tokens`` for ``language``; tokens unchanged when it has no stemmer."""
    stem_of = _stem_cache(normalize_language(language) or "")
    return list(map(stem_of.__getitem__, tokens)) if stem_of is not None else list(tokens)


# Languages that elide articles and prepositions into the next word: l'homme, dell'anno.
_ELIDING = frozenset({"fr", "it", "ca"})


@cache
def _term_cache(language: str) -> _TokenCache:
    stop = stopwords(language)
    stem = _stem_cache(language)
    eliding = language in _ELIDING

    def term(token: str) -> str:
        if token in stop:
            return ""
        if eliding and "'" in token:
            head, _, rest = token.partition("'")
            if head in stop or len(head) == 1:
                return term(rest) if rest else ""
        return stem[token] if stem is not None else token

    return _TokenCache(term)


def terms(text: str, language: str | None = None) -> list[str]:
    """Stems of the content words of ``text``, in order: what summarizers compare.

    Stop words are dropped, French and Italian elisions split off (``l'accord`` -> ``accord``).
    Each distinct token is stemmed once per process, so a call is cheap enough to run on every
    sentence of every article.
    """
    term_of = _term_cache(normalize_language(language) or "")
    return [term for term in map(term_of.__getitem__, tokenize(text)) if term]
