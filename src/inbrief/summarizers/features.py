# ruff: noqa: RUF001
# (Quotation marks and apostrophes of several typographic traditions are meant as written.)
"""Sentence features for the learned ``news`` summarizer, computed per article with numpy.

One call, :func:`featurize`, turns an article's sentences into

* a dense matrix (one row per sentence) of language-independent cues: position, length and
  its rank, TF-IDF centrality, similarity to the lead and to the whole document, redundancy
  with earlier sentences, LexRank, quotation, punctuation and number cues, document length;
* hashed sparse features: word unigrams and bigrams, and position-bucket x word pairs, as
  (sentence row, bucket id, value) triples ready for a weight lookup.

Words are lower-cased before hashing, so cased news text and the lower-cased CNN/DailyMail
training text land on the same buckets; no feature looks at letter case.  Per-word work
(hashing, stemming, stop-word tests) is cached per language in a :class:`_Lexicon`, and the
article is scanned as one string (one sentence per line) rather than sentence by sentence:
the summarizer must keep up with a news feed on one core.

The same module recognises what a news summary must not show on its own: bylines, time
stamps, photo captions and credits, page furniture and scraped code (:func:`is_boilerplate`),
and quotations that run over several sentences (:func:`quote_spans`).
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from inbrief import text as text_module
from inbrief.text.punctuation import HEADING_WORDS, is_heading

HASH_BITS = 20
"""Hashed feature space: 2**20 buckets (weights ship as float16, under 2 MB compressed)."""

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
caption, or before one that names the speaker, reads differently (+0.2 ROUGE-1 in
cross-validation)."""

DENSE_NAMES: tuple[str, ...] = (
    *SENTENCE_NAMES,
    *(f"previous_{name}" for name in SENTENCE_NAMES),
    *(f"next_{name}" for name in SENTENCE_NAMES),
)
"""Names of the dense feature columns, in order (the weights file records them)."""

_COLUMN = {name: k for k, name in enumerate(SENTENCE_NAMES)}
_TOKEN_OR_BREAK = re.compile(r"\w+|\n")
_TOKEN = re.compile(r"\w+")

# Salts keep the unigram, bigram and position x word families apart in the shared space.
_SALT_UNIGRAM = 0x9E3779B97F4A7C15
_SALT_BIGRAM = 0xC2B2AE3D27D4EB4F
_SALT_POSITION = 0x165667B19E3779F9
_MIX = np.uint64(0xBF58476D1CE4E5B9)
_MASK = np.uint64((1 << HASH_BITS) - 1)

_Put = Callable[[str, "np.ndarray | float"], None]


@dataclass(frozen=True)
class QuoteSpan:
    """Sentences ``first..last`` (inclusive) that one quotation runs across."""

    first: int
    last: int
    attributed_first: bool
    """True when the first sentence names the speaker before the quotation mark opens."""


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


class _Lexicon:
    """Per-language word cache: hash, stem hash, content-word and digit flags of every word.

    Snowball stemming costs microseconds per word in pure Python; an article repeats most of
    its words and a stream of articles most of its vocabulary, so each word is stemmed once.
    The cache starts over when it passes ``limit`` words, to bound a long-running service.
    """

    def __init__(self, language: str | None, limit: int = 500_000) -> None:
        self.language = language
        self.limit = limit
        self._stopwords = frozenset(w.lower() for w in text_module.stopwords(language))
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
        stems = text_module.stems(words, self.language)
        for row, (word, stem) in enumerate(zip(words, stems, strict=True), start=start):
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


_LEXICONS: dict[str | None, _Lexicon] = {}


def _lexicon(language: str | None) -> _Lexicon:
    code = text_module.normalize_language(language)
    lexicon = _LEXICONS.get(code)
    if lexicon is None:
        lexicon = _LEXICONS[code] = _Lexicon(code)
    return lexicon


