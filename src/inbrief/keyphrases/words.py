"""Words of an article as keyphrases reads them: as written, lower-cased, where they stand.

A sentence becomes a list of :class:`Word` and ``None`` (a boundary: punctuation, a stop word,
a number, a possessive).  Japanese has no spaces: a word is a run of kanji or of katakana, and
hiragana (particles, verb endings) is a boundary.  Korean writes particles onto the word before
them: one is taken off ("SBS는" -> "SBS"), and a word ending in 다 is a verb.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import cache
from typing import NamedTuple

# A word as written, in group 1: a dotted acronym with its final dot (U.S.), or letters and
# digits joined across an apostrophe, hyphen or dot inside them (don't, once-in-a-lifetime);
# otherwise a mark that ends a phrase (any other non-space character, or a PTB bracket token
# such as -lrb-), matched with group 1 empty.  Each match takes the white space before it:
# findall then makes one attempt per token instead of one failing attempt per space (30%
# faster).  Every non-space character starts a token, so only white space at the very end
# could fail a match, at each of its positions in turn: sentence_tokens strips it first.
_TOKEN = re.compile(r"\s*+(?:-[lr][rcs]b-|((?:[^\W\d_]\.){2,}|\w++(?:['\u2019.-]\w++)*+)|[^\w\s])")
_CURLY_APOSTROPHE = "\u2019"
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_KOREAN_PARTICLES = ("에서", "으로", "에게", "까지", "부터", *"은는이가을를의에와과도로만")
# When the language has no stop-word list: a word in this share of sentences or more is taken
# for a function word (the, and, of are in nearly every sentence of any language).
_FUNCTION_SHARE = 1 / 3
_FUNCTION_MIN_SENTENCES = 6


class Word(NamedTuple):
    surface: str
    lower: str
    sentence: int
    opens: bool  # first word of its sentence: a capital there says nothing
    after_determiner: bool  # "the building", "la société": used as a noun here


# NamedTuple's own constructor is a Python function: building through tuple is 3x faster, and
# keyphrases builds one Word per word of every article.
_new_word = tuple.__new__


def sentence_tokens(sentence: str) -> list[str]:
    """Words as written, and "" for each mark that ends a phrase."""
    tokens = _TOKEN.findall(sentence.rstrip())
    if not _CJK.search(sentence):
        return tokens
    split: list[str] = []
    japanese_word, hangul = _cjk_patterns()
    for token in tokens:
        if not _CJK.search(token):
            split.append(token)
        elif hangul.search(token):
            split.append(_korean_word(token))
        else:
            for match in japanese_word.finditer(token):
                split.append("" if match.group(1) else match.group(0))
            split.append("")
    return split


@cache
def _cjk_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A Japanese word, a Hangul letter: compiled when a text has CJK letters, which most
    texts do not (their character ranges cost milliseconds to compile)."""
    return (
        re.compile(r"[\u30a0-\u30ff]{2,}|[\u3400-\u9fff]{2,}|([\u3040-\u309f]+)"),
        re.compile(r"[\uac00-\ud7af]"),
    )


def _korean_word(token: str) -> str:
    if token.endswith("다"):
        return ""
    for particle in _KOREAN_PARTICLES:
        if token.endswith(particle) and len(token) > len(particle) + 1:
            return token[: -len(particle)]
    return token


def function_words(tokens: list[list[str]]) -> frozenset[str]:
    """Stand-in stop words for a language without a list: words in at least a third of the
    sentences that are also written in lower case (so a name repeated throughout stays)."""
    if len(tokens) < _FUNCTION_MIN_SENTENCES:
        return frozenset()
    spread: defaultdict[str, int] = defaultdict(int)
    for sentence in tokens:
        for word in {token.lower() for token in sentence if token}:
            spread[word] += 1
    written_lower = {token for sentence in tokens for token in sentence}
    threshold = _FUNCTION_SHARE * len(tokens)
    return frozenset(
        word for word, count in spread.items() if count >= threshold and word in written_lower
    )


def article_words(
    tokens: list[list[str]], stop: frozenset[str], determiners: frozenset[str]
) -> list[list[Word | None]]:
    """The words of each sentence of ``tokens``, with ``None`` where a phrase must end."""
    # What a token is does not depend on where it stands: worked out once per article (news
    # repeats its words), which halves the cost of this loop.
    seen: dict[str, tuple[bool, str, str, bool, bool]] = {}
    sentences: list[list[Word | None]] = []
    for number, sentence in enumerate(tokens):
        words: list[Word | None] = []
        append = words.append
        previous = ""
        opens = True
        for token in sentence:
            if not token:
                append(None)
                previous = ""
                continue
            known = seen.get(token)
            if known is None:
                elided, surface, possessive = _parts(token, stop)
                lower = surface.lower()
                content = len(lower) > 1 and lower not in stop
                content = content and not lower.replace(".", "").isdigit()
                known = seen[token] = (elided, surface, lower, possessive, content)
            elided, surface, lower, possessive, content = known
            if elided:
                append(None)  # "accorder l'asile": the phrase may not skip the article
            if content:
                after = elided or previous in determiners
                append(_new_word(Word, (surface, lower, number, opens, after)))
            else:
                append(None)
            if possessive:
                append(None)  # "Obama's plan" is two phrases: "Obama", "plan"
            previous = lower
            opens = False
        sentences.append(words)
    return sentences


def _parts(word: str, stop: frozenset[str]) -> tuple[bool, str, bool]:
    """(elided stop word before it, the word itself, possessive after it).

    ``l'ACTA`` (French, Italian elision) -> ``(True, "ACTA", False)``; ``Obama's`` ->
    ``(False, "Obama", True)``: phrases read as names, not inflections, and stay verbatim.
    """
    if "'" not in word and _CURLY_APOSTROPHE not in word:
        return False, word, False
    possessive = word[-2:] in ("'s", _CURLY_APOSTROPHE + "s")
    if possessive:
        word = word[:-2]
    head, mark, rest = word.replace(_CURLY_APOSTROPHE, "'").partition("'")
    if mark and rest and head.lower() in stop:
        return True, word[len(head) + 1 :], possessive
    return False, word, possessive
