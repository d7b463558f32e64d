"""Sentence features of the ``news`` model, computed per article with numpy.

One call, :func:`featurize`, turns an article's sentences into

* a dense matrix (one row per sentence) of language-independent cues: position, length and
  its rank, TF-IDF centrality, similarity to the lead and to the whole document, redundancy
  with earlier sentences, LexRank, quotation, punctuation and number cues, document length;
* hashed sparse features: word unigrams and bigrams, and position-bucket x word pairs, as
  (sentence row, bucket id, value) triples ready for a weight lookup;
* what selection needs besides scores: the furniture a summary must not show
  (:mod:`~inbrief.summarizers.news.rules`), the quotations cut over several sentences
  (:mod:`~inbrief.summarizers.news.quotes`), and each sentence's word tokens.

Words are lower-cased before hashing, so cased news text and the lower-cased CNN/DailyMail
training text land on the same buckets; no feature looks at letter case.  The article is
scanned as one string (one sentence per line) rather than sentence by sentence: the summarizer
must keep up with a news feed on one core.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from inbrief.summarizers.news.lexicon import lexicon
from inbrief.summarizers.news.lines import ArticleLines
from inbrief.summarizers.news.quotes import QuoteSpan, quote_states, spans
from inbrief.summarizers.news.rules import furniture, labelled
from inbrief.summarizers.news.similarity import relative_rank, similarity_features

HASH_BITS = 20
"""Hashed feature space: 2**20 buckets (the weights ship as float16)."""

POSITION_BUCKETS = (0, 1, 2, 3, 5, 8)
"""Sentence-position buckets by lower bound: 1st, 2nd, 3rd, 4th-5th, 6th-8th, later."""

_LENGTH_BOUNDS = (0, 5, 10, 15, 25, 40)
_LENGTH_NAMES = tuple(
    f"length_{low}_{high - 1}" if high else f"length_{low}_plus"
    for low, high in zip(_LENGTH_BOUNDS, (*_LENGTH_BOUNDS[1:], 0), strict=True)
)
_CUE_NAMES = (
    "has_quote",
    "starts_inside_quote",
    "ends_inside_quote",
    "question",
    "exclamation",
    "ends_with_colon",
    "has_label_colon",
    "boilerplate",
)

SENTENCE_NAMES: tuple[str, ...] = (
    "position_relative",
    "position_inverse",
    *(f"position_is_{b}" for b in POSITION_BUCKETS),
    "log_sentences",
    "log_document_tokens",
    "log_length",
    "length_rank",
    *_LENGTH_NAMES,
    "centrality",
    "centrality_rank",
    "centrality_relative",
    "similarity_first",
    "similarity_lead3",
    "degree",
    "redundancy_earlier",
    "redundancy_any",
    "lexrank",
    "topic_weight",
    "topic_weight_rank",
    "content_share",
    "digit_share",
    *_CUE_NAMES,
    "position_x_length",
    "first_x_length",
)
"""Cues of one sentence.  Each sentence also sees its neighbours' cues: a sentence after a
caption, or before one that names the speaker, reads differently."""

DENSE_NAMES: tuple[str, ...] = (
    *SENTENCE_NAMES,
    *(f"previous_{name}" for name in SENTENCE_NAMES),
    *(f"next_{name}" for name in SENTENCE_NAMES),
)
"""Names of the dense feature columns, in order (the weights file records them)."""

_COLUMN = {name: k for k, name in enumerate(SENTENCE_NAMES)}
_TOKEN_OR_BREAK = re.compile(r"\w+|\n")
_FINAL = re.compile(r"([?!:])[^\w\n]*$", re.MULTILINE)

# Salts keep the unigram, bigram and position x word families apart in the shared space.
_SALT_UNIGRAM = 0x9E3779B97F4A7C15
_SALT_BIGRAM = 0xC2B2AE3D27D4EB4F
_SALT_POSITION = 0x165667B19E3779F9
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_MASK = np.uint64((1 << HASH_BITS) - 1)


@dataclass(frozen=True)
class ArticleFeatures:
    """Features of one article's sentences.

    ``dense`` is ``(sentences, len(DENSE_NAMES))``: each sentence's own cues, then its
    neighbours'.  The hashed part is three aligned arrays:
    ``hashed_rows[k]`` is the sentence of feature ``hashed_ids[k]``, whose value is
    ``hashed_values[k]``.  ``boilerplate`` marks sentences a summary must not show;
    ``quotes`` lists quotations that run over several sentences.
    """

    dense: np.ndarray
    hashed_rows: np.ndarray
    hashed_ids: np.ndarray
    hashed_values: np.ndarray
    boilerplate: np.ndarray
    token_counts: np.ndarray
    quotes: tuple[QuoteSpan, ...]
    words: tuple[str, ...]
    word_offsets: np.ndarray

    @property
    def size(self) -> int:
        """Number of sentences."""
        return int(self.dense.shape[0])

    def tokens(self, sentence: int) -> tuple[str, ...]:
        """Lower-cased word tokens of one sentence (what trigram blocking compares)."""
        return self.words[self.word_offsets[sentence] : self.word_offsets[sentence + 1]]


def featurize(texts: Sequence[str], language: str | None) -> ArticleFeatures:
    """Dense and hashed features of one article's sentences (``texts`` in article order)."""
    n = len(texts)
    lines = ArticleLines(texts)
    words_of = lexicon(language)
    stream = np.array(_TOKEN_OR_BREAK.findall(lines.text), dtype=object)
    is_break = stream == "\n"
    words = tuple(stream[~is_break].tolist())
    # Sentence k's words are words[offsets[k]:offsets[k + 1]].
    breaks = np.flatnonzero(is_break)
    offsets = np.zeros(n + 1, dtype=np.int64)
    offsets[1:n] = breaks - np.arange(breaks.shape[0])
    offsets[n] = len(words)
    lengths = np.diff(offsets)
    sentence_of_word = np.repeat(np.arange(n), lengths)
    values = words_of.lookup(words)
    content = values.content

    dense = np.zeros((n, len(SENTENCE_NAMES)), dtype=np.float64)

    def put(name: str, values: np.ndarray | float) -> None:
        dense[:, _COLUMN[name]] = values

    every = np.arange(n)
    positions = every.astype(np.float64)
    buckets = np.searchsorted(POSITION_BUCKETS, every, side="right") - 1
    put("position_relative", positions / max(n, 1))
    put("position_inverse", 1.0 / (positions + 1.0))
    dense[every, _COLUMN[f"position_is_{POSITION_BUCKETS[0]}"] + buckets] = 1.0
    put("log_sentences", np.log1p(n))
    put("log_document_tokens", np.log1p(lengths.sum()))
    log_length = np.log1p(lengths)
    put("log_length", log_length)
    put("length_rank", relative_rank(lengths.astype(np.float64)))
    length_bucket = np.searchsorted(_LENGTH_BOUNDS, lengths, side="right") - 1
    dense[every, _COLUMN[_LENGTH_NAMES[0]] + length_bucket] = 1.0
    put("position_x_length", positions / max(n, 1) * log_length)
    put("first_x_length", (every == 0) * log_length)

    similarity_features(put, n, sentence_of_word[content], values.stems[content], lengths)

    share = np.maximum(lengths, 1)
    digits = np.bincount(sentence_of_word[values.digits], minlength=n)
    put("digit_share", digits / share)
    put("content_share", np.bincount(sentence_of_word[content], minlength=n) / share)
    quoted = quote_states(lines, language)
    put("has_quote", quoted.has_mark)
    put("starts_inside_quote", quoted.starts)
    put("ends_inside_quote", quoted.ends)
    final = _final_marks(lines)
    put("question", final == "?")
    put("exclamation", final == "!")
    put("ends_with_colon", final == ":")
    label = labelled(lines)
    put("has_label_colon", label)
    boilerplate = furniture(lines, lengths, digits, label)
    put("boilerplate", boilerplate)

    hashed_rows, hashed_ids, hashed_values = _hashed(
        values.hashes, sentence_of_word, lengths, buckets
    )
    return ArticleFeatures(
        dense=_with_neighbours(dense),
        hashed_rows=hashed_rows,
        hashed_ids=hashed_ids,
        hashed_values=hashed_values,
        boilerplate=boilerplate,
        token_counts=lengths,
        quotes=spans(texts, quoted),
        words=words,
        word_offsets=offsets,
    )


