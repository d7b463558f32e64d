# ruff: noqa: RUF002
# (Chinese punctuation in the examples is meant as written.)
"""Words as summarizers compare them: tokens, Snowball stems, and terms (stems of content words);
and words as a reader counts them, for budgets, stats and reading time.

>>> tokenize("Obama's U.S. plan cost $19,000.")
["obama's", 'u.s', 'plan', 'cost', '19,000']
>>> terms("The ministers were meeting in Paris.", "en")
['minist', 'meet', 'pari']
>>> count_words("Green Dam（绿坝）filters")
5
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


KAZAKH_STEM_LETTERS = 5
"""Kazakh, which Snowball lacks, is stemmed by keeping a word's first five letters: Kazakh
stacks its endings after an unchanging stem (депутат-тар-ы-на), and for Turkish, its
close kin, this "F5" truncation groups forms as well as a full stemmer does (Can et al.,
"Information retrieval on Turkish texts", JASIST 59(3), 2008).  Peeling endings off by rule
split forms apart instead ("президенті" -> "прези", but "президент" stays whole)."""


def kazakh_stem(word: str) -> str:
    """The stem of a Kazakh word: its first :data:`KAZAKH_STEM_LETTERS` letters."""
    return word[:KAZAKH_STEM_LETTERS]


@cache
def _stem_cache(language: str) -> _TokenCache | None:
    name = _SNOWBALL.get(language)
    if language == "kk":
        stem = kazakh_stem
    elif name is None:
        return None
    else:
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


# --- words as a reader counts them --------------------------------------------------------------

# Han (with the iteration and numeral marks 々〆〇 and the Suzhou numerals), Hiragana and
# Katakana (the prolonged sound mark ー is one of its letters, the middle dot ・ not), the Han
# extension and compatibility blocks, and half-width Katakana.
_HAN_KANA = (
    "\u3005-\u3007\u3021-\u3029\u3038-\u303c\u3040-\u309f\u30a0-\u30fa\u30fc-\u30ff"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9d\U00020000-\U0003134f"
)
_THAI = "\u0e00-\u0e7f"
# Thai, and every character from U+3005 up: they hold every character above, and none of the
# Latin, Cyrillic, Greek, Arabic, Hebrew or Devanagari letters, nor the quotes, dashes and
# currency signs of the General Punctuation block (U+2000-206F): a text they do not find is
# counted by str.split() alone.  (They may hold more than they need: on a text with no Han,
# Kana or Thai the exact count below is str.split()'s.)  On
# CNN/DailyMail's non-ASCII articles (half of them) the scan costs a third of what split() does
# (13 vs 33 us per article); an ASCII text is not scanned at all.  Written as the complement of
# what lies below U+3005, the class compiles in a sixth of the time of the range above it (the
# regex compiler walks every character of a range), which every start of inbrief paid.
_MAYBE_UNSPACED = re.compile("[\u0e00-\u0e7f]|[^\\x00-\u3004]")


@cache
def _pieces() -> re.Pattern[str]:
    """The pieces of text :func:`count_words` counts (compiled when a text needs them)."""
    return re.compile(f"(?P<han>[{_HAN_KANA}])|(?P<thai>[{_THAI}]+)|[^\\s{_HAN_KANA}{_THAI}]+")


_WORD_CHAR = re.compile(r"\w")

THAI_CHARACTERS_PER_WORD = 4
"""Thai is written without spaces between words, and a segmenter needs a dictionary; a run of
Thai counts one word per this many characters (rounded, at least one): the mean length of a
word in the BEST 2010 test set, 194 characters to 48.5 words a sample, as PyThaiNLP's
tokenization benchmark reports it."""


def count_words(text: str) -> int:
    """Words in ``text`` as a reader counts them: what word budgets, stats and reading time use.

    White-space-separated runs (``len(text.split())``), except in scripts written without
    spaces: each Han, Hiragana or Katakana character is a word, as reading-speed studies count
    Chinese and Japanese (in characters a minute, e.g. the IReST texts, Trauzettel-Klosinski et
    al. 2012), and a run of Thai counts :data:`THAI_CHARACTERS_PER_WORD` characters to a word.
    Latin words and numbers between such characters count once each; the punctuation glued to
    them (``，`` ``。`` ``「``) not at all.  Hangul is written with spaces and counted by them.
    """
    if text.isascii() or _MAYBE_UNSPACED.search(text) is None:
        return len(text.split())
    words = 0
    end = len(text)
    for piece in _pieces().finditer(text):
        kind = piece.lastgroup
        if kind == "han":
            words += 1
        elif kind == "thai":
            words += max(1, round((piece.end() - piece.start()) / THAI_CHARACTERS_PER_WORD))
        elif _WORD_CHAR.search(piece.group()) or _stands_alone(text, *piece.span(), end):
            words += 1
    return words


def _stands_alone(text: str, start: int, stop: int, end: int) -> bool:
    """True when ``text[start:stop]`` is a whole white-space-separated run (a lone dash), which
    counts as a word as it does in spaced text."""
    return (start == 0 or text[start - 1].isspace()) and (stop == end or text[stop].isspace())
