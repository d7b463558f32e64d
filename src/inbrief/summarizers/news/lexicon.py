"""Per-language word cache of the ``news`` features: hash, stem and flags of each word, once.

An article repeats most of its words and a stream of articles most of its vocabulary, so the
per-word work (hashing, Snowball stemming, stop-word tests) is done once per word and language:
the summarizer must keep up with a news feed on one core.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Sequence

import numpy as np

from inbrief.text.language import normalize_language, stopwords
from inbrief.text.tokens import stems


class Lexicon:
    """Hash, stem hash, content-word and digit flags of every word seen in one language.

    The cache starts over when it passes ``limit`` words, to bound a long-running service.
    """

    def __init__(self, language: str | None, limit: int = 500_000) -> None:
        self.language = language
        self.limit = limit
        self._stopwords = frozenset(w.lower() for w in stopwords(language))
        self._reset()

    def _reset(self) -> None:
        self.index: dict[str, int] = {}
        self.hashes = np.zeros(4096, dtype=np.uint64)
        self.stems = np.zeros(4096, dtype=np.int64)
        self.content = np.zeros(4096, dtype=bool)
        self.digits = np.zeros(4096, dtype=bool)

    def lookup(self, words: Sequence[str]) -> np.ndarray:
        """Row numbers of ``words`` in the cache arrays, adding unseen words first."""
        index = self.index
        try:
            # A warm cache knows every word of most articles: no set to build.
            return np.array(list(map(index.__getitem__, words)), dtype=np.int64)
        except KeyError:
            pass
        missing = set(words).difference(index)
        if missing:
            if len(index) + len(missing) > self.limit:
                self._reset()
                index = self.index
                missing = set(words)
            self._add(sorted(missing))
        return np.array(list(map(index.__getitem__, words)), dtype=np.int64)

    def _add(self, words: list[str]) -> None:
        start = len(self.index)
        end = start + len(words)
        if end > self.hashes.shape[0]:
            size = max(end, 2 * self.hashes.shape[0])
            self.hashes = np.resize(self.hashes, size)
            self.stems = np.resize(self.stems, size)
            self.content = np.resize(self.content, size)
            self.digits = np.resize(self.digits, size)
        word_stems = stems(words, self.language)
        for row, (word, stem) in enumerate(zip(words, word_stems, strict=True), start=start):
            self.index[word] = row
            self.hashes[row] = zlib.crc32(word.encode("utf-8"))
            self.stems[row] = _stem_key(stem)
            # One-letter tokens are clitic debris (PTB "n't" -> n, t) or initials.
            self.content[row] = len(word) > 1 and word not in self._stopwords
            self.digits[row] = word[0].isdigit()


def _stem_key(stem: str) -> int:
    """A 63-bit hash of a stem.  Stems are known by their text, not by when they were first
    seen, so an article's features never depend on what the process summarized before."""
    digest = hashlib.blake2b(stem.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


_LEXICONS: dict[str | None, Lexicon] = {}


def lexicon(language: str | None) -> Lexicon:
    """The process's word cache for ``language`` (one per normalized language code)."""
    code = normalize_language(language)
    found = _LEXICONS.get(code)
    if found is None:
        found = _LEXICONS[code] = Lexicon(code)
    return found