def _with_neighbours(dense: np.ndarray) -> np.ndarray:
    """Each row followed by the previous and the next row (zeros at the article's edges)."""
    n, width = dense.shape
    wide = np.zeros((n, 3 * width), dtype=np.float64)
    wide[:, :width] = dense
    wide[1:, width : 2 * width] = dense[:-1]
    wide[:-1, 2 * width :] = dense[1:]
    return wide


def _final_marks(lines: ArticleLines) -> np.ndarray:
    """The sentence-final ``?``, ``!`` or ``:`` of each sentence (before closing quotes), or ''."""
    final = np.full(lines.size, "", dtype="<U1")
    for match in _FINAL.finditer(lines.text):
        final[lines.sentence_of([match.start()])[0]] = match.group(1)
    return final


def _mix(values: np.ndarray, salt: int) -> np.ndarray:
    """A cheap 64-bit finaliser (splitmix-style) so nearby keys spread over all buckets."""
    x = values.astype(np.uint64) ^ np.uint64(salt)
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(31))) * _MIX
        x = x ^ (x >> np.uint64(29))
    return (x & _MASK).astype(np.int64)


def _hashed(
    hashes: np.ndarray, sentence_of_word: np.ndarray, lengths: np.ndarray, buckets: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unigram, bigram and position-bucket x word ids, valued 1/sqrt(sentence length)."""
    # Bigrams never straddle two sentences.
    same = sentence_of_word[1:] == sentence_of_word[:-1]
    with np.errstate(over="ignore"):
        bigram_keys = hashes[:-1][same] * np.uint64(1_000_003) + hashes[1:][same]
    position_keys = hashes * np.uint64(16) + buckets[sentence_of_word].astype(np.uint64)
    ids = np.concatenate(
        (
            _mix(hashes, _SALT_UNIGRAM),
            _mix(bigram_keys, _SALT_BIGRAM),
            _mix(position_keys, _SALT_POSITION),
        )
    )
    rows = np.concatenate((sentence_of_word, sentence_of_word[1:][same], sentence_of_word))
    scale = 1.0 / np.sqrt(np.maximum(lengths, 1).astype(np.float64))
    return rows, ids, scale[rows]