class _Lines:
    """An article's sentences as one lower-cased string, one sentence per line.

    Each pattern then runs once over the article and its matches map back to sentences by
    offset; patterns that only concern a few sentences run on those lines alone.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.lines = [t.replace("\n", " ").lower() for t in texts]
        self.text = "\n".join(self.lines)
        self.size = len(self.lines)
        self.starts = np.cumsum([0] + [len(line) + 1 for line in self.lines[:-1]])

    def sentence_of(self, positions: Sequence[int]) -> np.ndarray:
        """Sentence number of each character position of :attr:`text`."""
        return np.searchsorted(self.starts, np.asarray(positions, dtype=np.int64), "right") - 1

    def flags(self, pattern: re.Pattern[str], only: np.ndarray | None = None) -> np.ndarray:
        """True for sentences where ``pattern`` matches (searching only ``only`` if given)."""
        found = np.zeros(self.size, dtype=bool)
        if only is not None:
            for i in np.flatnonzero(only).tolist():
                found[i] = pattern.search(self.lines[i]) is not None
            return found
        positions = [m.start() for m in pattern.finditer(self.text)]
        if positions:
            found[self.sentence_of(positions)] = True
        return found

    def counts(self, pattern: re.Pattern[str]) -> np.ndarray:
        """Matches of ``pattern`` per sentence."""
        positions = [m.start() for m in pattern.finditer(self.text)]
        if not positions:
            return np.zeros(self.size, dtype=np.int64)
        return np.bincount(self.sentence_of(positions), minlength=self.size)

    def containing(self, needle: str) -> np.ndarray:
        """True for sentences containing ``needle`` (a plain substring test)."""
        if needle not in self.text:
            return np.zeros(self.size, dtype=bool)
        return np.array([needle in line for line in self.lines], dtype=bool)


def featurize(texts: Sequence[str], language: str | None) -> ArticleFeatures:
    """Dense and hashed features of one article's sentences (``texts`` in article order)."""
    n = len(texts)
    lines = _Lines(texts)
    lexicon = _lexicon(language)
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
    rows = lexicon.lookup(words)
    content = lexicon.content[rows]

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
    put("length_rank", _rank(lengths.astype(np.float64)))
    length_bucket = np.searchsorted(_LENGTH_BOUNDS, lengths, side="right") - 1
    dense[every, _COLUMN[_LENGTH_NAMES[0]] + length_bucket] = 1.0
    put("position_x_length", positions / max(n, 1) * log_length)
    put("first_x_length", (every == 0) * log_length)

    _similarity_features(put, n, sentence_of_word[content], lexicon.stems[rows[content]], lengths)

    share = np.maximum(lengths, 1)
    digits = np.bincount(sentence_of_word[lexicon.digits[rows]], minlength=n)
    put("digit_share", digits / share)
    put("content_share", np.bincount(sentence_of_word[content], minlength=n) / share)
    starts, ends, has_quote = _quote_states(lines)
    put("has_quote", has_quote)
    put("starts_inside_quote", starts)
    put("ends_inside_quote", ends)
    final = _final_marks(lines)
    put("question", final == "?")
    put("exclamation", final == "!")
    put("ends_with_colon", final == ":")
    label = lines.flags(_LABEL, only=lines.containing(":"))
    put("has_label_colon", label)
    boilerplate = _boilerplate(lines, lengths, digits, label)
    put("boilerplate", boilerplate)

    hashed_rows, hashed_ids, hashed_values = _hashed(
        lexicon.hashes[rows], sentence_of_word, lengths, buckets
    )
    return ArticleFeatures(
        dense=_with_neighbours(dense),
        hashed_rows=hashed_rows,
        hashed_ids=hashed_ids,
        hashed_values=hashed_values,
        boilerplate=boilerplate,
        token_counts=lengths,
        quotes=_spans(texts, starts, ends),
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


def _rank(values: np.ndarray) -> np.ndarray:
    """Rank of each value from the top (0 = largest) divided by the count; ties by index."""
    n = values.shape[0]
    order = np.lexsort((np.arange(n), -values))
    ranks = np.empty(n, dtype=np.float64)
    ranks[order] = np.arange(n, dtype=np.float64)
    return ranks / max(n, 1)


def _similarity_features(
    put: _Put, n: int, sentence_of_term: np.ndarray, stem_ids: np.ndarray, lengths: np.ndarray
) -> None:
    """Centrality, lead similarity, redundancy and LexRank from TF-IDF sentence vectors.

    The sentence x stem matrix is kept as its non-zero entries: a sentence holds a dozen of an
    article's few hundred stems, and small dense products go through a multi-threaded BLAS
    whose start-up costs more than the arithmetic.
    """
    if stem_ids.size == 0:
        return
    # One entry per (stem, sentence) pair, sorted by stem, with the stem's count there.
    order = np.lexsort((sentence_of_term, stem_ids))
    stems, sentences = stem_ids[order], sentence_of_term[order]
    new_stem = np.ones(stems.shape[0], dtype=bool)
    new_stem[1:] = stems[1:] != stems[:-1]
    new_entry = new_stem.copy()
    new_entry[1:] |= sentences[1:] != sentences[:-1]
    starts = np.flatnonzero(new_entry)
    counts = np.diff(np.append(starts, stems.shape[0]))
    sentence = sentences[starts]
    term = np.cumsum(new_stem)[starts] - 1
    v = int(term[-1]) + 1
    # In-document IDF: a stem in every sentence says nothing about any of them.
    idf = np.log1p(n / np.bincount(term, minlength=v))
    weight = counts * idf[term]
    norms = np.sqrt(np.bincount(sentence, weight * weight, minlength=n))
    unit = weight / norms[sentence]

    similarity = _pair_sums(sentence, term, unit, n)
    np.fill_diagonal(similarity, 0.0)
    document = np.bincount(term, weight, minlength=v)
    centrality = np.bincount(sentence, unit * document[term], minlength=n) / max(
        float(np.sqrt(document @ document)), 1e-12
    )
    put("centrality", centrality)
    put("centrality_rank", _rank(centrality))
    put("centrality_relative", centrality / max(float(centrality.max()), 1e-12))
    put("similarity_first", similarity[:, 0])
    lead = np.bincount(term, weight * (sentence < 3), minlength=v)
    lead_similarity = np.bincount(sentence, unit * lead[term], minlength=n)
    put("similarity_lead3", lead_similarity / max(float(np.sqrt(lead @ lead)), 1e-12))
    put("degree", similarity.sum(axis=1) / max(n - 1, 1))
    if n > 1:
        put("redundancy_earlier", np.tril(similarity, -1).max(axis=1))
        put("redundancy_any", similarity.max(axis=1))

    # LexRank (Erkan & Radev 2004): 0.1 similarity threshold, damping 0.85, power iteration.
    adjacency = (similarity > 0.1).astype(np.float64)
    np.fill_diagonal(adjacency, 1.0)
    transition = adjacency / adjacency.sum(axis=1, keepdims=True)
    rank = np.full(n, 1.0 / n)
    for _ in range(20):
        rank = 0.15 / n + 0.85 * (rank @ transition)
    put("lexrank", rank * n)

    # Topic weight: how much the document repeats the sentence's content stems.
    document_tf = np.log1p(np.bincount(term, counts, minlength=v))
    topic = np.bincount(sentence, counts * document_tf[term], minlength=n) / np.maximum(lengths, 1)
    put("topic_weight", topic)
    put("topic_weight_rank", _rank(topic))


def _pair_sums(sentence: np.ndarray, term: np.ndarray, value: np.ndarray, n: int) -> np.ndarray:
    """``M @ M.T`` for the sparse matrix ``M[sentence, term] = value``, via same-term pairs.

    Entries must be sorted by ``term``.
    """
    group_size = np.bincount(term)
    group_start = np.cumsum(group_size) - group_size
    size = group_size[term]  # for each entry, how many entries share its stem
    left = np.repeat(np.arange(term.shape[0]), size)
    first_pair = np.cumsum(size) - size
    right = np.repeat(group_start[term] - first_pair, size) + np.arange(left.shape[0])
    products = value[left] * value[right]
    flat = np.bincount(sentence[left] * n + sentence[right], products, minlength=n * n)
    return flat.reshape(n, n)


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


# --- what a summary must not show -----------------------------------------------------------
# Patterns see lower-cased sentences, one per line (so ^ and $ are sentence edges).

_BOILERPLATE = re.compile(
    r"""^[^\w\n]*(?:
        by\s+(?:\.\s*)?[\w.'’-]+(?:[ \t]+[\w.'’-]+){0,3}[ \t]*[.,]?[ \t]*$    # by jane doe .
      | (?:published|updated|last\s+updated|posted|modified)\s*(?::|at\b|on\b)  # time stamps
      | (?:photo|photos|image|images|picture|pictures|video|credit|credits|source|
           caption|illustration|graphic|file\s+photo)\s*:                     # credit lines
      | (?:pictured|above|below|left|right|top|bottom|inset|main\s+picture)\s*:  # captions
      | scroll\s+down\b | click\s+here\b | see\s+below\s+for\b | play\s+video\b
      | watch\s+(?:the\s+)?video\b | read\s+more\b | related\s*: | share\s+this\b
      | follow\s+(?:us\s+)?(?:@|on\s+twitter) | sign\s+up\b | subscribe\b
      | sorry\s+we\s+are\s+not\b | all\s+rights\s+reserved | copyright\b
      | lire\s+aussi\b | à\s+lire\s+aussi\b | voir\s+aussi\b | (?:crédit|légende)\s*:
    )""",
    re.VERBOSE | re.MULTILINE,
)
# Embedded tweets left in the text by scraping.
_TWEET = re.compile(r"twitter\.com/\w+/status/\d+|pic\.twitter\.com/\w+")
_CREDIT_WORDS = ("photo", "image", "picture", "credit", "source")
_CREDIT_WORD = re.compile("|".join(_CREDIT_WORDS))
_CREDIT_TAIL = re.compile(
    r"\b(?:photo|image|picture|credit|source)s?[ \t]*(?::|by)[ \t]*[\w .&'/-]{0,40}?"
    r"\b(?:getty|reuters|ap|afp|epa|pa|rex|shutterstock|corbis|images?)\b[\w .]*\)?[ \t]*\.?$"
)
_CAPTION_CUE = re.compile(
    r",\s*(?:left|right|centre|center|top|bottom|above|below|pictured)\s*[,.)]"
    r"|\(\s*(?:left|right|centre|center|top|bottom|above|below|pictured)\s*\)"
    r"|\bpictured\b|\bseen here\b|\bin this (?:photo|image|picture)\b|\bfile photo\b"
)
# "label : text" opening a sentence -- but not "he said : ' ..." which opens a quotation.
_LABEL = re.compile(r"^[^\w]*[\w'’-]+(?:[ \t]+[\w'’-]+){0,4}[ \t]*:[ \t]*(?![`'‘\"“«\s]|$)")
_TIME_STAMP = re.compile(r"\d[:.]\d\d\s*(?:est|edt|gmt|bst|utc|cet|am|pm)\b")
_CODE_HINTS = ("=", "{", "}", "<", ">", "function", "window.", "document.")
_CODE_WORDS = re.compile(r"[=;{}<>]|function|window\.|document\.")
_CODE = re.compile(
    r"\bfunction\s*\(|\bvar\s+\w+\s*=|\b(?:window|document)\.\w|\bnew\s+\w+\s*\("
    r"|=>|\)\s*\{|\}\s*\)|[;{,]\s*['\"]?\w+['\"]?\s*:\s*['\"\w{\[]|\w\s*===?\s*\w|</?[a-z]+[^>]*>"
)
_CODE_CHAR = re.compile(r"[{}=;<>\[\]|\\]")
_FINAL = re.compile(r"([?!:])[^\w\n]*$", re.MULTILINE)


def _final_marks(lines: _Lines) -> np.ndarray:
    """The sentence-final ``?``, ``!`` or ``:`` of each sentence (before closing quotes), or ''."""
    final = np.full(lines.size, "", dtype="<U1")
    for match in _FINAL.finditer(lines.text):
        final[lines.sentence_of([match.start()])[0]] = match.group(1)
    return final


def _boilerplate(
    lines: _Lines, lengths: np.ndarray, digits: np.ndarray, label: np.ndarray
) -> np.ndarray:
    # A few words, mostly numbers: a dateline ("Paris, 22 mai 2012.") or a list number ("3 .").
    flagged = (lengths == 0) | ((lengths <= 5) & (digits * 5 >= lengths * 2))
    flagged |= lines.flags(_BOILERPLATE)
    if any(word in lines.text for word in _CREDIT_WORDS):
        flagged |= lines.flags(_CREDIT_TAIL, only=lines.flags(_CREDIT_WORD))
    flagged |= lines.flags(_TIME_STAMP, only=lengths <= 14)
    flagged |= lines.flags(_TWEET, only=lines.containing("twitter.com"))
    # "apology : marty stroud , left , visited ..." is a Daily Mail photo caption.
    flagged |= lines.flags(_CAPTION_CUE, only=label)
    flagged |= _code(lines, lengths)
    return flagged


def _code(lines: _Lines, lengths: np.ndarray) -> np.ndarray:
    """Sentences of scraped program text (JavaScript, JSON, HTML) rather than prose."""
    text = lines.text
    # Prose almost never holds these; most articles are cleared by a few substring tests.
    if not any(hint in text for hint in _CODE_HINTS) and text.count(";") < 2:
        return np.zeros(lines.size, dtype=bool)
    candidates = lines.flags(_CODE_WORDS)
    hits = np.zeros(lines.size, dtype=np.int64)
    symbols = np.zeros(lines.size, dtype=np.int64)
    for i in np.flatnonzero(candidates).tolist():
        hits[i] = len(_CODE.findall(lines.lines[i]))
        symbols[i] = len(_CODE_CHAR.findall(lines.lines[i]))
    # Prose rarely holds two code constructs, or a brace-like symbol for every 8 words.
    return (hits >= 2) | ((symbols >= 4) & (symbols * 8 > lengths))


def is_boilerplate(sentence: str) -> bool:
    """True for a sentence no summary should show: byline, time stamp, caption, credit, code.

    Examples: ``By Jane Doe.``, ``Published: 12:00 EST, 3 April 2013``, ``Updated: ...``,
    ``Photo: Getty Images``, ``Pictured: the mayor, left, ...``, ``Scroll down for video``,
    and scraped JavaScript such as ``window.player = new Pvp('x', {id: "y"})``.
    """
    return bool(featurize([sentence], None).boilerplate[0])


def headings(texts: Sequence[str], word_counts: np.ndarray | None = None) -> np.ndarray:
    """True for each "sentence" that is a subheading or label: short and unpunctuated.

    Extracted pages keep their subheadings ("Collaborative testing: a leaking dam") as lines
    of their own; a summary made of sentences must not show one as if it were news.
    ``word_counts`` (as :attr:`ArticleFeatures.token_counts`) saves counting again.
    """
    if word_counts is None:
        word_counts = np.array([len(_TOKEN.findall(text)) for text in texts], dtype=np.int64)
    found = np.zeros(len(texts), dtype=bool)
    for i in np.flatnonzero(word_counts <= HEADING_WORDS).tolist():
        found[i] = is_heading(texts[i], words=int(word_counts[i]))
    return found


def looks_like_code(sentence: str) -> bool:
    """True when a sentence is scraped program text (JavaScript, JSON, HTML), not prose."""
    lines = _Lines([sentence])
    return bool(_code(lines, np.array([len(_TOKEN.findall(sentence))]))[0])


# Quotation marks.  Only double quotation marks are trusted to delimit a quotation across
# sentences: a single quote is too often an apostrophe ("players' union", PTB "' s"), and
# Daily Mail's stand-alone ' marks cannot be told apart as openers or closers.  Straight
# double quotes toggle.
_QUOTE_MARK = re.compile(r"``|''|[“«„”»\"]")
_QUOTE_EVENT = {"``": 1, "“": 1, "«": 1, "„": 1, "''": -1, "”": -1, "»": -1, '"': 0}


def _quote_states(lines: _Lines) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per sentence: starts inside a quotation, ends inside one, holds a quotation mark."""
    n = lines.size
    starts = np.zeros(n, dtype=bool)
    ends = np.zeros(n, dtype=bool)
    has = np.zeros(n, dtype=bool)
    marks = list(_QUOTE_MARK.finditer(lines.text))
    if not marks:
        return starts, ends, has
    owners = lines.sentence_of([m.start() for m in marks]).tolist()
    inside = False
    sentence = 0
    for mark, owner in zip(marks, owners, strict=True):
        while sentence < owner:
            ends[sentence] = inside
            sentence += 1
            starts[sentence] = inside
        has[owner] = True
        event = _QUOTE_EVENT[mark.group()]
        inside = (not inside) if event == 0 else event > 0
    ends[sentence] = inside
    starts[sentence + 1 :] = inside
    ends[sentence + 1 :] = inside
    return starts, ends, has


def quote_spans(texts: Sequence[str]) -> list[QuoteSpan]:
    """Quotations that run over more than one sentence, in order.

    A quotation that opens in one sentence and closes in a later one is cut by the sentence
    splitter, and the attribution (``..., he said.``) is often only in the last part: a
    summary must take the span whole or not at all.
    """
    starts, ends, _ = _quote_states(_Lines(texts))
    return list(_spans(texts, starts, ends))


def _spans(texts: Sequence[str], starts: np.ndarray, ends: np.ndarray) -> tuple[QuoteSpan, ...]:
    spans = []
    for first in np.flatnonzero(ends & ~starts).tolist():
        closing = np.flatnonzero(~ends[first:])
        last = first + int(closing[0]) if closing.size else len(texts) - 1
        mark = _QUOTE_MARK.search(texts[first])
        before = texts[first][: mark.start()] if mark else ""
        spans.append(QuoteSpan(first, last, attributed_first=len(_TOKEN.findall(before)) >= 2))
    return tuple(spans)
