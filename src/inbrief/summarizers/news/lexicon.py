"""Per-language word cache of the ``news`` features: hash, stem and flags of each word, once.

An article repeats most of its words and a stream of articles most of its vocabulary, so the
per-word work (hashing, Snowball stemming, stop-word tests) is done once per word and language:
the summarizer must keep up with a news feed on one core.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from inbrief.text.language import normalize_language, stopwords
from inbrief.text.tokens import stems


@dataclass(frozen=True)
class WordValues:
    """The cached values of an article's words, in the article's word order."""

    hashes: np.ndarray
    stems: np.ndarray
    content: np.ndarray
    digits: np.ndarray


class _Table:
    """Rows of cached values; rows are only ever appended, so a row once read never changes."""

    def __init__(self, size: int = 4096) -> None:
        self.index: dict[str, int] = {}
        self.hashes = np.zeros(size, dtype=np.uint64)
        self.stems = np.zeros(size, dtype=np.int64)
        self.content = np.zeros(size, dtype=bool)
        self.digits = np.zeros(size, dtype=bool)

    def values(self, rows: np.ndarray) -> WordValues:
        return WordValues(
            self.hashes[rows], self.stems[rows], self.content[rows], self.digits[rows]
        )


class Lexicon:
    """Hash, stem hash, content-word and digit flags of every word seen in one language.

    The cache starts over when it passes ``limit`` words, to bound a long-running service.
    The web service summarizes in several threads at once: words are added under a lock, and
    a lookup reads one table throughout, so a concurrent addition or a fresh start never mixes
    rows of two tables (which would change an article's features, and its summary).
    """

    def __init__(self, language: str | None, limit: int = 500_000) -> None:
        self.language = language
        self.limit = limit
        self._stopwords = frozenset(w.lower() for w in stopwords(language))
        self._lock = threading.Lock()
        self._table = _Table()

    def lookup(self, words: Sequence[str]) -> WordValues:
        """The cached values of ``words``, adding unseen words first."""
        table = self._table
        try:
            # A warm cache knows every word of most articles: no set to build, no lock.
            return table.values(np.array(list(map(table.index.__getitem__, words)), np.int64))
        except KeyError:
            pass
        with self._lock:
            table = self._table
            missing = set(words).difference(table.index)
            if len(table.index) + len(missing) > self.limit:
                table = self._table = _Table()
                missing = set(words)
            if missing:
                self._add(table, sorted(missing))
            rows = np.array(list(map(table.index.__getitem__, words)), dtype=np.int64)
            return table.values(rows)

    def _add(self, table: _Table, words: list[str]) -> None:
        start = len(table.index)
        end = start + len(words)
        if end > table.hashes.shape[0]:
            size = max(end, 2 * table.hashes.shape[0])
            table.hashes = np.resize(table.hashes, size)
            table.stems = np.resize(table.stems, size)
            table.content = np.resize(table.content, size)
            table.digits = np.resize(table.digits, size)
        word_stems = stems(words, self.language)
        for row, (word, stem) in enumerate(zip(words, word_stems, strict=True), start=start):
            table.hashes[row] = zlib.crc32(word.encode("utf-8"))
            table.stems[row] = _stem_key(stem)
            # One-letter tokens are clitic debris (PTB "n't" -> n, t) or initials.
            table.content[row] = len(word) > 1 and word not in self._stopwords
            table.digits[row] = word[0].isdigit()
            # Last: a lock-free reader that finds the word finds its row already filled.
            table.index[word] = row


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
